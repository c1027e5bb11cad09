"""Damaged and truncated files: every command fails cleanly, names the file, writes nothing.

"Writes nothing": the DB file's bytes are the same after (sha256), no WAL content is left
beside it, no backup or output file appears. SQLite may leave an empty -wal and a -shm index
(what it needs to read a WAL-mode file), never data.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import Run, file_digest
from tests.reliability.util import cli_env, export_json, run_cli, seed

PAGE = 4096


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("pristine") / "backcare.db"
    seed(path)
    return path.read_bytes()


def _pages_of(data: bytes, table: str, tmp: Path) -> list[int]:
    """Page numbers (1-based) of `table`'s b-tree, from SQLite's dbstat table."""
    probe = tmp / "probe.db"
    probe.write_bytes(data)
    try:
        with closing(sqlite3.connect(probe)) as conn:
            rows = conn.execute("SELECT pageno FROM dbstat WHERE name = ?", (table,)).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table")
    finally:
        probe.unlink()
    return [r[0] for r in rows]


def _garbage_pages(data: bytes, pages: list[int]) -> bytes:
    rng = random.Random(7)
    damaged = bytearray(data)
    for page in pages:
        damaged[(page - 1) * PAGE : page * PAGE] = rng.randbytes(PAGE)
    return bytes(damaged)


def _variant(name: str, data: bytes, tmp: Path) -> bytes:
    rng = random.Random(name)
    if name == "truncated-8k":
        return data[: 2 * PAGE]
    if name == "truncated-half":
        return data[: len(data) // 2 // PAGE * PAGE]
    if name == "truncated-odd":
        return data[: len(data) - 1000]
    if name == "random-after-header":
        return data[:100] + rng.randbytes(len(data) - 100)
    if name == "random-after-first-page":
        return data[:PAGE] + rng.randbytes(len(data) - PAGE)
    if name == "zeros-after-header":
        return data[:100] + bytes(len(data) - 100)
    if name == "pain-pages-garbage":
        return _garbage_pages(data, _pages_of(data, "pain_entry", tmp))
    raise AssertionError(name)


EVERYWHERE = (
    "truncated-8k",
    "truncated-half",
    "truncated-odd",
    "random-after-header",
    "random-after-first-page",
    "zeros-after-header",
)

READS: list[tuple[str, ...]] = [
    ("history", "--days", "30"),
    ("check",),
    ("status",),
    ("summary", "--days", "30"),
    ("remind",),
    ("export", "json", "-o", "{out}"),
    ("export", "csv", "-o", "{out}"),
    ("db", "check"),
    ("db", "check", "--full"),
]
WRITES: list[tuple[str, ...]] = [
    ("log", "3", "--note", "x"),
    ("treat", "ice", "--minutes", "15"),
    ("symptom", "fever"),
    ("edit", "p2", "--pain", "4"),
    ("delete", "p3", "--yes"),
    ("import", "{export}"),
    ("db", "backup", "{out}"),
    ("db", "upgrade"),
    ("db", "purge", "--yes"),
]
# Commands that touch no pain entry may succeed on the "pain pages" file (SQLite only sees
# damage where it reads; `db check` finds the rest).
TOUCH_NO_PAIN = {"profile", "undo"}


def _assert_failed_cleanly(code: int, stdout: str, stderr: str, db: Path) -> None:
    assert code == 1, (code, stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert "unexpected problem" not in stderr
    assert str(db) in stderr
    assert "db check" in stderr or "db restore" in stderr


def _assert_untouched(db: Path, digest: bytes, before: set[str]) -> None:
    assert file_digest(db) == digest
    beside = {p.name: p.stat().st_size for p in db.parent.iterdir()}
    new = set(beside) - before
    assert new <= {f"{db.name}-wal", f"{db.name}-shm"}, new
    assert beside.get(f"{db.name}-wal", 0) == 0


def _prepare(tmp_path: Path, data: bytes) -> tuple[Path, bytes, set[str], Callable[..., list[str]]]:
    db = tmp_path / "data" / "backcare.db"
    db.parent.mkdir(mode=0o700)
    db.write_bytes(data)
    os.chmod(db, 0o600)
    export = tmp_path / "export.json"
    export_json(export, 5)
    out = tmp_path / "out" / "file"
    out.parent.mkdir()

    def fill(args: tuple[str, ...]) -> list[str]:
        return [a.format(out=out, export=export) for a in args]

    return db, file_digest(db), {p.name for p in db.parent.iterdir()}, fill


@pytest.mark.parametrize("variant", EVERYWHERE)
def test_every_command_fails_cleanly_and_writes_nothing(
    variant: str, pristine: bytes, tmp_path: Path, run: Run
) -> None:
    data = _variant(variant, pristine, tmp_path)
    db, digest, before, fill = _prepare(tmp_path, data)
    commands = [*READS, *WRITES, ("profile", "set", "--birth-year", "1970"), ("undo", "--yes")]
    for args in commands:
        result = run(*fill(args), db=db)
        _assert_failed_cleanly(result.exit_code, result.stdout, result.stderr, db)
        _assert_untouched(db, digest, before)
    assert list((tmp_path / "out").iterdir()) == []  # no export or backup file either


def test_damaged_table_pages_fail_every_command_that_reads_them(
    pristine: bytes, tmp_path: Path, run: Run
) -> None:
    data = _variant("pain-pages-garbage", pristine, tmp_path)
    db, digest, before, fill = _prepare(tmp_path, data)
    for args in [*READS, *WRITES]:
        if args[0] in TOUCH_NO_PAIN:
            continue
        result = run(*fill(args), db=db)
        _assert_failed_cleanly(result.exit_code, result.stdout, result.stderr, db)
        _assert_untouched(db, digest, before)


@pytest.mark.parametrize("variant", ["truncated-8k", "random-after-header"])
def test_the_real_console_script_prints_no_traceback(
    variant: str, pristine: bytes, tmp_path: Path
) -> None:
    data = _variant(variant, pristine, tmp_path)
    db, digest, before, _fill = _prepare(tmp_path, data)
    env = cli_env(tmp_path)
    for args in (("history",), ("log", "4")):
        done = run_cli(db, env, *args)
        _assert_failed_cleanly(done.returncode, done.stdout, done.stderr, db)
        assert len(done.stderr.strip().splitlines()) == 2  # message + hint, nothing else
        _assert_untouched(db, digest, before)


def test_db_check_reports_what_sqlite_found(pristine: bytes, tmp_path: Path, run: Run) -> None:
    data = _variant("pain-pages-garbage", pristine, tmp_path)
    db, digest, _before, _fill = _prepare(tmp_path, data)
    result = run("db", "check", db=db)
    assert result.exit_code == 1
    assert "SQLite quick_check:" in result.stdout
    assert "failed its check" in result.stderr
    assert file_digest(db) == digest


def test_db_check_reports_a_file_cut_short(pristine: bytes, tmp_path: Path, run: Run) -> None:
    data = _variant("truncated-odd", pristine, tmp_path)
    db, digest, _before, _fill = _prepare(tmp_path, data)
    result = run("db", "check", db=db)
    assert result.exit_code == 1
    assert "it was cut short" in result.stdout.splitlines()[0]
    assert file_digest(db) == digest


def test_damaged_older_db_is_not_migrated_nor_backed_up(tmp_path: Path, run: Run) -> None:
    """Migrate-on-open checks the file first: no migration, no backup rotated in."""
    from backcare.store import migrate
    from backcare.store.engine import _make_engine

    db = tmp_path / "data" / "backcare.db"
    db.parent.mkdir()
    db.touch()
    engine = _make_engine(db)
    migrate.upgrade(engine, db, from_revision=None, target="0001_initial")
    engine.dispose()
    with closing(sqlite3.connect(db)) as conn:
        stamp = "2026-01-01T08:00:00.000000Z"
        conn.executemany(
            "INSERT INTO pain_entry (uid, at, created_at, pain, spasms, radiates, note) "
            "VALUES (?, ?, ?, 3, 0, 'none', ?)",
            [(f"{i:036d}", stamp, stamp, "n" * 300) for i in range(200)],
        )
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = _garbage_pages(db.read_bytes(), _pages_of(db.read_bytes(), "pain_entry", tmp_path)[1:])
    db.write_bytes(data)
    digest = file_digest(db)
    result = run("history", db=db)
    _assert_failed_cleanly(result.exit_code, result.stdout, result.stderr, db)
    assert file_digest(db) == digest
    assert list(db.parent.glob("*.bak")) == []


def test_restore_after_damage_brings_the_db_back(pristine: bytes, tmp_path: Path, run: Run) -> None:
    """The way out the error message points to: `db restore` from a backup."""
    good = tmp_path / "good.db"
    good.write_bytes(pristine)
    data = _variant("random-after-header", pristine, tmp_path)
    db, digest, _before, _fill = _prepare(tmp_path, data)
    result = run("db", "restore", str(good), "--yes", db=db)
    assert result.exit_code == 0, result.stderr
    kept = list(db.parent.glob("backcare.db.before-restore.*.bak"))
    assert len(kept) == 1 and file_digest(kept[0]) == digest  # the damaged bytes, kept
    assert run("db", "check", db=db).exit_code == 0
    assert run("history", "--days", "30", db=db).exit_code == 0
    shutil.rmtree(tmp_path / "out")


def _flip_old_page(data: bytes, tmp: Path) -> bytes:
    """Damage the page header of the pain table's oldest leaf: a page `log` never reads
    (it reads the last 60 days), which `PRAGMA quick_check` does report."""
    pages = _pages_of(data, "pain_entry", tmp)
    damaged = bytearray(data)
    start = (pages[1] - 1) * PAGE  # pages[0] is the root
    cells = int.from_bytes(damaged[start + 3 : start + 5], "big")
    damaged[start + 3 : start + 5] = (cells - 1).to_bytes(2, "big")  # one cell lost
    return bytes(damaged)


def test_writes_never_go_into_a_damaged_file(tmp_path: Path, run: Run) -> None:
    """Issue 14 case 3: 30 `log` runs into a file with a damaged (unread) page exited 0 and
    changed it. Now every write is refused with exit 1, naming `db check`, file unchanged."""
    old = tmp_path / "old.db"
    seed(old, days=200, per_day=6)
    db = tmp_path / "data" / "backcare.db"
    db.parent.mkdir(mode=0o700)
    db.write_bytes(_flip_old_page(old.read_bytes(), tmp_path))
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
    before = file_digest(db)
    for args in [
        ("log", "5", "--note", "after"),
        ("treat", "ice", "--minutes", "10"),
        ("symptom", "fever"),
        ("profile", "set", "--birth-year", "1970"),
    ]:
        for _ in range(3):
            result = run(*args, db=db)
            assert result.exit_code == 1, (args, result.stdout, result.stderr)
            assert "damaged" in result.stderr and "backcare db check" in result.stderr
    assert file_digest(db) == before
