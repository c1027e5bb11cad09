"""Writing a file the person named (`-o`, backups): atomically, privately, never via a link.

One helper for every writer of an output file. The bytes go to a new temporary file beside
the target (0600, created with O_EXCL|O_NOFOLLOW), are fsynced, and only then renamed over
the target (`os.replace`), and the folder is fsynced: a reader, a crash or a failure midway
sees the old file whole or the new one whole, never a mix, never nothing. The old file is
never unlinked first. A target that is a symbolic link (dangling or not) is refused: writing
through it would replace or re-mode a file somewhere else. A target that exists and is not a
regular file (`/dev/null`, a FIFO) is written in place: it cannot be replaced.

Stdlib only (this module sits below store/ and cli/, which both use it).
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SymlinkTarget(Exception):
    """The target is a symbolic link: refused."""


def private_temp(folder: Path, stem: str) -> Path:
    """A new empty 0600 file in `folder` (O_EXCL|O_NOFOLLOW: never an existing file/link)."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | NOFOLLOW
    for _ in range(20):
        candidate = folder / f".{stem}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(candidate, flags, 0o600)
        except FileExistsError:
            continue
        try:
            os.fchmod(fd, 0o600)  # the umask may have masked the mode
        finally:
            os.close(fd)
        return candidate
    raise FileExistsError(str(folder))


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    with suppress(OSError):  # not every file system lets a folder be fsynced
        fsync_path(folder)


def is_symlink(path: Path) -> bool:
    try:
        return stat.S_ISLNK(path.lstat().st_mode)
    except OSError:
        return False


def _special(path: Path) -> bool:
    """True for an existing non-regular, non-link file (a device or FIFO): written in place."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISLNK(mode) and not stat.S_ISDIR(mode)


@contextmanager
def temp_beside(target: Path) -> Iterator[Path]:
    """A private temp file beside `target`, removed on exit unless it was renamed away."""
    temp = private_temp(target.parent, target.name)
    try:
        yield temp
    finally:
        with suppress(FileNotFoundError):
            os.unlink(temp)


def replace(temp: Path, target: Path) -> None:
    """Rename the finished `temp` over `target` (refusing a link there), then fsync the folder."""
    if is_symlink(target):
        raise SymlinkTarget(str(target))
    os.replace(temp, target)
    fsync_dir(target.parent)


def write_atomic(target: Path, chunks: Iterable[bytes]) -> None:
    """Write `chunks` to `target` as described above. OSError on failure (old file intact);
    SymlinkTarget when `target` is a link. Other exceptions from `chunks` propagate, also
    with the old file intact and the temp file removed."""
    if is_symlink(target):
        raise SymlinkTarget(str(target))
    if _special(target):
        fd = os.open(target, os.O_WRONLY | NOFOLLOW)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        return
    with temp_beside(target) as temp:
        fd = os.open(temp, os.O_WRONLY | NOFOLLOW)
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        replace(temp, target)
