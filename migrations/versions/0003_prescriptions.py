"""prescriptions, and the product a treatment row came from

Revision ID: 0003_prescriptions
Revises: 0002_value_checks
Create Date: 2026-12-01

Issue 12. `treatment.product` (nullable) keeps the product typed ("Excedrin") when a
combination product is recorded as one row per ingredient. The new `prescription` table
holds a person's prescription for a drug: dose, interval, daily maximum and course, which
the rules use instead of the OTC label while it is in force. Adding a nullable column needs
no table rebuild on SQLite. Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_prescriptions"
down_revision = "0002_value_checks"
branch_labels = None
depends_on = None

D = "[0-9]"
UTC_GLOB = f"{D * 4}-{D * 2}-{D * 2}T{D * 2}:{D * 2}:{D * 2}.{D * 6}Z"


def _utc(column: str, *, nullable: bool = False) -> sa.CheckConstraint:
    check = f"{column} GLOB '{UTC_GLOB}'"
    return sa.CheckConstraint(
        f"{column} IS NULL OR {check}" if nullable else check,
        name=op.f(f"ck_prescription_{column}_utc"),
    )


def upgrade() -> None:
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product", sa.String(), nullable=True))
    op.create_table(
        "prescription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("drug", sa.String(), nullable=False),
        sa.Column("dose_mg", sa.Float(), nullable=True),
        sa.Column("every_minutes", sa.Integer(), nullable=True),
        sa.Column("max_daily_mg", sa.Float(), nullable=True),
        sa.Column("until", sa.String(length=32), nullable=True),
        sa.Column("stopped_at", sa.String(length=32), nullable=True),
        sa.Column("relaxant", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint(
            "dose_mg IS NULL OR dose_mg > 0", name=op.f("ck_prescription_dose_positive")
        ),
        sa.CheckConstraint(
            "every_minutes IS NULL OR every_minutes > 0",
            name=op.f("ck_prescription_every_positive"),
        ),
        sa.CheckConstraint(
            "max_daily_mg IS NULL OR max_daily_mg > 0",
            name=op.f("ck_prescription_max_daily_positive"),
        ),
        _utc("at"),
        _utc("created_at"),
        _utc("deleted_at", nullable=True),
        _utc("until", nullable=True),
        _utc("stopped_at", nullable=True),
        sa.CheckConstraint("relaxant IN (0, 1)", name=op.f("ck_prescription_relaxant_bool")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescription")),
        sa.UniqueConstraint("uid", name=op.f("uq_prescription_uid")),
    )
    with op.batch_alter_table("prescription", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescription_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prescription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescription_at"))
    op.drop_table("prescription")
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_column("product")
