"""The action journal (revision 0007_action_journal): undo and redo of whole commands.

A service wraps each command that changes entries in `action(session, command=...)`, in
the command's own transaction. Rows it creates are found by id (every table in
`repo.RECORDS` has an integer id that only grows within a write transaction: the first
and last new id per letter); rows it changes are noted by `repo._log_change` with their
fields before and after. One INSERT stores both when the command ends.

Generic by ID letter: a kind in `repo.RECORDS` (a table with `id`, `at`, `deleted_at`,
and a converter to a domain record) is undoable without more code here. Undo of a created
row is a soft delete stamped with the undo's time (`undone_at`); redo clears exactly the
rows carrying that stamp. Undo of a change puts the `before` values back after checking
the row still has the `after` ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy import delete, func, select

from backcare import messages as msg
from backcare.domain import entries
from backcare.domain.journal import CREATED_SHOWN, Change, JournalEntry
from backcare.errors import InputError
from backcare.store import declared, repo
from backcare.store.core import UTCDateTime, parse_utc
from backcare.store.core import journal as journal_table

if TYPE_CHECKING:
    from backcare.domain.entries import Record, Value
    from backcare.jsonfmt import JSONObject
    from backcare.store.engine import Session


_UTC = UTCDateTime()


def _last_ids(session: Session) -> dict[str, int]:
    """The largest id of every record table, in one statement."""
    sql = "SELECT " + ", ".join(f'(SELECT max(id) FROM "{k.table}")' for k in entries.KINDS)
    values = session.dbapi().execute(sql).fetchone()
    return {k.letter: value or 0 for k, value in zip(entries.KINDS, values, strict=True)}


@contextmanager
def action(session: Session, *, command: str, now: datetime) -> Iterator[None]:
    """Journal what the block does to entries as one action named `command` (nothing when
    it changed nothing). A new action drops the undone ones: there is no redo after it."""
    if session.journal is not None:  # already inside an action: it is part of that one
        yield
        return
    session.flush()  # rows an ORM session still holds count as before the action
    first = _last_ids(session)
    updates: list[JSONObject] = []  # what `repo` records of each change, as JSON
    session.journal = updates
    try:
        yield
        session.flush()
        last = _last_ids(session)
        created = {
            letter: [first[letter] + 1, last[letter]]
            for letter in first
            if last[letter] > first[letter]
        }
        if created or updates:  # every write command: two plain statements on the driver
            raw, c = session.dbapi(), journal_table().c
            table = f'"{journal_table().name}"'
            raw.execute(f"DELETE FROM {table} WHERE {c.undone_at.name} IS NOT NULL")
            changes = json.dumps({"created": created, "updated": updates})
            raw.execute(
                f"INSERT INTO {table} ({c.at.name}, {c.command.name}, {c.changes.name}) "
                "VALUES (?, ?, ?)",
                (_UTC.process_bind_param(now, None), command, changes),
            )
    finally:
        session.journal = None


def clear(session: Session) -> None:
    """Forget every action (`db purge`, `db restore`): undo never reaches past them."""
    session.flush()
    session.connection().execute(delete(journal_table()))


class _Action(NamedTuple):
    """One stored action, as `_select` reads it: `at` a moment, `undone_at` its stored
    text (what redo matches the rows' `deleted_at` against)."""

    id: int
    at: datetime
    command: str
    changes: str
    undone_at: str | None


_COLUMNS = ", ".join(journal_table().c[name].name for name in _Action._fields)


def _select(
    session: Session, where: str, params: tuple[object, ...] = (), *, limit: int = 1
) -> list[_Action]:
    sql = f'SELECT {_COLUMNS} FROM "{journal_table().name}" WHERE {where} LIMIT ?'
    rows = session.dbapi().execute(sql, (*params, limit)).fetchall()
    return [_Action(i, parse_utc(at), cmd, changes, undone) for i, at, cmd, changes, undone in rows]


def _first(session: Session, where: str, params: tuple[object, ...] = ()) -> _Action | None:
    found = _select(session, where, params)
    return found[0] if found else None


def _next(session: Session, *, for_redo: bool) -> _Action | None:
    if for_redo:  # the most recently undone: undo walks back, so the lowest undone id
        return _first(session, "undone_at IS NOT NULL ORDER BY id")
    return _first(session, "undone_at IS NULL ORDER BY id DESC")


@cache
def _times(letter: str) -> frozenset[str]:
    """The columns of kind `letter` whose stored values are times (UTCDateTime's text)."""
    kind = entries.BY_LETTER[letter]
    return frozenset({*entries.STAMPS, *(f.col for f in kind.fields if f.form == entries.TIME)})


def _python(letter: str, values: JSONObject) -> dict[str, Value]:
    """A row's stored values (times as their UTC text) as the domain holds them."""
    times = _times(letter)
    return {
        column: parse_utc(value) if column in times and isinstance(value, str) else value
        for column, value in values.items()
    }


def _entry(session: Session, row: _Action) -> JournalEntry:
    changes = json.loads(row.changes)
    created: list[Record] = []
    total = 0
    for letter, (lo, hi) in changes["created"].items():
        total += hi - lo + 1
        if len(created) < CREATED_SHOWN:
            limit = CREATED_SHOWN - len(created)
            created += repo.records_where(
                session, letter, "id BETWEEN ? AND ? ORDER BY id LIMIT ?", (lo, hi, limit)
            )
    changed = []
    for update in changes["updated"]:
        stored = repo.records_where(session, update["t"], "id = ?", (update["id"],))
        if not stored:
            continue
        changed.append(
            Change(
                record=stored[0],
                before=_python(update["t"], update["before"]),
                after=_python(update["t"], update["after"]),
            )
        )
    return JournalEntry(
        id=row.id,
        at=row.at,
        command=row.command,
        undone=row.undone_at is not None,
        created=tuple(created),
        created_total=total,
        changed=tuple(changed),
    )


def pending(session: Session, *, for_redo: bool = False) -> JournalEntry | None:
    """What the next `undo` (or `redo`) would revert (re-apply); None: nothing."""
    row = _next(session, for_redo=for_redo)
    return None if row is None else _entry(session, row)


def recent(session: Session, *, limit: int) -> list[JournalEntry]:
    """The newest `limit` actions, newest first (`undo --list`)."""
    return [_entry(session, row) for row in _select(session, "1 ORDER BY id DESC", limit=limit)]


def count(session: Session) -> int:
    query = select(func.count()).select_from(journal_table())
    return int(session.connection().execute(query).scalar_one())


def times(entry: JournalEntry, *, limit: int = 50) -> list[datetime]:
    """The entry times an undo or redo touches (the flags are judged there too): the
    records' `at` now and any `at` they had before or after; few records only (an import
    is judged at now, as the import itself)."""
    if len(entry.records) > limit or entry.created_total > limit:
        return []
    found = [r.at for r in entry.records]
    for change in entry.changed:
        for values in (change.before, change.after):
            at = values.get("at")
            if isinstance(at, datetime):
                found.append(at)
    return found


def _apply(session: Session, update: JSONObject, *, expect: str, put: str) -> None:
    """Put an updated row's `put` values back after checking it still has `expect` (both
    as stored: the journal keeps stored values)."""
    letter = update["t"]
    kind = entries.BY_LETTER[letter]
    known = {*declared.raw_columns(kind), *entries.STAMPS}
    if not set(update[expect]) <= known or not set(update[put]) <= known:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    raw = session.dbapi()
    names = list(update[expect])
    sql = f'SELECT {", ".join(names)} FROM "{kind.table}" WHERE id = ?'
    found = raw.execute(sql, (update["id"],)).fetchone()
    if found is None or dict(zip(names, found, strict=True)) != update[expect]:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    values = update[put]
    sets = ", ".join(f"{name} = ?" for name in values)
    raw.execute(f'UPDATE "{kind.table}" SET {sets} WHERE id = ?', (*values.values(), update["id"]))
    repo._touch(session, letter, update["id"])


def _undone(session: Session, row: _Action, undone_at: datetime | None) -> JournalEntry:
    """Mark the action `row` undone at `undone_at` (None: redone); what it is now."""
    stamp = None if undone_at is None else _UTC.process_bind_param(undone_at, None)
    table = f'"{journal_table().name}"'
    session.dbapi().execute(f"UPDATE {table} SET undone_at = ? WHERE id = ?", (stamp, row.id))
    now = _first(session, "id = ?", (row.id,))
    assert now is not None  # updated in this transaction
    return _entry(session, now)


def undo(session: Session, *, expect: int | None, now: datetime) -> JournalEntry:
    """Revert the newest action not undone (its id must be `expect` when given: what the
    person was shown). Nothing to undo, or not that one any more: InputError."""
    session.flush()
    row = _next(session, for_redo=False)
    if row is None:
        raise InputError(msg.NOTHING_TO_UNDO)
    if expect is not None and row.id != expect:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    changes = json.loads(row.changes)
    for update in reversed(changes["updated"]):
        _apply(session, update, expect="after", put="before")
    raw, stamp = session.dbapi(), _UTC.process_bind_param(now, None)
    for letter, (lo, hi) in changes["created"].items():
        name = entries.BY_LETTER[letter].table
        raw.execute(
            f'UPDATE "{name}" SET deleted_at = ? WHERE id BETWEEN ? AND ? AND deleted_at IS NULL',
            (stamp, lo, hi),
        )
        repo._touch(session, letter, lo, hi)
    return _undone(session, row, now)


def redo(session: Session, *, expect: int | None, now: datetime) -> JournalEntry:
    """Re-apply the most recently undone action (none: InputError; a new action since
    dropped the undone ones)."""
    session.flush()
    row = _next(session, for_redo=True)
    if row is None:
        raise InputError(msg.NOTHING_TO_REDO, msg.NOTHING_TO_REDO_HINT)
    if expect is not None and row.id != expect:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    changes = json.loads(row.changes)
    raw = session.dbapi()
    for letter, (lo, hi) in changes["created"].items():
        name = entries.BY_LETTER[letter].table
        raw.execute(
            f'UPDATE "{name}" SET deleted_at = NULL WHERE id BETWEEN ? AND ? AND deleted_at = ?',
            (lo, hi, row.undone_at),
        )
        repo._touch(session, letter, lo, hi)
    for update in changes["updated"]:
        _apply(session, update, expect="before", put="after")
    return _undone(session, row, None)
