"""Every declared field of every kind (domain/entries.py) walks the whole way and comes back:
CLI -> DB -> JSON export -> import into a fresh DB -> DB -> CSV export -> import into a fresh
DB, compared field by field at each DB.

The fields compared are read from the declarations (their columns), so a new field or kind
is walked without touching this test; `test_every_declared_field_is_exercised` fails until
the entries logged below give the new field a value (a field that is never set would pass
any round trip).

The check-in is stored through the service `backcare checkin` calls (the command itself
needs a terminal; tests/cli/test_check.py drives it on a pty). The acknowledgement needs an
active flag, so its flag's entries are logged relative to now; nothing here compares a date
with the clock.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcare import services
from backcare.domain import entries
from backcare.domain.symptoms import SYMPTOM_CODES
from tests.conftest import Run

LONDON = ZoneInfo("Europe/London")
_CSV_KINDS = (*entries.EVENT_KINDS, entries.MEASURE)  # the CSV: the events and measures


def _log_one_of_everything(run: Run, db: Path) -> None:
    commands = [
        ("log", "6", "--spasms", "3", "--where", "lower", "--radiates", "thigh",
         "--note", "stiff after gardening", "--at", "2026-03-16 08:00"),
        ("treat", "medication", "--drug", "excedrin", "--relief", "4", "--note", "with food",
         "--at", "2026-03-16 09:00"),
        ("treat", "medication", "--drug", "zorbaflex", "--relaxant", "--unlisted", "--dose",
         "10", "--at", "2026-03-16 10:00"),
        ("treat", "ice", "--minutes", "20", "--relief", "3", "--note", "then a walk",
         "--at", "2026-03-16 11:00"),
        ("symptom", "leg-numbness", "--note", "left calf", "--at", "2026-03-16 12:00"),
        ("symptom", "fever", "--gone", "--at", "2026-03-16 12:30"),
        ("meds", "prescribe", "zorbaflex", "--relaxant", "--dose", "10", "--every", "8",
         "--max-daily", "30", "--from", "2026-03-15 08:00", "--until", "2026-04-15",
         "--note", "from my GP"),
        ("meds", "stop", "zorbaflex", "--at", "2026-03-16 13:00"),
        ("log", "5", "--at", "-3h"),
        ("symptom", "leg-numbness", "--at", "-2h"),
        ("ack", "red-flag.leg-symptoms", "--note", "seen my GP", "--sought-care"),
        ("goals", "add", "walk the dog", "--at", "2026-03-15 09:00"),
        ("goals", "add", "lift my child", "--at", "2026-03-15 09:05"),
        ("measure", "psfs", "--answers", "6,4", "--note", "after physio",
         "--at", "2026-03-16 15:00"),
        ("measure", "rmdq", "--answers", ",".join("1" * 5 + "0" * 19), "--at", "2026-03-16 15:10"),
        ("goals", "remove", "g2"),  # ended now: only the databases are compared
    ]  # fmt: skip
    for command in commands:
        result = run(*command, db=db)
        assert result.exit_code == 0, (command, result.stderr)
    at = datetime(2026, 3, 16, 14, 0, tzinfo=LONDON)
    services.log_checkin(db, at=at, asked=SYMPTOM_CODES, present=("fever",), now=at)
    # No command writes a check-in's note (only an import does): set it in the file.
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE checkin SET note = 'evening round'")
    conn.close()


def _rows(db: Path, kind: entries.Kind) -> list[tuple[object, ...]]:
    """The live rows of `kind`: uid and every declared field's column, by uid."""
    columns = ", ".join(["uid", *(spec.col for spec in kind.fields)])
    conn = sqlite3.connect(db)
    try:
        query = f"SELECT {columns} FROM {kind.table} WHERE deleted_at IS NULL ORDER BY uid"
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _unset(value: object) -> bool:
    return value in (None, "", 0, "[]")


@pytest.fixture
def walked(run: Run, db_path: Path, tmp_path: Path) -> dict[str, Path]:
    """The three databases: the CLI's, the one the JSON fills, the one the CSV fills."""
    _log_one_of_everything(run, db_path)
    from_json, from_csv = tmp_path / "from-json.db", tmp_path / "from-csv.db"
    steps = [
        (("export", "json", "-o", str(tmp_path / "a.json")), db_path),
        (("import", str(tmp_path / "a.json")), from_json),
        (("export", "csv", "--from", "2026-03-01", "-o", str(tmp_path / "b.csv")), from_json),
        (("import", str(tmp_path / "b.csv")), from_csv),
    ]
    for command, db in steps:
        result = run(*command, db=db)
        assert result.exit_code == 0, (command, result.stderr)
    return {"cli": db_path, "json": from_json, "csv": from_csv}


@pytest.mark.slow
def test_every_declared_field_is_exercised(walked: dict[str, Path]) -> None:
    for kind in entries.KINDS:
        rows = _rows(walked["cli"], kind)
        assert rows, f"no {kind.label} was logged"
        for index, spec in enumerate(kind.fields, start=1):
            assert any(not _unset(row[index]) for row in rows), f"{kind.letter}.{spec.name}"
            if spec.form == entries.BOOL:  # both values walk
                assert {bool(row[index]) for row in rows} == {True, False} or len(rows) == 1


@pytest.mark.slow
def test_every_declared_field_survives_json_then_csv(walked: dict[str, Path]) -> None:
    for kind in entries.KINDS:
        assert _rows(walked["json"], kind) == _rows(walked["cli"], kind), kind.label
    for kind in _CSV_KINDS:
        assert _rows(walked["csv"], kind) == _rows(walked["json"], kind), kind.label
