"""Contextual tips: one situation per fixture history, priority between overlapping ones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain import thresholds
from backcare.domain.guide import TOPICS
from backcare.domain.model import Flag, History, PainEntry, Profile, Treatment
from backcare.domain.rules import evaluate
from backcare.domain.tips import (
    EXERCISE_PROGRAMME,
    GENTLE_STRETCHING,
    HEAT_OPTION,
    ICE_OR_HEAT,
    KEEP_MOVING,
    RELAXANT_DAYTIME,
    TIP_PRIORITY,
    Tip,
    choose_tip,
    tip_after_entry,
)

TZ = ZoneInfo("Europe/Berlin")
ONSET = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)  # Monday 08:00 local (UTC+1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """Local time on the day `day` days after the onset's day."""
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=TZ)


def pain(when: datetime, level: int) -> PainEntry:
    return PainEntry(at=when, pain=level)


def relaxant(when: datetime, drug: str = "cyclobenzaprine", marked: bool = False) -> Treatment:
    return Treatment(at=when, kind="medication", drug=drug, dose_mg=5, relaxant=marked)


def rest(when: datetime) -> Treatment:
    return Treatment(at=when, kind="rest", minutes=120)


@dataclass(frozen=True)
class Case:
    name: str
    history: History
    as_of: datetime
    expected: str | None


# Episode fixtures: onset Monday 08:00 pain 7.
EARLY = (pain(ONSET, 7),)  # as_of within 48 h
STUCK = (pain(ONSET, 7), pain(at(2, 9), 7))  # Wednesday 09:00 still 7
IMPROVED = (pain(ONSET, 7), pain(at(2, 9), 4))  # 3 points better
LATEST_BELOW = (pain(ONSET, 7), pain(at(2, 1), 7), pain(at(2, 9), 6))  # mean 6.5, latest 6

