"""domain/outcomes.py: scoring, meaningful change at each edge, the schedule, the phase.

Table-driven, with a fixed onset and `as_of`; no mocks. Scores are exact fractions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Goal, History, Measure, PainEntry
from backcare.domain.outcomes import (
    ACUTE,
    BETTER,
    CHRONIC,
    HIGH,
    LOW,
    MEDIUM,
    NO_CHANGE,
    PAIN,
    PEG,
    PSFS,
    RMDQ,
    STARTBACK,
    SUBACUTE,
    WORSE,
    Due,
    episode_changes,
    episode_phase,
    latest_startback,
    measures_due,
    phase_of,
    scored,
    verdict,
)

ONSET = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
LON = ZoneInfo("Europe/London")


def at(days: float = 0, hours: float = 0, seconds: float = 0) -> datetime:
    return ONSET + timedelta(days=days, hours=hours, seconds=seconds)


def measure(instrument: str, answers: tuple[int, ...], when: datetime, id: int = 1) -> Measure:
    # a PSFS rating names the activities it rated (one per answer)
    goals = tuple(f"activity {n}" for n in range(len(answers))) if instrument == PSFS else ()
    return Measure(at=when, instrument=instrument, answers=answers, goals=goals, id=id)


def startback(agree: int, psychosocial: int, when: datetime = ONSET, item9: int = 4) -> Measure:
    """A STarT Back with `agree` agreements among items 1-4 and `psychosocial` among 5-9."""
    first = (1,) * agree + (0,) * (4 - agree)
    rest = [1] * min(psychosocial, 4) + [0] * (4 - min(psychosocial, 4))
    nine = item9 if psychosocial == 5 else 0
    return measure(STARTBACK, (*first, *rest, nine), when)


def daily_pain(days: int) -> tuple[PainEntry, ...]:
    """Pain 5 every day from the onset, so the episode stays active."""
    return tuple(PainEntry(at=at(d), pain=5) for d in range(days + 1))


# --- Scoring ----------------------------------------------------------------------------------


def test_peg_is_the_mean_of_its_three_items() -> None:
    assert scored(measure(PEG, (7, 6, 6), ONSET)).score == Fraction(19, 3)


def test_rmdq_is_the_sum_of_yes_answers() -> None:
    answers = (1,) * 9 + (0,) * 15
    assert scored(measure(RMDQ, answers, ONSET)).score == 9


def test_psfs_is_the_mean_of_the_ratings() -> None:
    assert scored(measure(PSFS, (3, 4), ONSET)).score == Fraction(7, 2)


@pytest.mark.parametrize(
    ("item9", "counts"), [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)]
)  # not at all, slightly, moderately: 0; very much, extremely: 1
def test_startback_item_9_counts_from_very_much(item9: int, counts: int) -> None:
    s = scored(measure(STARTBACK, (0, 0, 0, 0, 1, 1, 1, 1, item9), ONSET))
    assert (s.score, s.subscale) == (4 + counts, 4 + counts)


@pytest.mark.parametrize(
    ("agree", "psychosocial", "risk"),
    [(0, 3, LOW), (1, 3, MEDIUM), (0, 4, HIGH), (4, 3, MEDIUM), (4, 5, HIGH), (3, 0, LOW)],
)
def test_startback_scored_from_answers(agree: int, psychosocial: int, risk: str) -> None:
    s = scored(startback(agree, psychosocial))
    assert (s.score, s.subscale, s.risk) == (agree + psychosocial, psychosocial, risk)


# --- Meaningful change ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "first", "latest", "expected"),
    [
        # pain NRS: 2 points or 30 % of the first score (Farrar 2001; Ostelo 2008)
        (PAIN, 8, 6, BETTER),  # exactly 2 points
        (PAIN, 8, Fraction(61, 10), NO_CHANGE),  # 1.9 points, 23.75 %
        (PAIN, 5, Fraction(35, 10), BETTER),  # 1.5 points = exactly 30 % of 5
        (PAIN, 5, Fraction(351, 100), NO_CHANGE),  # 1.49 points: just under 30 %
        (PAIN, 4, 6, WORSE),  # 2 points up
        (PAIN, 4, Fraction(59, 10), NO_CHANGE),  # 1.9 up: a share does not make it worse
        (PAIN, 0, 0, NO_CHANGE),
        # RMDQ: 5 points or 30 % (Ostelo 2008)
        (RMDQ, 20, 15, BETTER),  # exactly 5 points (25 %)
        (RMDQ, 20, 16, NO_CHANGE),  # 4 points, 20 %
        (RMDQ, 10, 7, BETTER),  # 3 points = exactly 30 % of 10
        (RMDQ, 11, 8, NO_CHANGE),  # 3 points = 27 % of 11
        (RMDQ, 10, 15, WORSE),  # 5 points up
        (RMDQ, 10, 14, NO_CHANGE),  # 4 up (40 %): points only for worse
        (RMDQ, 1, 2, NO_CHANGE),
        (RMDQ, 1, 0, BETTER),  # 100 % of the first score
    ],
)
def test_verdict_at_each_edge(
    instrument: str, first: int | Fraction, latest: int | Fraction, expected: str
) -> None:
    assert verdict(instrument, Fraction(first), Fraction(latest)) == expected


@pytest.mark.parametrize(
    ("first", "latest", "expected"),
    [
        # PSFS (higher is better): 2.3 points on the mean (Abbott & Schmitt 2014, MID for a
        # medium change); no share. Means of 3 ratings move in thirds.
        (Fraction(2), Fraction(43, 10), BETTER),  # exactly 2.3 up
        (Fraction(2), Fraction(42, 10), NO_CHANGE),  # 2.2 up
        (Fraction(1), Fraction(10, 3), BETTER),  # 7/3 = 2.33 up
        (Fraction(1), Fraction(3), NO_CHANGE),  # 2 up: under 2.3
        (Fraction(5), Fraction(27, 10), WORSE),  # exactly 2.3 down
        (Fraction(5), Fraction(3), NO_CHANGE),  # 2 down
        (Fraction(8), Fraction(1), WORSE),
    ],
)
def test_psfs_verdict_at_each_edge(first: Fraction, latest: Fraction, expected: str) -> None:
    assert verdict(PSFS, first, latest) == expected


@pytest.mark.parametrize("instrument", [PEG, STARTBACK])
def test_no_verdict_without_a_confirmed_figure(instrument: str) -> None:
    assert verdict(instrument, Fraction(8), Fraction(1)) is None
    assert verdict(instrument, Fraction(1), Fraction(8)) is None


def test_a_change_of_thirds_is_judged_exactly() -> None:
    # 26/3 -> 20/3 is exactly 2 points; in floats 8.666.. - 6.666.. can miss it
    assert verdict(PAIN, Fraction(26, 3), Fraction(20, 3)) == BETTER


def test_episode_changes_compare_the_latest_with_the_first_score_of_the_episode() -> None:
    before = measure(RMDQ, (1,) * 24, ONSET - timedelta(days=30), id=1)  # an earlier episode
    first = measure(RMDQ, (1,) * 12 + (0,) * 12, at(1), id=2)
    middle = measure(RMDQ, (1,) * 2 + (0,) * 22, at(7), id=3)
    latest = measure(RMDQ, (1,) * 7 + (0,) * 17, at(14), id=4)
    peg = measure(PEG, (6, 6, 6), at(1), id=5)
    history = History(pain=daily_pain(14), measures=(latest, before, first, middle, peg))
    found = {c.instrument: c for c in episode_changes(history, at(14, 1))}
    rmdq = found[RMDQ]
    assert (rmdq.first.ref, rmdq.latest.ref, rmdq.count) == ("m2", "m4", 3)
    assert rmdq.delta == -5 and rmdq.verdict == BETTER
    assert found[PEG].count == 1 and found[PEG].verdict is None  # one score: nothing to compare
    assert list(found) == [PEG, RMDQ]  # INSTRUMENTS order


def test_no_changes_without_an_active_episode() -> None:
    history = History(pain=daily_pain(1), measures=(measure(PEG, (5, 5, 5), at(1)),))
    assert episode_changes(history, at(30)) == ()


def test_the_latest_startback_of_the_episode() -> None:
    history = History(
        pain=daily_pain(15),
        measures=(startback(0, 4, at(1)), startback(1, 0, at(14))),
    )
    latest = latest_startback(history, at(15))
    assert latest is not None and latest.risk == LOW and latest.at == at(14)
    assert latest_startback(history, at(13)).risk == HIGH  # type: ignore[union-attr]


# --- Phase -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "phase"),
    [
        (timedelta(0), ACUTE),
        (timedelta(weeks=6) - timedelta(seconds=1), ACUTE),
        (timedelta(weeks=6), SUBACUTE),  # exactly 6 weeks: subacute
        (timedelta(weeks=12), SUBACUTE),  # exactly 12 weeks: still subacute
        (timedelta(weeks=12, seconds=1), CHRONIC),
        (timedelta(weeks=30), CHRONIC),
    ],
)
def test_phase_edges(age: timedelta, phase: str) -> None:
    assert phase_of(ONSET, ONSET + age) == phase


def test_phase_counts_elapsed_time_across_a_clock_change() -> None:
    onset = datetime(2026, 3, 1, 12, 0, tzinfo=LON)  # GMT; 6 weeks later is BST (+1)
    assert phase_of(onset, datetime(2026, 4, 12, 12, 59, tzinfo=LON)) == ACUTE
    assert phase_of(onset, datetime(2026, 4, 12, 13, 0, tzinfo=LON)) == SUBACUTE


def test_episode_phase_needs_an_active_episode() -> None:
    history = History(pain=daily_pain(90))
    assert episode_phase(history, at(90)) == CHRONIC
    assert episode_phase(History(), at(1)) is None


# --- Schedule --------------------------------------------------------------------------------


def due(history: History, when: datetime) -> list[tuple[str, str]]:
    return [(d.instrument, d.point) for d in measures_due(history, when)]


LONG_AGO = ONSET - timedelta(days=200)
# RMDQ is asked once the person has used it (one score, an episode ago); the retired PEG is
# never asked, even of someone who took it before.
USED = (measure(PEG, (5, 5, 5), LONG_AGO, id=90), measure(RMDQ, (0,) * 24, LONG_AGO, id=91))


def used(days: int, *measures: Measure, goals: tuple[Goal, ...] = ()) -> History:
    return History(pain=daily_pain(days), measures=(*USED, *measures), goals=goals)


def test_nothing_is_due_before_the_episode_is_24_hours_old() -> None:
    history = used(1)
    assert due(history, at(hours=24) - timedelta(seconds=1)) == []
    assert due(history, at(hours=24)) == [
        (STARTBACK, "start"),
        (RMDQ, "start"),
    ]


def test_nothing_is_due_without_an_episode() -> None:
    assert measures_due(History(), at(3)) == ()


def test_only_startback_is_asked_of_someone_who_never_used_a_questionnaire() -> None:
    assert due(History(pain=daily_pain(2)), at(2)) == [(STARTBACK, "start")]
    assert due(History(pain=daily_pain(20)), at(14)) == [(STARTBACK, "week-2")]
    assert due(History(pain=daily_pain(50)), at(42)) == []  # RMDQ week 6: never used


def test_rmdq_is_optional() -> None:
    found = measures_due(used(2), at(2))
    assert Due(RMDQ, "start", optional=True) in found
    assert Due(STARTBACK, "start", optional=False) in found


@pytest.mark.parametrize(
    ("when", "startback_due"),
    [
        (at(3) - timedelta(seconds=1), "start"),  # the last second of the first 3 days
        (at(3), None),  # the start window has closed
        (at(14) - timedelta(seconds=1), None),
        (at(14), "week-2"),
        (at(21) - timedelta(seconds=1), "week-2"),
        (at(21), None),
    ],
)
def test_startback_windows(when: datetime, startback_due: str | None) -> None:
    history = History(pain=daily_pain(30))
    found = [p for i, p in due(history, when) if i == STARTBACK]
    assert found == ([] if startback_due is None else [startback_due])


def test_startback_taken_in_the_window_meets_the_point() -> None:
    history = History(pain=daily_pain(30), measures=(startback(0, 0, at(1)),))
    assert (STARTBACK, "start") not in due(history, at(2))
    # the start score does not meet week 2, nor does a score on day 13
    assert (STARTBACK, "week-2") in due(history, at(14))
    early = History(pain=daily_pain(30), measures=(startback(0, 0, at(13)),))
    assert (STARTBACK, "week-2") in due(early, at(14))
    on_time = History(pain=daily_pain(30), measures=(startback(0, 0, at(14)),))
    assert (STARTBACK, "week-2") not in due(on_time, at(14, hours=1))


@pytest.mark.parametrize(
    ("days", "point"),
    [(1, "start"), (14, "week-2"), (42, "week-6"), (84, "week-12"), (48.99, "week-6")],
)
def test_rmdq_points(days: float, point: str) -> None:
    history = used(100)
    assert (RMDQ, point) in due(history, at(days))


@pytest.mark.parametrize("days", [3, 13.9, 21, 41.9, 49, 83.9, 91])
def test_rmdq_not_due_between_points(days: float) -> None:
    history = used(100)
    assert [p for i, p in due(history, at(days)) if i == RMDQ] == []


def test_the_retired_peg_is_never_due_even_for_someone_who_took_it() -> None:
    """PEG was weekly once taken (main 24f5551: due 7 days after the latest); it is no longer
    asked (its terms of use could not be confirmed), so no schedule names it."""
    taken = History(pain=daily_pain(30), measures=(measure(PEG, (5, 5, 5), at(2)),))
    before = History(
        pain=daily_pain(30), measures=(measure(PEG, (5, 5, 5), ONSET - timedelta(hours=1)),)
    )
    for history in (taken, before):
        for day in (1, 2, 9, 16, 23, 29):
            assert PEG not in {i for i, _ in due(history, at(day))}


def test_psfs_weekly_only_while_a_goal_is_active() -> None:
    goal = Goal(at=at(1), text="walk the dog", id=1)
    ended = Goal(at=at(1), text="garden", ended_at=at(5), id=2)
    pain = daily_pain(30)
    assert (PSFS, "weekly") not in due(History(pain=pain), at(2))
    assert (PSFS, "weekly") in due(History(pain=pain, goals=(goal,)), at(2))
    assert (PSFS, "weekly") in due(History(pain=pain, goals=(ended,)), at(4))
    assert (PSFS, "weekly") not in due(History(pain=pain, goals=(ended,)), at(5))
    rated = measure(PSFS, (4,), at(2))
    history = History(pain=pain, goals=(goal,), measures=(rated,))
    assert (PSFS, "weekly") not in due(history, at(8))
    assert (PSFS, "weekly") in due(history, at(9))


def test_a_naive_as_of_is_refused() -> None:
    with pytest.raises(ValueError):
        measures_due(History(), datetime(2026, 3, 3))


def test_a_psfs_verdict_compares_only_the_same_activities() -> None:
    """A PSFS mean over other activities is another measure: better by 2.3 points on new,
    easier activities is not "meaningfully better" (the safer reading). Same activities:
    judged; another set (a goal removed or added since the first score): no verdict."""

    def psfs(ratings: tuple[int, ...], goals: tuple[str, ...], day: float, id: int) -> Measure:
        return Measure(at=at(day), instrument=PSFS, answers=ratings, goals=goals, id=id)

    walk, lift, sit = "walk the dog", "lift my child", "sit through a film"
    first = psfs((2, 2, 2), (walk, lift, sit), 1, 1)
    same = psfs((5, 5, 5), (walk, lift, sit), 14, 2)
    other = psfs((5, 5), (walk, sit), 14, 2)
    for latest, expected in ((same, BETTER), (other, None)):
        history = History(pain=daily_pain(14), measures=(first, latest))
        (change,) = episode_changes(history, at(14, 1))
        assert change.delta == 3 and change.verdict == expected
