"""The numbers behind `backcare status`: one screen about today, as of a given time.

Pure: `status_view(history, profile, flags, as_of)` with `as_of` in the person's local zone;
"today" is as_of's local day. Entries after `as_of` are ignored. Time arithmetic is done on
UTC instants, so intervals are real hours across a DST change.

Choices:
- Episode day N is `episodes.episode_day`: the local calendar day of the onset is day 1
  (the one definition shared with summary, report and check --json).
- Trend compares the course's `current` (mean pain of the 24 h before as_of, the number the
  course rules use) with the episode baseline; its direction uses the rules' thresholds:
  'down' when improved (>= 2 points or >= 30 % of baseline), 'up' when current >= baseline
  + 2, else 'flat'. So the arrow never contradicts `check`; `change` gives the points.
- Next doses (`_next_doses`): the earliest time one more usual dose keeps every rolling
  24 h total within the maximum and respects the interval, prescription first, else label.
  The naproxen first-dose grace is not offered (conservative). Low-dose aspirin is not
  counted in the aspirin total. The usual dose is the prescription's, else the last dose
  taken, capped at the largest single dose (a larger dose now would break med.large-dose).
  Another NSAID in the last 24 h (not low-dose aspirin) blocks an NSAID until it is 24 h
  old (med.nsaid-combination); ibuprofen/naproxen wait 30 min after low-dose aspirin. No
  time is offered while the acetaminophen overdose flag is open (for acetaminophen; the
  flag stays 7 days), nor for an NSAID when a dose now would make NSAID days more than 10.
- Ice/heat: the last ice or heat application ended at at + minutes (at when minutes is not
  logged); the reapply window opens REAPPLY_GAP later. Shown while the application ended
  no more than REAPPLY_RELEVANT before as_of (or is still running).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING

from backcare.domain.episodes import course, episode_day
from backcare.domain.model import (
    LEVEL_RANK,
    THERMAL_KINDS,
    Flag,
    History,
    PainEntry,
    Profile,
    Treatment,
    recorded_sum,
)
from backcare.domain.outcomes import Change, Due, episode_changes, measures_due, phase_of
from backcare.domain.summary import DaySummary, daily_summaries
from backcare.domain.thresholds import (
    ASPIRIN_NSAID_AFTER,
    DOSE_WINDOW,
    EPISODE_GAP,
    FIRST_EPISODE_AGE,
    FIRST_EPISODE_YOUNG_AGE,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
    LOW_DOSE_ASPIRIN_MG,
    NSAID_DAYS_MAX,
    NSAID_GAP_RESETS,
    REAPPLY_GAP,
    WORSENING_POINTS,
)

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject

SPARKLINE_DAYS = 14  # the sparkline covers the 14 local days ending today
REAPPLY_RELEVANT = timedelta(hours=3)  # show the ice/heat window this long after it ended
# How far back `status_view` reads, apart from the episode (see `load_since`): the 14 local
# days of the sparkline (15 days covers them in any zone) and every shorter window.
STATUS_LOOKBACK = timedelta(days=SPARKLINE_DAYS + 1)

UP, DOWN, FLAT = "up", "down", "flat"


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    onset: datetime  # in as_of's zone
    day: int  # episodes.episode_day: the onset's local calendar day is day 1
    hours: float  # since onset
    baseline: float | None  # mean pain in the episode's first 24 h
    current: float | None  # mean pain in the 24 h before as_of


@dataclass(frozen=True, slots=True)
class Trend:
    baseline: float
    current: float
    change: float  # current - baseline: negative is better
    direction: str  # UP (worse), DOWN (better) or FLAT


@dataclass(frozen=True, slots=True)
class NextDose:
    drug: str
    last_dose_at: datetime  # in as_of's zone
    next_allowed_at: datetime | None  # None: no next dose (overdose)
    allowed: bool  # a usual dose now breaks no rule
    mg_24h: float  # mg of this drug in the 24 h before as_of (logged doses)
    daily_max_mg: float | None  # the maximum in force (prescription, else label)
    usual_mg: float | None = None  # the dose the time is computed for
    over_until: datetime | None = None  # over the maximum until then
    overdose: bool = False  # acetaminophen overdose: see the emergency flag
    prescribed: bool = False  # limits from a prescription (else the label)
    ten_days: bool = False  # a dose now makes NSAIDs on more than 10 days: no time offered


@dataclass(frozen=True, slots=True)
class Reapply:
    kind: str  # ice or heat: the last application
    ended_at: datetime  # in as_of's zone
    opens_at: datetime  # ended_at + REAPPLY_GAP
    open: bool  # as_of >= opens_at


@dataclass(frozen=True, slots=True)
class StatusView:
    as_of: datetime
    today: date  # as_of's local day
    episode: EpisodeInfo | None  # None: no active episode
    today_pain: tuple[PainEntry, ...]  # pain entries today up to as_of, oldest first
    latest_pain: PainEntry | None  # the latest pain entry at or before as_of (any day)
    trend: Trend | None  # None without an episode, a baseline or a current mean
    spasms_today: int | None  # None: no spasm count recorded today
    treatments_today: tuple[Treatment, ...]
    flags: tuple[Flag, ...]  # most severe first
    today_not_logged: bool  # due: no pain entry today yet
    next_doses: tuple[NextDose, ...]  # due: by drug name
    reapply: Reapply | None  # due: the ice/heat reapply window
    last14: tuple[DaySummary, ...]  # the 14 local days ending today, oldest first
    ask_prior_back_pain: bool = False  # due: answer `--prior-back-pain` (asks_prior_back_pain)
    acknowledged: int = 0  # flags left out because acknowledged (`backcare ack`)
    # issue 16 (domain/outcomes.py): the episode's phase, each questionnaire's first and
    # latest score with its verdict, and the questionnaires due
    phase: str | None = None
    outcomes: tuple[Change, ...] = ()
    measures_due: tuple[Due, ...] = ()


def asks_prior_back_pain(profile: Profile, as_of: datetime) -> bool:
    """True when `status` and `checkin` should ask whether the person had back pain before.

    Asked when it is not answered and the person is over 50 or under 20 (the ages at which
    a first episode is a risk: risk.first-after-50, risk.first-under-20). The age comes
    from the birth year alone (local year of `as_of` - birth year), which can be one more
    than the true age; the question errs towards being asked: over 50 is a difference
    above 50, under 20 a difference of 20 or less (a 19-year-old may already show 20).
    """
    if profile.prior_back_pain is not None or profile.birth_year is None:
        return False
    years = as_of.year - profile.birth_year
    return years > FIRST_EPISODE_AGE or years <= FIRST_EPISODE_YOUNG_AGE


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: every datetime in the domain must be timezone-aware")
    return dt.astimezone(UTC)


def load_since(as_of: datetime, onset: datetime | None = None) -> datetime:
    """The earliest `at` (UTC) the service must load for `status_view(as_of)`.

    STATUS_LOOKBACK covers the sparkline, doses and the ice/heat window. The episode needs
    more: `episodes.course` derives the onset from the pain entries, so when an episode is
    active the service must also load pain entries from EPISODE_GAP before its onset (the
    gap that makes it an onset), e.g. by finding the onset with a store query first. Pass
    that onset here to widen the range.
    """
    since = _utc(as_of) - STATUS_LOOKBACK
    if onset is not None:
        since = min(since, _utc(onset) - EPISODE_GAP)
    return since


def trend_direction(baseline: float, current: float) -> str:
    drop = baseline - current
    if drop > 0 and (drop >= IMPROVED_POINTS or drop >= IMPROVED_FRACTION * baseline):
        return DOWN
    if current - baseline >= WORSENING_POINTS:
        return UP
    return FLAT


def _next_doses(history: History, flags: Sequence[Flag], as_of: datetime) -> tuple[NextDose, ...]:
    """For each drug taken in the last 24 h (or whose interval still runs): the earliest
    t >= as_of at which ONE more usual dose keeps the rolling 24 h total within the maximum
    and respects the interval (prescription first, else label); also not within 24 h of a
    different NSAID, nor within 30 min after low-dose aspirin for ibuprofen/naproxen.

    Doses leave the window at their time + 24 h, so the candidates are max(now, last +
    interval, the blocks above) and each in-window dose's time + 24 h; the total can only
    fall over time, so the first candidate that fits is the answer and later windows that
    hold the new dose hold a subset of the same past doses. Over the maximum: also the time
    the total falls back within it. Acetaminophen overdose flag open: no time.
    """
    from backcare.domain.drugs import is_nsaid
    from backcare.domain.rules import ASPIRIN_BLOCKERS, limits_for

    tz = as_of.tzinfo
    now = _utc(as_of)
    assert tz is not None
    prescriptions = history.prescriptions
    doses: dict[str, list[tuple[datetime, float | None]]] = {}
    for t in history.treatments:
        at = _utc(t.at)
        if t.drug is None or at > now:
            continue
        doses.setdefault(t.drug, []).append((at, t.dose_mg))
    overdose = any(f.rule == "med.acetaminophen-overdose" for f in flags)

    def low_aspirin(drug: str, mg: float | None) -> bool:
        return drug == "aspirin" and mg is not None and mg <= LOW_DOSE_ASPIRIN_MG

    out = []
    for drug in sorted(doses):
        taken = sorted(doses[drug], key=lambda d: d[0])
        limits = limits_for(prescriptions, drug, now)
        if limits.interval is None and limits.daily_max_mg is None:
            continue
        last_at, last_mg = taken[-1]
        interval = limits.interval or timedelta(0)
        if last_at <= now - DOSE_WINDOW and last_at + interval <= now:
            continue  # neither taken in the last 24 h nor still waiting
        counted = [(at, mg) for at, mg in taken if not low_aspirin(drug, mg)]
        rx = limits.prescription
        usual = rx.dose_mg if rx is not None and rx.dose_mg is not None else last_mg
        if rx is None and usual is not None and limits.single_max_mg is not None:
            usual = min(usual, limits.single_max_mg)  # a dose now above it breaks large-dose

        def total(t: datetime, counted: list[tuple[datetime, float | None]] = counted) -> float:
            return sum(float(mg or 0) for at, mg in counted if t - DOSE_WINDOW < at <= t)

        earliest = max(now, last_at + interval)
        if is_nsaid(drug) and not low_aspirin(drug, usual):
            for other, other_doses in doses.items():
                if other != drug and is_nsaid(other):
                    for at, mg in other_doses:
                        if not low_aspirin(other, mg):
                            earliest = max(earliest, at + DOSE_WINDOW)
        if drug in ASPIRIN_BLOCKERS:
            for at, mg in doses.get("aspirin", []):
                if low_aspirin("aspirin", mg):
                    earliest = max(earliest, at + ASPIRIN_NSAID_AFTER)
        cap = limits.daily_max_mg
        mg_now = total(now)
        leave = sorted(at + DOSE_WINDOW for at, _ in counted if at + DOSE_WINDOW > now)
        over_until = None
        if cap is not None and mg_now > cap:
            over_until = next((t for t in leave if total(t) <= cap), None)
        next_at: datetime | None = earliest
        if cap is not None and usual is not None:
            candidates = [earliest, *(t for t in leave if t > earliest)]
            next_at = next((t for t in candidates if total(t) + usual <= cap), None)
        is_overdose = overdose and drug == "acetaminophen"
        ten_days = (
            rx is None
            and is_nsaid(drug)
            and not low_aspirin(drug, usual)
            and _nsaid_run_now(doses, now, tz)
        )
        if is_overdose or ten_days:
            next_at = None
        out.append(
            NextDose(
                drug=drug,
                last_dose_at=last_at.astimezone(tz),
                next_allowed_at=None if next_at is None else next_at.astimezone(tz),
                allowed=next_at is not None and next_at <= now,
                mg_24h=mg_now,
                daily_max_mg=cap,
                usual_mg=usual,
                over_until=None if over_until is None else over_until.astimezone(tz),
                overdose=is_overdose,
                prescribed=rx is not None,
                ten_days=ten_days,
            )
        )
    return tuple(out)


def _nsaid_run_now(
    doses: dict[str, list[tuple[datetime, float | None]]], now: datetime, tz: object
) -> bool:
    """Would an NSAID dose now make a run of NSAID days longer than NSAID_DAYS_MAX (the
    med.nsaid-10-days run: no gap of more than NSAID_GAP_RESETS dose-free days)?"""
    from backcare.domain.drugs import is_nsaid

    days = {
        at.astimezone(tz).date()  # type: ignore[arg-type]
        for drug, taken in doses.items()
        if is_nsaid(drug)
        for at, mg in taken
        if not (drug == "aspirin" and mg is not None and mg <= LOW_DOSE_ASPIRIN_MG)
    }
    today = now.astimezone(tz).date()  # type: ignore[arg-type]
    days.add(today)
    run, newest = 1, today
    for day in sorted((d for d in days if d < today), reverse=True):
        if newest - day - timedelta(days=1) > NSAID_GAP_RESETS:
            break  # dose-free days between them: (newest - day) - 1 day
        run, newest = run + 1, day
    return run > NSAID_DAYS_MAX


def next_doses(history: History, flags: Sequence[Flag], as_of: datetime) -> tuple[NextDose, ...]:
    """The next-dose lines' data at `as_of` (what `remind` shows too)."""
    return _next_doses(history.until(_utc(as_of)), flags, as_of)


