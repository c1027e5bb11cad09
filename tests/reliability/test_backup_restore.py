"""`db backup` and `db restore`, and the automatic backups before migrations.

Backups use SQLite's online backup API: a copy taken while another process commits is the
database as of one commit. Restore verifies the file, keeps the current DB, then replaces it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import Run, file_digest
from tests.reliability.util import (
    REV1,
    REV1_ROWS,
    cli_env,
    count,
    head_table,
    integrity,
    make_rev1_db,
    notes,
    revision,
    rows_at_head,
    seed,
    side_files,
    table_rows,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def journal_mode(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


# --- backup ----------------------------------------------------------------------------

WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from backcare.domain.inputs import NewPain
from backcare.store import repo
from backcare.store.engine import open_store

store = open_store(Path(sys.argv[1]), create=True)
i = 0
while True:
    now = datetime.now(UTC)
    with store.write() as session:
        repo.add_pain(session, entry=NewPain(at=now, pain=3, note=f"n{i:06d}"), now=now)
    print(i, flush=True)
    i += 1
"""


def test_backup_while_another_process_writes_is_one_consistent_commit(
    tmp_path: Path, run: Run
) -> None:
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "1", db=db).exit_code == 0
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        env=cli_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert writer.stdout is not None
        copies = []
        for k in range(4):
            for _ in range(30):  # let it commit some more between the copies
                writer.stdout.readline()
            target = tmp_path / f"copy{k}.db"
            result = run("db", "backup", str(target), db=db)
            assert result.exit_code == 0, result.stderr
            copies.append(target)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
    sizes = []
    for target in copies:
        assert integrity(target) == ["ok"]
        assert mode(target) == 0o600
        assert journal_mode(target) == "delete" and side_files(target) == {}
        written = sorted(n for n in notes(target) if n.startswith("n"))
        # A snapshot at one commit of a sequential writer: n000000 .. nK, nothing missing.
        assert written == [f"n{i:06d}" for i in range(len(written))]
        sizes.append(len(written))
    assert sizes == sorted(sizes) and sizes[0] >= 30


