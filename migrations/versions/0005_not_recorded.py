"""not recorded is not zero: pain_entry.spasms and pain_entry.radiates may be NULL

Revision ID: 0005_not_recorded
Revises: 0004_checkins_acks
Create Date: 2026-12-01

Issue 15 ("Not recorded is not zero"): `log 6` without `--spasms` or `--radiates` said
nothing about spasms or spreading, yet revision 1 stored 0 and 'none', which every summary,
report and export then showed as a fact. From this revision an option left out is stored as
NULL (not recorded). Existing rows keep what they have: nothing can tell a typed `--spasms 0`
from the old default, so no value is rewritten. `location` was nullable already.

SQLite cannot change a column's nullability in place: the table is rebuilt (batch
"recreate"), rows copied unchanged, the CHECK `spasms >= 0` kept (NULL passes a CHECK).
Downgrade writes the old defaults back into NULLs (0, 'none') before restoring NOT NULL.
Uses sqlalchemy types only; a migration never imports backcare.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_not_recorded"
down_revision = "0004_checkins_acks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pain_entry", recreate="always") as batch_op:
        batch_op.alter_column("spasms", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("radiates", existing_type=sa.String(), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("UPDATE pain_entry SET spasms = 0 WHERE spasms IS NULL"))
    op.execute(sa.text("UPDATE pain_entry SET radiates = 'none' WHERE radiates IS NULL"))
    with op.batch_alter_table("pain_entry", recreate="always") as batch_op:
        batch_op.alter_column("spasms", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("radiates", existing_type=sa.String(), nullable=False)
