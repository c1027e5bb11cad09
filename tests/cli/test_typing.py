"""Input the way people type it (issue 15), through the real CLI and a real SQLite file:
times, did-you-mean for options, symptoms, treatments and guide topics, `7/10`, `-h`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcare.cli.context import local_zone
from tests.conftest import Run, row_counts


def history(run: Run, *args: str) -> list[dict]:
    result = run("history", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _nothing_stored(db_path: Path) -> bool:
    counts = row_counts(db_path)
    return sum(v for k, v in counts.items() if k != "alembic_version" and "profile" not in k) == 0


# --- times -----------------------------------------------------------------------------------


def test_at_takes_a_weekday_and_a_time(run: Run) -> None:
    result = run("log", "4", "--at", "20 Nov 2025 9am")
    assert result.exit_code == 0, result.stderr
    (entry,) = history(run, "--from", "2025-11-20", "--to", "Nov 20 2025")
    assert entry["at"] == "2025-11-20T09:00:00+00:00"


def test_a_time_the_clocks_skip_is_refused_and_nothing_is_stored(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    local_zone.cache_clear()
    result = run("log", "5", "--at", "2026-03-29 02:30")
    assert result.exit_code == 2
    assert '"2026-03-29 02:30"' in result.stderr and "clocks jump forward" in result.stderr
    assert "5" not in result.stderr.replace("2026-03-29 02:30", "")
    assert _nothing_stored(db_path)


def test_a_repeated_time_is_the_first_and_the_confirmation_says_so(run: Run) -> None:
    result = run("log", "3", "--at", "2025-10-26 01:30")
    assert result.exit_code == 0, result.stderr
    assert "happens twice" in result.stdout and "first" in result.stdout
    (entry,) = history(run, "--from", "2025-10-26", "--to", "2025-10-26")
    assert entry["at"] == "2025-10-26T01:30:00+01:00"


def test_an_ambiguous_slashed_date_offers_both_readings(run: Run, db_path: Path) -> None:
    result = run("log", "5", "--at", "3/4/2025")
    assert result.exit_code == 2
    assert "2025-03-04" in result.stderr and "2025-04-03" in result.stderr
    assert _nothing_stored(db_path)
    result = run("history", "--from", "11/20")
    assert result.exit_code == 2 and "--from" in result.stderr and "11/20" in result.stderr


def test_errors_repeat_the_time_but_not_other_values(run: Run) -> None:
    result = run("log", "8", "--at", "teatime", "--note", "secret note")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first == 'backcare: error: "teatime" is not a time backcare understands'
    assert "secret" not in result.stderr


def test_from_takes_relative_words(run: Run) -> None:
    assert run("log", "2", "--at", "-3d").exit_code == 0
    assert run("log", "6", "--at", "-1h").exit_code == 0
    assert [e["pain"] for e in history(run, "--from", "-2d")] == [6]
    assert [e["pain"] for e in history(run, "--from", "1 week ago", "--to", "today")] == [2, 6]
    assert run("summary", "--from", "-7d", "--json").exit_code == 0


def test_help_documents_the_grammar(run: Run) -> None:
    top = run("--help")
    assert "last night" in top.stdout and "11/20 is refused" in top.stdout
    log_help = run("log", "-h")
    assert log_help.exit_code == 0
    assert "yesterday at this time of day" in " ".join(log_help.stdout.split())


# --- did you mean ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("log", "--spasm", "3", "5"), "did you mean --spasms?"),
        (("log", "5", "--wher", "lower"), "did you mean --where?"),
        (("log", "--pain", "6"), "`backcare log PAIN`"),
        (("history", "--dys", "3"), "did you mean --days?"),
        (("treat", "ice", "--minute", "10"), "did you mean --minutes?"),
        (("db", "backup", "--forse", "x"), "`backcare db backup -h`"),
        (("lg", "5"), "Did you mean 'log'?"),
        (("treat", "icee"), "did you mean ice?"),
        (("treat", "strech"), "did you mean stretching?"),
        (("treat", "ibuprofn"), "Did you mean ibuprofen?"),
        (("symptom", "tinglng"), "did you mean leg-numbness?"),
        (("symptom", "fevr"), "did you mean fever?"),
        (("guide", "medcines"), "did you mean `backcare guide medicines`?"),
    ],
)
def test_did_you_mean(run: Run, db_path: Path, args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.stdout
    assert expected in result.stderr + result.stdout
    assert "unexpected extra argument" not in result.stderr
    assert _nothing_stored(db_path)


def test_negative_pain_still_gets_the_pain_range(run: Run) -> None:
    result = run("log", "-1")
    assert result.exit_code == 2 and "PAIN must be a whole number" in result.stderr


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("tingling", "leg-numbness"),
        ("numb leg", "leg-numbness"),
        ("pins and needles", "leg-numbness"),
        ("Fever", "fever"),
    ],
)
def test_symptoms_in_plain_words(run: Run, words: str, code: str) -> None:
    result = run("symptom", words, "--at", "-1h")
    assert result.exit_code == 0, result.stderr
    assert [e["code"] for e in history(run)] == [code]


def test_treatment_words(run: Run) -> None:
    assert run("treat", "ice pack", "--minutes", "15", "--at", "-1h").exit_code == 0
    assert run("treat", "physio", "--at", "-1h").exit_code == 0
    assert [e["kind"] for e in history(run)] == ["ice", "physical-therapy"]


def test_guide_ice_is_ice_heat(run: Run) -> None:
    result = run("guide", "ice")
    assert result.exit_code == 0
    assert result.stdout == run("guide", "ice-heat").stdout


def test_seven_out_of_ten_is_pain_seven(run: Run) -> None:
    assert run("log", "7/10", "--at", "-1m").exit_code == 0
    assert run("treat", "heat", "--relief", "3/10", "--at", "-1m").exit_code == 0
    assert [e.get("pain") or e.get("relief") for e in history(run)] == [7, 3]
    assert run("log", "11/10").exit_code == 2


@pytest.mark.parametrize(
    "args",
    [("-h",), ("log", "-h"), ("db", "-h"), ("db", "backup", "-h"), ("meds", "prescribe", "-h")],
)
def test_dash_h_works_everywhere(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")


@pytest.mark.parametrize(
    "args, line, hint",
    [
        (("--bogus", "log", "5"), "`backcare` has no option --bogus", "`backcare -h` lists"),
        (("--verison",), "`backcare` has no option --verison", "did you mean --version?"),
        (
            ("--spasms", "3", "log", "5"),
            "`backcare` has no option --spasms",
            "come after it: `backcare log ... --spasms`",
        ),
    ],
)
def test_an_unknown_option_before_the_command_gets_our_message(
    run: Run, args: tuple[str, ...], line: str, hint: str
) -> None:
    """Issue 15: `backcare --bogus log 5` is answered like `log --bogus`, not by Typer."""
    result = run(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"backcare: error: {line}" and len(lines) == 2
    assert hint in lines[1]
    assert "Usage:" not in result.stderr and result.stdout == ""
