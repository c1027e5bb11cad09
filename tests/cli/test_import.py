"""`backcare import FILE`: idempotent by uid, all or nothing, --dry-run, refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Result, Run, row_counts

EVENT_TABLES = ("pain_entry", "treatment", "symptom_report")


def said(result: Result) -> str:
    """Standard output as one line (messages are wrapped at 80 columns)."""
    return " ".join(result.stdout.split())


def events_in(path: Path) -> dict[str, int]:
    counts = row_counts(path)
    return {table: counts.get(table, 0) for table in EVENT_TABLES}


@pytest.fixture
def export_json(run: Run, tmp_path: Path) -> Path:
    """A JSON export of a small log (with one deleted entry and a profile)."""
    for args in (
        ("log", "7", "--spasms", "3", "--where", "lower", "--note", "lifting", "--at", "-2d"),
        ("treat", "naproxen", "--dose", "220", "--at", "-2d"),
        ("treat", "ice", "--minutes", "20", "--at", "-1d"),
        ("symptom", "fever", "--at", "-1d"),
        ("log", "4", "--at", "-1h"),
        ("delete", "t2", "--yes"),
        ("profile", "set", "--birth-year", "1985"),
    ):
        assert run(*args).exit_code == 0, args
    out = tmp_path / "export.json"
    result = run("export", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_import_into_an_empty_database_and_twice_adds_nothing(
    run: Run, export_json: Path, tmp_path: Path
) -> None:
    target = tmp_path / "new" / "target.db"
    first = run("import", str(export_json), db=target)
    assert first.exit_code == 0, first.stderr
    assert "Imported 2 pain entries, 2 treatments and 1 symptom report" in said(first)
    assert "1 of them is deleted in the export and stays deleted." in said(first)
    assert "profile was saved" in said(first)
    assert events_in(target) == {"pain_entry": 2, "treatment": 2, "symptom_report": 1}

    second = run("import", str(export_json), db=target)
    assert second.exit_code == 0, second.stderr
    assert "Nothing new" in said(second) and "5 entries already in the database" in said(second)
    assert events_in(target) == {"pain_entry": 2, "treatment": 2, "symptom_report": 1}
    assert "profile was not applied" in said(second)
    history = json.loads(run("history", "--json", "--days", "7", db=target).stdout)
    assert [e["type"] for e in history] == ["pain", "treatment", "symptom", "pain"]


def test_deleted_entries_stay_deleted_and_uids_are_kept(
    run: Run, export_json: Path, tmp_path: Path
) -> None:
    target = tmp_path / "target.db"
    assert run("import", str(export_json), db=target).exit_code == 0
    source = json.loads(run("history", "--json", "--days", "7").stdout)
    copied = json.loads(run("history", "--json", "--days", "7", db=target).stdout)
    assert [e["uid"] for e in copied] == [e["uid"] for e in source]
    assert [e["kind"] for e in copied if e["type"] == "treatment"] == ["medication"]  # t2 (ice)


def test_import_merges_only_what_is_new(run: Run, export_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    assert run("import", str(export_json), db=target).exit_code == 0
    assert run("log", "5", "--at", "-30m").exit_code == 0  # one more entry in the source
    newer = tmp_path / "newer.json"
    assert run("export", "json", "-o", str(newer)).exit_code == 0
    result = run("import", str(newer), db=target)
    assert result.exit_code == 0, result.stderr
    assert "Imported 1 pain entry" in said(result)
    assert "Skipped 5 already in the database (same uid)." in said(result)
    assert events_in(target)["pain_entry"] == 3


def test_csv_import_round_trip(run: Run, tmp_path: Path, export_json: Path) -> None:
    out = tmp_path / "export.csv"
    assert run("export", "csv", "-o", str(out)).exit_code == 0
    target = tmp_path / "target.db"
    result = run("import", str(out), db=target)
    assert result.exit_code == 0, result.stderr
    assert "Imported 2 pain entries, 1 treatment and 1 symptom report" in said(result)
    source = json.loads(run("history", "--json", "--days", "7").stdout)
    copied = json.loads(run("history", "--json", "--days", "7", db=target).stdout)
    strip = [{k: v for k, v in e.items() if k != "id"} for e in source]
    assert [{k: v for k, v in e.items() if k != "id"} for e in copied] == strip
    assert run("import", str(out), db=target).stdout.startswith("Nothing new")


def test_dry_run_writes_nothing(run: Run, export_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    result = run("import", "--dry-run", str(export_json), db=target)
    assert result.exit_code == 0, result.stderr
    assert "Would import 2 pain entries, 2 treatments and 1 symptom report" in said(result)
    assert "nothing was written" in said(result)
    assert "would be saved" in said(result)
    assert not target.exists()  # not even created

    assert run("import", str(export_json), db=target).exit_code == 0
    before = events_in(target)
    again = run("import", "--dry-run", str(export_json), db=target)
    assert again.exit_code == 0
    assert "Nothing new" in said(again) and "Nothing was written" in said(again)
    assert events_in(target) == before


def test_one_bad_item_imports_nothing_and_names_item_and_field(
    run: Run, export_json: Path, tmp_path: Path
) -> None:
    data = json.loads(export_json.read_text("utf-8"))
    data["events"][2]["relief"] = 11  # item 3: a treatment
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), "utf-8")
    target = tmp_path / "target.db"
    result = run("import", str(bad), db=target)
    assert result.exit_code == 2
    assert "item 3" in result.stderr and "relief" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()  # refused before the database is created

    assert run("log", "2", db=target).exit_code == 0
    before = events_in(target)
    assert run("import", str(bad), db=target).exit_code == 2
    assert events_in(target) == before


def test_one_bad_csv_line_imports_nothing_and_names_line_and_field(
    run: Run, export_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.csv"
    assert run("export", "csv", "-o", str(out)).exit_code == 0
    lines = out.read_bytes().split(b"\r\n")
    cells = lines[2].split(b",")
    cells[4] = b"12"  # the treatment row: a pain value where none belongs
    lines[2] = b",".join(cells)
    out.write_bytes(b"\r\n".join(lines))
    target = tmp_path / "target.db"
    assert run("log", "2", db=target).exit_code == 0
    before = events_in(target)
    result = run("import", str(out), db=target)
    assert result.exit_code == 2
    assert "line 3" in result.stderr and "pain" in result.stderr
    assert events_in(target) == before


@pytest.mark.parametrize(
    "content",
    [
        b"hello, this is not an export\n",
        b'{"some": "json"}',
        b"\x89PNG\r\n\x1a\n\x00\x00binary",
        b"",
    ],
)
def test_a_file_that_is_not_an_export_is_refused(run: Run, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_bytes(content)
    result = run("import", str(bad))
    assert result.exit_code == 2
    assert "not a backcare export" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_the_daily_csv_is_refused(run: Run, export_json: Path, tmp_path: Path) -> None:
    daily = tmp_path / "daily.csv"
    assert run("export", "csv", "--daily", "-o", str(daily)).exit_code == 0
    result = run("import", str(daily), db=tmp_path / "t.db")
    assert result.exit_code == 2
    assert "daily" in result.stderr


def test_missing_file_and_folder(run: Run, tmp_path: Path) -> None:
    missing = run("import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert "no file at" in missing.stderr and "nope.json" in missing.stderr
    folder = run("import", str(tmp_path))
    assert folder.exit_code == 2
    assert "is a folder" in folder.stderr


def test_import_from_stdin(run: Run, export_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    result = run("import", "-", input=export_json.read_text("utf-8"), db=target)
    assert result.exit_code == 0, result.stderr
    assert "from standard input" in said(result)
    assert events_in(target)["pain_entry"] == 2


def test_the_profile_of_the_database_is_kept(run: Run, export_json: Path, tmp_path: Path) -> None:
    target = tmp_path / "target.db"
    assert run("profile", "set", "--birth-year", "1990", db=target).exit_code == 0
    result = run("import", str(export_json), db=target)
    assert result.exit_code == 0
    assert "profile was not applied" in said(result)
    shown = run("profile", "show", db=target).stdout
    assert "1990" in shown and "1985" not in shown


def test_an_export_with_no_entries(run: Run, tmp_path: Path) -> None:
    assert run("profile", "set", "--birth-year", "1970").exit_code == 0
    out = tmp_path / "Empty.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    result = run("import", str(out), db=tmp_path / "t.db")
    assert result.exit_code == 0, result.stderr
    assert f"No entries in {out}." in said(result)
    assert "profile was saved" in said(result)
