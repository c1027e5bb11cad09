"""What the measures mean (issue 16 part B): meaningful change, the schedule, the phase.

Pure: no clock, no database, no terminal; `as_of` is a parameter (aware, the person's local
zone). Every number comes from `thresholds.py`; docs/rules.md and docs/sources.md name the
sources.

Scores (`scored`): a `Scored` value (what these views need) from a stored `Measure`, by
the published scoring in `domain/measures.py` (no scoring here). Lower is better for PEG
(retired: stored scores only) and RMDQ, higher for PSFS; STarT Back sorts people into
risk groups (no change verdict).

Meaningful change (`verdict`, `episode_changes`): the latest score against the FIRST score
of the active episode (`episodes.episode_onset`), on exact fractions.
- Better: the score moved the better way by at least the published points, or by at least
  the published share of the first score (pain NRS 2 points or 30 %, Farrar et al. 2001 /
  Ostelo et al. 2008; RMDQ 5 points or 30 %, Ostelo et al. 2008). Exactly on the edge counts.
- Worse: the score moved the worse way by at least the published points (the share is not
  used for worse: from a first RMDQ of 1, one more "yes" is not a meaningful worsening).
- Otherwise no meaningful change.
- PSFS: 2.3 points on the mean either way (Abbott & Schmitt 2014, the minimum important
  difference for a medium change; no share).
- PEG (no longer asked; stored scores are still shown): no verdict (None). Krebs et al.
  2009 report the PEG as responsive (it told improved from not improved at 6 months) but
  give no threshold; Reed et al. 2023 (J Pain) give MID ranges (about 1.0-1.75 by anchor),
  not one figure. The change is shown without a verdict.
- A single score has no verdict (nothing to compare with).

Schedule (`measures_due`): nothing is due without an active episode or before it is
MEASURE_FIRST_AGE (24 h) old. Times are elapsed time from the onset (UTC instants).
Who is asked (a choice: `remind` notifies, and three questionnaires pushed every evening at
someone who never chose them would be nagging): STarT Back is always due at its points (NICE
NG59 asks for the risk group at the first contact; 9 short items); RMDQ once the person
has taken it at least once (any earlier score in `history`, even from an earlier episode:
the caller loads the latest of each instrument); PSFS while a goal is active (adding a goal
is the choice). A retired instrument (PEG, `instruments.RETIRED`) is never due, even for
someone who took it before.
- STarT Back: at the start (a score in the first 3 days; due from 24 h until 3 days) and at
  week 2 (due from 14 days for 7 days, met by a score taken in that window).
- RMDQ (optional): at the start (as STarT Back) and at weeks 2, 6 and 12 (each due for 7
  days from its day, met by a score in that window). A missed point is not asked later.
- PSFS weekly, only while at least one goal is active (added, not removed): due when the
  episode has no PSFS yet, or its latest is 7 days old or more.
A score taken before a point's window opens does not meet that point (a week-2 RMDQ taken
on day 13 leaves week 2 due: the windows are the published time points).

Phase (`phase_of`): from the episode onset, elapsed time: acute under 6 weeks; subacute from
exactly 6 weeks to exactly 12 weeks (both inclusive); chronic after 12 weeks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from fractions import Fraction

from backcare.domain.episodes import episode_onset
from backcare.domain.instruments import ASKED_IDS, INSTRUMENT_IDS
from backcare.domain.measures import RISK_HIGH, RISK_LOW, RISK_MEDIUM, score
from backcare.domain.model import Goal, History, Measure
from backcare.domain.numbers import mean_str
from backcare.domain.thresholds import (
    CHRONIC_AFTER,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
    MEASURE_FIRST_AGE,
    MEASURE_POINT_WINDOW,
    MEASURE_START_WINDOW,
    MEASURE_WEEKLY,
    PSFS_CHANGE_POINTS,
    RMDQ_CHANGE_FRACTION,
    RMDQ_CHANGE_POINTS,
    SUBACUTE_FROM,
)

PEG, STARTBACK, RMDQ, PSFS = INSTRUMENT_IDS
PAIN = "pain"  # the pain NRS of pain entries (for the verdict table; not a Measure)
# The order shown everywhere: every instrument stored data may hold, a retired one too.
INSTRUMENTS: tuple[str, ...] = INSTRUMENT_IDS

LOW, MEDIUM, HIGH = RISK_LOW, RISK_MEDIUM, RISK_HIGH
BETTER, NO_CHANGE, WORSE = "better", "no-change", "worse"
ACUTE, SUBACUTE, CHRONIC = "acute", "subacute", "chronic"

# Each instrument's range and its good direction (the chart's axis and the verdict).
SCALE_MAX: dict[str, int] = {PAIN: 10, PEG: 10, STARTBACK: 9, RMDQ: 24, PSFS: 10}
LOWER_IS_BETTER: dict[str, bool] = {
    PAIN: True,
    PEG: True,
    STARTBACK: True,
    RMDQ: True,
    PSFS: False,
}


def _exact(value: float) -> Fraction:
    """A threshold as the decimal it is written as (0.30 is 3/10, not its binary float)."""
    return Fraction(str(value))


@dataclass(frozen=True, slots=True)
class ChangeRule:
    """The smallest change that matters: `points`, or `share` of the first score."""

    points: Fraction
    share: Fraction | None
    source: str


MEANINGFUL_CHANGE: dict[str, ChangeRule | None] = {
    PAIN: ChangeRule(
        _exact(IMPROVED_POINTS), _exact(IMPROVED_FRACTION), "Farrar et al. 2001; Ostelo et al. 2008"
    ),
    RMDQ: ChangeRule(
        Fraction(RMDQ_CHANGE_POINTS), _exact(RMDQ_CHANGE_FRACTION), "Ostelo et al. 2008"
    ),
    PEG: None,  # retired; no single figure confirmed (module docstring): no verdict
    PSFS: ChangeRule(_exact(PSFS_CHANGE_POINTS), None, "Abbott & Schmitt 2014"),
    STARTBACK: None,  # a risk group, not a change measure
}


@dataclass(frozen=True, slots=True)
class Scored:
    """One measure's score: what the outcome views need from a Measure."""

    instrument: str
    at: datetime
    score: Fraction
    subscale: int | None = None  # STarT Back psychosocial subscale (items 5-9)
    risk: str | None = None  # STarT Back: LOW, MEDIUM or HIGH
    ref: str = ""  # the measure's ID (m3)
    goals: tuple[str, ...] = ()  # PSFS: the activities rated (a mean over others differs)


