"""SQLModel tables (docs/design.md "Data model"). Input validation lives in domain/inputs.py.

The schema as the migrations and `create_all` know it. The store's own statements run on
the Core tables of store/core.py, derived from the same declarations without SQLModel (a
test keeps the two equal); a hot command never builds these classes (issue 18). The three
tables no kind declares (episode, profile, action_journal) are core.py's, copied here with
their constraints and indexes: their columns are stated there only.

Timestamps are stored as UTC ISO text by `UTCDateTime`, so ordering by `at` in SQL is ordering
in time, and every value read back is timezone-aware UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import CheckConstraint, Index, MetaData, Table, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from backcare.domain import entries
from backcare.store import core, declared
from backcare.store.core import UTCDateTime
from backcare.store.schema import UTC_GLOB

# Stable constraint names so Alembic batch migrations on SQLite can find them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


# A CHECK on every timestamp column keeps the one sortable form UTCDateTime writes
# (revision 0002_value_checks): ordering by `at` in SQL must be ordering in time.
def _utc(column: str, *, nullable: bool = False) -> CheckConstraint:
    check = f"{column} GLOB '{UTC_GLOB}'"
    return CheckConstraint(
        f"{column} IS NULL OR {check}" if nullable else check, name=f"{column}_utc"
    )


def _event_stamps() -> tuple[CheckConstraint, ...]:
    return (_utc("at"), _utc("created_at"), _utc("deleted_at", nullable=True))


def _bool(column: str, *, nullable: bool = False) -> CheckConstraint:
    check = f"{column} IN (0, 1)"
    return CheckConstraint(
        f"{column} IS NULL OR {check}" if nullable else check, name=f"{column}_bool"
    )


def _declared(kind: entries.Kind) -> tuple[CheckConstraint, ...]:
    """The CHECKs of a declared kind's table (store/declared.table_checks)."""
    return tuple(CheckConstraint(sql, name=name) for name, sql in declared.table_checks(kind))


def _at() -> object:
    return Field(sa_type=UTCDateTime, index=True)


def _stamp(nullable: bool = False) -> object:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable)


class _EntryRow(SQLModel):
    """The bookkeeping every declared kind's table has before its fields (domain/entries):
    the row id, the uid that names it across databases, `at` and the row's stamps."""

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=36, unique=True)
    at: datetime = _at()  # type: ignore[assignment]
    created_at: datetime = Field(sa_type=UTCDateTime)
    deleted_at: datetime | None = _stamp(nullable=True)  # type: ignore[assignment]


class PainEntryRow(_EntryRow, table=True):
    __tablename__ = "pain_entry"
    __table_args__ = _declared(entries.PAIN)
    pain: int
    spasms: int | None = None  # None: not recorded (revision 0005_not_recorded)
    location: str | None = None
    radiates: str | None = None  # None: not recorded
    note: str | None = None


class TreatmentRow(_EntryRow, table=True):
    __tablename__ = "treatment"
    __table_args__ = _declared(entries.TREATMENT)
    kind: str
    drug: str | None = None
    dose_mg: float | None = None
    minutes: int | None = None
    relief: int | None = None
    relaxant: bool = False
    note: str | None = None
    product: str | None = None  # revision 0003_prescriptions


class SymptomReportRow(_EntryRow, table=True):
    __tablename__ = "symptom_report"
    __table_args__ = _declared(entries.SYMPTOM)
    code: str
    present: bool = True
    note: str | None = None


class CheckinRow(_EntryRow, table=True):
    """One `checkin`: the codes it asked and those answered present (revision 0003)."""

    __tablename__ = "checkin"
    __table_args__ = _declared(entries.CHECKIN)
    asked: str = ""  # comma-separated symptom codes asked
    present: str = ""  # comma-separated codes answered present (a subset of asked)
    note: str | None = None


