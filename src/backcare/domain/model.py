"""The domain vocabulary: what a person logs, and what backcare tells them.

Pure data. Every datetime here is timezone-aware. Functions that need the person's local
day (midnight, 06:00-18:00, "today") take `as_of` in the local zone and convert with
`dt.astimezone(as_of.tzinfo)`, so a DST-aware tzinfo gives DST-correct days.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject

LOCATIONS: tuple[str, ...] = ("lower", "middle", "upper", "neck")
RADIATES: tuple[str, ...] = ("none", "buttock", "thigh", "below-knee")
CARE_KINDS: tuple[str, ...] = (
    "ice",
    "heat",
    "medication",
    "stretching",
    "walking",
    "massage",
    "physical-therapy",
    "compression",
    "rest",
    "chiropractic",
    "other",
)
# Kinds whose `minutes` is the length of one application (docs/rules.md "Self-care routine").
THERMAL_KINDS: tuple[str, ...] = ("ice", "heat")
HISTORY_FLAGS: tuple[str, ...] = (
    "osteoporosis",
    "cancer",
    "steroid-use",
    "substance-misuse",
    "immunosuppressed",
    "blood-thinners",
    "stomach-ulcer",
    "kidney-disease",
    "heart-disease",
    "liver-disease",
    "alcohol",  # 3 or more drinks most days
)

# Flag levels, most severe first (docs/rules.md). `LEVEL_RANK[level]` orders flags.
LEVELS: tuple[str, ...] = ("emergency", "urgent", "soon", "routine", "caution", "info")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def at_or_above(level: str, threshold: str) -> bool:
    """True when `level` is as severe as `threshold` or more (emergency is above urgent)."""
    return LEVEL_RANK[level] <= LEVEL_RANK[threshold]


def recorded_sum(values: Iterable[int | None]) -> int | None:
    """The sum of the recorded values; None when none was recorded (not recorded is not 0)."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


@dataclass(frozen=True, slots=True)
class PainEntry:
    at: datetime
    pain: int
    spasms: int | None = None  # None: not recorded (an option left out is not 0)
    location: str | None = None
    radiates: str | None = None  # None: not recorded; "none" is a report of no spreading
    note: str | None = None
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"p{self.id}" if self.id is not None else "p?"


@dataclass(frozen=True, slots=True)
class Treatment:
    at: datetime
    kind: str
    drug: str | None = None  # normalised generic name when kind == "medication"
    dose_mg: float | None = None
    minutes: int | None = None
    relief: int | None = None
    relaxant: bool = False  # a `medication --drug X --relaxant` the user marks as a muscle relaxant
    note: str | None = None
    id: int | None = None
    uid: str = ""
    product: str | None = None  # the product typed (e.g. "Excedrin"), one row per ingredient

    @property
    def ref(self) -> str:
        return f"t{self.id}" if self.id is not None else "t?"


@dataclass(frozen=True, slots=True)
class SymptomReport:
    at: datetime
    code: str
    present: bool = True
    note: str | None = None
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"s{self.id}" if self.id is not None else "s?"


@dataclass(frozen=True, slots=True)
class Prescription:
    """A prescription for one drug: while in force its limits replace the label's.

    In force from `at` until the earlier of `until` and `stopped_at` (exclusive). A field
    left None falls back to the label.
    """

    at: datetime  # in force from
    drug: str  # generic name, or the name as typed for a drug backcare does not know
    dose_mg: float | None = None
    every: timedelta | None = None
    max_daily_mg: float | None = None
    until: datetime | None = None
    stopped_at: datetime | None = None
    relaxant: bool = False
    note: str | None = None
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"r{self.id}" if self.id is not None else "r?"

    @property
    def ends(self) -> datetime | None:
        ends = [e for e in (self.until, self.stopped_at) if e is not None]
        return min(ends) if ends else None

    def in_force(self, at: datetime) -> bool:
        ends = self.ends
        return self.at <= at and (ends is None or at < ends)


