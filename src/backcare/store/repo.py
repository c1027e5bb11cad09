"""Repositories: keyword-only, typed functions that take a session and speak domain types.

Reads return domain dataclasses (never table rows), so nothing above the store sees a table.
Soft-deleted rows are invisible to every read here except `get_any` (for undo/purge/export).

Every statement here is SQLAlchemy Core on the tables of store/core.py (derived from the
entry declarations): no SQLModel class is built and no ORM unit of work runs, so a command
that logs, checks or edits imports neither SQLModel, pydantic nor the ORM (issue 18).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime, time
from functools import cache
from typing import TYPE_CHECKING, Protocol, TypeAlias, TypeVar, cast

from sqlalchemy import Table, delete, func, insert, select, text, update

from backcare import messages as msg
from backcare.domain import entries
from backcare.domain.acks import Acknowledgement, StoredAck
from backcare.domain.model import (
    CheckIn,
    Event,
    Goal,
    History,
    Measure,
    PainEntry,
    Prescription,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.thresholds import EPISODE_GAP
from backcare.errors import InputError, NotFoundError
from backcare.store import core, declared
from backcare.store.core import UTCDateTime, kind_table, parse_utc

if TYPE_CHECKING:  # the reads (check, status, remind) need no input validation
    from sqlalchemy import Insert, Select, Update

    from backcare.domain.inputs import NewPain, NewPrescription, NewSymptom, NewTreatment
    from backcare.jsonfmt import JSONObject
    from backcare.store.engine import Session

    # What `log` and `meds add` store: an input model whose fields are its table's columns.
    NewEntry: TypeAlias = NewPain | NewTreatment | NewSymptom | NewPrescription


def new_uid() -> str:
    return str(uuid.uuid4())


# --- conversions -----------------------------------------------------------------------

# A stored record of any declared kind (domain/entries); R: one kind's record class.
Record = entries.Record
R = TypeVar("R", bound=Record)
_F = TypeVar("_F")


class StoredRow(Protocol):
    """A stored row as a Core statement returns it (SQLAlchemy's `Row`: one attribute per
    column). The bookkeeping every record table has is typed here; a kind's own columns are
    read by its converter (`declared.from_row`), or by name where a rule needs one."""

    @property
    def id(self) -> int: ...
    @property
    def uid(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> datetime | None: ...
    def __getattr__(self, name: str) -> object: ...


class _Derived(dict[str, _F]):
    """Per ID letter, a function derived from the kind's declaration by `derive`, compiled
    on first use (a command compiles the few it runs)."""

    def __init__(self, derive: Callable[[entries.Kind], _F]) -> None:
        super().__init__()
        self._derive = derive

    def __missing__(self, letter: str) -> _F:
        function = self[letter] = self._derive(entries.BY_LETTER[letter])
        return function


# Stored row -> domain record, and raw driver row -> domain record (the hot reads, issue
# 18), one converter per kind compiled from its declaration.
_FROM_ROW: _Derived[Callable[[object], Record]] = _Derived(declared.from_row)
_FROM_RAW: _Derived[Callable[[entries.RawRow], Record]] = _Derived(declared.from_raw)
_LETTER = {kind.model: kind.letter for kind in entries.KINDS}


def _of(converters: Mapping[str, Callable[[_F], Record]], model: type[R]) -> Callable[[_F], R]:
    """The converter of the kind whose records are `model`s, typed as returning them (its
    declaration says so; the compiled function cannot). Looked up once per call, never per
    row: a loop calls the converter itself."""
    return cast("Callable[[_F], R]", converters[_LETTER[model]])


def prescription_of(row: object) -> Prescription:
    """A prescription from its stored row (a Core row here, an ORM row in export_queries)."""
    return _of(_FROM_ROW, Prescription)(row)


class _Converters(Mapping[str, Callable[[object], Event]]):
    """Per event kind's ID letter, the converter of a stored row to its event (compiled on
    first use)."""

    def __getitem__(self, letter: str) -> Callable[[object], Event]:
        if letter not in _EVENT_LETTERS:
            raise KeyError(letter)
        return cast("Callable[[object], Event]", _FROM_ROW[letter])

    def __iter__(self) -> Iterator[str]:
        return iter(_EVENT_LETTERS)

    def __len__(self) -> int:
        return len(_EVENT_LETTERS)


_EVENT_LETTERS = tuple(k.letter for k in entries.EVENT_KINDS)
TO_DOMAIN: Mapping[str, Callable[[object], Event]] = _Converters()

# Domain record -> the column values of a new row, one function per kind compiled from its
# declaration (the check-ins, acknowledgements, measures and goals written here).
_TO_ROW: _Derived[Callable[[Record, datetime, datetime | None], dict[str, entries.Value]]] = (
    _Derived(declared.to_row)
)


class _Records(Mapping[str, tuple[Table, Callable[[object], Record]]]):
    """ID letter -> (its table, its row -> record converter), each built on first use."""

    def __getitem__(self, letter: str) -> tuple[Table, Callable[[object], Record]]:
        if letter not in entries.BY_LETTER:
            raise KeyError(letter)
        return kind_table(letter), _FROM_ROW[letter]

    def __iter__(self) -> Iterator[str]:
        return iter(entries.BY_LETTER)

    def __len__(self) -> int:
        return len(entries.BY_LETTER)


RECORDS: Mapping[str, tuple[Table, Callable[[object], Record]]] = _Records()
_LETTER_OF = {kind.table: kind.letter for kind in entries.KINDS}


# --- writes ----------------------------------------------------------------------------


def _returning(session: Session, statement: Insert | Update, table: Table) -> StoredRow:
    """Run an INSERT or UPDATE and return the stored row as the converters read it."""
    return session.connection().execute(statement.returning(*table.c)).one()


def _insert(
    session: Session, model: type[R], entry: NewEntry, *, now: datetime, uid: str | None
) -> R:
    """One new row from an input model: its fields are the table's columns by design.

    A Core INSERT ... RETURNING (one statement, the stored row back as the converters read
    it), not an ORM add and flush: a command that only logs never configures the ORM's
    mappers nor runs its unit of work (issue 18).
    """
    letter = _LETTER[model]
    table = kind_table(letter)
    fields = {name: getattr(entry, name) for name in entry.__dataclass_fields__}
    statement = insert(table).values(uid=uid or new_uid(), created_at=now, **fields)
    row = _returning(session, statement, table)
    _touch(session, letter, row.id)
    return _of(_FROM_ROW, model)(row)


def _insert_record(
    session: Session, record: R, created_at: datetime, deleted_at: datetime | None
) -> R:
    """A domain record as a new row, its columns from the kind's declaration; the record
    as stored."""
    model = type(record)
    letter = _LETTER[model]
    table = kind_table(letter)
    values = _TO_ROW[letter](record, created_at, deleted_at)
    row = _returning(session, insert(table).values(**values), table)
    _touch(session, letter, row.id)
    return _of(_FROM_ROW, model)(row)


# Which rows a write changed, for the flags judged after it (services._judge_after): each
# write below notes (letter, first id, last id, may move the run) in `Session.touched`
# while `track_changes` is on.
PATCHABLE = ("p", "t", "s")  # the kinds whose changes `touched_events` returns
TOUCHED_LIMIT = 50  # more rows than this: the after-history is read again instead


def track_changes(session: Session) -> None:
    """Note from now on which rows this session's writes change (`touched_events`)."""
    session.touched = []


