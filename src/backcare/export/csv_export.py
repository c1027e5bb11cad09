"""CSV for spreadsheets: one row per event (`iter_csv`) or one row per local day (`iter_daily_csv`).

Both are generators of text chunks: UTF-8 BOM first (so spreadsheet programs detect UTF-8),
then the header, then rows; RFC 4180 quoting (`csv` module, excel dialect) with CRLF line ends.
The caller encodes each chunk as UTF-8 and writes it; nothing here touches a file.

Formula injection (OWASP "CSV Injection"): a text cell whose first character is one of
`= + - @ TAB CR` is prefixed with an apostrophe, which spreadsheets treat as "this is text"
and do not display. To keep the scheme reversible, a text cell that already starts with an
apostrophe gets one more: on import exactly one leading apostrophe is removed from every text
cell that has one (`unneutralise`). Number cells are never prefixed: they stay numbers.

Event CSV columns (`COLUMNS`): the issue's column list, plus `relaxant` ("yes" for a
known muscle relaxant or one the user marked so, else empty) and `product` last (the
product a combination was typed as, e.g. Excedrin, one row per ingredient): without them a
CSV round trip would lose that information. `time` is the local HH:MM; `timestamp` is the
local ISO 8601 time with its UTC offset (seconds always, microseconds when there are any)
and is what an import reads. Empty cell = no value. `present` is yes|no. `dose_mg` is
written as an integer when it is one (400, not 400.0).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from backcare.bulk import gc_paused
from backcare.domain import entries
from backcare.domain.model import Event, Measure, PainEntry, Treatment, recorded_sum
from backcare.domain.numbers import round_half_up
from backcare.export import derive
from backcare.export.derive import format_number

BOM = "\ufeff"
CRLF = "\r\n"

# The event CSV's column order is a file format (imports of older files read it): the
# events' layout before measures (issue 16), the measures' columns, then any column a new
# declared field brings (derive.csv_columns).
EVENT_COLUMNS: tuple[str, ...] = (
    *derive.CSV_LEAD,
    "pain",
    "spasms",
    "location",
    "radiates",
    "treatment",
    "drug",
    "dose_mg",
    "minutes",
    "relief",
    "symptom",
    "present",
    "note",
    "uid",
    "relaxant",
    "product",
)
# A questionnaire row (type "measure", issue 16): the instrument id, its score (derived,
# for reading; an import recomputes it), the answers in one cell ("7 6 0": space-separated,
# so no spreadsheet reads them as one number) and, for PSFS, the activities rated (a JSON
# list). Empty in every other row.
MEASURE_COLUMNS: tuple[str, ...] = ("instrument", "score", "answers", "goals")
COLUMNS: tuple[str, ...] = derive.csv_columns(EVENT_COLUMNS + MEASURE_COLUMNS)

# Cells that hold free or vocabulary text: neutralised on export, un-neutralised on import.
TEXT_COLUMNS: frozenset[str] = derive.csv_text_columns()

DAILY_COLUMNS: tuple[str, ...] = (
    "date",
    "pain_entries",
    "pain_mean",
    "pain_max",
    "spasms",
    "treatments",
    "symptoms",
    "symptoms_gone",
)  # ... then two columns per drug taken in the period: "<drug> doses", "<drug> mg"

# First characters a spreadsheet may read as the start of a formula, plus the escape itself.
_RISKY_FIRST: frozenset[str] = frozenset("=+-@\t\r'")
ESCAPE = "'"

DEFAULT_CHUNK_ROWS = 1000


def neutralise(text: str | None) -> str | None:
    """`text` safe for a spreadsheet cell: "'" prepended when it starts with = + - @ TAB CR or '."""
    if text and text[0] in _RISKY_FIRST:
        return ESCAPE + text
    return text


def unneutralise(cell: str) -> str:
    """The inverse of `neutralise` for a cell read back: drop one leading apostrophe."""
    return cell[1:] if cell[:1] == ESCAPE else cell


