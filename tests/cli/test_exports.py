"""`backcare export csv|json|fhir` and `backcare report` through the CLI, on a real file."""

from __future__ import annotations

import csv
import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcare.export.csv_export import BOM, COLUMNS
from tests.conftest import Run, file_digest, row_counts


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def logged(run: Run) -> Run:
    """A small log: pain (with a tricky note), two treatments, a symptom, one deleted entry."""
    steps = [
        (
            "log",
            "6",
            "--spasms",
            "2",
            "--where",
            "lower",
            "--note",
            '=SUM(A1) "x", y',
            "--at",
            "-3d",
        ),
        ("treat", "ibuprofen", "--dose", "400", "--at", "-3d"),
        ("treat", "heat", "--minutes", "20", "--relief", "5", "--at", "-2d"),
        ("symptom", "leg-numbness", "--at", "-1d"),
        ("log", "3", "--note", "Rückenschmerz – 腰痛\nsecond line", "--at", "-2h"),
        ("log", "9", "--at", "-1h"),
        ("delete", "p3", "--yes"),
        ("profile", "set", "--birth-year", "1979", "--history", "osteoporosis"),
    ]
    for args in steps:
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return run


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


# --- csv ---------------------------------------------------------------------------------


def test_export_csv_to_a_file_is_private_with_bom_and_crlf(logged: Run, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    result = logged("export", "csv", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert str(out) in result.stdout
    assert mode(out) == 0o600
    data = out.read_bytes()
    assert data.startswith(BOM.encode("utf-8") + b"date,time,timestamp,type")
    assert data.count(b"\r\n") == data.count(b"\n") - 1  # the note's own line break stays LF
    assert b"\r\r\n" not in data
    rows = read_csv(data)
    assert [r["type"] for r in rows] == ["pain", "treatment", "treatment", "symptom", "pain"]
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["note"] == '\'=SUM(A1) "x", y'  # neutralised, quoted, read back exactly
    assert rows[4]["note"] == "Rückenschmerz – 腰痛\nsecond line"
    assert rows[1]["drug"] == "ibuprofen" and rows[1]["dose_mg"] == "400"


def stdout_bytes(db_path: Path, *args: str) -> bytes:
    """Standard output as bytes (the `run` fixture's text turns CRLF into LF)."""
    from typer.testing import CliRunner

    from backcare.cli.app import app

    result = CliRunner().invoke(app, ["--db", str(db_path), *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def test_export_csv_to_stdout_is_the_same_bytes(logged: Run, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "export.csv"
    assert logged("export", "csv", "-o", str(out)).exit_code == 0
    data = stdout_bytes(db_path, "export", "csv")
    assert data == out.read_bytes()
    assert data.count(b"\r\n") == 6  # header + 5 rows
    assert stdout_bytes(db_path, "export", "csv", "-o", "-") == data


def test_export_csv_makes_an_existing_file_private(logged: Run, tmp_path: Path) -> None:
    out = tmp_path / "old.csv"
    out.write_text("old content that is longer than nothing at all " * 100)
    out.chmod(0o644)
    assert logged("export", "csv", "-o", str(out)).exit_code == 2  # exists: needs --force
    assert logged("export", "csv", "-o", str(out), "--force").exit_code == 0
    assert mode(out) == 0o600
    assert b"old content" not in out.read_bytes()


def test_export_csv_daily_and_date_range(logged: Run) -> None:
    daily = logged("export", "csv", "--daily")
    assert daily.exit_code == 0, daily.stderr
    rows = read_csv(daily.stdout.encode("utf-8"))
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert "ibuprofen doses" in rows[0]
    assert sum(int(r["pain_entries"]) for r in rows) == 2  # the deleted entry is left out
    # The log's times are relative to the real now (-3d ... -1h), so which entries share a
    # day depends on the hour the test runs: compare with the full export, not with fixed days.
    everything = read_csv(logged("export", "csv").stdout.encode("utf-8"))
    dates = [r["date"] for r in everything]
    last_day, first_day = dates[-1], dates[0]
    ranged = logged("export", "csv", "--from", last_day, "--to", last_day)
    ranged_rows = read_csv(ranged.stdout.encode("utf-8"))
    assert ranged_rows == [r for r in everything if r["date"] == last_day]
    until = read_csv(logged("export", "csv", "--to", first_day).stdout.encode("utf-8"))
    assert until == [r for r in everything if r["date"] == first_day]


def test_export_of_a_missing_database_names_it_and_creates_nothing(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    for kind in ("csv", "json", "fhir"):
        result = run("export", kind, "-o", str(out))
        assert result.exit_code == 1
        assert str(db_path) in result.stderr
        assert not out.exists()
    assert not db_path.exists()


def test_export_refuses_to_overwrite_the_database(logged: Run, db_path: Path) -> None:
    before = file_digest(db_path)
    result = logged("export", "json", "-o", str(db_path))
    assert result.exit_code == 2
    assert "database" in result.stderr
    assert file_digest(db_path) == before


def test_export_into_a_missing_folder_is_a_clear_error(logged: Run, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "x.csv"
    result = logged("export", "csv", "-o", str(out))
    assert result.exit_code == 1
    assert str(out) in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_export_to_a_full_disk_is_a_clear_error(logged: Run) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    result = logged("export", "csv", "-o", "/dev/full")
    assert result.exit_code == 1
    assert "could not write /dev/full" in result.stderr
    assert Path("/dev/full").exists()  # a device is never removed


def test_a_failed_write_removes_the_partial_file(
    logged: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backcare.services import exports

    closed: list[bool] = []

    def failing(*args: object, **kwargs: object) -> Iterator[str]:
        def chunks() -> Iterator[str]:
            try:
                yield "first chunk\r\n"
                raise OSError(28, "No space left on device")
            finally:
                closed.append(True)

        return chunks()

    monkeypatch.setattr(exports, "export_csv", failing)
    out = tmp_path / "partial.csv"
    result = logged("export", "csv", "-o", str(out))
    assert result.exit_code == 1
    assert f"could not write {out} (No space left on device)" in result.stderr
    assert not out.exists()
    assert closed == [True]


# --- json --------------------------------------------------------------------------------


def test_json_export_import_export_is_identical(logged: Run, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert logged("export", "json", "-o", str(first)).exit_code == 0
    assert mode(first) == 0o600
    data = json.loads(first.read_text("utf-8"))
    assert data["format"] == "backcare-export" and data["version"] == 1
    assert data["profile"]["birth_year"] == 1979
    assert len(data["events"]) == 6  # the deleted entry is in it
    assert sum(1 for e in data["events"] if e["deleted_at"]) == 1

    other = tmp_path / "other.db"
    result = logged("import", str(first), db=other)
    assert result.exit_code == 0, result.stderr
    second = tmp_path / "second.json"
    assert logged("export", "json", "-o", str(second), db=other).exit_code == 0

    def body(path: Path) -> list[str]:
        lines = path.read_text("utf-8").splitlines()
        header = json.loads(lines[0] + '"events": []}')
        del header["exported_at"]  # the one field that differs: when each export ran
        return [json.dumps(header), *lines[1:]]

    assert body(first) == body(second)
    assert row_counts(other)["pain_entry"] == 3


def test_json_export_to_stdout(logged: Run) -> None:
    result = logged("export", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {e["type"] for e in data["events"]} == {"pain", "treatment", "symptom"}


# --- fhir --------------------------------------------------------------------------------


def test_fhir_export_validates_as_an_r4_bundle(logged: Run, tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    result = logged("export", "fhir")
    assert result.exit_code == 0, result.stderr
    bundle = Bundle.model_validate(json.loads(result.stdout))
    assert bundle.type == "collection"
    assert bundle.entry is not None
    resources = [entry.resource for entry in bundle.entry if entry.resource is not None]
    assert len(resources) == len(bundle.entry)
    kinds = sorted(resource.get_resource_type() for resource in resources)
    # 2 live pain entries -> 2 pain observations, 1 spasm observation (the other entry left
    # spasms out: not recorded, so no Observation of 0); 1 symptom observation
    assert kinds == ["MedicationStatement", *["Observation"] * 4, "Procedure"]
    out = tmp_path / "bundle.json"
    assert logged("export", "fhir", "-o", str(out)).exit_code == 0
    assert mode(out) == 0o600
    Bundle.model_validate_json(out.read_text("utf-8"))


def test_export_without_a_format_shows_help(run: Run) -> None:
    result = run("export")
    shown = result.stdout + result.stderr  # Click >= 8.2 prints it on stderr, exit 2
    assert "csv" in shown and "json" in shown and "fhir" in shown


# --- report ------------------------------------------------------------------------------


def test_report_html_to_a_file(logged: Run, tmp_path: Path) -> None:
    out = tmp_path / "visit.html"
    result = logged("report", "--days", "14", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert mode(out) == 0o600
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and "Not a diagnosis" in page
    assert "&quot;x&quot;" in page  # the note, escaped
    assert "(14 days)" in page


def test_report_format_follows_the_output_name_and_the_option(logged: Run, tmp_path: Path) -> None:
    md = tmp_path / "visit.md"
    assert logged("report", "-o", str(md)).exit_code == 0
    assert md.read_text("utf-8").startswith("# Back pain self-care log")
    piped = logged("report")  # not a terminal: HTML
    assert piped.stdout.startswith("<!DOCTYPE html>")
    plain_md = logged("report", "--format", "md")  # not a terminal: the Markdown text itself
    assert plain_md.stdout.startswith("# Back pain self-care log")
    assert "## Questions a doctor may ask" in plain_md.stdout


def test_report_renders_markdown_with_rich_on_a_terminal(
    logged: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from backcare.cli import reports

    monkeypatch.setattr(reports, "rich_output", lambda: True)
    result = logged("report", "--format", "md")
    assert result.exit_code == 0, result.stderr
    assert "Questions a doctor may ask" in result.stdout
    assert "## Questions" not in result.stdout  # drawn, not the raw Markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "pdf"), "--format must be html or md"),
        (("--days", "0"), "--days must be"),
        (("--as-of", "whenever"), ""),
    ],
)
def test_report_bad_options(logged: Run, args: tuple[str, ...], message: str) -> None:
    result = logged("report", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_report_on_a_missing_database(run: Run, db_path: Path) -> None:
    result = run("report")
    assert result.exit_code == 1
    assert str(db_path) in result.stderr
    assert not db_path.exists()


# --- streaming and the bulk queries ------------------------------------------------------


def test_bulk_queries_read_what_repo_reads(logged: Run, db_path: Path) -> None:
    from backcare.store import export_queries, repo
    from backcare.store.engine import open_store

    store = open_store(db_path, create=False)
    try:
        with store.read() as session:
            bulk = list(export_queries.iter_events(session))
            history = repo.load_history(session)  # the per-table reads every command makes
            records = list(export_queries.iter_records(session))
    finally:
        store.close()
    assert len(bulk) == 5
    assert sorted(bulk, key=repr) == sorted(
        [*history.pain, *history.treatments, *history.symptoms], key=repr
    )
    assert [e.at for e in bulk] == sorted(e.at for e in bulk)
    assert [r.event for r in records if r.deleted_at is None] == bulk
    assert len(records) == 6


def test_export_csv_is_a_lazy_stream_of_chunks(db_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from backcare.domain.inputs import NewPain
    from backcare.services import exports
    from backcare.store import repo
    from backcare.store.engine import open_store

    start = datetime(2025, 1, 1, tzinfo=UTC)
    store = open_store(db_path, create=True)
    try:
        with store.write() as session:
            for i in range(2500):
                at = start + timedelta(hours=i)
                repo.add_pain(session, entry=NewPain(at=at, pain=i % 11), now=at)
    finally:
        store.close()
    chunks = exports.export_csv(db_path, since=None, until=None, tz=UTC)
    assert iter(chunks) is chunks  # a generator, not a list of rows
    sizes = [chunk.count("\r\n") for chunk in chunks]
    assert sizes == [1, 1000, 1000, 500]  # the header, then 1000 rows per chunk
