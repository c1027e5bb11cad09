"""Issue 16 integrated: a 100-day episode through the real CLI and SQLite.

The rules and `status` read a 60-day window (`services._rules_history`). The questionnaire
views still need the episode's FIRST score of each instrument (the baseline of the change
verdict), and the LATEST score ever of each (the STarT Back risk group for the stratified
rules; RMDQ "has used it" for the schedule; PSFS's latest for its weekly point), however
old. These tests fail when those
rows are left to the window.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.conftest import Run

ONSET = date(2026, 8, 1)
AS_OF = "2026-11-09 10:00"  # day 101 of the episode: chronic, the start 100 days back
HIGH = "1,0,0,0,1,1,1,0,4"  # total 5, subscale 4: high risk
RMDQ_20 = ",".join(["1"] * 20 + ["0"] * 4)
RMDQ_10 = ",".join(["1"] * 10 + ["0"] * 14)


def _episode(run: Run, days: int = 100) -> None:
    """Pain 6 every 5 days from ONSET: one episode (no 7-day gap) of `days` days."""
    for d in range(0, days + 1, 5):
        at = (ONSET + timedelta(days=d)).isoformat()
        result = run("log", "6", "--at", f"{at} 09:00")
        assert result.exit_code == 0, result.stderr


def _measure(run: Run, name: str, answers: str, at: str) -> None:
    result = run("measure", name, "--answers", answers, "--at", at)
    assert result.exit_code == 0, result.stderr


@pytest.fixture
def long_episode(run: Run) -> Run:
    """Day 3 (outside the episode's first 24 h, 98 days back): STarT Back high, PSFS 3 and
    RMDQ 20; day 20: PSFS 8; day 97: RMDQ 10 (inside the window)."""
    _episode(run)
    assert run("goals", "add", "walk the dog", "--at", "2026-08-01 08:00").exit_code == 0
    _measure(run, "startback", HIGH, "2026-08-03 12:00")
    _measure(run, "psfs", "3", "2026-08-03 12:05")
    _measure(run, "rmdq", RMDQ_20, "2026-08-03 12:06")
    _measure(run, "psfs", "8", "2026-08-20 12:00")
    _measure(run, "rmdq", RMDQ_10, "2026-11-05 12:06")
    return run


def test_status_judges_the_change_from_the_episodes_first_score(long_episode: Run) -> None:
    result = long_episode("status", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert "Roland-Morris (RMDQ) 10 on 2026-11-05: meaningfully better since the first" in text
    assert "score, 20 (-10)" in text
    assert "first score of this episode" not in text
    assert "STarT Back on 2026-08-03: high risk" in text
    assert "PSFS (your activities) 8 on 2026-08-20: meaningfully better since the first" in text
    assert "score, 3 (+5)" in text

    view = json.loads(long_episode("status", "--json", "--as-of", AS_OF).stdout)
    by_name = {m["instrument"]: m for m in view["measures"]}
    assert by_name["rmdq"]["first"]["id"] == "m3"
    assert by_name["rmdq"]["latest"]["id"] == "m5"
    assert by_name["rmdq"]["count"] == 2
    assert by_name["psfs"]["first"]["id"] == "m2" and by_name["psfs"]["latest"]["id"] == "m4"


def test_stratified_rule_sees_a_startback_older_than_the_window(long_episode: Run) -> None:
    result = long_episode("check", "--json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    flags = {f["rule"] for f in json.loads(result.stdout)["flags"]}
    assert "risk.startback-high" in flags
    assert "risk.startback-high" in long_episode("check", "--as-of", AS_OF).stdout


def test_weekly_psfs_stays_due_after_its_last_score_left_the_window(long_episode: Run) -> None:
    """PSFS was last taken 81 days ago, its goal still active: asked weekly."""
    view = json.loads(long_episode("status", "--json", "--as-of", AS_OF).stdout)
    due = {(d["instrument"], d["point"]) for d in view["due"]["measures"]}
    assert ("psfs", "weekly") in due
    # measure-due waits for the day's reminder time (20:00 without a profile time)
    reminders = json.loads(long_episode("remind", "--json", "--as-of", "2026-11-09 20:30").stdout)
    (item,) = [r for r in reminders["due"] if r["id"] == "measure-due"]
    assert "PSFS" in item["text"]


def test_the_middle_of_a_long_episode_counts_every_score(run: Run) -> None:
    """A score in the left-out middle of the episode still counts (count is the episode's)."""
    _episode(run)
    _measure(run, "rmdq", RMDQ_20, "2026-08-03 12:05")
    _measure(run, "rmdq", RMDQ_20, "2026-08-10 12:05")
    _measure(run, "rmdq", RMDQ_10, "2026-08-17 12:05")
    _measure(run, "rmdq", RMDQ_10, "2026-11-05 12:05")
    view = json.loads(run("status", "--json", "--as-of", AS_OF).stdout)
    (rmdq,) = view["measures"]
    assert (rmdq["first"]["id"], rmdq["latest"]["id"], rmdq["count"]) == ("m1", "m4", 4)


def test_an_earlier_episodes_startback_does_not_fire(run: Run) -> None:
    """The latest STarT Back ever is loaded, but a score before the active episode's onset
    belongs to an earlier episode: no stratified flag."""
    run("log", "6", "--at", "2026-05-01 09:00")
    _measure(run, "startback", HIGH, "2026-05-01 12:00")
    _episode(run)
    flags = json.loads(run("check", "--json", "--as-of", AS_OF).stdout)["flags"]
    assert not [f for f in flags if f["rule"].startswith("risk.startback")]
