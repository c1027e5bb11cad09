"""Issue 15, "Never nagged twice": tips fit the moment, through the real CLI and database."""

from __future__ import annotations

from tests.conftest import Run


def test_no_tip_after_an_urgent_flag(run: Run) -> None:
    result = run("log", "7", "--symptom", "fever")
    assert result.exit_code == 0, result.stderr
    assert "red-flag.fever" in result.stdout
    assert "Tip:" not in result.stdout


def test_the_same_tip_is_not_shown_twice_in_a_day(run: Run) -> None:
    # Both entries at the real "now" (the tip after `log` is for now); same local day.
    first = run("log", "6")
    assert "Tip: Day 1 of this episode" in first.stdout
    second = run("log", "5")
    assert second.exit_code == 0
    assert "Logged p2" in second.stdout and "Tip:" not in second.stdout


def test_status_does_not_say_easing_beside_no_improvement_after_72h(run: Run) -> None:
    run("log", "8", "--at", "2026-03-02 08:00")
    run("log", "7", "--at", "2026-03-05 20:00")
    out = run("status", "--as-of", "2026-03-05 21:00").stdout
    assert "course.no-improvement-72h" in out
    assert "Tip:" in out and "easing" not in out
