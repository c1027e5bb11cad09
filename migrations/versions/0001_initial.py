"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-21

The whole schema of docs/design.md. Timestamps are UTC ISO text (store.tables.UTCDateTime).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("table_name", sa.String(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("before", sa.String(), nullable=False),
        sa.Column("undone_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    op.create_table(
        "episode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode")),
        sa.UniqueConstraint("uid", name=op.f("uq_episode_uid")),
    )
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_at"), ["at"], unique=False)

    op.create_table(
        "pain_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("spasms", sa.Integer(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("radiates", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name=op.f("ck_pain_entry_pain_range")),
        sa.CheckConstraint("spasms >= 0", name=op.f("ck_pain_entry_spasms_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pain_entry")),
        sa.UniqueConstraint("uid", name=op.f("uq_pain_entry_uid")),
    )
    with op.batch_alter_table("pain_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pain_entry_at"), ["at"], unique=False)

    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("prior_back_pain", sa.Boolean(), nullable=True),
        sa.Column("history", sa.String(), nullable=False),
        sa.Column("remind_at", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile")),
        sa.UniqueConstraint("uid", name=op.f("uq_profile_uid")),
    )
    op.create_table(
        "symptom_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_symptom_report")),
        sa.UniqueConstraint("uid", name=op.f("uq_symptom_report_uid")),
    )
    with op.batch_alter_table("symptom_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_symptom_report_at"), ["at"], unique=False)

    op.create_table(
        "treatment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted_at", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("drug", sa.String(), nullable=True),
        sa.Column("dose_mg", sa.Float(), nullable=True),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("relief", sa.Integer(), nullable=True),
        sa.Column("relaxant", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.CheckConstraint(
            "dose_mg IS NULL OR dose_mg > 0", name=op.f("ck_treatment_dose_positive")
        ),
        sa.CheckConstraint(
            "minutes IS NULL OR minutes > 0", name=op.f("ck_treatment_minutes_positive")
        ),
        sa.CheckConstraint(
            "relief IS NULL OR relief BETWEEN 0 AND 10", name=op.f("ck_treatment_relief_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_treatment")),
        sa.UniqueConstraint("uid", name=op.f("uq_treatment_uid")),
    )
    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_treatment_at"), ["at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("treatment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_treatment_at"))

    op.drop_table("treatment")
    with op.batch_alter_table("symptom_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_symptom_report_at"))

    op.drop_table("symptom_report")
    op.drop_table("profile")
    with op.batch_alter_table("pain_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pain_entry_at"))

    op.drop_table("pain_entry")
    with op.batch_alter_table("episode", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_episode_at"))

    op.drop_table("episode")
    op.drop_table("change_log")