def reapply_window(treatments: tuple[Treatment, ...], as_of: datetime) -> Reapply | None:
    now = _utc(as_of)
    thermal = [t for t in treatments if t.kind in THERMAL_KINDS and _utc(t.at) <= now]
    if not thermal:
        return None
    latest = max(thermal, key=lambda t: _utc(t.at))
    ended = _utc(latest.at) + timedelta(minutes=latest.minutes or 0)
    if now - ended > REAPPLY_RELEVANT:
        return None
    opens = ended + REAPPLY_GAP
    return Reapply(
        kind=latest.kind,
        ended_at=ended.astimezone(as_of.tzinfo),
        opens_at=opens.astimezone(as_of.tzinfo),
        open=now >= opens,
    )


def status_view(
    history: History,
    profile: Profile,
    flags: Sequence[Flag],
    as_of: datetime,
    *,
    acknowledged: int = 0,
) -> StatusView:
    """Everything `backcare status` shows, as of `as_of` (aware, in the local zone).

    `flags` come from the rules (`evaluate(history, profile, as_of)`); they are ordered
    most severe first here too (stable). `profile` decides whether the prior-back-pain
    question is due (`asks_prior_back_pain`).
    """
    tz = as_of.tzinfo
    now = _utc(as_of)  # raises on a naive as_of
    assert tz is not None
    today = as_of.date()
    seen = history.until(now)

    info: EpisodeInfo | None = None
    trend: Trend | None = None
    c = course(seen, now)
    if c is not None:
        hours = (now - _utc(c.onset)).total_seconds() / 3600
        info = EpisodeInfo(
            onset=c.onset.astimezone(tz),
            day=episode_day(c.onset, as_of),
            hours=hours,
            baseline=c.baseline,
            current=c.current,
        )
        if c.baseline is not None and c.current is not None:
            trend = Trend(
                baseline=c.baseline,
                current=c.current,
                change=c.current - c.baseline,
                direction=trend_direction(c.baseline, c.current),
            )

    today_pain = tuple(e for e in seen.pain if _utc(e.at).astimezone(tz).date() == today)
    treatments_today = tuple(
        t for t in seen.treatments if _utc(t.at).astimezone(tz).date() == today
    )
    latest = max(seen.pain, key=lambda e: _utc(e.at)) if seen.pain else None
    last14 = daily_summaries(seen, today - timedelta(days=SPARKLINE_DAYS - 1), today, tz)

    return StatusView(
        as_of=as_of,
        today=today,
        episode=info,
        today_pain=today_pain,
        latest_pain=latest,
        trend=trend,
        spasms_today=recorded_sum(e.spasms for e in today_pain),
        treatments_today=treatments_today,
        flags=tuple(sorted(flags, key=lambda f: LEVEL_RANK[f.level])),
        today_not_logged=not today_pain,
        next_doses=_next_doses(seen, flags, as_of),
        reapply=reapply_window(seen.treatments, as_of),
        last14=tuple(last14),
        ask_prior_back_pain=asks_prior_back_pain(profile, as_of),
        acknowledged=acknowledged,
        phase=None if c is None else phase_of(c.onset, now),
        outcomes=episode_changes(seen, now),
        measures_due=measures_due(seen, now),
    )