def scored(measure: Measure) -> Scored:
    """The measure's score by its published scoring (`domain/measures.score`)."""
    result = score(measure)
    return Scored(
        measure.instrument,
        measure.at,
        Fraction(result.value),
        subscale=result.subscale,
        risk=result.risk,
        ref=measure.ref,
        goals=measure.goals,
    )


def verdict(instrument: str, first: Fraction, latest: Fraction) -> str | None:
    """BETTER, NO_CHANGE or WORSE from `first` to `latest`; None when no published figure."""
    rule = MEANINGFUL_CHANGE.get(instrument)
    if rule is None:
        return None
    gain = first - latest if LOWER_IS_BETTER[instrument] else latest - first
    if gain > 0 and (
        gain >= rule.points or (rule.share is not None and gain >= rule.share * first)
    ):
        return BETTER
    if -gain >= rule.points:
        return WORSE
    return NO_CHANGE


@dataclass(frozen=True, slots=True)
class Change:
    """An instrument's scores in the episode: the first, the latest and what the change means."""

    instrument: str
    first: Scored
    latest: Scored
    count: int  # scores of this instrument in the episode
    verdict: str | None  # None: one score only, or no published figure

    @property
    def same_activities(self) -> bool:
        """False when a PSFS's first and latest scores rate different activities."""
        return self.first.goals == self.latest.goals

    @property
    def delta(self) -> Fraction:
        """latest - first (for PEG, RMDQ and pain negative is better; for PSFS positive)."""
        return self.latest.score - self.first.score


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: every datetime in the domain must be timezone-aware")
    return dt.astimezone(UTC)


