"""`export xlsx`: a workbook with an "Entries" sheet (one row per entry) and a "Days" sheet.

Written with XlsxWriter (imported here only, so only this command pays for it). Dates and
times are real spreadsheet dates and times, counts and doses real numbers; every text cell
is written with `write_string`, so a spreadsheet shows it as text and never evaluates it:
no formula guard is needed (unlike the CSV). The header row is frozen, carries the units in
the column names, and repeats on every printed page; columns are as wide as their content
(within bounds) and the print is set to fit one page wide, landscape.

The "Entries" sheet holds every column of the event CSV (`csv_export.COLUMNS`, named by
`ENTRY_HEADERS`): `timestamp` is the local ISO 8601 time with its UTC offset, as text, and is
what `import` reads back (`importer.parse_xlsx`); `date` and `time` must agree with it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime, time, tzinfo

from backcare import messages as msg
from backcare.domain import entries
from backcare.domain.model import Event, Measure
from backcare.export import derive
from backcare.export.csv_export import COLUMNS, DailyRow, daily_columns, daily_rows

ENTRIES_SHEET = msg.XLSX_ENTRIES_SHEET
DAYS_SHEET = msg.XLSX_DAYS_SHEET

# CSV column -> the Entries sheet's header (units in the name where there is one).
ENTRY_HEADERS: dict[str, str] = msg.XLSX_ENTRY_HEADERS
assert tuple(ENTRY_HEADERS) == COLUMNS

DAY_HEADERS: dict[str, str] = msg.XLSX_DAY_HEADERS

MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
TIME_FORMAT = "hh:mm"


def _as_is(text: str | None) -> str | None:
    return text  # every text cell is written as a string: no formula guard (module docstring)


# The CSV's row functions, derived from the declarations (export/derive.py), without the
# guard: events and questionnaires (issue 16), as in the CSV.
_ROWS = {kind.model: derive.csv_writer(kind, COLUMNS, _as_is) for kind in entries.CSV_KINDS}


def _entry_cells(event: Event | Measure, tz: tzinfo) -> dict[str, object]:
    local = event.at.astimezone(tz)
    row = _ROWS.get(type(event)) or _ROWS[entries.kind_of(event).model]
    clock = time(local.hour, local.minute)
    cells = dict(zip(COLUMNS, row(event, local.date(), clock, local.isoformat()), strict=True))
    if isinstance(event, Measure):  # the score a real number in a workbook (derived, not read)
        from backcare.domain.measures import score

        value = score(event).value
        cells["score"] = int(value) if value.denominator == 1 else float(value)
    return cells


def _shown(value: object) -> int:
    """How many characters a cell shows (for the column width)."""
    if isinstance(value, datetime | date):
        return 10
    if isinstance(value, time):
        return 5
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


class _Sheet:
    """One worksheet written row by row, tracking the widths its content needs."""

    def __init__(self, book: object, name: str, headers: list[str], formats: dict[str, object]):
        self.sheet = book.add_worksheet(name)  # type: ignore[attr-defined]
        self.formats = formats
        self.widths = [len(h) for h in headers]
        self.row = 0
        for col, header in enumerate(headers):
            self.sheet.write_string(0, col, header, formats["header"])

    def write(self, values: list[object]) -> None:
        self.row += 1
        ws, row = self.sheet, self.row
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                raise TypeError("booleans are written as yes/no text")
            if isinstance(value, int | float):
                ws.write_number(row, col, value)
            elif isinstance(value, date):
                ws.write_datetime(row, col, value, self.formats["date"])
            elif isinstance(value, time):
                ws.write_datetime(row, col, value, self.formats["time"])
            else:
                ws.write_string(row, col, str(value), self.formats["text"])
            self.widths[col] = max(self.widths[col], _shown(value))

    def finish(self) -> None:
        ws = self.sheet
        for col, width in enumerate(self.widths):
            ws.set_column(col, col, min(MAX_WIDTH, max(MIN_WIDTH, width + 2)))
        ws.freeze_panes(1, 0)
        ws.repeat_rows(0)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
        if self.row:
            ws.autofilter(0, 0, self.row, len(self.widths) - 1)


def _day_values(row: DailyRow, drugs: list[str]) -> list[object]:
    values: list[object] = [
        row.day,
        row.pain_entries,
        row.pain_mean,
        row.pain_max,
        row.spasms,
        "; ".join(f"{kind} {n}" for kind, n in row.treatments.items()),
        "; ".join(row.symptoms),
        "; ".join(row.symptoms_gone),
    ]
    for drug in drugs:
        count, total = row.doses.get(drug, (0, None))
        values += [count, total]
    return values


def xlsx_bytes(events: Iterable[Event | Measure], tz: tzinfo) -> bytes:
    """The workbook of `events` (live ones, in time order; local times in `tz`) as bytes.
    Questionnaires (`Measure`) are rows of the Entries sheet; the Days sheet counts entries."""
    import xlsxwriter  # heavy-ish: only `export xlsx` imports it

    buffer = io.BytesIO()
    # constant_memory: rows are flushed to a temporary file as they are written (inline
    # strings), so memory stays flat however long the log is; the rows come in order.
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False})
    book.set_properties({"title": msg.XLSX_TITLE, "comments": msg.XLSX_COMMENTS})
    formats: dict[str, object] = {
        "header": book.add_format({"bold": True, "bottom": 1, "text_wrap": False}),
        "date": book.add_format({"num_format": DATE_FORMAT, "align": "left"}),
        "time": book.add_format({"num_format": TIME_FORMAT, "align": "left"}),
        "text": book.add_format({"num_format": "@"}),
    }
    entries = _Sheet(book, ENTRIES_SHEET, list(ENTRY_HEADERS.values()), formats)
    kept: list[Event] = []
    for event in events:
        cells = _entry_cells(event, tz)
        entries.write([cells.get(column) for column in COLUMNS])
        if not isinstance(event, Measure):
            kept.append(event)
    entries.finish()
    days = daily_rows(kept, tz)
    columns = daily_columns(days)
    drugs = sorted({drug for row in days for drug in row.doses})
    headers = [DAY_HEADERS.get(c, c) for c in columns[: len(DAY_HEADERS)]]
    headers += [
        h
        for drug in drugs
        for h in (msg.XLSX_DRUG_DOSES.format(drug=drug), msg.XLSX_DRUG_MG.format(drug=drug))
    ]
    sheet = _Sheet(book, DAYS_SHEET, headers, formats)
    for row in days:
        sheet.write(_day_values(row, drugs))
    sheet.finish()
    book.close()
    return buffer.getvalue()
