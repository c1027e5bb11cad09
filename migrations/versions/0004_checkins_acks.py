"""check-ins as one record, and acknowledged flags

Revision ID: 0004_checkins_acks
Revises: 0003_prescriptions
Create Date: 2026-12-01

Two new tables (rule catalog version 2, docs/rules.md):
- `checkin`: one row per `backcare checkin` (the codes asked, the codes answered present).
  Older check-ins stay as one symptom_report row per answer; nothing is folded.
- `acknowledgement`: `backcare ack RULE` (the flag's evidence keys when it was
  acknowledged, a note, whether the person has sought care).

Both with the event bookkeeping (uid, at, created_at, soft delete) and the same CHECKs as
revision 0002_value_checks. Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_checkins_acks"
down_revision = "0003_prescriptions"
branch_labels = None
depends_on = None

D = "[0-9]"
UTC_GLOB = f"{D * 4}-{D * 2}-{D * 2}T{D * 2}:{D * 2}:{D * 2}.{D * 6}Z"


def _stamps() -> list[sa.Column[str]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
    ]


def _constraints(table: str) -> list[sa.Constraint]:
    checks: list[sa.Constraint] = [
        sa.CheckConstraint(f"at GLOB '{UTC_GLOB}'", name=op.f(f"ck_{table}_at_utc")),
        sa.CheckConstraint(
            f"created_at GLOB '{UTC_GLOB}'", name=op.f(f"ck_{table}_created_at_utc")
        ),
        sa.CheckConstraint(
            f"deleted_at IS NULL OR deleted_at GLOB '{UTC_GLOB}'",
            name=op.f(f"ck_{table}_deleted_at_utc"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("uid", name=op.f(f"uq_{table}_uid")),
    ]
    return checks


def upgrade() -> None:
    op.create_table(
        "checkin",
        *_stamps(),
        sa.Column("asked", sa.String(), nullable=False),
        sa.Column("present", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        *_constraints("checkin"),
    )
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkin_at"), ["at"], unique=False)

    op.create_table(
        "acknowledgement",
        *_stamps(),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("evidence", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("sought_care", sa.Boolean(), nullable=False),
        *_constraints("acknowledgement"),
        sa.CheckConstraint(
            "sought_care IN (0, 1)", name=op.f("ck_acknowledgement_sought_care_bool")
        ),
    )
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_acknowledgement_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_acknowledgement_at"))
    op.drop_table("acknowledgement")
    with op.batch_alter_table("checkin", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkin_at"))
    op.drop_table("checkin")
