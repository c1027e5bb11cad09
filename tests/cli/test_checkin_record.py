"""Check-in as ONE record (docs/rules.md "Symptom codes"), and the prior-back-pain question.

The interactive `checkin` itself runs on a real pty in test_check.py; here a check-in is
stored through the service the command calls, and read back through the real CLI: history,
check, report, export/import. Fixed local times, no clock.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from backcare import services
from backcare.domain.symptoms import SYMPTOM_CODES
from tests.conftest import Run, row_counts

LONDON = ZoneInfo("Europe/London")
AT = datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)
LATER = datetime(2026, 11, 21, 9, 0, tzinfo=LONDON)


def checkin(db: Path, when: datetime, present: tuple[str, ...] = ()) -> None:
    services.log_checkin(db, at=when, asked=SYMPTOM_CODES, present=present, now=when)


def test_a_checkin_is_one_line_in_history_and_one_row(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT)
    counts = row_counts(db_path)
    assert (counts["checkin"], counts["symptom_report"]) == (1, 0)
    lines = run("history", "--from", "2026-11-20", "--to", "2026-11-20").stdout.splitlines()
    assert len(lines) == 2
    assert lines[1].split() == [
        "c1", "2026-11-20", "09:00", "checkin", str(len(SYMPTOM_CODES)), "questions", "asked,",
        "none", "present",
    ]  # fmt: skip
    data = json.loads(run("history", "--json", "--from", "2026-11-20", "--to", "2026-11-20").stdout)
    assert data[1]["type"] == "checkin" and data[1]["id"] == "c1"
    assert data[1]["present"] == [] and data[1]["asked"] == list(SYMPTOM_CODES)


def test_a_present_answer_counts_as_a_report(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT, present=("fever",))
    flags = json.loads(run("check", "--json", "--as-of", "2026-11-20 10:00").stdout)["flags"]
    fever = next(f for f in flags if f["rule"] == "red-flag.fever")
    assert fever["evidence"] == ["c1 fever reported 2026-11-20 09:00"]


def test_an_absent_answer_does_not_end_an_earlier_report(run: Run, db_path: Path) -> None:
    """The safer reading: only `symptom CODE --gone` withdraws a warning sign."""
    run("log", "5", "--at", "2026-11-20 08:00")
    run("symptom", "fever", "--at", "2026-11-20 08:30")
    checkin(db_path, AT)  # fever asked, answered absent
    flags = json.loads(run("check", "--json", "--as-of", "2026-11-20 10:00").stdout)["flags"]
    assert "red-flag.fever" in {f["rule"] for f in flags}
    run("symptom", "fever", "--gone", "--at", "2026-11-20 09:30")
    flags = json.loads(run("check", "--json", "--as-of", "2026-11-20 10:00").stdout)["flags"]
    assert "red-flag.fever" not in {f["rule"] for f in flags}


def test_the_report_shows_asked_none_present_on_that_date(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT)
    checkin(db_path, LATER, present=("fever",))
    report = run("report", "--days", "3", "--format", "md", "--as-of", "2026-11-21 12:00")
    assert report.exit_code == 0, report.stderr
    n = len(SYMPTOM_CODES)
    text = " ".join(report.stdout.split())  # Markdown prose is wrapped to 80 columns
    assert f"2026-11-20: {n} asked, none present" in text
    assert f"2026-11-21: {n} asked, present: fever" in text
    html = run("report", "--days", "3", "--format", "html", "--as-of", "2026-11-21 12:00")
    assert f"2026-11-20: {n} asked, none present" in html.stdout


def test_checkins_survive_a_json_round_trip(run: Run, db_path: Path, tmp_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT, present=("fever", "bladder"))
    first = run("export", "json").stdout
    assert json.loads(first)["checkins"][0]["present"] == ["fever", "bladder"]
    exported = tmp_path / "e.json"
    exported.write_text(first, encoding="utf-8")
    other = tmp_path / "other.db"
    result = run("import", str(exported), db=other)
    assert result.exit_code == 0 and "1 check-in" in result.stdout
    again = run("export", "json", db=other).stdout

    def without_time(text: str) -> dict[str, object]:
        return {k: v for k, v in json.loads(text).items() if k != "exported_at"}

    assert without_time(again) == without_time(first)


def test_import_refuses_a_checkin_with_an_unknown_code(run: Run, tmp_path: Path) -> None:
    bad = {
        "format": "backcare-export",
        "version": 1,
        "profile": None,
        "events": [],
        "checkins": [
            {
                "uid": "00000000-0000-4000-8000-000000000001",
                "at": "2026-11-20T09:00:00+00:00",
                "asked": ["fever", "hiccups"],
                "present": [],
            }
        ],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "check-in 1 (checkins[0]), field 'asked'" in result.stderr


# --- The prior-back-pain question as a status due item -----------------------------------

PRIOR_CASES = [
    # (birth year, asked?) in 2026: over 50 and 20 or under are asked
    ("1950", True),
    ("1975", True),  # 51 by the year: asked (may be 50, erring towards asking)
    ("1976", False),  # 50
    ("1990", False),
    ("2006", True),  # 20 by the year: may still be 19
    ("2010", True),
]


def test_status_asks_prior_back_pain_when_over_50_or_under_20(run: Run) -> None:
    run("log", "4", "--at", "2026-11-20 08:00")
    for born, asked in PRIOR_CASES:
        run("profile", "set", "--birth-year", born)
        status = run("status", "--as-of", "2026-11-20 10:00")
        assert ("--prior-back-pain" in status.stdout) is asked, born
        data = json.loads(run("status", "--json", "--as-of", "2026-11-20 10:00").stdout)
        assert data["due"]["prior_back_pain_question"] is asked
    run("profile", "set", "--birth-year", "1950", "--prior-back-pain", "no")
    assert "--prior-back-pain" not in run("status", "--as-of", "2026-11-20 10:00").stdout


def test_the_v2_symptom_codes_complete_in_the_shell() -> None:
    from backcare.cli.complete import symptoms

    def codes(incomplete: str) -> list[str]:
        return [code for code, _help in symptoms(None, incomplete)]

    assert {"walking-difficulty", "weight-loss"} <= set(codes("w"))
    assert codes("gi") == ["gi-bleeding"]
    assert "upper-back" in codes("")


def test_fhir_export_has_each_checkin_answer_once(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT, present=("fever",))
    bundle = json.loads(run("export", "fhir").stdout)
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert len(ids) == len(set(ids))
    answers = {
        e["resource"]["code"]["text"]: e["resource"]["valueBoolean"]
        for e in bundle["entry"]
        if "valueBoolean" in e["resource"]
    }
    from backcare.domain.symptoms import SYMPTOM_QUESTIONS

    assert len(answers) == len(SYMPTOM_CODES)
    assert answers[SYMPTOM_QUESTIONS["fever"]] is True
    assert answers[SYMPTOM_QUESTIONS["bladder"]] is False


def test_a_checkin_can_be_deleted_undone_and_purged(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-20 08:00")
    checkin(db_path, AT, present=("fever",))
    as_of = ("--as-of", "2026-11-20 10:00")

    def fever() -> bool:
        flags = json.loads(run("check", "--json", *as_of).stdout)["flags"]
        return "red-flag.fever" in {f["rule"] for f in flags}

    assert fever()
    assert run("edit", "c1", "--note", "x").exit_code == 2  # deleted and restored, not edited
    assert run("delete", "c1", "--yes").exit_code == 0
    assert not fever()
    assert "c1" not in run("history", "--from", "2026-11-20", "--to", "2026-11-20").stdout
    assert run("undo", "--yes").exit_code == 0
    assert fever()
    assert run("delete", "c1", "--yes").exit_code == 0
    assert run("db", "purge", "--yes").exit_code == 0
    assert row_counts(db_path)["checkin"] == 0
