"""The numbers behind `backcare summary` (and the sparkline of `backcare status`).

Pure functions over a loaded `History`: no database, no terminal, no clock.

Local days: an event belongs to the local day `at.astimezone(tz).date()`, so a day is
whatever the zone says it is (23 h on the spring DST change, 25 h in autumn). All time
arithmetic (windows of hours) is done on UTC instants, never on wall-clock times, so a
"1 h after" window is one real hour across a DST change too.

Treatment response: for each treatment in the period, the last pain entry in
[t.at - 6 h, t.at] and the first pain entry in [t.at + 1 h, t.at + 6 h] form a pair;
change = after - before (negative means less pain). A mean is shown only from at least
`MIN_PAIRS` pairs (never a number from one pair); the mean `--relief` likewise needs at
least `MIN_RELIEFS` relief values. This is an association, not proof that the treatment
helped: the interface says so in its own words (messages.ASSOCIATION_CAVEAT; the domain holds
no words, docs/design.md "Words").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from backcare.domain.model import History, PainEntry, Treatment, recorded_sum
from backcare.domain.outcomes import Series, weekly_series

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject

# --- Thresholds of this module (one table) -----------------------------------------
MIN_PAIRS = 3  # a treatment-response mean needs at least 3 before/after pairs
MIN_RELIEFS = 3  # a mean `--relief` needs at least 3 relief values (same reasoning)
RESPONSE_BEFORE = timedelta(hours=6)  # "before": last pain entry in [t - 6 h, t]
RESPONSE_AFTER_MIN = timedelta(hours=1)  # "after": first pain entry in [t + 1 h, ...
RESPONSE_AFTER_MAX = timedelta(hours=6)  # ... t + 6 h]
HEATMAP_MIN_DAYS = 28  # the calendar heat map is shown for periods of 28 days or more

MEDICATION = "medication"


# --- Data ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DaySummary:
    """One local day. A day with no pain entry has entries 0 and mean/max None."""

    day: date
    entries: int  # pain entries that day
    mean_pain: float | None
    max_pain: int | None
    spasms: int | None  # sum of the recorded spasm counts; None: none recorded that day
    treatments: dict[str, int]  # treatment key (drug name, or kind) -> uses
    doses_mg: dict[str, float]  # drug -> total mg (doses logged with --dose only)
    symptoms: tuple[str, ...]  # codes reported present that day, sorted, unique


@dataclass(frozen=True, slots=True)
class TreatmentResponse:
    """How pain changed around one treatment kind (or drug). See module docstring."""

    key: str  # drug name for medication (or "medication" without a drug), else the kind
    uses: int  # treatments of this key in the period
    pairs: int  # of them, with both a before and an after pain entry
    mean_change: float | None  # mean(after - before); None unless pairs >= MIN_PAIRS
    mean_relief: float | None  # mean --relief; None unless reliefs >= MIN_RELIEFS
    reliefs: int  # treatments of this key with a relief value
    enough: bool  # pairs >= MIN_PAIRS (else the table says there is not enough)


@dataclass(frozen=True, slots=True)
class Summary:
    """A period of local days [start, end], inclusive."""

    start: date
    end: date
    days: tuple[DaySummary, ...]  # one per local day, oldest first, empty days included
    responses: tuple[TreatmentResponse, ...]  # most used first, then by key
    entries: int  # pain entries in the period
    days_logged: int  # days with at least one pain entry
    mean_pain: float | None  # mean over all pain entries in the period (not of daily means)
    max_pain: int | None
    spasms: int | None  # None: no spasm count recorded in the period
    treatments: dict[str, int]  # key -> uses over the period
    doses_mg: dict[str, float]  # drug -> total mg over the period
    # The episode active at the period's end (or now): its onset and `episodes.episode_day`.
    episode_onset: datetime | None = None
    episode_day: int | None = None
    measures: tuple[Series, ...] = ()  # questionnaires week by week (issue 16)

    @property
    def n_days(self) -> int:
        return len(self.days)

    @property
    def show_heatmap(self) -> bool:
        return self.n_days >= HEATMAP_MIN_DAYS


# --- Helpers ---------------------------------------------------------------------------
def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: every datetime in the domain must be timezone-aware")
    return dt.astimezone(UTC)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The instant (UTC) the local `day` starts in `tz`."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def day_bounds(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """UTC instants [first local midnight, the midnight after `end`) covering the days."""
    return local_midnight(start, tz), local_midnight(end + timedelta(days=1), tz)


def summary_load_range(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """What the service must load for `summarize`: the days, widened by the response windows
    (a treatment at 01:00 on the first day looks back 6 h into the day before)."""
    lo, hi = day_bounds(start, end, tz)
    return lo - RESPONSE_BEFORE, hi + RESPONSE_AFTER_MAX


def period(as_of: datetime, days: int) -> tuple[date, date]:
    """`--days N`: the N local days ending on as_of's local day (today counts as one)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    today = as_of.date()  # as_of is in the person's local zone
    return today - timedelta(days=days - 1), today


