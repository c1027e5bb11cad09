from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from backcare.domain.model import PainEntry, Profile, StoredEvent, Treatment
from backcare.export.importer import parse_export
from backcare.export.json_export import FORMAT_NAME, FORMAT_VERSION, export_json, iter_json

from .conftest import BERLIN, NOW, SAMPLE_PROFILE, uid

EXPORTED_AT = datetime(2026, 4, 1, 20, 0, tzinfo=BERLIN)


def test_top_level_shape(records: list[StoredEvent]) -> None:
    data = json.loads(export_json(records, SAMPLE_PROFILE, EXPORTED_AT))
    assert list(data) == ["format", "version", "exported_at", "profile", "events"]
    assert data["format"] == FORMAT_NAME == "backcare-export"
    assert data["version"] == FORMAT_VERSION == 1
    assert data["exported_at"] == "2026-04-01T18:00:00+00:00"
    assert data["profile"] == {
        "birth_year": 1979,
        "prior_back_pain": True,
        "history": ["blood-thinners", "osteoporosis"],
        "remind_at": ["08:00", "21:30"],
    }
    assert len(data["events"]) == len(records)


def test_events_are_lossless(records: list[StoredEvent]) -> None:
    events = json.loads(export_json(records, None, EXPORTED_AT))["events"]
    pain, ibuprofen, relaxant, ice, fever = events[:5]
    assert pain == {
        "type": "pain",
        "uid": uid(1),
        "at": "2026-03-28T07:15:00+00:00",
        "created_at": "2026-03-28T07:16:00+00:00",
        "deleted_at": None,
        "pain": 7,
        "spasms": 3,
        "location": "lower",
        "radiates": "thigh",
        "note": None,
    }
    assert ibuprofen["kind"] == "medication" and ibuprofen["drug"] == "ibuprofen"
    assert ibuprofen["dose_mg"] == 400 and isinstance(ibuprofen["dose_mg"], int)
    assert ibuprofen["relief"] == 4 and ibuprofen["relaxant"] is False
    assert relaxant["dose_mg"] == 7.5 and relaxant["relaxant"] is True
    assert ice == {
        "type": "treatment",
        "uid": uid(4),
        "at": "2026-03-28T07:35:00+00:00",
        "created_at": "2026-03-28T07:36:00+00:00",
        "deleted_at": "2026-03-29T07:36:00+00:00",  # soft-deleted rows are carried
        "kind": "ice",
        "drug": None,
        "dose_mg": None,
        "minutes": 20,
        "relief": 6,
        "relaxant": False,
        "note": None,
    }
    assert fever["code"] == "fever" and fever["present"] is True
    assert events[6]["at"] == "2026-03-29T01:30:12.345678+00:00"
    for event in events:
        assert "id" not in event  # integer ids are per database
        for key in ("at", "created_at"):
            assert event[key].endswith("+00:00")


def test_non_ascii_and_control_characters_survive(records: list[StoredEvent]) -> None:
    text = export_json(records, None, EXPORTED_AT)
    assert "Rückenschmerz – 腰痛" in text  # UTF-8, not \\u escapes
    notes = [e["note"] for e in json.loads(text)["events"]]
    assert "'already quoted" in notes and "\tstarts with a tab" in notes
    # one event per line
    lines = text.splitlines()
    assert lines[2].startswith('{"type":"pain"')  # compact separators (issue 18)


def test_round_trip_is_identical(records: list[StoredEvent]) -> None:
    first = export_json(records, SAMPLE_PROFILE, EXPORTED_AT)
    parsed = parse_export(first, BERLIN, now=NOW)
    assert parsed.source == "json"
    assert parsed.profile == SAMPLE_PROFILE
    assert parsed.exported_at == EXPORTED_AT
    assert [r.event.uid for r in parsed.records] == [r.event.uid for r in records]
    assert [r.deleted_at for r in parsed.records] == [r.deleted_at for r in records]
    second = export_json(parsed.records, parsed.profile, EXPORTED_AT)
    assert second == first


def test_round_trip_without_profile_and_events() -> None:
    first = export_json([], None, EXPORTED_AT)
    assert json.loads(first)["events"] == [] and json.loads(first)["profile"] is None
    parsed = parse_export(first, BERLIN, now=NOW)
    assert parsed.records == [] and parsed.profile is None
    assert export_json(parsed.records, parsed.profile, EXPORTED_AT) == first


def test_round_trip_of_an_empty_profile() -> None:
    first = export_json([], Profile(), EXPORTED_AT)
    parsed = parse_export(first, BERLIN, now=NOW)
    assert parsed.profile == Profile()
    assert export_json([], parsed.profile, EXPORTED_AT) == first


def test_streams_lazily() -> None:
    pulled = [0]

    def records() -> Iterator[StoredEvent]:
        start = datetime(2020, 1, 1, tzinfo=UTC)
        for i in range(5000):
            pulled[0] = i + 1
            at = start + timedelta(hours=i)
            event = (
                PainEntry(at=at, pain=i % 11, uid=uid(i))
                if i % 2
                else Treatment(at=at, kind="heat", minutes=15, uid=uid(i))
            )
            yield StoredEvent(event=event, created_at=at)

    chunks = iter_json(records(), None, EXPORTED_AT)
    head = next(chunks)
    assert head.startswith('{"format": "backcare-export"') and pulled[0] == 0
    second = next(chunks)
    assert pulled[0] <= 1001
    text = head + second + "".join(chunks)
    assert len(json.loads(text)["events"]) == 5000