def _touch(
    session: Session, letter: str, first: int, last: int | None = None, *, run: bool = True
) -> None:
    """Note rows `first`..`last` of kind `letter` changed. `run`: the change may move the
    latest run of pain > 0 entries (`episode_run`); only pain entries can."""
    touched = session.touched
    if touched is not None:
        moves = run and letter not in ("t", "s")
        touched.append((letter, first, first if last is None else last, moves))


def _moves_run(letter: str, row: StoredRow, values: dict[str, entries.Value]) -> bool:
    """Whether setting `values` on a stored row may move `episode_run`: a pain entry's time,
    its deletion, or its pain crossing 0 (an edit of 3 to 5 cannot)."""
    if letter != "p" or "at" in values or "deleted_at" in values:
        return letter == "p"
    if "pain" not in values:
        return False
    before, after = row.pain, values["pain"]
    assert isinstance(before, int) and isinstance(after, int)  # a pain entry's 0-10 score
    return (before > 0) != (after > 0)


def touched_events(
    session: Session,
) -> tuple[dict[str, dict[int, tuple[Event, bool]]], bool] | None:
    """The rows changed since `track_changes`, as they are now, by kind and id: (record,
    live); and whether any change may move `episode_run`. None when not tracked, when a
    kind other than PATCHABLE was touched, or when more than TOUCHED_LIMIT rows were."""
    touched = session.touched
    if touched is None or any(letter not in PATCHABLE for letter, _, _, _ in touched):
        return None
    if sum(last - first + 1 for _, first, last, _ in touched) > TOUCHED_LIMIT:
        return None
    raw = session.dbapi()
    found: dict[str, dict[int, tuple[Event, bool]]] = {}
    for letter, first, last, _ in touched:
        kind = entries.BY_LETTER[letter]
        names = ", ".join(f'"{c}"' for c in declared.raw_columns(kind))
        sql = f'SELECT {names}, deleted_at FROM "{kind.table}" WHERE id BETWEEN ? AND ?'
        to_event = cast("Callable[[entries.RawRow], Event]", _FROM_RAW[letter])  # PATCHABLE
        for row in raw.execute(sql, (first, last)):
            found.setdefault(letter, {})[row[0]] = (to_event(row[:-1]), row[-1] is None)
    return found, any(moves for _, _, _, moves in touched)


