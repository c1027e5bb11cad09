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

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from backcare import messages as msg
from backcare.domain.journal import CREATED_SHOWN, Change, JournalEntry
from backcare.errors import InputError
from backcare.store import repo
from backcare.store.tables import JournalRow, UTCDateTime, parse_utc

if TYPE_CHECKING:
    from backcare.domain.entries import Record
    from backcare.jsonfmt import JSONObject


def _tables() -> dict[str, Any]:
    return {letter: table for letter, (table, _) in repo.RECORDS.items()}


def _last_ids(session: Session) -> dict[str, int]:
    """The largest id of every record table, in one statement."""
    tables = _tables()
    sql = "SELECT " + ", ".join(
        f'(SELECT max(id) FROM "{table.__tablename__}")' for table in tables.values()
    )
    values = session.connection().exec_driver_sql(sql).one()
    return {letter: value or 0 for letter, value in zip(tables, values, strict=True)}


@contextmanager
def action(session: Session, *, command: str, now: datetime) -> Iterator[None]:
    """Journal what the block does to entries as one action named `command` (nothing when
    it changed nothing). A new action drops the undone ones: there is no redo after it."""
    if repo._JOURNAL in session.info:  # already inside an action: it is part of that one
        yield
        return
    first = _last_ids(session)
    updates: list[JSONObject] = []  # what `repo` records of each change, as JSON
    session.info[repo._JOURNAL] = updates
    try:
        yield
        last = _last_ids(session)
        created = {
            letter: [first[letter] + 1, last[letter]]
            for letter in first
            if last[letter] > first[letter]
        }
        if created or updates:
            session.execute(delete(JournalRow).where(col(JournalRow.undone_at).is_not(None)))
            changes = {"created": created, "updated": updates}
            session.add(JournalRow(at=now, command=command, changes=json.dumps(changes)))
            session.flush()
    finally:
        session.info.pop(repo._JOURNAL, None)


def clear(session: Session) -> None:
    """Forget every action (`db purge`, `db restore`): undo never reaches past them."""
    session.execute(delete(JournalRow))


def _next(session: Session, *, for_redo: bool) -> JournalRow | None:
    query = select(JournalRow)
    if for_redo:  # the most recently undone: undo walks back, so the lowest undone id
        query = query.where(col(JournalRow.undone_at).is_not(None)).order_by(col(JournalRow.id))
    else:
        query = query.where(col(JournalRow.undone_at).is_(None)).order_by(col(JournalRow.id).desc())
    return session.exec(query).first()


def _python(table: Any, values: JSONObject) -> dict[str, Any]:
    columns = table.__table__.c
    return {
        field: (
            parse_utc(value)
            if isinstance(columns[field].type, UTCDateTime) and isinstance(value, str)
            else value
        )
        for field, value in values.items()
    }


def _entry(session: Session, row: JournalRow) -> JournalEntry:
    changes = json.loads(row.changes)
    tables = _tables()
    created: list[Record] = []
    total = 0
    for letter, (lo, hi) in changes["created"].items():
        total += hi - lo + 1
        table, convert = repo.RECORDS[letter]
        if len(created) < CREATED_SHOWN:
            found = session.exec(
                select(table)
                .where(col(table.id).between(lo, hi))
                .order_by(col(table.id))
                .limit(CREATED_SHOWN - len(created))
            ).all()
            created += [convert(r) for r in found]
    changed = []
    for update in changes["updated"]:
        table, convert = repo.RECORDS[update["t"]]
        stored = session.get(tables[update["t"]], update["id"])
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
    rows = session.exec(select(JournalRow).order_by(col(JournalRow.id).desc()).limit(limit)).all()
    return [_entry(session, row) for row in rows]


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(JournalRow)).one()


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
    table = _tables()[update["t"]]
    row = session.get(table, update["id"])
    if row is None:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    now_values = repo._stored_values(table, {f: getattr(row, f) for f in update[expect]})
    if now_values != update[expect]:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    for field, value in _python(table, update[put]).items():
        setattr(row, field, value)
    session.add(row)


def undo(session: Session, *, expect: int | None, now: datetime) -> JournalEntry:
    """Revert the newest action not undone (its id must be `expect` when given: what the
    person was shown). Nothing to undo, or not that one any more: InputError."""
    row = _next(session, for_redo=False)
    if row is None:
        raise InputError(msg.NOTHING_TO_UNDO)
    if expect is not None and row.id != expect:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    changes = json.loads(row.changes)
    for update in reversed(changes["updated"]):
        _apply(session, update, expect="after", put="before")
    tables = _tables()
    for letter, (lo, hi) in changes["created"].items():
        table = tables[letter].__table__
        session.execute(
            table.update()
            .where(table.c.id.between(lo, hi), table.c.deleted_at.is_(None))
            .values(deleted_at=now)
        )
    row.undone_at = now
    session.add(row)
    session.flush()
    session.expire_all()
    return _entry(session, row)


def redo(session: Session, *, expect: int | None, now: datetime) -> JournalEntry:
    """Re-apply the most recently undone action (none: InputError; a new action since
    dropped the undone ones)."""
    row = _next(session, for_redo=True)
    if row is None:
        raise InputError(msg.NOTHING_TO_REDO, msg.NOTHING_TO_REDO_HINT)
    if expect is not None and row.id != expect:
        raise InputError(msg.UNDO_CONFLICT, msg.UNDO_CONFLICT_HINT)
    changes = json.loads(row.changes)
    tables = _tables()
    for letter, (lo, hi) in changes["created"].items():
        table = tables[letter].__table__
        session.execute(
            table.update()
            .where(table.c.id.between(lo, hi), table.c.deleted_at == row.undone_at)
            .values(deleted_at=None)
        )
    for update in changes["updated"]:
        _apply(session, update, expect="before", put="after")
    row.undone_at = None
    session.add(row)
    session.flush()
    session.expire_all()
    return _entry(session, row)
