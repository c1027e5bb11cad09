"""Scheduling `backcare remind`: crontab entries (python-crontab) and a systemd user timer.

Our crontab entries are tagged with the comment `backcare-remind`: install replaces every
tagged entry (running it again never duplicates), uninstall removes only tagged entries, and
every other line of the crontab (other jobs, MAILTO=, comments) is written back as it was.

`tab_file` targets a crontab file instead of the user's crontab (tests, or a system that
reads crontab files); the environment variable BACKCARE_CRONTAB_FILE does the same for a
whole process, so CLI and subprocess tests never touch a real crontab. None and no variable:
the user's crontab through the `crontab` program.

An entry runs `BACKCARE_DB=<abs db> <abs backcare> remind`: absolute paths because cron's
PATH is /usr/bin:/bin and its working directory is $HOME. Paths are shell-quoted (shlex);
python-crontab escapes `%` (a newline to cron). A path with a line break is refused.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Iterable, Sequence
from datetime import time
from pathlib import Path
from typing import Any

from backcare import messages as msg
from backcare.errors import InputError, StorageError

TAG = "backcare-remind"
ENV_CRONTAB_FILE = "BACKCARE_CRONTAB_FILE"
ENV_DB = "BACKCARE_DB"
SCRIPT_NAME = "backcare"
UNIT_NAME = "backcare-remind"  # backcare-remind.service + backcare-remind.timer


# --- the command line ------------------------------------------------------------------


def executable() -> list[str]:
    """How cron should start this backcare: argv words, absolute.

    The running script (sys.argv[0]) when it is the `backcare` console script, made absolute
    but not symlink-resolved (a Homebrew or pipx link survives upgrades; its target does
    not); else `backcare` on PATH; else `<python> -m backcare`.
    """
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 and Path(argv0).name == SCRIPT_NAME and Path(argv0).is_file():
        return [os.path.abspath(argv0)]
    found = shutil.which(SCRIPT_NAME)
    if found:
        return [os.path.abspath(found)]
    return [os.path.abspath(sys.executable), "-m", "backcare"]


def _checked(text: str) -> str:
    if "\n" in text or "\r" in text:
        shown = text.splitlines()[0] + "..."
        raise InputError(msg.REMIND_BAD_PATH.format(path=shown), msg.REMIND_BAD_PATH_HINT)
    return text


def _abs_db(db: Path) -> str:
    return _checked(os.path.abspath(db.expanduser()))


def remind_argv(exe: Sequence[str], *, notify: bool = False) -> list[str]:
    return [*(_checked(word) for word in exe), "remind", *(["--notify"] if notify else [])]


def command_line(db: Path, exe: Sequence[str] | None = None, *, notify: bool = False) -> str:
    """`BACKCARE_DB=<abs db> <abs backcare> remind`, shell-quoted (what cron runs)."""
    argv = remind_argv(exe if exe is not None else executable(), notify=notify)
    return f"{ENV_DB}={shlex.quote(_abs_db(db))} " + " ".join(shlex.quote(w) for w in argv)


def normalise_times(times: Iterable[time]) -> list[time]:
    """Sorted, without duplicates, minutes only."""
    return sorted({t.replace(second=0, microsecond=0, tzinfo=None) for t in times})


# --- crontab ---------------------------------------------------------------------------


def _tab_file(tab_file: Path | None) -> Path | None:
    if tab_file is not None:
        return tab_file
    env = os.environ.get(ENV_CRONTAB_FILE)
    return Path(env).expanduser() if env else None


def _open(tab_file: Path | None) -> Any:
    from crontab import CronTab

    target = _tab_file(tab_file)
    try:
        if target is None:
            return CronTab(user=True)
        if not target.exists():
            return CronTab()  # a new file: `_write` names it
        return CronTab(tabfile=str(target))
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(target, exc) from None


def _write(tab: Any, tab_file: Path | None) -> None:
    """Write back, refusing (and changing nothing) when python-crontab could not parse a line:
    it would otherwise comment that line out ("# DISABLED LINE") in someone else's job."""
    target = _tab_file(tab_file)
    try:
        tab.render(errors=True)
    except ValueError:
        raise StorageError(msg.CRONTAB_UNPARSABLE, msg.CRONTAB_UNPARSABLE_HINT) from None
    try:
        if target is not None:
            tab.write(str(target))
        else:
            tab.write()
    except OSError as exc:
        raise _error(target, exc) from None