def add_pain(
    session: Session, *, entry: NewPain, now: datetime, uid: str | None = None
) -> PainEntry:
    return _insert(session, PainEntry, entry, now=now, uid=uid)


def add_treatment(
    session: Session, *, entry: NewTreatment, now: datetime, uid: str | None = None
) -> Treatment:
    return _insert(session, Treatment, entry, now=now, uid=uid)


def add_symptom(
    session: Session, *, entry: NewSymptom, now: datetime, uid: str | None = None
) -> SymptomReport:
    return _insert(session, SymptomReport, entry, now=now, uid=uid)


# --- reads -----------------------------------------------------------------------------


def _stored(
    table: Table, *, since: datetime | None = None, until: datetime | None = None, live: bool
) -> Select[*tuple[object, ...]]:
    """A Core select of a table's rows with their stamps (soft-deleted ones too unless
    `live`), since <= at <= until, oldest first."""
    query = select(table).order_by(table.c.at, table.c.id)
    if live:
        query = query.where(table.c.deleted_at.is_(None))
    if since is not None:
        query = query.where(table.c.at >= since)
    if until is not None:
        query = query.where(table.c.at <= until)
    return query


# The hot reads (every write's rules read the last 60 days twice, issue 18) run SQL derived
# once per process from the Core tables on the driver's connection, and build the domain
# records straight from the raw rows (store/declared.from_raw, `_FROM_RAW`): a SQLAlchemy
# statement costs more to key and cache than SQLite takes to answer it, and a typed result
# row more to build than the record.


@cache
def _live_sql(letter: str, since: bool, until: str) -> str:
    """SELECT of the live rows of kind `letter` under `declared.raw_columns`, oldest first;
    `since`: at >= ?; `until`: "" (none), "<" or "<=" ?."""
    kind = entries.BY_LETTER[letter]
    names = ", ".join(f'"{c}"' for c in declared.raw_columns(kind))
    where = ["deleted_at IS NULL"]
    if since:
        where.append("at >= ?")
    if until:
        where.append(f"at {until} ?")
    return f'SELECT {names} FROM "{kind.table}" WHERE {" AND ".join(where)} ORDER BY at, id'


def _bind(moment: datetime) -> str:
    text = _UTC.process_bind_param(moment, None)
    assert text is not None
    return text


def _live_raw(
    session: Session,
    model: type[R],
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    until_exclusive: bool = False,
) -> list[R]:
    """The live records of the kind whose records are `model`s with since <= at <= until
    (at < until with `until_exclusive`), oldest first."""
    bounds = [_bind(t) for t in (since, until) if t is not None]
    mark = "" if until is None else "<" if until_exclusive else "<="
    sql = _live_sql(_LETTER[model], since is not None, mark)
    return list(map(_of(_FROM_RAW, model), session.dbapi().execute(sql, bounds)))


