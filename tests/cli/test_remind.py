"""`backcare remind` and `remind install | show | uninstall`, in-process and under `env -i`.

Crontab tests target a file (BACKCARE_CRONTAB_FILE); the `crontab` program is pointed at a
path that does not exist, so no test can read or change the real user crontab.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backcare.services import remind as service
from tests.conftest import Run

BACKCARE = Path(sys.executable).parent / "backcare"  # the venv's console script
TAG = "# backcare-remind"


@pytest.fixture(autouse=True)
def crontab_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import crontab

    monkeypatch.setattr(crontab, "CRON_COMMAND", "/nonexistent/crontab")
    path = tmp_path / "crontab"
    monkeypatch.setenv("BACKCARE_CRONTAB_FILE", str(path))
    return path


@pytest.fixture
def logged(run: Run) -> None:
    """One pain entry, Mon 3 March 2025 08:00 (GMT): nothing flagged, episode < 72 h."""
    assert run("log", "5", "--at", "2025-03-03 08:00").exit_code == 0


# --- remind -------------------------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2025-03-03 19:59", "2025-03-03 21:00", "2025-03-04 19:59"])
def test_silent_when_nothing_is_due(run: Run, logged: None, as_of: str) -> None:
    result = run("remind", "--as-of", as_of)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("as_of", ["2025-03-04 20:00", "2025-03-04 23:59"])
def test_one_line_when_today_is_not_logged(run: Run, logged: None, as_of: str) -> None:
    result = run("remind", "--as-of", as_of)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "backcare: log-today: you have not logged your pain today (backcare log PAIN)",
        # issue 16: the episode is over 24 h old and has no STarT Back yet
        "backcare: measure-due: questionnaire due: STarT Back (start of the episode) "
        "(backcare measure startback)",
    ]


def test_every_item_from_the_cli(run: Run) -> None:
    run("log", "7", "--at", "2025-03-03 08:00", "--symptom", "leg-numbness")
    run("treat", "ice", "--minutes", "20", "--at", "2025-03-06 19:45")
    result = run("remind", "--as-of", "2025-03-06 20:30")
    lines = result.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "follow-up",
        "checkin-72h",
        "log-today",
        "reapply",
    ]
    # The level comes first (issue 15): a reminder line alone says how soon to act.
    assert lines[0].startswith("backcare: follow-up: soon: Pain or numbness spreading into a leg.")


def test_json(run: Run, logged: None) -> None:
    result = run("remind", "--as-of", "2025-03-04 20:30", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload == {
        "as_of": "2025-03-04T20:30:00+00:00",
        "due": [
            {
                "id": "log-today",
                "text": "you have not logged your pain today (backcare log PAIN)",
                "rule": None,
            },
            {
                "id": "measure-due",
                "text": "questionnaire due: STarT Back (start of the episode) "
                "(backcare measure startback)",
                "rule": None,
            },
        ],
    }
    empty = json.loads(run("remind", "--as-of", "2025-03-04 08:00", "--json").stdout)
    assert empty["due"] == []


def test_profile_reminder_time(run: Run, logged: None) -> None:
    run("profile", "set", "--remind-at", "18:30")
    assert run("remind", "--as-of", "2025-03-04 18:29").stdout == ""
    assert "log-today" in run("remind", "--as-of", "2025-03-04 18:30").stdout


def test_missing_database_is_an_error_and_is_not_created(run: Run, db_path: Path) -> None:
    result = run("remind")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert str(db_path) in result.stderr
    assert not db_path.exists()


def test_damaged_database_is_an_error(run: Run, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite at all" * 100)
    result = run("remind")
    assert result.exit_code == 1 and result.stdout == "" and "backcare: error:" in result.stderr


def test_bad_as_of_is_a_usage_error(run: Run, logged: None) -> None:
    assert run("remind", "--as-of", "someday").exit_code == 2


def test_remind_options_with_a_subcommand_are_refused(run: Run) -> None:
    result = run("remind", "--json", "show")
    assert result.exit_code == 2 and "--json" in result.stderr


def test_overlapping_run_is_silent(run: Run, logged: None, db_path: Path) -> None:
    with service.run_lock(db_path) as held:
        assert held
        result = run("remind", "--as-of", "2025-03-04 20:30")
        assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert "log-today" in run("remind", "--as-of", "2025-03-04 20:30").stdout


def test_lock_file_is_private_and_per_database(tmp_path: Path, db_path: Path) -> None:
    with service.run_lock(db_path) as held, service.run_lock(tmp_path / "other.db") as other:
        assert held and other  # a different database: its own lock
        with service.run_lock(db_path) as again:
            assert not again
    state = Path(os.environ["XDG_STATE_HOME"]) / "backcare"
    locks = sorted(state.glob("remind-*.lock"))
    assert len(locks) == 2
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(lock.stat().st_mode) == 0o600 for lock in locks)


def test_unusable_state_dir_does_not_stop_reminders(
    run: Run, logged: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    assert "log-today" in run("remind", "--as-of", "2025-03-04 20:30").stdout


# --- --notify -----------------------------------------------------------------------------


@pytest.fixture
def fake_notify(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A notify-send on PATH that records its arguments; `make(body)` sets its script."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    record = tmp_path / "notified"

    def make(body: str) -> Path:
        script = bindir / "notify-send"
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{record}"\n{body}\n')
        script.chmod(0o755)
        return record

    monkeypatch.setenv("PATH", f"{bindir}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    return make


def test_notify_sends_one_notification(run: Run, logged: None, fake_notify) -> None:
    record = fake_notify("exit 0")
    result = run("remind", "--as-of", "2025-03-04 20:30", "--notify")
    assert result.exit_code == 0 and "log-today" in result.stdout
    sent = record.read_text()
    assert "backcare" in sent and "log-today: you have not logged" in sent


def test_notify_nothing_due_sends_nothing(run: Run, logged: None, fake_notify) -> None:
    record = fake_notify("exit 0")
    assert run("remind", "--as-of", "2025-03-04 08:00", "--notify").stdout == ""
    assert not record.exists()


@pytest.mark.parametrize("body", ["exit 1", "kill -9 $$", "exec sleep 30"])
def test_failed_notification_never_fails_the_run(
    run: Run, logged: None, fake_notify, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    monkeypatch.setattr(service, "NOTIFY_TIMEOUT_S", 0.5)
    fake_notify(body)
    result = run("remind", "--as-of", "2025-03-04 20:30", "--notify")
    assert result.exit_code == 0 and result.stderr == ""
    assert "log-today" in result.stdout


def test_no_session_bus_no_notification(
    run: Run, logged: None, fake_notify, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = fake_notify("exit 0")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS")
    monkeypatch.setattr(service.os, "getuid", lambda: 2_000_000_000)  # no /run/user/UID/bus
    assert "log-today" in run("remind", "--as-of", "2025-03-04 20:30", "--notify").stdout
    assert not record.exists()


def test_no_notify_send_program(
    run: Run, logged: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing on it
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    result = run("remind", "--as-of", "2025-03-04 20:30", "--notify")
    assert result.exit_code == 0 and "log-today" in result.stdout


# --- install / show / uninstall -----------------------------------------------------------

OTHER_JOBS = "MAILTO=me@example.org\n15 3 * * * /usr/local/bin/backup # nightly\n"


def test_install_show_uninstall(run: Run, db_path: Path, crontab_file: Path) -> None:
    crontab_file.write_text(OTHER_JOBS)
    result = run("remind", "install")  # no DB yet: 20:00
    assert result.exit_code == 0, result.stderr
    (line,) = [x for x in crontab_file.read_text().splitlines() if x.endswith(TAG)]
    assert line.startswith("0 20 * * * ")
    words = shlex.split(line.removesuffix(TAG))[5:]
    assert words[0] == f"BACKCARE_DB={db_path}" and words[-1] == "remind"
    assert Path(words[1]).is_absolute()
    assert line in result.stdout

    again = run("remind", "install")
    assert again.exit_code == 0
    assert crontab_file.read_text().count(TAG) == 1  # replaced, not duplicated

    shown = run("remind", "show")
    assert shown.stdout.splitlines() == [line]

    removed = run("remind", "uninstall")
    assert removed.exit_code == 0 and "Removed 1" in removed.stdout
    assert crontab_file.read_text() == OTHER_JOBS
    assert "No backcare reminder" in run("remind", "show").stdout
    assert "No backcare reminder" in run("remind", "uninstall").stdout


def test_install_uses_profile_times_or_at(run: Run, crontab_file: Path) -> None:
    run("profile", "set", "--remind-at", "21:15", "--remind-at", "07:30")
    run("remind", "install")
    assert [x.split()[:2] for x in crontab_file.read_text().splitlines()] == [
        ["30", "7"],
        ["15", "21"],
    ]
    result = run("remind", "install", "--at", "09:00", "--at", "9:00", "--at", "22:00")
    assert [x.split()[:2] for x in crontab_file.read_text().splitlines()] == [
        ["0", "9"],
        ["0", "22"],
    ]
    assert "Installed 2" in result.stdout
    assert "note:" not in result.stdout  # 09:00 is after the first reminder time 07:30
    early = run("remind", "install", "--at", "06:00")
    assert "note:" in early.stdout and "07:30" in early.stdout


def test_install_notify(run: Run, crontab_file: Path) -> None:
    run("remind", "install", "--notify")
    assert crontab_file.read_text().rstrip().endswith(f"remind --notify {TAG}")


def test_install_bad_time(run: Run, crontab_file: Path) -> None:
    result = run("remind", "install", "--at", "25:00")
    assert result.exit_code == 2 and "--at" in result.stderr
    assert not crontab_file.exists()


def test_install_print_changes_nothing(run: Run, db_path: Path, crontab_file: Path) -> None:
    result = run("remind", "install", "--print", "--at", "08:00", "--at", "20:00")
    assert result.exit_code == 0
    assert not crontab_file.exists()
    out = result.stdout
    assert f"0 8 * * * BACKCARE_DB={db_path}" in out and f"0 20 * * * BACKCARE_DB={db_path}" in out
    assert "backcare-remind.service" in out and "backcare-remind.timer" in out
    assert "Type=oneshot" in out and f"Environment=BACKCARE_DB={db_path}" in out
    assert "OnCalendar=*-*-* 08:00:00" in out and "OnCalendar=*-*-* 20:00:00" in out
    assert "Persistent=true" in out


def test_real_crontab_unavailable_is_a_clear_error(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BACKCARE_CRONTAB_FILE")
    result = run("remind", "show")  # the `crontab` program is patched away
    assert result.exit_code == 1 and "crontab" in result.stderr and "--print" in result.stderr


# --- the installed command in cron's environment ------------------------------------------


def cron_env(tmp_path: Path, *, db: Path, **extra: str) -> list[str]:
    home = tmp_path / "cronhome"
    home.mkdir(exist_ok=True)
    pairs = {"PATH": "/usr/bin:/bin", "HOME": str(home), "BACKCARE_DB": str(db), **extra}
    return ["env", "-i", *(f"{k}={v}" for k, v in pairs.items())]


def run_cron(argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


@pytest.fixture
def cron_db(tmp_path: Path) -> Path:
    db = tmp_path / "crondata" / "backcare.db"
    made = subprocess.run(
        [str(BACKCARE), "--db", str(db), "log", "5", "--at", "2025-03-03 08:00"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    return db


@pytest.mark.slow
def test_env_i_silent_when_nothing_is_due(tmp_path: Path, cron_db: Path) -> None:
    env = cron_env(tmp_path, db=cron_db, TZ="Europe/London")
    for as_of in ("2025-03-03 19:00", "2025-03-03 21:00"):
        done = run_cron([*env, str(BACKCARE), "remind", "--as-of", as_of])
        assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


@pytest.mark.slow
def test_env_i_one_line_when_not_logged(tmp_path: Path, cron_db: Path) -> None:
    env = cron_env(tmp_path, db=cron_db, TZ="Europe/London")
    done = run_cron([*env, str(BACKCARE), "remind", "--as-of", "2025-03-04 20:30"])
    assert done.returncode == 0 and done.stderr == b""
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("backcare: log-today: ")
    assert lines[1].startswith("backcare: measure-due: ")  # issue 16: STarT Back at the start
    assert b"\x1b" not in done.stdout + done.stderr


@pytest.mark.slow
def test_env_i_missing_database_fails_to_stderr(tmp_path: Path) -> None:
    env = cron_env(tmp_path, db=tmp_path / "typo.db")
    done = run_cron([*env, str(BACKCARE), "remind"])
    assert done.returncode == 1 and done.stdout == b""
    assert b"typo.db" in done.stderr and b"Traceback" not in done.stderr
    assert b"\x1b" not in done.stderr
    assert not (tmp_path / "typo.db").exists()


@pytest.mark.slow
def test_env_i_runs_the_installed_crontab_line(tmp_path: Path, cron_db: Path) -> None:
    """Install under env -i, then run the crontab entry's command the way cron does."""
    tab = tmp_path / "crontab"
    env = cron_env(tmp_path, db=cron_db, BACKCARE_CRONTAB_FILE=str(tab))
    done = run_cron([*env, str(BACKCARE), "remind", "install", "--at", "20:00"])
    assert done.returncode == 0, done.stderr
    from crontab import CronTab

    (job,) = CronTab(tabfile=str(tab)).find_comment("backcare-remind")
    words = shlex.split(job.command)
    assert words[0] == f"BACKCARE_DB={cron_db}" and words[1] == str(BACKCARE)
    # cron: sh -c COMMAND with a bare environment, and no BACKCARE_DB of its own
    bare = ["env", "-i", "PATH=/usr/bin:/bin", f"HOME={tmp_path / 'cronhome'}", "SHELL=/bin/sh"]
    # pain logged "now" in a second DB, so nothing is due whatever the clock says
    fresh = tmp_path / "fresh.db"
    subprocess.run(
        [str(BACKCARE), "--db", str(fresh), "log", "0"],
        check=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    command = job.command.replace(str(cron_db), str(fresh))
    ran = run_cron([*bare, "/bin/sh", "-c", command])
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, b"", b"")


