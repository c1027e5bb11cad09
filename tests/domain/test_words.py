"""Plain words for symptom codes, kinds of care and guide topics map to real ones; near
misses get a suggestion (issue 15)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backcare.domain.guide import TOPIC_WORDS, TOPICS, suggest_topic, topic
from backcare.domain.inputs import KIND_WORDS, check_pain, check_symptom, new_treatment
from backcare.domain.model import CARE_KINDS
from backcare.domain.symptoms import SYMPTOM_CODES, SYMPTOM_SYNONYMS
from backcare.errors import InputError


def test_every_word_names_a_real_code_kind_or_topic() -> None:
    assert set(SYMPTOM_SYNONYMS.values()) <= set(SYMPTOM_CODES)
    assert set(KIND_WORDS.values()) <= set(CARE_KINDS)
    assert set(TOPIC_WORDS.values()) <= set(TOPICS)
    assert not set(SYMPTOM_SYNONYMS) & set(SYMPTOM_CODES)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("tingling", "leg-numbness"),
        ("Numb  Leg", "leg-numbness"),
        ("pins and needles", "leg-numbness"),
        ("leg numbness", "leg-numbness"),
        ("LEG_NUMBNESS", "leg-numbness"),
    ],
)
def test_symptom_words(typed: str, code: str) -> None:
    assert check_symptom(typed) == code


def test_words_that_do_not_say_which_symptom_are_refused() -> None:
    for typed in ("numb", "sciatica", "weight"):
        with pytest.raises(InputError):
            check_symptom(typed)


def test_kind_words_and_topics() -> None:
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert (
        new_treatment(at=at, kind="Ice Pack").kind,
        new_treatment(at=at, kind="physio").kind,
    ) == (
        "ice",
        "physical-therapy",
    )
    assert topic("ICE").name == "ice-heat"
    assert suggest_topic("slep") == "sleep"
    assert suggest_topic("zzzzzz") is None


@pytest.mark.parametrize(("typed", "pain"), [("7/10", 7), (" 0 / 10 ", 0), ("10/10", 10)])
def test_out_of_ten(typed: str, pain: int) -> None:
    assert check_pain(typed) == pain


@pytest.mark.parametrize("typed", ["11/10", "7/5", "7/", "/10", "-1/10"])
def test_out_of_ten_refused(typed: str) -> None:
    with pytest.raises(InputError):
        check_pain(typed)
