"""Use cases of `backcare remind`: what is due (read-only), the run lock, the notification.

`due` never creates a database: a missing or damaged file is a StorageError naming the path,
so a typo in a crontab line is reported (cron mails stderr) instead of answered from nothing.
Nothing here prints or reads a clock: `as_of` comes from the caller.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, time
from pathlib import Path

from backcare import messages as msg
from backcare.domain.reminders import Reminder

NOTIFY_TIMEOUT_S = 5  # never wait on a desktop longer than the DB busy timeout
LOCK_NAME = "remind"


def due(path: Path, *, as_of: datetime) -> list[Reminder]:
    """The reminders due at `as_of` (aware, local zone); [] when nothing is due."""
    from backcare.domain.acks import visible_flags
    from backcare.domain.reminders import due_reminders
    from backcare.services import _evaluate, _opened, _rules_history
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        history = _rules_history(session, as_of)
        profile = repo.get_profile(session)
        acks = repo.live_acks(session)
    flags = visible_flags(_evaluate(history, profile, as_of), acks)
    return due_reminders(history, profile, flags, as_of)


def remind_times(path: Path) -> tuple[time, ...]:
    """The profile's reminder times (20:00 when none is set, or when there is no DB yet)."""
    from backcare.domain.model import Profile
    from backcare.domain.reminders import remind_times as times_of
    from backcare.services import profile_show

    if not path.expanduser().exists():
        return times_of(Profile())
    return times_of(profile_show(path))


@contextmanager
def run_lock(path: Path) -> Iterator[bool]:
    """True while this run holds the remind lock for the database at `path`; False when an
    overlapping run holds it (then the caller exits 0 silently). Never waits."""
    from backcare.lock import lock_path, try_lock

    key = str(Path(os.path.abspath(path.expanduser())))
    with try_lock(lock_path(LOCK_NAME, key)) as held:
        yield held


def _session_bus_env() -> dict[str, str] | None:
    """The environment for notify-send, or None when no session bus is reachable.

    DBUS_SESSION_BUS_ADDRESS when set; else the systemd user bus socket
    (/run/user/UID/bus), which cron's bare environment does not name but can reach.
    """
    env = dict(os.environ)
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env
    bus = Path(f"/run/user/{os.getuid()}/bus")
    try:
        if bus.is_socket():
            env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
            return env
    except OSError:
        pass
    return None


def notify(reminders: Sequence[Reminder]) -> bool:
    """Send one desktop notification listing `reminders` through notify-send.

    Only when notify-send exists and a session bus is reachable; every failure (missing
    program, no desktop, a hang past NOTIFY_TIMEOUT_S, a non-zero exit) is swallowed: a
    notification never fails the run. True when notify-send ran and exited 0.
    """
    if not reminders:
        return False
    program = shutil.which("notify-send")
    if program is None:
        return False
    env = _session_bus_env()
    if env is None:
        return False
    import subprocess

    body = "\n".join(f"{r.id}: {r.text}" for r in reminders)
    try:
        done = subprocess.run(
            [program, "--app-name=backcare", msg.REMIND_NOTIFY_TITLE, body],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=NOTIFY_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return False
    return done.returncode == 0
