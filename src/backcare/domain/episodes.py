"""Episodes and their course (docs/rules.md "Course of the episode").

An episode starts at its explicit onset, or at the first entry with pain > 0 after 7 days
without one (or the first entry ever). It is over once 7 days pass with no pain > 0.
The episode's day N (`episode_day`) is a calendar count: the local day of the onset is day 1,
the next local day day 2, and so on; `status`, `summary`, `report` and `check --json` all
use it (issue 15, "One truth everywhere").
Baseline is the mean pain of the entries in the first 24 h of the episode; current is the
mean pain of the entries in the 24 h before `as_of`.

All arithmetic is on UTC instants: Python subtracts two datetimes that share a tzinfo as
wall-clock times, which would make the 24 h across a DST change 23 or 25 real hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from fractions import Fraction

from backcare.domain.model import History, PainEntry
from backcare.domain.thresholds import (
    BASELINE_WINDOW,
    CURRENT_WINDOW,
    EPISODE_GAP,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
)


@dataclass(frozen=True, slots=True)
class Course:
    onset: datetime
    as_of: datetime
    baseline: float | None  # None: no entry in the first 24 h
    current: float | None  # None: no entry in the 24 h before as_of
    baseline_entries: tuple[PainEntry, ...]
    current_entries: tuple[PainEntry, ...]

    @property
    def age(self) -> float:
        """Hours since onset."""
        return (self.as_of - self.onset).total_seconds() / 3600

    @property
    def measurable(self) -> bool:
        return self.baseline is not None and self.current is not None

    @property
    def change(self) -> float | None:
        """current - baseline (negative is better); None when not measurable."""
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def improved(self) -> bool | None:
        """None when either window has no entry (then no course flag fires).

        Computed on exact fractions of the integer pain sums: with floats, an exact drop of
        2 points (26/3 -> 20/3) can come out as 1.9999999 and miss the threshold.
        """
        if self.baseline is None or self.current is None:
            return None
        baseline = _exact_mean(self.baseline_entries, self.baseline)
        current = _exact_mean(self.current_entries, self.current)
        drop = baseline - current
        points = Fraction(str(IMPROVED_POINTS))
        share = Fraction(str(IMPROVED_FRACTION))
        return drop >= points or drop >= share * baseline


def episode_day(onset: datetime, as_of: datetime, tz: tzinfo | None = None) -> int:
    """Day N of the episode: the local calendar day of `onset` is day 1.

    Both instants are read in `tz` (default: as_of's zone), so an onset at 23:30 is on day 2
    at 00:10 the next morning, whatever the hours between.
    """
    zone = tz if tz is not None else as_of.tzinfo
    return (as_of.astimezone(zone).date() - onset.astimezone(zone).date()).days + 1


def _exact_mean(entries: Sequence[PainEntry], mean: float) -> Fraction:
    if entries:
        return Fraction(sum(e.pain for e in entries), len(entries))
    return Fraction(mean).limit_denominator(10**6)  # a Course built from means alone


def _derived_onset(
    pain: Sequence[PainEntry], as_of: datetime, elided: tuple[datetime, datetime] | None = None
) -> datetime | None:
    """The first pain > 0 entry after the last 7-day gap, if pain > 0 is within 7 days.

    `elided` (History.elided): entries between its two instants were not loaded, and the
    log has no 7-day gap there, so two loaded entries on either side of it are one run,
    and the run reaches at least the end of the span.
    """
    onset: datetime | None = None
    previous: datetime | None = None
    hole = None if elided is None else (elided[0].astimezone(UTC), elided[1].astimezone(UTC))
    for entry in pain:
        if entry.at > as_of:
            break
        if entry.pain <= 0:
            continue
        at = entry.at.astimezone(UTC)
        bridged = hole is not None and previous is not None and previous <= hole[0] <= at
        if previous is None or (at - previous >= EPISODE_GAP and not bridged):
            onset = at
        previous = at
    if hole is not None and previous is not None and onset is not None and onset <= hole[0]:
        previous = max(previous, hole[1])  # the run went on through the left-out span
    if previous is None or as_of - previous >= EPISODE_GAP:
        return None  # no pain > 0 in the last 7 days: no active episode
    return onset


def episode_onset(history: History, as_of: datetime) -> datetime | None:
    """Onset of the episode active at `as_of`, or None when there is none.

    An explicit onset counts when it is the latest start before `as_of` and the episode it
    opened has had pain > 0 within 7 days (or the onset itself is that recent).
    """
    as_of = as_of.astimezone(UTC)
    derived = _derived_onset(history.pain, as_of, history.elided)
    explicit = [o for o in history.onsets if o <= as_of]
    if not explicit:
        return derived
    latest = explicit[-1].astimezone(UTC)
    # A derived onset replaces the explicit one only when a 7-day gap separates them: the
    # first pain logged after an explicit onset belongs to that same episode.
    if derived is not None and derived - latest >= EPISODE_GAP:
        return derived
    recent_pain = any(
        latest <= e.at <= as_of and e.pain > 0 and as_of - e.at.astimezone(UTC) < EPISODE_GAP
        for e in history.pain
    )
    if recent_pain or as_of - latest < EPISODE_GAP:
        return latest
    return derived


def _mean(entries: Sequence[PainEntry]) -> float | None:
    if not entries:
        return None
    return sum(e.pain for e in entries) / len(entries)


def course(history: History, as_of: datetime) -> Course | None:
    """The active episode's course at `as_of`, or None when no episode is active."""
    as_of = as_of.astimezone(UTC)
    onset = episode_onset(history, as_of)
    if onset is None:
        return None
    baseline_entries = tuple(
        e for e in history.pain if onset <= e.at < onset + BASELINE_WINDOW and e.at <= as_of
    )
    current_entries = tuple(e for e in history.pain if as_of - CURRENT_WINDOW < e.at <= as_of)
    return Course(
        onset=onset,
        as_of=as_of,
        baseline=_mean(baseline_entries),
        current=_mean(current_entries),
        baseline_entries=baseline_entries,
        current_entries=current_entries,
    )
