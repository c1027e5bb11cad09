"""The `measure-due` reminder (issue 16): what outcomes.measures_due lists, from the first
reminder time of the day, never before the episode is 24 h old, gone once taken."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import History, Measure, PainEntry, Profile
from backcare.domain.reminders import MEASURE_DUE, due_reminders

LON = ZoneInfo("Europe/London")
ONSET = datetime(2026, 3, 2, 19, 0, tzinfo=LON)  # Mon 19:00, first pain entry
NONE = Profile()


def day(d: int, h: int = 20, mi: int = 0) -> datetime:
    return datetime(2026, 3, 2 + d, h, mi, tzinfo=LON)


def pains(days: int) -> tuple[PainEntry, ...]:
    return tuple(PainEntry(at=ONSET + timedelta(days=d), pain=5) for d in range(days + 1))


def items(history: History, as_of: datetime, profile: Profile = NONE) -> list[str]:
    return [r.text for r in due_reminders(history, profile, [], as_of) if r.id == MEASURE_DUE]


def test_not_before_the_episode_is_24_hours_old() -> None:
    history = History(pain=pains(2))
    assert items(history, day(1, 18, 59)) == []  # 23:59 h old (and before 20:00)
    assert items(history, day(1, 20, 0)) == [
        "questionnaire due: STarT Back (start of the episode) (backcare measure startback)"
    ]


def test_from_the_first_reminder_time_of_the_day() -> None:
    history = History(pain=pains(2))
    assert items(history, day(2, 19, 59)) == []
    assert len(items(history, day(2, 20, 0))) == 1
    early = Profile(remind_at=(time(9, 0), time(21, 0)))
    assert len(items(history, day(2, 9, 0), early)) == 1


def test_one_item_names_every_measure_due_and_marks_optional_ones() -> None:
    used = (
        Measure(at=datetime(2025, 1, 1, tzinfo=LON), instrument="peg", answers=(4, 4, 4)),
        Measure(at=datetime(2025, 1, 1, tzinfo=LON), instrument="rmdq", answers=(0,) * 24),
    )
    history = History(pain=pains(2), measures=used)
    assert items(history, day(2)) == [  # the PEG taken is not asked again: it is retired
        "questionnaire due: STarT Back (start of the episode), "
        "Roland-Morris (RMDQ) (start of the episode, optional) "
        "(backcare measure startback or rmdq)"
    ]


def test_gone_once_taken() -> None:
    taken = Measure(at=day(1, 21), instrument="startback", answers=(0,) * 9)
    assert items(History(pain=pains(2), measures=(taken,)), day(2)) == []


@pytest.mark.parametrize("as_of", [day(3), day(13)])  # start window closed; week 2 not yet
def test_not_due_between_points(as_of: datetime) -> None:
    assert items(History(pain=pains(14)), as_of) == []
