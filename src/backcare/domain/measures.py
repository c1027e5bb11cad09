"""Questionnaires (issue 16): the instruments as data, answer checks and the scoring.

Each instrument's wording, copyright and terms live in a data file beside this module
(`instruments/ID.toml`, not under backcare's licence: README "Questionnaire texts"); the
item count and each item's answer range come from there too, so they are stated once.
A retired instrument (PEG) has no data file: `instruments.RETIRED` declares what its
stored scores need (items and ranges, no wording), and it is never asked.
The scoring is the published one (docs/sources.md):

- PEG (Krebs et al. 2009; retired, stored scores only): 3 items 0-10; the score is their
  mean (0-10).
- STarT Back (Hill et al. 2008; Keele University, "Using and scoring the Keele STarT Back
  Screening Tool"): items 1-8 agree (1) / disagree (0); item 9 "bothersomeness" has 5
  options and counts 1 for "very much" or "extremely". Total 0-9; psychosocial subscale
  items 5-9, 0-5. Total 3 or less: low risk; otherwise subscale 4 or more: high risk;
  otherwise medium.
- Roland-Morris (Roland & Fairbank 2000): 24 yes (1) / no (0) items; score = the count, 0-24.
- PSFS (Stratford et al. 1995): up to 3 activities rated 0-10; score = the mean (0-10).

Pure: no clock, database or terminal. Scores are exact (`Fraction` for a mean). What is
wrong with answers is described here (`answer_problem`); domain/inputs.py words it as the
InputError (exit 2) the person sees.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the store imports INSTRUMENT_IDS on every start
    from datetime import datetime
    from fractions import Fraction

    from backcare.domain.model import Goal, Measure

from backcare.domain.instruments import INSTRUMENT_IDS, RETIRED
from backcare.domain.thresholds import (
    STARTBACK_HIGH_SUBSCALE_MIN,
    STARTBACK_ITEM9_AGREE_FROM,
    STARTBACK_LOW_TOTAL_MAX,
)

PEG, STARTBACK, RMDQ, PSFS = INSTRUMENT_IDS

# STarT Back (Keele scoring, Hill et al. 2008).
STARTBACK_SUBSCALE_ITEMS: tuple[int, ...] = (5, 6, 7, 8, 9)  # item numbers, 1-based
STARTBACK_BOTHERSOME_ITEM = 9
# Item 9's option from which it counts 1 (3 "very much", 4 "extremely"), and the risk-group
# cut-offs: stated once in domain/thresholds.py (the rules' advice quotes them too).
STARTBACK_BOTHERSOME_POSITIVE = STARTBACK_ITEM9_AGREE_FROM
RISK_LOW = "low"
RISK_MEDIUM = "medium"
RISK_HIGH = "high"

PSFS_MAX_GOALS = 3  # the activities `goals add` keeps at once (issue 16)
GOAL_TEXT_LIMIT = 120


def most_goals_at_once(goals: Sequence[Goal], since: datetime) -> int:
    """The most goals active at one moment from `since` on (active at t: added at or before t
    and not ended by t). The count only rises where a goal starts, so those moments suffice."""
    moments = [since, *(g.at for g in goals if g.at > since)]
    return max(
        sum(1 for g in goals if g.at <= t and (g.ended_at is None or g.ended_at > t))
        for t in moments
    )


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based, as printed on the form
    text: str
    low: int
    high: int
    low_word: str = ""
    high_word: str = ""
    options: tuple[str, ...] = ()  # one word per answer value, when the item has options


@dataclass(frozen=True, slots=True)
class Instrument:
    id: str
    name: str
    short: str
    citation: str
    copyright: str
    terms: str
    intro: str
    items: tuple[Item, ...]  # for PSFS: the one rating item, repeated per goal
    max_items: int | None = None  # PSFS: one item per goal, at most this many
    asked: bool = True  # False: retired (no wording; stored scores only)


@dataclass(frozen=True, slots=True)
class Score:
    value: Fraction | int  # exact: a mean is a Fraction
    maximum: int
    subscale: int | None = None  # STarT Back psychosocial subscale (items 5-9)
    risk: str | None = None  # STarT Back risk group: low, medium, high


def _item(number: int, data: dict[str, object]) -> Item:
    options = tuple(str(o) for o in data.get("options", ()))  # type: ignore[attr-defined]
    return Item(
        number=number,
        text=str(data["text"]),
        low=int(data["min"]),  # type: ignore[call-overload]
        high=int(data["max"]),  # type: ignore[call-overload]
        low_word=str(data.get("low", options[0] if options else "")),
        high_word=str(data.get("high", options[-1] if options else "")),
        options=options,
    )


def retired_instrument(instrument_id: str) -> Instrument:
    """A retired instrument from its declaration: numbered items with their ranges and no
    wording; `asked` False (what shows it labels it, messages.MEASURE_RETIRED_NAME)."""
    retired = RETIRED[instrument_id]
    return Instrument(
        id=retired.id,
        name=retired.short,
        short=retired.short,
        citation="",
        copyright="",
        terms="",
        intro="",
        items=tuple(Item(n, "", retired.low, retired.high) for n in range(1, retired.items + 1)),
        asked=retired.asked,
    )


@cache
def instrument(instrument_id: str) -> Instrument:
    """The instrument's data file, read once (KeyError for an id not in INSTRUMENT_IDS)."""
    if instrument_id not in INSTRUMENT_IDS:
        raise KeyError(instrument_id)
    if instrument_id in RETIRED:
        return retired_instrument(instrument_id)
    import tomllib
    from importlib import resources

    text = resources.files("backcare.domain.instruments").joinpath(f"{instrument_id}.toml")
    data = tomllib.loads(text.read_text(encoding="utf-8"))
    items = tuple(_item(n, item) for n, item in enumerate(data["items"], start=1))
    return Instrument(
        id=data["id"],
        name=data["name"],
        short=data["short"],
        citation=data["citation"],
        copyright=data["copyright"],
        terms=data["terms"],
        intro=data["intro"],
        items=items,
        max_items=data.get("max_items"),
    )


