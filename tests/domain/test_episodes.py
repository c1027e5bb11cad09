"""Episodes and their course (docs/rules.md "Course of the episode"): table-driven, no mocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.episodes import Course, course, episode_onset
from backcare.domain.model import History, PainEntry

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 2, 2, 8, 0, tzinfo=LONDON)  # Monday 08:00 GMT


def h(hours: float) -> datetime:
    """T0 + hours (elapsed time: T0 is in winter, so no DST change is crossed in February)."""
    return T0 + timedelta(hours=hours)


def d(days: float) -> datetime:
    return h(days * 24)


def pains(*points: tuple[datetime, int]) -> tuple[PainEntry, ...]:
    return tuple(PainEntry(at=at, pain=p, id=i) for i, (at, p) in enumerate(points, start=1))


# --- episode_onset: derived ------------------------------------------------------------

ONSET_CASES = [
    # (id, pain points, explicit onsets, as_of, expected onset)
    ("no entries", (), (), d(1), None),
    ("single entry", ((h(0), 5),), (), h(1), h(0)),
    ("only pain 0", ((h(0), 0), (h(5), 0)), (), h(6), None),
    ("first entry with pain > 0", ((h(0), 0), (h(2), 4), (h(5), 6)), (), h(6), h(2)),
    ("gaps under 7 days: one episode", ((d(0), 5), (d(6), 4), (d(12), 3)), (), d(13), d(0)),
    ("gap 6 d 23 h: same episode", ((d(0), 5), (h(7 * 24 - 1), 4)), (), d(8), d(0)),
    ("gap exactly 7 days: new episode", ((d(0), 5), (d(7), 4)), (), d(8), d(7)),
    ("last pain 6 d 23 h ago: active", ((d(0), 5),), (), h(7 * 24 - 1), d(0)),
    ("last pain exactly 7 days ago: over", ((d(0), 5),), (), d(7), None),
    (
        "pain 0 entries do not bridge a gap",
        ((d(0), 5), (d(5), 0), (d(8), 5)),
        (),
        d(9),
        d(8),
    ),
    ("entries after as_of ignored", ((d(0), 5), (d(10), 6)), (), d(3), d(0)),
    ("explicit onset, no pain yet", (), (h(0),), h(3), h(0)),
    ("explicit onset 7 days old, no pain: over", (), (d(0),), d(7), None),
    (
        "explicit onset inside a derived episode wins",
        ((d(0), 5), (d(2), 5), (d(4), 6)),
        (d(3),),
        d(5),
        d(3),
    ),
    ("derived onset after a newer gap wins", ((d(0), 5), (d(9), 5)), (d(0),), d(10), d(9)),
    ("explicit onset after as_of ignored", ((d(0), 5),), (d(2),), d(1), d(0)),
]


@pytest.mark.parametrize(
    ("points", "onsets", "as_of", "expected"),
    [case[1:] for case in ONSET_CASES],
    ids=[case[0] for case in ONSET_CASES],
)
def test_episode_onset(points, onsets, as_of, expected) -> None:
    history = History(pain=pains(*points), onsets=onsets)
    assert episode_onset(history, as_of) == expected


# --- course ----------------------------------------------------------------------------


def test_course_none_without_episode() -> None:
    assert course(History(), h(5)) is None
    assert course(History(pain=pains((d(0), 5))), d(8)) is None


def test_course_windows_are_half_open() -> None:
    # baseline: [onset, onset + 24 h); current: (as_of - 24 h, as_of]
    history = History(pain=pains((h(0), 8), (h(23), 6), (h(24), 4), (h(48), 3), (h(72), 2)))
    c = course(history, h(72))
    assert c is not None
    assert [e.pain for e in c.baseline_entries] == [8, 6]
    assert [e.pain for e in c.current_entries] == [2]  # h(48) is exactly 24 h before: out
    assert c.baseline == 7.0
    assert c.current == 2.0
    assert c.change == -5.0
    assert c.age == 72.0
    assert c.measurable


def test_course_ignores_entries_after_as_of() -> None:
    history = History(pain=pains((h(0), 8), (h(2), 1), (h(30), 0)))
    c = course(history, h(1))
    assert c is not None
    assert c.baseline == 8.0
    assert c.current == 8.0
    assert [e.pain for e in c.baseline_entries] == [8]


def test_course_not_measurable_without_current_entries() -> None:
    c = course(History(pain=pains((d(0), 6))), d(3))
    assert c is not None
    assert c.baseline == 6.0
    assert c.current is None
    assert c.change is None
    assert c.improved is None
    assert not c.measurable


def test_course_not_measurable_without_baseline_entries() -> None:
    # explicit onset inside a derived episode; no entry in its first 24 h
    history = History(pain=pains((d(-3), 5), (h(30), 6)), onsets=(h(0),))
    c = course(history, h(31))
    assert c is not None
    assert c.onset == h(0)
    assert c.baseline is None
    assert c.current == 6.0
    assert c.improved is None


def test_explicit_onset_kept_when_first_pain_comes_later() -> None:
    history = History(pain=pains((h(30), 6)), onsets=(h(0),))
    assert episode_onset(history, h(31)) == h(0)


IMPROVED_CASES = [
    # (id, baseline, current, improved)
    ("drop of 2 points", 7.0, 5.0, True),
    ("drop of 1 point", 7.0, 6.0, False),
    ("no change", 6.0, 6.0, False),
    ("worse", 4.0, 6.0, False),
    ("30 % of a low baseline (3 -> 2.1)", 3.0, 2.1, True),
    ("under 30 % of a low baseline (3 -> 2.2)", 3.0, 2.2, False),
    ("33 % of a low baseline (3 -> 2)", 3.0, 2.0, True),
    ("exactly 30 % (10 -> 7)", 10.0, 7.0, True),
    ("1.9 points and 19 % (10 -> 8.1)", 10.0, 8.1, False),
    ("no baseline", None, 5.0, None),
    ("no current", 5.0, None, None),
]


@pytest.mark.parametrize(
    ("baseline", "current", "improved"),
    [case[1:] for case in IMPROVED_CASES],
    ids=[case[0] for case in IMPROVED_CASES],
)
def test_course_improved(baseline, current, improved) -> None:
    c = Course(onset=h(0), as_of=h(80), baseline=baseline, current=current,
               baseline_entries=(), current_entries=())  # fmt: skip
    assert c.improved is improved


def test_course_improved_from_entries_low_baseline() -> None:
    # baseline 3; current 2.1 = (9 x 2 + 3) / 10 -> 30 % drop: improved
    current = tuple((h(60 + i), 3 if i == 0 else 2) for i in range(10))
    c = course(History(pain=pains((h(0), 3), *current)), h(72))
    assert c is not None
    assert c.current == pytest.approx(2.1)
    assert c.improved is True


def test_course_improved_exact_two_points_in_thirds() -> None:
    baseline = ((h(0), 9), (h(1), 9), (h(2), 8))  # 26/3
    current = ((h(70), 7), (h(71), 7), (h(72), 6))  # 20/3: exactly 2 points lower
    c = course(History(pain=pains(*baseline, *current)), h(72))
    assert c is not None
    assert c.improved is True


def test_course_age_is_elapsed_time_with_utc_instants() -> None:
    # 2026-03-29 01:00 GMT the clocks go forward: Sat 08:00 GMT -> Tue 08:00 BST is 71 h.
    onset = datetime(2026, 3, 28, 8, 0, tzinfo=LONDON).astimezone(UTC)
    as_of = datetime(2026, 3, 31, 8, 0, tzinfo=LONDON)
    c = course(History(pain=pains((onset, 6), (as_of - timedelta(hours=1), 6))), as_of)
    assert c is not None
    assert c.age == 71.0


def test_course_age_across_dst_in_local_zone() -> None:
    # Same ZoneInfo on both sides: still elapsed time, not wall-clock time.
    onset = datetime(2026, 3, 28, 8, 0, tzinfo=LONDON)
    as_of = datetime(2026, 3, 31, 8, 0, tzinfo=LONDON)
    c = course(History(pain=pains((onset, 6))), as_of)
    assert c is not None
    assert c.age == 71.0


def test_episode_gap_across_dst_is_elapsed_time() -> None:
    # 2026-10-25 the clocks go back: Sun 08:00 BST -> next Sun 07:00 GMT is exactly 7 days.
    first = datetime(2026, 10, 18, 8, 0, tzinfo=LONDON)
    second = datetime(2026, 10, 25, 7, 0, tzinfo=LONDON)
    history = History(pain=pains((first, 5), (second, 5)))
    assert episode_onset(history, second) == second
    earlier = second - timedelta(minutes=1)
    assert episode_onset(History(pain=pains((first, 5), (earlier, 5))), second) == first
