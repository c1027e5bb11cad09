"""Scheduling `backcare remind`: crontab entries (python-crontab) and a systemd user timer.

Our crontab entries are tagged with the comment `backcare-remind`: install replaces every
tagged entry (running it again never duplicates), uninstall removes only tagged entries, and
every other line of the crontab (other jobs, MAILTO=, comments) is written back byte for
byte: the text is edited line by line here (python-crontab only renders our own lines and
checks that the table parses; left to re-render the whole table it collapsed tabs, turned
`0 0 1 1 *` into `@yearly` and `50%` into `50 %`). A crontab file is replaced atomically.

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
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import time
from pathlib import Path

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


def _cron_program() -> list[str]:
    from crontab import CRON_COMMAND  # the seam tests point at a missing program

    return shlex.split(CRON_COMMAND)


def _read(tab_file: Path | None) -> str:
    """The crontab's text, exactly (undecodable bytes kept as surrogate escapes)."""
    target = _tab_file(tab_file)
    try:
        if target is None:
            done = subprocess.run(
                [*_cron_program(), "-l"], capture_output=True, timeout=60, check=False
            )
            if done.returncode != 0:
                if b"no crontab" in done.stderr.lower():
                    return ""
                raise OSError(done.stderr.decode("utf-8", "replace").strip() or "crontab -l")
            data = done.stdout
        elif not target.exists():
            return ""  # a new file: `_store` creates it
        else:
            data = target.read_bytes()
    except (OSError, subprocess.SubprocessError) as exc:
        raise _error(target, exc) from None
    return data.decode("utf-8", "surrogateescape")


def _ours(line: str) -> bool:
    """A line install wrote: a job (not a comment) ending in the tag comment."""
    return not line.lstrip().startswith("#") and line.rstrip().endswith(f"# {TAG}")


def _check_parsable(text: str) -> None:
    """Refuse (changing nothing) a crontab python-crontab cannot parse: what is in it may
    not be a crontab at all, and it is not ours to guess."""
    from crontab import CronTab

    try:
        CronTab(tab=text).render(errors=True)
    except ValueError:
        raise StorageError(msg.CRONTAB_UNPARSABLE, msg.CRONTAB_UNPARSABLE_HINT) from None


def _edited(text: str, new_lines: Sequence[str], *, db: Path | None = None) -> str:
    """`text` without our lines (with `db`, only that database's), plus `new_lines`: every
    other line byte-exact (issue 14 case 11: python-crontab re-rendered the whole table,
    collapsing tabs, turning `0 0 1 1 *` into `@yearly` and `50%` into `50 %`)."""
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if not (_for_db(line, db) if db is not None else _ours(line))
    ]
    if kept and not kept[-1].endswith(("\n", "\r")) and new_lines:
        kept[-1] += "\n"  # cron needs the last line ended before ours follow
    return "".join(kept) + "".join(f"{line}\n" for line in new_lines)


def _store(text: str, tab_file: Path | None) -> None:
    from backcare import safefile

    target = _tab_file(tab_file)
    data = text.encode("utf-8", "surrogateescape")
    try:
        if target is None:
            done = subprocess.run(
                [*_cron_program(), "-"], input=data, capture_output=True, timeout=60, check=False
            )
            if done.returncode != 0:
                raise OSError(done.stderr.decode("utf-8", "replace").strip() or "crontab -")
        else:
            safefile.write_atomic(target, [data])
    except (OSError, subprocess.SubprocessError, safefile.SymlinkTarget) as exc:
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
    return [line.rstrip("\r") for line in _read(tab_file).splitlines() if _ours(line)]


def install(
    times: Iterable[time],
    db: Path,
    *,
    tab_file: Path | None = None,
    exe: Sequence[str] | None = None,
    notify: bool = False,
) -> list[str]:
    """Replace this database's entries with one per time; every other line is kept byte for
    byte, other databases' reminders included (one set of lines per database). Returns its
    lines."""
    lines = cron_lines(times, db, exe, notify=notify)  # refuse a bad path before touching cron
    text = _read(tab_file)
    _check_parsable(text)
    _store(_edited(text, lines, db=db), tab_file)
    return lines


def _for_db(line: str, db: Path) -> bool:
    """Our tagged line for `db`: the tag says the line is ours, and the database is the one
    the line names (its leading `BACKCARE_DB=<abs db>` after the five time fields)."""
    prefix = f"{ENV_DB}={shlex.quote(_abs_db(db))} "
    fields = line.split(None, 5)
    # cron turns a bare % into a newline, so the written line has it escaped (`\%`)
    forms = (prefix, prefix.replace("%", "\\%"))
    return _ours(line) and len(fields) == 6 and fields[5].startswith(forms)


def uninstall(*, tab_file: Path | None = None) -> int:
    """Remove our entries (only ours). Returns how many were removed; 0 writes nothing."""
    text = _read(tab_file)
    removed = sum(1 for line in text.splitlines() if _ours(line))
    if removed:
        _store(_edited(text, []), tab_file)
    return removed


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
