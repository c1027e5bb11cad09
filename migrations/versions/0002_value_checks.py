"""value checks: canonical UTC timestamps and 0/1 booleans

Revision ID: 0002_value_checks
Revises: 0001_initial
Create Date: 2026-11-21

Every range query and every rule window relies on `ORDER BY at` / `at >= ?` being ordering in
time, which holds only while each stored timestamp has the one sortable form UTCDateTime
writes (`YYYY-MM-DDTHH:MM:SS.ffffffZ`). Revision 1 did not enforce it, and a year before 1000
was stored unpadded (`999-12-31T...`), sorting after 2026 and unreadable by
`datetime.fromisoformat`. This revision pads such years, then adds CHECK constraints for the
timestamp form on every timestamp column and for 0/1 in the boolean columns. SQLite cannot add
a constraint in place: each table is rebuilt (batch "recreate"), rows copied unchanged.

Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_value_checks"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

D = "[0-9]"
UTC_GLOB = f"{D * 4}-{D * 2}-{D * 2}T{D * 2}:{D * 2}:{D * 2}.{D * 6}Z"

# table -> (timestamp columns, nullable ones among them, boolean columns)
TIMESTAMPS: dict[str, tuple[str, ...]] = {
    "pain_entry": ("at", "created_at", "deleted_at"),
    "treatment": ("at", "created_at", "deleted_at"),
    "symptom_report": ("at", "created_at", "deleted_at"),
    "episode": ("at", "created_at", "deleted_at"),
    "profile": ("created_at", "updated_at"),
    "change_log": ("at", "undone_at"),
}
NULLABLE = {"deleted_at", "undone_at"}
BOOLEANS: dict[str, tuple[tuple[str, bool], ...]] = {
    "treatment": (("relaxant", False),),
    "symptom_report": (("present", False),),
    "profile": (("prior_back_pain", True),),
}


def timestamp_check(column: str) -> str:
    check = f"{column} GLOB '{UTC_GLOB}'"
    return f"{column} IS NULL OR {check}" if column in NULLABLE else check


def boolean_check(column: str, nullable: bool) -> str:
    check = f"{column} IN (0, 1)"
    return f"{column} IS NULL OR {check}" if nullable else check


def _pad_short_years(table: str, column: str) -> None:
    """`999-12-31T...` -> `0999-12-31T...` (what revision 1 stored for years before 1000)."""
    op.execute(
        sa.text(
            f"UPDATE {table} SET {column} = "
            f"printf('%04d', CAST(substr({column}, 1, instr({column}, '-') - 1) AS INTEGER))"
            f" || substr({column}, instr({column}, '-')) "
            f"WHERE {column} NOT GLOB '{UTC_GLOB}' "
            f"AND ({column} GLOB '{D}-*' OR {column} GLOB '{D * 2}-*' OR {column} GLOB '{D * 3}-*')"
        )
    )


def upgrade() -> None:
    for table, columns in TIMESTAMPS.items():
        for column in columns:
            _pad_short_years(table, column)
        with op.batch_alter_table(table, recreate="always") as batch_op:
            for column in columns:
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}_utc"), timestamp_check(column)
                )
            for column, nullable in BOOLEANS.get(table, ()):
                batch_op.create_check_constraint(
                    op.f(f"ck_{table}_{column}_bool"), boolean_check(column, nullable)
                )


def downgrade() -> None:
    for table, columns in TIMESTAMPS.items():
        with op.batch_alter_table(table, recreate="always") as batch_op:
            for column, _nullable in BOOLEANS.get(table, ()):
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}_bool"), type_="check")
            for column in columns:
                batch_op.drop_constraint(op.f(f"ck_{table}_{column}_utc"), type_="check")
