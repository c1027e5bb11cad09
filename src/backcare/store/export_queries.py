"""Store queries for export and import: bulk reads that stream, and inserts that keep uids.

`repo` hides soft-deleted rows from every read; the lossless JSON export and the idempotent
import need them (a merge must not bring back a row the person deleted, and must know a uid
is taken even when its row is deleted). The bulk reads select columns with SQLAlchemy Core
instead of loading ORM instances: at 100k rows that halves the time of an export, and rows
are fetched `STREAM_ROWS` at a time, so memory stays flat. Rows become domain events with
repo's own converters, in time order (then pain / treatment / symptom, then row id).
`iter_events` is the one merged, streamed read of live events (history and exports).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select as core_select
from sqlmodel import SQLModel, col, select

from backcare.bulk import gc_paused
from backcare.domain import entries
from backcare.domain.model import (
    Event,
    Prescription,
    Profile,
    StoredEvent,
)
from backcare.store import declared, repo
from backcare.store.engine import Session
from backcare.store.rows import iter_event_rows  # noqa: F401  (re-exported)
from backcare.store.tables import (
    EVENT_TABLES,
    PrescriptionRow,
    ProfileRow,
)

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Row

# SQLite's default limit of bound parameters is 32766 (999 before 3.32): stay well below.
INSERT_CHUNK = 5000
STREAM_ROWS = 2000

_BOOKKEEPING = ("created_at", "deleted_at")
_T = TypeVar("_T")


def _rows(
    session: Session,
    table: type[SQLModel],
    *,
    since: datetime | None,
    until: datetime | None,
    live: bool,
) -> Iterator[Row]:
    """Rows of `table` (Core, not ORM) with since <= at <= until, by (at, id), streamed."""
    t: Table = table.__table__  # type: ignore[attr-defined]  # SQLModel does not declare it
    columns = [c for c in t.columns if not (live and c.name in _BOOKKEEPING)]
    query = core_select(*columns)
    if live:
        query = query.where(t.c.deleted_at.is_(None))
    if since is not None:
        query = query.where(t.c.at >= since)
    if until is not None:
        query = query.where(t.c.at <= until)
    query = query.order_by(t.c.at, t.c.id)
    connection = session.connection().execution_options(yield_per=STREAM_ROWS)
    yield from connection.execute(query)


def _merged(
    session: Session,
    make: Callable[[str, Row], _T],
    key: Callable[[_T], datetime],
    *,
    since: datetime | None,
    until: datetime | None,
    live: bool,
) -> Iterator[_T]:
    def stream(letter: str, table: type[SQLModel]) -> Iterator[_T]:
        for row in _rows(session, table, since=since, until=until, live=live):
            yield make(letter, row)

    streams = [stream(letter, table) for letter, table in EVENT_TABLES.items()]
    yield from heapq.merge(*streams, key=key)


def iter_events(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[Event]:
    """Live events with since <= at <= until in time order: the one stream of events."""

    def make(letter: str, row: Row) -> Event:
        return repo.TO_DOMAIN[letter](row)  # type: ignore[no-any-return]

    return _merged(session, make, lambda e: e.at, since=since, until=until, live=True)


def iter_records(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[StoredEvent]:
    """Every stored event (live and soft-deleted) with since <= at <= until, in time order.

    Ties in `at` keep a fixed order (pain, treatment, symptom; then row id), so an export,
    imported into an empty database and exported again, comes out the same.
    """

    def make(letter: str, row: Row) -> StoredEvent:
        event = repo.TO_DOMAIN[letter](row)
        return StoredEvent(event=event, created_at=row.created_at, deleted_at=row.deleted_at)

    return _merged(session, make, lambda r: r.event.at, since=since, until=until, live=False)


def stored_profile(session: Session) -> Profile | None:
    """The profile, or None when none was ever saved (not the empty default)."""
    if session.get(ProfileRow, 1) is None:
        return None
    return repo.get_profile(session)


def _uids_of(session: Session, table: type[SQLModel]) -> set[str]:
    """Every uid of `table` (deleted rows too): one SELECT, held as a set."""
    t: Table = table.__table__  # type: ignore[attr-defined]
    return set(session.connection().execute(core_select(t.c.uid)).scalars())


def stored_uids(session: Session) -> frozenset[str]:
    """Every uid stored in a table of a declared kind (deleted rows too): one `SELECT uid`
    per table, read from the session's DBAPI connection without result-row objects (issue
    18: a re-import decides "nothing new" from this set before building anything)."""
    dbapi = session.connection().connection.driver_connection
    found: set[str] = set()
    for kind in entries.KINDS:
        found.update(uid for (uid,) in dbapi.execute(f'SELECT uid FROM "{kind.table}"'))  # type: ignore[union-attr]
    return frozenset(found)


def existing_uids(session: Session, uids: Iterable[str]) -> set[str]:
    """The uids of `uids` already used by a stored event of any type (deleted ones too).

    One `SELECT uid` per table and a set in memory: a re-import of 100k events asks three
    queries, not one per table per 500 uids (issue 18).
    """
    wanted = set(uids)
    if not wanted:
        return set()
    found: set[str] = set()
    for table in EVENT_TABLES.values():
        found |= wanted & _uids_of(session, table)
    return found


# Domain record -> (INSERT statement, its parameters), one per event kind, from its declaration.
def _insert_sql(kind: entries.Kind) -> str:
    columns = declared.insert_columns(kind)
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{kind.table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


_TO_PARAMS = {
    kind.model: (kind.letter, _insert_sql(kind), declared.to_params(kind))
    for kind in entries.EVENT_KINDS
}


def insert_records(session: Session, records: Iterable[StoredEvent]) -> None:
    """Insert `records` as new rows with their own uid, at, created_at and deleted_at.

    The caller has removed uids already stored (`existing_uids`); a clash left over is a
    constraint error and rolls back the whole transaction. `INSERT_CHUNK` rows at a time
    through the session's DBAPI connection (executemany, inside the session's transaction),
    each row's values from its kind's compiled converter (declared.to_params): memory stays
    flat and no per-value type processing runs (issue 18).
    """
    dbapi = session.connection().connection.driver_connection
    pending: dict[str, list[tuple[object, ...]]] = {}
    sql: dict[str, str] = {}

    def flush(letter: str) -> None:
        dbapi.executemany(sql[letter], pending[letter])  # type: ignore[union-attr]
        pending[letter] = []

    with gc_paused():  # a bulk loop (backcare/bulk.py)
        for record in records:
            event = record.event
            found = _TO_PARAMS.get(type(event))
            if found is None:
                raise TypeError(f"not an event: {type(event).__name__}")
            letter, statement, params = found
            rows = pending.get(letter)
            if rows is None:
                rows = pending[letter] = []
                sql[letter] = statement
            rows.append(params(event, record.created_at, record.deleted_at))
            if len(rows) >= INSERT_CHUNK:
                flush(letter)
        for letter, rows in pending.items():
            if rows:
                flush(letter)


# --- prescriptions (issue 12): exported and imported by uid, like events ------------------


def iter_prescription_records(
    session: Session,
) -> list[tuple[Prescription, datetime, datetime | None]]:
    """Every prescription (live and soft-deleted), by `at` then id, with its bookkeeping."""
    rows = session.exec(
        select(PrescriptionRow).order_by(col(PrescriptionRow.at), col(PrescriptionRow.id))
    ).all()
    return [(repo.prescription_of(row), row.created_at, row.deleted_at) for row in rows]


def existing_prescription_uids(session: Session, uids: Iterable[str]) -> set[str]:
    """The uids of `uids` already used by a stored prescription (deleted ones too)."""
    wanted = set(uids)
    return wanted & _uids_of(session, PrescriptionRow) if wanted else set()


def insert_prescriptions(
    session: Session, records: Sequence[tuple[Prescription, datetime, datetime | None]]
) -> None:
    for p, created_at, deleted_at in records:
        session.add(
            PrescriptionRow(
                uid=p.uid,
                at=p.at,
                created_at=created_at,
                deleted_at=deleted_at,
                drug=p.drug,
                dose_mg=p.dose_mg,
                every_minutes=None if p.every is None else int(p.every.total_seconds() // 60),
                max_daily_mg=p.max_daily_mg,
                until=p.until,
                stopped_at=p.stopped_at,
                relaxant=p.relaxant,
                note=p.note,
            )
        )
    session.flush()
