"""Shared fixtures: every test gets its own data dir and a fixed local zone.

The CLI runs through `typer.testing.CliRunner` against a real SQLite file under tmp_path;
HOME/XDG dirs point into tmp_path too, so no test can touch a real user's data.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "backcare.db"


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
