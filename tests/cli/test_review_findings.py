"""Defects found by the review of today's questionnaires, goals and imports (as a user, a
clinician and an attacker would try them), each through the real CLI on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts


def _three_goals_then_swap(run: Run) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    for goal in ("walk the dog", "tie shoes", "sit 30 min"):
        assert run("goals", "add", goal, "--at", "2026-11-01 09:00").exit_code == 0
    assert run("goals", "remove", "g1").exit_code == 0  # ends now, not on 1 Nov


def test_a_backdated_fourth_goal_is_refused_where_three_were_active(
    run: Run, db_path: Path
) -> None:
    # g1 was removed only now: on 10 Nov it was one of three. A fourth back-dated to 1 Nov
    # would make a PSFS of 10 Nov rate four activities (db check calls that malformed).
    _three_goals_then_swap(run)
    before = row_counts(db_path)
    result = run("goals", "add", "garden", "--at", "2026-11-01 09:00")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path) == before
    # Added from now it fits (g1 is removed by then), and a back-dated PSFS still rates 3.
    assert run("goals", "add", "garden").exit_code == 0
    assert run("measure", "psfs", "--at", "2026-11-10 10:00", "--answers", "1,2,3").exit_code == 0
    assert run("db", "check").exit_code == 0


def test_an_import_cannot_make_more_than_three_goals_active(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    for goal in ("walk the dog", "tie shoes"):
        run("goals", "add", goal, "--at", "2026-11-01 09:00")
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["goals"] = [
        dict(data["goals"][0], uid=f"00000000-0000-4000-8000-00000000000{n}", text=f"g {n}")
        for n in range(2)
    ]
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    before = row_counts(db_path)
    result = run("import", str(hostile))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2
    assert "g 0" not in result.stderr  # no goal text (health data) in the error
    assert row_counts(db_path) == before
    assert run("db", "check").exit_code == 0


def test_a_one_goal_psfs_says_one_item_not_one_items(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00")
    result = run("measure", "psfs", "--at", "2026-11-01 10:00", "--answers", "5,5,5")
    assert result.exit_code == 2
    assert "PSFS has 1 item: --answers gave 3" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("delete", "p\u00b2", "--yes"),
        ("edit", "m\u00b9", "--note", "x"),
        ("goals", "remove", "g\u2460"),
    ],
)
def test_an_id_with_a_superscript_digit_is_bad_input_not_a_crash(
    run: Run, db_path: Path, args: tuple[str, ...]
) -> None:
    # str.isdigit() accepts "²" and "①", which int() refuses: a ValueError reached the user.
    run("log", "5", "--at", "2026-11-01 08:00")
    before = row_counts(db_path)
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr
    assert row_counts(db_path) == before


def test_an_id_of_thousands_of_digits_is_bad_input_not_a_crash(run: Run) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    result = run("delete", "p" + "9" * 5000, "--yes")
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("profile", "set", "--remind-at", "\u00b2:00"),
        ("remind", "install", "--print", "--at", "08:\u00b3\u00b3"),
    ],
)
def test_a_reminder_time_with_a_superscript_digit_is_bad_input_not_a_crash(
    run: Run, args: tuple[str, ...]
) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert "unexpected" not in result.stderr


@pytest.mark.slow
def test_interactive_answer_with_a_superscript_digit_is_asked_again(tmp_path: Path) -> None:
    """On the pty: "²" passed str.isdigit() and int() raised, ending the questionnaire with
    'unexpected problem'; it is asked again like any reply that is not a number 0-10."""
    import os
    import subprocess

    from tests.cli.test_measures import _backcare, _pty_measure, _rows

    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    for goal in ("walk the dog", "lift my child", "sit through a film"):
        subprocess.run(
            [_backcare(), "--db", str(db), "goals", "add", goal, "--at", "-1h"], env=env, check=True
        )
    code, text = _pty_measure(db, env, "psfs", ["\u00b2", "\u0663", "7", "6", "0"])
    assert code == 0, text
    assert text.count("please type a whole number 0-10") == 2
    assert [r[:2] for r in _rows(db)] == [("psfs", "7,6,0")]


@pytest.mark.parametrize("columns", ["\u00b2", "9" * 5000])
def test_an_odd_columns_variable_does_not_crash_a_command(
    run: Run, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    monkeypatch.setenv("COLUMNS", columns)
    result = run("history", "--from", "2026-11-01", "--to", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert "p1" in result.stdout


def test_a_due_questionnaire_names_the_command_to_type(run: Run) -> None:
    # Half-awake at 9am, "backcare measure NAME" is a puzzle; the names are the command.
    run("log", "6", "--at", "2026-11-01 08:00")
    status = " ".join(run("status", "--as-of", "2026-11-02 09:00").stdout.split())
    assert "STarT Back (start of the episode) (backcare measure startback)" in status
    reminded = run("remind", "--as-of", "2026-11-02 20:00").stdout
    assert "(backcare measure startback)" in reminded
    assert "NAME" not in status + reminded


@pytest.mark.parametrize(
    ("ended_at", "problem"),
    [
        ("2999-10-01T00:00:00+00:00", "is in the future"),
        ("2026-10-01T00:00:00+00:00", "before"),  # ended a month before it was added
    ],
)
def test_an_imported_goal_cannot_end_in_the_future_or_before_it_began(
    run: Run, db_path: Path, tmp_path: Path, ended_at: str, problem: str
) -> None:
    # A goal ending in 2999 was listed as active, yet `goals remove` said "no entry g1":
    # stuck, and counted against the 3 for ever.
    run("log", "5", "--at", "2026-11-01 08:00")
    run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00")
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["goals"][0]["ended_at"] = ended_at
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    result = run("import", str(hostile), db=fresh)
    assert result.exit_code == 2, result.stdout
    assert "ended_at" in result.stderr and problem in result.stderr
    assert not fresh.exists() or row_counts(fresh).get("goal", 0) == 0


def test_undo_help_names_the_questionnaire_commands_it_reverts(run: Run) -> None:
    # `measure`, `goals add` and `goals remove` are journalled and undone, but the help's
    # list of what undo reverts left them out.
    run("log", "5", "--at", "2026-11-01 08:00")
    run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00")
    assert run("undo", "--yes").exit_code == 0
    assert "No activities yet" in run("goals", "list").stdout
    text = " ".join(run("undo", "-h").stdout.split())
    assert "measure" in text and "goals add/remove" in text


def _said(result: object) -> str:
    return " ".join(getattr(result, "stdout", "").split())


def test_import_span_and_already_count_include_questionnaires_and_goals(
    run: Run, tmp_path: Path
) -> None:
    # The goal (1 Nov) and the PSFS (2 Nov) come before the only event (10 Nov).
    run("log", "5", "--at", "2026-11-10 08:00")
    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("measure", "psfs", "--at", "2026-11-02 10:00", "--answers", "4").exit_code == 0
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    target = tmp_path / "other" / "t.db"
    first = run("import", str(exported), db=target)
    assert first.exit_code == 0, first.stderr
    assert "They span 2026-11-01 09:00 to 2026-11-10 08:00." in _said(first)
    again = run("import", str(exported), db=target)
    assert again.exit_code == 0, again.stderr
    assert "x.json: 3 entries already in the database." in _said(again)


def test_import_of_only_questionnaires_and_goals_reports_their_span_and_known_ones(
    run: Run, tmp_path: Path
) -> None:
    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("measure", "psfs", "--at", "2026-11-02 10:00", "--answers", "4").exit_code == 0
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    target = tmp_path / "other" / "t.db"
    dry = run("import", "--dry-run", str(exported), db=target)
    assert "They span 2026-11-01 09:00 to 2026-11-02 10:00." in _said(dry)
    first = run("import", str(exported), db=target)
    assert "They span 2026-11-01 09:00 to 2026-11-02 10:00." in _said(first)
    # One more questionnaire in the file: the known two are reported as skipped.
    assert run("measure", "psfs", "--at", "2026-11-03 10:00", "--answers", "6").exit_code == 0
    exported.unlink()
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    dry = run("import", "--dry-run", str(exported), db=target)
    assert "Skipped 2 already in the database (same uid)." in _said(dry)
    assert "They span 2026-11-03 10:00 to 2026-11-03 10:00." in _said(dry)
    second = run("import", str(exported), db=target)
    assert "Imported 1 questionnaire" in _said(second)
    assert "Skipped 2 already in the database (same uid)." in _said(second)
    assert "They span 2026-11-03 10:00 to 2026-11-03 10:00." in _said(second)


def test_an_imported_wrong_answer_count_is_worded_for_the_file(run: Run, tmp_path: Path) -> None:
    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("measure", "psfs", "--at", "2026-11-02 10:00", "--answers", "4").exit_code == 0
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["measures"][0]["answers"] = [4, 7]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "other" / "t.db"
    result = run("import", str(bad), db=target)
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "--answers" not in said  # the CLI's option, not in the file
    assert "measure 1 (measures[0]), field 'answers':" in said
    assert "PSFS has 1 item" in said and "the file gives 2" in said
    assert "7" not in said  # no answer value (health data)
    assert not target.exists()
    # The same count in a CSV's measure row (answers space-separated) names its line.
    csv_out = tmp_path / "x.csv"
    assert run("export", "csv", "-o", str(csv_out)).exit_code == 0
    text = csv_out.read_text(encoding="utf-8")
    assert ",psfs,4,4," in text
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text(text.replace(",psfs,4,4,", ",psfs,4,4 7,"), encoding="utf-8")
    result = run("import", str(bad_csv), db=target)
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "--answers" not in said and "field 'answers': PSFS has 1 item" in said
    assert "the file gives 2 answers" in said
    assert not target.exists()


def _long_lines(text: str, width: int) -> list[str]:
    """The output's lines (screen clears and carriage returns taken out) wider than `width`."""
    import re

    plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "\n", text).replace("\r", "")
    return [line for line in plain.split("\n") if len(line) > width]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "replies", "interrupt_after"),
    [("psfs", ["5"], None), ("rmdq", [], 0), ("startback", ["0"] * 9, None)],
)
def test_questionnaire_screens_fit_80_columns(
    tmp_path: Path, name: str, replies: list[str], interrupt_after: int | None
) -> None:
    import os
    import subprocess

    from tests.cli.test_measures import _backcare, _pty_measure

    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    env["COLUMNS"] = "80"
    if name == "psfs":
        add = [_backcare(), "--db", str(db), "goals", "add", "walk the dog"]
        subprocess.run(add, env=env, check=True, capture_output=True)
    code, text = _pty_measure(db, env, name, replies, interrupt_after=interrupt_after)
    assert code == (130 if interrupt_after is not None else 0), text
    assert "answer (" in text
    assert _long_lines(text, 80) == []


