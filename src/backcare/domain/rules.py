"""The rule catalog (version 2, docs/rules.md) and its evaluation: `evaluate(history, profile,
as_of)`. docs/rules.md is generated from this module (`python -m backcare.domain.catalog_doc`).

Pure: no database, no terminal, no clock. Every number comes from `thresholds.py` or from
the small tables below (`LOOKBACK`, `RELAXANT_COURSE_GAP`, the history sets); the rule
code itself writes no threshold literal.

Time. `as_of` must be timezone-aware; its tzinfo is the person's local zone. All arithmetic
(ages, gaps, windows) is done on UTC instants, so "72 h" is 72 elapsed hours even across a
DST change; local time (`dt.astimezone(as_of.tzinfo)`) is used only for calendar days,
the 06:00-18:00 daytime test and the times shown in evidence. Entries after `as_of` are
ignored (`History.until`).

Readings of the catalog where it leaves a choice (the safer one for the person, unless noted):

Symptoms
- A code is active when its latest report at or before `as_of` says present and is at most
  14 days old (`SYMPTOM_ACTIVE`): at exactly 14 days it is still active, one second later
  it has expired. A later `--gone` report ends it. Two reports of a code at the same instant:
  the present one wins.
- A pain entry with `radiates == "below-knee"` is a present report of `below-knee` at its
  time; a later pain entry that radiates elsewhere does not end it (only `--gone` or 14 days).
- Every rule whose trigger holds fires: a more specific rule never hides a less specific one.

Course
- The episode, its onset, the baseline/current windows and "improved" are those of
  `episodes.course` (improved is exact there). "Worsening" is decided here on the exact
  means too (fractions of the integer scores), so a rise of exactly 2 points fires whatever
  the float rounding. No entry in either window: no course flag. Ages use `>=` (72 h,
  28 days) and count elapsed time.

Risk
- risk.first-after-50: age at onset = local year of the onset - birth year, over 50, and
  `prior_back_pain` is explicitly False (not answered does not fire).
- risk.history and red-flag.trauma's fracture advice read `profile.history`; evidence names
  each history item that counted.

Medication (doses are treatments with a drug; a dose without `dose_mg` counts as a dose for
intervals, combinations, runs and the daytime tip, but adds nothing to a 24 h total)
- "Any 24 h": for every dose d of a drug, the total of that drug's doses in the window
  (d - 24 h, d]. The largest total over all 24 h windows is always reached by a window that
  ends at a dose, so this sliding check is exact; doses exactly 24 h apart are not in the same
  24 h (a steady 3 x 400 mg ibuprofen every day is not flagged).
- med.too-soon compares each dose with the previous dose of the same drug; exactly the label
  interval apart is allowed ("sooner than"). Naproxen: "the day's first dose" is a dose that
  is both the first naproxen of its local calendar day AND at least the label interval (8 h)
  after the previous naproxen; only the one dose that immediately follows it, within 1 h
  inclusive, is allowed. Requiring both conditions grants the grace in the fewest cases.
- med.nsaid-combination: two doses of different NSAIDs less than 24 h apart (same window
  rule as above; the same instant counts).
- med.nsaid-10-days: local calendar days with any NSAID dose (all NSAIDs together) form a
  run while the dose-free days between two dosing days are at most 3 (Mon then Fri is a
  3-day gap: same run; Mon then Sat: new run). Fires when a run has more than 10 days.
- Muscle relaxants (all relaxants together, including user-marked ones) form a course while
  consecutive doses are less than `RELAXANT_COURSE_GAP` (7 days, the episode gap) apart; a
  gap of 7 days or more starts a new course. Span = last dose - first dose of the course;
  72 h and 21 days must be exceeded ("more than").
- med.muscle-relaxant-daytime: a dose at a local time from 06:00 to 18:00, both inclusive.

Self-care routine
- One ice or heat application longer than 30 min (exactly 30 is fine).
- An ice or heat application (either kind) starting less than 20 min after the previous
  one ended (start + minutes; the latest end of all earlier applications; an application
  without minutes ends at its start). Overlapping applications count as too soon.
- Heat starting in [onset, onset + 48 h) of the active episode.
- Rest logged on 3 or more consecutive local calendar days.

Currency (`LOOKBACK`): medication and self-care flags are about what happened recently, so
a rule fires only when the event that completes its trigger (the later dose of a pair, the
dose ending a 24 h window, the last day of a run) is no older than its lookback before
`as_of`; earlier events still count toward windows and runs. The lookback is 7 days for
every medication and self-care rule except the daytime tip (24 h, about the dose just
taken). Red flags use the 14-day symptom expiry, course and risk rules the active episode.
The caller must pass at least the active episode and the last 14 days + 24 h of history
(a shorter slice can only shorten NSAID/relaxant runs).

Output: one flag per rule ID (evidence merged, no duplicate lines), sorted most severe first
(`LEVEL_RANK`), then in catalog order. Evidence lines name entries by `ref` with local
times, e.g. "s3 bladder reported 2026-03-01 08:00", "t7 ibuprofen 400 mg at 2026-03-01
12:30", "baseline 7.0 (first 24 h) vs current 6.0 (last 24 h)". A naive `as_of` is a
ValueError.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from typing import TypeVar

from backcare.domain.drugs import KNOWN_DRUGS, NSAID, is_muscle_relaxant, is_nsaid, normalise_drug
from backcare.domain.episodes import course, episode_onset
from backcare.domain.model import (
    LEVEL_RANK,
    THERMAL_KINDS,
    Flag,
    History,
    PainEntry,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.thresholds import (
    ACETAMINOPHEN_OVERDOSE_MG,
    APPLICATION_MAX,
    BASELINE_WINDOW,
    BED_REST_DAYS,
    CURRENT_WINDOW,
    DAYTIME_END_HOUR,
    DAYTIME_START_HOUR,
    DOSE_WINDOW,
    DRUG_LIMITS,
    EPISODE_GAP,
    FIRST_EPISODE_AGE,
    HEAT_FIRST,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
    MUSCLE_RELAXANT_LONG,
    MUSCLE_RELAXANT_SHORT,
    NO_IMPROVEMENT_AFTER,
    NO_IMPROVEMENT_LONG,
    NSAID_DAYS_MAX,
    NSAID_GAP_RESETS,
    REAPPLY_GAP,
    SYMPTOM_ACTIVE,
    WORSENING_POINTS,
)

__all__ = [
    "LOOKBACK",
    "RELAXANT_COURSE_GAP",
    "RULES",
    "RULES_BY_ID",
    "SYMPTOM_TRIGGERS",
    "ActiveSymptom",
    "RuleSpec",
    "SymptomTrigger",
    "active_symptoms",
    "evaluate",
    "new_flags",
]

# --- Tables this module adds to thresholds.py ----------------------------------------

# How long after the event that completes a trigger a medication / self-care flag still
# shows. One week: seen at the next few checks, but an overdose from last year does not
# fire forever. The daytime tip is about the dose just taken.
LOOKBACK: dict[str, timedelta] = {
    "med.daily-max": timedelta(days=7),
    "med.acetaminophen-overdose": timedelta(days=7),
    "med.too-soon": timedelta(days=7),
    "med.nsaid-combination": timedelta(days=7),
    "med.nsaid-10-days": timedelta(days=7),
    "med.muscle-relaxant-72h": timedelta(days=7),
    "med.muscle-relaxant-3-weeks": timedelta(days=7),
    "med.muscle-relaxant-daytime": timedelta(hours=24),
    "care.application-too-long": timedelta(days=7),
    "care.reapply-too-soon": timedelta(days=7),
    "care.heat-first-48h": timedelta(days=7),
    "care.bed-rest": timedelta(days=7),
}
# A gap between muscle-relaxant doses this long or longer starts a new course.
RELAXANT_COURSE_GAP = EPISODE_GAP
# The drug whose label names an overdose level.
OVERDOSE_DRUG = "acetaminophen"
# Profile history that makes back pain a risk (risk.history) and that raises fracture risk
# after a fall (red-flag.trauma advice).
RISK_HISTORY: tuple[str, ...] = ("osteoporosis", "cancer", "steroid-use", "substance-misuse")
FRACTURE_HISTORY: tuple[str, ...] = ("osteoporosis", "steroid-use")
CANCER = "cancer"
BELOW_KNEE = "below-knee"
REST_KIND = "rest"
HEAT_KIND = "heat"

_ONE_DAY = timedelta(days=1)


# --- The catalog ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One rule of docs/rules.md: what `backcare rules` lists and what its flags carry."""

    id: str
    level: str
    title: str
    trigger: str  # plain words: when it fires
    advice: str  # plain words: what to do
    source: str  # the catalog's source column