def treatment_key(treatment: Treatment) -> str:
    """Drug name for medication (or "medication" when no drug is given), else the kind."""
    if treatment.kind == MEDICATION:
        return treatment.drug or MEDICATION
    return treatment.kind


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise ValueError("start is after end")


def _day_symptoms(codes: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(codes)))


# --- Daily summaries -------------------------------------------------------------------
def daily_summaries(history: History, start: date, end: date, tz: tzinfo) -> list[DaySummary]:
    """One `DaySummary` per local day from `start` to `end` inclusive, empty days included.

    Symptoms are the codes reported present that day; a pain entry radiating below the knee
    counts as a report of `below-knee` (docs/rules.md).
    """
    _check_period(start, end)
    pain: dict[date, list[PainEntry]] = defaultdict(list)
    treats: dict[date, list[Treatment]] = defaultdict(list)
    codes: dict[date, list[str]] = defaultdict(list)

    def local_day(dt: datetime) -> date | None:
        day = _utc(dt).astimezone(tz).date()
        return day if start <= day <= end else None

    for entry in history.pain:
        if (day := local_day(entry.at)) is not None:
            pain[day].append(entry)
            if entry.radiates == "below-knee":
                codes[day].append("below-knee")
    for treatment in history.treatments:
        if (day := local_day(treatment.at)) is not None:
            treats[day].append(treatment)
    for report in history.symptoms:
        if report.present and (day := local_day(report.at)) is not None:
            codes[day].append(report.code)

    out: list[DaySummary] = []
    day = start
    while day <= end:
        entries = pain.get(day, [])
        counts: dict[str, int] = {}
        doses: dict[str, float] = {}
        for treatment in treats.get(day, []):
            key = treatment_key(treatment)
            counts[key] = counts.get(key, 0) + 1
            if treatment.kind == MEDICATION and treatment.drug and treatment.dose_mg is not None:
                doses[treatment.drug] = doses.get(treatment.drug, 0.0) + treatment.dose_mg
        out.append(
            DaySummary(
                day=day,
                entries=len(entries),
                mean_pain=_mean([e.pain for e in entries]),
                max_pain=max((e.pain for e in entries), default=None),
                spasms=recorded_sum(e.spasms for e in entries),
                treatments=counts,
                doses_mg=doses,
                symptoms=_day_symptoms(codes.get(day, [])),
            )
        )
        day += timedelta(days=1)
    return out


def calendar_weeks(days: Sequence[DaySummary]) -> list[list[DaySummary | None]]:
    """The days laid out as calendar weeks Monday..Sunday; None pads the first and last week."""
    weeks: list[list[DaySummary | None]] = []
    week: list[DaySummary | None] = []
    for d in days:
        if not week:
            week = [None] * d.day.weekday()
        week.append(d)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


# --- Treatment response ----------------------------------------------------------------
def _pair_change(
    times: Sequence[datetime], values: Sequence[int], at: datetime
) -> tuple[int, int] | None:
    """(before, after) pain around a treatment at UTC `at`, or None when either is missing."""
    # last entry with time <= at, and >= at - 6 h
    i = bisect_right(times, at) - 1
    if i < 0 or times[i] < at - RESPONSE_BEFORE:
        return None
    # first entry with time >= at + 1 h, and <= at + 6 h
    j = bisect_left(times, at + RESPONSE_AFTER_MIN)
    if j >= len(times) or times[j] > at + RESPONSE_AFTER_MAX:
        return None
    return values[i], values[j]


