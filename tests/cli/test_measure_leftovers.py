"""Issue 16 part A leftovers through the real CLI: `import --dry-run` counts measures and
goals, the xlsx export writes questionnaire rows that `import` reads back losslessly,
`goals list --json`, and a period JSON export keeps every goal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts

AT = "2026-11-02 09:00"


def _fill(run: Run) -> None:
    for args in (
        ("log", "6", "--at", "2026-11-01 08:00"),
        ("goals", "add", "walk the dog", "--at", "2026-11-01 10:00"),
        ("goals", "add", "=sit 1 h", "--at", "2026-11-01 10:01"),
        ("measure", "psfs", "--answers", "7,6", "--at", "2026-11-01 12:00", "--note", "@first"),
        ("measure", "psfs", "--answers", "3,4", "--at", "2026-11-02 12:00"),
        ("measure", "startback", "--answers", "1,0,0,0,1,1,1,0,4", "--at", AT),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)


def _measures(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT uid, at, instrument, answers, goals, note FROM measure ORDER BY at"
        ).fetchall()
    finally:
        conn.close()


def test_import_dry_run_counts_measures_and_goals(run: Run, tmp_path: Path) -> None:
    _fill(run)
    out = tmp_path / "all.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    other = tmp_path / "other.db"
    result = run("import", str(out), "--dry-run", db=other)
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert "1 pain entry, 3 questionnaires and 2 activities" in said
    assert not other.exists()
    # into a database that has them all: nothing would be added
    result = run("import", str(out), "--dry-run")
    assert "3 questionnaires" not in result.stdout and "activities" not in result.stdout
    # and the real import adds what the dry run said
    result = run("import", str(out), db=other)
    assert "1 pain entry, 3 questionnaires and 2 activities" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_xlsx_export_writes_measures_and_import_reads_them_back(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    import openpyxl

    _fill(run)
    book_path = tmp_path / "log.xlsx"
    assert run("export", "xlsx", "-o", str(book_path)).exit_code == 0
    book = openpyxl.load_workbook(book_path, read_only=True)
    rows = list(book["Entries"].iter_rows(values_only=True))
    header = list(rows[0])
    kinds = [r[header.index("type")] for r in rows[1:]]
    assert kinds.count("measure") == 3
    psfs = next(r for r in rows[1:] if r[header.index("note")] == "@first")
    assert psfs[header.index("questionnaire")] == "psfs"
    assert psfs[header.index("score")] == pytest.approx(13 / 2)
    assert psfs[header.index("answers")] == "7 6"
    assert psfs[header.index("note")] == "@first"  # text as it is: an xlsx has no formula guard
    book.close()

    other = tmp_path / "other.db"
    result = run("import", str(book_path), db=other)
    assert result.exit_code == 0, result.stderr
    assert "3 questionnaires" in " ".join(result.stdout.split())
    assert _measures(other) == _measures(db_path)
    # again: nothing new (by uid)
    again = run("import", str(book_path), db=other)
    assert again.exit_code == 0 and row_counts(other)["measure"] == 3


def test_goals_list_json(run: Run) -> None:
    """The activities asked now, as the text lists them (a removed one is left out)."""
    _fill(run)
    assert run("goals", "remove", "g1").exit_code == 0
    result = run("goals", "list", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"id": "g2", "text": "=sit 1 h", "at": "2026-11-01T10:01:00+00:00"}
    ]


def test_period_json_export_keeps_every_goal(run: Run, tmp_path: Path) -> None:
    """Goals are not dated events: a period export carries all of them (the measures in
    the period name their goals by text, and an import must know the activities)."""
    _fill(run)
    result = run("export", "json", "--from", "2026-11-02", "--to", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [m["instrument"] for m in data["measures"]] == ["startback", "psfs"]
    assert sorted(g["text"] for g in data["goals"]) == ["=sit 1 h", "walk the dog"]
