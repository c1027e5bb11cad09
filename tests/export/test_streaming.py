"""Big outputs stream with compact separators, and a re-import asks one uid query per table.

Issue 18: `export fhir` and `history --json` built everything in memory and indented it;
`export json` used Python's spaced separators; a re-import checked uids 500 at a time. These
tests assert the structure through the real stack (a real SQLite file, the CLI or the
services); the speed itself is measured by benchmarks/run.py, not here.
"""

from __future__ import annotations

import heapq
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from backcare import services
from backcare.domain import entries
from backcare.services import exports
from backcare.store import maintenance

START = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EVENTS = 1500


def _doc(count: int) -> dict[str, Any]:
    events = []
    for n in range(count):
        at = (START + timedelta(minutes=50 * n)).isoformat()
        if n % 3 == 2:
            events.append(
                {
                    "type": "treatment",
                    "uid": str(uuid.UUID(int=n + 1)),
                    "at": at,
                    "kind": "heat",
                    "minutes": 20,
                }
            )
        else:
            events.append(
                {"type": "pain", "uid": str(uuid.UUID(int=n + 1)), "at": at, "pain": n % 10}
            )
    return {"format": "backcare-export", "version": 1, "events": events}


@pytest.fixture
def filled(run: Any, db_path: Path, tmp_path: Path) -> Path:
    source = tmp_path / "in.json"
    source.write_text(json.dumps(_doc(EVENTS)), encoding="utf-8")
    result = run("import", str(source))
    assert result.exit_code == 0, result.stderr
    return source


def _compact(text: str) -> None:
    assert '": ' not in text and '", "' not in text, text[:200]
    assert "\n " not in text  # no indentation


