"""`backcare db path | check | backup | restore | upgrade | purge`: the CLI contract."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from backcare.store.schema import HEAD
from tests.conftest import Run, file_digest, row_counts


def _raw(db: Path, sql: str, *params: object) -> None:
    """Write around backcare (and its CHECK constraints), as another tool or an old bug could."""
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
        conn.commit()


def test_db_path_prints_the_path_in_use(run: Run, db_path: Path) -> None:
    result = run("db", "path")
    assert result.exit_code == 0 and result.stdout.strip() == str(db_path)
    assert not db_path.exists()  # it only says where


def test_check_of_a_sound_db(run: Run, db_path: Path) -> None:
    assert run("log", "4").exit_code == 0
    assert run("treat", "ibuprofen", "--dose", "400").exit_code == 0
    digest = file_digest(db_path)
    result = run("db", "check")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{db_path}: sound (quick_check; schema {HEAD}; 2 entries)")
    full = run("db", "check", "--full")
    assert full.exit_code == 0 and "integrity_check" in full.stdout
    assert file_digest(db_path) == digest  # read-only


def test_check_json(run: Run, db_path: Path) -> None:
    assert run("log", "4").exit_code == 0
    data = json.loads(run("db", "check", "--json").stdout)
    assert data == {
        "path": str(db_path),
        "sound": True,
        "check": "quick_check",
        "integrity": ["ok"],
        "revision": HEAD,
        "counts": {
            "pain_entry": 1,
            "treatment": 0,
            "symptom_report": 0,
            "episode": 0,
            "profile": 0,
        },
        "findings": [],
    }


def test_check_reports_broken_invariants_with_ids_and_no_health_data(
    run: Run, db_path: Path
) -> None:
    assert run("log", "4", "--note", "private words").exit_code == 0
    assert run("treat", "ibuprofen", "--dose", "400").exit_code == 0
    assert run("log", "5").exit_code == 0
    _raw(db_path, "UPDATE pain_entry SET at = '2099-01-01T00:00:00.000000Z' WHERE id = 2")
    _raw(db_path, "UPDATE treatment SET dose_mg = -400 WHERE id = 1")
    _raw(db_path, "UPDATE pain_entry SET pain = 42, location = 'knee' WHERE id = 1")
    digest = file_digest(db_path)
    result = run("db", "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "pain_entry: 1 row with at in the future (id 2)" in lines
    assert "treatment: 1 row with dose_mg not above 0 or above 100000 (id 1)" in lines
    assert "pain_entry: 1 row with pain outside 0-10 (id 1)" in lines
    assert "pain_entry: 1 row with an unknown location (id 1)" in lines
    assert f"the database {db_path} failed its check: 4 problems" in result.stderr
    # a sound file with rows breaking the rules: no push to restore (issue 14 case 10)
    assert "file itself is sound" in result.stderr and "db restore" not in result.stderr
    assert "private words" not in result.stdout + result.stderr
    assert "42" not in result.stdout and "400" not in result.stdout
    assert file_digest(db_path) == digest

    data = json.loads(run("db", "check", "--json").stdout)
    assert data["sound"] is False and data["integrity"] == ["ok"]
    assert {"table": "treatment", "problem": "with dose_mg not above 0 or above 100000", "count": 1,
            "ids": [1]} in data["findings"]  # fmt: skip


def test_check_reports_malformed_times_and_unknown_vocabulary(run: Run, db_path: Path) -> None:
    assert run("symptom", "fever").exit_code == 0
    assert run("treat", "ice", "--minutes", "20").exit_code == 0
    _raw(db_path, "UPDATE symptom_report SET code = 'made-up', at = '2026-03-01 08:00'")
    _raw(db_path, "UPDATE treatment SET kind = 'yoga', minutes = 0")
    result = run("db", "check")
    assert result.exit_code == 1
    out = result.stdout
    assert "symptom_report: 1 row with a malformed at (not UTC ISO text) (id 1)" in out
    assert "symptom_report: 1 row with an unknown code (id 1)" in out
    assert "treatment: 1 row with an unknown kind (id 1)" in out
    assert "treatment: 1 row with minutes outside 1-1440 (id 1)" in out


def test_check_of_missing_or_foreign_files(run: Run, db_path: Path, tmp_path: Path) -> None:
    result = run("db", "check")
    assert result.exit_code == 1 and "no backcare database" in result.stderr
    assert not db_path.exists()
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    result = run("db", "check", db=text)
    assert result.exit_code == 1 and "not a SQLite file" in result.stderr


def test_check_of_an_older_db_says_it_will_be_upgraded(run: Run, tmp_path: Path) -> None:
    from tests.reliability.util import make_rev1_db

    db = tmp_path / "old.db"
    make_rev1_db(db)
    digest = file_digest(db)
    result = run("db", "check", db=db)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "schema 0001_initial is older" in result.stdout
    assert file_digest(db) == digest  # check never migrates


def test_backup_and_restore(run: Run, db_path: Path, tmp_path: Path) -> None:
    assert run("log", "4", "--note", "one").exit_code == 0
    target = tmp_path / "b.db"
    result = run("db", "backup", str(target))
    assert result.exit_code == 0
    assert result.stdout == (
        f"Backed up {db_path} to {target} (1 entry, verified, readable only by you).\n"
    )
    assert run("log", "5", "--note", "two").exit_code == 0
    result = run("db", "restore", str(target), "--yes")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Restored {db_path} from {target} (1 entry)."
    assert lines[1].startswith(f"The previous database was kept as {db_path}.before-restore.")
    assert row_counts(db_path)["pain_entry"] == 1


def test_upgrade(run: Run, db_path: Path, tmp_path: Path) -> None:
    from tests.reliability.util import make_rev1_db

    assert run("log", "3").exit_code == 0
    result = run("db", "upgrade")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{db_path} is already up to date (schema {HEAD})."

    old = tmp_path / "old" / "backcare.db"
    make_rev1_db(old)
    result = run("db", "upgrade", db=old)
    assert result.exit_code == 0, result.stderr
    assert f"Upgraded {old} from schema 0001_initial to {HEAD}" in result.stdout
    (backup,) = old.parent.glob("backcare.db.0001_initial.*.bak")
    assert str(backup) in result.stdout
    assert run("db", "upgrade", db=old).stdout.strip().endswith(f"up to date (schema {HEAD}).")
    assert run("db", "upgrade", db=tmp_path / "none.db").exit_code == 1


def test_purge(run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for pain in ("3", "4", "5"):
        assert run("log", pain).exit_code == 0
    assert run("delete", "p1", "--yes").exit_code == 0
    assert run("delete", "p3", "--yes").exit_code == 0

    result = run("db", "purge")  # no terminal to ask on
    assert result.exit_code == 2 and "--yes" in result.stderr
    assert row_counts(db_path)["pain_entry"] == 3

    monkeypatch.setattr("backcare.cli.db.interactive", lambda: True)
    result = run("db", "purge", input="n\n")
    assert "Remove 2 entries deleted earlier, for good" in result.stdout
    assert result.stdout.strip().endswith("Nothing purged.")
    assert row_counts(db_path)["pain_entry"] == 3

    result = run("db", "purge", input="y\n")
    assert result.exit_code == 0 and result.stdout.strip().endswith(
        "Purged 2 entries deleted earlier."
    )
    assert row_counts(db_path)["pain_entry"] == 1
    assert run("undo", "--yes").exit_code == 2  # the deletes are gone for good: nothing to undo

    assert run("db", "purge").stdout.strip() == "No deleted entries to purge."
    assert run("db", "purge", "--yes").stdout.strip() == "No deleted entries to purge."


def test_purge_and_backup_of_a_missing_db(run: Run, db_path: Path) -> None:
    for args in (("db", "purge", "--yes"), ("db", "backup"), ("db", "upgrade")):
        result = run(*args)
        assert result.exit_code == 1 and "no backcare database" in result.stderr
    assert not db_path.exists()


def test_db_help_does_not_import_the_database_stack(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from backcare.cli import main\n"
        "sys.argv = ['backcare', 'db', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.strip().splitlines()[-1] == "[]"
    for name in ("backup", "restore", "check", "upgrade", "purge"):
        assert name in done.stdout


def test_db_check_reads_the_file_without_sqlalchemy(run: Run, db_path: Path) -> None:
    """`db check` reads the file with sqlite3 alone, so it imports none of the SQLAlchemy
    stack (issue 18: at 10 years, `--full` is budgeted at 1.5x SQLite's own check); a
    damaged file still gets the one-line storage error."""
    assert run("log", "4").exit_code == 0
    code = (
        "import sys\n"
        "from backcare.cli import main\n"
        f"sys.argv = ['backcare', '--db', {str(db_path)!r}, 'db', 'check', '--full']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "sound (integrity_check" in done.stdout, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
    db_path.write_bytes(db_path.read_bytes()[:100] + b"\xff" * 8192)  # the pages overwritten
    damaged = run("db", "check", "--full")
    assert damaged.exit_code == 1 and len(damaged.stderr.strip().splitlines()) <= 3


@pytest.mark.parametrize("folder", ["we#ird", "we?ird", "we%20ird", "sp ace"])
def test_paths_with_url_characters_reach_that_file_and_no_other(
    run: Run, tmp_path: Path, folder: str
) -> None:
    """'#', '?' and '%' are legal in paths and mean something in URLs: no file elsewhere."""
    db = tmp_path / folder / "backcare.db"
    assert run("log", "4", db=db).exit_code == 0
    assert run("history", "--json", db=db).exit_code == 0
    assert run("db", "check", db=db).exit_code == 0
    assert run("db", "backup", str(tmp_path / folder / "b.db"), db=db).exit_code == 0
    assert row_counts(db)["pain_entry"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["home", folder])


def test_check_reports_a_uid_that_is_not_a_uuid(run: Run, db_path: Path) -> None:
    """A uid is checked at every position (8-4-4-4-12 hex digits, issue 18's anchored
    pattern): 36 hex digits and hyphens in the wrong places are not a UUID."""
    for _ in range(4):
        assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    bad = ("0123456789abcdef-0123-4567-89ab-cdef", "0123456g-89ab-cdef-0123-456789abcdef")
    _raw(db_path, "UPDATE pain_entry SET uid = ? WHERE id = 1", bad[0])
    _raw(db_path, "UPDATE pain_entry SET uid = ? WHERE id = 2", bad[1])
    _raw(
        db_path,
        "UPDATE pain_entry SET uid = ? WHERE id = 3",
        "0123456789ABCDEF0123456789ABCDEF----",
    )
    _raw(db_path, "UPDATE pain_entry SET created_at = '1850-01-01T00:00:00.000000Z' WHERE id = 4")
    result = run("db", "check", "--full")
    assert result.exit_code == 1
    assert "pain_entry: 3 rows with a malformed uid (id 1, 2, 3)" in result.stdout
    assert "pain_entry: 1 row with created_at before 1900 (id 4)" in result.stdout
