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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, func, select

from backcare import messages as msg
from backcare.domain import entries
from backcare.domain.journal import CREATED_SHOWN, Change, JournalEntry
from backcare.errors import InputError
from backcare.store import repo
from backcare.store.core import UTCDateTime, parse_utc
from backcare.store.core import journal as journal_table

if TYPE_CHECKING:
    from backcare.store.engine import Session

_UTC = UTCDateTime()


def _tables() -> dict[str, Table]:
    return {letter: table for letter, (table, _) in repo.RECORDS.items()}


def _last_ids(session: Session) -> dict[str, int]:
    """The largest id of every record table, in one statement."""
    sql = "SELECT " + ", ".join(f'(SELECT max(id) FROM "{k.table}")' for k in entries.KINDS)
    values = session.dbapi().execute(sql).fetchone()
    return {k.letter: value or 0 for k, value in zip(entries.KINDS, values, strict=True)}


@contextmanager
def action(session: Session, *, command: str, now: datetime) -> Iterator[None]:
    """Journal what the block does to entries as one action named `command` (nothing when
    it changed nothing). A new action drops the undone ones: there is no redo after it."""
    if repo._JOURNAL in session.info:  # already inside an action: it is part of that one
        yield
        return
    session.flush()  # rows an ORM session still holds count as before the action
    first = _last_ids(session)
    updates: list[dict[str, Any]] = []
    session.info[repo._JOURNAL] = updates
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
        session.info.pop(repo._JOURNAL, None)


def clear(session: Session) -> None:
    """Forget every action (`db purge`, `db restore`): undo never reaches past them."""
    session.flush()
    session.connection().execute(delete(journal_table()))


def _next(session: Session, *, for_redo: bool) -> Any:
    table = journal_table()
    query = select(table)
    if for_redo:  # the most recently undone: undo walks back, so the lowest undone id
        query = query.where(table.c.undone_at.is_not(None)).order_by(table.c.id)
    else:
        query = query.where(table.c.undone_at.is_(None)).order_by(table.c.id.desc())
    return session.connection().execute(query.limit(1)).first()


def _python(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    columns = table.c
    return {
        field: (
            parse_utc(value)
            if isinstance(columns[field].type, UTCDateTime) and isinstance(value, str)
            else value
        )
        for field, value in values.items()
    }


def _entry(session: Session, row: Any) -> JournalEntry:
    changes = json.loads(row.changes)
    conn = session.connection()
    created: list[Any] = []
    total = 0
    for letter, (lo, hi) in changes["created"].items():
        total += hi - lo + 1
        table, convert = repo.RECORDS[letter]
        if len(created) < CREATED_SHOWN:
            found = conn.execute(
                select(table)
                .where(table.c.id.between(lo, hi))
                .order_by(table.c.id)
                .limit(CREATED_SHOWN - len(created))
            ).all()
            created += [convert(r) for r in found]
    changed = []
    for update in changes["updated"]:
        table, convert = repo.RECORDS[update["t"]]
        stored = conn.execute(select(table).where(table.c.id == update["id"])).first()
        if stored is None:
            continue
        changed.append(
            Change(
                record=convert(stored),
                before=_python(table, update["before"]),
                after=_python(table, update["after"]),
            )
        )
    assert row.id is not None
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
    table = journal_table()
    query = select(table).order_by(table.c.id.desc()).limit(limit)
    return [_entry(session, row) for row in session.connection().execute(query).all()]


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
            if isinstance(values.get("at"), datetime):
                found.append(values["at"])
    return found


def _apply(session: Session, update: dict[str, Any], *, expect: str, put: str) -> None:
    table = _tables()[update["t"]]
    conn = session.connection()
    row = conn.execute(select(table).where(table.c.id == update["id"])).first()
    if row is None:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    now_values = repo._stored_values(table, {f: getattr(row, f) for f in update[expect]})
    if now_values != update[expect]:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    values = _python(table, update[put])
    conn.execute(table.update().where(table.c.id == update["id"]).values(**values))
    repo._touch(session, update["t"], update["id"])


def _undone(session: Session, row: Any, undone_at: datetime | None) -> JournalEntry:
    """Mark the action `row` undone at `undone_at` (None: redone); what it is now."""
    table = journal_table()
    conn = session.connection()
    conn.execute(table.update().where(table.c.id == row.id).values(undone_at=undone_at))
    return _entry(session, conn.execute(select(table).where(table.c.id == row.id)).one())


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
    tables = _tables()
    conn = session.connection()
    for letter, (lo, hi) in changes["created"].items():
        table = tables[letter]
        conn.execute(
            table.update()
            .where(table.c.id.between(lo, hi), table.c.deleted_at.is_(None))
            .values(deleted_at=now)
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
    tables = _tables()
    conn = session.connection()
    for letter, (lo, hi) in changes["created"].items():
        table = tables[letter]
        conn.execute(
            table.update()
            .where(table.c.id.between(lo, hi), table.c.deleted_at == row.undone_at)
            .values(deleted_at=None)
        )
        repo._touch(session, letter, lo, hi)
    for update in changes["updated"]:
        _apply(session, update, expect="before", put="after")
    return _undone(session, row, None)
