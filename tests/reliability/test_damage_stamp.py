"""The write gate's shortcut (store/engine.py `_Stamp`, issue 18): a write skips SQLite's
whole-file quick_check only while the file is exactly as a checked backcare write left it.

Any other change to the file (here: one page damaged in place, the way a disk or a careless
copy would) is seen, and the next write checks the whole file again and refuses it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from tests.conftest import Run, file_digest
from tests.reliability.test_damaged import _flip_old_page
from tests.reliability.util import seed


def _stamped(db: Path) -> bool:
    """Whether `db` has a stamp (in the test's own state dir)."""
    from backcare.store.engine import _Stamp

    where = _Stamp._where(db)
    assert where.is_relative_to(Path(os.environ["XDG_STATE_HOME"]))
    return where.exists()


def _damaged_copy(tmp_path: Path) -> bytes:
    old = tmp_path / "old.db"
    seed(old, days=200, per_day=6)
    return _flip_old_page(old.read_bytes(), tmp_path)


def test_a_file_damaged_in_place_after_a_checked_write_is_refused(tmp_path: Path, run: Run) -> None:
    damaged = _damaged_copy(tmp_path)
    db = tmp_path / "data" / "backcare.db"
    db.parent.mkdir(mode=0o700)
    db.write_bytes((tmp_path / "old.db").read_bytes())
    for _ in range(2):  # the first write checks the file and stamps it; the second trusts it
        assert run("log", "4", "--at", "2026-11-30 09:00", db=db).exit_code == 0
    assert _stamped(db)
    # The damage lands after backcare's write, in place (same inode, same size). The pause
    # keeps it out of the clock tick of backcare's own write (a change within that tick is
    # the one thing the stamp cannot see: see _Stamp).
    time.sleep(0.05)
    with db.open("r+b") as handle:
        handle.write(damaged)
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    before = file_digest(db)
    for args in [("log", "5"), ("treat", "ice", "--minutes", "10"), ("symptom", "fever")]:
        result = run(*args, db=db)
        assert result.exit_code == 1, (args, result.stdout, result.stderr)
        assert "damaged" in result.stderr and "backcare db check" in result.stderr
    assert file_digest(db) == before


def test_a_write_beside_an_open_reader_leaves_no_stamp(tmp_path: Path, run: Run) -> None:
    """While another connection keeps the WAL, the file alone does not say what is in the
    database: no stamp is written, and the next write checks the whole file."""
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "3", "--at", "2026-11-30 09:00", db=db).exit_code == 0
    assert _stamped(db)
    reader = sqlite3.connect(db)
    try:
        reader.execute("SELECT count(*) FROM pain_entry").fetchone()
        assert run("log", "4", "--at", "2026-11-30 10:00", db=db).exit_code == 0
        assert not _stamped(db)
    finally:
        reader.close()
    assert run("log", "5", "--at", "2026-11-30 11:00", db=db).exit_code == 0
    assert _stamped(db)
