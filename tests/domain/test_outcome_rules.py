"""risk.startback-high / -medium / -low (issue 16): fire from the LATEST STarT Back of the
active episode only, at the catalog's levels, with the clinician line in the advice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import History, Measure, PainEntry, Profile
from backcare.domain.reminders import FOLLOW_UP, due_reminders
from backcare.domain.rules import RULES_BY_ID, evaluate

LONDON = ZoneInfo("Europe/London")
ONSET = datetime(2026, 3, 2, 8, 0, tzinfo=LONDON)
STARTBACK_RULES = ("risk.startback-high", "risk.startback-medium", "risk.startback-low")


def day(n: float) -> datetime:
    return ONSET + timedelta(days=n)


def sbst(total_first4: int, psychosocial: int, when: datetime, id: int = 1) -> Measure:
    """Items 1-4: `total_first4` agreements; items 5-9: `psychosocial` (item 9 as 'extremely')."""
    first = [1] * total_first4 + [0] * (4 - total_first4)
    five_to_eight = [1] * min(psychosocial, 4) + [0] * (4 - min(psychosocial, 4))
    nine = 4 if psychosocial == 5 else 0
    return Measure(at=when, instrument="startback", answers=(*first, *five_to_eight, nine), id=id)


def pain_days(n: int) -> tuple[PainEntry, ...]:
    return tuple(PainEntry(at=day(d), pain=4, id=d + 1) for d in range(n + 1))


def fired(history: History, as_of: datetime) -> dict[str, str]:
    return {
        f.rule: f.level for f in evaluate(history, Profile(), as_of) if f.rule in STARTBACK_RULES
    }


@pytest.mark.parametrize(
    ("first4", "psychosocial", "rule", "level"),
    [
        (0, 3, "risk.startback-low", "info"),  # total 3
        (1, 3, "risk.startback-medium", "routine"),  # total 4, subscale 3
        (0, 4, "risk.startback-high", "soon"),  # total 4, subscale 4
        (4, 3, "risk.startback-medium", "routine"),  # total 7, subscale 3
        (4, 5, "risk.startback-high", "soon"),
    ],
)
def test_each_group_fires_its_rule(first4: int, psychosocial: int, rule: str, level: str) -> None:
    history = History(pain=pain_days(3), measures=(sbst(first4, psychosocial, day(1)),))
    assert fired(history, day(3)) == {rule: level}


def test_only_the_latest_result_counts() -> None:
    history = History(
        pain=pain_days(15), measures=(sbst(0, 4, day(1), id=1), sbst(0, 1, day(14), id=2))
    )
    assert fired(history, day(13)) == {"risk.startback-high": "soon"}
    assert fired(history, day(15)) == {"risk.startback-low": "info"}


def test_nothing_fires_without_a_startback_or_an_active_episode() -> None:
    assert fired(History(pain=pain_days(3)), day(3)) == {}
    history = History(pain=pain_days(3), measures=(sbst(0, 5, day(1)),))
    assert fired(history, day(3 + 7)) == {}  # 7 days without pain: the episode is over


def test_a_result_from_an_earlier_episode_does_not_fire() -> None:
    old = sbst(0, 5, ONSET - timedelta(days=60))
    assert fired(History(pain=pain_days(3), measures=(old,)), day(3)) == {}


def test_a_result_after_as_of_is_ignored() -> None:
    history = History(pain=pain_days(3), measures=(sbst(0, 5, day(2)),))
    assert fired(history, day(1)) == {}


def test_evidence_names_the_measure_and_its_scores() -> None:
    history = History(pain=pain_days(3), measures=(sbst(1, 4, day(1), id=7),))
    (flag,) = [f for f in evaluate(history, Profile(), day(3)) if f.rule == "risk.startback-high"]
    assert flag.evidence == (
        "m7 STarT Back at 2026-03-03 08:00: total 5 of 9, psychosocial 4 of 5 (high risk)",
    )


@pytest.mark.parametrize("rule", STARTBACK_RULES)
def test_advice_keeps_the_clinician_in_charge_and_names_its_sources(rule: str) -> None:
    spec = RULES_BY_ID[rule]
    assert "does not replace, a clinician's assessment" in spec.advice
    assert "NICE NG59" in spec.source and "Hill et al. 2011" in spec.source


def test_the_high_risk_advice_is_psychologically_informed_physiotherapy() -> None:
    assert "psychologically informed" in RULES_BY_ID["risk.startback-high"].advice
    assert "physiotherapy" in RULES_BY_ID["risk.startback-medium"].advice
    assert "keep active" in RULES_BY_ID["risk.startback-low"].advice


def test_high_risk_is_a_follow_up_reminder() -> None:
    history = History(pain=pain_days(3), measures=(sbst(0, 4, day(1)),))
    flags = evaluate(history, Profile(), day(3))
    items = due_reminders(history, Profile(), flags, day(3))
    assert "risk.startback-high" in [r.rule for r in items if r.id == FOLLOW_UP]