class AcknowledgementRow(_EntryRow, table=True):
    """`backcare ack RULE`: a flag acknowledged with the evidence it had (revision 0003).

    `evidence` is the JSON list of the flag's evidence keys at that time (domain/acks.py);
    a flag whose evidence gains a key not in it is shown again.
    """

    __tablename__ = "acknowledgement"
    __table_args__ = _declared(entries.ACK)
    rule: str
    evidence: str = "[]"
    note: str | None = None
    sought_care: bool = False


class PrescriptionRow(_EntryRow, table=True):
    """A prescription (revision 0003_prescriptions): limits that replace the label's; `at`
    is when it is in force from."""

    __tablename__ = "prescription"
    __table_args__ = _declared(entries.PRESCRIPTION)
    drug: str
    dose_mg: float | None = None
    every_minutes: int | None = None
    max_daily_mg: float | None = None
    until: datetime | None = _stamp(nullable=True)  # type: ignore[assignment]
    stopped_at: datetime | None = _stamp(nullable=True)  # type: ignore[assignment]
    relaxant: bool = False
    note: str | None = None


# --- questionnaires (revision 0008_measures, issue 16) ------------------------------------


class MeasureRow(_EntryRow, table=True):
    """One completed questionnaire: answers comma-separated, PSFS goals as a JSON list."""

    __tablename__ = "measure"
    __table_args__ = _declared(entries.MEASURE)
    instrument: str
    answers: str
    goals: str = "[]"
    note: str | None = None


class GoalRow(_EntryRow, table=True):
    """One Patient-Specific Functional Scale activity; `goals remove` sets ended_at."""

    __tablename__ = "goal"
    __table_args__ = _declared(entries.GOAL)
    text: str
    ended_at: datetime | None = _stamp(nullable=True)  # type: ignore[assignment]


# --- the tables no kind declares ------------------------------------------------------------
# Their columns are stated once, in store/core.py (the store's statements run on those);
# here each is copied into the migrations' metadata with the constraints and indexes the
# migrations made (revisions 0001, 0002, 0006, 0007), so Alembic sees the schema it built.


def _from_core(core_table: Table, *checks: CheckConstraint, unique_uid: bool = True) -> Table:
    table = core_table.to_metadata(metadata)
    if unique_uid:
        table.append_constraint(UniqueConstraint(table.c.uid))
    for check in checks:
        table.append_constraint(check)
    return table


# An explicit episode onset; without one, episodes are derived from pain entries.
episode = _from_core(core.episode(), *_event_stamps())
Index(None, episode.c.at)  # ix_episode_at (the naming convention above)
# One row (id 1). Lists are stored comma-separated: they are short and never queried.
profile = _from_core(
    core.profile(), _utc("created_at"), _utc("updated_at"), _bool("prior_back_pain", nullable=True)
)
# One user action that changed entries (revision 0007_action_journal): `undo` reverts the
# newest not undone, `redo` re-applies the newest undone one. `changes` is JSON:
# {"created": {letter: [first id, last id]}, "updated": [{"t": letter, "id": n, "before":
# {...}, "after": {...}}]}, values as stored (times as UTC text).
journal = _from_core(core.journal(), _utc("at"), _utc("undone_at", nullable=True), unique_uid=False)


class ProfileRow:
    """The profile's row for the ORM (export_queries reads it by id); its columns are
    store/core.py's `profile()`."""

    __table__: ClassVar[Table] = profile


registry().map_imperatively(ProfileRow, profile)


# Each declared kind's table by its ID letter (domain/entries.KINDS).
TABLES: dict[str, type[SQLModel]] = {
    row.__tablename__: row  # type: ignore[misc]
    for row in (
        PainEntryRow,
        TreatmentRow,
        SymptomReportRow,
        PrescriptionRow,
        CheckinRow,
        AcknowledgementRow,
        MeasureRow,
        GoalRow,
    )
}
BY_LETTER: dict[str, type[SQLModel]] = {k.letter: TABLES[k.table] for k in entries.KINDS}
EVENT_TABLES: dict[str, type[SQLModel]] = {k.letter: TABLES[k.table] for k in entries.EVENT_KINDS}
