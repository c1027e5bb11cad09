"""What is due now: the items `backcare remind` prints (and notifies), as of a given time.

Pure: `due_reminders(history, profile, flags, as_of)` with `as_of` aware, in the person's
local zone ("today" and the reminder time are as_of's local day and wall clock). `flags` are
the rules' flags at `as_of` (`rules.evaluate`). Entries after `as_of` are ignored. Time
arithmetic is on UTC instants, so "72 h" and "24 h" are real hours across a DST change.

Items, each with a stable ID (what `remind --json` prints as `id`), in this order:
- `follow-up`: one item per flag of level soon or above, most severe first; the text names
  the level first ("emergency: ", "urgent: ", "soon: "), then the flag's title and its
  advice (what to do). `rule` says which flag.
- `checkin-72h`: the active episode is >= 72 h old (NO_IMPROVEMENT_AFTER, the age at which
  course.no-improvement-72h can fire), its first 24 h has a pain entry (the baseline), and
  there is no pain entry in the 24 h before as_of (CURRENT_WINDOW): without one the
  improvement check cannot run, so logging pain now lets it run. Not due at all without a
  baseline (logging would not help the check) or once the episode is over (7 days without
  pain > 0). Independent of the reminder time.
- `log-today`: no pain entry on as_of's local day (up to as_of), and as_of's local wall time
  is at or past the first (earliest) reminder time of the profile, 20:00 when none is set.
  "At or past": cron starts the 20:00 job at 20:00:00, which must find it due. A pain entry
  at 23:59 yesterday does not count for today; at 00:30 nothing is due until the reminder
  time. Shown beside `checkin-72h` when both hold (different reasons, one action).
- `measure-due`: one item naming every questionnaire due (`outcomes.measures_due`: PSFS
  weekly, STarT Back at the start and week 2, RMDQ at the start and weeks 2, 6 and
  12, marked optional), never before the episode is 24 h old. Like `log-today` it waits for
  the first reminder time of the day (at or past it), and unlike it, it is listed only until
  the day's second reminder time (when the profile has several), so the scheduled runs show
  it once a day (`status` lists what is due at any time);
  it is not due once the measure is taken. Only optional measures due: still listed (the
  text says optional), never alone a reason to notify more than the others.
- `next-dose`: one item per drug taken in the last 24 h, the same line as `status`
  (`next_dose_text`): when one more usual dose is allowed, or why not (over the
  24 h maximum until HH:MM; see the emergency flag).
- `reapply`: the ice/heat reapply window of `status` is open now: the last ice or heat
  application ended REAPPLY_GAP (20 min) or more ago and at most REAPPLY_RELEVANT (3 h) ago
  (the same window `backcare status` shows, so the two never disagree). A daily cron run
  rarely lands in it: it shows when remind runs often or with `--as-of`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from backcare import messages as msg
from backcare.domain.episodes import course
from backcare.domain.model import LEVEL_RANK, Flag, History, Profile, at_or_above
from backcare.domain.outcomes import Due, measures_due
from backcare.domain.status import NextDose, next_doses, reapply_window
from backcare.domain.thresholds import APPLICATION_MAX, NO_IMPROVEMENT_AFTER, NSAID_DAYS_MAX

LOG_TODAY = "log-today"
CHECKIN_72H = "checkin-72h"
FOLLOW_UP = "follow-up"
REAPPLY = "reapply"
NEXT_DOSE = "next-dose"
MEASURE_DUE = "measure-due"
REMINDER_IDS: tuple[str, ...] = (
    FOLLOW_UP,
    CHECKIN_72H,
    LOG_TODAY,
    MEASURE_DUE,
    NEXT_DOSE,
    REAPPLY,
)

DEFAULT_REMIND_AT = time(20, 0)  # when the profile sets no reminder time
FOLLOW_UP_LEVEL = "soon"  # flags of this level or above are follow-up items


@dataclass(frozen=True, slots=True)
class Reminder:
    id: str  # one of REMINDER_IDS
    text: str  # one plain line: what is due and what to do
    rule: str | None = None  # the flag's rule ID, for follow-up items

    def as_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "text": self.text, "rule": self.rule}


def remind_times(profile: Profile) -> tuple[time, ...]:
    """The profile's reminder times, sorted; (20:00,) when none is set."""
    return tuple(sorted(profile.remind_at)) or (DEFAULT_REMIND_AT,)


def first_remind_time(profile: Profile) -> time:
    return remind_times(profile)[0]


