"""SQLAlchemy Core tables for the store's statements, without SQLModel (issue 18).

store/tables.py declares the schema as SQLModel classes (the migrations' and `create_all`'s
metadata, with the CHECKs and indexes). Building those classes imports SQLModel and pydantic
and costs more than a `log` does in SQLite, so the store's own statements run on these
plain Core `Table`s instead: a command that logs, checks or edits never imports SQLModel,
pydantic or the ORM.

What they hold is derived, not restated: a declared kind's table (domain/entries.py) is its
bookkeeping columns plus one column per field, typed by the field's form; the three tables
no kind declares (episode, profile, action_journal) list their columns here, the one place
they are stated: store/tables.py copies them into the migrations' metadata and adds their
constraints and indexes. The tables here carry none (statements need only names and
types). tests/store/test_core_tables.py compares every table here with store/tables.py and
with the schema a fresh migration builds: same columns, types, nullability and primary
keys.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import TypeAlias

from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table
from sqlalchemy.types import TypeDecorator, TypeEngine

from backcare.domain import entries

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as sortable ISO text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> str | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime stored")  # a programming error, never user input
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def process_result_value(self, value: str | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return parse_utc(value)


def parse_utc(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# A stored column's type: what SQLite holds and the store reads back.
ColumnType: TypeAlias = (
    TypeEngine[int] | TypeEngine[float] | TypeEngine[bool] | TypeEngine[datetime] | TypeEngine[str]
)
# The column type of a field, by its form (domain/entries): collections are stored as text.
_TYPES: dict[str, Callable[[], ColumnType]] = {
    entries.INT: Integer,
    entries.SPAN: Integer,
    entries.MG: Float,
    entries.BOOL: Boolean,
    entries.TIME: UTCDateTime,
}
# Forms stored as text that always has a value (an empty list is "" or "[]", never NULL).
_ALWAYS_STORED = (entries.CODES, entries.LINES, entries.ANSWERS, entries.GOALS)


def _column(spec: entries.Field) -> Column[object]:
    kind = _TYPES.get(spec.form, String)
    not_null = spec.required or spec.default is not None or spec.form in _ALWAYS_STORED
    return Column(spec.col, kind(), nullable=not not_null)


def _id() -> Column[int]:
    return Column("id", Integer, primary_key=True)


def _uid() -> Column[str]:
    return Column("uid", String(36), nullable=False)


def _stamp(name: str, *, nullable: bool = False) -> Column[datetime]:
    return Column(name, UTCDateTime(), nullable=nullable)


def _kind_table(kind: entries.Kind) -> Table:
    """A declared kind's table: id, uid, the stamps (entries.STAMPS), then its fields."""
    created, deleted = entries.STAMPS
    return Table(
        kind.table,
        metadata,
        _id(),
        _uid(),
        _stamp(created),
        _stamp(deleted, nullable=True),
        *(_column(spec) for spec in kind.fields),
    )


# Built on first use: a command builds the few tables its statements name.


@cache
def kind_table(letter: str) -> Table:
    """The table of the declared kind with ID letter `letter`."""
    return _kind_table(entries.BY_LETTER[letter])


@cache
def episode() -> Table:
    """An explicit episode onset: the entry bookkeeping and a note."""
    return Table(
        "episode",
        metadata,
        _id(),
        _uid(),
        _stamp("at"),
        _stamp("created_at"),
        _stamp("deleted_at", nullable=True),
        Column("note", String, nullable=True),
    )


@cache
def profile() -> Table:
    return Table(
        "profile",
        metadata,
        _id(),
        _uid(),
        _stamp("created_at"),
        _stamp("updated_at"),
        Column("birth_year", Integer, nullable=True),
        Column("prior_back_pain", Boolean, nullable=True),
        Column("history", String, nullable=False),
        Column("remind_at", String, nullable=False),
        Column("name", String, nullable=True),
        Column("date_of_birth", String(10), nullable=True),
    )


@cache
def journal() -> Table:
    return Table(
        "action_journal",
        metadata,
        _id(),
        _stamp("at"),
        Column("command", String, nullable=False),
        Column("changes", String, nullable=False),
        _stamp("undone_at", nullable=True),
    )


def all_tables() -> MetaData:
    """Every table built (the schema tests compare them all)."""
    for kind in entries.KINDS:
        kind_table(kind.letter)
    episode()
    profile()
    journal()
    return metadata
