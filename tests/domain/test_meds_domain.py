"""Pure medication helpers: limits under a prescription (the NSAID doses gi-bleeding's
advice names are tested through the rule, tests/domain/test_rules_v2.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backcare.domain.model import Prescription
from backcare.domain.rules import limits_for
from backcare.domain.thresholds import DRUG_LIMITS

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


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
