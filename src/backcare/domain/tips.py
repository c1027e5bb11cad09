"""One contextual self-care tip, chosen from the person's situation (for `status`).

`choose_tip(history, as_of)` is pure: `as_of` is timezone-aware and in the person's local
zone; "today", "yesterday" and the daytime window are local. Entries after `as_of` are
ignored. At most one tip is returned, the first situation that applies in this order
(safety first, then what is timely):

1. `relaxant-daytime`: a muscle relaxant dose logged today between DAYTIME_START_HOUR
   (inclusive) and DAYTIME_END_HOUR (exclusive) local time -> drowsiness, do not drive.
2. `keep-moving`: rest logged on both today and yesterday (local days) -> keep gently moving.
3. `ice-or-heat`: the active episode is younger than HEAT_FIRST (48 h) -> ice or heat, both
   reasonable, heat with the better evidence (the catalog no longer flags heat then).
4. `gentle-stretching`: the pain is easing (the course has improved, or the latest pain entry
   of the episode is below its baseline) -> gentle stretching.
5. `heat-option`: the episode is HEAT_FIRST or older -> heat is an option.

The tips follow the phase of the episode (issue 16, `outcomes.phase_of`): in the chronic
phase (over 12 weeks) situations 3-5 give way to `exercise-programme`, the WHO 2023 and
NICE NG59 advice for long-lasting pain (a structured exercise programme, with psychological
support alongside), never the first-days advice. 1 and 2 still come first (safety, bed rest).

Tips 1 and 2 are about what was logged and apply with or without an active episode (a
drowsy driver is at risk either way). Tips 3-5 need an active episode; with none, and
neither 1 nor 2, there is no tip (None): no daily prevention nag for someone without pain.
Ice-or-heat outranks stretching in the first 48 h because it is the advice that is timely
only then; stretching follows once the pain eases.

Tips fit the moment (issue 15, "Never nagged twice"), given the open (not acknowledged)
flags:
- No tip at all while a flag of level urgent or above is open: the flag's advice is the
  one thing to do, and self-care advice beside it would read as "manage it at home".
- No tip that contradicts an open flag: "your pain is easing" (gentle-stretching) is not
  offered beside a course flag (no improvement after 72 h or 4 weeks, worsening, i.e. a
  flare); the next situation that applies is tried instead (heat-option).
- After an entry (`tip_after_entry`), the same tip at most once a day: a tip is left out
  when it is the one that was chosen at an earlier pain entry of the same local day. This
  is derived from the log, not remembered in a state file: `log` is the only command that
  shows a tip and every `log` stores a pain entry, so the day's earlier pain entries are
  exactly the moments a tip was shown. Nothing else to keep in sync (undo, delete, restore
  and a second machine stay right) and no file outside the database says anything about
  the person's health. The earlier choice is recomputed without the flags of that moment
  (they are not stored), so a tip held back then by an urgent flag still counts as shown:
  it errs on the side of fewer tips.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from backcare.domain.drugs import is_muscle_relaxant
from backcare.domain.episodes import Course, course, episode_day
from backcare.domain.model import Flag, History, Treatment, at_or_above
from backcare.domain.outcomes import CHRONIC, phase_of
from backcare.domain.thresholds import (
    APPLICATION_MAX,
    DAYTIME_END_HOUR,
    DAYTIME_START_HOUR,
    HEAT_FIRST,
    REAPPLY_GAP,
)


@dataclass(frozen=True, slots=True)
class Tip:
    id: str
    text: str
    topic: str  # the guide topic to read more (`backcare guide TOPIC`)


RELAXANT_DAYTIME = "relaxant-daytime"
KEEP_MOVING = "keep-moving"
ICE_OR_HEAT = "ice-or-heat"
GENTLE_STRETCHING = "gentle-stretching"
HEAT_OPTION = "heat-option"
EXERCISE_PROGRAMME = "exercise-programme"

# The order in which situations are tried; the first that applies wins.
TIP_PRIORITY: tuple[str, ...] = (
    RELAXANT_DAYTIME,
    KEEP_MOVING,
    ICE_OR_HEAT,
    EXERCISE_PROGRAMME,
    GENTLE_STRETCHING,
    HEAT_OPTION,
)

NO_TIP_LEVEL = "urgent"  # no tip while a flag of this level or above is open
# Tips that an open flag contradicts: "your pain is easing" beside a course flag.
CONTRADICTED_BY: dict[str, frozenset[str]] = {
    GENTLE_STRETCHING: frozenset(
        {"course.no-improvement-72h", "course.no-improvement-4w", "course.worsening"}
    ),
}

_MAX_MIN = int(APPLICATION_MAX.total_seconds() // 60)
_GAP_MIN = int(REAPPLY_GAP.total_seconds() // 60)
_HEAT_H = int(HEAT_FIRST.total_seconds() // 3600)


def _local(moment: datetime, as_of: datetime) -> datetime:
    return moment.astimezone(as_of.tzinfo)


def _relaxant_daytime(history: History, as_of: datetime) -> Tip | None:
    today = as_of.date()
    doses: list[tuple[datetime, Treatment]] = []
    for treatment in history.treatments:
        if not is_muscle_relaxant(treatment.drug, relaxant=treatment.relaxant):
            continue
        local = _local(treatment.at, as_of)
        if local.date() == today and DAYTIME_START_HOUR <= local.hour < DAYTIME_END_HOUR:
            doses.append((local, treatment))
    if not doses:
        return None
    local, latest = doses[-1]
    name = latest.drug or "a muscle relaxant"
    return Tip(
        RELAXANT_DAYTIME,
        f"You logged {name} at {local:%H:%M} today. Muscle relaxants can make you drowsy or "
        "dizzy: do not drive or use machinery today. If your doctor agrees, take it in the "
        "evening instead.",
        "medicines",
    )


def _keep_moving(history: History, as_of: datetime) -> Tip | None:
    today = as_of.date()
    rest_days = {_local(t.at, as_of).date() for t in history.treatments if t.kind == "rest"}
    if today not in rest_days or today - timedelta(days=1) not in rest_days:
        return None
    return Tip(
        KEEP_MOVING,
        "You logged rest yesterday and today. Staying in bed slows recovery: get up and move "
        "gently several times a day, such as a short walk, as far as the pain allows.",
        "moving",
    )


def _easing(history: History, episode: Course) -> bool:
    if episode.improved:
        return True
    if episode.baseline is None:
        return False
    in_episode = [e for e in history.pain if e.at >= episode.onset]
    return bool(in_episode) and in_episode[-1].pain < episode.baseline


def _episode_tip(history: History, as_of: datetime, blocked: frozenset[str]) -> Tip | None:
    episode = course(history, as_of)
    if episode is None:
        return None
    if phase_of(episode.onset, as_of) == CHRONIC:
        return Tip(
            EXERCISE_PROGRAMME,
            "Your back pain has lasted more than 12 weeks. What helps most now is a "
            "structured exercise programme, built up gradually, with psychological support "
            "such as cognitive behavioural therapy alongside if pain is getting you down "
            "(WHO 2023; NICE NG59). Ask your doctor or a physiotherapist about one.",
            "long-lasting",
        )
    age = as_of - episode.onset
    if age < HEAT_FIRST:
        day = episode_day(episode.onset, as_of)
        return Tip(
            ICE_OR_HEAT,
            f"Day {day} of this episode: ice or heat are both reasonable, whichever feels "
            "better; heat has the better evidence. Wrap the pack in a towel, up to "
            f"{_MAX_MIN} minutes at a time, with at least {_GAP_MIN} minutes between "
            "applications.",
            "ice-heat",
        )
    if GENTLE_STRETCHING not in blocked and _easing(history, episode):
        return Tip(
            GENTLE_STRETCHING,
            "Your pain is easing. Now is a good time for gentle back and leg stretches; stop "
            "any stretch that makes the pain worse.",
            "moving",
        )
    return Tip(
        HEAT_OPTION,
        f"This episode is past its first {_HEAT_H} hours. Heat can ease the pain if it feels "
        f"good: a heat pack wrapped in a towel, up to {_MAX_MIN} minutes at a time.",
        "ice-heat",
    )


def choose_tip(history: History, as_of: datetime, flags: Sequence[Flag] = ()) -> Tip | None:
    """The one tip for the person's situation at `as_of` (see the module docstring), or None.

    `flags`: the open flags at `as_of` (acknowledged ones left out), which can hold a tip back.
    """
    if any(at_or_above(f.level, NO_TIP_LEVEL) for f in flags):
        return None
    open_rules = {f.rule for f in flags}
    blocked = frozenset(tip for tip, rules in CONTRADICTED_BY.items() if rules & open_rules)
    history = history.until(as_of)
    return (
        _relaxant_daytime(history, as_of)
        or _keep_moving(history, as_of)
        or _episode_tip(history, as_of, blocked)
    )


def tip_after_entry(
    history: History,
    now: datetime,
    flags: Sequence[Flag] = (),
    *,
    new_uids: Collection[str] = (),
) -> Tip | None:
    """The tip after `log` at `now`, unless the same tip was chosen at an earlier pain entry
    of now's local day (at most once a day; see the module docstring). `new_uids`: the
    entries this write stored (not earlier moments)."""
    tip = choose_tip(history, now, flags)
    if tip is None:
        return None
    today = now.date()
    for entry in history.pain:
        if entry.uid in new_uids or entry.at > now:
            continue
        moment = _local(entry.at, now)
        if moment.date() != today:
            continue
        earlier = choose_tip(history.until(entry.at), moment)
        if earlier is not None and earlier.id == tip.id:
            return None
    return tip
