"""Storage failures reach the person as one clear line, exit 1, and lose nothing stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from backcare.store import engine, locking
from tests.conftest import Run, row_counts


def test_locked_database_gives_a_busy_error_and_keeps_data(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("log", "5", "--at", "-1h").exit_code == 0
    # Don't wait the full time in a test: the busy timeout and the write lock's retries
    # (store/locking.py, 120 s) are both cut; the slow reliability tests wait the real time.
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(locking, "WRITE_WAIT_S", 0.5)
    holder = sqlite3.connect(db_path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock past our timeout
    try:
        result = run("log", "6")
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert "is busy" in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert row_counts(db_path)["pain_entry"] == 1
    assert run("log", "6").exit_code == 0  # once the lock is gone, it works
    assert row_counts(db_path)["pain_entry"] == 2


def test_disk_full_gives_a_clear_error_and_rolls_back(run: Run, db_path: Path) -> None:
    """SQLite's max_page_count makes a real SQLITE_FULL inside our write transaction."""
    from sqlalchemy import event

    from backcare.domain.inputs import new_pain
    from backcare.errors import StorageError
    from backcare.store import repo
    from backcare.store.engine import open_store

    assert run("log", "5", "--at", "-1h").exit_code == 0
    store = open_store(db_path, create=False)

    @event.listens_for(store.engine, "connect")
    def _cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    from backcare.cli.context import local_now

    now = local_now()
    with pytest.raises(StorageError) as caught, store.write() as session:
        for _ in range(2000):
            repo.add_pain(session, entry=new_pain(at=now, pain=4, note="x" * 500), now=now)
    store.close()
    assert "disk holding" in caught.value.message and str(db_path) in caught.value.message
    assert "x" * 20 not in caught.value.message  # no health data in the error
    assert row_counts(db_path)["pain_entry"] == 1  # the whole transaction rolled back
    assert sqlite3.connect(db_path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_sqlalchemy_log_records_never_reach_the_terminal(tmp_path: Path) -> None:
    """A Ctrl-C while SQLAlchemy's pool closes a connection made it log "Exception closing
    connection" with a traceback, which Python's last-resort handler printed to stderr
    (seen in CI: tests/reliability/test_migration_backups.py). backcare says what happened
    in its own words at its one exit point; the library's log records go nowhere. Run in a
    subprocess: pytest's own log handlers would hide the last-resort handler here."""
    import subprocess
    import sys

    script = (
        "import logging, sys\n"
        "from pathlib import Path\n"
        "from backcare.store.engine import open_store\n"
        "store = open_store(Path(sys.argv[1]), create=True)\n"
        "store.close()\n"
        "logging.getLogger('sqlalchemy.pool.impl.QueuePool').error(\n"
        "    'Exception closing connection', exc_info=ValueError('pain 9'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "b.db")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