def records_where(
    session: Session, letter: str, where: str, params: tuple[object, ...] = ()
) -> list[Record]:
    """The stored records of kind `letter` (soft-deleted ones too) that `where` selects."""
    kind = entries.BY_LETTER[letter]
    names = ", ".join(f'"{c}"' for c in declared.raw_columns(kind))
    sql = f'SELECT {names} FROM "{kind.table}" WHERE {where}'
    return list(map(_FROM_RAW[letter], session.dbapi().execute(sql, params)))


def load_history(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    until_exclusive: bool = False,
) -> History:
    """Live events with since <= at <= until (at < until with `until_exclusive`; either bound
    optional), oldest first."""
    raw = session.dbapi()
    onsets = raw.execute('SELECT at FROM "episode" WHERE deleted_at IS NULL ORDER BY at').fetchall()
    names = ", ".join(f'"{c}"' for c in declared.raw_columns(entries.PRESCRIPTION))
    prescriptions = tuple(  # in stored order, as they were read before (no ORDER BY)
        map(
            _of(_FROM_RAW, Prescription),
            raw.execute(f'SELECT {names} FROM "prescription" WHERE deleted_at IS NULL'),
        )
    )

    def records(model: type[R]) -> list[R]:
        return _live_raw(session, model, since, until, until_exclusive=until_exclusive)

    answers = tuple(a for checkin in records(CheckIn) for a in checkin.answers())
    return History(
        measures=tuple(records(Measure)),
        goals=tuple(_live_raw(session, Goal)),
        prescriptions=prescriptions,
        pain=tuple(records(PainEntry)),
        treatments=tuple(records(Treatment)),
        symptoms=tuple(records(SymptomReport)) + answers,
        onsets=tuple(parse_utc(at) for (at,) in onsets),
    )


# The latest run of pain > 0 entries with no 7-day gap, walked back in 7-day hops: each
# step is one seek on the `at` index (the earliest pain > 0 entry in the 7 days before the
# current one), so a 10-year episode costs ~520 index seeks inside SQLite, not 50k rows
# read into Python. The bound keeps the stored microseconds: whole seconds - 7 days, then
# the fraction and "Z" of the stored text (`UTCDateTime`), so text order is time order.
_RUN_SQL = text(
    """
    WITH RECURSIVE walk(at) AS (
        SELECT max(at) FROM pain_entry
         WHERE pain > 0 AND deleted_at IS NULL AND at <= :as_of
        UNION ALL
        SELECT (SELECT min(p.at) FROM pain_entry AS p
                 WHERE p.pain > 0 AND p.deleted_at IS NULL AND p.at < walk.at
                   AND p.at > strftime('%Y-%m-%dT%H:%M:%S', substr(walk.at, 1, 19), :gap)
                              || substr(walk.at, 20))
          FROM walk WHERE walk.at IS NOT NULL
    )
    SELECT min(at), max(at) FROM walk
    """
)


def episode_run(session: Session, *, as_of: datetime) -> tuple[datetime, datetime] | None:
    """(start, latest) of the latest run of pain > 0 entries with no 7-day gap, up to `as_of`.

    This bounds what a command must load to know the active episode's onset (the run is
    the active episode when `latest` is less than 7 days before `as_of`). It reads only
    index seeks, one per 7 days of the run, however long the history.
    """
    bound = _UTC.process_bind_param(as_of, None)
    gap = f"-{EPISODE_GAP.total_seconds():.0f} seconds"
    start, latest = session.connection().execute(_RUN_SQL, {"as_of": bound, "gap": gap}).one()
    if start is None or latest is None:
        return None
    return parse_utc(start), parse_utc(latest)


# --- one entry by id: get, edit, delete, undo ---------------------------------------------


def _by_id(session: Session, table: Table, number: int) -> StoredRow | None:
    """The stored row `number` of `table` (soft-deleted or not), or None."""
    return session.connection().execute(select(table).where(table.c.id == number)).first()


