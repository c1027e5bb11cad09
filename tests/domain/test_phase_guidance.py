"""The guide and the tips follow the phase of the episode (issue 16): in the chronic phase
(over 12 weeks) the WHO 2023 / NICE NG59 advice on exercise programmes and psychological
support, never the first-days advice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.guide import TOPICS, topic, topics_for_phase
from backcare.domain.model import History, PainEntry
from backcare.domain.tips import (
    EXERCISE_PROGRAMME,
    GENTLE_STRETCHING,
    HEAT_OPTION,
    KEEP_MOVING,
    choose_tip,
)

TZ = ZoneInfo("Europe/Berlin")
ONSET = datetime(2026, 1, 5, 8, 0, tzinfo=TZ)


def after(age: timedelta) -> datetime:
    """after(age) in elapsed time (Python's aware + timedelta is wall-clock time), local."""
    return (ONSET.astimezone(UTC) + age).astimezone(TZ)


def weekly_pain(until: timedelta, level: int = 6) -> tuple[PainEntry, ...]:
    """Pain every 3 days from the onset until `until` after it: one long episode."""
    days = int(until.total_seconds() // 86400)
    entries = [PainEntry(at=after(timedelta(days=d)), pain=level) for d in range(0, days, 3)]
    return (*entries, PainEntry(at=after(until), pain=level))


@pytest.mark.parametrize(
    ("age", "tip"),
    [
        (timedelta(weeks=12), HEAT_OPTION),  # exactly 12 weeks: subacute, the usual tips
        (timedelta(weeks=12, seconds=1), EXERCISE_PROGRAMME),
        (timedelta(weeks=40), EXERCISE_PROGRAMME),
    ],
)
def test_the_tip_follows_the_phase(age: timedelta, tip: str) -> None:
    found = choose_tip(History(pain=weekly_pain(age)), after(age))
    assert found is not None and found.id == tip


def test_the_chronic_tip_is_the_programme_advice_with_its_sources() -> None:
    age = timedelta(weeks=13)
    found = choose_tip(History(pain=weekly_pain(age)), after(age))
    assert found is not None and found.topic == "long-lasting"
    assert "exercise programme" in found.text and "cognitive behavioural therapy" in found.text
    assert "WHO 2023" in found.text and "NICE NG59" in found.text
    assert "48" not in found.text and "ice" not in found.text.lower().split()


def test_easing_pain_in_the_chronic_phase_gets_the_programme_not_stretching() -> None:
    age = timedelta(weeks=14)
    pain = (*weekly_pain(age - timedelta(days=2), level=8), PainEntry(after(age), pain=2))
    found = choose_tip(History(pain=pain), after(age))
    assert found is not None and found.id == EXERCISE_PROGRAMME != GENTLE_STRETCHING


def test_bed_rest_still_comes_first() -> None:
    from backcare.domain.model import Treatment

    age = timedelta(weeks=14)
    now = after(age)
    rest = (
        Treatment(at=now - timedelta(days=1), kind="rest"),
        Treatment(at=now - timedelta(hours=1), kind="rest"),
    )
    found = choose_tip(History(pain=weekly_pain(age), treatments=rest), now)
    assert found is not None and found.id == KEEP_MOVING


def test_the_long_lasting_page() -> None:
    page = topic("chronic")
    assert page is TOPICS["long-lasting"]
    text = " ".join(p for s in page.sections for p in (*s.paragraphs, *s.bullets))
    assert "exercise programme" in text and "cognitive behavioural therapy" in text
    assert "does not replace, a clinician's assessment" in text
    assert page.sources[0].startswith("WHO 2023") and "NICE NG59" in page.sources


@pytest.mark.parametrize(
    ("phase", "first", "last"),
    [
        (None, "first-aid", "long-lasting"),
        ("acute", "first-aid", "long-lasting"),
        ("subacute", "moving", "long-lasting"),
        ("chronic", "long-lasting", "ice-heat"),
    ],
)
def test_the_guide_index_follows_the_phase(phase: str | None, first: str, last: str) -> None:
    order = list(topics_for_phase(phase))
    assert sorted(order) == sorted(TOPICS)
    assert (order[0], order[-1]) == (first, last)
    if phase == "chronic":
        assert order[-2:] == ["first-aid", "ice-heat"]  # the first-days pages come last
