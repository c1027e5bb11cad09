from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Event, PainEntry, Profile, StoredEvent, SymptomReport, Treatment
from backcare.export.csv_export import (
    BOM,
    COLUMNS,
    EVENT_COLUMNS,
    daily_rows,
    iter_csv,
    iter_daily_csv,
)
from backcare.export.importer import ImportFormatError, parse_export
from backcare.export.json_export import export_json

from .conftest import BERLIN, NOW, SAMPLE_PROFILE, STORABLE_NOTES, uid

EXPORTED_AT = datetime(2026, 4, 1, 18, 0, tzinfo=UTC)
HEADER = ",".join(EVENT_COLUMNS)  # the header of exports before measures (still read)


def csv_text(events: list[Event]) -> str:
    return "".join(iter_csv(events, BERLIN))


def json_doc(records: list[StoredEvent]) -> dict[str, Any]:
    return json.loads(export_json(records, SAMPLE_PROFILE, EXPORTED_AT))


def refused(text: str) -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        parse_export(text, BERLIN, now=NOW)
    return caught.value


# --- CSV -------------------------------------------------------------------------------


def test_a_note_with_a_carriage_return_is_refused_on_import() -> None:
    """domain/values: the CLI never stored a CR, and import refuses one (one definition)."""
    event = PainEntry(at=datetime(2026, 3, 1, 8, tzinfo=UTC), pain=3, note="\rCR", uid=uid(1))
    with pytest.raises(ImportFormatError, match="field 'note': contains control characters"):
        parse_export(csv_text([event]), BERLIN, now=NOW)


def test_csv_round_trip_is_identical(events: list[Event]) -> None:
    first = csv_text(events)
    parsed = parse_export(first, BERLIN, now=NOW)
    assert parsed.source == "csv" and parsed.profile is None
    assert csv_text([r.event for r in parsed.records]) == first


def test_csv_import_values(events: list[Event]) -> None:
    parsed = parse_export(csv_text(events), BERLIN, now=NOW)
    got = [r.event for r in parsed.records]
    assert got == events  # dataclass equality: every field
    for record in parsed.records:
        assert record.created_at == NOW and record.deleted_at is None
        assert record.event.at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    notes = [e.note for e in got if isinstance(e, PainEntry) and e.note]
    assert set(STORABLE_NOTES) <= set(notes)
    relaxant = got[2]
    assert isinstance(relaxant, Treatment) and relaxant.relaxant and relaxant.dose_mg == 7.5


def test_csv_is_read_in_any_zone(events: list[Event]) -> None:
    text = "".join(iter_csv(events, ZoneInfo("America/New_York")))
    parsed = parse_export(text, BERLIN, now=NOW)
    assert [r.event for r in parsed.records] == events


def test_csv_without_bom_or_relaxant_column(events: list[Event]) -> None:
    text = csv_text(events)[len(BOM) :]
    assert [r.event for r in parse_export(text, BERLIN, now=NOW).records] == events
    lines = text.split("\r\n")
    assert lines[0].endswith(",relaxant,product,instrument,score,answers,goals")
    row = "2026-01-05,10:00,2026-01-05T10:00:00+01:00,pain,4,0,,none,,,,,,,,," + uid(1)
    # the headers of older exports: without `relaxant` and `product`, and without `product`
    for columns, cells in ((EVENT_COLUMNS[:-2], row), (EVENT_COLUMNS[:-1], row + ",")):
        older = ",".join(columns) + "\r\n" + cells + "\r\n"
        (record,) = parse_export(older, BERLIN, now=NOW).records
        assert record.event == PainEntry(
            at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), pain=4, spasms=0, radiates="none", uid=uid(1)
        )


def test_csv_uids_are_canonicalised() -> None:
    row = "2026-01-05,10:00,2026-01-05T10:00:00+01:00,pain,4,0,,none,,,,,,,,," + uid(1).upper()
    (record,) = parse_export(HEADER + "\r\n" + row + ",,\r\n", BERLIN, now=NOW).records
    assert record.event.uid == uid(1)


def _with_row(events: list[Event], index: int, column: str, value: str) -> str:
    """The CSV of `events` with one cell replaced (no multi-line cells in `events`)."""
    lines = csv_text(events).split("\r\n")
    cells = lines[index + 1].split(",")
    cells[COLUMNS.index(column)] = value
    lines[index + 1] = ",".join(cells)
    return "\r\n".join(lines)