def _row(session: Session, letter: str, number: int, *, live: bool = True) -> StoredRow:
    row = _by_id(session, RECORDS[letter][0], number)
    if row is None or (live and row.deleted_at is not None):
        raise NotFoundError(msg.NO_SUCH_ID.format(ref=f"{letter}{number}"), msg.NO_SUCH_ID_HINT)
    return row


def _update(
    session: Session,
    letter: str,
    number: int,
    values: dict[str, entries.Value],
    *,
    run: bool = True,
) -> StoredRow:
    """Set `values` on row `number` of the kind `letter`; the stored row after it."""
    table = RECORDS[letter][0]
    statement = update(table).where(table.c.id == number).values(**values)
    _touch(session, letter, number, run=run)
    return _returning(session, statement, table)


def get_event(session: Session, *, letter: str, number: int) -> Record:
    return RECORDS[letter][1](_row(session, letter, number))


_UTC = UTCDateTime()


def _stored_values(values: dict[str, entries.Value]) -> JSONObject:
    """Column values as stored (times as the UTC text `UTCDateTime` writes), for the
    action journal's JSON."""
    return {
        column: _UTC.process_bind_param(value, None) if isinstance(value, datetime) else value
        for column, value in values.items()
    }


def _log_change(
    session: Session,
    *,
    letter: str,
    row: StoredRow,
    before: dict[str, entries.Value],
    after: dict[str, entries.Value],
) -> None:
    """Note a change to a stored row in the open action (`store.journal.action` opens one
    per command that changes entries, `Session.journal`); none open: not journaled (undo
    and redo themselves, the demo)."""
    updates = session.journal
    if updates is not None:
        updates.append(
            {
                "t": letter,
                "id": row.id,
                "before": _stored_values(before),
                "after": _stored_values(after),
            }
        )


def _change(
    session: Session, letter: str, row: StoredRow, values: dict[str, entries.Value]
) -> StoredRow:
    """Journal and store a change of `values` on a stored row; the row after it."""
    before = {column: getattr(row, column) for column in values}
    _log_change(session, letter=letter, row=row, before=before, after=values)
    return _update(session, letter, row.id, values, run=_moves_run(letter, row, values))


def soft_delete(session: Session, *, letter: str, number: int, now: datetime) -> Record:
    row = _row(session, letter, number)
    return RECORDS[letter][1](_change(session, letter, row, {"deleted_at": now}))


def edit_event(
    session: Session, *, letter: str, number: int, changes: dict[str, entries.Value], now: datetime
) -> Record:
    row = _row(session, letter, number)
    kind = entries.BY_LETTER[letter]
    for field in changes:  # the fields its declaration lets `edit` change
        if not any(spec.name == field for spec in kind.editable):
            option = entries.option_for(field)
            raise InputError(msg.EDIT_FIELD_NOT_FOR.format(option=option, kind=kind.label))
    columns = declared.updates(kind, changes)
    return RECORDS[letter][1](_change(session, letter, row, columns))


# --- check-ins ---------------------------------------------------------------------------


def add_checkin(
    session: Session,
    *,
    at: datetime,
    asked: tuple[str, ...],
    present: tuple[str, ...],
    note: str | None,
    now: datetime,
    uid: str | None = None,
    created_at: datetime | None = None,
    deleted_at: datetime | None = None,
) -> CheckIn:
    record = CheckIn(at=at, asked=asked, present=present, note=note, uid=uid or new_uid())
    return _insert_record(session, record, created_at or now, deleted_at)


def checkins(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    live: bool = True,
) -> list[tuple[CheckIn, datetime, datetime | None]]:
    """Check-ins with since <= at <= until, oldest first: (check-in, created_at, deleted_at)."""
    query = _stored(kind_table("c"), since=since, until=until, live=live)
    rows: list[StoredRow] = list(session.connection().execute(query).all())
    to_checkin = _of(_FROM_ROW, CheckIn)
    return [(to_checkin(r), r.created_at, r.deleted_at) for r in rows]


def _stored_uids(session: Session, table: Table, uids: list[str]) -> set[str]:
    """Which of `uids` `table` holds (deleted rows too)."""
    query = select(table.c.uid).where(table.c.uid.in_(uids))
    return set(session.connection().execute(query).scalars())  # uid: a text column


