"""Store queries for export and import: every stored row, soft-deleted ones included.

`repo` hides soft-deleted rows from every read; the lossless JSON export and the idempotent
import need them (a merge must not bring back a row the person deleted, and must know a uid
is taken even when its row is deleted). Reads stream (`yield_per`) and return the export
writers' `ExportRecord`; writes take the importer's records and keep their uids and
timestamps.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from backcare.domain.model import PainEntry, Profile, SymptomReport, Treatment
from backcare.export.records import ExportRecord
from backcare.store import repo
from backcare.store.tables import (
    EVENT_TABLES,
    PainEntryRow,
    ProfileRow,
    SymptomReportRow,
    TreatmentRow,
)

# SQLite's default limit of bound parameters is 32766 (999 before 3.32): stay well below.
UID_CHUNK = 500
INSERT_CHUNK = 5000
STREAM_ROWS = 2000


def _all_rows(table: Any, since: datetime | None, until: datetime | None) -> Any:
    query = select(table)
    if since is not None:
        query = query.where(col(table.at) >= since)
    if until is not None:
        query = query.where(col(table.at) <= until)
    return query.order_by(col(table.at), col(table.id))


def iter_records(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> Iterator[ExportRecord]:
    """Every stored event (live and soft-deleted) with since <= at <= until, in time order.

    Ties in `at` keep a fixed order (pain, treatment, symptom; then row id), so an export,
    imported into an empty database and exported again, comes out the same.
    """

    def stream(letter: str, table: Any) -> Iterator[ExportRecord]:
        convert = repo.TO_DOMAIN[letter]
        for row in session.exec(_all_rows(table, since, until)).yield_per(STREAM_ROWS):
            yield ExportRecord(
                event=convert(row), created_at=row.created_at, deleted_at=row.deleted_at
            )

    streams = [stream(letter, table) for letter, table in EVENT_TABLES.items()]
    yield from heapq.merge(*streams, key=lambda record: record.event.at)


def stored_profile(session: Session) -> Profile | None:
    """The profile, or None when none was ever saved (not the empty default)."""
    if session.get(ProfileRow, 1) is None:
        return None
    return repo.get_profile(session)


def existing_uids(session: Session, uids: Iterable[str]) -> set[str]:
    """The uids of `uids` already used by a stored event of any type (deleted ones too)."""
    wanted = list(dict.fromkeys(uids))
    found: set[str] = set()
    for start in range(0, len(wanted), UID_CHUNK):
        chunk = wanted[start : start + UID_CHUNK]
        for table in EVENT_TABLES.values():
            uid_column = col(table.uid)  # type: ignore[attr-defined]
            found.update(session.exec(select(uid_column).where(uid_column.in_(chunk))).all())
    return found


def _common(record: ExportRecord) -> dict[str, Any]:
    event = record.event
    return {
        "uid": event.uid,
        "at": event.at,
        "created_at": record.created_at,
        "deleted_at": record.deleted_at,
        "note": event.note,
    }


def _row_values(record: ExportRecord) -> tuple[Any, dict[str, Any]]:
    event = record.event
    values = _common(record)
    if isinstance(event, PainEntry):
        values.update(
            pain=event.pain, spasms=event.spasms, location=event.location, radiates=event.radiates
        )
        return PainEntryRow, values
    if isinstance(event, Treatment):
        values.update(
            kind=event.kind,
            drug=event.drug,
            dose_mg=event.dose_mg,
            minutes=event.minutes,
            relief=event.relief,
            relaxant=event.relaxant,
        )
        return TreatmentRow, values
    if isinstance(event, SymptomReport):
        values.update(code=event.code, present=event.present)
        return SymptomReportRow, values
    raise TypeError(f"not an event: {type(event).__name__}")


def insert_records(session: Session, records: Sequence[ExportRecord]) -> None:
    """Insert `records` as new rows with their own uid, at, created_at and deleted_at.

    The caller has removed uids already stored (`existing_uids`); a clash left over is a
    constraint error and rolls back the whole transaction.
    """
    by_table: dict[Any, list[dict[str, Any]]] = {}
    for record in records:
        table, values = _row_values(record)
        by_table.setdefault(table, []).append(values)
    for table, rows in by_table.items():
        for start in range(0, len(rows), INSERT_CHUNK):
            session.execute(insert(table.__table__), rows[start : start + INSERT_CHUNK])
    session.flush()