def iter_csv(
    events: Iterable[Event | Measure], tz: tzinfo, *, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> Iterator[str]:
    """The event CSV as text chunks: BOM + header first, then `chunk_rows` rows per chunk.

    `events` is consumed lazily (a generator of 100k events is never held in memory); pass
    them in time order and without soft-deleted rows. Times are shown in `tz`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CRLF)
    writerow = writer.writerow

    writerow(COLUMNS)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    # One compiled row function per event class, built once per export (derive.csv_writer).
    writers = {
        kind.model: derive.csv_writer(kind, COLUMNS, neutralise) for kind in entries.CSV_KINDS
    }
    pending = 0
    for event in events:
        stamp = event.at.astimezone(tz).isoformat()
        row = writers.get(type(event))
        if row is None:
            row = writers[entries.kind_of(event).model]
        writerow(row(event, stamp[:10], stamp[11:16], stamp))
        pending += 1
        if pending >= chunk_rows:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue()


_SECONDS = frozenset(f":{s:02d}" for s in range(60))
_ONE_DAY = timedelta(days=1)
_NOON = timedelta(hours=12)
_MINUTE = timedelta(minutes=1)
_UtcDay = tuple[dict[str, tuple[str, int]], tuple[str, str, str], str]  # clock, dates, suffix


def _clock(minutes: int) -> dict[str, tuple[str, int]]:
    """UTC "HH:MM" -> (the local "HH:MM" at an offset of `minutes`, days it moves: -1, 0, 1)."""
    table = {}
    for utc in range(1440):
        shift, local = divmod(utc + minutes, 1440)
        table[f"{utc // 60:02d}:{utc % 60:02d}"] = (f"{local // 60:02d}:{local % 60:02d}", shift)
    return table


def local_stamps(tz: tzinfo) -> Callable[[str], str]:
    """stored UTC text ("YYYY-MM-DDTHH:MM:SS.ffffffZ") -> the local ISO time in `tz`, exactly
    as `datetime.fromisoformat(text).astimezone(tz).isoformat()` gives it.

    Most days are one offset from start to end: for those (found once per UTC day: the same
    offset at its midnight, its noon and the next midnight, a whole number of minutes) the
    local text is put together from the stored text, the local clock of its minute and the
    day's offset, with no datetime and no zone lookup per row (issue 18: `export csv`). A
    day of a transition, and any text not in the stored form, goes through the zone (which
    raises what it raised).
    """
    parse = datetime.fromisoformat
    days: dict[str, _UtcDay | None] = {}
    midnight: list[tuple[str, timedelta | None]] = [("", None)]  # the last next-midnight
    clocks: dict[timedelta, tuple[dict[str, tuple[str, int]], str]] = {}

    def day_of(key: str) -> _UtcDay | None:
        try:
            start = parse(key + "T00:00:00+00:00")
            day = start.date()
            dates = (day.isoformat(), (day + _ONE_DAY).isoformat(), (day - _ONE_DAY).isoformat())
            if dates[0] != key:
                return None
            known, offset = midnight[0]
            if known != key:  # rows come in time order: usually the midnight just probed
                offset = start.astimezone(tz).utcoffset()
            after = (start + _ONE_DAY).astimezone(tz).utcoffset()
            midnight[0] = (dates[1], after)
            if offset is None or offset % _MINUTE or after != offset:
                return None
            if (start + _NOON).astimezone(tz).utcoffset() != offset:
                return None
        except (ValueError, OverflowError):
            return None
        if offset not in clocks:  # "+01:00": a midnight's isoformat has no microseconds
            clocks[offset] = (_clock(offset // _MINUTE), start.astimezone(tz).isoformat()[19:])
        clock, suffix = clocks[offset]
        return clock, dates, suffix

    def stamp(text: str) -> str:
        key = text[:10]
        try:
            day = days[key]
        except KeyError:
            day = days[key] = day_of(key)
        if day is not None and len(text) == 27 and text[10] == "T" and text[19:20] == ".":
            clock = day[0].get(text[11:16])
            micro = text[20:26]
            if (
                clock is not None
                and text[16:19] in _SECONDS
                and text[26] == "Z"
                and micro.isascii()
                and micro.isdigit()
            ):
                shown = text[16:19] if micro == "000000" else text[16:26]
                return day[1][clock[1]] + "T" + clock[0] + shown + day[2]  # [-1]: the day before
        return parse(text).astimezone(tz).isoformat()

    return stamp


def iter_csv_rows(
    rows: Iterable[entries.RawRow], tz: tzinfo, *, chunk_rows: int = DEFAULT_CHUNK_ROWS
) -> Iterator[str]:
    """The event CSV, as `iter_csv` writes it, from raw rows (entries.RAW_LEAD: the stored
    UTC text of `at`, the kind's index in EVENT_KINDS, id, uid, then the kind's columns).

    The fast path of `export csv` (issue 18): each row goes through its kind's compiled
    row function (derive.csv_raw_writer) straight into the csv writer, a chunk at a time.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CRLF)
    writer.writerow(COLUMNS)
    yield BOM + buffer.getvalue()
    writers = [derive.csv_raw_writer(kind, COLUMNS, neutralise) for kind in entries.EVENT_KINDS]
    records = len(writers)  # a row with this index carries a domain record (store/rows.py)
    by_model = {k.model: derive.csv_writer(k, COLUMNS, neutralise) for k in entries.CSV_KINDS}
    local = local_stamps(tz)  # the stored "...Z" form, in the user's zone
    pending: list[tuple[object, ...]] = []
    append = pending.append
    with gc_paused():  # a bulk loop (backcare/bulk.py)
        for row in rows:
            stamp = local(row[0])
            if row[1] == records:
                record = row[4]
                write = by_model[entries.kind_of(record).model]
                append(write(record, stamp[:10], stamp[11:16], stamp))
            else:
                append(writers[row[1]](row, stamp[:10], stamp[11:16], stamp))
            if len(pending) >= chunk_rows:
                buffer.seek(0)
                buffer.truncate()
                writer.writerows(pending)
                pending.clear()
                yield buffer.getvalue()
        if pending:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows(pending)
            yield buffer.getvalue()


