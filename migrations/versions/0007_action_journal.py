"""an action journal for undo and redo

Revision ID: 0007_action_journal
Revises: 0006_identity
Create Date: 2026-12-01

Issue 15 "Undo you can trust". `change_log` knew deletes and edits only, one row each, so
`undo` after an edit, a delete and a purge reverted the older edit. `action_journal` has one
row per command that changed entries (log, treat, symptom, checkin, edit, delete, import,
meds, ack, unack): the rows it created (`created`: first and last id per ID letter) and the
fields it changed, before and after (`updated`). `db purge` and `db restore` clear it.

The change_log rows not undone yet are carried over, one journal row each (command "edit"
or "delete", at their own time), so an `undo` pending before the upgrade still works: the
values after each change are the next pending change's values before it, else the row's
current ones. Undone rows are dropped (they were not redoable before either). Then
change_log is dropped. Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007_action_journal"
down_revision = "0006_identity"
branch_labels = None
depends_on = None

D = "[0-9]"
UTC_GLOB = f"{D * 4}-{D * 2}-{D * 2}T{D * 2}:{D * 2}:{D * 2}.{D * 6}Z"
# change_log.table_name (an ID letter) -> the table (revisions 0001 to 0006)
TABLES = {
    "p": "pain_entry",
    "t": "treatment",
    "s": "symptom_report",
    "r": "prescription",
    "c": "checkin",
    "a": "acknowledgement",
}
TIME_FIELDS = {"at", "deleted_at", "stopped_at", "until"}


def _stored(field: str, value: Any) -> Any:
    """change_log kept times as isoformat() with an offset: the stored UTC text instead."""
    if field in TIME_FIELDS and isinstance(value, str):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def _carry_over(conn: sa.Connection) -> None:
    pending = conn.execute(
        sa.text(
            "SELECT id, at, action, table_name, row_id, before FROM change_log "
            "WHERE undone_at IS NULL ORDER BY id"
        )
    ).all()
    later: dict[tuple[str, int, str], Any] = {}  # the next pending change's value before it
    rows: list[dict[str, Any]] = []
    for _id, at, action, letter, row_id, before_text in reversed(pending):
        table = TABLES.get(letter)
        if table is None:
            continue
        before = {k: _stored(k, v) for k, v in json.loads(before_text).items()}
        current = (
            conn.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id})
            .mappings()
            .first()
        )
        if current is None or any(field not in current for field in before):
            continue  # the row is gone (purged): nothing to revert
        after = {field: later.get((letter, row_id, field), current[field]) for field in before}
        for field, value in before.items():
            later[(letter, row_id, field)] = value
        changes = {
            "created": {},
            "updated": [{"t": letter, "id": row_id, "before": before, "after": after}],
        }
        rows.append({"at": at, "command": action, "changes": json.dumps(changes)})
    for row in reversed(rows):
        conn.execute(
            sa.text(
                "INSERT INTO action_journal (at, command, changes) VALUES (:at, :command, :changes)"
            ),
            row,
        )


def _carry_back(conn: sa.Connection) -> None:
    """Downgrade: each change of an action not undone becomes a change_log row again (the
    rows an action created have no place there: the old undo did not know them)."""
    rows = conn.execute(
        sa.text(
            "SELECT at, command, changes FROM action_journal WHERE undone_at IS NULL ORDER BY id"
        )
    ).all()
    for at, command, changes_text in rows:
        for update in json.loads(changes_text)["updated"]:
            before = update["before"]
            action = "delete" if command == "delete" or "deleted_at" in before else "edit"
            conn.execute(
                sa.text(
                    "INSERT INTO change_log (at, action, table_name, row_id, before) "
                    "VALUES (:at, :action, :t, :id, :before)"
                ),
                {
                    "at": at,
                    "action": action,
                    "t": update["t"],
                    "id": update["id"],
                    "before": json.dumps(before),
                },
            )


def upgrade() -> None:
    op.create_table(
        "action_journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("command", sa.String(), nullable=False),
        sa.Column("changes", sa.String(), nullable=False),
        sa.Column("undone_at", sa.String(length=32), nullable=True),
        sa.CheckConstraint(f"at GLOB '{UTC_GLOB}'", name=op.f("ck_action_journal_at_utc")),
        sa.CheckConstraint(
            f"undone_at IS NULL OR undone_at GLOB '{UTC_GLOB}'",
            name=op.f("ck_action_journal_undone_at_utc"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_journal")),
    )
    _carry_over(op.get_bind())
    op.drop_table("change_log")


def downgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
        sa.Column("undone_at", sa.String(length=32), nullable=True),
        sa.CheckConstraint(f"at GLOB '{UTC_GLOB}'", name=op.f("ck_change_log_at_utc")),
        sa.CheckConstraint(
            f"undone_at IS NULL OR undone_at GLOB '{UTC_GLOB}'",
            name=op.f("ck_change_log_undone_at_utc"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    _carry_back(op.get_bind())
    op.drop_table("action_journal")