SIMPLE: list[Event] = [
    PainEntry(at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC), pain=3, uid=uid(1)),
    Treatment(
        at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC),
        kind="medication",
        drug="ibuprofen",
        dose_mg=200,
        uid=uid(2),
    ),
    Treatment(at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC), kind="ice", minutes=15, uid=uid(3)),
    SymptomReport(at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC), code="fever", uid=uid(4)),
]


@pytest.mark.parametrize(
    ("index", "column", "value"),
    [
        (0, "pain", "11"),
        (0, "pain", "7.5"),
        (0, "pain", "seven"),
        (0, "spasms", "-3"),
        (0, "location", "hip"),
        (0, "radiates", "foot"),
        (0, "uid", "not-a-uuid"),
        (0, "timestamp", "2026-01-05T09:00:00"),
        (0, "timestamp", "yesterday"),
        (0, "type", "walk"),
        (0, "drug", "ibuprofen"),
        (0, "date", "2026-01-06"),
        (0, "time", "09:01"),
        (1, "dose_mg", "0"),
        (1, "dose_mg", "-200"),
        (1, "dose_mg", "nan"),
        (1, "drug", ""),
        (1, "relaxant", "maybe"),
        (2, "treatment", "yoga"),
        (2, "minutes", "0"),
        (2, "relief", "12"),
        (2, "dose_mg", "100"),
        (3, "symptom", "headache"),
        (3, "present", "true"),
        (3, "present", ""),
    ],
)
def test_csv_bad_cell_names_line_and_column_not_value(index: int, column: str, value: str) -> None:
    error = refused(_with_row(SIMPLE, index, column, value))
    message = str(error)
    assert message.startswith(f"line {index + 2}, field '{column}'"), message
    assert (error.where, error.field) == (f"line {index + 2}", column)
    if len(value) > 1:  # "0" would match "from 0 to 10"
        assert value not in message


def test_csv_line_number_is_physical_after_multiline_notes() -> None:
    events: list[Event] = [
        PainEntry(at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC), pain=3, note="a\nb\nc", uid=uid(1)),
        PainEntry(at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), pain=4, uid=uid(2)),
    ]
    text = csv_text(events).replace(",4,,", ",44,,")  # spasms left out: an empty cell
    error = refused(text)
    assert str(error).startswith("line 5, field 'pain'")  # header 1, note lines 2-4


def test_csv_note_with_control_characters_is_refused_without_echo() -> None:
    event = PainEntry(
        at=datetime(2026, 1, 5, 8, 0, tzinfo=UTC), pain=3, note="SECRET\x00x", uid=uid(1)
    )
    message = str(refused(csv_text([event])))
    assert "line 2" in message and "'note'" in message and "SECRET" not in message


def test_csv_duplicate_uid_is_refused() -> None:
    text = _with_row(SIMPLE, 1, "uid", uid(1))
    message = str(refused(text))
    assert message.startswith("line 3, field 'uid'") and "line 2" in message


def test_csv_wrong_cell_count_is_refused() -> None:
    lines = csv_text(SIMPLE).split("\r\n")
    lines[2] += ",extra"
    assert str(refused("\r\n".join(lines))).startswith("line 3:")


def test_csv_is_all_or_nothing() -> None:
    good = csv_text(SIMPLE)
    assert len(parse_export(good, BERLIN, now=NOW).records) == 4
    bad = good + "2026-01-06,10:00,2026-01-06T10:00:00+01:00,pain,99,0,,none,,,,,,,,,x,\r\n"
    with pytest.raises(ImportFormatError):
        parse_export(bad, BERLIN, now=NOW)


def test_blank_lines_are_skipped() -> None:
    text = csv_text(SIMPLE) + "\r\n\r\n"
    assert len(parse_export(text, BERLIN, now=NOW).records) == 4


def test_daily_csv_is_refused_with_a_reason() -> None:
    text = "".join(iter_daily_csv(daily_rows(SIMPLE, BERLIN)))
    message = str(refused(text))
    assert "daily" in message and "cannot be imported" in message


# --- JSON ------------------------------------------------------------------------------


