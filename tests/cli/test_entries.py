"""Round trips through the real CLI and a real SQLite file: log, treat, symptom, history,
edit, delete, undo, profile, db path, --version."""

from __future__ import annotations

import json
from pathlib import Path

from backcare import __version__
from tests.conftest import Run, row_counts


def history(run: Run, *args: str) -> list[dict]:
    result = run("history", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"backcare {__version__}"


def test_log_creates_db_and_history_shows_it(run: Run, db_path: Path) -> None:
    result = run(
        "log",
        "6",
        "--spasms",
        "3",
        "--where",
        "lower",
        "--radiates",
        "thigh",
        "--note",
        "lifting boxes",
        "--at",
        "-2h",
    )
    assert result.exit_code == 0, result.stderr
    assert "Logged p1: pain 6/10, 3 spasms, lower, radiates thigh" in result.stdout
    [event] = history(run)
    assert event["id"] == "p1"
    assert event["type"] == "pain"
    assert (event["pain"], event["spasms"], event["location"], event["radiates"]) == (
        6,
        3,
        "lower",
        "thigh",
    )
    assert event["note"] == "lifting boxes"
    assert len(event["uid"]) == 36
    assert event["at"][-6:] in ("+00:00", "+01:00")  # ISO with the local offset
    assert row_counts(db_path)["pain_entry"] == 1


def test_treat_kinds_drugs_and_aliases(run: Run) -> None:
    assert run("treat", "ice", "--minutes", "20", "--relief", "4", "--at", "-3h").exit_code == 0
    assert run("treat", "Advil", "--dose", "400", "--at", "-2h").exit_code == 0
    assert run("treat", "paracetamol", "--dose", "500", "--at", "-90m").exit_code == 0
    assert run("treat", "medication", "--drug", "Robaxin", "--dose", "750").exit_code == 0
    assert (
        run("treat", "medication", "--drug", "baclofen", "--relaxant", "--dose", "10").exit_code
        == 0
    )
    events = history(run)
    assert [(e["kind"], e["drug"], e["dose_mg"], e["minutes"]) for e in events] == [
        ("ice", None, None, 20),
        ("medication", "ibuprofen", 400, None),
        ("medication", "acetaminophen", 500, None),
        ("medication", "methocarbamol", 750, None),
        ("medication", "baclofen", 10, None),
    ]
    assert events[0]["relief"] == 4
    assert events[-1]["relaxant"] is True
    assert [e["id"] for e in events] == ["t1", "t2", "t3", "t4", "t5"]


def test_symptom_list_report_and_gone(run: Run) -> None:
    listing = run("symptom", "--list")
    assert listing.exit_code == 0
    assert "saddle-numbness" in listing.stdout and "Loss of bowel control?" in listing.stdout
    assert run("symptom", "fever", "night-pain", "--at", "-1d").exit_code == 0
    assert run("symptom", "fever", "--gone").exit_code == 0
    events = history(run)
    assert [(e["code"], e["present"]) for e in events] == [
        ("fever", True),
        ("night-pain", True),
        ("fever", False),
    ]


def test_log_with_symptom_option(run: Run) -> None:
    assert run("log", "5", "--symptom", "leg-numbness", "--at", "-1h").exit_code == 0
    events = history(run)
    assert [e["type"] for e in events] == ["pain", "symptom"]
    assert events[1]["code"] == "leg-numbness" and events[1]["at"] == events[0]["at"]


def test_history_period_filters(run: Run) -> None:
    """`--days N` counts local calendar days back from today (it has no --as-of).

    The entries sit where the answer cannot depend on the hour the test runs: at today's
    first minute and yesterday's last (a `-1h` entry is yesterday's between 00:00 and 01:00),
    and 3 and 20 days back, far from the 14- and 30-day edges.
    """
    run("log", "4", "--at", "-20d")
    run("log", "5", "--at", "-3d")
    run("log", "7", "--at", "yesterday 23:59")
    run("log", "6", "--at", "today 00:00")
    assert [e["pain"] for e in history(run)] == [5, 7, 6]  # default: last 14 days
    assert [e["pain"] for e in history(run, "--days", "30")] == [4, 5, 7, 6]
    assert [e["pain"] for e in history(run, "--days", "1")] == [6]
    assert [e["pain"] for e in history(run, "--days", "2")] == [7, 6]


def test_edit_then_undo(run: Run) -> None:
    run("log", "6", "--at", "-1h")
    result = run("edit", "p1", "--pain", "4", "--note", "better")
    assert result.exit_code == 0, result.stderr
    [event] = history(run)
    assert (event["pain"], event["note"]) == (4, "better")
    assert run("undo", "--yes").exit_code == 0
    [event] = history(run)
    assert (event["pain"], event["note"]) == (6, None)


def test_delete_needs_yes_off_a_terminal_then_undo_restores(run: Run, db_path: Path) -> None:
    run("treat", "heat", "--minutes", "15")
    refused = run("delete", "t1")
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert len(history(run)) == 1
    assert run("delete", "t1", "--yes").exit_code == 0
    assert history(run) == []
    assert row_counts(db_path)["treatment"] == 1  # soft delete keeps the row
    restored = run("undo", "--yes")
    assert restored.exit_code == 0 and "t1" in restored.stdout
    assert len(history(run)) == 1
    assert run("undo", "--yes").exit_code == 0  # the next action back: the treat itself
    assert history(run) == []
    assert run("undo", "--yes").exit_code == 2  # nothing left to undo


def test_delete_unknown_id(run: Run) -> None:
    run("log", "3")
    result = run("delete", "p99", "--yes")
    assert result.exit_code == 2
    assert "no entry p99" in result.stderr


def test_profile_set_and_show(run: Run) -> None:
    result = run(
        "profile",
        "set",
        "--birth-year",
        "1970",
        "--prior-back-pain",
        "no",
        "--history",
        "osteoporosis,steroid-use",
        "--remind-at",
        "21:00",
        "--remind-at",
        "08:30",
    )
    assert result.exit_code == 0, result.stderr
    shown = run("profile", "show", "--json")
    assert json.loads(shown.stdout) == {
        "birth_year": 1970,
        "prior_back_pain": False,
        "history": ["osteoporosis", "steroid-use"],
        "remind_at": ["08:30", "21:00"],
        "name": None,  # the optional identity (issue 17), not set here
        "date_of_birth": None,
    }
    assert run("profile", "set", "--history", "none").exit_code == 0
    assert json.loads(run("profile", "show", "--json").stdout)["history"] == []
    assert json.loads(run("profile", "show", "--json").stdout)["birth_year"] == 1970


def test_db_path_sources(run: Run, db_path: Path, monkeypatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from backcare.cli.app import app

    assert run("db", "path").stdout.strip() == str(db_path)
    monkeypatch.setenv("BACKCARE_DB", str(tmp_path / "env.db"))
    assert CliRunner().invoke(app, ["db", "path"]).stdout.strip() == str(tmp_path / "env.db")
    monkeypatch.delenv("BACKCARE_DB")
    default = CliRunner().invoke(app, ["db", "path"]).stdout.strip()
    assert default.startswith(str(tmp_path / "home")) and default.endswith("backcare.db")