def _utc(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("naive datetime: every datetime in the domain must be timezone-aware")
    return dt.astimezone(UTC)


def _follow_ups(flags: Sequence[Flag]) -> list[Reminder]:
    ordered = sorted(flags, key=lambda f: LEVEL_RANK[f.level])  # stable: catalog order kept
    return [
        Reminder(
            FOLLOW_UP,
            msg.REMIND_FOLLOW_UP.format(level=f.level, title=f.title, advice=f.advice),
            f.rule,
        )
        for f in ordered
        if at_or_above(f.level, FOLLOW_UP_LEVEL)
    ]


def _checkin(history: History, now: datetime) -> Reminder | None:
    c = course(history, now)
    if c is None or not c.baseline_entries or c.current_entries:
        return None
    age = now - _utc(c.onset)
    if age < NO_IMPROVEMENT_AFTER:
        return None
    hours = int(age.total_seconds() // 3600)
    return Reminder(CHECKIN_72H, msg.REMIND_CHECKIN_72H.format(hours=hours))


def _log_today(history: History, profile: Profile, as_of: datetime) -> Reminder | None:
    tz = as_of.tzinfo
    today = as_of.date()
    if any(e.at.astimezone(tz).date() == today for e in history.pain):
        return None
    if as_of.time() < first_remind_time(profile):
        return None
    return Reminder(LOG_TODAY, msg.REMIND_LOG_TODAY)


def measures_due_text(due: Sequence[Due]) -> str:
    """One line naming each measure due (`remind`, `status`), e.g. "PSFS (your activities)
    (weekly), ..."."""
    parts = []
    for d in due:
        name = msg.MEASURE_NAMES[d.instrument]
        point = msg.MEASURE_POINTS[d.point]
        parts.append(
            msg.MEASURE_DUE_OPTIONAL.format(name=name, point=point)
            if d.optional
            else msg.MEASURE_DUE_ONE.format(name=name, point=point)
        )
    return ", ".join(parts)


def measures_due_commands(due: Sequence[Due]) -> str:
    """What to type after `backcare measure` for the measures due: "startback", "startback or
    rmdq", "startback, rmdq or psfs" (was the placeholder NAME; review)."""
    names = list(dict.fromkeys(d.instrument for d in due))
    if len(names) < 2:
        return "".join(names)
    return msg.MEASURE_DUE_COMMANDS_OR.format(first=", ".join(names[:-1]), last=names[-1])


def _measure_due(history: History, profile: Profile, as_of: datetime) -> Reminder | None:
    """Only in the day's first reminder slot: from the first reminder time up to the second
    (to midnight with one time), so a cron run at each time shows it once a day."""
    times = remind_times(profile)
    if as_of.time() < times[0] or (len(times) > 1 and as_of.time() >= times[1]):
        return None
    due = measures_due(history, as_of)
    if not due:
        return None
    return Reminder(
        MEASURE_DUE,
        msg.REMIND_MEASURE_DUE.format(
            due=measures_due_text(due), commands=measures_due_commands(due)
        ),
    )


def _reapply_due(history: History, as_of: datetime) -> Reminder | None:
    window = reapply_window(history.treatments, as_of)
    if window is None or not window.open:
        return None
    text = msg.REMIND_REAPPLY.format(
        kind=window.kind,
        ended=window.ended_at.strftime("%H:%M"),
        minutes=int(APPLICATION_MAX.total_seconds() // 60),
    )
    return Reminder(REAPPLY, text)


def due_reminders(
    history: History, profile: Profile, flags: Sequence[Flag], as_of: datetime
) -> list[Reminder]:
    """Every item due at `as_of` (aware, local zone), in REMINDER_IDS order; [] when none."""
    now = _utc(as_of)  # raises on a naive as_of
    seen = history.until(now)
    out = _follow_ups(flags)
    for item in (
        _checkin(seen, now),
        _log_today(seen, profile, as_of),
        _measure_due(seen, profile, as_of),
    ):
        if item is not None:
            out.append(item)
    out += [
        Reminder(NEXT_DOSE, next_dose_text(dose, as_of)) for dose in next_doses(seen, flags, as_of)
    ]
    reapply = _reapply_due(seen, as_of)
    if reapply is not None:
        out.append(reapply)
    return out


def _clock(at: datetime, as_of: datetime) -> str:
    """HH:MM today, "HH:MM tomorrow", else the date and time (as_of's zone)."""
    local_at, today = at.astimezone(as_of.tzinfo), as_of.date()
    if local_at.date() == today:
        return local_at.strftime("%H:%M")
    if (local_at.date() - today).days == 1:
        return msg.NEXT_DOSE_TOMORROW.format(time=local_at.strftime("%H:%M"))
    return local_at.strftime("%Y-%m-%d %H:%M")


def _n(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def next_dose_text(dose: NextDose, as_of: datetime) -> str:
    """One line: when one more usual dose is allowed, or why it is not (status, remind)."""
    whose = msg.WHOSE_PRESCRIPTION if dose.prescribed else msg.WHOSE_LABEL
    amounts = (
        msg.DOSE_AMOUNTS.format(mg=_n(dose.mg_24h), max=_n(dose.daily_max_mg), whose=whose)
        if dose.daily_max_mg is not None
        else msg.DOSE_AMOUNTS_NO_MAX.format(mg=_n(dose.mg_24h), whose=whose)
    )
    if dose.overdose:
        return msg.NEXT_DOSE_OVERDOSE.format(drug=dose.drug, amounts=amounts)
    if dose.ten_days:
        return msg.NEXT_DOSE_TEN_DAYS.format(drug=dose.drug, days=NSAID_DAYS_MAX, amounts=amounts)
    if dose.next_allowed_at is None:
        return msg.NEXT_DOSE_NONE.format(drug=dose.drug, amounts=amounts)
    when = msg.NEXT_DOSE_NOW if dose.allowed else _clock(dose.next_allowed_at, as_of)
    if dose.over_until is not None:
        return msg.NEXT_DOSE_OVER_MAX.format(
            drug=dose.drug, when=when, until=_clock(dose.over_until, as_of), amounts=amounts
        )
    return msg.NEXT_DOSE_ALLOWED.format(drug=dose.drug, when=when, amounts=amounts)
