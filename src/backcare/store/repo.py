"""Repositories: keyword-only, typed functions that take a session and speak domain types.

Reads return domain dataclasses (never table rows), so nothing above the store sees SQLModel.
Soft-deleted rows are invisible to every read here except `get_any` (for undo/purge/export).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from backcare import messages as msg
from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
from backcare.domain.model import Event, History, PainEntry, Profile, SymptomReport, Treatment
from backcare.domain.thresholds import EPISODE_GAP
from backcare.errors import InputError, NotFoundError
from backcare.store.tables import (
    EVENT_TABLES,
    ChangeRow,
    EpisodeRow,
    PainEntryRow,
    ProfileRow,
    SymptomReportRow,
    TreatmentRow,
    UTCDateTime,
    parse_utc,
)

# Fields each event type may have edited (the `at` of any, and its own measures).
EDITABLE: dict[str, tuple[str, ...]] = {
    "p": ("at", "pain", "spasms", "location", "radiates", "note"),
    "t": ("at", "dose_mg", "minutes", "relief", "note"),
    "s": ("at", "present", "note"),
}


def new_uid() -> str:
    return str(uuid.uuid4())


# --- conversions -----------------------------------------------------------------------


def _pain(row: Any) -> PainEntry:
    return PainEntry(
        at=row.at,
        pain=row.pain,
        spasms=row.spasms,
        location=row.location,
        radiates=row.radiates,
        note=row.note,
        id=row.id,
        uid=row.uid,
    )


def _treatment(row: Any) -> Treatment:
    return Treatment(
        at=row.at,
        kind=row.kind,
        drug=row.drug,
        dose_mg=row.dose_mg,
        minutes=row.minutes,
        relief=row.relief,
        relaxant=bool(row.relaxant),
        note=row.note,
        id=row.id,
        uid=row.uid,
    )


def _symptom(row: Any) -> SymptomReport:
    return SymptomReport(
        at=row.at,
        code=row.code,
        present=bool(row.present),
        note=row.note,
        id=row.id,
        uid=row.uid,
    )


TO_DOMAIN: dict[str, Callable[[Any], Event]] = {"p": _pain, "t": _treatment, "s": _symptom}


# --- writes ----------------------------------------------------------------------------


def _insert(session: Session, table: Any, entry: Any, *, now: datetime, uid: str | None) -> Any:
    """One new row from an input model: its fields are the table's columns by design."""
    fields = {name: getattr(entry, name) for name in entry.__dataclass_fields__}
    row = table(uid=uid or new_uid(), created_at=now, **fields)
    session.add(row)
    session.flush()
    return row


def add_pain(
    session: Session, *, entry: NewPain, now: datetime, uid: str | None = None
) -> PainEntry:
    return _pain(_insert(session, PainEntryRow, entry, now=now, uid=uid))


def add_treatment(
    session: Session, *, entry: NewTreatment, now: datetime, uid: str | None = None
) -> Treatment:
    return _treatment(_insert(session, TreatmentRow, entry, now=now, uid=uid))


def add_symptom(
    session: Session, *, entry: NewSymptom, now: datetime, uid: str | None = None
) -> SymptomReport:
    return _symptom(_insert(session, SymptomReportRow, entry, now=now, uid=uid))


# --- reads -----------------------------------------------------------------------------


_UNREAD = ("created_at", "deleted_at")  # not in the domain types: neither read nor parsed


def _live(model: Any, since: datetime | None, until: datetime | None) -> Any:
    """A Core select of a table's live rows: plain rows, no ORM instances to build."""
    table = model.__table__
    query = select(*[c for c in table.c if c.name not in _UNREAD])
    query = query.where(table.c.deleted_at.is_(None))
    if since is not None:
        query = query.where(table.c.at >= since)
    if until is not None:
        query = query.where(table.c.at <= until)
    return query.order_by(table.c.at, table.c.id)


