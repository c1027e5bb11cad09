from __future__ import annotations

import csv
import io
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from backcare.domain.model import Event, PainEntry, SymptomReport, Treatment
from backcare.export.csv_export import (
    BOM,
    COLUMNS,
    DAILY_COLUMNS,
    daily_rows,
    iter_csv,
    iter_daily_csv,
    neutralise,
    unneutralise,
)

from .conftest import BERLIN, STORABLE_NOTES, TRICKY_NOTES, uid


def export(events: list[Event], tz=BERLIN) -> str:
    return "".join(iter_csv(events, tz))


def read_back(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert all(len(row) == len(COLUMNS) for row in rows)
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]


def test_bom_header_and_crlf(events: list[Event]) -> None:
    text = export(events)
    assert text.startswith(BOM + ",".join(COLUMNS) + "\r\n")
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    assert text.endswith("\r\n")
    # Outside quoted cells every line ends with CRLF: no bare LF between records.
    outside = text.split('"')[::2]
    assert all("\n" not in part.replace("\r\n", "") for part in outside)
    assert COLUMNS[-6:] == ("relaxant", "product", "instrument", "score", "answers", "goals")


def test_rows_cell_by_cell(events: list[Event]) -> None:
    rows = read_back(export(events))
    assert len(rows) == len(events)

    pain = rows[0]
    assert pain == {
        "date": "2026-03-28",
        "time": "08:15",
        "timestamp": "2026-03-28T08:15:00+01:00",
        "type": "pain",
        "pain": "7",
        "spasms": "3",
        "location": "lower",
        "radiates": "thigh",
        "treatment": "",
        "drug": "",
        "dose_mg": "",
        "minutes": "",
        "relief": "",
        "symptom": "",
        "present": "",
        "note": "",
        "uid": uid(1),
        "relaxant": "",
        "product": "",
        "instrument": "",
        "score": "",
        "answers": "",
        "goals": "",
    }
    ibuprofen = rows[1]
    assert (ibuprofen["type"], ibuprofen["treatment"], ibuprofen["drug"]) == (
        "treatment",
        "medication",
        "ibuprofen",
    )
    assert ibuprofen["dose_mg"] == "400"  # a number stays a number, without ".0"
    assert ibuprofen["relief"] == "4"
    assert ibuprofen["note"] == "with food"
    assert ibuprofen["relaxant"] == ""
    relaxant = rows[2]
    assert relaxant["dose_mg"] == "7.5"
    assert relaxant["relaxant"] == "yes"
    ice = rows[3]
    assert (ice["treatment"], ice["minutes"], ice["relief"], ice["drug"]) == ("ice", "20", "6", "")
    fever = rows[4]
    assert (fever["type"], fever["symptom"], fever["present"]) == ("symptom", "fever", "yes")
    assert rows[5]["present"] == "no"
    assert rows[5]["pain"] == ""
    # After the DST change: local summer time, microseconds kept in the timestamp.
    late = rows[6]
    assert (late["date"], late["time"]) == ("2026-03-29", "03:30")
    assert late["timestamp"] == "2026-03-29T03:30:12.345678+02:00"
    assert late["pain"] == "0"
    # Left out is not recorded: empty cells, never 0 or "none" (issue 15).
    assert late["spasms"] == ""
    assert late["location"] == ""
    assert late["radiates"] == ""


def test_numbers_are_not_quoted_or_neutralised() -> None:
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    events: list[Event] = [
        Treatment(at=at, kind="medication", drug="naproxen", dose_mg=250, uid=uid(1)),
        Treatment(at=at, kind="medication", drug="aspirin", dose_mg=0.5, uid=uid(2)),
        Treatment(at=at, kind="heat", minutes=15, relief=0, uid=uid(3)),
    ]
    text = export(events)
    rows = read_back(text)
    assert [r["dose_mg"] for r in rows] == ["250", "0.5", ""]
    assert rows[2]["relief"] == "0"
    assert ",250," in text and ",0.5," in text and ",15,0," in text


@pytest.mark.parametrize("note", TRICKY_NOTES)
def test_note_cells(note: str) -> None:
    event = PainEntry(at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), pain=3, note=note, uid=uid(9))
    (row,) = read_back(export([event]))
    if note[0] in "=+-@\t\r'":
        assert row["note"] == "'" + note
    else:
        assert row["note"] == note
    assert unneutralise(row["note"]) == note


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_injection_prefix_is_neutralised(prefix: str) -> None:
    note = prefix + "cmd|' /C calc'!A0"
    event = Treatment(
        at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        kind="medication",
        drug=prefix + "drug",  # every text cell, not only notes
        note=note,
        uid=uid(9),
    )
    (row,) = read_back(export([event]))
    assert row["note"] == "'" + note
    assert row["drug"] == "'" + prefix + "drug"
    assert not any(cell[:1] in {"=", "+", "-", "@", "\t", "\r"} for cell in row.values())


def test_neutralise_scheme_is_unambiguous() -> None:
    for text in ("plain", "=1+1", "'quoted", "''", "'=1", "-", "", "ü'"):
        assert unneutralise(neutralise(text) or "") == text
    assert neutralise(None) is None
    assert neutralise("'x") == "''x"
    assert neutralise("x'") == "x'"


def test_empty_input_gives_header_only() -> None:
    assert list(iter_csv([], BERLIN)) == [BOM + ",".join(COLUMNS) + "\r\n"]


def test_not_an_event_is_rejected() -> None:
    with pytest.raises(TypeError):
        export([SimpleNamespace(at=datetime(2026, 1, 1, tzinfo=UTC))])  # type: ignore[list-item]


