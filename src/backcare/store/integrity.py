"""SQLite's own check of a file, in a thread of its own: what `db check` starts first.

`db check --full` is judged against SQLite's integrity_check alone (issue 18: <= 1.5x), so
the check starts before the rest of the command is imported: this module needs `sqlite3`
and the standard library only. `store.maintenance.check_file` runs our rules over the rows
on its own connection while this thread reads the file (sqlite3 lets go of the GIL inside
SQLite), so on a machine with a spare core the imports and the rows scan hide under it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from backcare.store.schema import SQLITE_HEADER

_T = TypeVar("_T")
BUSY_TIMEOUT_S = 30.0  # how long a command waits for another's write (engine derives its ms)

Pending = Callable[[], tuple[str, ...]]  # waits for the check's lines (or raises its error)


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection (committed WAL content included); never creates the file."""
    uri = f"file:{quote(str(path))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def sqlite_check(conn: sqlite3.Connection, *, full: bool, limit: int = 20) -> tuple[str, ...]:
    """SQLite's own check: quick_check (O(N), no index contents) or integrity_check."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = conn.execute(f"PRAGMA {pragma}({limit})").fetchall()
    except sqlite3.DatabaseError as exc:
        if is_busy(exc):  # another program holds the file: busy, not damaged (review s5)
            raise
        return (str(exc),)
    return tuple(str(r[0]) for r in rows)


def is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def checked(path: Path, *, full: bool) -> tuple[str, ...]:
    with closing(connect_ro(path)) as conn:
        return sqlite_check(conn, full=full)


def start(path: Path, *, full: bool) -> Pending:
    """SQLite's check of `path`, started in a thread; the function returned waits for it."""
    return beside(lambda: checked(path, full=full))


def start_if_sqlite(path: Path, *, full: bool) -> Pending | None:
    """`start` for a regular file with SQLite's header; None for anything else (what is
    wrong with it is said by the check proper, which then runs without this)."""
    try:
        if not path.is_file() or not has_sqlite_header(path):
            return None
    except OSError:
        return None
    return start(path, full=full)


def beside(work: Callable[[], _T]) -> Callable[[], _T]:
    """Start `work` in a thread; the function returned waits for its result (or raises its
    error). A daemon thread: an interrupted command does not wait for it."""
    import threading

    done: list[_T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:  # handed to the caller, raised there
            failed.append(exc)

    thread = threading.Thread(target=run, name="backcare-sqlite-check", daemon=True)
    thread.start()

    def result() -> _T:
        thread.join()
        if failed:
            raise failed[0]
        return done[0]

    return result
