"""Schema revisions, readable without importing Alembic or SQLAlchemy.

`REVISIONS` lists every Alembic revision in order; the last is the head this code writes.
A test checks this against the migration scripts, so opening an up-to-date database can
compare one string instead of importing Alembic.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = ("0001_initial",)
HEAD = REVISIONS[-1]
SQLITE_HEADER = b"SQLite format 3\x00"
