"""an optional identity in the profile, for the FHIR Patient

Revision ID: 0006_identity
Revises: 0005_not_recorded
Create Date: 2026-12-01

Issue 17. `profile.name` and `profile.date_of_birth` (YYYY-MM-DD), both nullable and never
required: `profile set --name ... [--date-of-birth D]` fills them, and `export fhir` then
writes a `Patient` resource every resource references. Adding nullable columns needs no
table rebuild on SQLite. Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_identity"
down_revision = "0005_not_recorded"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("date_of_birth", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profile", schema=None) as batch_op:
        batch_op.drop_column("date_of_birth")
        batch_op.drop_column("name")