def _synthetic(n: int, consumed: list[int]) -> Iterator[Event]:
    start = datetime(2016, 1, 1, tzinfo=UTC)
    for i in range(n):
        consumed[0] = i + 1
        at = start + timedelta(minutes=37 * i)
        if i % 3 == 0:
            yield PainEntry(at=at, pain=i % 11, spasms=i % 4, location="lower", uid=uid(i))
        elif i % 3 == 1:
            yield Treatment(
                at=at, kind="medication", drug="ibuprofen", dose_mg=400.0, relief=5, uid=uid(i)
            )
        else:
            yield SymptomReport(at=at, code="fever", present=bool(i % 2), note="ok", uid=uid(i))


@pytest.mark.slow
def test_streams_without_materialising() -> None:
    n = 100_000
    consumed = [0]
    chunks = iter_csv(_synthetic(n, consumed), BERLIN, chunk_rows=500)
    header = next(chunks)
    assert header.startswith(BOM) and consumed[0] == 0  # header before any event is read
    first_rows = next(chunks)
    assert first_rows.count("\r\n") == 500
    assert consumed[0] <= 501  # only one chunk's worth of events has been pulled
    second = next(chunks)
    assert consumed[0] <= 1001 and second.count("\r\n") == 500

    tracemalloc.start()
    rows = 0
    for chunk in iter_csv(_synthetic(n, consumed), BERLIN):
        rows += chunk.count("\r\n")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert rows == n + 1
    assert peak < 5_000_000  # a few chunks, never all rows (the full CSV is ~9 MB)

    started = time.perf_counter()
    for _chunk in iter_csv(_synthetic(n, consumed), BERLIN):
        pass
    with_generation = time.perf_counter() - started
    materialised = list(_synthetic(n, consumed))
    started = time.perf_counter()
    for _chunk in iter_csv(materialised, BERLIN):
        pass
    writer_only = time.perf_counter() - started
    print(
        f"\niter_csv: {n / writer_only:,.0f} rows/s writer only; "
        f"{n / with_generation:,.0f} rows/s including building the events"
    )


# --- Daily -----------------------------------------------------------------------------


def test_daily_rows(events: list[Event]) -> None:
    days = daily_rows(events[:8], BERLIN)
    assert [d.day for d in days] == [date(2026, 3, 28), date(2026, 3, 29)]
    first, second = days
    assert (first.pain_entries, first.pain_mean, first.pain_max, first.spasms) == (1, 7.0, 7, 3)
    assert first.doses == {"ibuprofen": (1, 400.0), "methocarbamol": (1, 7.5)}
    assert first.treatments == {"ice": 1}
    assert first.symptoms == ("fever",)
    assert second.symptoms_gone == ("fever",)
    assert second.treatments == {"walking": 1}
    assert second.doses == {}


def test_daily_mean_and_unknown_doses() -> None:
    day = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    events: list[Event] = [
        PainEntry(at=day, pain=4, spasms=1),
        PainEntry(at=day + timedelta(hours=2), pain=5, spasms=2),
        PainEntry(at=day + timedelta(hours=4), pain=5),
        Treatment(at=day, kind="medication", drug="ibuprofen", dose_mg=200),
        Treatment(at=day + timedelta(hours=1), kind="medication", drug="ibuprofen"),
        Treatment(at=day + timedelta(hours=1), kind="medication", drug="diazepam"),
        Treatment(at=day, kind="heat"),
        Treatment(at=day, kind="ice"),
        Treatment(at=day, kind="heat"),
    ]
    (row,) = daily_rows(events, BERLIN)
    assert row.pain_mean == 4.7 and row.pain_max == 5 and row.spasms == 3
    assert row.doses == {"diazepam": (1, None), "ibuprofen": (2, 200)}
    assert row.treatments == {"heat": 2, "ice": 1}


def test_daily_csv_cells(events: list[Event]) -> None:
    text = "".join(iter_daily_csv(daily_rows(events, BERLIN)))
    assert text.startswith(BOM) and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    header = rows[0]
    assert tuple(header[: len(DAILY_COLUMNS)]) == DAILY_COLUMNS
    assert header[len(DAILY_COLUMNS) :] == [
        "ibuprofen doses",
        "ibuprofen mg",
        "methocarbamol doses",
        "methocarbamol mg",
    ]
    by_date = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert list(by_date) == ["2026-03-28", "2026-03-29", "2026-03-30"]
    first = by_date["2026-03-28"]
    assert first["pain_entries"] == "1"
    assert first["pain_mean"] == "7"
    assert first["pain_max"] == "7"
    assert first["spasms"] == "3"
    assert first["treatments"] == "ice 1"
    assert first["symptoms"] == "fever"
    assert first["ibuprofen doses"] == "1"
    assert first["ibuprofen mg"] == "400"
    assert first["methocarbamol mg"] == "7.5"
    second = by_date["2026-03-29"]
    assert second["symptoms_gone"] == "fever"
    assert second["ibuprofen doses"] == "0" and second["ibuprofen mg"] == ""
    assert second["pain_mean"] == "0"
    # the storable tricky-note entries at 06:00 UTC + i h, all on 2026-03-30 local
    third = by_date["2026-03-30"]
    assert third["pain_entries"] == str(len(STORABLE_NOTES))


def test_daily_csv_neutralises_drug_names_in_header() -> None:
    at = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    text = "".join(
        iter_daily_csv(daily_rows([Treatment(at=at, kind="medication", drug="-x")], BERLIN))
    )
    header = next(csv.reader(io.StringIO(text[1:], newline="")))
    assert header[-2:] == ["'-x doses", "'-x mg"]
