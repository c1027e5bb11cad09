"""Health data is private: data dir 0700, DB file 0600, and the WAL files follow it."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.conftest import Run


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_modes_of_data_dir_db_and_wal(run: Run, db_path: Path) -> None:
    import sqlite3

    assert run("log", "5").exit_code == 0
    assert mode(db_path.parent) == 0o700
    assert mode(db_path) == 0o600
    # Hold a reader open so the -wal/-shm files exist, then write through backcare.
    conn = sqlite3.connect(db_path)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM pain_entry").fetchone()
    assert run("log", "4").exit_code == 0
    wal = db_path.with_name(db_path.name + "-wal")
    shm = db_path.with_name(db_path.name + "-shm")
    assert wal.exists() and shm.exists()
    assert mode(wal) == 0o600 and mode(shm) == 0o600
    conn.close()


def test_default_location_is_the_user_data_dir(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from backcare.cli.app import app

    result = CliRunner().invoke(app, ["log", "5"])
    assert result.exit_code == 0, result.stderr
    created = tmp_path / "home" / ".local" / "share" / "backcare" / "backcare.db"
    assert created.exists() and mode(created) == 0o600