def insert_checkins(
    session: Session, records: list[tuple[CheckIn, datetime, datetime | None]]
) -> int:
    """Insert the check-ins whose uid is not stored yet (import); returns how many."""
    if not records:
        return 0
    present = _stored_uids(session, kind_table("c"), [c.uid for c, _, _ in records])
    new = [r for r in records if r[0].uid not in present]
    for c, created_at, deleted_at in new:
        add_checkin(
            session,
            at=c.at,
            asked=c.asked,
            present=c.present,
            note=c.note,
            now=created_at,
            uid=c.uid,
            created_at=created_at,
            deleted_at=deleted_at,
        )
    return len(new)


# --- acknowledgements ------------------------------------------------------------------


def add_ack(
    session: Session,
    *,
    rule: str,
    keys: frozenset[str],
    note: str | None,
    sought_care: bool,
    now: datetime,
    at: datetime | None = None,
    uid: str | None = None,
    created_at: datetime | None = None,
    deleted_at: datetime | None = None,
) -> Acknowledgement:
    record = Acknowledgement(
        rule=rule,
        at=at or now,
        keys=keys,
        note=note,
        sought_care=sought_care,
        uid=uid or new_uid(),
    )
    return _insert_record(session, record, created_at or now, deleted_at)


def live_acks(session: Session) -> list[Acknowledgement]:
    """Acknowledgements not withdrawn (`unack`), oldest first."""
    return _live_raw(session, Acknowledgement)


def all_acks(session: Session) -> list[StoredAck]:
    """Every acknowledgement, withdrawn ones too, oldest first (the JSON export)."""
    rows: list[StoredRow] = list(session.connection().execute(_stored(kind_table("a"), live=False)))
    to_ack = _of(_FROM_ROW, Acknowledgement)
    return [StoredAck(to_ack(r), created_at=r.created_at, deleted_at=r.deleted_at) for r in rows]


def insert_acks(session: Session, acks: list[StoredAck]) -> int:
    """Insert the acknowledgements whose uid is not stored yet; returns how many."""
    if not acks:
        return 0
    present = _stored_uids(session, kind_table("a"), [s.ack.uid for s in acks])
    new = [s for s in acks if s.ack.uid not in present]
    for s in new:
        add_ack(
            session,
            rule=s.ack.rule,
            keys=s.ack.keys,
            note=s.ack.note,
            sought_care=s.ack.sought_care,
            now=s.created_at,
            at=s.ack.at,
            uid=s.ack.uid,
            created_at=s.created_at,
            deleted_at=s.deleted_at,
        )
    return len(new)


def unack(session: Session, *, rule: str, now: datetime) -> list[Acknowledgement]:
    """Withdraw every live acknowledgement of `rule` (soft delete; `undo` restores the last)."""
    acks = kind_table("a")
    query = select(acks).where(acks.c.rule == rule, acks.c.deleted_at.is_(None))
    rows: list[StoredRow] = list(session.connection().execute(query.order_by(acks.c.id)))
    to_ack = _of(_FROM_ROW, Acknowledgement)
    return [to_ack(_change(session, "a", row, {"deleted_at": now})) for row in rows]


# --- profile ---------------------------------------------------------------------------


def _profile_from(
    birth_year: int | None,
    prior_back_pain: int | None,
    history: str,
    remind_at: str,
    name: str | None,
    date_of_birth: str | None,
) -> Profile:
    """The profile from its stored columns (`_PROFILE_COLUMNS`, in that order)."""
    return Profile(
        birth_year=birth_year,
        prior_back_pain=None if prior_back_pain is None else bool(prior_back_pain),
        history=frozenset(h for h in history.split(",") if h),
        remind_at=tuple(time.fromisoformat(t) for t in remind_at.split(",") if t),
        name=name,
        date_of_birth=date.fromisoformat(date_of_birth) if date_of_birth else None,
    )


def profile_uid(session: Session) -> str | None:
    """The saved profile's uid (the FHIR Patient's id), or None when none was saved."""
    found = session.dbapi().execute("SELECT uid FROM profile WHERE id = 1").fetchone()
    return None if found is None else str(found[0])