def test_fhir_score_value_form_is_fixed_per_instrument(run: Run, tmp_path: Path) -> None:
    # A mean (PSFS; the retired PEG's stored scores too, tests/cli/test_peg_retired.py) is a
    # decimal quantity even when whole; a count (Roland-Morris, STarT Back) an integer.
    from fhir.resources.R4B.bundle import Bundle

    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    answers = {
        "psfs": ["4", "5", "6"],
        "rmdq": [",".join(["1"] * 3 + ["0"] * 21)],
        "startback": ["1,0,0,0,1,1,1,0,4"],
    }
    minute = 0
    for name, given in answers.items():
        for text in given:
            minute += 1
            at = f"2026-11-02 09:{minute:02d}"
            assert run("measure", name, "--answers", text, "--at", at).exit_code == 0
    out = tmp_path / "b.json"
    assert run("export", "fhir", "-o", str(out)).exit_code == 0
    bundle = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    forms: dict[str, set[str]] = {}
    for response in (r for r in resources if r["resourceType"] == "QuestionnaireResponse"):
        name = response["text"]["div"]
        score = next(
            r
            for r in resources
            if r.get("derivedFrom", [{}])[0].get("reference", "").endswith(response["id"])
        )
        forms.setdefault(name, set()).update(k for k in score if k.startswith("value"))
    by_short = {
        short: next(v for k, v in forms.items() if short in k)
        for short in ("Patient-Specific", "Roland", "STarT")
    }
    assert by_short == {
        "Patient-Specific": {"valueQuantity"},
        "Roland": {"valueInteger"},
        "STarT": {"valueInteger"},
    }
    mean_whole = next(
        r
        for r in resources
        if r["resourceType"] == "Observation" and r.get("valueQuantity", {}).get("value") == 4
    )
    assert mean_whole["valueQuantity"]["unit"] == "{score}"