def load_history(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> History:
    """Live events with since <= at <= until (either bound optional), oldest first."""
    onsets = session.exec(
        select(EpisodeRow.at)
        .where(col(EpisodeRow.deleted_at).is_(None))
        .order_by(col(EpisodeRow.at))
    ).all()
    conn = session.connection()
    return History(
        pain=tuple(map(_pain, conn.execute(_live(PainEntryRow, since, until)).all())),
        treatments=tuple(map(_treatment, conn.execute(_live(TreatmentRow, since, until)).all())),
        symptoms=tuple(map(_symptom, conn.execute(_live(SymptomReportRow, since, until)).all())),
        onsets=tuple(onsets),
    )


_ONSET_SQL = text(
    "SELECT at FROM pain_entry WHERE pain > 0 AND deleted_at IS NULL AND at <= :as_of"
    " ORDER BY at DESC"
)


def latest_episode_start(session: Session, *, as_of: datetime) -> datetime | None:
    """The start of the latest run of pain > 0 entries with no 7-day gap, up to `as_of`.

    This bounds how far back a command must load to know the active episode's onset. It
    walks back from `as_of` along the `at` index and stops at the first 7-day gap: it reads
    the active episode's entries only, however long the history (a window function over
    every pain entry cost ~100 ms on 10 years).
    """
    bound = UTCDateTime().process_bind_param(as_of, None)
    result = session.connection().execute(_ONSET_SQL, {"as_of": bound})
    start: datetime | None = None
    try:
        for (value,) in result:
            at = parse_utc(value)
            if start is not None and start - at >= EPISODE_GAP:
                break
            start = at
    finally:
        result.close()
    return start


def counts(session: Session) -> dict[str, int]:
    """Rows per table including soft-deleted ones (tests and `db check` use this)."""
    result: dict[str, int] = {}
    for table in (PainEntryRow, TreatmentRow, SymptomReportRow, EpisodeRow, ProfileRow):
        result[table.__tablename__] = session.exec(  # type: ignore[call-overload]
            select(func.count()).select_from(table)
        ).one()
    return result


# --- one entry by id: get, edit, delete, undo ---------------------------------------------


def _row(session: Session, letter: str, number: int, *, live: bool = True) -> Any:
    table: Any = EVENT_TABLES[letter]
    row = session.get(table, number)
    if row is None or (live and row.deleted_at is not None):
        raise NotFoundError(msg.NO_SUCH_ID.format(ref=f"{letter}{number}"), msg.NO_SUCH_ID_HINT)
    return row


def get_event(session: Session, *, letter: str, number: int) -> Event:
    return TO_DOMAIN[letter](_row(session, letter, number))


def _log_change(
    session: Session, *, action: str, letter: str, row: Any, before: dict[str, Any], now: datetime
) -> None:
    payload = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in before.items()}
    session.add(
        ChangeRow(
            at=now,
            action=action,
            table_name=letter,
            row_id=row.id,
            before=json.dumps(payload),
        )
    )


def soft_delete(session: Session, *, letter: str, number: int, now: datetime) -> Event:
    row = _row(session, letter, number)
    _log_change(
        session, action="delete", letter=letter, row=row, before={"deleted_at": None}, now=now
    )
    row.deleted_at = now
    session.add(row)
    session.flush()
    return TO_DOMAIN[letter](row)


def edit_event(
    session: Session, *, letter: str, number: int, changes: dict[str, Any], now: datetime
) -> Event:
    row = _row(session, letter, number)
    allowed = EDITABLE[letter]
    for field in changes:
        if field not in allowed:
            raise InputError(msg.EDIT_FIELD_NOT_FOR.format(option=f"--{field}", kind=letter))
    before = {field: getattr(row, field) for field in changes}
    _log_change(session, action="edit", letter=letter, row=row, before=before, now=now)
    for field, value in changes.items():
        setattr(row, field, value)
    session.add(row)
    session.flush()
    return TO_DOMAIN[letter](row)


def undo_last(session: Session, *, now: datetime) -> tuple[str, Event]:
    """Restore the most recent delete or edit that is not undone yet: (action, event)."""
    change = session.exec(
        select(ChangeRow)
        .where(col(ChangeRow.undone_at).is_(None))
        .order_by(col(ChangeRow.id).desc())
    ).first()
    if change is None:
        raise InputError(msg.NOTHING_TO_UNDO)
    row = _row(session, change.table_name, change.row_id, live=False)
    for field, value in json.loads(change.before).items():
        if field in ("at", "deleted_at") and value is not None:
            value = datetime.fromisoformat(value)
        setattr(row, field, value)
    change.undone_at = now
    session.add(row)
    session.add(change)
    session.flush()
    return change.action, TO_DOMAIN[change.table_name](row)


# --- profile ---------------------------------------------------------------------------


def _profile_from(row: ProfileRow | None) -> Profile:
    if row is None:
        return Profile()
    return Profile(
        birth_year=row.birth_year,
        prior_back_pain=row.prior_back_pain,
        history=frozenset(h for h in row.history.split(",") if h),
        remind_at=tuple(time.fromisoformat(t) for t in row.remind_at.split(",") if t),
    )


def get_profile(session: Session) -> Profile:
    return _profile_from(session.get(ProfileRow, 1))


def save_profile(session: Session, *, profile: Profile, now: datetime) -> Profile:
    row = session.get(ProfileRow, 1)
    if row is None:
        row = ProfileRow(id=1, uid=new_uid(), created_at=now, updated_at=now)
    row.birth_year = profile.birth_year
    row.prior_back_pain = profile.prior_back_pain
    row.history = ",".join(sorted(profile.history))
    row.remind_at = ",".join(t.strftime("%H:%M") for t in profile.remind_at)
    row.updated_at = now
    session.add(row)
    session.flush()
    return _profile_from(row)


def purge_deleted(session: Session) -> int:
    """Hard-delete soft-deleted rows (`db purge`); the change log of them goes too."""
    removed = 0
    for letter, table in EVENT_TABLES.items():
        deleted_ids = session.exec(
            select(table.id).where(col(table.deleted_at).is_not(None))  # type: ignore[attr-defined]
        ).all()
        for number in deleted_ids:
            session.delete(session.get(table, number))
        session.exec(  # type: ignore[call-overload]
            update(ChangeRow)
            .where(col(ChangeRow.table_name) == letter, col(ChangeRow.row_id).in_(deleted_ids))
            .values(undone_at=ChangeRow.at)
        )
        removed += len(deleted_ids)
    session.flush()
    return removed