def test_backup_default_file_beside_the_db(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    counts = seed(db)
    result = run("db", "backup", db=db)
    assert result.exit_code == 0, result.stderr
    made = list(db.parent.glob("backcare-backup-*.db"))
    assert len(made) == 1 and str(made[0]) in result.stdout
    assert mode(made[0]) == 0o600 and integrity(made[0]) == ["ok"]
    for table, n in counts.items():
        assert count(made[0], table) == n
    assert "verified" in result.stdout


def test_backup_never_overwrites_nor_follows_a_symlink(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    seed(db)
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    link = tmp_path / "link.db"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere.db")
    for target in (existing, link, dangling):
        result = run("db", "backup", str(target), db=db)
        assert result.exit_code == 2
        assert "already exists" in result.stderr
    assert existing.read_text() == "keep me"
    assert victim.read_text() == "not yours"
    assert not (tmp_path / "nowhere.db").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backup_errors(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    result = run("db", "backup", str(tmp_path / "b.db"), db=db)
    assert result.exit_code == 1 and "no backcare database" in result.stderr
    seed(db)
    result = run("db", "backup", str(tmp_path / "no" / "such" / "b.db"), db=db)
    assert result.exit_code == 1 and "folder does not exist" in result.stderr


# --- restore ---------------------------------------------------------------------------


def _history_notes(run: Run, db: Path) -> list[str]:
    import json

    result = run("history", "--json", "--days", "3650", db=db)
    assert result.exit_code == 0, result.stderr
    return [e.get("note") for e in json.loads(result.stdout)]


def test_restore_round_trip_keeps_the_current_db(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    for note in ("a", "b"):
        assert run("log", "3", "--note", note, db=db).exit_code == 0
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    assert run("log", "5", "--note", "c", db=db).exit_code == 0
    assert run("delete", "p1", "--yes", db=db).exit_code == 0
    before = _history_notes(run, db)
    assert before == ["b", "c"]

    result = run("db", "restore", str(backup), "--yes", db=db)
    assert result.exit_code == 0, result.stderr
    assert "Restored" in result.stdout and "kept as" in result.stdout
    assert _history_notes(run, db) == ["a", "b"]
    assert mode(db) == 0o600 and integrity(db) == ["ok"] and journal_mode(db) == "wal"
    kept = list(db.parent.glob("backcare.db.before-restore.*.bak"))
    assert len(kept) == 1 and mode(kept[0]) == 0o600
    assert sorted(notes(kept[0])) == ["a", "b", "c"]  # the DB as it was, deleted row too
    # and the restored DB takes new writes
    assert run("log", "2", "--note", "d", db=db).exit_code == 0
    assert _history_notes(run, db) == ["a", "b", "d"]


def test_restore_asks_first(tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "3", "--note", "a", db=db).exit_code == 0
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    assert run("log", "4", "--note", "b", db=db).exit_code == 0
    digest = file_digest(db)

    result = run("db", "restore", str(backup), db=db)  # no terminal, no --yes
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert file_digest(db) == digest

    monkeypatch.setattr("backcare.cli.db.interactive", lambda: True)
    result = run("db", "restore", str(backup), db=db, input="n\n")
    assert result.exit_code == 1 and "Nothing restored." in result.stdout  # declined: exit 1
    assert "(2 entries)" in result.stdout and "(1 entry)" in result.stdout
    assert _history_notes(run, db) == ["a", "b"]
    assert list(db.parent.glob("*.bak")) == []

    result = run("db", "restore", str(backup), db=db, input="y\n")
    assert result.exit_code == 0, result.stderr
    assert _history_notes(run, db) == ["a"]


def test_restore_refuses_what_is_not_a_good_backup(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    seed(db)
    digest = file_digest(db)
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.db"
    newer.write_bytes(db.read_bytes())
    with closing(sqlite3.connect(newer)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    damaged = tmp_path / "damaged.db"
    data = bytearray(db.read_bytes())
    data[3 * 4096 : 6 * 4096] = os.urandom(3 * 4096)
    damaged.write_bytes(bytes(data))
    cases = [
        (tmp_path / "missing.db", 2, "no file at"),
        (text, 2, "not a backcare backup"),
        (other, 2, "not a backcare backup"),
        (newer, 2, "newer backcare"),
        (damaged, 1, "is damaged"),
        (db, 2, "the database itself"),
    ]
    for candidate, code, words in cases:
        result = run("db", "restore", str(candidate), "--yes", db=db)
        assert result.exit_code == code, (candidate, result.stderr)
        assert words in result.stderr
        assert file_digest(db) == digest
    assert list(db.parent.glob("*.bak")) == []


def test_restore_under_an_open_reader_and_a_writer_after(tmp_path: Path, run: Run) -> None:
    """Restore writes through SQLite (one transaction): a connection already open sees the
    restored database on its next read, with no stale WAL in between."""
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "3", "--note", "old", db=db).exit_code == 0
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    for i in range(20):
        assert run("log", "4", "--note", f"later{i}", db=db).exit_code == 0
    reader = sqlite3.connect(db)
    try:
        assert reader.execute("SELECT count(*) FROM pain_entry").fetchone()[0] == 21
        result = run("db", "restore", str(backup), "--yes", db=db)
        assert result.exit_code == 0, result.stderr
        assert reader.execute("SELECT note FROM pain_entry").fetchall() == [("old",)]
    finally:
        reader.close()
    env = cli_env(tmp_path)
    procs = [
        subprocess.Popen(
            [str(Path(sys.executable).parent / "backcare"), "--db", str(db), "log", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    assert integrity(db) == ["ok"] and count(db, "pain_entry") == 4


def test_restore_over_a_damaged_db_with_a_stale_wal(tmp_path: Path, run: Run) -> None:
    """A file SQLite cannot open is replaced, and its -wal must not be replayed into the new one."""
    db = tmp_path / "data" / "backcare.db"
    seed(db)
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    # A WAL full of frames, from a connection that died before checkpointing.
    holder = sqlite3.connect(db)
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("UPDATE pain_entry SET note = 'from the stale wal'")
    holder.commit()
    wal = Path(f"{db}-wal")
    wal_bytes = wal.read_bytes()
    holder.close()  # checkpoints and deletes the WAL: put it back, and damage the file
    wal.write_bytes(wal_bytes)
    db.write_bytes(b"SQLite format 3\x00" + os.urandom(db.stat().st_size - 16))
    assert run("history", db=db).exit_code == 1

    result = run("db", "restore", str(backup), "--yes", db=db)
    assert result.exit_code == 0, result.stderr
    assert integrity(db) == ["ok"]
    assert "from the stale wal" not in notes(db)
    assert count(db, "pain_entry") == count(backup, "pain_entry")
    kept = next(db.parent.glob("backcare.db.before-restore.*.bak"))
    assert Path(f"{kept}-wal").read_bytes() == wal_bytes  # the damaged file kept whole
    assert run("log", "2", db=db).exit_code == 0


def test_restore_when_there_is_no_db_yet(tmp_path: Path, run: Run) -> None:
    source = tmp_path / "old" / "backcare.db"
    seed(source)
    db = tmp_path / "new" / "backcare.db"
    result = run("db", "restore", str(source), "--yes", db=db)
    assert result.exit_code == 0, result.stderr
    assert "kept as" not in result.stdout
    assert mode(db) == 0o600 and journal_mode(db) == "wal"
    assert count(db, "pain_entry") == count(source, "pain_entry")


def test_restore_keeps_a_symlinked_db_a_symlink(tmp_path: Path, run: Run) -> None:
    real = tmp_path / "synced" / "backcare.db"
    assert run("log", "3", "--note", "a", db=real).exit_code == 0
    db = tmp_path / "data" / "backcare.db"
    db.parent.mkdir()
    db.symlink_to(real)
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    assert run("log", "3", "--note", "b", db=db).exit_code == 0
    assert run("db", "restore", str(backup), "--yes", db=db).exit_code == 0
    assert db.is_symlink() and notes(real) == ["a"]
    # and when the file behind the link is damaged (replaced, not restored in place)
    real.write_bytes(b"SQLite format 3\x00" + bytes(8192 - 16))
    assert run("db", "restore", str(backup), "--yes", db=db).exit_code == 0
    assert db.is_symlink() and notes(real) == ["a"] and integrity(real) == ["ok"]


def test_restore_an_older_revision_upgrades_on_next_use(tmp_path: Path, run: Run) -> None:
    old = tmp_path / "old.db"
    make_rev1_db(old)
    db = tmp_path / "data" / "backcare.db"
    seed(db)
    result = run("db", "restore", str(old), "--yes", db=db)
    assert result.exit_code == 0, result.stderr
    assert "next command upgrades it" in result.stdout
    assert revision(db) == REV1
    assert run("history", "--days", "3650", db=db).exit_code == 0
    from backcare.store.schema import HEAD

    assert revision(db) == HEAD
    assert list(db.parent.glob(f"backcare.db.{REV1}.*.bak"))
    for table, rows in REV1_ROWS.items():
        # a restore clears what undo can revert (issue 15): the old change_log row too
        expected = [] if table == "change_log" else rows_at_head(table, rows)
        assert table_rows(db, head_table(table)) == expected


# --- automatic backups before migrations ------------------------------------------------


def test_migration_backups_keep_the_newest_five(tmp_path: Path, run: Run) -> None:
    from backcare.store import migrate
    from backcare.store.engine import _make_engine, open_store

    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)
    assert run("db", "backup", db=db).exit_code == 0  # a person's own backup: never rotated
    made: list[set[Path]] = []
    for _ in range(7):
        before = set(db.parent.glob("*.bak"))
        open_store(db, create=False).close()  # migrate-on-open: backup, then upgrade
        made.append(set(db.parent.glob("*.bak")) - before)
        engine = _make_engine(db)
        migrate.downgrade(engine, REV1)
        engine.dispose()
    assert all(len(new) == 1 for new in made)
    created = [next(iter(new)) for new in made]
    kept = sorted(db.parent.glob("backcare.db.*.bak"))
    assert kept == sorted(created[-5:])
    for backup in kept:
        assert mode(backup) == 0o600
        assert integrity(backup) == ["ok"] and revision(backup) == REV1
        assert table_rows(backup, "pain_entry") == REV1_ROWS["pain_entry"]
    assert len(list(db.parent.glob("backcare-backup-*.db"))) == 1


def test_restore_never_replaces_a_file_that_is_not_a_backcare_db(tmp_path: Path, run: Run) -> None:
    """A typo in --db must not turn someone's other file into a backcare database."""
    backup = tmp_path / "backup.db"
    seed(backup)
    text = tmp_path / "thesis.txt"
    text.write_text("years of work")
    other = tmp_path / "other-app.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE photos (x)")
    for target, words in ((text, "not a SQLite file"), (other, "not a backcare database")):
        digest = file_digest(target)
        result = run("db", "restore", str(backup), "--yes", db=target)
        assert result.exit_code == 1 and words in result.stderr
        assert file_digest(target) == digest
    assert list(tmp_path.glob("*.bak")) == []
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert run("db", "restore", str(backup), "--yes", db=folder).exit_code == 1