CASES = [
    # -- one situation each ----------------------------------------------------------------
    Case("day 1: ice", History(pain=EARLY), at(0, 18), ICE_OR_HEAT),
    Case("47 h: still ice", History(pain=EARLY), ONSET + timedelta(hours=47), ICE_OR_HEAT),
    Case("48 h, not easing: heat", History(pain=STUCK), ONSET + thresholds.HEAT_FIRST, HEAT_OPTION),
    Case("day 3, not easing: heat", History(pain=STUCK), at(2, 10), HEAT_OPTION),
    Case("day 3, improved: stretching", History(pain=IMPROVED), at(2, 10), GENTLE_STRETCHING),
    Case(
        "latest below baseline: stretching",
        History(pain=LATEST_BELOW),
        at(2, 10),
        GENTLE_STRETCHING,
    ),
    Case(
        "relaxant this morning",
        History(treatments=(relaxant(at(2, 9)),)),
        at(2, 20),
        RELAXANT_DAYTIME,
    ),
    Case(
        "user-marked relaxant at 06:00 sharp",
        History(treatments=(relaxant(at(2, 6), drug="orphenadrine", marked=True),)),
        at(2, 7),
        RELAXANT_DAYTIME,
    ),
    Case(
        "relaxant dose stored in UTC, 05:30 UTC is 06:30 local",
        History(treatments=(relaxant(datetime(2026, 3, 4, 5, 30, tzinfo=UTC)),)),
        at(2, 12),
        RELAXANT_DAYTIME,
    ),
    Case(
        "rest yesterday and today",
        History(treatments=(rest(at(1, 14)), rest(at(2, 9)))),
        at(2, 12),
        KEEP_MOVING,
    ),
    # -- not the situation ---------------------------------------------------------------
    Case("relaxant at night", History(treatments=(relaxant(at(2, 22)),)), at(2, 23), None),
    Case(
        "relaxant at 18:00 is evening", History(treatments=(relaxant(at(2, 18)),)), at(2, 19), None
    ),
    Case("relaxant at 05:59", History(treatments=(relaxant(at(2, 5, 59)),)), at(2, 12), None),
    Case("relaxant yesterday", History(treatments=(relaxant(at(1, 10)),)), at(2, 12), None),
    Case("relaxant later than as_of", History(treatments=(relaxant(at(2, 14)),)), at(2, 12), None),
    Case(
        "NSAID in the daytime",
        History(
            treatments=(Treatment(at=at(2, 9), kind="medication", drug="ibuprofen", dose_mg=400),)
        ),
        at(2, 12),
        None,
    ),
    Case("rest today only", History(treatments=(rest(at(2, 9)),)), at(2, 12), None),
    Case(
        "rest on two days, not today",
        History(treatments=(rest(at(0, 9)), rest(at(1, 9)))),
        at(2, 12),
        None,
    ),
    Case(
        "rest days are local days (stored in UTC: Mon 23:30, Tue 23:10)",
        History(
            treatments=(
                rest(datetime(2026, 3, 2, 23, 30, tzinfo=UTC)),  # Tue 00:30 local
                rest(datetime(2026, 3, 3, 23, 10, tzinfo=UTC)),  # Wed 00:10 local
            )
        ),
        at(2, 0, 20),
        KEEP_MOVING,
    ),
    # -- no episode ------------------------------------------------------------------------
    Case("empty history", History(), at(2, 12), None),
    Case("pain over a week ago", History(pain=(pain(ONSET, 5),)), at(9, 12), None),
    Case("only pain-free entries", History(pain=(pain(ONSET, 0),)), at(0, 12), None),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_situation(case: Case) -> None:
    tip = choose_tip(case.history, case.as_of)
    assert (tip.id if tip else None) == case.expected


# Overlapping situations: (what is in the history, expected tip). All at Wednesday 12:00,
# the episode (if any) 52 h old: rest on Tuesday and Wednesday, a relaxant at 09:00.
def overlapping(parts: set[str], as_of: datetime) -> History:
    pains: tuple[PainEntry, ...] = ()
    treatments: list[Treatment] = []
    if "episode-early" in parts:
        pains = (pain(as_of - timedelta(hours=10), 7),)
    if "episode-stuck" in parts:
        pains = STUCK
    if "episode-easing" in parts:
        pains = IMPROVED
    if "relaxant" in parts:
        treatments.append(relaxant(at(2, 9)))
    if "rest" in parts:
        treatments += [rest(at(1, 15)), rest(at(2, 8))]
    return History(pain=pains, treatments=tuple(treatments))


PRIORITY = [
    ({"relaxant", "rest", "episode-early"}, RELAXANT_DAYTIME),
    ({"relaxant", "rest", "episode-easing"}, RELAXANT_DAYTIME),
    ({"relaxant", "episode-stuck"}, RELAXANT_DAYTIME),
    ({"rest", "episode-early"}, KEEP_MOVING),
    ({"rest", "episode-easing"}, KEEP_MOVING),
    ({"rest", "episode-stuck"}, KEEP_MOVING),
    ({"episode-easing"}, GENTLE_STRETCHING),
    ({"episode-stuck"}, HEAT_OPTION),
    ({"episode-early"}, ICE_OR_HEAT),
]


@pytest.mark.parametrize(
    ("parts", "expected"), PRIORITY, ids=["+".join(sorted(p)) for p, _ in PRIORITY]
)
def test_priority_between_overlapping_situations(parts: set[str], expected: str) -> None:
    as_of = at(2, 12)
    tip = choose_tip(overlapping(parts, as_of), as_of)
    assert tip is not None and tip.id == expected


def test_ice_outranks_stretching_in_the_first_48_hours() -> None:
    history = History(pain=(pain(ONSET, 8), pain(ONSET + timedelta(hours=30), 3)))
    tip = choose_tip(history, ONSET + timedelta(hours=31))
    assert tip is not None and tip.id == ICE_OR_HEAT
    later = choose_tip(history, ONSET + thresholds.HEAT_FIRST + timedelta(hours=1))
    assert later is not None and later.id == GENTLE_STRETCHING


def test_explicit_onset_counts_as_an_episode() -> None:
    history = History(onsets=(ONSET,))
    tip = choose_tip(history, ONSET + timedelta(hours=3))
    assert tip is not None and tip.id == ICE_OR_HEAT


def test_tip_texts_and_topics() -> None:
    assert TIP_PRIORITY == (
        RELAXANT_DAYTIME,
        KEEP_MOVING,
        ICE_OR_HEAT,
        EXERCISE_PROGRAMME,
        GENTLE_STRETCHING,
        HEAT_OPTION,
    )
    ice = choose_tip(History(pain=EARLY), at(1, 10))
    assert isinstance(ice, Tip)
    assert ice.topic == "ice-heat"
    assert ice.text.startswith("Day 2 of this episode")
    # Catalog v2: ice and heat both reasonable in the first days, heat with the better evidence.
    assert "ice or heat are both reasonable" in ice.text
    assert "heat has the better evidence" in ice.text
    assert f"{int(thresholds.APPLICATION_MAX.total_seconds() // 60)} minutes" in ice.text
    assert f"{int(thresholds.REAPPLY_GAP.total_seconds() // 60)} minutes" in ice.text

    drowsy = choose_tip(History(treatments=(relaxant(at(2, 9, 15)),)), at(2, 12))
    assert drowsy is not None
    assert "cyclobenzaprine at 09:15" in drowsy.text and "do not drive" in drowsy.text
    assert drowsy.topic == "medicines"

    seen = {choose_tip(c.history, c.as_of) for c in CASES} - {None}
    for tip in seen:
        assert tip is not None
        assert tip.topic in TOPICS
        assert tip.text.isprintable() and "[" not in tip.text


# --- Tips fit the moment (issue 15) -----------------------------------------------------


def _flag(rule: str, level: str) -> Flag:
    return Flag(rule=rule, level=level, title=rule, advice="", evidence=(), source="")


@pytest.mark.parametrize("level", ["emergency", "urgent"])
def test_no_tip_beside_an_emergency_or_urgent_flag(level: str) -> None:
    history = History(pain=EARLY)
    assert choose_tip(history, at(0, 12)) is not None
    assert choose_tip(history, at(0, 12), [_flag("red-flag.fever", level)]) is None
    # A soon flag does not silence the tips.
    assert choose_tip(history, at(0, 12), [_flag("risk.history", "soon")]) is not None


@pytest.mark.parametrize(
    "rule", ["course.no-improvement-72h", "course.no-improvement-4w", "course.worsening"]
)
def test_no_easing_tip_beside_a_course_flag(rule: str) -> None:
    history = History(pain=(pain(ONSET, 8), pain(at(3, 20), 7)))
    as_of = at(3, 21)
    easing = choose_tip(history, as_of)
    assert easing is not None and easing.id == GENTLE_STRETCHING
    held = choose_tip(history, as_of, [_flag(rule, "soon")])
    assert held is not None and held.id == HEAT_OPTION


def test_the_rules_and_the_tip_agree_on_a_stuck_course() -> None:
    # With the real rules: baseline 8, current 7 after 3.5 days is "no improvement".
    history = History(pain=(pain(ONSET, 8), pain(at(3, 20), 7)))
    as_of = at(3, 21)
    flags = evaluate(history, Profile(), as_of)
    assert "course.no-improvement-72h" in {f.rule for f in flags}
    tip = choose_tip(history, as_of, flags)
    assert tip is None or "easing" not in tip.text


def test_the_same_tip_at_most_once_a_day_after_an_entry() -> None:
    first = PainEntry(at=at(0, 9), pain=7, uid="a")
    second = PainEntry(at=at(0, 13), pain=7, uid="b")
    history = History(pain=(first,))
    shown = tip_after_entry(history, at(0, 9), new_uids={"a"})
    assert shown is not None and shown.id == ICE_OR_HEAT
    # The second entry of the day: the same tip was chosen at 09:00, so none now.
    history = History(pain=(first, second))
    assert tip_after_entry(history, at(0, 13), new_uids={"b"}) is None
    # Next day it may show again (day 2, still within 48 h).
    third = PainEntry(at=at(1, 7), pain=7, uid="c")
    again = tip_after_entry(History(pain=(first, second, third)), at(1, 7), new_uids={"c"})
    assert again is not None and again.id == ICE_OR_HEAT


def test_a_different_tip_later_the_same_day_is_shown() -> None:
    first = PainEntry(at=at(0, 9), pain=7, uid="a")
    history = History(
        pain=(first, PainEntry(at=at(0, 14), pain=7, uid="b")),
        treatments=(relaxant(at(0, 13)),),
    )
    tip = tip_after_entry(history, at(0, 14), new_uids={"b"})
    assert tip is not None and tip.id == RELAXANT_DAYTIME


def test_episode_day_in_the_tip_is_the_calendar_day() -> None:
    # Onset Monday 22:00; Tuesday 07:00 is day 2 (9 h later), as status and report say.
    history = History(pain=(pain(at(0, 22), 6),))
    tip = choose_tip(history, at(1, 7))
    assert tip is not None and tip.text.startswith("Day 2 of this episode")
