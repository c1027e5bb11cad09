"""Structural startup budgets (docs/design.md "Budgets"), checked by imports rather than timings.

Each case runs the CLI in a fresh interpreter and reports which of the heavy packages ended up
in `sys.modules`: `--help` and `--version` must not import the database stack (nor pydantic,
nor Rich tables), and the everyday commands on an up-to-date DB must not import Alembic.
Timings themselves live in benchmarks/run.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backcare.cli.app import COMMANDS

# Runs `backcare ARGV...` in-process, then writes the exit code and the loaded heavy modules
# to OUT as JSON (also when the CLI leaves through os._exit to skip interpreter teardown).
PROBE = """
import json, os, sys
def report(code):
    watched = json.loads(os.environ["PROBE_WATCH"])
    loaded = sorted(m for m in watched if m in sys.modules)
    with open(os.environ["PROBE_OUT"], "w") as out:
        json.dump({"code": code, "loaded": loaded}, out)
real_exit = os._exit
os._exit = lambda code: (report(code), real_exit(code))
sys.argv = ["backcare", *json.loads(os.environ["PROBE_ARGV"])]
from backcare.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
report(code)
"""

DB_STACK = ["sqlmodel", "sqlalchemy", "alembic"]
SPREADSHEET = ["xlsxwriter", "openpyxl"]  # only `export xlsx` / `import FILE.xlsx` load them


def probe(tmp_path: Path, argv: list[str], watch: list[str]) -> tuple[int, list[str]]:
    out = tmp_path / "probe.json"
    out.unlink(missing_ok=True)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    env.update(
        PROBE_ARGV=json.dumps(argv),
        PROBE_WATCH=json.dumps(watch),
        PROBE_OUT=str(out),
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        NO_COLOR="1",
        TZ="Europe/London",
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.exists(), f"the probe did not finish:\n{done.stderr}"
    result = json.loads(out.read_text())
    return result["code"], result["loaded"]


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_no_database_stack(tmp_path: Path, argv: list[str]) -> None:
    code, loaded = probe(tmp_path, argv, [*DB_STACK, *SPREADSHEET, "pydantic", "rich.table"])
    assert code == 0
    assert loaded == []


def test_symptom_list_imports_no_database_stack(tmp_path: Path) -> None:
    # Not pydantic: Typer itself imports it (typer._adapters) to coerce any command's params.
    code, loaded = probe(tmp_path, ["symptom", "--list"], [*DB_STACK, *SPREADSHEET, "rich.table"])
    assert code == 0
    assert loaded == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["log", "5", "--spasms", "1"],
        ["treat", "ibuprofen", "--dose", "200"],
        ["symptom", "night-pain"],
        ["check"],
        ["status"],
        ["remind"],
        ["edit", "p1", "--pain", "4"],
        ["delete", "p1", "--yes"],
        ["undo", "--yes"],
    ],
    ids=lambda argv: argv[0],
)
def test_hot_commands_on_a_db_at_head_import_no_orm(tmp_path: Path, argv: list[str]) -> None:
    """The hot commands (issue 18) run on the Core tables of store/core.py: no Alembic, no
    SQLModel (nor the pydantic models it builds), no SQLAlchemy ORM, no table classes."""
    db = str(tmp_path / "data" / "backcare.db")
    code, loaded = probe(tmp_path, ["--db", db, "log", "3"], ["alembic"])
    assert code == 0
    assert loaded == ["alembic"]  # creating the DB migrates it: the probe does see Alembic

    orm = ["sqlmodel", "sqlalchemy.orm", "backcare.store.tables"]
    code, loaded = probe(tmp_path, ["--db", db, *argv], ["alembic", *orm, *SPREADSHEET])
    assert code == 0
    assert loaded == []


COMMAND_MODULES = sorted({f"backcare.cli.{module}" for _, module, _ in COMMANDS})


def test_help_builds_no_command(tmp_path: Path) -> None:
    """`--help` lists the commands from cli/app.py's table: no command module is imported."""
    code, loaded = probe(tmp_path, ["--help"], COMMAND_MODULES)
    assert code == 0
    assert loaded == []


@pytest.mark.slow
def test_a_command_imports_its_own_module_alone(tmp_path: Path) -> None:
    """`log` builds `log` alone: no other command module is imported (issue 18)."""
    db = str(tmp_path / "data" / "backcare.db")
    code, loaded = probe(tmp_path, ["--db", db, "log", "3"], COMMAND_MODULES)
    assert code == 0
    assert loaded == ["backcare.cli.entries"]


@pytest.mark.slow
def test_db_check_imports_neither_typer_nor_the_database_stack(tmp_path: Path) -> None:
    """`db check --full` is judged against SQLite's integrity_check alone (issue 18): it is
    answered before Typer (and pydantic) are imported, and reads the file with sqlite3."""
    db = str(tmp_path / "data" / "backcare.db")
    code, _ = probe(tmp_path, ["--db", db, "log", "3"], [])
    assert code == 0
    for options in (["--full"], ["--json"], []):
        code, loaded = probe(
            tmp_path, ["--db", db, "db", "check", *options], [*DB_STACK, "typer", "pydantic"]
        )
        assert code == 0
        assert loaded == []


@pytest.mark.slow
def test_a_reimport_that_adds_nothing_imports_no_database_stack(tmp_path: Path) -> None:
    """Importing a file whose every entry is stored already decides so from the uids read
    with sqlite3 (store/maintenance.py): no ORM import, so it stays a fraction of a fresh
    import (issue 18: <= 0.3x). A file that adds something still goes through the store."""
    db = str(tmp_path / "data" / "backcare.db")
    export = tmp_path / "export.json"
    for argv in (["log", "3", "--at", "2026-03-01 08:00"], ["log", "5"]):
        code, _ = probe(tmp_path, ["--db", db, *argv], [])
        assert code == 0
    code, _ = probe(tmp_path, ["--db", db, "export", "json", "-o", str(export)], [])
    assert code == 0
    code, loaded = probe(tmp_path, ["--db", db, "import", str(export)], DB_STACK)
    assert code == 0
    assert loaded == []
    other = str(tmp_path / "data" / "other.db")
    code, loaded = probe(tmp_path, ["--db", other, "import", str(export)], ["sqlalchemy"])
    assert code == 0
    assert loaded == ["sqlalchemy"]