def treatment_response(history: History, start: datetime, end: datetime) -> list[TreatmentResponse]:
    """Response per treatment key for the treatments with start <= at < end.

    Pain entries are taken from the whole history (they may lie up to 6 h outside the
    period). Ordered by uses (most first), then key.
    """
    lo, hi = _utc(start), _utc(end)
    points = sorted((_utc(e.at), e.pain) for e in history.pain)
    times = [p[0] for p in points]
    values = [p[1] for p in points]

    uses: dict[str, int] = defaultdict(int)
    changes: dict[str, list[int]] = defaultdict(list)
    reliefs: dict[str, list[int]] = defaultdict(list)
    for treatment in history.treatments:
        at = _utc(treatment.at)
        if not lo <= at < hi:
            continue
        key = treatment_key(treatment)
        uses[key] += 1
        if treatment.relief is not None:
            reliefs[key].append(treatment.relief)
        pair = _pair_change(times, values, at)
        if pair is not None:
            changes[key].append(pair[1] - pair[0])

    out = []
    for key, n in uses.items():
        n_pairs = len(changes[key])
        n_reliefs = len(reliefs[key])
        enough = n_pairs >= MIN_PAIRS
        out.append(
            TreatmentResponse(
                key=key,
                uses=n,
                pairs=n_pairs,
                mean_change=_mean(changes[key]) if enough else None,
                mean_relief=_mean(reliefs[key]) if n_reliefs >= MIN_RELIEFS else None,
                reliefs=n_reliefs,
                enough=enough,
            )
        )
    out.sort(key=lambda r: (-r.uses, r.key))
    return out


# --- The whole summary -----------------------------------------------------------------
def summarize(history: History, start: date, end: date, tz: tzinfo) -> Summary:
    """Daily table, totals and treatment response for the local days [start, end]."""
    days = daily_summaries(history, start, end, tz)
    lo, hi = day_bounds(start, end, tz)
    pains = [e.pain for e in history.pain if lo <= _utc(e.at) < hi]
    treatments: dict[str, int] = {}
    doses: dict[str, float] = {}
    for d in days:
        for key, n in d.treatments.items():
            treatments[key] = treatments.get(key, 0) + n
        for drug, mg in d.doses_mg.items():
            doses[drug] = doses.get(drug, 0.0) + mg
    return Summary(
        start=start,
        end=end,
        days=tuple(days),
        responses=tuple(treatment_response(history, lo, hi)),
        entries=len(pains),
        days_logged=sum(1 for d in days if d.entries),
        mean_pain=_mean(pains),
        max_pain=max(pains, default=None),
        spasms=recorded_sum(d.spasms for d in days),
        treatments=treatments,
        doses_mg=doses,
        measures=weekly_series(history, start, end, tz),
    )


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def day_as_dict(d: DaySummary) -> JSONObject:
    return {
        "day": d.day.isoformat(),
        "entries": d.entries,
        "mean_pain": _r(d.mean_pain),
        "max_pain": d.max_pain,
        "spasms": d.spasms,
        "treatments": dict(sorted(d.treatments.items())),
        "doses_mg": {k: _r(v) for k, v in sorted(d.doses_mg.items())},
        "symptoms": list(d.symptoms),
    }


def response_as_dict(r: TreatmentResponse) -> JSONObject:
    return {
        "key": r.key,
        "uses": r.uses,
        "pairs": r.pairs,
        "mean_change": _r(r.mean_change),
        "mean_relief": _r(r.mean_relief),
        "reliefs": r.reliefs,
        "enough": r.enough,
    }


def summary_as_dict(summary: Summary, *, caveat: str) -> JSONObject:
    """JSON-ready (`summary --json`): dates ISO, floats rounded to 2 decimals, None -> null.
    `caveat`: what the responses can and cannot say, in the interface's words."""
    return {
        "from": summary.start.isoformat(),
        "to": summary.end.isoformat(),
        "n_days": summary.n_days,
        "totals": {
            "entries": summary.entries,
            "days_logged": summary.days_logged,
            "mean_pain": _r(summary.mean_pain),
            "max_pain": summary.max_pain,
            "spasms": summary.spasms,
            "treatments": dict(sorted(summary.treatments.items())),
            "doses_mg": {k: _r(v) for k, v in sorted(summary.doses_mg.items())},
        },
        "episode": None
        if summary.episode_onset is None
        else {"onset": summary.episode_onset.isoformat(), "day": summary.episode_day},
        "days": [day_as_dict(d) for d in summary.days],
        "responses": [response_as_dict(r) for r in summary.responses],
        "min_pairs": MIN_PAIRS,
        "caveat": caveat,
        "measures": [series_as_dict(m) for m in summary.measures],
    }


def series_as_dict(series: Series) -> JSONObject:
    """A questionnaire by week (`summary --json`): its weeks' latest scores, the first score
    and the mark (the score at which the change becomes meaningfully better; null: none)."""
    return {
        "instrument": series.instrument,
        "first": {"id": series.first.ref, "score": _r(float(series.first.score))},
        "better_at": None if series.target is None else _r(float(series.target)),
        "weeks": [
            {
                "from": week.isoformat(),
                "id": None if found is None else found.ref,
                "score": None if found is None else _r(float(found.score)),
                "risk": None if found is None else found.risk,
            }
            for week, found in zip(series.weeks, series.scores, strict=True)
        ],
    }
