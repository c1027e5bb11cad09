"""Issue 14 case 10: bad input is exit 2 with a clear line; a storage problem says what
really happened, never "damaged ... restore from a backup" for a healthy file.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run, file_digest, row_counts
from tests.reliability.util import backcare_cmd, cli_env, export_json, integrity

FAR = [
    ("history", "--to", "9999-12-31"),
    ("history", "--from", "0001-01-01", "--to", "0001-01-02"),
    ("status", "--as-of", "0001-01-01"),
    ("status", "--as-of", "9999-12-31"),
    ("check", "--as-of", "0001-01-01"),
    ("check", "--as-of", "9999-12-31 23:59"),
    ("summary", "--from", "0001-01-01", "--to", "0001-01-02"),
    ("summary", "--from", "9999-12-30", "--to", "9999-12-31"),
    ("report", "--as-of", "0001-01-01"),
    ("export", "csv", "--to", "9999-12-31"),
    ("export", "json", "--from", "0001-01-01", "--to", "0001-01-01"),
    ("log", "3", "--at", "0001-01-01 00:00"),
]


@pytest.mark.parametrize("args", FAR, ids=" ".join)
def test_far_dates_are_bad_input(run: Run, args: tuple[str, ...]) -> None:
    assert run("log", "3", "--at", "2026-03-01 08:00").exit_code == 0
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def _json_file(path: Path, event: dict[str, object]) -> Path:
    base: dict[str, object] = {
        "uid": "00000000-0000-4000-8000-000000000001",
        "at": "2026-03-01T08:00:00+00:00",
    }
    document = {
        "format": "backcare-export",
        "version": 1,
        "profile": None,
        "events": [base | event],
    }
    path.write_text(json.dumps(document, ensure_ascii=True).replace("@SURROGATE@", "\\ud800"))
    return path


@pytest.mark.parametrize(
    "event",
    [
        {"type": "treatment", "kind": "medication", "drug": "ibuprofen", "dose_mg": 1e400},
        {"type": "pain", "pain": 3, "note": "a@SURROGATE@b"},
        {"type": "treatment", "kind": "medication", "drug": "ibu@SURROGATE@", "dose_mg": 200},
    ],
)
def test_import_of_impossible_values_is_bad_input(
    tmp_path: Path, run: Run, event: dict[str, object]
) -> None:
    text = _json_file(tmp_path / "in.json", event).read_text()
    assert "1e400" in text.replace("Infinity", "1e400") or "ud800" in text
    if event.get("dose_mg") == 1e400:
        (tmp_path / "in.json").write_text(text.replace("Infinity", "1e400"))
    result = run("import", str(tmp_path / "in.json"))
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr


def test_invalid_utf8_in_a_note_is_bad_input(tmp_path: Path) -> None:
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    command = [os.fsencode(a) for a in backcare_cmd(db, "log", "3")] + [b"--note", b"\xff\xfe x"]
    result = subprocess.run(command, env=env, capture_output=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert b"unexpected" not in result.stderr and b"Traceback" not in result.stderr
    assert not db.exists() or row_counts(db).get("pain_entry", 0) == 0


def test_a_file_size_limit_during_import_is_not_called_damage(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "3", "--at", "2026-03-01 08:00", db=db).exit_code == 0
    big = tmp_path / "big.json"
    export_json(big, 20_000)
    limit = db.stat().st_size + 256 * 1024

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    before = file_digest(db)
    result = subprocess.run(
        backcare_cmd(db, "import", str(big)),
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
    )
    assert result.returncode == 1, result.stderr
    assert "damaged" not in result.stderr and "restore" not in result.stderr
    assert "unexpected" not in result.stderr
    assert integrity(db) == ["ok"]
    assert row_counts(db)["pain_entry"] == 1
    assert file_digest(db) == before or integrity(db) == ["ok"]


def test_a_clock_set_back_is_not_called_damage(tmp_path: Path, run: Run, db_path: Path) -> None:
    """Entries written while the clock was ahead (or read with it set back) look like times
    in the future: `db check` says so and suggests the clock, not a restore."""
    import sqlite3
    from contextlib import closing

    assert run("log", "3", "--at", "2026-03-01 08:00").exit_code == 0
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(
            "UPDATE pain_entry SET at = '2099-01-01T08:00:00.000000Z', "
            "created_at = '2099-01-01T08:00:00.000000Z'"
        )
        conn.commit()
    result = run("db", "check")
    assert result.exit_code == 1
    assert "clock" in result.stderr
    assert "damaged" not in result.stderr and "restore FILE" not in result.stderr
