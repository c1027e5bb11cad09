"""Issue 15, "One truth everywhere": the same fact reads the same in every command.

Issue 15: episode day N is a calendar count (the onset's local day is day 1); every
mean is rounded half up (domain/numbers.py); a day without entries is "–", not 0.
"""

from __future__ import annotations

import json
import re

import pytest

from backcare.domain.numbers import mean_str, round_half_up, whole
from tests.conftest import Run

AS_OF = "2026-03-03 10:00"


def _episode_log(run: Run) -> None:
    # Onset late on Monday evening: 12 h later it is Tuesday, the episode's second day.
    run("log", "6", "--at", "2026-03-02 22:00")
    run("log", "7", "--at", "2026-03-03 08:00")


def test_episode_day_is_the_same_in_status_report_and_check_json(run: Run) -> None:
    _episode_log(run)
    status = run("status", "--as-of", AS_OF).stdout
    report = run("report", "--format", "md", "--as-of", AS_OF).stdout
    check = json.loads(run("check", "--json", "--as-of", AS_OF).stdout)
    assert "Episode day 2," in status
    assert "; day 2 (12 h)" in report
    assert check["episode"]["day"] == 2
    status_json = json.loads(run("status", "--json", "--as-of", AS_OF).stdout)
    assert status_json["episode"]["day"] == 2


def test_episode_day_1_is_the_onset_calendar_day(run: Run) -> None:
    run("log", "5", "--at", "2026-03-02 00:30")
    # 23 h later, still the onset's calendar day.
    status = run("status", "--as-of", "2026-03-02 23:30").stdout
    check = json.loads(run("check", "--json", "--as-of", "2026-03-02 23:30").stdout)
    assert "Episode day 1," in status and check["episode"]["day"] == 1


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(6.5, 0, 7.0), (6.25, 1, 6.3), (6.35, 1, 6.4), (6.45, 1, 6.5), (2.5, 0, 3.0), (6.0, 1, 6.0)],
)
def test_round_half_up(value: float, digits: int, expected: float) -> None:
    assert round_half_up(value, digits) == expected


def test_mean_helpers() -> None:
    assert (whole(6.5), whole(6.49), mean_str(6.25), mean_str(7.0)) == (7, 6, "6.3", "7.0")


def _half_day(run: Run) -> None:
    # 2 Mar: pain 6 and 7, mean 6.5. 3 Mar: 6, 6, 7, 6 -> mean 6.25.
    for at, pain in (("2026-03-02 09:00", "6"), ("2026-03-02 10:00", "7")):
        run("log", pain, "--at", at)
    for hour, pain in ((9, "6"), (10, "6"), (11, "7"), (12, "6")):
        run("log", pain, "--at", f"2026-03-03 {hour:02d}:00")


def test_heat_map_and_bar_chart_round_a_mean_of_6_5_the_same_way(run: Run) -> None:
    _half_day(run)
    out = run("summary", "--from", "2026-02-03", "--to", "2026-03-03").stdout
    # Heat map row of the week of Mon 2 Mar: Mo 7 (6.5 half up), Tu 6 (6.25).
    heat = out.split("week of      Mo Tu We Th Fr Sa Su")[1]
    [row] = [line for line in heat.splitlines() if line.startswith("2026-03-02   ")]
    assert row.split()[1:3] == ["7", "6"]
    # Bar chart (29 days, 2 columns a day, axis 6 wide): 2 Mar is day 28, its bar is 7 rows.
    chart = out.split("Daily mean pain (0-10)")[1].split("   0 +")[0].splitlines()[1:]
    column = 6 + 27 * 2
    assert sum(1 for line in chart if line[column : column + 1] == "█") == 7
    assert sum(1 for line in chart if line[column + 2 : column + 3] == "█") == 6


def test_one_decimal_mean_is_half_up_in_summary_and_report(run: Run) -> None:
    _half_day(run)
    summary = run("summary", "--from", "2026-03-01", "--to", "2026-03-03").stdout
    assert re.search(r"^2026-03-03\s+6\.3\s+7\b", summary, re.M)
    report = run("report", "--format", "md", "--days", "3", "--as-of", "2026-03-03 23:00").stdout
    assert "| 3 Mar | 6.3 | 7 |" in report


def test_days_without_entries_are_a_dash_not_zero(run: Run) -> None:
    run("log", "4", "--at", "2026-03-03 09:00")
    run("treat", "ice", "--at", "2026-03-02 09:00")  # a day with care but no pain entry
    summary = run("summary", "--from", "2026-03-01", "--to", "2026-03-03").stdout
    [row] = [line for line in summary.splitlines() if line.startswith("2026-03-02 ")]
    assert row.split()[1:4] == ["–", "–", "–"]
    report = run("report", "--format", "md", "--days", "3", "--as-of", "2026-03-03 23:00").stdout
    assert "| 1 Mar | – | – | – |" in report