def scores_since(history: History, since: datetime, as_of: datetime) -> tuple[Scored, ...]:
    """Every score from `since` to `as_of` (both inclusive), oldest first."""
    start, end = _utc(since), _utc(as_of)
    return tuple(scored(m) for m in history.measures if start <= _utc(m.at) <= end)


def changes(
    scores: Sequence[Scored], uncounted: Mapping[str, int] | None = None
) -> tuple[Change, ...]:
    """Per instrument (INSTRUMENTS order) with a score: first, latest and the verdict.
    `uncounted`: per instrument, scores of the period not in `scores` (the middle of a long
    episode, `History.elided_measures`), added to the count."""
    extra = uncounted or {}
    out = []
    for instrument in INSTRUMENTS:
        own = sorted((s for s in scores if s.instrument == instrument), key=lambda s: _utc(s.at))
        if not own:
            continue
        first, latest = own[0], own[-1]
        judged = verdict(instrument, first.score, latest.score) if len(own) > 1 else None
        if first.goals != latest.goals:
            # A PSFS mean over other activities is not the same measure: the change is
            # shown, never called meaningful (the safer reading: a goal removed since the
            # first score can make the mean rise with no change in what the person can do).
            judged = None
        out.append(Change(instrument, first, latest, len(own) + extra.get(instrument, 0), judged))
    return tuple(out)


def episode_changes(history: History, as_of: datetime) -> tuple[Change, ...]:
    """The changes since the first score of the episode active at `as_of`; () without one."""
    onset = episode_onset(history, _utc(as_of))
    if onset is None:
        return ()
    return changes(scores_since(history, onset, as_of), dict(history.elided_measures))


def latest_startback(history: History, as_of: datetime) -> Scored | None:
    """The latest STarT Back score of the episode active at `as_of`, or None."""
    onset = episode_onset(history, _utc(as_of))
    if onset is None:
        return None
    own = [s for s in scores_since(history, onset, as_of) if s.instrument == STARTBACK]
    return own[-1] if own else None


# --- Phase --------------------------------------------------------------------------------


def phase_of(onset: datetime, as_of: datetime) -> str:
    """ACUTE under 6 weeks; SUBACUTE from 6 to 12 weeks inclusive; CHRONIC after 12 weeks."""
    age = _utc(as_of) - _utc(onset)
    if age < SUBACUTE_FROM:
        return ACUTE
    if age <= CHRONIC_AFTER:
        return SUBACUTE
    return CHRONIC


def episode_phase(history: History, as_of: datetime) -> str | None:
    """The phase of the episode active at `as_of`; None without one."""
    onset = episode_onset(history, _utc(as_of))
    return None if onset is None else phase_of(onset, as_of)


# --- Schedule -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Due:
    instrument: str
    point: str  # "start", "week-2", "week-6", "week-12" or "weekly"
    optional: bool = False  # RMDQ: optional (shown as such, never a nag on its own)


START = "start"
WEEKLY = "weekly"
# The scheduled points: (instrument, point, days from the onset, optional).
POINTS: tuple[tuple[str, str, int, bool], ...] = (
    (STARTBACK, START, 0, False),
    (STARTBACK, "week-2", 14, False),
    (RMDQ, START, 0, True),
    (RMDQ, "week-2", 14, True),
    (RMDQ, "week-6", 42, True),
    (RMDQ, "week-12", 84, True),
)
WEEKLY_INSTRUMENTS: tuple[str, ...] = (PSFS,)
ALWAYS_ASKED: frozenset[str] = frozenset({STARTBACK})  # the others once the person uses them


def active_goals(goals: Sequence[Goal], as_of: datetime) -> tuple[Goal, ...]:
    """The PSFS goals added at or before `as_of` and not removed by then."""
    now = _utc(as_of)
    return tuple(
        g for g in goals if _utc(g.at) <= now and (g.ended_at is None or _utc(g.ended_at) > now)
    )


def _point_window(onset: datetime, days: int) -> tuple[datetime, datetime]:
    opens = onset + timedelta(days=days)
    return opens, opens + (MEASURE_START_WINDOW if days == 0 else MEASURE_POINT_WINDOW)


