"""schedule.py against crontab files (never the real user crontab) and the systemd text."""

from __future__ import annotations

import shlex
import sys
from datetime import time
from pathlib import Path

import pytest

from backcare import schedule
from backcare.errors import InputError, StorageError

EXE = ["/opt/back care/bin/backcare"]
DB = Path("/home/me/data/back%care.db")

OTHERS = (
    "MAILTO=me@example.org\n"
    "# nightly backup\n"
    "15 3 * * * /usr/local/bin/backup --all\n"
    "\n"
    "*/5 * * * * /bin/true # mine\n"
)


@pytest.fixture(autouse=True)
def no_user_crontab(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the real `crontab` program fails loudly in these tests."""
    import crontab

    monkeypatch.setattr(crontab, "CRON_COMMAND", "/nonexistent/crontab")
    monkeypatch.delenv(schedule.ENV_CRONTAB_FILE, raising=False)


@pytest.fixture
def tab(tmp_path: Path) -> Path:
    path = tmp_path / "crontab"
    path.write_text(OTHERS)
    return path


def ours(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.endswith(f"# {schedule.TAG}")]


# --- the command line -----------------------------------------------------------------


def test_command_line_is_absolute_and_shell_quoted() -> None:
    line = schedule.command_line(DB, EXE)
    assert shlex.split(line) == [f"BACKCARE_DB={DB}", *EXE, "remind"]
    assert schedule.command_line(DB, EXE, notify=True).endswith(" remind --notify")


def test_command_line_makes_a_relative_db_absolute(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    words = shlex.split(schedule.command_line(Path("rel.db"), ["/x/backcare"]))
    assert words[0] == f"BACKCARE_DB={tmp_path / 'rel.db'}"


def test_a_path_with_a_line_break_is_refused(tab: Path) -> None:
    with pytest.raises(InputError):
        schedule.install([time(20)], Path("/tmp/a\nb.db"), tab_file=tab, exe=EXE)
    assert tab.read_text() == OTHERS  # nothing written


def test_executable_is_the_running_script(tmp_path: Path, monkeypatch) -> None:
    script = tmp_path / "bin" / "backcare"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["bin/backcare", "remind", "install"])
    assert schedule.executable() == [str(script)]


def test_executable_falls_back_to_path_then_python(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/usr/lib/python3/pytest"])
    found = tmp_path / "backcare"
    monkeypatch.setattr(schedule.shutil, "which", lambda name: str(found))
    assert schedule.executable() == [str(found)]
    monkeypatch.setattr(schedule.shutil, "which", lambda name: None)
    python, *rest = schedule.executable()
    assert Path(python).is_absolute() and Path(python).samefile(sys.executable)
    assert rest == ["-m", "backcare"]


def test_normalise_times() -> None:
    assert schedule.normalise_times([time(20), time(7, 30), time(20, 0, 30)]) == [
        time(7, 30),
        time(20),
    ]


# --- crontab --------------------------------------------------------------------------


def test_install_adds_one_tagged_entry_per_time(tab: Path) -> None:
    lines = schedule.install([time(20), time(7, 30)], DB, tab_file=tab, exe=EXE)
    assert lines == ours(tab)
    assert [line.split()[:5] for line in lines] == [
        ["30", "7", "*", "*", "*"],
        ["0", "20", "*", "*", "*"],
    ]
    assert tab.read_text().startswith(OTHERS)
    assert schedule.installed(tab_file=tab) == lines


def test_install_is_idempotent_and_replaces(tab: Path) -> None:
    schedule.install([time(20)], DB, tab_file=tab, exe=EXE)
    once = tab.read_text()
    schedule.install([time(20)], DB, tab_file=tab, exe=EXE)
    assert tab.read_text() == once
    assert len(ours(tab)) == 1
    schedule.install([time(9), time(21)], DB, tab_file=tab, exe=EXE)
    assert [line.split()[:2] for line in ours(tab)] == [["0", "9"], ["0", "21"]]


def test_uninstall_removes_ours_and_keeps_the_rest(tab: Path) -> None:
    schedule.install([time(8), time(20)], DB, tab_file=tab, exe=EXE)
    assert schedule.uninstall(tab_file=tab) == 2
    assert tab.read_text() == OTHERS
    assert schedule.installed(tab_file=tab) == []
    # nothing of ours: nothing removed, file untouched
    before = tab.stat().st_mtime_ns
    assert schedule.uninstall(tab_file=tab) == 0
    assert tab.stat().st_mtime_ns == before


def test_percent_in_a_path_is_escaped_for_cron(tab: Path) -> None:
    schedule.install([time(20)], DB, tab_file=tab, exe=EXE)
    (line,) = ours(tab)
    assert "back\\%care.db" in line  # cron turns an unescaped % into a newline
    from crontab import CronTab

    (job,) = CronTab(tabfile=str(tab)).find_comment(schedule.TAG)
    assert shlex.split(job.command)[0] == f"BACKCARE_DB={DB}"


def test_install_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new-crontab"
    lines = schedule.install([time(20)], DB, tab_file=path, exe=EXE)
    assert path.read_text().splitlines() == lines


def test_env_var_points_at_a_file(tab: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(schedule.ENV_CRONTAB_FILE, str(tab))
    schedule.install([time(20)], DB, exe=EXE)
    assert len(ours(tab)) == 1
    assert schedule.uninstall() == 1
    assert tab.read_text() == OTHERS


def test_no_crontab_program_is_a_storage_error() -> None:
    with pytest.raises(StorageError) as caught:
        schedule.installed()
    assert "crontab" in caught.value.message and caught.value.hint


def test_unreadable_tab_file_is_a_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError):
        schedule.installed(tab_file=tmp_path)  # a directory


def test_cron_lines_change_nothing(tab: Path) -> None:
    lines = schedule.cron_lines([time(21), time(6, 5)], DB, EXE)
    assert [line.split()[:2] for line in lines] == [["5", "6"], ["0", "21"]]
    assert all(line.endswith(f"# {schedule.TAG}") for line in lines)
    assert tab.read_text() == OTHERS


# --- systemd --------------------------------------------------------------------------


def test_systemd_units() -> None:
    units = schedule.systemd_units(
        [time(20), time(7, 30)], Path("/data/b.db"), ["/usr/bin/backcare"]
    )
    service = units["backcare-remind.service"]
    timer = units["backcare-remind.timer"]
    assert "Type=oneshot" in service
    assert "Environment=BACKCARE_DB=/data/b.db" in service
    assert "ExecStart=/usr/bin/backcare remind --notify" in service
    assert "OnCalendar=*-*-* 07:30:00\nOnCalendar=*-*-* 20:00:00\n" in timer
    assert "Persistent=true" in timer and "WantedBy=timers.target" in timer


def test_systemd_quotes_and_escapes_paths() -> None:
    db = Path("/home/me/my data/back%care$1.db")
    units = schedule.systemd_units([time(20)], db, ["/opt/back care/bin/backcare", "$x"])
    service = units["backcare-remind.service"]
    # Environment= expands specifiers (%) but not variables ($)
    assert 'Environment="BACKCARE_DB=/home/me/my data/back%%care$1.db"' in service
    assert 'ExecStart="/opt/back care/bin/backcare" $$x remind --notify' in service


def test_a_line_cron_tools_cannot_parse_is_never_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    original = OTHERS + "this is not a cron line\n"
    path.write_text(original)
    with pytest.raises(StorageError):
        schedule.install([time(20)], DB, tab_file=path, exe=EXE)
    assert path.read_text() == original  # not commented out as "# DISABLED LINE"


def test_special_schedules_and_env_lines_survive(tmp_path: Path) -> None:
    path = tmp_path / "crontab"
    original = "SHELL=/bin/bash\n@reboot /usr/bin/startup\nPATH=/usr/bin\n0 1 * * 1-5 /bin/x\n"
    path.write_text(original)
    schedule.install([time(20)], DB, tab_file=path, exe=EXE)
    assert schedule.uninstall(tab_file=path) == 1
    assert path.read_text() == original


# Issue 14 case 11: the person's own lines are byte-exact after install and uninstall.
PERSONAL = (
    "# my jobs\n"
    "MAILTO=me@example.org\n"
    "0 0 1 1 *\t/usr/bin/happy-new-year\n"
    "*/5  *  *  *  *   /usr/bin/poll   --quiet   \n"
    "30 2 * * * /usr/bin/nice -n 19 /bin/backup --throttle 50%\n"
    "@daily\t/usr/bin/rotate\n"
    "\n"
    "# caf\u00e9 \u2014 not ASCII\n"
    "15 4 * * 0 /bin/echo 'weekly'"  # no newline at the end
)


@pytest.mark.parametrize("ending", ["", "\n"])
def test_install_and_uninstall_leave_every_other_line_byte_exact(
    tmp_path: Path, ending: str
) -> None:
    path = tmp_path / "crontab"
    original = (PERSONAL + ending).encode("utf-8")
    path.write_bytes(original)
    schedule.install([time(20), time(8, 30)], DB, tab_file=path, exe=EXE)
    text = path.read_bytes().decode("utf-8")
    ours = [line for line in text.splitlines() if line.endswith(f"# {schedule.TAG}")]
    assert len(ours) == 2
    others = [line for line in text.splitlines() if not line.endswith(f"# {schedule.TAG}")]
    assert others == PERSONAL.splitlines()
    schedule.install([time(21)], DB, tab_file=path, exe=EXE)  # replace: still only ours change
    assert schedule.uninstall(tab_file=path) == 1
    after = path.read_bytes()
    assert after in (original, original + b"\n")  # cron needs the last line ended
    if ending:
        assert after == original