def test_json_values(records: list[StoredEvent]) -> None:
    parsed = parse_export(export_json(records, SAMPLE_PROFILE, EXPORTED_AT), BERLIN, now=NOW)
    assert [r.event for r in parsed.records] == [r.event for r in records]
    assert [r.created_at for r in parsed.records] == [r.created_at for r in records]
    assert parsed.profile == SAMPLE_PROFILE


def test_json_with_bom_and_optional_fields_missing() -> None:
    doc = {
        "format": "backcare-export",
        "version": 1,
        "events": [
            {"type": "pain", "uid": uid(1), "at": "2026-01-05T10:00:00+01:00", "pain": 2},
            {
                "type": "treatment",
                "uid": uid(2),
                "at": "2026-01-05T10:00:00Z",
                "kind": "medication",
                "drug": "naproxen",
                "dose_mg": 220.0,
            },
        ],
    }
    parsed = parse_export(BOM + json.dumps(doc), BERLIN, now=NOW)
    pain, naproxen = parsed.records
    assert pain.event == PainEntry(at=datetime(2026, 1, 5, 9, 0, tzinfo=UTC), pain=2, uid=uid(1))
    assert pain.created_at == NOW and pain.deleted_at is None
    assert isinstance(naproxen.event, Treatment) and naproxen.event.dose_mg == 220
    assert parsed.profile is None and parsed.exported_at is None


BAD_ITEMS: list[tuple[int, str, Any]] = [
    (0, "pain", 11),
    (0, "pain", 7.5),
    (0, "pain", True),
    (0, "pain", "7"),
    (0, "pain", None),
    (0, "spasms", -1),
    (0, "location", "hip"),
    (0, "radiates", "down"),
    (0, "note", 12345),
    (0, "note", "x" * 10_001),
    (0, "uid", "1234"),
    (0, "uid", 1234),
    (0, "at", "2026-03-28T07:15:00"),
    (0, "at", "last tuesday"),
    (0, "created_at", "2026-13-01T00:00:00+00:00"),
    (0, "deleted_at", 20260101),
    (0, "drug", "ibuprofen"),
    (1, "dose_mg", 0),
    (1, "dose_mg", -400),
    (1, "dose_mg", "400"),
    (1, "dose_mg", 1e9),
    (1, "drug", None),
    (1, "drug", "   "),
    (1, "relaxant", "yes"),
    (1, "relief", 11),
    (3, "kind", "yoga"),
    (3, "minutes", 0),
    (3, "minutes", 30.0),
    (3, "relaxant", True),
    (4, "code", "headache"),
    (4, "present", "yes"),
    (4, "type", "symptoms"),
]


@pytest.mark.parametrize(("index", "field", "value"), BAD_ITEMS)
def test_json_bad_item_names_item_and_field_not_value(
    records: list[StoredEvent], index: int, field: str, value: Any
) -> None:
    doc = json_doc(records)
    doc["events"][index][field] = value
    error = refused(json.dumps(doc))
    message = str(error)
    assert message.startswith(f"item {index + 1} (events[{index}]), field '{field}'"), message
    assert error.field == field
    if value not in (None, True, 0) and len(str(value)) > 1:
        assert str(value) not in message and json.dumps(value) not in message


def test_json_missing_and_unknown_fields(records: list[StoredEvent]) -> None:
    doc = json_doc(records)
    del doc["events"][2]["uid"]
    assert str(refused(json.dumps(doc))) == "item 3 (events[2]), field 'uid': is missing"
    doc = json_doc(records)
    doc["events"][0]["id"] = 12
    assert str(refused(json.dumps(doc))).startswith("item 1 (events[0]), field 'id'")
    doc = json_doc(records)
    doc["events"][0]["drug"] = None  # a treatment field on a pain event
    assert "field 'drug'" in str(refused(json.dumps(doc)))
    doc = json_doc(records)
    doc["events"][5] = ["not", "an", "object"]
    assert str(refused(json.dumps(doc))).startswith("item 6 (events[5])")