_PROFILE_COLUMNS = (
    "birth_year",
    "prior_back_pain",
    "history",
    "remind_at",
    "name",
    "date_of_birth",
)
_PROFILE_SQL = "SELECT " + ", ".join(f'"{c}"' for c in _PROFILE_COLUMNS) + " FROM profile"


def get_profile(session: Session) -> Profile:
    """The saved profile (every command that judges flags reads it: a raw read)."""
    found = session.dbapi().execute(f"{_PROFILE_SQL} WHERE id = 1").fetchone()
    return Profile() if found is None else _profile_from(*found)


def save_profile(session: Session, *, profile: Profile, now: datetime) -> Profile:
    values = {
        "birth_year": profile.birth_year,
        "prior_back_pain": profile.prior_back_pain,
        "history": ",".join(sorted(profile.history)),
        "remind_at": ",".join(t.strftime("%H:%M") for t in profile.remind_at),
        "name": profile.name,
        "date_of_birth": (
            None if profile.date_of_birth is None else profile.date_of_birth.isoformat()
        ),
        "updated_at": now,
    }
    table = core.profile()
    statement: Insert | Update
    if profile_uid(session) is None:
        statement = insert(table).values(id=1, uid=new_uid(), created_at=now, **values)
    else:
        statement = update(table).where(table.c.id == 1).values(**values)
    session.connection().execute(statement)
    return get_profile(session)


def purge_deleted(session: Session) -> int:
    """Hard-delete soft-deleted rows (`db purge`; the service also clears the journal)."""
    removed = 0
    _touch(session, "*", 0)  # not tracked row by row: a judged history is read again
    conn = session.connection()
    for table, _ in RECORDS.values():  # events, prescriptions, check-ins, acks
        gone = conn.execute(delete(table).where(table.c.deleted_at.is_not(None)))
        removed += gone.rowcount
    return removed


# Prescriptions (id letter r) take part in get/delete/edit/undo like the event tables.


# --- prescriptions -------------------------------------------------------------------------


def add_prescription(
    session: Session, *, entry: NewPrescription, now: datetime, uid: str | None = None
) -> Prescription:
    return _insert(session, Prescription, entry, now=now, uid=uid)


def list_prescriptions(session: Session) -> list[Prescription]:
    rows: list[StoredRow] = list(session.connection().execute(_stored(kind_table("r"), live=True)))
    return list(map(_of(_FROM_ROW, Prescription), rows))


def stop_prescription(
    session: Session, *, number: int, at: datetime, now: datetime
) -> Prescription:
    """End a prescription at `at` (kept, so the rules still read its course)."""
    row = _by_id(session, kind_table("r"), number)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(msg.NO_SUCH_ID.format(ref=f"r{number}"), msg.NO_SUCH_ID_HINT)
    return prescription_of(_change(session, "r", row, {"stopped_at": at}))


# --- measures and goals (issue 16) ----------------------------------------------------------


def add_measure(
    session: Session,
    *,
    measure: Measure,
    now: datetime,
    created_at: datetime | None = None,
    deleted_at: datetime | None = None,
) -> Measure:
    if not measure.uid:
        measure = replace(measure, uid=new_uid())
    return _insert_record(session, measure, created_at or now, deleted_at)


StoredMeasure = tuple[Measure, datetime, datetime | None]  # (measure, created, deleted)
StoredGoal = tuple[Goal, datetime, datetime | None]


def measures(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    live: bool = True,
) -> list[StoredMeasure]:
    """Measures with since <= at <= until, oldest first, with their bookkeeping."""
    query = _stored(kind_table("m"), since=since, until=until, live=live)
    rows: list[StoredRow] = list(session.connection().execute(query))
    to_measure = _of(_FROM_ROW, Measure)
    return [(to_measure(r), r.created_at, r.deleted_at) for r in rows]


def known_uids(session: Session, letter: str, uids: list[str]) -> set[str]:
    """Which of `uids` the table of ID letter `letter` (RECORDS) holds, deleted rows too."""
    table = RECORDS[letter][0]
    found: set[str] = set()
    for i in range(0, len(uids), 500):  # within SQLite's bound-parameter limit
        found.update(str(u) for u in _stored_uids(session, table, uids[i : i + 500]))
    return found


