"""`import` of a CSV saved back by a spreadsheet (LibreOffice-style), and of `export xlsx`."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import Run

LOG = (
    (
        "log",
        "7",
        "--spasms",
        "3",
        "--where",
        "lower",
        "--note",
        "-3 better than yesterday",
        "--at",
        "2026-03-14 07:45",
    ),
    ("treat", "naproxen", "--dose", "220", "--note", '=HYPERLINK("x")', "--at", "2026-03-14 19:05"),
    ("treat", "ice", "--minutes", "20", "--note", "déménagement", "--at", "2026-03-15 12:30"),
    ("symptom", "fever", "--note", "38.2 °C", "--at", "2026-03-16 00:10"),
)


def _history(run: Run, db: Path | None = None) -> list[dict[str, object]]:
    result = run("history", "--json", "--from", "2026-03-01", "--to", "2026-03-31", db=db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def logged(run: Run) -> list[dict[str, object]]:
    for args in LOG:
        assert run(*args).exit_code == 0, args
    return _history(run)


def libreoffice_resave(text: str) -> str:
    """The CSV as LibreOffice (en-US, opened as UTF-8) saves it back: no BOM, LF line ends,
    the date as M/D/YYYY, the time as 12-hour with seconds, the guard apostrophe kept as
    cell text (LibreOffice shows it), numbers unchanged."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    header, body = rows[0], rows[1:]
    di, ti = header.index("date"), header.index("time")
    for row in body:
        day = datetime.strptime(row[di], "%Y-%m-%d")
        row[di] = f"{day.month:02d}/{day.day:02d}/{day.year}"
        clock = datetime.strptime(row[ti], "%H:%M")
        row[ti] = clock.strftime("%I:%M:%S %p")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    return out.getvalue()


def test_a_csv_saved_back_by_libreoffice_imports_losslessly(
    run: Run, logged: list[dict[str, object]], tmp_path: Path
) -> None:
    exported = tmp_path / "visit.csv"
    assert run("export", "csv", "-o", str(exported)).exit_code == 0
    text = exported.read_bytes().decode("utf-8")
    resaved = libreoffice_resave(text)
    assert "07:45:00 AM" in resaved and "07:05:00 PM" in resaved and "03/14/2026" in resaved
    assert "'-3 better" in resaved and not resaved.startswith("\ufeff")
    saved = tmp_path / "resaved.csv"
    saved.write_bytes(resaved.encode("utf-8"))
    target = tmp_path / "target.db"
    result = run("import", str(saved), db=target)
    assert result.exit_code == 0, result.stderr
    copied = _history(run, target)
    keys = (
        "uid",
        "type",
        "at",
        "pain",
        "spasms",
        "location",
        "note",
        "kind",
        "drug",
        "dose_mg",
        "minutes",
        "code",
        "present",
    )
    assert [{k: e.get(k) for k in keys} for e in copied] == [
        {k: e.get(k) for k in keys} for e in logged
    ]


@pytest.mark.parametrize(
    ("day", "clock"),
    [
        ("2026-03-14", "07:45"),
        ("2026-03-14", "07:45:00"),
        ("2026-03-14", "7:45 AM"),
        ("2026-03-14", "07:45:00 am"),
        ("2026/03/14", "07:45"),
        ("14/03/2026", "07:45"),
        ("3/14/2026", "07:45"),
        ("14-Mar-2026", "07:45"),
        ("Mar 14, 2026", "07:45"),
        ("14 March 2026", "07:45"),
    ],
)
def test_spreadsheet_date_and_time_forms_are_read(
    run: Run, tmp_path: Path, day: str, clock: str
) -> None:
    assert run("log", "6", "--at", "2026-03-14 07:45").exit_code == 0
    exported = tmp_path / "one.csv"
    assert run("export", "csv", "-o", str(exported)).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"), newline="")))
    rows[1][0], rows[1][1] = day, clock
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    changed = tmp_path / "changed.csv"
    changed.write_text(out.getvalue(), "utf-8")
    result = run("import", str(changed), db=tmp_path / "t.db")
    assert result.exit_code == 0, result.stderr
    assert "Imported 1 pain entry" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("date", "03/04/2026"),  # ambiguous: 3 April or March 4
        ("date", "2026-03-15"),  # not the timestamp's day
        ("time", "07:45 PM"),  # not the timestamp's time
        ("time", "19:45 PM"),
        ("time", "7.45"),
    ],
)
def test_a_wrong_or_ambiguous_cell_is_refused_naming_line_and_field(
    run: Run, tmp_path: Path, db_path: Path, column: str, cell: str
) -> None:
    assert run("log", "6", "--at", "2026-03-14 07:45").exit_code == 0
    assert run("log", "5", "--at", "2026-03-14 09:00").exit_code == 0
    exported = tmp_path / "two.csv"
    assert run("export", "csv", "-o", str(exported)).exit_code == 0
    rows = list(csv.reader(io.StringIO(exported.read_text("utf-8-sig"), newline="")))
    rows[2][rows[0].index(column)] = cell
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    changed = tmp_path / "changed.csv"
    changed.write_text(out.getvalue(), "utf-8")
    target = tmp_path / "t.db"
    result = run("import", str(changed), db=target)
    assert result.exit_code == 2
    assert f"line 3, field '{column}'" in " ".join(result.stderr.split())
    assert not target.exists() or _history(run, target) == []


