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
    ("log", "7", "--spasms", "3", "--where", "lower", "--note", "-3 better than yesterday",
     "--at", "2026-03-14 07:45"),
    ("treat", "naproxen", "--dose", "220", "--note", "=HYPERLINK(\"x\")",
     "--at", "2026-03-14 19:05"),
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
    keys = ("uid", "type", "at", "pain", "spasms", "location", "note", "kind", "drug",
            "dose_mg", "minutes", "code", "present")
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
