"""questionnaires (measures) and Patient-Specific Functional Scale activities (goals)

Revision ID: 0008_measures
Revises: 0006_identity
Create Date: 2026-12-01

Issue 16. Two new tables with the event bookkeeping (uid, at, created_at, soft delete) and
the CHECKs of revision 0002_value_checks:
- `measure`: one completed questionnaire (`backcare measure NAME`): the instrument id (one
  of domain/measures.INSTRUMENT_IDS), the answers as comma-separated whole numbers in the
  items' order, for PSFS the activities rated (a JSON list of their texts), a note. The
  score is derived from the answers, never stored.
- `goal`: one PSFS activity (`backcare goals add TEXT`), `ended_at` set by `goals remove`.
The lead re-chains `down_revision` at the merge. Uses sqlalchemy types only; a migration
never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_measures"
down_revision = "0007_action_journal"
branch_labels = None
depends_on = None

D = "[0-9]"
UTC_GLOB = f"{D * 4}-{D * 2}-{D * 2}T{D * 2}:{D * 2}:{D * 2}.{D * 6}Z"
INSTRUMENTS = "('peg', 'startback', 'rmdq', 'psfs')"


def _stamps() -> list[sa.Column[str]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
    ]


def _constraints(table: str) -> list[sa.Constraint]:
    return [
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


def upgrade() -> None:
    op.create_table(
        "measure",
        *_stamps(),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("answers", sa.String(), nullable=False),
        sa.Column("goals", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        *_constraints("measure"),
        sa.CheckConstraint(
            f"instrument IN {INSTRUMENTS}", name=op.f("ck_measure_instrument_known")
        ),
        sa.CheckConstraint(
            "answers != '' AND answers NOT GLOB '*[^0-9,]*'",
            name=op.f("ck_measure_answers_numbers"),
        ),
    )
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_at"), ["at"], unique=False)

    op.create_table(
        "goal",
        *_stamps(),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("ended_at", sa.String(length=32), nullable=True),
        *_constraints("goal"),
        sa.CheckConstraint(
            f"ended_at IS NULL OR ended_at GLOB '{UTC_GLOB}'", name=op.f("ck_goal_ended_at_utc")
        ),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_at"))
    op.drop_table("goal")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_at"))
    op.drop_table("measure")