def test_remind_help_does_not_import_the_database_stack() -> None:
    code = (
        "import sys\n"
        "from backcare.cli.app import app\n"
        "try:\n"
        "    app(['remind', '--help'], prog_name='backcare')\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = [m for m in ('sqlmodel', 'sqlalchemy', 'alembic', 'crontab') if m in sys.modules]\n"
        "print('IMPORTED', bad)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "IMPORTED []" in done.stdout, done.stdout + done.stderr


def test_a_second_database_keeps_the_first_ones_line(
    run: Run, db_path: Path, crontab_file: Path, tmp_path: Path
) -> None:
    # Issue 15: `remind install` for a second database replaced the first one's line.
    crontab_file.write_text(OTHER_JOBS)
    other = tmp_path / "other" / "second.db"
    assert run("remind", "install", "--at", "20:00").exit_code == 0
    result = run("remind", "install", "--at", "21:00", db=other)
    assert result.exit_code == 0, result.stderr
    ours = [x for x in crontab_file.read_text().splitlines() if x.endswith(TAG)]
    assert len(ours) == 2
    by_db = {shlex.split(x.removesuffix(TAG))[5]: x.split()[:2] for x in ours}
    assert by_db == {f"BACKCARE_DB={db_path}": ["0", "20"], f"BACKCARE_DB={other}": ["0", "21"]}
    # Reinstalling one database replaces only its own line.
    run("remind", "install", "--at", "07:00", db=other)
    ours = [x for x in crontab_file.read_text().splitlines() if x.endswith(TAG)]
    assert sorted(x.split()[:2] for x in ours) == [["0", "20"], ["0", "7"]]
    assert crontab_file.read_text().startswith(OTHER_JOBS)