def _h(td: timedelta) -> str:
    return f"{int(td.total_seconds() // 3600)} h"


def _hours(td: timedelta) -> str:
    n = int(td.total_seconds() // 3600)
    return f"{n} hour" if n == 1 else f"{n} hours"


def _n_minutes(td: timedelta) -> int:
    return int(td.total_seconds() // 60)


def _minutes_words(td: timedelta) -> str:
    return f"{_n_minutes(td)} minutes"


def _mg(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


_EMERGENCY = "Call the emergency number or go to an emergency department now"
_URGENT = "Contact a doctor or urgent care today"
_SOON = "Book a doctor's appointment in the next days"
_DOCTOR = "unless your doctor told you otherwise"
_GUIDANCE = "Back-spasm patient guidance"
_MAYO = 'Mayo Clinic "Back pain"'

_NSAIDS = ", ".join(name for name, cls in KNOWN_DRUGS.items() if cls == NSAID)
_MAXIMA = ", ".join(f"{name} {_mg(lim.daily_max_mg)} mg" for name, lim in DRUG_LIMITS.items())
_INTERVALS = ", ".join(f"{name} {_hours(lim.min_interval)}" for name, lim in DRUG_LIMITS.items())
_GRACE = "; ".join(
    f"a second {name} within {_hours(lim.first_dose_grace)} of the day's first dose is allowed"
    for name, lim in DRUG_LIMITS.items()
    if lim.first_dose_grace is not None
)
_DAYTIME = f"{DAYTIME_START_HOUR:02d}:00 and {DAYTIME_END_HOUR:02d}:00"

RULES: tuple[RuleSpec, ...] = (
    # --- Red flags ---
    RuleSpec(
        "red-flag.cauda-equina",
        "emergency",
        "Possible pressure on the nerves at the base of the spine",
        "New trouble passing urine or bladder control, loss of bowel control, numbness around "
        "the genitals, buttocks or inner thighs, symptoms in both legs, or new sexual problems.",
        f"{_EMERGENCY}. These signs can mean the nerves at the base of the spine (cauda equina) "
        "are pressed, which needs treatment within hours.",
        f'{_MAYO}; NHS "Back pain"; NICE CKS; BASS 2018',
    ),
    RuleSpec(
        "red-flag.chest-pain",
        "emergency",
        "Chest pain with back pain",
        "Chest pain.",
        f"{_EMERGENCY}: chest pain with back pain can be a sign of a heart or blood-vessel "
        "problem.",
        f'NHS "Back pain"; {_GUIDANCE}',
    ),
    RuleSpec(
        "red-flag.stroke-signs",
        "emergency",
        "Possible signs of a stroke",
        "Sudden numbness or weakness on one side of the body (face, arm or leg).",
        f"{_EMERGENCY}: sudden numbness or weakness on one side of the body can be a sign of a "
        "stroke. Note the time it started.",
        "NIH stroke warning signs",
    ),
    RuleSpec(
        "red-flag.major-trauma",
        "emergency",
        "Back pain after a serious accident",
        "The pain started after a serious accident (car crash, fall from a height).",
        f"{_EMERGENCY}: back pain after a serious accident needs checking for a spinal injury. "
        "Move as little as you can until you are seen.",
        'NHS "Back pain"',
    ),
    RuleSpec(
        "red-flag.aortic",
        "emergency",
        "Abdominal pain with faintness",
        "Throbbing or pain in the abdomen together with feeling faint, dizzy, pale or sweaty.",
        f"{_EMERGENCY}: pain in the abdomen with faintness can be a sign of a problem with the "
        "main artery (aorta).",
        'NHS "Abdominal aortic aneurysm"',
    ),
    RuleSpec(
        "red-flag.infection-neuro",
        "emergency",
        "Fever with numbness or weakness",
        "Fever together with numbness or weakness in a leg or arm, loss of feeling, symptoms "
        "in both legs, or numbness around the genitals, buttocks or inner thighs.",
        f"{_EMERGENCY}: fever with numbness or weakness can be a sign of an infection near the "
        "spine.",
        "NICE CKS",
    ),
    RuleSpec(
        "red-flag.cancer-neuro",
        "emergency",
        "Nerve symptoms with a history of cancer",
        "A history of cancer together with numbness or weakness in a leg or arm, loss of "
        "feeling, symptoms in both legs, or bladder or bowel problems.",
        f"{_EMERGENCY}, and say that you have had cancer: these symptoms can mean pressure on "
        "the spinal cord, which needs treatment quickly.",
        "NICE NG234 (spinal metastases)",
    ),
    RuleSpec(
        "red-flag.fever",
        "urgent",
        "Back pain with a fever",
        "Fever (38 °C / 100.4 °F or higher).",
        f"{_URGENT}: back pain with a fever can be a sign of an infection.",
        f"{_MAYO}; NHS",
    ),
    RuleSpec(
        "red-flag.abdominal",
        "urgent",
        "Back pain with pain in the abdomen",
        "Throbbing or pain in the abdomen.",
        f"{_URGENT}. If you also feel faint, dizzy, pale or sweaty, call the emergency number now.",
        _MAYO,
    ),
    RuleSpec(
        "red-flag.trauma",
        "urgent",
        "Back pain after a fall or a blow",
        "The pain started after a fall or a blow to the back.",
        f"{_URGENT} to have the injury checked.",
        f"{_MAYO}; NICE CKS",
    ),
    RuleSpec(
        "red-flag.weakness",
        "urgent",
        "Weakness or loss of feeling in a limb",
        "Arm or leg muscle weakness, or loss of feeling in an arm or a leg.",
        f"{_URGENT}: weakness or loss of feeling can mean a nerve is pressed. If it came on "
        "suddenly on one side of the body, call the emergency number now.",
        _GUIDANCE,
    ),
    RuleSpec(
        "red-flag.balance",
        "urgent",
        "Trouble with balance or coordination",
        "Trouble with balance or coordination.",
        f"{_URGENT}: new trouble with balance or coordination should be checked.",
        _GUIDANCE,
    ),
    RuleSpec(
        "red-flag.night-pain",
        "urgent",
        "Constant pain or pain worse at night",
        "Intense or constant pain, worse at night or lying down.",
        f"{_URGENT}: pain that is constant or worse at night or lying down should be checked.",
        f"{_MAYO}; NHS",
    ),
    RuleSpec(
        "red-flag.swelling",
        "urgent",
        "Redness or swelling on the back",
        "Redness or swelling on the back.",
        f"{_URGENT}: redness or swelling can be a sign of an infection or inflammation.",
        f"{_MAYO}; NHS",
    ),
    RuleSpec(
        "red-flag.weight-loss",
        "urgent",
        "Back pain with unexplained weight loss",
        "Weight loss you cannot explain.",
        f"{_URGENT}: back pain with weight loss you cannot explain should be checked.",
        f"{_MAYO}; NHS",
    ),
    RuleSpec(
        "red-flag.leg-symptoms",
        "soon",
        "Pain or numbness spreading into a leg",
        "Numbness, tingling or weakness in one leg, or pain spreading down a leg below the knee.",
        f"{_SOON}: pain or numbness in a leg can mean an irritated nerve. If both legs are "
        "affected or you have bladder or bowel problems, call the emergency number now.",
        _MAYO,
    ),
    RuleSpec(
        "risk.first-after-50",
        "soon",
        f"First back pain after age {FIRST_EPISODE_AGE}",
        f"An episode is active, you were over {FIRST_EPISODE_AGE} when it started, and your "
        "profile says you had no back pain before.",
        f"{_SOON}: a first episode of back pain after {FIRST_EPISODE_AGE} is worth having checked.",
        _MAYO,
    ),
    RuleSpec(
        "risk.history",
        "soon",
        "Back pain with a risk factor in your history",
        "An episode is active and your profile lists osteoporosis, cancer, steroid use or "
        "substance misuse.",
        f"{_SOON} and mention your history: it makes a cause that needs treatment more likely.",
        f"{_MAYO}; Chou et al. 2007",
    ),
    # --- Course of the episode ---
    RuleSpec(
        "course.no-improvement-72h",
        "soon",
        f"No improvement after {_hours(NO_IMPROVEMENT_AFTER)} of self-care",
        f"The episode is at least {_hours(NO_IMPROVEMENT_AFTER)} old and pain has not dropped by "
        f"{IMPROVED_POINTS:g} points or {IMPROVED_FRACTION:.0%} from its first "
        f"{_hours(BASELINE_WINDOW)}.",
        f"{_SOON}: self-care has not helped after {_hours(NO_IMPROVEMENT_AFTER)}.",
        f'{_MAYO} (the seed\'s "first 72 hours of self-care")',
    ),
    RuleSpec(
        "course.worsening",
        "soon",
        "Pain is getting worse",
        f"Pain in the last {_hours(CURRENT_WINDOW)} is {WORSENING_POINTS:g} points or more above "
        f"the first {_hours(BASELINE_WINDOW)} of the episode.",
        "Answer `backcare checkin` again to check for warning signs, and book a doctor's "
        "appointment in the next days.",
        "Farrar et al. 2001",
    ),
    RuleSpec(
        "course.no-improvement-4w",
        "soon",
        f"No improvement after {NO_IMPROVEMENT_LONG.days // 7} weeks",
        f"The episode is at least {NO_IMPROVEMENT_LONG.days} days old and pain has not "
        f"dropped by {IMPROVED_POINTS:g} points or {IMPROVED_FRACTION:.0%}.",
        f"{_SOON}: pain that has not improved after {NO_IMPROVEMENT_LONG.days // 7} weeks "
        "should be assessed.",
        'NICE CKS; Mayo Clinic "When to see a doctor for back pain"',
    ),
    # --- Medication safety ---
    RuleSpec(
        "med.daily-max",
        "caution",
        "More than the label's daily maximum",
        f"A drug's doses in any {_hours(DOSE_WINDOW)} add up to more than the label maximum "
        f"({_MAXIMA}).",
        f"Take no more of this drug for now and stay within the label maximum in any "
        f"{_hours(DOSE_WINDOW)} ({_MAXIMA}), {_DOCTOR}. If you took much more, contact a "
        "doctor or a poison control centre.",
        "US OTC Drug Facts labels",
    ),
    RuleSpec(
        "med.acetaminophen-overdose",
        "urgent",
        "Possible acetaminophen overdose",
        f"More than {_mg(ACETAMINOPHEN_OVERDOSE_MG)} mg of acetaminophen (paracetamol) in any "
        f"{_hours(DOSE_WINDOW)}.",
        "The label says: get medical help right away, even if you feel well. Contact a doctor, "
        "urgent care or a poison control centre now; take no more acetaminophen.",
        "Acetaminophen Drug Facts label",
    ),
    RuleSpec(
        "med.too-soon",
        "caution",
        "Dose taken too soon",
        f"A dose of the same drug sooner than the label interval: {_INTERVALS} ({_GRACE}).",
        f"Wait the label interval between doses of the same drug, {_DOCTOR}: {_INTERVALS} "
        f"({_GRACE}).",
        "OTC labels",
    ),
    RuleSpec(
        "med.nsaid-combination",
        "caution",
        f"Two different NSAIDs within {_hours(DOSE_WINDOW)}",
        f"Two different NSAIDs ({_NSAIDS}) within {_hours(DOSE_WINDOW)}.",
        f"Do not take two NSAIDs ({_NSAIDS}) together: it raises the risk of stomach bleeding "
        f"and kidney harm. Keep to one, {_DOCTOR}.",
        'OTC labels ("do not use with any other NSAID")',
    ),
    RuleSpec(
        "med.nsaid-10-days",
        "soon",
        f"NSAIDs for more than {NSAID_DAYS_MAX} days",
        f"NSAID doses on more than {NSAID_DAYS_MAX} days, with no gap of more than "
        f"{NSAID_GAP_RESETS.days} days between them.",
        f"{_SOON}: the label says to stop and ask a doctor if pain lasts more than "
        f"{NSAID_DAYS_MAX} days. Do not keep taking NSAIDs {_DOCTOR}.",
        'Ibuprofen Drug Facts ("pain lasts more than 10 days")',
    ),
    RuleSpec(
        "med.muscle-relaxant-72h",
        "caution",
        f"Muscle relaxant for more than {_hours(MUSCLE_RELAXANT_SHORT)}",
        f"Muscle-relaxant doses span more than {_hours(MUSCLE_RELAXANT_SHORT)}.",
        f"Take muscle relaxants for no more than {_hours(MUSCLE_RELAXANT_SHORT)}, {_DOCTOR}; ask "
        "the doctor who prescribed it before you go on.",
        f"{_GUIDANCE} (seed: no more than 72 hours)",
    ),
    RuleSpec(
        "med.muscle-relaxant-3-weeks",
        "soon",
        f"Muscle relaxant for more than {MUSCLE_RELAXANT_LONG.days // 7} weeks",
        f"Muscle-relaxant doses span more than {MUSCLE_RELAXANT_LONG.days} days.",
        f"{_SOON}: labels advise muscle relaxants for {MUSCLE_RELAXANT_LONG.days // 7 - 1} to "
        f"{MUSCLE_RELAXANT_LONG.days // 7} weeks at most; do not go on {_DOCTOR}.",
        "cyclobenzaprine and carisoprodol labels (2-3 weeks)",
    ),
    RuleSpec(
        "med.muscle-relaxant-daytime",
        "info",
        "Muscle relaxant taken in the daytime",
        f"A muscle-relaxant dose between {_DAYTIME} local time.",
        "Muscle relaxants make you drowsy: do not drive or use machinery after a dose. Take "
        "them at night when you can.",
        _GUIDANCE,
    ),
    # --- Self-care routine ---
    RuleSpec(
        "care.application-too-long",
        "caution",
        "Ice or heat on for too long",
        f"One ice or heat application over {_minutes_words(APPLICATION_MAX)}.",
        f"Keep each ice or heat application to {_n_minutes(REAPPLY_GAP)} to "
        f"{_minutes_words(APPLICATION_MAX)}, "
        "wrapped in a towel, to protect your skin.",
        f"{_GUIDANCE} (20-30 min)",
    ),
    RuleSpec(
        "care.reapply-too-soon",
        "caution",
        "Ice or heat reapplied too soon",
        f"An ice or heat application starts less than {_minutes_words(REAPPLY_GAP)} after "
        "the previous one ended.",
        f"Let your skin rest for at least {_minutes_words(REAPPLY_GAP)} between ice or heat "
        "applications.",
        f'{_GUIDANCE}; seed "reapply after half an hour"',
    ),
    RuleSpec(
        "care.heat-first-48h",
        "info",
        f"Heat in the first {_hours(HEAT_FIRST)}",
        f"Heat in the first {_hours(HEAT_FIRST)} of an episode.",
        f"For the first {_hours(HEAT_FIRST)} ice is usually advised (wrapped, "
        f"{_minutes_words(REAPPLY_GAP)} at a time); switch to heat after that.",
        'seed "for the first two days, ice"; Cochrane (heat has the better evidence)',
    ),
    RuleSpec(
        "care.bed-rest",
        "caution",
        "Rest on several days in a row",
        f"Rest logged on {BED_REST_DAYS} or more consecutive days.",
        "Bed rest is no longer advised: stay as active as you can, with gentle walking and "
        "stretching; it helps recovery.",
        f"{_GUIDANCE}; Cochrane (Dahm 2010); Choosing Wisely (NASS)",
    ),
)

RULES_BY_ID: dict[str, RuleSpec] = {spec.id: spec for spec in RULES}
_ORDER: dict[str, int] = {spec.id: index for index, spec in enumerate(RULES)}

_FRACTURE_ADVICE = (
    "Your profile lists {what}: a fall or a blow is more likely to cause a spinal fracture, "
    "even a minor one. Say so when you call."
)


# --- Symptom triggers (the red-flag table as data) -------------------------------------


@dataclass(frozen=True, slots=True)
class SymptomTrigger:
    """Fires when any of `any_of` is active, and (if given) any of `with_any` is active,
    and (if given) the profile history has `with_history`."""

    rule: str
    any_of: tuple[str, ...]
    with_any: tuple[str, ...] = ()
    with_history: str | None = None


_NEURO_LEG = ("leg-numbness", "limb-weakness", "sensation-loss", "both-legs")

SYMPTOM_TRIGGERS: tuple[SymptomTrigger, ...] = (
    SymptomTrigger(
        "red-flag.cauda-equina",
        ("bladder", "bowel", "saddle-numbness", "both-legs", "sexual-dysfunction"),
    ),
    SymptomTrigger("red-flag.chest-pain", ("chest-pain",)),
    SymptomTrigger("red-flag.stroke-signs", ("one-side-numbness",)),
    SymptomTrigger("red-flag.major-trauma", ("major-trauma",)),
    SymptomTrigger("red-flag.aortic", ("abdominal-pain",), with_any=("faintness",)),
    SymptomTrigger(
        "red-flag.infection-neuro", ("fever",), with_any=(*_NEURO_LEG, "saddle-numbness")
    ),
    SymptomTrigger("red-flag.cancer-neuro", (*_NEURO_LEG, "bladder", "bowel"), with_history=CANCER),
    SymptomTrigger("red-flag.fever", ("fever",)),
    SymptomTrigger("red-flag.abdominal", ("abdominal-pain",)),
    SymptomTrigger("red-flag.trauma", ("fall-or-blow",)),
    SymptomTrigger("red-flag.weakness", ("limb-weakness", "sensation-loss")),
    SymptomTrigger("red-flag.balance", ("balance",)),
    SymptomTrigger("red-flag.night-pain", ("night-pain",)),
    SymptomTrigger("red-flag.swelling", ("redness-swelling",)),
    SymptomTrigger("red-flag.weight-loss", ("weight-loss",)),
    SymptomTrigger("red-flag.leg-symptoms", ("leg-numbness", BELOW_KNEE)),
)


# --- Helpers ----------------------------------------------------------------------------

_E = TypeVar("_E", PainEntry, Treatment, SymptomReport)


def _utc_items(items: Sequence[_E]) -> tuple[_E, ...]:
    return tuple(
        item if item.at.tzinfo is UTC else dataclasses.replace(item, at=item.at.astimezone(UTC))
        for item in items
    )


def _in_utc(history: History) -> History:
    """The same history with every instant in UTC, so differences are elapsed time."""
    return History(
        pain=_utc_items(history.pain),
        treatments=_utc_items(history.treatments),
        symptoms=_utc_items(history.symptoms),
        onsets=tuple(o.astimezone(UTC) for o in history.onsets),
    )


def _when(dt: datetime, tz: tzinfo) -> str:
    return dt.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def _span(td: timedelta) -> str:
    """A duration in plain words: '45 min', '2 h 30 min', '3 d 4 h'."""
    minutes = int(td.total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days} d {hours} h"
    if hours:
        return f"{sign}{hours} h {mins} min" if mins else f"{sign}{hours} h"
    return f"{sign}{mins} min"


def _score(value: Fraction) -> str:
    return f"{float(value):.1f}"


def _exact_mean(entries: Sequence[PainEntry]) -> Fraction | None:
    if not entries:
        return None
    return Fraction(sum(e.pain for e in entries), len(entries))


def _exact(value: float) -> Fraction:
    """A threshold as the decimal it is written as (0.30 is 3/10, not its binary float)."""
    return Fraction(str(value))


class _Flags:
    """Evidence per rule ID (one flag per rule, evidence merged in order, no duplicates)."""

    def __init__(self) -> None:
        self._evidence: dict[str, list[str]] = {}
        self._advice: dict[str, str] = {}

    def add(self, rule: str, evidence: Iterable[str], *, advice: str | None = None) -> None:
        lines = self._evidence.setdefault(rule, [])
        for line in evidence:
            if line not in lines:
                lines.append(line)
        if advice is not None:
            self._advice[rule] = advice

    def flags(self) -> list[Flag]:
        out = []
        for rule, evidence in self._evidence.items():
            spec = RULES_BY_ID[rule]
            out.append(
                Flag(
                    rule=spec.id,
                    level=spec.level,
                    title=spec.title,
                    advice=self._advice.get(rule, spec.advice),
                    source=spec.source,
                    evidence=tuple(evidence),
                )
            )
        out.sort(key=lambda f: (LEVEL_RANK[f.level], _ORDER[f.rule]))
        return out


# --- Symptoms ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActiveSymptom:
    code: str
    at: datetime  # when the report that keeps it active was made
    evidence: str  # e.g. "s3 bladder reported 2026-03-01 08:00"


def active_symptoms(history: History, as_of: datetime) -> dict[str, ActiveSymptom]:
    """Codes active at `as_of`: latest report present and at most `SYMPTOM_ACTIVE` old.

    Exactly 14 days after the report the code is still active; after that it has expired.
    A later report with present=False ends it; at the same instant a present report wins.
    A pain entry radiating below the knee is a present report of `below-knee`.
    """
    _require_aware(as_of)
    tz = as_of.tzinfo
    assert tz is not None
    now = as_of.astimezone(UTC)
    since = now - SYMPTOM_ACTIVE
    # (instant, present, code, evidence); sorting puts a present report after a gone one
    # made at the same instant, so the present one is the latest.
    events: list[tuple[datetime, bool, str, str]] = []
    for report in history.symptoms:
        at = report.at.astimezone(UTC)
        if since <= at <= now:
            text = f"{report.ref} {report.code} reported {_when(at, tz)}"
            if not report.present:
                text = f"{report.ref} {report.code} reported gone {_when(at, tz)}"
            events.append((at, report.present, report.code, text))
    for entry in history.pain:
        at = entry.at.astimezone(UTC)
        if entry.radiates == BELOW_KNEE and since <= at <= now:
            text = f"{entry.ref} pain {entry.pain} radiating below the knee {_when(at, tz)}"
            events.append((at, True, BELOW_KNEE, text))
    events.sort(key=lambda e: (e[0], e[1]))
    latest: dict[str, tuple[datetime, bool, str]] = {}
    for at, present, code, text in events:
        latest[code] = (at, present, text)
    return {
        code: ActiveSymptom(code, at, text)
        for code, (at, present, text) in latest.items()
        if present
    }


def _red_flags(active: dict[str, ActiveSymptom], profile: Profile, tz: tzinfo, out: _Flags) -> None:
    for trigger in SYMPTOM_TRIGGERS:
        primary = [active[c] for c in trigger.any_of if c in active]
        if not primary:
            continue
        secondary = [active[c] for c in trigger.with_any if c in active]
        if trigger.with_any and not secondary:
            continue
        if trigger.with_history is not None and trigger.with_history not in profile.history:
            continue
        found = sorted({s.code: s for s in primary + secondary}.values(), key=lambda s: s.at)
        evidence = [s.evidence for s in found]
        if trigger.with_history is not None:
            evidence.append(f"profile history: {trigger.with_history}")
        advice = None
        if trigger.rule == "red-flag.trauma":
            fracture = [h for h in FRACTURE_HISTORY if h in profile.history]
            if fracture:
                what = " and ".join(h.replace("-", " ") for h in fracture)
                advice = f"{RULES_BY_ID[trigger.rule].advice} {_FRACTURE_ADVICE.format(what=what)}"
                evidence += [f"profile history: {h}" for h in fracture]
        out.add(trigger.rule, evidence, advice=advice)


# --- Course and risk ----------------------------------------------------------------------


def _course_flags(history: History, now: datetime, tz: tzinfo, out: _Flags) -> None:
    c = course(history, now)
    if c is None:
        return
    baseline = _exact_mean(c.baseline_entries)
    current = _exact_mean(c.current_entries)
    improved = c.improved  # exact (fractions), shared with `status`
    if baseline is None or current is None or improved is None:
        return  # no entry in either window: no course flag
    age = now - c.onset
    evidence = [
        f"episode onset {_when(c.onset, tz)}, {_span(age)} ago",
        f"baseline {_score(baseline)} (first {_h(BASELINE_WINDOW)}) vs current "
        f"{_score(current)} (last {_h(CURRENT_WINDOW)})",
    ]
    if not improved and age >= NO_IMPROVEMENT_AFTER:
        out.add("course.no-improvement-72h", evidence)
    if not improved and age >= NO_IMPROVEMENT_LONG:
        out.add("course.no-improvement-4w", evidence)
    if current >= baseline + _exact(WORSENING_POINTS):
        out.add("course.worsening", evidence)


def _risk_flags(history: History, profile: Profile, now: datetime, tz: tzinfo, out: _Flags) -> None:
    onset = episode_onset(history, now)
    if onset is None:
        return
    active = f"episode active since {_when(onset, tz)}"
    birth = profile.birth_year
    if birth is not None and profile.prior_back_pain is False:
        age = onset.astimezone(tz).year - birth
        if age > FIRST_EPISODE_AGE:
            out.add(
                "risk.first-after-50",
                [f"{active}, age {age} at onset (born {birth})", "profile: no earlier back pain"],
            )
    named = [h for h in RISK_HISTORY if h in profile.history]
    if named:
        out.add("risk.history", [active, *(f"profile history: {h}" for h in named)])


# --- Medication ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dose:
    treatment: Treatment
    drug: str  # normalised generic name, or the stored name
    at: datetime  # UTC

    def line(self, tz: tzinfo) -> str:
        mg = self.treatment.dose_mg
        amount = f" {_mg(mg)} mg" if mg is not None else ""
        return f"{self.treatment.ref} {self.drug}{amount} at {_when(self.at, tz)}"


def _doses(history: History) -> list[_Dose]:
    doses = []
    for t in history.treatments:
        if t.drug is None and not (t.kind == "medication" and t.relaxant):
            continue
        name = (normalise_drug(t.drug) or t.drug.strip().lower()) if t.drug else "medication"
        doses.append(_Dose(t, name, t.at))
    return doses


def _daily_totals(
    doses: Sequence[_Dose],
    drug: str,
    limit: float,
    rule: str,
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    """Flag when some 24 h window (d - 24 h, d] ending at a recent dose d exceeds `limit`."""
    measured = [d for d in doses if d.drug == drug and d.treatment.dose_mg is not None]
    if not measured:
        return
    times = [d.at for d in measured]
    prefix = [0.0]
    for d in measured:
        prefix.append(prefix[-1] + float(d.treatment.dose_mg or 0))
    cutoff = now - LOOKBACK[rule]
    worst: tuple[float, int, int] | None = None
    for d in measured:
        if d.at < cutoff:
            continue
        lo = bisect_right(times, d.at - DOSE_WINDOW)
        hi = bisect_right(times, d.at)
        total = prefix[hi] - prefix[lo]
        if total > limit and (worst is None or total >= worst[0]):
            worst = (total, lo, hi)
    if worst is None:
        return
    total, lo, hi = worst
    window = measured[lo:hi]
    out.add(
        rule,
        [
            f"{drug} {_mg(total)} mg in the {_h(DOSE_WINDOW)} to {_when(window[-1].at, tz)} "
            f"(more than {_mg(limit)} mg)",
            *(d.line(tz) for d in window),
        ],
    )


def _day_first(same: Sequence[_Dose], i: int, interval: timedelta, tz: tzinfo) -> bool:
    """The day's first dose: the first of its local day AND >= the interval after the last."""
    if i == 0:
        return True
    prev, this = same[i - 1], same[i]
    new_day = prev.at.astimezone(tz).date() != this.at.astimezone(tz).date()
    return new_day and this.at - prev.at >= interval


def _too_soon(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    rule = "med.too-soon"
    cutoff = now - LOOKBACK[rule]
    for drug, limit in DRUG_LIMITS.items():
        same = [d for d in doses if d.drug == drug]
        interval, grace = limit.min_interval, limit.first_dose_grace
        for i in range(1, len(same)):
            prev, this = same[i - 1], same[i]
            gap = this.at - prev.at
            if this.at < cutoff or gap >= interval:
                continue
            if grace is not None and gap <= grace and _day_first(same, i - 1, interval, tz):
                continue  # the one extra dose allowed within the hour of the day's first
            out.add(
                rule,
                [
                    f"{this.line(tz)}, {_span(gap)} after {prev.line(tz)} "
                    f"(label interval {_h(interval)})"
                ],
            )


def _combination(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    rule = "med.nsaid-combination"
    cutoff = now - LOOKBACK[rule]
    nsaids = [d for d in doses if is_nsaid(d.drug)]
    involved: dict[int, _Dose] = {}
    for i, this in enumerate(nsaids):
        if this.at < cutoff:
            continue
        for j in range(i - 1, -1, -1):  # earlier doses, newest first, within 24 h
            other = nsaids[j]
            if other.at <= this.at - DOSE_WINDOW:
                break
            if other.drug != this.drug:
                involved[i], involved[j] = this, other
    if involved:
        out.add(rule, [involved[k].line(tz) for k in sorted(involved)])


def _nsaid_runs(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    rule = "med.nsaid-10-days"
    cutoff = now - LOOKBACK[rule]
    by_day: dict[date, list[_Dose]] = {}
    for d in doses:
        if is_nsaid(d.drug):
            by_day.setdefault(d.at.astimezone(tz).date(), []).append(d)
    runs: list[list[date]] = []
    for day in sorted(by_day):
        # dose-free days between two dosing days: (day - previous) - 1 day
        if runs and day - runs[-1][-1] - _ONE_DAY <= NSAID_GAP_RESETS:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        last = by_day[run[-1]][-1]
        if len(run) > NSAID_DAYS_MAX and last.at >= cutoff:
            first = by_day[run[0]][0]
            out.add(
                rule,
                [
                    f"NSAID doses on {len(run)} days from {run[0]} to {run[-1]}",
                    f"{first.line(tz)} (first)",
                    f"{last.line(tz)} (latest)",
                ],
            )


def _relaxants(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    relaxants = [d for d in doses if is_muscle_relaxant(d.drug, relaxant=d.treatment.relaxant)]
    courses: list[list[_Dose]] = []
    for d in relaxants:
        if courses and d.at - courses[-1][-1].at < RELAXANT_COURSE_GAP:
            courses[-1].append(d)
        else:
            courses.append([d])
    for run in courses:
        first, last = run[0], run[-1]
        span = last.at - first.at
        evidence = [
            f"{first.line(tz)} (first)",
            f"{last.line(tz)} (latest)",
            f"doses span {_span(span)}",
        ]
        for rule, limit in (
            ("med.muscle-relaxant-72h", MUSCLE_RELAXANT_SHORT),
            ("med.muscle-relaxant-3-weeks", MUSCLE_RELAXANT_LONG),
        ):
            if span > limit and last.at >= now - LOOKBACK[rule]:
                out.add(rule, evidence)
    rule = "med.muscle-relaxant-daytime"
    start, end = time(DAYTIME_START_HOUR), time(DAYTIME_END_HOUR)
    for d in relaxants:
        if d.at >= now - LOOKBACK[rule] and start <= d.at.astimezone(tz).time() <= end:
            out.add(rule, [d.line(tz)])


# --- Self-care routine -------------------------------------------------------------------


def _minutes(t: Treatment) -> timedelta:
    return timedelta(minutes=t.minutes or 0)


def _care_flags(history: History, now: datetime, tz: tzinfo, out: _Flags) -> None:
    thermal = [t for t in history.treatments if t.kind in THERMAL_KINDS]
    rule = "care.application-too-long"
    for t in thermal:
        if t.at >= now - LOOKBACK[rule] and _minutes(t) > APPLICATION_MAX:
            out.add(rule, [f"{t.ref} {t.kind} for {t.minutes} min at {_when(t.at, tz)}"])

    rule = "care.reapply-too-soon"
    previous: Treatment | None = None
    previous_end: datetime | None = None
    for t in thermal:
        if previous is not None and previous_end is not None:
            gap = t.at - previous_end
            if gap < REAPPLY_GAP and t.at >= now - LOOKBACK[rule]:
                when = (
                    f"{_span(gap)} after"
                    if gap >= timedelta(0)
                    else f"{_span(-gap)} before the end of"
                )
                out.add(
                    rule,
                    [
                        f"{t.ref} {t.kind} at {_when(t.at, tz)}, {when} {previous.ref} "
                        f"{previous.kind} ({_when(previous.at, tz)}, ended "
                        f"{_when(previous_end, tz)})"
                    ],
                )
        end = t.at + _minutes(t)
        if previous_end is None or end >= previous_end:
            previous, previous_end = t, end

    rule = "care.heat-first-48h"
    onset = episode_onset(history, now)
    if onset is not None:
        for t in thermal:
            if (
                t.kind == HEAT_KIND
                and onset <= t.at < onset + HEAT_FIRST
                and t.at >= now - LOOKBACK[rule]
            ):
                out.add(
                    rule,
                    [
                        f"{t.ref} heat at {_when(t.at, tz)}, {_span(t.at - onset)} after the "
                        f"episode onset {_when(onset, tz)}"
                    ],
                )

    rule = "care.bed-rest"
    by_day: dict[date, list[Treatment]] = {}
    for t in history.treatments:
        if t.kind == REST_KIND:
            by_day.setdefault(t.at.astimezone(tz).date(), []).append(t)
    runs: list[list[date]] = []
    for day in sorted(by_day):
        if runs and day - runs[-1][-1] == _ONE_DAY:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) >= BED_REST_DAYS and by_day[run[-1]][-1].at >= now - LOOKBACK[rule]:
            out.add(
                rule,
                [
                    f"rest logged on {len(run)} days in a row, {run[0]} to {run[-1]}",
                    *(
                        f"{by_day[day][0].ref} rest at {_when(by_day[day][0].at, tz)}"
                        for day in run
                    ),
                ],
            )


# --- Entry points -----------------------------------------------------------------------


def _require_aware(as_of: datetime) -> None:
    if as_of.tzinfo is None or as_of.utcoffset() is None:
        raise ValueError("as_of must be timezone-aware (its tzinfo is the local zone)")


def evaluate(history: History, profile: Profile, as_of: datetime) -> list[Flag]:
    """Every flag that holds at `as_of`, most severe first, then in catalog order.

    One flag per rule ID (evidence merged). Entries after `as_of` are ignored.
    """
    _require_aware(as_of)
    tz = as_of.tzinfo
    assert tz is not None
    now = as_of.astimezone(UTC)
    h = _in_utc(history).until(now)
    out = _Flags()
    _red_flags(active_symptoms(h, as_of), profile, tz, out)
    _risk_flags(h, profile, now, tz, out)
    _course_flags(h, now, tz, out)
    doses = _doses(h)
    for drug, limit in DRUG_LIMITS.items():
        _daily_totals(doses, drug, limit.daily_max_mg, "med.daily-max", now, tz, out)
    _daily_totals(
        doses, OVERDOSE_DRUG, ACETAMINOPHEN_OVERDOSE_MG, "med.acetaminophen-overdose", now, tz, out
    )
    _too_soon(doses, now, tz, out)
    _combination(doses, now, tz, out)
    _nsaid_runs(doses, now, tz, out)
    _relaxants(doses, now, tz, out)
    _care_flags(h, now, tz, out)
    return out.flags()


def new_flags(before: list[Flag], after: list[Flag]) -> list[Flag]:
    """Flags in `after` whose rule ID is not in `before` (what a new entry raised)."""
    seen = {flag.rule for flag in before}
    return [flag for flag in after if flag.rule not in seen]
