"""Schema revisions, readable without importing Alembic or SQLAlchemy.

`REVISIONS` lists every Alembic revision in order; the last is the head this code writes.
A test checks this against the migration scripts, so opening an up-to-date database can
compare one string instead of importing Alembic.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_value_checks",
    "0003_prescriptions",
    "0004_checkins_acks",
    "0005_not_recorded",
    "0006_identity",
    "0007_action_journal",
    "0008_measures",
)
HEAD = REVISIONS[-1]
SQLITE_HEADER = b"SQLite format 3\x00"

# The one sortable form of every stored timestamp (store.tables.UTCDateTime writes it; CHECK
# constraints since revision 0002_value_checks and `db check` hold the file to it).
_D = "[0-9]"
UTC_GLOB = f"{_D * 4}-{_D * 2}-{_D * 2}T{_D * 2}:{_D * 2}:{_D * 2}.{_D * 6}Z"
