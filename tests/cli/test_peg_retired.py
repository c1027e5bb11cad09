"""PEG is no longer asked (issue 16): its terms of use could not be confirmed (README
"Questionnaire texts", docs/sources.md). backcare refuses `measure peg` and never schedules
it, while the PEG scores a person stored with an earlier version stay theirs: shown,
deleted, undone, exported and imported like any measure.

The fixtures in tests/data/ were written by backcare at main 24f5551 (the last version that
asked PEG): `export json` and `export csv` of a pain entry, two PEGs and a STarT Back.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.conftest import Run, row_counts

DATA = Path(__file__).resolve().parent.parent / "data"
OLD_JSON = DATA / "export-with-peg.json"  # `export json` of main 24f5551
OLD_CSV = DATA / "export-with-peg.csv"  # `export csv` of main 24f5551
NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


def _measures(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT uid, at, instrument, answers, goals, note, deleted_at FROM measure ORDER BY uid"
        ).fetchall()
    finally:
        conn.close()


def _imported(run: Run) -> None:
    result = run("import", str(OLD_JSON))
    assert result.exit_code == 0, result.stderr


# --- not asked ------------------------------------------------------------------------------


def test_measure_peg_is_refused_in_two_lines_and_nothing_is_stored(run: Run, db_path: Path) -> None:
    assert run("log", "4", "--at", "2026-11-01 08:00").exit_code == 0
    before = row_counts(db_path)
    for args in (("peg", "--answers", "7,6,0"), ("PEG",), ("peg", "--answers", "1,2")):
        result = run("measure", *args, "--at", "2026-11-02 09:00")
        assert result.exit_code == 2, result.stdout
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 2, result.stderr
        assert "PEG is no longer included" in lines[0]
        assert "terms of use could not be confirmed" in lines[0]
        assert max(len(line) for line in lines) <= 80
        for name in ("startback", "rmdq", "psfs"):
            assert name in lines[1]
        assert "peg" not in lines[1]
        assert result.stdout == ""
    assert row_counts(db_path) == before


def test_measure_peg_on_an_empty_home_creates_no_database(run: Run, db_path: Path) -> None:
    result = run("measure", "peg", "--answers", "7,6,0")
    assert result.exit_code == 2
    assert not db_path.exists()


def test_unknown_names_list_and_suggest_only_the_measures_asked(run: Run) -> None:
    unknown = run("measure", "oswestry", "--answers", "1")
    assert unknown.exit_code == 2
    assert "startback, rmdq, psfs" in unknown.stderr and "peg" not in unknown.stderr
    close = run("measure", "pge", "--answers", "1,2,3")
    assert close.exit_code == 2 and "peg" not in close.stderr.lower()


def test_help_no_longer_offers_peg(run: Run) -> None:
    for args in (("measure", "--help"), ("--help",)):
        result = run(*args)
        assert result.exit_code == 0
        assert "peg" not in result.stdout.lower(), args


def test_no_peg_is_due_for_someone_who_took_it_before(run: Run) -> None:
    """main 24f5551 scheduled PEG weekly once taken: 7 days after the last one it was due."""
    _imported(run)
    assert run("log", "5", "--at", "2026-11-15 09:00").exit_code == 0
    remind = run("remind", "--as-of", "2026-11-16 10:00", "--json")
    assert remind.exit_code == 0, remind.stderr
    assert "peg" not in remind.stdout.lower()
    status = run("status", "--as-of", "2026-11-16 10:00")
    assert status.exit_code == 0
    due = status.stdout.split("Due:")[1]
    assert "peg" not in due.lower()


# --- what was stored stays the person's ----------------------------------------------------


def test_an_old_json_export_with_peg_still_imports_and_history_shows_it(
    run: Run, db_path: Path
) -> None:
    _imported(run)
    rows = _measures(db_path)
    assert sorted((r[2], r[3]) for r in rows) == [
        ("peg", "4,3,2"),
        ("peg", "7,6,0"),
        ("startback", "1,0,0,0,1,1,1,0,4"),
    ]
    history = run("history", *NOVEMBER)
    assert history.exit_code == 0
    assert "PEG (no longer asked) score 4.3 of 10" in history.stdout
    assert "PEG (no longer asked) score 3 of 10" in history.stdout
    assert "after the walk" in history.stdout
    again = run("import", str(OLD_JSON))  # idempotent: nothing new
    assert again.exit_code == 0 and _measures(db_path) == rows


def test_an_old_csv_export_with_peg_still_imports(run: Run, db_path: Path) -> None:
    result = run("import", str(OLD_CSV))
    assert result.exit_code == 0, result.stderr
    assert sorted(str(r[2]) for r in _measures(db_path)) == ["peg", "peg", "startback"]


def test_stored_peg_round_trips_json_and_csv_losslessly(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    _imported(run)
    stored = _measures(db_path)
    out = tmp_path / "again.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    old = {m["uid"]: m for m in json.loads(OLD_JSON.read_text("utf-8"))["measures"]}
    new = {m["uid"]: m for m in json.loads(out.read_text("utf-8"))["measures"]}
    assert new == old  # every field, created_at included
    fresh = tmp_path / "fresh.db"
    assert run("import", str(out), db=fresh).exit_code == 0
    assert _measures(fresh) == stored
    table = tmp_path / "again.csv"
    assert run("export", "csv", "-o", str(table)).exit_code == 0
    peg_rows = [
        (r["instrument"], r["score"], r["answers"], r["note"])
        for r in csv.DictReader(io.StringIO(table.read_text("utf-8-sig")))
        if r["type"] == "measure" and r["instrument"] == "peg"
    ]
    assert peg_rows == [("peg", "4.3", "7 6 0", "after the walk"), ("peg", "3", "4 3 2", "")]
    from_csv = tmp_path / "from-csv.db"
    assert run("import", str(table), db=from_csv).exit_code == 0
    assert [(r[0], r[2], r[3], r[5]) for r in _measures(from_csv)] == [
        (r[0], r[2], r[3], r[5]) for r in stored
    ]


@pytest.mark.slow
def test_stored_peg_round_trips_the_workbook(run: Run, db_path: Path, tmp_path: Path) -> None:
    _imported(run)
    book = tmp_path / "log.xlsx"
    assert run("export", "xlsx", "-o", str(book)).exit_code == 0
    other = tmp_path / "other.db"
    result = run("import", str(book), db=other)
    assert result.exit_code == 0, result.stderr
    keep = lambda rows: [(r[0], r[1], r[2], r[3], r[5]) for r in rows]  # noqa: E731
    assert keep(_measures(other)) == keep(_measures(db_path))


def test_import_still_checks_a_peg_against_its_scoring(run: Run, tmp_path: Path) -> None:
    data = json.loads(OLD_JSON.read_text("utf-8"))
    data["measures"][0]["answers"] = [7, 6, 11]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    db = tmp_path / "bad.db"
    result = run("import", str(bad), db=db)
    assert result.exit_code == 2
    assert "item 3" in result.stderr and "0-10" in result.stderr
    assert row_counts(db).get("measure", 0) == 0


def test_fhir_keeps_the_peg_score_code_and_no_item_wording(run: Run, tmp_path: Path) -> None:
    _imported(run)
    out = tmp_path / "fhir.json"
    assert run("export", "fhir", "-o", str(out)).exit_code == 0
    bundle = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(bundle)
    resources = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    peg_uid = json.loads(OLD_JSON.read_text("utf-8"))["measures"][0]["uid"]
    response = resources[peg_uid]
    QuestionnaireResponse.model_validate(response)
    assert "PEG" in response["text"]["div"]
    assert [(i["linkId"], i["answer"][0]["valueInteger"]) for i in response["item"]] == [
        ("1", 7),
        ("2", 6),
        ("3", 0),
    ]
    assert all("text" not in i for i in response["item"])
    score = resources[str(uuid.uuid5(uuid.UUID(peg_uid), "score"))]
    Observation.model_validate(score)
    assert score["code"]["coding"] == [
        {"system": "http://loinc.org", "code": "91147-9", "display": "Mean score [PEG]"}
    ]
    assert score["valueQuantity"]["value"] == 4.33


def test_status_shows_the_stored_peg_labelled(run: Run) -> None:
    _imported(run)
    assert run("log", "4", "--at", "2026-11-08 09:00").exit_code == 0
    status = run("status", "--as-of", "2026-11-09 10:00")
    assert status.exit_code == 0
    assert "PEG (no longer asked) 3 on 2026-11-09" in status.stdout


def test_the_report_shows_the_stored_peg_labelled(run: Run, tmp_path: Path) -> None:
    _imported(run)
    assert run("log", "4", "--at", "2026-11-05 09:00").exit_code == 0  # one episode
    out = tmp_path / "report.md"
    result = run("report", "--days", "30", "--as-of", "2026-11-10 10:00", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = " ".join(out.read_text("utf-8").split())
    assert "PEG (no longer asked) 3 (first 4.3, -1.3)" in text


def test_delete_and_undo_of_a_stored_peg(run: Run, db_path: Path) -> None:
    _imported(run)
    peg = [r for r in _measures(db_path) if r[3] == "7,6,0"]
    assert peg[0][6] is None
    deleted = run("delete", "m1", "--yes")
    assert deleted.exit_code == 0, deleted.stderr
    assert [r[6] for r in _measures(db_path) if r[3] == "7,6,0"] != [None]
    undone = run("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert [r[6] for r in _measures(db_path) if r[3] == "7,6,0"] == [None]


def test_edit_of_a_stored_peg_keeps_to_its_note_and_time(run: Run, db_path: Path) -> None:
    """Its note and time are the person's record; new answers would be backcare asking the
    PEG again, so `--answers` is refused (delete and undo remain)."""
    _imported(run)
    noted = run("edit", "m1", "--note", "before the walk")
    assert noted.exit_code == 0, noted.stderr
    assert [r[5] for r in _measures(db_path) if r[3] == "7,6,0"] == ["before the walk"]
    before = _measures(db_path)
    answers = run("edit", "m1", "--answers", "1,1,1")
    assert answers.exit_code == 2
    assert "PEG is no longer included" in answers.stderr
    assert _measures(db_path) == before


# --- the wording is gone -------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Fragments of PEG's item wording (Krebs et al. 2009, Figure 1), split so this file does
# not hold them either.
FRAGMENTS = (
    "describes your pain " + "on average",
    "pain has interfered " + "with your",
)


def test_no_file_in_the_repository_reproduces_peg_item_wording() -> None:
    found = []
    for top in ("src", "docs", "tests", "README.md", "migrations"):
        base = ROOT / top
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for path in files:
            if path.suffix not in {".py", ".toml", ".md", ".json", ".txt", ".csv", ".html"}:
                continue
            text = path.read_text("utf-8", errors="replace").lower()
            found += [str(path) for f in FRAGMENTS if f in text]
    assert found == []
    assert not (ROOT / "src" / "backcare" / "domain" / "instruments" / "peg.toml").exists()