def _error(target: Path | None, exc: BaseException) -> StorageError:
    if target is not None:
        return StorageError(msg.CRONTAB_FILE_BAD.format(path=target), msg.CRONTAB_FAILED_HINT)
    reason = " ".join(str(exc).split())[:200] or exc.__class__.__name__
    return StorageError(msg.CRONTAB_FAILED.format(reason=reason), msg.CRONTAB_FAILED_HINT)


def _slices(at: time) -> str:
    return f"{at.minute} {at.hour} * * *"


def cron_lines(
    times: Iterable[time], db: Path, exe: Sequence[str] | None = None, *, notify: bool = False
) -> list[str]:
    """The crontab lines `install` writes, one per time (as `crontab -l` shows them)."""
    from crontab import CronTab

    tab = CronTab()
    command = command_line(db, exe, notify=notify)
    for at in normalise_times(times):
        job = tab.new(command=command, comment=TAG)
        job.setall(_slices(at))
    return [str(job) for job in tab]


def installed(*, tab_file: Path | None = None) -> list[str]:
    """Our entries in the crontab, as lines; [] when none."""
    return [str(job) for job in _open(tab_file).find_comment(TAG)]


def install(
    times: Iterable[time],
    db: Path,
    *,
    tab_file: Path | None = None,
    exe: Sequence[str] | None = None,
    notify: bool = False,
) -> list[str]:
    """Replace this database's entries with one per time; every other entry is kept, other
    databases' reminders included (one set of lines per database). Returns its lines."""
    command = command_line(db, exe, notify=notify)  # refuse a bad path before touching cron
    tab = _open(tab_file)
    tab.remove(*_for_db(tab, db))
    for at in normalise_times(times):
        job = tab.new(command=command, comment=TAG)
        job.setall(_slices(at))
    _write(tab, tab_file)
    return [str(job) for job in _for_db(tab, db)]


def _for_db(tab: Any, db: Path) -> list[Any]:
    """Our tagged entries for `db`: the tag says the line is ours, and the database is the
    one the line names (its leading `BACKCARE_DB=<abs db>`), so a second database's
    install leaves the first one's line alone."""
    prefix = f"{ENV_DB}={shlex.quote(_abs_db(db))} "
    return [job for job in tab.find_comment(TAG) if str(job.command).startswith(prefix)]


def uninstall(*, tab_file: Path | None = None) -> int:
    """Remove our entries (only ours). Returns how many were removed; 0 writes nothing."""
    tab = _open(tab_file)
    removed = len(list(tab.find_comment(TAG)))
    if removed:
        tab.remove_all(comment=TAG)
        _write(tab, tab_file)
    return int(removed)


# --- systemd ---------------------------------------------------------------------------


def _unit_word(word: str, *, expands: bool = True) -> str:
    """One unit-file word: `%` escaped (specifiers), `$` too where the setting expands
    variables (ExecStart=, not Environment=), quoted when it has spaces or quotes."""
    word = word.replace("%", "%%")
    if expands:
        word = word.replace("$", "$$")
    if word and not any(c in word for c in " \t\"'\\;"):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_units(
    times: Iterable[time], db: Path, exe: Sequence[str] | None = None
) -> dict[str, str]:
    """`backcare-remind.service` and `backcare-remind.timer` (file name -> text).

    The service runs `remind --notify`: a timer's output goes to the journal, where nobody
    reads it, so the desktop notification is how the reminder reaches the person.
    """
    argv = remind_argv(exe if exe is not None else executable(), notify=True)
    env = _unit_word(f"{ENV_DB}={_abs_db(db)}", expands=False)
    service = (
        "[Unit]\n"
        f"Description={msg.REMIND_SYSTEMD_DESCRIPTION}\n"
        "\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"Environment={env}\n"
        f"ExecStart={' '.join(_unit_word(w) for w in argv)}\n"
    )
    calendars = "".join(
        f"OnCalendar=*-*-* {at.hour:02d}:{at.minute:02d}:00\n" for at in normalise_times(times)
    )
    timer = (
        "[Unit]\n"
        f"Description={msg.REMIND_SYSTEMD_DESCRIPTION}\n"
        "\n"
        "[Timer]\n"
        f"{calendars}"
        "Persistent=true\n"
        "\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT_NAME}.service": service, f"{UNIT_NAME}.timer": timer}