def _iso(at: datetime, zone: object) -> str:
    return at.astimezone(zone).isoformat()  # type: ignore[arg-type]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _score(value: Fraction) -> float:
    return round(float(value), 2)


def outcome_as_dict(change: Change, zone: object) -> JSONObject:
    """One questionnaire in `status --json`: first and latest score, change, verdict."""
    first, latest = change.first, change.latest
    return {
        "instrument": change.instrument,
        "first": {"id": first.ref, "at": _iso(first.at, zone), "score": _score(first.score)},
        "latest": {"id": latest.ref, "at": _iso(latest.at, zone), "score": _score(latest.score)},
        "count": change.count,
        "change": _score(change.delta),
        "verdict": change.verdict,
        "risk": latest.risk,
        "subscale": latest.subscale,
    }


def status_as_dict(view: StatusView, tip: object | None = None) -> JSONObject:
    """`status --json`: the same numbers as the screen, times ISO in as_of's zone."""
    from backcare.domain.summary import day_as_dict

    zone = view.as_of.tzinfo
    episode = view.episode
    trend = view.trend
    return {
        "as_of": view.as_of.isoformat(),
        "episode": None
        if episode is None
        else {
            "onset": _iso(episode.onset, zone),
            "day": episode.day,
            "hours": round(episode.hours, 2),
            "baseline": _round(episode.baseline),
            "current": _round(episode.current),
        },
        "today_pain": [
            {"id": e.ref, "at": _iso(e.at, zone), "pain": e.pain} for e in view.today_pain
        ],
        "latest_pain": None
        if view.latest_pain is None
        else {
            "id": view.latest_pain.ref,
            "at": _iso(view.latest_pain.at, zone),
            "pain": view.latest_pain.pain,
        },
        "trend": None
        if trend is None
        else {
            "baseline": _round(trend.baseline),
            "current": _round(trend.current),
            "change": _round(trend.change),
            "direction": trend.direction,
        },
        "spasms_today": view.spasms_today,
        "treatments_today": [
            {
                "id": t.ref,
                "at": _iso(t.at, zone),
                "kind": t.kind,
                "drug": t.drug,
                "dose_mg": t.dose_mg,
                "minutes": t.minutes,
            }
            for t in view.treatments_today
        ],
        "flags": [flag.as_dict() for flag in view.flags],
        "acknowledged_flags": view.acknowledged,
        "due": {
            "today_not_logged": view.today_not_logged,
            "prior_back_pain_question": view.ask_prior_back_pain,
            "next_doses": [
                {
                    "drug": d.drug,
                    "last_dose_at": _iso(d.last_dose_at, zone),
                    "next_allowed_at": None
                    if d.next_allowed_at is None
                    else _iso(d.next_allowed_at, zone),
                    "allowed": d.allowed,
                    "mg_24h": d.mg_24h,
                    "daily_max_mg": d.daily_max_mg,
                    "usual_mg": d.usual_mg,
                    "over_max_until": None if d.over_until is None else _iso(d.over_until, zone),
                    "overdose": d.overdose,
                    "nsaid_days_over": d.ten_days,
                    "limits_from": "prescription" if d.prescribed else "label",
                }
                for d in view.next_doses
            ],
            "measures": [
                {"instrument": d.instrument, "point": d.point, "optional": d.optional}
                for d in view.measures_due
            ],
            "reapply": None
            if view.reapply is None
            else {
                "kind": view.reapply.kind,
                "opens_at": _iso(view.reapply.opens_at, zone),
                "open": view.reapply.open,
            },
        },
        "last14": [day_as_dict(d) for d in view.last14],
        "phase": view.phase,
        "measures": [outcome_as_dict(c, zone) for c in view.outcomes],
        "tip": None
        if tip is None
        else {
            "id": getattr(tip, "id", None),
            "text": getattr(tip, "text", None),
            "topic": getattr(tip, "topic", None),
        },
    }
