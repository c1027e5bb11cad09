"""`summary` with questionnaires (issue 16): each measure by week, the meaningful-change
mark where a published figure exists. Built in the domain and drawn by cli/render.py (the
measures' storage comes with the measures branch)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from backcare.cli import render
from backcare.domain.model import History, Measure, PainEntry
from backcare.domain.outcomes import PEG, PSFS, RMDQ, better_target, weekly_series
from backcare.domain.summary import summarize

LON = ZoneInfo("Europe/London")
ONSET = datetime(2026, 1, 5, 9, 0, tzinfo=LON)  # a Monday
START, END = date(2026, 1, 5), date(2026, 2, 1)  # four weeks


def rmdq(day: int, yes: int, id: int) -> Measure:
    answers = (1,) * yes + (0,) * (24 - yes)
    return Measure(at=ONSET + timedelta(days=day), instrument=RMDQ, answers=answers, id=id)


HISTORY = History(
    pain=tuple(PainEntry(at=ONSET + timedelta(days=d), pain=5) for d in range(28)),
    measures=(
        rmdq(0, 12, 1),
        rmdq(3, 10, 2),  # same week: the latest of the week (10) is shown
        rmdq(14, 8, 3),
        Measure(at=ONSET + timedelta(days=8), instrument=PEG, answers=(6, 6, 7), id=4),
    ),
)


@pytest.mark.parametrize(
    ("instrument", "first", "target"),
    [
        (RMDQ, 12, Fraction(42, 5)),  # 30 % of 12 = 3.6 < 5 points: 8.4
        (RMDQ, 20, 15),  # 5 points < 30 % of 20 (6): 15
        (RMDQ, 2, Fraction(7, 5)),
        (PEG, 7, None),
        (PSFS, 3, Fraction(53, 10)),  # 3 + 2.3 (higher is better)
        (PSFS, 9, 10),  # clamped to the scale
    ],
)
def test_the_mark_is_where_the_change_becomes_meaningful(
    instrument: str, first: int, target: Fraction | None
) -> None:
    assert better_target(instrument, Fraction(first)) == target


def test_weekly_series_keeps_the_latest_score_of_each_week() -> None:
    (peg, rmdq_series) = weekly_series(HISTORY, START, END, LON)
    assert rmdq_series.weeks == (START, date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26))
    assert [None if s is None else s.score for s in rmdq_series.scores] == [10, None, 8, None]
    assert rmdq_series.first.score == 12 and rmdq_series.target == Fraction(42, 5)
    assert peg.instrument == PEG and peg.target is None


def row(label: str, filled: int, value: str, mark: int | None = None) -> str:
    """A chart row by hand: 41 cells (40 = the top of the scale), `|` at the mark."""
    cells = ["█"] * filled + [" "] * (41 - filled)
    if mark is not None:
        cells[mark] = "|"
    return f"  {label}  {''.join(cells)} {value}"


def test_summary_draws_each_measure_with_its_mark(capsys: pytest.CaptureFixture[str]) -> None:
    render.summary(summarize(HISTORY, START, END, LON), rich=False)
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("Questionnaires:")
    # PEG 19/3 of 10 -> 25.3 of 40 cells -> 25; RMDQ 10 of 24 -> 16.7 -> 17, 8 -> 13.3 -> 13;
    # the mark 8.4 of 24 -> exactly 14
    assert lines[at + 1 : at + 13] == [
        "PEG (no longer asked) by week (0-10, lower is better; latest score of each week)",
        "no mark: no published threshold for a meaningful change was confirmed",
        row("01-05", 0, "–"),
        row("01-12", 25, "6.3"),
        row("01-19", 0, "–"),
        row("01-26", 0, "–"),
        "Roland-Morris (RMDQ) by week (0-24, lower is better; latest score of each week)",
        "| = meaningfully better than the first score (12): 8.4 or lower",
        row("01-05", 17, "10", mark=14),
        row("01-12", 0, "–", mark=14),
        row("01-19", 13, "8", mark=14),
        row("01-26", 0, "–", mark=14),
    ]
    assert max(len(line) for line in lines) <= 80


def test_no_questionnaire_section_without_scores(capsys: pytest.CaptureFixture[str]) -> None:
    render.summary(summarize(History(pain=HISTORY.pain), START, END, LON), rich=False)
    assert "Questionnaires:" not in capsys.readouterr().out


def test_summary_json_carries_each_series() -> None:
    from backcare.domain.summary import summary_as_dict
    from backcare.messages import ASSOCIATION_CAVEAT

    data = summary_as_dict(summarize(HISTORY, START, END, LON), caveat=ASSOCIATION_CAVEAT)
    rmdq_json = next(m for m in data["measures"] if m["instrument"] == RMDQ)
    assert rmdq_json["first"] == {"id": "m1", "score": 12}
    assert rmdq_json["better_at"] == 8.4
    assert [(w["from"], w["score"]) for w in rmdq_json["weeks"]] == [
        ("2026-01-05", 10),
        ("2026-01-12", None),
        ("2026-01-19", 8),
        ("2026-01-26", None),
    ]
    peg_json = next(m for m in data["measures"] if m["instrument"] == PEG)
    assert peg_json["better_at"] is None and peg_json["weeks"][1]["score"] == 6.33
