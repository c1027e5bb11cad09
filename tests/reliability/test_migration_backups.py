"""Issue 14 case 9: the backup taken before a migration.

It is written to a temporary name and renamed when complete (a kill mid-copy leaves no
empty or partial file under a backup's name); files under a backup's name that are empty or
not a database never count toward the five kept; an old-revision file backcare cannot
write gets no backup (the migration would fail anyway: one full copy per command was the
bug), and says it is read-only.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import Run, file_digest
from tests.reliability.util import (
    REV1,
    backcare_cmd,
    checkpoint,
    cli_env,
    integrity,
    make_rev1_db,
    revision,
)


def _valid(path: Path) -> bool:
    try:
        return path.stat().st_size > 0 and integrity(path) == ["ok"]
    except Exception:
        return False


def test_empty_or_partial_backups_never_count_toward_the_five(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)
    now = time.time()
    valid = []
    for k in range(5):  # five good backups, oldest first
        good = db.with_name(f"{db.name}.{REV1}.2026010{k}T000000000000Z.bak")
        shutil.copyfile(db, good)
        os.utime(good, (now - 1000 + k, now - 1000 + k))
        valid.append(good)
    for k in range(3):  # then three left empty or cut short by a kill, newer
        bad = db.with_name(f"{db.name}.{REV1}.2026020{k}T000000000000Z.bak")
        bad.write_bytes(b"" if k else db.read_bytes()[:1000])
        os.utime(bad, (now - 100 + k, now - 100 + k))
    assert run("log", "3", "--at", "2026-03-01 08:00", db=db).exit_code == 0  # migrates
    good_now = [p for p in db.parent.glob(f"{db.name}.*.bak") if _valid(p)]
    assert len(good_now) == 5  # the new one and the four newest good ones
    assert set(valid[1:]) <= set(good_now)


def _big_rev1(db: Path) -> None:
    from tests.reliability.util import insert_rows

    make_rev1_db(db)
    rows: list[dict[str, object]] = [
        {"uid": f"10000000-0000-4000-8000-{i:012d}", "at": "2026-03-01T08:00:00.000000Z",
         "created_at": "2026-03-01T08:00:00.000000Z", "deleted_at": None, "pain": i % 11,
         "spasms": 0, "location": None, "radiates": "none", "note": "x" * 200}
        for i in range(20_000)
    ]  # fmt: skip
    insert_rows(db, {"pain_entry": rows})
    checkpoint(db)


def test_a_backup_cut_short_leaves_nothing_under_a_backups_name(tmp_path: Path) -> None:
    """The copy fails midway (a file-size limit: a real write failure, like a full disk or a
    kill): no partial file under a backup's name, the DB untouched, no word of damage."""
    db = tmp_path / "data" / "backcare.db"
    _big_rev1(db)
    before = file_digest(db)
    limit = db.stat().st_size // 2

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        backcare_cmd(db, "history", "--days", "1"),
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
    )
    assert result.returncode == 1, result.stderr
    assert "damaged" not in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in db.parent.glob(f"{db.name}.*.bak")] == []
    assert [p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert file_digest(db) == before and revision(db) == REV1


def _read_only_file(path: Path, *command: str) -> list[str]:
    """`command` with `path` bind-mounted read-only onto itself (its folder stays writable)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"'
    return ["unshare", "--mount", "sh", "-c", script, "sh", str(path), *command]


def _can_mount(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.write_text("x")
    try:
        done = subprocess.run(
            _read_only_file(probe, "sh", "-c", f"! echo y > {probe}"),
            capture_output=True,
            timeout=30,
        )
    except OSError:
        return False
    return done.returncode == 0 and probe.read_text() == "x"


def test_a_write_protected_old_revision_db_gets_no_backup_per_read(tmp_path: Path) -> None:
    """A read-only file (here a read-only bind mount of the file alone; root could write a
    0444 file) at an old revision: each command says it is read-only, no backup is made."""
    if not _can_mount(tmp_path):
        pytest.skip("needs `unshare --mount` (a private read-only bind mount)")
    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)
    env = cli_env(tmp_path)
    for _ in range(3):
        result = subprocess.run(
            _read_only_file(db, *backcare_cmd(db, "history", "--days", "7")),
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        assert "read-only" in result.stderr and "damaged" not in result.stderr
    assert list(db.parent.glob("*.bak")) == []
    assert revision(db) == REV1


def test_a_read_only_mount_is_not_called_damage(tmp_path: Path) -> None:
    """Issue 14 case 10: a healthy DB on a read-only mount: a write says read-only."""
    if not _can_mount(tmp_path):
        pytest.skip("needs `unshare --mount` (a private read-only bind mount)")
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert subprocess.run(backcare_cmd(db, "log", "3"), env=env, timeout=60).returncode == 0
    checkpoint(db)
    before = file_digest(db)
    result = subprocess.run(
        _read_only_file(db, *backcare_cmd(db, "log", "4")),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "read-only" in result.stderr
    assert "damaged" not in result.stderr and "restore" not in result.stderr
    assert file_digest(db) == before


@pytest.mark.slow
def test_ctrl_c_during_migration_is_not_called_damage(tmp_path: Path) -> None:
    """Issue 14 case 10: Ctrl-C at any moment of a migration (backup copy, schema steps):
    the command says it was interrupted, never "damaged"; the file stays sound, at the old
    revision or the new, and no partial backup is left; the next command finishes the job."""
    import signal

    db = tmp_path / "data" / "backcare.db"
    _big_rev1(db)
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(db, pristine)
    env = cli_env(tmp_path)
    outcomes = set()
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8):
        for leftover in db.parent.iterdir():
            leftover.unlink()
        shutil.copyfile(pristine, db)
        proc = subprocess.Popen(
            backcare_cmd(db, "history", "--days", "1"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # a shell's background job inherits SIGINT ignored: give Ctrl-C back its effect
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        # backcare is running once it has the DB open (SQLite made the -shm beside it);
        # interpreter start-up (not ours) is left out of the timing
        deadline = time.monotonic() + 30
        while not Path(f"{db}-shm").exists() and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.002)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        outcomes.add(proc.returncode)
        assert proc.returncode in (0, 130), err
        assert "damaged" not in err and "restore" not in err and "Traceback" not in err
        assert integrity(db) == ["ok"]
        for backup in db.parent.glob(f"{db.name}.*.bak"):
            assert _valid(backup)
        after = subprocess.run(
            backcare_cmd(db, "history", "--days", "1"), env=env, capture_output=True, text=True
        )
        assert after.returncode == 0, after.stderr
    assert 130 in outcomes  # at least one run was interrupted mid-way
