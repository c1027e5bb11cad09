"""`db check` answered before Typer is imported (cli/checking.py, issue 18) says and returns
exactly what the Typer command says and returns.

Each case runs the real `backcare` entry point (the fast path) and the Typer app itself in
a subprocess on the same file, and compares exit code, stdout and stderr.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import Run

FAST = "from backcare.cli import run; run()"
TYPER = (
    "import sys, os; from backcare.cli.app import app\n"
    "try:\n    app(prog_name='backcare')\n"
    "except SystemExit as e:\n    sys.stdout.flush(); sys.stderr.flush(); os._exit(e.code or 0)"
)
WATCH = (
    "import sys, os, json, atexit\n"
    "from backcare.cli import main\n"
    "try:\n    main()\nexcept SystemExit as e:\n    code = e.code or 0\n"
    "sys.stdout.flush()\n"
    "print(json.dumps(sorted(m for m in ('typer', 'pydantic', 'sqlalchemy', 'sqlmodel') "
    "if m in sys.modules)), file=sys.stderr)\n"
)


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    home = tmp_path / "home"
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        NO_COLOR="1",
        TZ="Europe/London",
        COLUMNS="100",
    )
    return env


def _both(tmp_path: Path, argv: list[str], **extra: str) -> tuple[tuple, tuple]:
    env = {**_env(tmp_path), **extra}

    def one(code: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    return one(FAST), one(TYPER)


def _raw(db: Path, sql: str) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql)
        conn.commit()


@pytest.fixture
def logged(run: Run, db_path: Path) -> Path:
    for hour in ("08:00", "09:00", "10:00"):
        assert run("log", "4", "--at", f"2026-03-01 {hour}").exit_code == 0
    return db_path


@pytest.mark.slow
@pytest.mark.parametrize(
    "options", [[], ["--full"], ["--json"], ["--full", "--json"], ["--json", "--full"]]
)
def test_sound_and_unsound_files_read_the_same(
    logged: Path, tmp_path: Path, options: list[str]
) -> None:
    argv = ["--db", str(logged), "db", "check", *options]
    fast, typer = _both(tmp_path, argv)
    assert fast == typer and fast[0] == 0
    _raw(logged, "UPDATE pain_entry SET pain = 99, created_at = 'soon' WHERE id = 2")
    fast, typer = _both(tmp_path, argv)
    assert fast == typer and fast[0] == 1
    assert ("[2]" if "--json" in options else "(id 2)") in fast[1]
    assert "backcare: error:" in fast[2]


@pytest.mark.slow
def test_the_db_from_the_equals_form_and_the_environment(logged: Path, tmp_path: Path) -> None:
    fast, typer = _both(tmp_path, [f"--db={logged}", "db", "check", "--json"])
    assert fast == typer and json.loads(fast[1])["path"] == str(logged)
    fast, typer = _both(tmp_path, ["db", "check"], BACKCARE_DB=str(logged))
    assert fast == typer and str(logged) in fast[1]


@pytest.mark.slow
def test_a_missing_file_and_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    fast, typer = _both(tmp_path, ["--db", str(missing), "db", "check", "--full"])
    assert fast == typer and fast[0] == 1 and fast[1] == ""
    other = tmp_path / "notes.txt"
    other.write_text("not a database\n" * 100)
    fast, typer = _both(tmp_path, ["--db", str(other), "db", "check"])
    assert fast == typer and fast[0] == 1


@pytest.mark.slow
def test_db_check_imports_neither_typer_nor_the_orm(logged: Path, tmp_path: Path) -> None:
    """The point of the fast path; anything else still goes through Typer."""
    for argv, expected in (
        (["--db", str(logged), "db", "check", "--full"], []),
        (["--db", str(logged), "db", "check", "--help"], ["pydantic", "typer"]),
        (["--db", str(logged), "db", "check", "--full", "--full"], ["pydantic", "typer"]),
    ):
        done = subprocess.run(
            [sys.executable, "-c", WATCH, *argv],
            env=_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        loaded = json.loads(done.stderr.strip().splitlines()[-1])
        assert loaded == expected, (argv, done.stderr)
