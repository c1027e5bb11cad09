"""`backcare guide` (the index) follows the phase of the episode (issue 16), through the real
CLI and database: pain logged over more than 12 weeks puts the long-lasting page first."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.conftest import Run

ONSET = datetime(2026, 1, 5, 9, 0)


def topics(stdout: str) -> list[str]:
    return [line.split()[0] for line in stdout.splitlines() if line.startswith("  ")]


def log_every_5_days(run: Run, days: int) -> None:
    for d in range(0, days + 1, 5):
        at = (ONSET + timedelta(days=d)).strftime("%Y-%m-%d %H:%M")
        assert run("log", "5", "--at", at).exit_code == 0


def test_the_index_puts_the_chronic_page_first_after_12_weeks(run: Run) -> None:
    log_every_5_days(run, 90)
    result = run("guide", "--as-of", "2026-04-05 10:00")  # 90 days: chronic
    assert result.exit_code == 0, result.stderr
    assert "Your episode is in its chronic phase (over 12 weeks)" in result.stdout
    assert topics(result.stdout)[0] == "long-lasting"
    assert topics(result.stdout)[-2:] == ["first-aid", "ice-heat"]
    early = run("guide", "--as-of", "2026-01-06 10:00")  # day 2: acute
    assert "acute phase (under 6 weeks)" in early.stdout
    assert topics(early.stdout)[0] == "first-aid"


def test_without_a_database_the_usual_order(run: Run) -> None:
    result = run("guide")
    assert result.exit_code == 0 and "phase" not in result.stdout
    assert topics(result.stdout)[0] == "first-aid"
