"""Pure medication helpers: limits under a prescription, NSAID doses for gi-bleeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backcare.domain.model import History, Prescription, Treatment
from backcare.domain.rules import limits_for, nsaid_doses_within
from backcare.domain.thresholds import DRUG_LIMITS

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def dose(at: datetime, drug: str, mg: float, id: int) -> Treatment:
    return Treatment(at=at, kind="medication", drug=drug, dose_mg=mg, id=id)


def test_limits_come_from_a_prescription_in_force_field_by_field() -> None:
    rx = Prescription(
        at=T0, drug="naproxen", every=timedelta(hours=12), until=T0 + timedelta(days=14)
    )
    label = DRUG_LIMITS["naproxen"]
    before = limits_for([rx], "naproxen", T0 - timedelta(minutes=1))
    assert (before.interval, before.daily_max_mg, before.prescription) == (
        label.min_interval, label.daily_max_mg, None
    )  # fmt: skip
    during = limits_for([rx], "naproxen", T0 + timedelta(days=1))
    assert during.prescription is rx
    assert during.interval == timedelta(hours=12)
    assert during.first_dose_grace is None  # a prescribed interval has no label grace
    assert during.daily_max_mg == label.daily_max_mg  # not prescribed: the label's
    assert during.whose == "your prescription"
    after = limits_for([rx], "naproxen", T0 + timedelta(days=14))  # the end is exclusive
    assert after.prescription is None
    stopped = Prescription(at=T0, drug="naproxen", stopped_at=T0 + timedelta(days=1))
    assert limits_for([stopped], "naproxen", T0 + timedelta(days=2)).prescription is None


def test_nsaid_doses_in_the_last_7_days_include_low_dose_aspirin() -> None:
    history = History(
        treatments=(
            dose(T0 - timedelta(days=8), "ibuprofen", 400, 1),  # too old
            dose(T0 - timedelta(days=6), "aspirin", 81, 2),  # low-dose aspirin counts here
            dose(T0 - timedelta(days=1), "acetaminophen", 500, 3),  # not an NSAID
            dose(T0 - timedelta(hours=1), "naproxen", 220, 4),
        )
    )
    found = nsaid_doses_within(history, T0, timedelta(days=7))
    assert [t.id for t in found] == [2, 4]