def measure_anchors(
    session: Session, *, episode_from: datetime | None, until: datetime
) -> tuple[Measure, ...]:
    """The few measures a windowed history needs however old they are (issue 16): per
    instrument the latest live one at or before `until` and, with `episode_from`, the first
    one from `episode_from` to `until`. Two one-row queries per instrument, on the `at`
    index; oldest first, each measure once."""
    from backcare.domain.instruments import INSTRUMENT_IDS

    names = ", ".join(f'"{c}"' for c in declared.raw_columns(entries.MEASURE))
    live = f'SELECT {names} FROM "measure" WHERE deleted_at IS NULL AND instrument = ? AND at <= ?'
    latest = f"{live} ORDER BY at DESC, id DESC LIMIT 1"
    first = f"{live} AND at >= ? ORDER BY at, id LIMIT 1"
    raw = session.dbapi()
    to_measure = _of(_FROM_RAW, Measure)
    bound = _bind(until)
    found: dict[str, Measure] = {}  # by uid: each measure once
    for instrument in INSTRUMENT_IDS:
        queries: list[tuple[str, tuple[str, ...]]] = [(latest, (instrument, bound))]
        if episode_from is not None:
            queries.append((first, (instrument, bound, _bind(episode_from))))
        for sql, params in queries:
            row = raw.execute(sql, params).fetchone()
            if row is not None:
                measure = to_measure(row)
                found[measure.uid] = measure
    return tuple(sorted(found.values(), key=lambda m: (m.at, m.id or 0)))


def measure_counts(session: Session, *, since: datetime, until: datetime) -> dict[str, int]:
    """Live measures per instrument with since <= at < until (one aggregate query)."""
    table = kind_table("m")
    query = (
        select(table.c.instrument, func.count())
        .where(table.c.deleted_at.is_(None), table.c.at >= since, table.c.at < until)
        .group_by(table.c.instrument)
    )
    return {str(name): int(n) for name, n in session.connection().execute(query).all()}


def insert_measures(session: Session, records: list[StoredMeasure]) -> int:
    """Insert the measures whose uid is not stored yet (import); returns how many."""
    if not records:
        return 0
    present = _stored_uids(session, kind_table("m"), [m.uid for m, _, _ in records])
    new = [r for r in records if r[0].uid not in present]
    for measure, created_at, deleted_at in new:
        add_measure(
            session, measure=measure, now=created_at, created_at=created_at, deleted_at=deleted_at
        )
    return len(new)


def add_goal(
    session: Session,
    *,
    goal: Goal,
    now: datetime,
    created_at: datetime | None = None,
    deleted_at: datetime | None = None,
) -> Goal:
    if not goal.uid:
        goal = replace(goal, uid=new_uid())
    return _insert_record(session, goal, created_at or now, deleted_at)


def goals(session: Session, *, live: bool = True) -> list[StoredGoal]:
    """Every goal (ended ones too), oldest first, with their bookkeeping."""
    rows: list[StoredRow] = list(session.connection().execute(_stored(kind_table("g"), live=live)))
    to_goal = _of(_FROM_ROW, Goal)
    return [(to_goal(r), r.created_at, r.deleted_at) for r in rows]


def insert_goals(session: Session, records: list[StoredGoal]) -> int:
    """Insert the goals whose uid is not stored yet (import); returns how many."""
    if not records:
        return 0
    present = _stored_uids(session, kind_table("g"), [g.uid for g, _, _ in records])
    new = [r for r in records if r[0].uid not in present]
    for goal, created_at, deleted_at in new:
        add_goal(session, goal=goal, now=created_at, created_at=created_at, deleted_at=deleted_at)
    return len(new)


def end_goal(session: Session, *, number: int, at: datetime, now: datetime) -> Goal:
    """`goals remove gN`: no longer asked from `at` (kept: earlier ratings name it)."""
    row = _by_id(session, kind_table("g"), number)
    if row is None or row.deleted_at is not None or row.ended_at is not None:
        raise NotFoundError(msg.NO_SUCH_ID.format(ref=f"g{number}"), msg.NO_SUCH_ID_HINT)
    return _of(_FROM_ROW, Goal)(_change(session, "g", row, {"ended_at": at}))
