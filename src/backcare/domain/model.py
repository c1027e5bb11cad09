"""The domain vocabulary: what a person logs, and what backcare tells them.

Pure data. Every datetime here is timezone-aware. Functions that need the person's local
day (midnight, 06:00-18:00, "today") take `as_of` in the local zone and convert with
`dt.astimezone(as_of.tzinfo)`, so a DST-aware tzinfo gives DST-correct days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

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
)

# Flag levels, most severe first (docs/rules.md). `LEVEL_RANK[level]` orders flags.
LEVELS: tuple[str, ...] = ("emergency", "urgent", "soon", "routine", "caution", "info")
LEVEL_RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS)}


def at_or_above(level: str, threshold: str) -> bool:
    """True when `level` is as severe as `threshold` or more (emergency is above urgent)."""
    return LEVEL_RANK[level] <= LEVEL_RANK[threshold]


@dataclass(frozen=True, slots=True)
class PainEntry:
    at: datetime
    pain: int
    spasms: int = 0
    location: str | None = None
    radiates: str = "none"
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


def _sorted_by_at(items: tuple) -> tuple:  # type: ignore[type-arg]
    return tuple(sorted(items, key=lambda item: item.at))


@dataclass(frozen=True, slots=True)
class History:
    """What the domain functions read. Each sequence is kept sorted by `at` (oldest first)."""

    pain: tuple[PainEntry, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    symptoms: tuple[SymptomReport, ...] = ()
    onsets: tuple[datetime, ...] = ()  # explicit episode onsets, if the user set any

    def __post_init__(self) -> None:
        object.__setattr__(self, "pain", _sorted_by_at(tuple(self.pain)))
        object.__setattr__(self, "treatments", _sorted_by_at(tuple(self.treatments)))
        object.__setattr__(self, "symptoms", _sorted_by_at(tuple(self.symptoms)))
        object.__setattr__(self, "onsets", tuple(sorted(self.onsets)))

    def until(self, as_of: datetime) -> History:
        """The history as it stood at `as_of`: entries after it are ignored."""
        return History(
            pain=tuple(e for e in self.pain if e.at <= as_of),
            treatments=tuple(t for t in self.treatments if t.at <= as_of),
            symptoms=tuple(s for s in self.symptoms if s.at <= as_of),
            onsets=tuple(o for o in self.onsets if o <= as_of),
        )


@dataclass(frozen=True, slots=True)
class Flag:
    """One thing backcare tells the person: what to do, on whose advice, and why."""

    rule: str
    level: str
    title: str
    advice: str
    source: str
    evidence: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "level": self.level,
            "title": self.title,
            "advice": self.advice,
            "source": self.source,
            "evidence": list(self.evidence),
        }