def items_for(instrument_id: str, goals: Sequence[str] = ()) -> tuple[Item, ...]:
    """The items asked, in order: for PSFS one rating per goal, worded by the goal."""
    inst = instrument(instrument_id)
    if instrument_id != PSFS:
        return inst.items
    rating = inst.items[0]
    return tuple(
        Item(n, goal, rating.low, rating.high, rating.low_word, rating.high_word)
        for n, goal in enumerate(goals, start=1)
    )


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Why answers do not fit an instrument: "goals" (PSFS with no goal), "count" (not one
    answer per item) or "range" (`item`'s answer outside its range)."""

    kind: str
    expected: int = 0
    given: int = 0
    item: Item | None = None


def answer_problem(
    instrument_id: str, answers: Sequence[int], goals: Sequence[str] = ()
) -> AnswerProblem | None:
    """None when there is one answer per item and each is in its item's range."""
    if instrument_id == PSFS and not goals:
        return AnswerProblem("goals")
    items = items_for(instrument_id, goals)
    if len(answers) != len(items):
        return AnswerProblem("count", expected=len(items), given=len(answers))
    for item, answer in zip(items, answers, strict=True):
        if isinstance(answer, bool) or not isinstance(answer, int):
            return AnswerProblem("range", item=item)
        if not item.low <= answer <= item.high:
            return AnswerProblem("range", item=item)
    return None


def startback_risk(total: int, subscale: int) -> str:
    """The Keele risk group: total <= 3 low; else subscale >= 4 high; else medium."""
    if total <= STARTBACK_LOW_TOTAL_MAX:
        return RISK_LOW
    if subscale >= STARTBACK_HIGH_SUBSCALE_MIN:
        return RISK_HIGH
    return RISK_MEDIUM


def _startback_points(answers: Sequence[int]) -> tuple[int, ...]:
    points = list(answers)
    last = STARTBACK_BOTHERSOME_ITEM - 1
    points[last] = 1 if answers[last] >= STARTBACK_BOTHERSOME_POSITIVE else 0
    return tuple(points)


def score(measure: Measure) -> Score:
    """The published score of a completed questionnaire (its answers checked on input;
    answers that do not fit are a ValueError here, never a wrong score)."""
    from fractions import Fraction

    if answer_problem(measure.instrument, measure.answers, measure.goals) is not None:
        raise ValueError(f"answers do not fit {measure.instrument}")
    answers = measure.answers
    if measure.instrument == PEG:
        return Score(Fraction(sum(answers), len(answers)), maximum=10)
    if measure.instrument == PSFS:
        return Score(Fraction(sum(answers), len(answers)), maximum=10)
    if measure.instrument == RMDQ:
        return Score(sum(answers), maximum=len(answers))
    points = _startback_points(answers)
    total = sum(points)
    subscale = sum(points[n - 1] for n in STARTBACK_SUBSCALE_ITEMS)
    return Score(
        total,
        maximum=len(points),
        subscale=subscale,
        risk=startback_risk(total, subscale),
    )


def score_text(value: Fraction | int) -> str:
    """A score as printed: whole numbers bare, a mean to one decimal (4.3)."""
    if isinstance(value, int) or value.denominator == 1:  # Fraction (imported lazily)
        return str(int(value))
    return f"{float(value):.1f}"