# --- export xlsx -------------------------------------------------------------------------


def test_xlsx_is_a_real_spreadsheet_read_back_by_openpyxl(
    run: Run, logged: list[dict[str, object]], tmp_path: Path
) -> None:
    import datetime as dt

    import openpyxl

    out = tmp_path / "visit.xlsx"
    result = run("export", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    book = openpyxl.load_workbook(out)  # not read-only: print settings and panes too
    assert book.sheetnames == ["Entries", "Days"]
    entries = book["Entries"]
    header = [c.value for c in entries[1]]
    assert header[:6] == [
        "date",
        "time",
        "timestamp (ISO 8601)",
        "type",
        "pain (0-10)",
        "spasms (count)",
    ]
    assert "dose (mg)" in header and "duration (min)" in header
    assert entries.freeze_panes == "A2"
    # fitToWidth is absent when 1 (the OOXML default); fitToHeight 0 = as many pages as needed
    assert (entries.page_setup.fitToWidth or 1) == 1 and entries.page_setup.fitToHeight == 0
    assert entries.sheet_properties.pageSetUpPr.fitToPage
    rows = [
        dict(zip(header, (c.value for c in row), strict=True))
        for row in entries.iter_rows(min_row=2)
    ]
    assert len(rows) == len(logged) == 4
    first = rows[0]
    assert first["date"] == dt.datetime(2026, 3, 14) and entries["A2"].is_date
    assert entries["B2"].is_date and entries["B2"].number_format == "hh:mm"
    assert first["pain (0-10)"] == 7 and first["spasms (count)"] == 3
    assert first["note"] == "-3 better than yesterday"  # no guard apostrophe
    assert entries.cell(row=2, column=header.index("note") + 1).data_type == "s"
    assert rows[1]["dose (mg)"] == 220 and rows[1]["note"] == '=HYPERLINK("x")'
    assert entries.cell(row=3, column=header.index("note") + 1).data_type == "s"
    assert rows[3]["note"] == "38.2 °C"
    width = entries.column_dimensions["P"].width  # note
    assert width >= len("-3 better than yesterday")
    days = book["Days"]
    day_header = [c.value for c in days[1]]
    assert day_header[:3] == ["date", "pain entries (count)", "pain mean (0-10)"]
    assert "naproxen (mg)" in day_header
    assert [c.value for c in days["A"][1:]] == [dt.datetime(2026, 3, d) for d in (14, 15, 16)]
    assert days.freeze_panes == "A2"


def test_xlsx_imports_back_losslessly_every_field(
    run: Run, logged: list[dict[str, object]], tmp_path: Path
) -> None:
    assert (
        run("treat", "medication", "--drug", "excedrin", "--at", "2026-03-17 08:00").exit_code == 0
    )
    assert (
        run(
            "treat", "heat", "--minutes", "15", "--relief", "3", "--at", "2026-03-17 09:00:30"
        ).exit_code
        == 0
    )
    source = _history(run)
    out = tmp_path / "visit.xlsx"
    assert run("export", "xlsx", "-o", str(out)).exit_code == 0
    target = tmp_path / "target.db"
    result = run("import", str(out), db=target)
    assert result.exit_code == 0, result.stderr
    copied = _history(run, target)
    drop = ("id", "created_at")
    assert [{k: v for k, v in e.items() if k not in drop} for e in copied] == [
        {k: v for k, v in e.items() if k not in drop} for e in source
    ]
    again = run("import", str(out), db=target)
    assert again.exit_code == 0 and "Nothing new" in " ".join(again.stdout.split())


def test_a_damaged_xlsx_is_refused_and_nothing_stored(run: Run, tmp_path: Path) -> None:
    import openpyxl

    assert run("log", "6", "--at", "2026-03-14 07:45").exit_code == 0
    assert run("log", "5", "--at", "2026-03-14 09:00").exit_code == 0
    out = tmp_path / "visit.xlsx"
    assert run("export", "xlsx", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out)
    book["Entries"]["E3"] = 11  # pain out of range
    book.save(out)
    target = tmp_path / "t.db"
    result = run("import", str(out), db=target)
    assert result.exit_code == 2
    assert "row 3, field 'pain'" in result.stderr
    assert not target.exists() or _history(run, target) == []
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("import", str(broken), db=target)
    assert result.exit_code == 2 and "not a backcare export" in result.stderr


def test_xlsx_needs_an_output_file(run: Run) -> None:
    assert run("log", "6", "--at", "2026-03-14 07:45").exit_code == 0
    result = run("export", "xlsx", "-o", "-")
    assert result.exit_code == 2 and "-o FILE.xlsx" in result.stderr