@dataclass(frozen=True, slots=True)
class CheckinAnswer(SymptomReport):
    """A code answered present in a check-in: a present report named after the check-in."""

    @property
    def ref(self) -> str:
        return f"c{self.id}" if self.id is not None else "c?"


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One `backcare checkin`: the codes it asked, and those answered present.

    A present answer counts as a report of that code (`answers`). A code asked and answered
    absent does not end an earlier report: only `symptom CODE --gone` does (the safer
    reading: a warning sign reported once keeps its flag for 14 days unless withdrawn).
    """

    at: datetime
    asked: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    note: str | None = None
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"c{self.id}" if self.id is not None else "c?"

    def answers(self, *, absent: bool = False) -> tuple[CheckinAnswer, ...]:
        """The present answers as reports (the rules count these); with `absent`, also the
        codes asked and answered absent (present=False: for a record of what was asked,
        such as the FHIR export). Each answer's uid is derived from the check-in's and its
        code, so it is stable and unique."""
        codes = self.asked if absent else self.present
        return tuple(
            CheckinAnswer(
                at=self.at,
                code=code,
                present=code in self.present,
                id=self.id,
                uid=_answer_uid(self.uid, code),
            )
            for code in codes
        )


def _answer_uid(checkin_uid: str, code: str) -> str:
    try:
        return str(uuid.uuid5(uuid.UUID(checkin_uid), code))
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class Measure:
    """One completed questionnaire (`backcare measure NAME`, issue 16).

    `instrument` is one of the instrument ids of `domain/measures.py` ("peg", retired and
    stored only; "startback", "rmdq", "psfs"); `answers` are the item answers in the
    instrument's item order (for PSFS: one rating per goal, in the order of `goals`, the
    goal texts asked at that time). The score and the risk group are derived from the
    answers by `domain/measures.py`, never stored apart from them.
    """

    at: datetime
    instrument: str
    answers: tuple[int, ...]
    goals: tuple[str, ...] = ()  # PSFS only: the activities rated, as worded when rated
    note: str | None = None
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"m{self.id}" if self.id is not None else "m?"


@dataclass(frozen=True, slots=True)
class Goal:
    """A Patient-Specific Functional Scale activity (`backcare goals add "walk the dog"`)."""

    at: datetime  # when it was added
    text: str
    ended_at: datetime | None = None  # `goals remove`: no longer asked from then on
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"g{self.id}" if self.id is not None else "g?"


# Any one thing a person logs.
Event = PainEntry | Treatment | SymptomReport


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event with the bookkeeping of its row: when it was recorded and (soft-)deleted.

    The rules never need these; the lossless JSON export and the importer do, so that a
    restore or a merge keeps soft-deleted rows and their history.
    """

    event: Event
    created_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    birth_year: int | None = None
    prior_back_pain: bool | None = None  # None: not answered
    history: frozenset[str] = frozenset()
    remind_at: tuple[time, ...] = ()
    name: str | None = None  # optional identity, never required: the FHIR Patient's name
    date_of_birth: date | None = None


def _sorted_by_at(items: tuple) -> tuple:  # type: ignore[type-arg]
    return tuple(sorted(items, key=lambda item: item.at))


@dataclass(frozen=True, slots=True)
class History:
    """What the domain functions read. Each sequence is kept sorted by `at` (oldest first)."""

    pain: tuple[PainEntry, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    symptoms: tuple[SymptomReport, ...] = ()
    onsets: tuple[datetime, ...] = ()  # explicit episode onsets, if the user set any
    prescriptions: tuple[Prescription, ...] = ()  # every live prescription (not windowed)
    measures: tuple[Measure, ...] = ()  # completed questionnaires (issue 16)
    goals: tuple[Goal, ...] = ()  # PSFS activities, ended ones included (not windowed)
    # (start, end): the loader left out the entries with start <= at < end, and in the whole
    # log the pain > 0 entries run from before start to after end with no 7-day gap (the
    # middle of a long episode; see `episodes.episode_onset`). None: nothing left out.
    elided: tuple[datetime, datetime] | None = None
    # Per instrument, how many measures of the left-out span are not in `measures` (the
    # loader keeps the episode's first and the latest of each): the episode's score count
    # stays exact (`outcomes.changes`). () when nothing is left out.
    elided_measures: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "pain", _sorted_by_at(tuple(self.pain)))
        object.__setattr__(self, "treatments", _sorted_by_at(tuple(self.treatments)))
        object.__setattr__(self, "symptoms", _sorted_by_at(tuple(self.symptoms)))
        object.__setattr__(self, "onsets", tuple(sorted(self.onsets)))
        object.__setattr__(self, "measures", _sorted_by_at(tuple(self.measures)))

    def until(self, as_of: datetime) -> History:
        """The history as it stood at `as_of`: entries after it are ignored."""
        return History(
            pain=tuple(e for e in self.pain if e.at <= as_of),
            treatments=tuple(t for t in self.treatments if t.at <= as_of),
            symptoms=tuple(s for s in self.symptoms if s.at <= as_of),
            onsets=tuple(o for o in self.onsets if o <= as_of),
            prescriptions=tuple(p for p in self.prescriptions if p.at <= as_of),
            measures=tuple(m for m in self.measures if m.at <= as_of),
            goals=tuple(g for g in self.goals if g.at <= as_of),
            elided=_elided_until(self.elided, as_of),
            # the counts hold for the whole left-out span only
            elided_measures=(
                self.elided_measures if self.elided is not None and self.elided[1] <= as_of else ()
            ),
        )


def _elided_until(
    elided: tuple[datetime, datetime] | None, as_of: datetime
) -> tuple[datetime, datetime] | None:
    """The left-out span as seen at `as_of`: cut at `as_of`, gone if it starts later."""
    if elided is None or elided[0] >= as_of:
        return None
    return (elided[0], min(elided[1], as_of))


@dataclass(frozen=True, slots=True)
class Flag:
    """One thing backcare tells the person: what to do, on whose advice, and why."""

    rule: str
    level: str
    title: str
    advice: str
    source: str
    evidence: tuple[str, ...] = field(default=())

    def as_dict(self) -> JSONObject:
        return {
            "rule": self.rule,
            "level": self.level,
            "title": self.title,
            "advice": self.advice,
            "source": self.source,
            "evidence": list(self.evidence),
        }
