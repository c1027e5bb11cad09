"""Scoring of each instrument against its published scoring (docs/sources.md, issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest

from backcare.domain import inputs
from backcare.domain import measures as m
from backcare.domain.model import Measure
from backcare.errors import InputError

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _measure(instrument: str, answers: tuple[int, ...], goals: tuple[str, ...] = ()) -> Measure:
    return Measure(at=AT, instrument=instrument, answers=answers, goals=goals)


# STarT Back: (items 1-4, items 5-8, item 9 option) -> (total, subscale, risk).
# Every boundary: total 3/4 with subscale low and high, subscale 3/4 at total >= 4, and the
# bothersomeness item counting only "very much" (3) and "extremely" (4).
STARTBACK_CASES = [
    ((0, 0, 0, 0), (0, 0, 0, 0), 0, 0, 0, "low"),
    ((1, 1, 1, 0), (0, 0, 0, 0), 2, 3, 0, "low"),  # "moderately" counts 0
    ((1, 1, 1, 0), (0, 0, 0, 0), 3, 4, 1, "medium"),  # "very much" counts 1: total 4
    ((0, 0, 0, 0), (1, 1, 1, 0), 0, 3, 3, "low"),  # total 3, subscale 3: low
    ((0, 0, 0, 0), (1, 1, 1, 0), 4, 4, 4, "high"),  # "extremely": total 4, subscale 4
    ((0, 0, 0, 0), (1, 1, 1, 1), 1, 4, 4, "high"),  # total 4 = subscale 4: high
    ((1, 0, 0, 0), (1, 1, 1, 0), 0, 4, 3, "medium"),  # total 4, subscale 3: medium
    ((1, 0, 0, 0), (1, 1, 1, 1), 0, 5, 4, "high"),  # subscale 4: high
    ((1, 1, 1, 0), (0, 0, 0, 0), 0, 3, 0, "low"),  # total 3 from physical items alone
    ((1, 1, 1, 1), (0, 0, 0, 0), 0, 4, 0, "medium"),  # total 4: medium
    ((1, 1, 1, 1), (1, 1, 1, 1), 4, 9, 5, "high"),
    ((1, 1, 1, 1), (0, 1, 1, 1), 1, 7, 3, "medium"),  # subscale 3 at a high total
]


@pytest.mark.parametrize(
    ("physical", "psycho", "bother", "total", "subscale", "risk"), STARTBACK_CASES
)
def test_startback_scoring_and_every_boundary(
    physical: tuple[int, ...],
    psycho: tuple[int, ...],
    bother: int,
    total: int,
    subscale: int,
    risk: str,
) -> None:
    result = m.score(_measure(m.STARTBACK, (*physical, *psycho, bother)))
    assert (result.value, result.subscale, result.risk) == (total, subscale, risk)
    assert result.maximum == 9


@pytest.mark.parametrize(
    ("total", "subscale", "risk"),
    [
        (3, 3, "low"),
        (3, 0, "low"),
        (4, 3, "medium"),
        (4, 4, "high"),
        (9, 5, "high"),
        (5, 3, "medium"),
    ],
)
def test_startback_risk_rule(total: int, subscale: int, risk: str) -> None:
    assert m.startback_risk(total, subscale) == risk


@pytest.mark.parametrize(
    ("answers", "value"),
    [
        ((0, 0, 0), 0),
        ((10, 10, 10), 10),
        ((7, 6, 0), Fraction(13, 3)),
        ((5, 4, 4), Fraction(13, 3)),
        ((1, 2, 3), 2),
    ],
)
def test_peg_is_the_exact_mean(answers: tuple[int, ...], value: Fraction) -> None:
    result = m.score(_measure(m.PEG, answers))
    assert result.value == value and result.maximum == 10 and result.risk is None


@pytest.mark.parametrize("yes", [0, 1, 12, 23, 24])
def test_rmdq_counts_the_yes_answers(yes: int) -> None:
    answers = tuple(1 if i < yes else 0 for i in range(24))
    result = m.score(_measure(m.RMDQ, answers))
    assert result.value == yes and result.maximum == 24


@pytest.mark.parametrize(
    ("goals", "answers", "value"),
    [
        (("walk the dog",), (4,), 4),
        (("walk the dog", "lift my child"), (3, 6), Fraction(9, 2)),
        (("a", "b", "c"), (10, 0, 4), Fraction(14, 3)),
    ],
)
def test_psfs_is_the_mean_of_the_goals_rated(
    goals: tuple[str, ...], answers: tuple[int, ...], value: Fraction
) -> None:
    assert m.score(_measure(m.PSFS, answers, goals)).value == value


@pytest.mark.parametrize(
    ("instrument", "answers", "goals", "names"),
    [
        (m.PEG, (1, 2), (), ("PEG has 3 items", "gave 2")),
        (m.PEG, (1, 2, 11), (), ("PEG item 3", "0-10")),
        (m.PEG, (-1, 2, 3), (), ("PEG item 1", "0-10")),
        (m.STARTBACK, (0,) * 8 + (5,), (), ("STarT Back item 9", "0-4")),
        (m.STARTBACK, (0, 2) + (0,) * 7, (), ("STarT Back item 2", "0-1")),
        (m.RMDQ, (0,) * 25, (), ("Roland-Morris has 24 items", "gave 25")),
        (m.RMDQ, (0,) * 23 + (2,), (), ("Roland-Morris item 24", "0-1")),
        (m.PSFS, (5, 5), ("walk",), ("PSFS has 1 item:", "gave 2")),
        (m.PSFS, (11,), ("walk",), ("PSFS item 1", "0-10")),
        (m.PSFS, (5,), (), ("none yet",)),
    ],
)
def test_answer_validation_names_the_item_and_its_range(
    instrument: str, answers: tuple[int, ...], goals: tuple[str, ...], names: tuple[str, ...]
) -> None:
    with pytest.raises(InputError) as raised:
        inputs.check_answers(instrument, answers, goals)
    for name in names:
        assert name in raised.value.message


@pytest.mark.parametrize("text", ["1,0,x", "", "1;0", "1.5,2,3", ",,"])
def test_answers_must_be_whole_numbers(text: str) -> None:
    with pytest.raises(InputError):
        inputs.parse_answers(text)


def test_answers_parse_with_spaces() -> None:
    assert inputs.parse_answers(" 1, 0 ,10") == (1, 0, 10)


def test_unknown_instrument_is_an_input_error_with_the_closest() -> None:
    with pytest.raises(InputError) as raised:
        inputs.check_instrument("oswestry")
    assert raised.value.hint is not None and "startback, rmdq, psfs" in raised.value.hint
    assert "peg" not in raised.value.hint  # no longer asked
    with pytest.raises(InputError) as raised:
        inputs.check_instrument("startbak")
    assert "backcare measure startback" in str(raised.value.hint)
    assert inputs.check_instrument("Start-Back") == "startback"
    with pytest.raises(InputError) as raised:
        inputs.check_instrument("PEG")
    assert "PEG is no longer included" in raised.value.message


def test_answers_that_do_not_fit_are_never_scored() -> None:
    with pytest.raises(ValueError):
        m.score(_measure(m.PEG, (1, 2)))


def test_each_instrument_file_carries_its_terms_and_item_count() -> None:
    counts = {m.STARTBACK: 9, m.RMDQ: 24, m.PSFS: 1}
    for instrument_id, count in counts.items():
        inst = m.instrument(instrument_id)
        assert inst.id == instrument_id and len(inst.items) == count
        assert inst.citation and inst.terms and inst.copyright and inst.asked
    # The retired PEG: what its stored scores need (3 items 0-10), no wording, not asked.
    peg = m.instrument(m.PEG)
    assert not peg.asked and len(peg.items) == 3
    assert {(i.low, i.high, i.text) for i in peg.items} == {(0, 10, "")}
    # Keele's line kept verbatim (the terms of use ask for it).
    assert m.instrument(m.STARTBACK).copyright == (
        "© Keele University 01/08/07 Funded by Arthritis Research UK"
    )
    bother = m.instrument(m.STARTBACK).items[8]
    assert bother.options[m.STARTBACK_BOTHERSOME_POSITIVE :] == ("very much", "extremely")


def test_score_text_prints_a_mean_to_one_decimal() -> None:
    assert m.score_text(Fraction(13, 3)) == "4.3"
    assert m.score_text(Fraction(4, 1)) == "4"
    assert m.score_text(7) == "7"
