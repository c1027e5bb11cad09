"""SQLite and SQLAlchemy failures as one-line StorageErrors (`translate_errors`).

Apart from store.engine so that commands that read the file with sqlite3 alone (`db check`,
`db backup`, ...) do not import SQLAlchemy to translate their errors (issue 18): an error of
SQLAlchemy's can only occur once SQLAlchemy is imported, so its classes are looked up in
`sys.modules` when an exception is being translated.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backcare import messages as msg
from backcare.errors import StorageError


class _Never(Exception):
    """Stands for SQLAlchemy's errors while SQLAlchemy is not imported: never raised."""


def _sqlalchemy_errors() -> tuple[type[BaseException], type[BaseException]]:
    """(DBAPIError, SQLAlchemyError), or a class nothing raises for each when SQLAlchemy was
    never imported (then nothing can have raised them)."""
    module = sys.modules.get("sqlalchemy.exc")
    if module is None:
        return _Never, _Never
    return module.DBAPIError, module.SQLAlchemyError


CORRUPT_TEXTS = ("not a database", "malformed", "corrupt")


def is_damage(exc: BaseException) -> bool:
    """Whether a SQLite error means a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), as opposed
    to an I/O, permission, space or lock problem with a healthy file."""
    text = str(getattr(exc, "orig", exc)).lower()
    return any(t in text for t in CORRUPT_TEXTS)


def _sqlite_error(exc: BaseException, path: Path) -> StorageError:
    """A plain message for a SQLite failure; never the SQL or its parameters (health data).

    Only a real corruption error says "damaged" and points to a restore: a read-only file,
    a full disk, a file-size limit or an I/O error says so, since restoring a healthy file
    would throw away what was stored since the backup (issue 14 case 10).
    """
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return StorageError(msg.DB_LOCKED.format(path=path), msg.DB_LOCKED_HINT)
    if "disk is full" in text or "full" in text:
        return StorageError(msg.DISK_FULL.format(path=path), msg.DISK_FULL_HINT)
    if "readonly" in text or "read-only" in text or "permission" in text:
        return StorageError(msg.DB_READONLY.format(path=path), msg.DB_READONLY_HINT)
    if is_damage(exc):
        return StorageError(msg.DB_DAMAGED.format(path=path), msg.DB_DAMAGED_HINT)
    if "unable to open" in text:
        return StorageError(msg.DB_CANNOT_OPEN.format(path=path), msg.DB_CANNOT_OPEN_HINT)
    if "i/o error" in text:
        return StorageError(msg.DB_IO_ERROR.format(path=path), msg.DB_IO_ERROR_HINT)
    return StorageError(msg.DB_ERROR.format(path=path), msg.DB_ERROR_HINT)


def _after_interrupt(exc: BaseException) -> bool:
    """Whether `exc` was raised while a Ctrl-C was being handled (SQLAlchemy's clean-up of
    an interrupted transaction can fail in turn) or is SQLite's own "interrupted"."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        if isinstance(seen, sqlite3.OperationalError) and str(seen) == "interrupted":
            return True
        seen = seen.__context__ or getattr(seen, "orig", None)
    return False


@contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite/SQLAlchemy/OS failures into StorageError with a one-line message.

    A failure that followed a Ctrl-C is the Ctrl-C (exit 130, "interrupted"): the
    transaction was rolled back and the file is fine; never "could not be read or written"
    (issue 14 case 10).
    """
    try:
        yield
    except Exception as exc:
        dbapi_error, sqlalchemy_error = _sqlalchemy_errors()
        if isinstance(exc, (sqlite3.Error, dbapi_error)):
            if _after_interrupt(exc):
                raise KeyboardInterrupt from None
            if os.environ.get("BACKCARE_DEBUG"):
                raise  # the developer asked for the details (they may include SQL parameters)
            raise _sqlite_error(exc, path) from None
        if isinstance(exc, sqlalchemy_error):
            if _after_interrupt(exc):
                raise KeyboardInterrupt from None
            raise StorageError(msg.DB_ERROR.format(path=path), msg.DB_ERROR_HINT) from exc
        if not isinstance(exc, OSError):
            raise
        if exc.errno == 28:  # ENOSPC
            raise StorageError(msg.DISK_FULL.format(path=path), msg.DISK_FULL_HINT) from None
        raise StorageError(msg.DB_CANNOT_OPEN.format(path=path), str(exc.strerror)) from None