def test_export_fhir_is_compact_and_complete(run: Any, filled: Path) -> None:
    result = run("export", "fhir", "--from", "2025-12-01", "--to", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    _compact(result.stdout)
    bundle = json.loads(result.stdout)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    pain = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(pain) >= EVENTS * 2 // 3  # every pain entry is there


def test_export_fhir_streams_in_chunks(filled: Path, db_path: Path) -> None:
    chunks: Iterator[str] = exports.export_fhir(db_path, since=None, until=None, tz=UTC, now=NOW)
    parts = [c for c in chunks if c]
    assert len(parts) > 2  # not one string built in memory
    assert json.loads("".join(parts))["entry"]


def test_export_fhir_without_events_has_no_entry(run: Any, db_path: Path) -> None:
    assert run("profile", "set", "--birth-year", "1980").exit_code == 0
    result = run("export", "fhir")
    assert result.exit_code == 0, result.stderr
    bundle = json.loads(result.stdout)
    assert "entry" not in bundle and bundle["resourceType"] == "Bundle"


def test_export_json_is_compact_one_event_per_line(run: Any, filled: Path) -> None:
    result = run("export", "json")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith('{"type":"pain","uid":')
    assert len(json.loads(result.stdout)["events"]) == EVENTS


def test_history_json_is_compact_and_streamed(run: Any, filled: Path, db_path: Path) -> None:
    result = run("history", "--json", "--from", "2025-12-01", "--to", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    _compact(result.stdout)
    listed = json.loads(result.stdout)
    assert len(listed) == EVENTS
    assert listed[0]["id"] == "p1" and listed[0]["pain"] == 0
    events = services.iter_history(db_path, since=None, until=None)
    assert not isinstance(events, list | tuple)  # lazy: one read transaction, streamed
    assert next(events).uid == str(uuid.UUID(int=1))
    assert sum(1 for _ in events) == EVENTS - 1
    items = services.iter_history_json(
        db_path, since=None, until=None, zone=UTC, record_json=lambda record: {}
    )
    assert not isinstance(items, list | tuple)  # what --json writes: streamed as well
    assert next(items)["uid"] == str(uuid.UUID(int=1))
    assert sum(1 for _ in items) == EVENTS - 1


def test_history_json_empty_is_an_empty_list(run: Any, filled: Path) -> None:
    result = run("history", "--json", "--from", "2020-01-01", "--to", "2020-01-02")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_reimport_asks_one_uid_query_per_table(
    filled: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every statement SQLite runs (its own trace, so reads from the DBAPI connection count
    too, and from the store's read-only sqlite3 connections): a re-import reads one
    `SELECT uid` per declared table, and with nothing new it opens no write transaction and
    runs no rules (issue 18)."""
    statements: list[str] = []

    def traced(dbapi: Any, record: Any) -> None:
        dbapi.set_trace_callback(statements.append)

    def connect_ro(path: Path) -> Any:
        connection = plain_connect_ro(path)
        connection.set_trace_callback(statements.append)
        return connection

    plain_connect_ro = maintenance.connect_ro
    monkeypatch.setattr(maintenance, "connect_ro", connect_ro)
    event.listen(Engine, "connect", traced)
    try:
        result = exports.import_file(db_path, text=filled.read_text(), now=NOW)
    finally:
        event.remove(Engine, "connect", traced)
    assert result.total == 0 and result.skipped_existing == EVENTS
    uid_reads = [s for s in statements if re.match(r"SELECT (\w+\.)?uid\s+FROM", s.strip())]
    assert not any(" IN (" in s.upper() for s in uid_reads)  # no batches of uids
    assert len(uid_reads) == len(entries.KINDS), uid_reads  # one per table
    assert not any(s.strip().upper().startswith(("BEGIN IMMEDIATE", "INSERT")) for s in statements)
    assert not any("FROM pain_entry" in s and " at " in s.lower() for s in statements if
                   "uid" not in s)  # fmt: skip  # no history loaded for the rules


def test_export_csv_from_raw_rows_is_the_csv_of_the_domain_events(run: Any, db_path: Path) -> None:
    """`export csv` writes raw rows through the derived row functions (issue 18): the file
    is byte for byte the CSV of the same events read as domain records (`iter_csv`), every
    kind, derived column and guarded cell included, across a DST change, for a period, and
    without soft-deleted rows."""
    from zoneinfo import ZoneInfo

    from backcare.export.csv_export import iter_csv
    from backcare.store import export_queries, repo
    from backcare.store.engine import open_store

    entries = [
        ("log", "4", "--at", "2026-03-28 23:30", "--spasms", "2", "--where", "lower"),
        ("log", "6", "--at", "2026-03-29 00:30", "--note", '=SUM(A1) "quoted", two'),
        ("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-29 02:00"),
        ("treat", "Advil Dual Action", "--at", "2026-03-29 09:00"),
        ("treat", "medication", "--drug", "Flexeril", "--dose", "7.5", "--at", "2026-03-29 10:00"),
        ("treat", "ice", "--minutes", "15", "--relief", "3", "--at", "2026-03-29 10:00"),
        ("symptom", "fever", "--at", "2026-03-29 10:00", "--note", "'already guarded"),
        ("symptom", "fever", "--gone", "--at", "2026-03-30 10:00"),
        ("log", "2", "--at", "2026-03-31 07:00"),
        # questionnaires are CSV rows too (issue 16), after the events of the same instant
        ("measure", "rmdq", "--answers", ",".join("1" * 12 + "0" * 12), "--at", "2026-03-29 10:00"),
        ("measure", "startback", "--answers", "1,0,0,0,1,1,1,0,4", "--at", "2026-03-31 08:00"),
    ]
    for argv in entries:
        assert run(*argv).exit_code == 0, argv
    assert run("delete", "p3", "--yes").exit_code == 0
    zone = ZoneInfo("Europe/London")
    for number, period in enumerate(((), ("--from", "2026-03-29", "--to", "2026-03-30"))):
        out = db_path.parent / f"out{number}.csv"
        result = run("export", "csv", *period, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        since = datetime(2026, 3, 29, tzinfo=zone) if period else None
        until = datetime(2026, 3, 30, 23, 59, 59, 999999, tzinfo=zone) if period else None
        store = open_store(db_path, create=False)
        try:
            with store.read() as session:
                events = list(export_queries.iter_events(session, since=since, until=until))
                measured = [m for m, _, _ in repo.measures(session, since=since, until=until)]
        finally:
            store.close()
        assert len(events) == (9 if not period else 8)
        assert len(measured) == (2 if not period else 1)
        merged = heapq.merge(events, measured, key=lambda e: e.at)
        assert out.read_bytes() == "".join(iter_csv(merged, zone)).encode("utf-8")


def test_reimport_with_one_new_event_adds_it_and_skips_the_stored(
    filled: Path, db_path: Path, tmp_path: Path
) -> None:
    """The uid set read before parsing decides what is skipped; the rest is checked and
    written as before. A stored event is not checked again (it is never written), but a
    new one is, and a bad new one refuses the whole file."""
    doc = _doc(EVENTS)
    doc["events"][0]["pain"] = 99  # stored already: skipped, not re-checked
    doc["events"].append(
        {"type": "pain", "uid": str(uuid.UUID(int=EVENTS + 7)), "at": NOW.isoformat(), "pain": 3}
    )
    result = exports.import_file(db_path, text=json.dumps(doc), now=NOW)
    assert result.added == {"pain": 1} and result.skipped_existing == EVENTS
    doc["events"].append(
        {"type": "pain", "uid": str(uuid.UUID(int=EVENTS + 8)), "at": NOW.isoformat(), "pain": 11}
    )
    with pytest.raises(ValueError, match=r"events\[1501\]\), field 'pain'"):
        exports.import_file(db_path, text=json.dumps(doc), now=NOW)
    doc["events"].append(dict(doc["events"][3]))  # a stored uid twice in the file
    del doc["events"][-2]
    with pytest.raises(ValueError, match="the same uid is already used at item 4"):
        exports.import_file(db_path, text=json.dumps(doc), now=NOW)


def test_reimport_of_known_events_still_applies_a_profile_to_a_db_without_one(
    filled: Path, db_path: Path, run: Any
) -> None:
    doc = _doc(EVENTS)
    doc["profile"] = {"birth_year": 1970}
    result = exports.import_file(db_path, text=json.dumps(doc), now=NOW)
    assert result.total == 0 and result.profile == exports.PROFILE_APPLIED
    shown = run("profile", "show", "--json")
    assert json.loads(shown.stdout)["birth_year"] == 1970


_HEAD = '{"format": "backcare-export", "version": 1,\n "events": [\n'
_PAIN = '{"type": "pain", "uid": "%s", "at": "2026-02-01T08:00:00+00:00", "pain": 4}'


def _pain(n: int) -> str:
    return _PAIN % uuid.UUID(int=n)


@pytest.mark.parametrize(
    "text",
    [
        _HEAD + _pain(1) + ",\n" + _pain(2) + "\n]}\n}",  # extra data after the object
        _HEAD + _pain(1) + ",\n]}",  # a trailing comma
        _HEAD + _pain(1) + "\n" + _pain(2) + "]}",  # a missing comma
        _HEAD + _pain(1) + ',\n{"pain": NaN}]}',  # not a JSON number
        _HEAD + _pain(1) + "]",  # the object never closed
        _HEAD + _pain(1) + '], "profile" null}',  # a member after the events, no colon
        _HEAD + _pain(1) + "], 7: 1}",  # a member name that is not a string
    ],
)
def test_streamed_events_refuse_what_json_refuses(text: str, db_path: Path) -> None:
    """The events array is decoded one item at a time (issue 18: flat memory); the file is
    still refused exactly when json.loads refuses it, nothing is stored, and a syntax error
    names json.loads' line."""
    try:
        json.loads(text, parse_constant=lambda name: 1 / 0)
        pytest.fail("json.loads took it")
    except json.JSONDecodeError as exc:
        expected = f"not valid JSON: line {exc.lineno}"
    except ZeroDivisionError:
        expected = "not a backcare export"
    with pytest.raises(ValueError, match=expected):
        exports.import_file(db_path, text=text, now=NOW)
    assert not db_path.exists()


def test_streamed_events_with_members_in_any_order(db_path: Path) -> None:
    """Members after the events array (a profile, prescriptions) are read too, and a second
    "events" member is refused rather than silently ignored."""
    text = (
        _HEAD + _pain(1) + ",\n" + _pain(2) + '\n],\n "profile": {"birth_year": 1970},'
        ' "prescriptions": [], "exported_at": "2026-02-02T00:00:00+00:00"}'
    )
    result = exports.import_file(db_path, text=text, now=NOW)
    assert result.added == {"pain": 2} and result.profile == exports.PROFILE_APPLIED
    again = text[:-1] + ', "events": []}'
    with pytest.raises(ValueError, match="not a backcare export"):
        exports.import_file(db_path, text=again, now=NOW)
    bad_key = text[:-1] + ', "extra": 1}'
    with pytest.raises(ValueError, match="field 'extra': is not a field of a backcare export"):
        exports.import_file(db_path, text=bad_key, now=NOW)


def test_import_into_an_empty_file_initialises_it(db_path: Path, tmp_path: Path) -> None:
    """The uid set is read before parsing only from a database that is there to read: an
    empty file (which an import makes a database, as before) is not an error."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.touch()
    result = exports.import_file(db_path, text=json.dumps(_doc(3)), now=NOW)
    assert result.added == {"pain": 2, "treatment": 1}
    again = exports.import_file(db_path, text=json.dumps(_doc(3)), now=NOW)
    assert again.total == 0 and again.skipped_existing == 3


def test_export_json_from_raw_rows_is_the_json_of_the_domain_records(
    run: Any, db_path: Path
) -> None:
    """`export json` writes raw rows through the derived JSON writers (issue 18): the file
    is byte for byte the JSON of the same rows read as domain records (`iter_json`), every
    event kind, derived and omitted keys, soft-deleted rows (with their deleted_at) and
    microsecond timestamps included, whole and for a period."""
    from zoneinfo import ZoneInfo

    from backcare.export.json_export import iter_json
    from backcare.store import export_queries
    from backcare.store.engine import open_store

    entries = [
        ("profile", "set", "--birth-year", "1980", "--remind-at", "08:00"),
        ("log", "4", "--at", "2026-03-28 23:30", "--spasms", "2", "--where", "lower"),
        ("log", "6", "--at", "2026-03-29 00:30", "--note", 'Rücken "quoted", \\ two\nlines'),
        ("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-29 02:00"),
        ("treat", "Advil Dual Action", "--at", "2026-03-29 09:00"),
        ("treat", "medication", "--drug", "Flexeril", "--dose", "7.5", "--at", "2026-03-29 10:00"),
        ("treat", "ice", "--minutes", "15", "--relief", "3", "--at", "2026-03-29 10:00"),
        ("symptom", "fever", "--at", "2026-03-29 10:00", "--note", "'already guarded"),
        ("symptom", "fever", "--gone", "--at", "2026-03-30 10:00"),
        ("log", "2", "--at", "2026-03-31 07:00"),
        ("meds", "prescribe", "ibuprofen", "--dose", "400", "--from", "2026-03-16 08:00"),
    ]
    for argv in entries:
        assert run(*argv).exit_code == 0, argv
    assert run("delete", "p3", "--yes").exit_code == 0
    assert run("delete", "t2", "--yes").exit_code == 0
    zone = ZoneInfo("Europe/London")
    for number, period in enumerate(((), ("--from", "2026-03-29", "--to", "2026-03-30"))):
        out = db_path.parent / f"out{number}.json"
        result = run("export", "json", *period, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        written = out.read_bytes()
        exported_at = datetime.fromisoformat(json.loads(written)["exported_at"])
        since = datetime(2026, 3, 29, tzinfo=zone) if period else None
        until = datetime(2026, 3, 30, 23, 59, 59, 999999, tzinfo=zone) if period else None
        store = open_store(db_path, create=False)
        try:
            with store.read() as session:
                records = list(export_queries.iter_records(session, since=since, until=until))
                profile = export_queries.stored_profile(session)
                prescribed = list(export_queries.iter_prescription_records(session))
        finally:
            store.close()
        assert len(records) == (10 if not period else 8)
        assert sum(r.deleted_at is not None for r in records) == (2 if not period else 1)
        assert any(r.created_at.microsecond for r in records)  # both forms of a timestamp
        lists = {"prescriptions": prescribed if not period else []}
        expected = "".join(iter_json(records, profile, exported_at, lists)).encode("utf-8")
        assert written == expected


def test_export_json_of_a_db_without_events_from_raw_rows(run: Any, db_path: Path) -> None:
    assert run("profile", "set", "--birth-year", "1980").exit_code == 0
    result = run("export", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith('\n "events": []}\n')
    assert json.loads(result.stdout)["events"] == []


def test_history_json_from_raw_rows_is_the_json_of_the_domain_entries(
    run: Any, db_path: Path
) -> None:
    """`history --json` writes live events' raw rows through derived writers (issue 18): the
    output is byte for byte `event_json` of the entries `iter_history` reads as domain
    records, every kind, a check-in and a questionnaire at an event's instant (after it, in
    that order), a soft-deleted row left out, across a DST change, whole and for a period."""
    from zoneinfo import ZoneInfo

    from backcare.cli.records import event_json
    from backcare.domain.symptoms import SYMPTOM_CODES
    from backcare.jsonfmt import json_list

    zone = ZoneInfo("Europe/London")
    entries = [
        ("log", "4", "--at", "2026-03-28 23:30", "--spasms", "2", "--where", "lower"),
        ("log", "6", "--at", "2026-03-29 00:30", "--note", 'Rücken "quoted", \\ two\nlines'),
        ("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-29 02:00"),
        ("treat", "Advil Dual Action", "--at", "2026-03-29 09:00"),
        ("treat", "medication", "--drug", "Flexeril", "--dose", "7.5", "--at", "2026-03-29 10:00"),
        ("treat", "ice", "--minutes", "15", "--relief", "3", "--at", "2026-03-29 10:00"),
        ("symptom", "fever", "--at", "2026-03-29 10:00", "--note", "'already guarded"),
        ("measure", "rmdq", "--answers", ",".join("1" * 12 + "0" * 12), "--at", "2026-03-29 10:00"),
        ("symptom", "fever", "--gone", "--at", "2026-03-30 10:00"),
        ("log", "2", "--at", "2026-03-31 07:00"),
    ]
    for argv in entries:
        assert run(*argv).exit_code == 0, argv
    at = datetime(2026, 3, 29, 10, 0, tzinfo=zone)
    services.log_checkin(db_path, at=at, asked=SYMPTOM_CODES, present=("fever",), now=at)
    assert run("delete", "p3", "--yes").exit_code == 0
    for first, last, count in (("28", "31", 11), ("29", "29", 9)):
        result = run("history", "--json", "--from", f"2026-03-{first}", "--to", f"2026-03-{last}")
        assert result.exit_code == 0, result.stderr
        since = datetime(2026, 3, int(first), tzinfo=zone)
        until = datetime(2026, 3, int(last), 23, 59, 59, 999999, tzinfo=zone)
        items = list(services.iter_history(db_path, since=since, until=until))
        assert len(items) == count
        assert result.stdout == "".join(json_list(event_json(e, zone) for e in items))
        types = [item["type"] for item in json.loads(result.stdout)]
        assert types.count("checkin") == 1 and types.count("measure") == 1
        assert types.index("measure") == types.index("checkin") + 1