# --- Daily rows -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DailyRow:
    """What happened on one local day.

    `doses` maps a drug (the stored generic name; "medication" when none was given) to the
    number of doses and the sum of the doses whose amount is known (None when none is).
    `treatments` counts the non-drug care by kind. `symptoms` / `symptoms_gone` are the codes
    reported present / gone that day, sorted.
    """

    day: date
    pain_entries: int = 0
    pain_mean: float | None = None
    pain_max: int | None = None
    spasms: int | None = None  # None: no spasm count recorded that day (an empty cell)
    treatments: Mapping[str, int] = field(default_factory=dict)
    doses: Mapping[str, tuple[int, float | None]] = field(default_factory=dict)
    symptoms: tuple[str, ...] = ()
    symptoms_gone: tuple[str, ...] = ()


class _Day:
    __slots__ = ("doses", "gone", "pains", "present", "spasms", "treatments")

    def __init__(self) -> None:
        self.pains: list[int] = []
        self.spasms: list[int | None] = []
        self.treatments: dict[str, int] = defaultdict(int)
        self.doses: dict[str, list[float | None]] = defaultdict(list)
        self.present: set[str] = set()
        self.gone: set[str] = set()


def daily_rows(events: Iterable[Event], tz: tzinfo) -> list[DailyRow]:
    """One `DailyRow` per local day (in `tz`) that has at least one event, oldest first.

    Pure; `events` may come in any order. Pass live (not soft-deleted) events only.
    """
    days: dict[date, _Day] = {}
    for event in events:
        day = event.at.astimezone(tz).date()
        acc = days.get(day)
        if acc is None:
            acc = days[day] = _Day()
        if isinstance(event, PainEntry):
            acc.pains.append(event.pain)
            acc.spasms.append(event.spasms)
        elif isinstance(event, Treatment):
            if event.kind == "medication":
                acc.doses[event.drug or "medication"].append(event.dose_mg)
            else:
                acc.treatments[event.kind] += 1
        else:
            (acc.present if event.present else acc.gone).add(event.code)
    rows = []
    for day in sorted(days):
        acc = days[day]
        doses: dict[str, tuple[int, float | None]] = {}
        for drug, amounts in acc.doses.items():
            known = [a for a in amounts if a is not None]
            doses[drug] = (len(amounts), sum(known) if known else None)
        rows.append(
            DailyRow(
                day=day,
                pain_entries=len(acc.pains),
                pain_mean=round_half_up(sum(acc.pains) / len(acc.pains), 1) if acc.pains else None,
                pain_max=max(acc.pains) if acc.pains else None,
                spasms=recorded_sum(acc.spasms),
                treatments=dict(sorted(acc.treatments.items())),
                doses=dict(sorted(doses.items())),
                symptoms=tuple(sorted(acc.present)),
                symptoms_gone=tuple(sorted(acc.gone)),
            )
        )
    return rows


def daily_columns(days: Sequence[DailyRow]) -> tuple[str, ...]:
    """The daily header: `DAILY_COLUMNS`, then "<drug> doses", "<drug> mg" per drug taken."""
    drugs = sorted({drug for row in days for drug in row.doses})
    per_drug = tuple(name for drug in drugs for name in (f"{drug} doses", f"{drug} mg"))
    return DAILY_COLUMNS + per_drug


def iter_daily_csv(days: Sequence[DailyRow]) -> Iterator[str]:
    """The daily CSV as text chunks (BOM + header, then the rows), same conventions as `iter_csv`.

    `days` is a sequence (one row per day is small) because the per-drug columns must be known
    before the header is written. `treatments` reads "heat 1; ice 2"; the symptom columns list
    codes separated by "; ".
    """
    drugs = sorted({drug for row in days for drug in row.doses})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=CRLF)
    writer.writerow([neutralise(name) for name in daily_columns(days)])
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for index, row in enumerate(days, 1):
        cells: list[object] = [
            row.day.isoformat(),
            row.pain_entries,
            format_number(row.pain_mean),
            row.pain_max,
            row.spasms,
            neutralise("; ".join(f"{kind} {n}" for kind, n in row.treatments.items())),
            neutralise("; ".join(row.symptoms)),
            neutralise("; ".join(row.symptoms_gone)),
        ]
        for drug in drugs:
            count, total = row.doses.get(drug, (0, None))
            cells.append(count)
            cells.append(format_number(total))
        writer.writerow(cells)
        if index % DEFAULT_CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