def test_plurals_read_right(run: Run) -> None:
    run("log", "6", "--at", "2026-03-03 09:00")
    run("treat", "ice", "--at", "2026-03-03 09:30")
    run("log", "5", "--at", "2026-03-03 11:00")
    summary = run("summary", "--from", "2026-03-03", "--to", "2026-03-03").stdout
    assert "1 pair:" in summary and "1 pairs" not in summary
    assert "(1 day," in summary
    report = run("report", "--format", "md", "--days", "1", "--as-of", "2026-03-03 23:00").stdout
    assert "(1 day)" in report and "1 days" not in report


def test_report_says_what_mg_per_day_averages(run: Run) -> None:
    run("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-02 09:00")
    run("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-02 17:00")
    run("treat", "ibuprofen", "--dose", "200", "--at", "2026-03-03 09:00")
    report = run("report", "--format", "md", "--days", "3", "--as-of", "2026-03-03 23:00").stdout
    assert "mean mg/day taken" in report
    # The medicines table is wider than 80 columns: a list, one item per drug.
    items = report.replace("\n  ", " ")
    assert (
        "- **ibuprofen**: days 2; doses 3; max doses/day 2; mean mg/day taken 500; "
        "max mg/day 800; first 2 Mar; last 3 Mar"
    ) in items
    assert "divided by the days the drug was taken" in report


def test_symptom_notes_reach_the_report(run: Run) -> None:
    run("log", "6", "--at", "2026-03-02 08:00")
    run("symptom", "fever", "--note", "38.2 °C", "--at", "2026-03-02 09:00")
    run("symptom", "walking-difficulty", "--note", "legs gave way", "--at", "2026-03-02 10:00")
    md = run("report", "--format", "md", "--days", "2", "--as-of", "2026-03-02 12:00").stdout
    items = md.replace("\n  ", " ").splitlines()  # list items are wrapped to 80 columns
    # Two symptoms with long questions: the table is a list (80 columns).
    assert (
        "- **fever**: question Fever (38 °C / 100.4 °F or higher)?; reported 2 Mar; "
        "reported absent –; notes 2 Mar: 38.2 °C"
    ) in items
    # A recorded symptom is never answered "not recorded".
    [weak] = [line for line in items if "Weak or clumsy" in line]
    assert "not recorded" not in weak and "legs gave way" in weak
    html = run("report", "--format", "html", "--days", "2", "--as-of", "2026-03-02 12:00").stdout
    # on paper the notes stand in the Notes section (the symptom table has no notes column)
    assert "2 Mar, symptom fever: “38.2 °C”" in html


def test_summary_shows_the_episode_day_like_status_and_check(run: Run) -> None:
    """Issue 15: summary has the same episode day (as of the period's end, or now)."""
    _episode_log(run)
    period = ("--from", "2026-03-01", "--to", "2026-03-03")
    text = run("summary", *period).stdout
    assert "Episode day 2 (onset 2026-03-02 22:00)" in text
    data = json.loads(run("summary", *period, "--json").stdout)
    assert data["episode"]["day"] == 2
    assert data["episode"]["onset"].startswith("2026-03-02T22:00")
    check = json.loads(run("check", "--json", "--as-of", "2026-03-03 23:59").stdout)
    assert check["episode"]["day"] == data["episode"]["day"]
    # A period that ends before the onset has no episode.
    before = json.loads(
        run("summary", "--from", "2026-02-20", "--to", "2026-03-01", "--json").stdout
    )
    assert before["episode"] is None
    assert "Episode day" not in run("summary", "--from", "2026-02-20", "--to", "2026-03-01").stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_onset_note_reaches_the_report(run: Run, fmt: str) -> None:
    """Issue 15: the note of the pain entry that starts the episode is in the report, even
    when the onset is before the report's period."""
    run("log", "7", "--at", "2026-03-01 09:00", "--note", "lifted a heavy box")
    for day in range(3, 13, 2):
        run("log", "5", "--at", f"2026-03-{day:02d} 09:00")
    report = run("report", "--format", fmt, "--days", "7", "--as-of", "2026-03-12 12:00").stdout
    assert "lifted a heavy box" in report
    assert "Onset 2026-03-01 09:00" in report


def test_an_onset_note_inside_the_period_is_quoted_once(run: Run) -> None:
    run("log", "7", "--at", "2026-03-08 09:00", "--note", "lifted a heavy box")
    run("log", "5", "--at", "2026-03-10 09:00")
    report = run("report", "--format", "md", "--days", "7", "--as-of", "2026-03-12 12:00").stdout
    assert report.count("lifted a heavy box") == 1
