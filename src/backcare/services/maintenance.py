"""Use cases of `db check | backup | restore | upgrade | purge`.

`check` never opens the store (which would migrate): it reads the file read-only, so it works
on a damaged or older file and never writes. `backup` reads through SQLite's online backup
API, so it is consistent while other processes write. `restore` verifies the file, keeps a
copy of the current DB, then puts the backup in place. The clock is the caller's (`now`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from backcare import messages as msg
from backcare.errors import StorageError, note_saved

# Schema constants (no SQLAlchemy), re-exported: the CLI reaches the store only through here.
from backcare.store.schema import HEAD as HEAD
from backcare.store.schema import REVISIONS as REVISIONS

if TYPE_CHECKING:
    from backcare.store.integrity import Pending as Pending
    from backcare.store.maintenance import BackupInfo, FileReport


@dataclass(frozen=True)
class Restored:
    info: BackupInfo
    kept: Path | None  # the copy of the DB as it was, None when there was none


@dataclass(frozen=True)
class Upgraded:
    old: str
    new: str
    backup: Path | None  # None: it was up to date, nothing was done


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _existing(path: Path) -> None:
    """StorageError unless `path` is a non-empty SQLite file (missing, empty, not SQLite)."""
    from backcare.store.maintenance import has_sqlite_header

    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        raise StorageError(msg.DB_MISSING.format(path=path), msg.DB_MISSING_HINT)
    if not path.is_file() or not has_sqlite_header(path):
        raise StorageError(msg.DB_NOT_SQLITE.format(path=path), msg.DB_NOT_SQLITE_HINT)


def start_check(path: Path, *, full: bool) -> Pending | None:
    """SQLite's own check of `path`, started in a thread before the rest of `db check` is
    imported (issue 18); hand it to `check`. None when `path` is not a SQLite file: `check`
    says what is wrong."""
    from backcare.store.integrity import start_if_sqlite

    return start_if_sqlite(path.expanduser(), full=full)


def check(path: Path, *, full: bool, now: datetime, started: Pending | None = None) -> FileReport:
    """SQLite's quick_check (integrity_check with `full`) and our invariants, read-only.
    `started`: that check as `start_check` began it, for the same path and `full`."""
    from backcare.store.errors import translate_errors
    from backcare.store.maintenance import check_file

    path = path.expanduser()
    _existing(path)
    with translate_errors(path):
        return check_file(path, full=full, now=now, integrity_of=started)


def default_backup_path(db: Path, now: datetime) -> Path:
    """Beside the DB, dated, and named so that migration-backup rotation (`<db>.*.bak`)
    never deletes it; `-2`, `-3`... when one was already made that second."""
    import os

    base = f"{db.stem}-backup-{_stamp(now)}"
    suffix = db.suffix or ".db"
    target = db.with_name(base + suffix)
    n = 1
    while os.path.lexists(target):
        n += 1
        target = db.with_name(f"{base}-{n}{suffix}")
    return target


def backup(path: Path, *, target: Path | None, now: datetime) -> BackupInfo:
    from backcare.store import maintenance
    from backcare.store.errors import translate_errors

    path = path.expanduser()
    _existing(path)
    target = (target or default_backup_path(path, now)).expanduser()
    with translate_errors(path):
        return maintenance.backup(path, target)


def describe(path: Path) -> BackupInfo:
    """A candidate for restore, verified (what the confirmation question shows)."""
    from backcare.store import maintenance
    from backcare.store.errors import translate_errors

    path = path.expanduser()
    with translate_errors(path):
        return maintenance.verify(path)


def entry_count(path: Path) -> int | None:
    """Entries in the DB now (for the restore question); None if it is missing or unreadable."""
    from backcare.store import maintenance

    return maintenance.entry_count(path)


def restore(path: Path, *, backup_file: Path, now: datetime) -> Restored:
    from backcare.store import maintenance
    from backcare.store.errors import translate_errors

    path = path.expanduser()
    with translate_errors(path):
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")  # as migration backups
        info, kept = maintenance.restore(backup_file.expanduser(), path, stamp=stamp)
    note_saved()
    return Restored(info=info, kept=kept)


def upgrade(path: Path) -> Upgraded:
    """Run pending migrations now (they also run on the next command)."""
    from backcare.store.engine import open_store
    from backcare.store.errors import translate_errors
    from backcare.store.maintenance import quick_check_ok, readable_revision

    path = path.expanduser()
    _existing(path)
    with translate_errors(path):
        old = readable_revision(path)  # None when unreadable: open_store says what is wrong
        if old is not None and not quick_check_ok(path):
            raise StorageError(msg.DB_DAMAGED.format(path=path), msg.DB_DAMAGED_HINT)
    if old == HEAD:
        return Upgraded(old=HEAD, new=HEAD, backup=None)
    open_store(path, create=False).close()  # refuses newer and damaged files
    backups = sorted(path.parent.glob(f"{path.name}.{old}.*.bak"), key=lambda p: p.stat().st_mtime)
    return Upgraded(old=old or "?", new=HEAD, backup=backups[-1] if backups else None)


def deleted_count(path: Path) -> int:
    """Soft-deleted entries that `purge` would remove (for its question)."""
    from backcare.services import _opened
    from backcare.store.maintenance import deleted_entries

    with _opened(path, create=False) as store, store.read() as session:
        return deleted_entries(session)


def purge(path: Path) -> int:
    """Hard-delete soft-deleted entries (the only hard delete); returns how many. The action
    journal is cleared in the same transaction: undo never reaches past a purge."""
    from backcare.services import _opened
    from backcare.store import journal, repo

    with _opened(path, create=False) as store, store.write() as session:
        journal.clear(session)
        return repo.purge_deleted(session)