def test_json_duplicate_uid(records: list[StoredEvent]) -> None:
    doc = json_doc(records)
    doc["events"][4]["uid"] = doc["events"][1]["uid"].upper()
    message = str(refused(json.dumps(doc)))
    assert message.startswith("item 5 (events[4]), field 'uid'") and "item 2" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_year", 79),
        ("birth_year", "1979"),
        ("prior_back_pain", "yes"),
        ("history", ["cancer", "gout"]),
        ("history", "cancer"),
        ("remind_at", ["25:00"]),
        ("remind_at", "08:00"),
        ("remind_at", ["08:00+01:00"]),
        ("pets", 2),
    ],
)
def test_json_bad_profile(records: list[StoredEvent], field: str, value: Any) -> None:
    doc = json_doc(records)
    doc["profile"][field] = value
    error = refused(json.dumps(doc))
    assert str(error).startswith(f"profile, field '{field}'")


def test_json_profile_with_seconds_and_nulls() -> None:
    profile = Profile(remind_at=(time(7, 5, 30),))
    text = export_json([], profile, EXPORTED_AT)
    assert '"remind_at":["07:05:30"]' in text  # compact separators
    assert parse_export(text, BERLIN, now=NOW).profile == profile


def test_json_version_checks(records: list[StoredEvent]) -> None:
    doc = json_doc(records)
    doc["version"] = 2
    assert "newer backcare" in str(refused(json.dumps(doc)))
    doc["version"] = 0
    assert "field 'version'" in str(refused(json.dumps(doc)))
    del doc["version"]
    assert "field 'version'" in str(refused(json.dumps(doc)))
    doc = json_doc(records)
    doc["events"] = {"a": 1}
    assert "field 'events'" in str(refused(json.dumps(doc)))
    doc = json_doc(records)
    doc["extra"] = 1
    assert "field 'extra'" in str(refused(json.dumps(doc)))


def test_json_is_all_or_nothing(records: list[StoredEvent]) -> None:
    doc = json_doc(records)
    good = copy.deepcopy(doc)
    doc["events"][-1]["pain"] = 42
    with pytest.raises(ImportFormatError):
        parse_export(json.dumps(doc), BERLIN, now=NOW)
    assert len(parse_export(json.dumps(good), BERLIN, now=NOW).records) == len(records)


# --- Not an export ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        BOM,
        "hello, world\r\nthis is not an export\r\n",
        "Lorem ipsum dolor sit amet",
        "date,time,pain\r\n2026-01-01,08:00,5\r\n",
        HEADER.replace("uid", "id") + "\r\n",
        "\x00\x01\x02binary",
        '{"foo": 1}',
        '{"format": "something-else", "version": 1, "events": []}',
        "[1, 2, 3]",
        '{"resourceType": "Bundle", "type": "collection"}',
        "null",
    ],
)
def test_not_an_export_is_refused(text: str) -> None:
    error = refused(text)
    assert str(error).startswith("not a backcare export")
    assert error.where is None


def test_broken_json_is_refused_with_line() -> None:
    message = str(refused('{"format": "backcare-export",\n "version": 1,\n oops}'))
    assert message.startswith("not a backcare export") and "line 3" in message


def test_nan_in_json_is_refused(records: list[StoredEvent]) -> None:
    text = export_json(records, None, EXPORTED_AT).replace('"dose_mg":400', '"dose_mg":NaN')
    assert str(refused(text)).startswith("not a backcare export")


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError):
        parse_export("", BERLIN, now=datetime(2026, 1, 1))


def test_csv_round_trip_across_the_autumn_change() -> None:
    # 00:30 and 01:30 UTC on 2026-10-25 are both 02:30 in Berlin (CEST, then CET).
    events: list[Event] = [
        PainEntry(at=datetime(2026, 10, 25, 0, 30, tzinfo=UTC), pain=5, uid=uid(1)),
        PainEntry(at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC), pain=6, uid=uid(2)),
    ]
    text = csv_text(events)
    assert "2026-10-25,02:30,2026-10-25T02:30:00+02:00" in text
    assert "2026-10-25,02:30,2026-10-25T02:30:00+01:00" in text
    parsed = parse_export(text, BERLIN, now=datetime(2026, 11, 1, tzinfo=UTC))
    assert [r.event for r in parsed.records] == events
    assert csv_text([r.event for r in parsed.records]) == text


def test_error_is_an_input_error() -> None:
    from backcare.errors import EXIT_USAGE, InputError

    error = refused("nothing")
    assert isinstance(error, InputError) and isinstance(error, ValueError)
    assert error.exit_code == EXIT_USAGE and error.hint
