"""Schema migrations with Alembic, configured in code. Imported only when a DB needs one."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from backcare import safefile
from backcare.store.schema import HEAD, SQLITE_HEADER

BACKUPS_KEPT = 5


def migrations_dir() -> Path:
    """`migrations/` inside the installed wheel, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent.parent / "migrations"
    if (packaged / "env.py").exists():
        return packaged
    return Path(__file__).resolve().parents[3] / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def script_revisions() -> list[str]:
    """Every revision in the scripts, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _is_backup(path: Path) -> bool:
    """A finished backup: a SQLite header, and whole pages as many as the header counts (an
    empty or cut-short copy left by an older backcare, or anything else, is not one)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        return False
    raw = int.from_bytes(header[16:18], "big")
    page = 65536 if raw == 1 else raw
    pages = int.from_bytes(header[28:32], "big")
    return page >= 512 and size % page == 0 and size >= pages * page


def backup_before_migration(path: Path, from_revision: str) -> Path:
    """A consistent copy of the DB beside it (SQLite backup API), 0600; keep the newest few.

    Written to a private temporary name (safefile), fsynced, and only then renamed to
    `<db>.<revision>.<stamp>.bak`: a kill or a full disk mid-copy leaves no empty or partial
    file under a backup's name. The rotation counts finished backups only (`_is_backup`),
    so files that are not would never push a good backup out.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{from_revision}.{stamp}.bak")
    with safefile.temp_beside(target) as temp:
        source = sqlite3.connect(path)
        try:
            dest = sqlite3.connect(temp)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        safefile.fsync_path(temp)
        safefile.replace(temp, target)
    # Only migration backups (`<db>.<revision>.<stamp>.bak`), never before-restore copies.
    pattern = f"{path.name}.[0-9][0-9][0-9][0-9]_*.bak"
    old = sorted(
        (p for p in path.parent.glob(pattern) if _is_backup(p)), key=lambda p: p.stat().st_mtime
    )
    for stale in old[:-BACKUPS_KEPT]:
        stale.unlink(missing_ok=True)
    return target


def upgrade(engine: Engine, path: Path, *, from_revision: str | None, target: str = "head") -> None:
    """Bring the DB to `target` in one IMMEDIATE transaction; an existing DB is backed up first.

    `from_revision` is what the caller read before taking any lock; another backcare may
    have migrated the file since. So the revision is read again under the write lock, and
    the lock is held from that read to the commit of the last step. (Left to itself,
    Alembic runs each SQLite revision in a transaction of its own: between two of them a
    second process could see revision 1, take over, and make the first fail on its next
    step, as two `backcare` commands racing to create a new DB once did.)
    """
    if from_revision is None:
        # WAL is persistent in the file, and cannot be switched on inside a transaction.
        raw = sqlite3.connect(path)
        try:
            raw.execute("PRAGMA journal_mode=WAL")
        finally:
            raw.close()
    with _write_locked(engine) as connection:
        current = _current_revision(connection)
        if current == (HEAD if target == "head" else target):
            return  # another backcare got there first
        if current is not None:
            # A file we cannot write fails here, before a full copy is made (a write-
            # protected old-revision DB once got a new backup on every command).
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            # WAL readers see the committed state: a consistent copy while we hold the lock.
            backup_before_migration(path, current)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, target)


@contextmanager
def _write_locked(engine: Engine) -> Iterator[Connection]:
    """A connection in one IMMEDIATE transaction, committed on success.

    Begun here, the transaction is "external" to Alembic, which then runs every step in it.
    """
    with engine.execution_options(backcare_write=True).connect() as connection, connection.begin():
        yield connection


def _current_revision(connection: Connection) -> str | None:
    has_table = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
    ).first()
    if has_table is None:
        return None
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def downgrade(engine: Engine, target: str) -> None:
    config = alembic_config()
    with _write_locked(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)