def measures_due(history: History, as_of: datetime) -> tuple[Due, ...]:
    """The measures due at `as_of` (see the module docstring), in INSTRUMENTS order."""
    now = _utc(as_of)
    onset = episode_onset(history, now)
    if onset is None or now - onset < MEASURE_FIRST_AGE:
        return ()
    taken: dict[str, list[datetime]] = {}
    for m in history.measures:
        at = _utc(m.at)
        if onset <= at <= now:
            taken.setdefault(m.instrument, []).append(at)
    used = {m.instrument for m in history.measures if _utc(m.at) <= now}
    found: list[Due] = []
    for instrument, point, days, optional in POINTS:
        if instrument not in ASKED_IDS:
            continue
        if instrument not in ALWAYS_ASKED and instrument not in used:
            continue
        opens, closes = _point_window(onset, days)
        if not opens <= now < closes:
            continue
        if any(opens <= at < closes for at in taken.get(instrument, ())):
            continue
        found.append(Due(instrument, point, optional))
    goals = active_goals(history.goals, now)
    for instrument in WEEKLY_INSTRUMENTS:
        if instrument not in ASKED_IDS or not goals:
            continue
        last = max(taken.get(instrument, ()), default=None)
        if last is None or now - last >= MEASURE_WEEKLY:
            found.append(Due(instrument, WEEKLY))
    order = {name: i for i, name in enumerate(INSTRUMENTS)}
    return tuple(sorted(found, key=lambda d: order[d.instrument]))


# --- Numbers as shown (status, summary, report; the words are in messages.py) -----------------


def score_str(score: Fraction) -> str:
    """A whole score as itself ("9"), a mean to one decimal, rounded half up ("6.3")."""
    return str(score.numerator) if score.denominator == 1 else mean_str(float(score))


def delta_str(delta: Fraction) -> str:
    """A change with its sign: "+2", "-0.7", "0"."""
    if delta == 0:
        return "0"
    return ("+" if delta > 0 else "-") + score_str(abs(delta))


# --- Over the weeks (summary chart, report) ----------------------------------------------------


def better_target(instrument: str, first: Fraction) -> Fraction | None:
    """The score at which the change from `first` becomes meaningfully better (the chart's
    mark): first minus the smaller of the points and the share (either suffices), or plus it
    where higher is better; clamped to the scale. None without a published figure."""
    rule = MEANINGFUL_CHANGE.get(instrument)
    if rule is None:
        return None
    step = rule.points if rule.share is None else min(rule.points, rule.share * first)
    if LOWER_IS_BETTER[instrument]:
        return max(first - step, Fraction(0))
    return min(first + step, Fraction(SCALE_MAX[instrument]))


@dataclass(frozen=True, slots=True)
class Series:
    """One instrument's scores week by week: the latest score of each week (None: none)."""

    instrument: str
    weeks: tuple[date, ...]  # the first local day of each week
    scores: tuple[Scored | None, ...]
    first: Scored  # the reference of the change: the episode's first score, else the period's
    target: Fraction | None  # better_target(first): the mark on the chart


def weekly_series(
    history: History,
    start: date,
    end: date,
    tz: tzinfo,
    firsts: Mapping[str, Scored] | None = None,
) -> tuple[Series, ...]:
    """Per instrument with a score in the local days [start, end]: weeks of 7 days from
    `start` (the last may be shorter), each with its latest score. INSTRUMENTS order.
    `firsts`: per instrument, the reference of the change (the active episode's first
    score, `episode_changes`); without one, the first score in the period."""
    weeks = tuple(start + timedelta(days=7 * i) for i in range((end - start).days // 7 + 1))
    found = []
    for instrument in INSTRUMENTS:
        own = [
            scored(m)
            for m in history.measures
            if m.instrument == instrument and start <= m.at.astimezone(tz).date() <= end
        ]
        if not own:
            continue
        own.sort(key=lambda s: _utc(s.at))
        by_week: dict[int, Scored] = {}
        for s in own:
            by_week[(s.at.astimezone(tz).date() - start).days // 7] = s  # the latest wins
        first = (firsts or {}).get(instrument, own[0])
        found.append(
            Series(
                instrument,
                weeks,
                tuple(by_week.get(i) for i in range(len(weeks))),
                first,
                better_target(instrument, first.score),
            )
        )
    return tuple(found)
