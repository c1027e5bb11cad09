"""The numbers behind `backcare status`: one screen about today, as of a given time.

Pure: `status_view(history, profile, flags, as_of)` with `as_of` in the person's local zone;
"today" is as_of's local day. Entries after `as_of` are ignored. Time arithmetic is done on
UTC instants, so intervals are real hours across a DST change.

Choices:
- Episode day N = floor(hours since onset / 24) + 1: day 1 is the onset's first 24 h, so
  "day 4" starts exactly when the 72 h course rule can fire.
- Trend compares the course's `current` (mean pain of the 24 h before as_of, the number the
  course rules use) with the episode baseline; its direction uses the rules' thresholds:
  'down' when improved (>= 2 points or >= 30 % of baseline), 'up' when current >= baseline
  + 2, else 'flat'. So the arrow never contradicts `check`; `change` gives the points.
- Next doses: for each drug with a label interval (DRUG_LIMITS) taken today, or taken
  before today with its interval still running (a 23:00 dose at 01:00): next allowed =
  last dose + interval. The naproxen first-dose grace is not offered (conservative).
- Ice/heat: the last ice or heat application ended at at + minutes (at when minutes is not
  logged); the reapply window opens REAPPLY_GAP later. Shown while the application ended
  no more than REAPPLY_RELEVANT before as_of (or is still running).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from backcare.domain.episodes import course
from backcare.domain.model import (
    LEVEL_RANK,
    THERMAL_KINDS,
    Flag,
    History,
    PainEntry,
    Profile,
    Treatment,
)
from backcare.domain.summary import DaySummary, daily_summaries, local_midnight
from backcare.domain.thresholds import (
    DOSE_WINDOW,
    DRUG_LIMITS,
    EPISODE_GAP,
    FIRST_EPISODE_AGE,
    FIRST_EPISODE_YOUNG_AGE,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
    REAPPLY_GAP,
    WORSENING_POINTS,
)

SPARKLINE_DAYS = 14  # the sparkline covers the 14 local days ending today
REAPPLY_RELEVANT = timedelta(hours=3)  # show the ice/heat window this long after it ended
# How far back `status_view` reads, apart from the episode (see `load_since`): the 14 local
# days of the sparkline (15 days covers them in any zone) and every shorter window.
STATUS_LOOKBACK = timedelta(days=SPARKLINE_DAYS + 1)

UP, DOWN, FLAT = "up", "down", "flat"


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    onset: datetime  # in as_of's zone
    day: int  # floor(hours / 24) + 1
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
    next_allowed_at: datetime  # last dose + the label interval, in as_of's zone
    allowed: bool  # as_of >= next_allowed_at
    mg_24h: float  # mg of this drug in the 24 h before as_of (logged doses)
    daily_max_mg: float  # the OTC label maximum in any 24 h


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
    spasms_today: int
    treatments_today: tuple[Treatment, ...]
    flags: tuple[Flag, ...]  # most severe first
    today_not_logged: bool  # due: no pain entry today yet
    next_doses: tuple[NextDose, ...]  # due: by drug name
    reapply: Reapply | None  # due: the ice/heat reapply window
    last14: tuple[DaySummary, ...]  # the 14 local days ending today, oldest first
    ask_prior_back_pain: bool = False  # due: answer `--prior-back-pain` (asks_prior_back_pain)
    acknowledged: int = 0  # flags left out because acknowledged (`backcare ack`)

    @property
    def today_mean(self) -> float | None:
        return self.last14[-1].mean_pain if self.last14 else None


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


def _next_doses(treatments: tuple[Treatment, ...], as_of: datetime) -> tuple[NextDose, ...]:
    tz = as_of.tzinfo
    now = _utc(as_of)
    assert tz is not None
    day_start = local_midnight(as_of.date(), tz)
    last: dict[str, datetime] = {}
    mg: dict[str, float] = {}
    for t in treatments:
        if t.drug not in DRUG_LIMITS:
            continue
        at = _utc(t.at)
        if at > now:
            continue
        if t.drug not in last or at > last[t.drug]:
            last[t.drug] = at
        if now - DOSE_WINDOW < at and t.dose_mg is not None:
            mg[t.drug] = mg.get(t.drug, 0.0) + t.dose_mg
    out = []
    for drug in sorted(last):
        limit = DRUG_LIMITS[drug]
        next_at = last[drug] + limit.min_interval
        if last[drug] < day_start and next_at <= now:
            continue  # neither taken today nor still waiting
        out.append(
            NextDose(
                drug=drug,
                last_dose_at=last[drug].astimezone(tz),
                next_allowed_at=next_at.astimezone(tz),
                allowed=now >= next_at,
                mg_24h=mg.get(drug, 0.0),
                daily_max_mg=limit.daily_max_mg,
            )
        )
    return tuple(out)


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
            day=int(hours // 24) + 1,
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
        spasms_today=sum(e.spasms for e in today_pain),
        treatments_today=treatments_today,
        flags=tuple(sorted(flags, key=lambda f: LEVEL_RANK[f.level])),
        today_not_logged=not today_pain,
        next_doses=_next_doses(seen.treatments, as_of),
        reapply=reapply_window(seen.treatments, as_of),
        last14=tuple(last14),
        ask_prior_back_pain=asks_prior_back_pain(profile, as_of),
        acknowledged=acknowledged,
    )


def _iso(at: datetime, zone: object) -> str:
    return at.astimezone(zone).isoformat()  # type: ignore[arg-type]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def status_as_dict(view: StatusView, tip: object | None = None) -> dict[str, object]:
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
                    "next_allowed_at": _iso(d.next_allowed_at, zone),
                    "allowed": d.allowed,
                    "mg_24h": d.mg_24h,
                    "daily_max_mg": d.daily_max_mg,
                }
                for d in view.next_doses
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
        "tip": None
        if tip is None
        else {
            "id": getattr(tip, "id", None),
            "text": getattr(tip, "text", None),
            "topic": getattr(tip, "topic", None),
        },
    }
