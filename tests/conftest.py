"""Shared fixtures: every test gets its own data dir and a fixed local zone.

The CLI runs through `typer.testing.CliRunner` against a real SQLite file under tmp_path;
HOME/XDG dirs point into tmp_path too, so no test can touch a real user's data.

Speed without a fake: a blank DB is migrated once per test session (once per pytest-xdist
worker) into a template. When a command creates the test's DB (`db_path`), the real
`open_store` makes the file, and the migration step copies the template into it instead of
running every Alembic revision again; the real migration then finds the file at head. Read
commands still create nothing, and tests of migrations themselves (other paths, or
`open_store` without this fixture) migrate for real. `test_fixtures.py` checks that the
template and a real migration give the same schema.

Tests marked `slow` (subprocess races, crash rounds, the browser, the installed wheel; all of
tests/reliability) are left out by `pytest -m "not slow"`.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcare.cli.app import app
from backcare.cli.context import local_zone

TZ = "Europe/London"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("BACKCARE_DB", raising=False)
    monkeypatch.delenv("BACKCARE_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TZ", TZ)
    time.tzset()
    local_zone.cache_clear()


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


HERE = Path(__file__).resolve().parent
SLOW_DIRS = ("reliability",)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/reliability is slow (subprocesses, kill rounds, fuzzing)."""
    for item in items:
        if any(part in SLOW_DIRS for part in item.path.relative_to(HERE).parts[:-1]):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def db_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A blank DB migrated to head by the real code, once per session (per xdist worker)."""
    from backcare.store.engine import open_store

    path = tmp_path_factory.mktemp("template") / "backcare.db"
    open_store(path, create=True).close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    finally:
        conn.close()
    yield path


def copy_template_on_create(monkeypatch: pytest.MonkeyPatch, path: Path, template: Path) -> None:
    """When backcare creates the DB at `path`, fill the new empty file from `template`.

    Wraps the migration step (looked up at call time by `open_store`). Anything else (another
    path, an existing DB, a file that is not empty) goes to the real migration untouched.
    """
    from backcare.store import migrate

    real_upgrade = migrate.upgrade

    def upgrade(*args: Any, **kwargs: Any) -> Any:
        target = args[1] if len(args) > 1 else kwargs.get("path")
        new = kwargs.get("from_revision", "unknown") is None
        head = kwargs.get("target", "head") == "head"
        empty = target == path and path.is_file() and path.stat().st_size == 0
        if new and head and empty:
            shutil.copyfile(template, path)  # the file keeps its 0600 mode
        return real_upgrade(*args, **kwargs)

    monkeypatch.setattr(migrate, "upgrade", upgrade)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_template: Path) -> Path:
    """Where the test's DB lives; nothing is created until a command writes."""
    path = tmp_path / "data" / "backcare.db"
    copy_template_on_create(monkeypatch, path, db_template)
    return path


@pytest.fixture
def run(db_path: Path) -> Run:
    """Run `backcare --db <tmp db> ARGS...` in-process; returns exit code, stdout, stderr."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, db: Path | None = None) -> Result:
        result = runner.invoke(app, ["--db", str(db or db_path), *args], input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


def row_counts(path: Path) -> dict[str, int]:
    """Row counts straight from the file with sqlite3 (independent of backcare's code)."""
    if not path.exists():
        return {}
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def file_digest(path: Path) -> bytes:
    import hashlib

    return hashlib.sha256(path.read_bytes()).digest()
