"""Acknowledging flags (docs/rules.md "Acknowledging a flag"), through the real CLI and a real
SQLite file. Times are relative to now (`--at -2h`), never compared as dates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, file_digest, row_counts


def flags_of(run: Run, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = run("check", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return {f["rule"]: f for f in json.loads(result.stdout)["flags"]}


def remind_rules(run: Run) -> list[str | None]:
    result = run("remind", "--json")
    assert result.exit_code == 0, result.stderr
    return [item.get("rule") for item in json.loads(result.stdout)["due"]]


@pytest.fixture
def leg(run: Run) -> None:
    assert run("log", "5", "--at", "-3h").exit_code == 0
    assert run("symptom", "leg-numbness", "--at", "-2h").exit_code == 0


def test_acknowledged_flag_leaves_status_and_remind_but_check_shows_it(run: Run, leg: None) -> None:
    assert "red-flag.leg-symptoms" in run("status").stdout
    status_flags = json.loads(run("status", "--json").stdout)["flags"]
    assert "red-flag.leg-symptoms" in [f["rule"] for f in status_flags]
    assert "red-flag.leg-symptoms" in remind_rules(run)

    result = run("ack", "red-flag.leg-symptoms", "--note", "seen a doctor on Monday")
    assert result.exit_code == 0, result.stderr
    assert "Acknowledged red-flag.leg-symptoms (a1)" in result.stdout

    status = run("status").stdout
    assert "red-flag.leg-symptoms" not in status
    assert "1 acknowledged flag not repeated here (`backcare check` shows them)." in status
    status_json = json.loads(run("status", "--json").stdout)
    assert "red-flag.leg-symptoms" not in [f["rule"] for f in status_json["flags"]]
    assert status_json["acknowledged_flags"] == 1
    assert "red-flag.leg-symptoms" not in remind_rules(run)
    flag = flags_of(run)["red-flag.leg-symptoms"]
    assert flag["acknowledged"]["note"] == "seen a doctor on Monday"
    assert flag["acknowledged"]["id"] == "a1"
    assert flag["acknowledged"]["sought_care"] is False
    assert flag["acknowledged"]["at"]
    text = run("check").stdout
    assert "Acknowledged" in text and "seen a doctor on Monday" in text
    assert "a1  red-flag.leg-symptoms" in run("ack", "--list").stdout


def test_a_new_symptom_report_brings_it_back(run: Run, leg: None) -> None:
    assert run("ack", "red-flag.leg-symptoms").exit_code == 0
    again = run("symptom", "leg-numbness", "--at", "-1h")
    assert "red-flag.leg-symptoms" in again.stdout  # announced after the entry
    assert "red-flag.leg-symptoms" in run("status").stdout
    assert "red-flag.leg-symptoms" in remind_rules(run)
    assert flags_of(run)["red-flag.leg-symptoms"]["acknowledged"] is None


def test_a_new_dose_brings_a_medication_flag_back(run: Run) -> None:
    run("treat", "ibuprofen", "--dose", "400", "--at", "-5h")
    run("treat", "ibuprofen", "--dose", "400", "--at", "-4h")
    assert "med.too-soon" in flags_of(run)
    assert run("ack", "med.too-soon", "--note", "prescribed by my GP").exit_code == 0
    assert "med.too-soon" not in run("status").stdout
    quiet = run("treat", "heat", "--minutes", "20", "--at", "-3h")
    assert "med.too-soon" not in quiet.stdout  # no new dose: still acknowledged
    assert "med.too-soon" not in run("status").stdout
    back = run("treat", "ibuprofen", "--dose", "400", "--at", "-1h")
    assert "med.too-soon" in back.stdout
    assert "med.too-soon" in run("status").stdout


def test_emergency_and_urgent_flags_need_sought_care(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "-2h")
    run("symptom", "faintness", "--at", "-1h")
    before, digest = row_counts(db_path), file_digest(db_path)
    refused = run("ack", "red-flag.aortic", "--note", "fine now")
    assert refused.exit_code == 2
    assert "sought care" in refused.stderr and "--sought-care" in refused.stderr
    assert row_counts(db_path) == before and file_digest(db_path) == digest
    assert "red-flag.aortic" in run("status").stdout

    assert run("ack", "red-flag.aortic", "--sought-care").exit_code == 0
    assert "red-flag.aortic" not in run("status").stdout
    flag = flags_of(run)["red-flag.aortic"]
    assert flag["level"] == "emergency"
    assert flag["acknowledged"]["sought_care"] is True
    assert "I have sought care" in run("check").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ack", "red-flag.no-such-rule"), "backcare check"),
        (("ack", "red-flag.fever"), "backcare check"),  # a real rule with no active flag
        (("ack",), "backcare check"),
        (("unack", "red-flag.leg-symptoms"), "not acknowledged"),
    ],
)
def test_bad_ack_input_exits_2_and_stores_nothing(
    run: Run, db_path: Path, leg: None, args: tuple[str, ...], message: str
) -> None:
    before, digest = row_counts(db_path), file_digest(db_path)
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path) == before and file_digest(db_path) == digest


def test_unack_shows_it_again_and_undo_restores_the_acknowledgement(run: Run, leg: None) -> None:
    assert run("ack", "red-flag.leg-symptoms").exit_code == 0
    result = run("unack", "red-flag.leg-symptoms")
    assert result.exit_code == 0
    assert "red-flag.leg-symptoms" in run("status").stdout
    assert run("ack", "--list").stdout.strip() == "No acknowledged flags."
    undone = run("undo", "--yes")
    assert undone.exit_code == 0 and "a1" in undone.stdout
    assert "red-flag.leg-symptoms" not in run("status").stdout
    assert "a1  red-flag.leg-symptoms" in run("ack", "--list").stdout


def test_acknowledgements_survive_a_json_round_trip(run: Run, leg: None, tmp_path: Path) -> None:
    assert run("ack", "red-flag.leg-symptoms", "--note", "seen a doctor").exit_code == 0
    run("log", "5", "--at", "-2h")
    run("symptom", "faintness", "--at", "-1h")
    assert run("ack", "red-flag.aortic", "--sought-care").exit_code == 0
    assert run("unack", "red-flag.aortic").exit_code == 0  # a withdrawn one travels too
    first = tmp_path / "first.json"
    assert run("export", "json", "-o", str(first)).exit_code == 0
    data = json.loads(first.read_text(encoding="utf-8"))
    acks = data["acknowledgements"]
    assert [(a["rule"], a["note"], a["deleted_at"] is None) for a in acks] == [
        ("red-flag.leg-symptoms", "seen a doctor", True),
        ("red-flag.aortic", None, False),
    ]

    other = tmp_path / "other.db"
    imported = run("import", str(first), db=other)
    assert imported.exit_code == 0, imported.stderr
    assert "2 acknowledged flags" in imported.stdout
    again = tmp_path / "again.json"
    assert run("export", "json", "-o", str(again), db=other).exit_code == 0
    assert _without_time(again) == _without_time(first)
    assert "red-flag.leg-symptoms" not in run("status", db=other).stdout
    # importing again adds nothing (idempotent by uid)
    assert "acknowledged" not in run("import", str(first), db=other).stdout


def _without_time(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key != "exported_at"}


def test_an_export_without_acknowledgements_has_no_such_key(run: Run, leg: None) -> None:
    assert "acknowledgements" not in json.loads(run("export", "json").stdout)


def test_an_acknowledgement_can_be_deleted_by_its_id(run: Run, leg: None) -> None:
    assert run("ack", "red-flag.leg-symptoms").exit_code == 0
    assert run("delete", "a1", "--yes").exit_code == 0
    assert "red-flag.leg-symptoms" in run("status").stdout
    assert run("undo", "--yes").exit_code == 0
    assert "red-flag.leg-symptoms" not in run("status").stdout
