"""The schema: a blank DB migrates to head, the models and migrations agree, head is cheap."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from backcare.store import migrate
from backcare.store.engine import open_store
from backcare.store.schema import HEAD, REVISIONS
from backcare.store.tables import metadata


def test_revisions_constant_matches_the_scripts() -> None:
    assert migrate.script_revisions() == list(REVISIONS)
    assert REVISIONS[-1] == HEAD


def test_blank_db_migrates_to_head(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    store = open_store(path, create=True)
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"pain_entry", "treatment", "symptom_report", "profile", "episode"} <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_models_and_migrations_describe_the_same_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path / "schema.db", create=True)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    store.close()
    assert diff == []


def test_column_types_match(tmp_path: Path) -> None:
    """compare_type is off above (UTCDateTime is stored as text); check types by affinity."""
    store = open_store(tmp_path / "types.db", create=True)
    store.close()
    conn = sqlite3.connect(tmp_path / "types.db")
    for table in metadata.sorted_tables:
        declared = {r[1]: r[2].upper() for r in conn.execute(f'PRAGMA table_info("{table.name}")')}
        for column in table.columns:
            compiled = column.type.compile(dialect=store.engine.dialect).upper()
            assert declared[column.name] == compiled, (table.name, column.name)


def test_up_to_date_open_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "head.db"
    open_store(path, create=True).close()
    code = (
        "import sys; from pathlib import Path; from backcare.store.engine import open_store;"
        f"open_store(Path({str(path)!r}), create=False).close();"
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_newer_db_is_refused_untouched(tmp_path: Path) -> None:
    from backcare.errors import StorageError

    path = tmp_path / "newer.db"
    open_store(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="newer backcare"):
        open_store(path, create=True)
    assert path.read_bytes() == before


def _commits_during_upgrade(path: Path, *, from_revision: str | None) -> int:
    from sqlalchemy import event

    from backcare.store.engine import _make_engine

    engine = _make_engine(path)
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    try:
        migrate.upgrade(engine, path, from_revision=from_revision)
    finally:
        engine.dispose()
    return len(commits)


def test_a_new_db_is_migrated_in_one_transaction(tmp_path: Path) -> None:
    """Every revision under one write lock: no moment at which another process sees a DB
    half-way through (at revision 1) and starts migrating it too, which once made two
    commands creating the same new DB fail."""
    path = tmp_path / "new.db"
    path.touch(mode=0o600)
    assert len(REVISIONS) > 1  # otherwise this test shows nothing
    assert _commits_during_upgrade(path, from_revision=None) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]


def test_upgrade_rereads_the_revision_under_the_lock(tmp_path: Path) -> None:
    """A caller that read an old revision before another backcare migrated the file:
    nothing to do, no backup of a DB that is already current, no error."""
    path = tmp_path / "raced.db"
    open_store(path, create=True).close()
    before = sorted(p.name for p in tmp_path.iterdir())
    _commits_during_upgrade(path, from_revision=REVISIONS[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
