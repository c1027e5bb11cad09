"""The shared fixtures stay honest: the copied template is what a real migration makes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from backcare.store.engine import open_store
from tests.conftest import Run


def schema(path: Path) -> tuple[list[tuple[str, str, list[str]]], list[tuple[str]], str]:
    """Every table and index with the lines of its SQL, the revision, the journal mode.

    The lines are sorted: Alembic's batch mode re-creates a table with its CHECK constraints
    in set order, which differs from one process to the next (string hashing is seeded).
    """
    conn = sqlite3.connect(path)
    try:
        objects = [
            (kind, name, sorted(line.strip(" ,") for line in (sql or "").splitlines()))
            for kind, name, sql in conn.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()
    return objects, version, mode


def test_a_db_made_by_a_command_equals_a_real_migration(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    assert run("log", "4", "--at", "2026-03-02 09:00").exit_code == 0
    migrated = tmp_path / "migrated.db"
    open_store(migrated, create=True).close()  # not db_path: the real Alembic migration
    assert schema(db_path) == schema(migrated)
    assert db_path.stat().st_mode & 0o777 == 0o600
    assert db_path.parent.stat().st_mode & 0o777 == 0o700


def test_read_commands_still_create_nothing(run: Run, db_path: Path) -> None:
    assert run("status").exit_code == 1
    assert not db_path.exists() and not db_path.parent.exists()
