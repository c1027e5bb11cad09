"""The raw event rows of the big CSV export (issue 18), apart from export_queries so that
`export csv` imports neither the table mapping (store/tables.py, SQLModel classes) nor
repo: it reads declared columns straight from the session's connection."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from backcare.domain import entries

if TYPE_CHECKING:
    from backcare.store.engine import Session


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # as UTCDateTime stores


def _live_between(
    since: datetime | None, until: datetime | None, *, live: bool = True
) -> tuple[str, list[str]]:
    """The WHERE condition (and its parameters) of rows with since <= at <= until, only the
    live ones unless `live` is False ("" when nothing is asked)."""
    where = ["deleted_at IS NULL"] if live else []
    bounds: list[str] = []
    if since is not None:
        where.append("at >= ?")
        bounds.append(_utc_text(since))
    if until is not None:
        where.append("at <= ?")
        bounds.append(_utc_text(until))
    return " AND ".join(where), bounds


def iter_event_rows(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    stored: bool = False,
) -> Iterator[entries.RawRow]:
    """Live events with since <= at <= until as raw row tuples (entries.RAW_LEAD, then the
    kind's field columns), in the order of `iter_events`: the big CSV export's read. With
    `stored`, every stored event (soft-deleted ones too, in the order of `iter_records`),
    each row ending with its `created_at` and `deleted_at` (entries.RAW_TAIL): the JSON
    export's read.

    Read straight from the session's own DBAPI connection, inside its transaction: no
    result-row objects, no type conversion, no domain records (issue 18: that machinery
    cost more than writing the file). `at` stays the stored UTC text, whose order is time
    order (the schema's CHECK keeps the one form); the tuples sort in export order (time,
    kind, id), so the per-table streams merge without a key function.
    """
    where, bounds = _live_between(since, until, live=not stored)
    where_sql = f"WHERE {where} " if where else ""
    tail = "".join(f', "{c}"' for c in entries.RAW_TAIL) if stored else ""
    dbapi = session.dbapi()
    streams = []
    for number, kind in enumerate(entries.EVENT_KINDS):
        names = ", ".join(f'"{c}"' for c in entries.raw_columns(kind))
        sql = (
            f'SELECT at, {number}, id, uid, {names}{tail} FROM "{kind.table}" '
            f"{where_sql}ORDER BY at, id"
        )
        streams.append(dbapi.execute(sql, bounds))
    return heapq.merge(*streams)


def has_live(
    session: Session, table: str, *, since: datetime | None = None, until: datetime | None = None
) -> bool:
    """Whether `table` (a declared kind's) holds a live row with since <= at <= until: one
    indexed probe, so an export without questionnaires never loads the table mapping."""
    where, bounds = _live_between(since, until)
    dbapi = session.dbapi()
    sql = f'SELECT 1 FROM "{table}" WHERE {where} LIMIT 1'
    return dbapi.execute(sql, bounds).fetchone() is not None


def record_row(record: entries.Record, order: int = 0) -> entries.RawRow:
    """A domain record (a questionnaire, a check-in: a row that is not an event) in the raw
    rows' order: its stored `at` text, an index after every event kind's (plus `order`, so
    at one instant the events come first, then the records' streams in the order merged),
    its id and uid, then the record itself (`csv_export.iter_csv_rows` writes it through its
    declared row function)."""
    return (
        _utc_text(record.at),
        len(entries.EVENT_KINDS) + order,
        record.id or 0,
        record.uid,
        record,
    )
