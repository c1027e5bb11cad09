"""Issue 15, "Not recorded is not zero": an option left out is stored NULL and never shown,
exported or judged as 0 or 'none'. Real SQLite file, real CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from backcare.export.fhir import SPASMS_TEXT
from tests.conftest import Run
from tests.reliability.util import make_rev1_db


def _pain_rows(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "SELECT pain, spasms, location, radiates FROM pain_entry ORDER BY id"
        ).fetchall()


def test_options_left_out_are_stored_as_not_recorded(run: Run, db_path: Path) -> None:
    assert run("log", "6", "--at", "2026-03-02 09:00").exit_code == 0
    run("log", "5", "--spasms", "0", "--radiates", "none", "--at", "2026-03-02 10:00")
    assert _pain_rows(db_path) == [(6, None, None, None), (5, 0, None, "none")]


def test_not_recorded_is_empty_in_exports_and_zero_stays_zero(run: Run) -> None:
    run("log", "6", "--at", "2026-03-02 09:00")
    run("log", "5", "--spasms", "0", "--radiates", "none", "--at", "2026-03-02 10:00")
    rows = list(csv.DictReader(io.StringIO(run("export", "csv").stdout.lstrip("\ufeff"))))
    assert [(r["spasms"], r["radiates"]) for r in rows] == [("", ""), ("0", "none")]
    events = json.loads(run("export", "json").stdout)["events"]
    assert [(e["spasms"], e["radiates"]) for e in events] == [(None, None), (0, "none")]
    fhir = json.loads(run("export", "fhir").stdout)
    spasm_obs = [
        e for e in fhir["entry"] if e["resource"].get("code", {}).get("text") == SPASMS_TEXT
    ]
    assert [o["resource"]["valueInteger"] for o in spasm_obs] == [0]


def test_summary_and_report_say_not_recorded(run: Run) -> None:
    run("log", "6", "--at", "2026-03-02 09:00")
    summary = run("summary", "--from", "2026-03-02", "--to", "2026-03-02").stdout
    assert "spasms not recorded" in summary and "spasms 0" not in summary
    [row] = [line for line in summary.splitlines() if line.startswith("2026-03-02 ")]
    assert row.split()[1:4] == ["6.0", "6", "–"]
    md = run("report", "--format", "md", "--days", "1", "--as-of", "2026-03-02 23:00").stdout
    assert "| 2 Mar | 6 | 6 | – |" in md
    [where] = [line for line in md.splitlines() if "Where is the pain felt?" in line]
    assert "spreading not recorded" in where and "not spreading" not in where
    [often] = [line for line in md.splitlines() if "How often do spasms come?" in line]
    assert "not recorded" in often and "no spasms" not in often
    status = run("status", "--as-of", "2026-03-02 12:00").stdout
    assert "spasms not recorded" in status


def test_an_upgraded_first_revision_db_keeps_its_values_and_takes_null(
    run: Run, db_path: Path
) -> None:
    make_rev1_db(db_path)
    before = _pain_rows(db_path)
    assert run("log", "4", "--at", "2026-03-02 09:00").exit_code == 0
    after = _pain_rows(db_path)
    assert after[: len(before)] == before  # existing rows keep what they have
    assert after[-1] == (4, None, None, None)


def test_null_radiates_is_not_a_below_knee_report_and_null_spasms_not_zero(run: Run) -> None:
    run("log", "6", "--at", "2026-03-02 09:00")
    check = json.loads(run("check", "--json", "--as-of", "2026-03-02 12:00").stdout)
    assert "red-flag.leg-symptoms" not in {f["rule"] for f in check["flags"]}
    run("log", "6", "--radiates", "below-knee", "--at", "2026-03-02 10:00")
    check = json.loads(run("check", "--json", "--as-of", "2026-03-02 12:00").stdout)
    assert "red-flag.leg-symptoms" in {f["rule"] for f in check["flags"]}


def test_a_known_muscle_relaxant_exports_relaxant_true(run: Run) -> None:
    run("treat", "cyclobenzaprine", "--dose", "5", "--at", "2026-03-02 21:00")
    run("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-02 21:00")
    events = json.loads(run("export", "json").stdout)["events"]
    assert {e["drug"]: e["relaxant"] for e in events} == {
        "cyclobenzaprine": True,
        "ibuprofen": False,
    }
    rows = list(csv.DictReader(io.StringIO(run("export", "csv").stdout.lstrip("\ufeff"))))
    assert {r["drug"]: r["relaxant"] for r in rows} == {"cyclobenzaprine": "yes", "ibuprofen": ""}
