"""A non-blocking per-user lock, so two overlapping `backcare remind` runs never both report.

The lock is `fcntl.flock` on a file in the user state dir (platformdirs, e.g.
~/.local/state/backcare), dir 0700 and file 0600. It is held for the life of the open file,
so a crashed run never leaves it stale. Never waits: a lock held by another run yields False.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def state_dir() -> Path:
    from platformdirs import user_state_path

    return user_state_path("backcare", appauthor=False)


def lock_path(name: str, key: str = "") -> Path:
    """`<state dir>/<name>.lock`, or `<name>-<hash of key>.lock` (one lock per database)."""
    suffix = "-" + hashlib.sha256(key.encode()).hexdigest()[:12] if key else ""
    return state_dir() / f"{name}{suffix}.lock"


def _make_private_dir(path: Path) -> None:
    if not path.is_dir():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is masked by the umask


@contextmanager
def try_lock(path: Path) -> Iterator[bool]:
    """Yield True holding an exclusive lock on `path`, False when another process holds it.

    When the lock file cannot be created at all (read-only home, no state dir), yields True
    without a lock: a reminder is worth more than the guard against a rare overlap.
    """
    try:
        _make_private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError:
        yield True
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        except OSError:
            yield True  # flock not supported here (e.g. some network file systems)
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock
