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
  Likewise a pain entry with location `upper` (`log --where upper`) is a present report of
  `upper-back` (red-flag.non-mechanical, urgent), ended only by `--gone` or 14 days.
- A check-in's present answer is a present report named after the check-in (`c3`); its
  codes asked and answered absent end nothing (only `--gone` does: the safer reading).
- Every rule whose trigger holds fires: a more specific rule never hides a less specific one.
- red-flag.aortic fires on faintness alone; an active abdominal-pain joins its evidence.
- red-flag.gi-bleeding's advice names every NSAID or aspirin dose (low-dose aspirin too, and
  doses without mg) taken in the 7 days before `as_of`; the flag fires without any dose.
- red-flag.fever's advice names immunosuppressed, steroid-use and substance-misuse when the
  profile lists them. red-flag.trauma's names fracture risk for osteoporosis, steroid-use or
  age >= 70, where age = local year of `as_of` - birth year: without a birthday this can be
  one more than the true age, which gives the warning a few months early (the safer side).
- red-flag.cancer-pain (urgent) needs history cancer and an active episode (the same test as
  the risk rules); cancer-neuro (emergency) needs only cancer and an active symptom.

Course
- The episode, its onset, the baseline/current windows and "improved" are those of
  `episodes.course` (improved is exact there). "Worsening" is decided here on the exact
  means too (fractions of the integer scores), so a rise of exactly 2 points fires whatever
  the float rounding. While the episode is under 48 h old (the two windows overlap) it is
  decided instead on the latest pain entry vs the episode's first pain entry (at or after
  the onset): latest >= first + 2 and at least 1 h apart; the window rule then does not
  apply, so the two cannot disagree. No entry in either window: no course flag. Ages use `>=` (72 h,
  28 days) and count elapsed time.

Risk
- risk.first-after-50 / risk.first-under-20: age at onset = local year of the onset - birth
  year, over 50 / under 20, and `prior_back_pain` is explicitly False (not answered does not
  fire; `status` and `checkin` ask the question instead).
- risk.history (osteoporosis, steroid-use, substance-misuse, immunosuppressed) and the advice
  extras above read `profile.history`; evidence names each history item that counted.
- risk.startback-high / -medium / -low: from the LATEST STarT Back of the active episode
  only (`outcomes.latest_startback`; a score before the onset belongs to an earlier
  episode), so a week-2 result replaces the first one and one of the three fires at a time.
  High is `soon` (see a clinician in the next days), medium `routine`, low an `info` tip.
  Like every rule they read the 60-day window: a STarT Back older than that is not seen.

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
- Limits (`limits_for`): a prescription for the drug in force at the dose (from its `at`
  until the earlier of `until` and `stopped_at`, exclusive) replaces the label field by
  field; a field it leaves out falls back to the label. Under a prescribed interval the
  naproxen first-dose grace does not apply. The advice then says the limit is the
  prescription's. Each 24 h window uses the limits in force at the dose that ends it.
- Low-dose aspirin = an aspirin dose of 100 mg or less: left out of the aspirin total,
  med.nsaid-combination, med.nsaid-10-days and med.nsaid-risk (`_Dose.nsaid`).
- med.acetaminophen-overdose counts every product that contains acetaminophen (one row
  per ingredient) and is an emergency: the label says get help right away even without
  symptoms.
- med.large-dose: one dose above the drug's largest single dose (the four label drugs of
  docs/rules.md; for the prescription-only generics the largest single dose of their
  prescribing information, `PRESCRIPTION_SINGLE_MAX_MG`), or above the prescribed dose.
- med.ibuprofen-with-aspirin: ibuprofen or naproxen from 8 h before a low-dose aspirin
  (inclusive: the FDA says "more than 8 h before" is fine) to 30 min after it (exclusive:
  "at least 30 min after" is fine).
- med.nsaid-risk / med.acetaminophen-liver: a dose in the 7 days up to as_of. Age from the
  birth year alone is this year - birth year, the older of the two possible ages, so the
  60-year threshold fires at the earliest.
- med.nsaid-10-days is silent when every NSAID dose of the run was taken under a
  prescription for that drug in force.
- med.muscle-relaxant-72h is a tip (info), silent as soon as any prescription for a muscle
  relaxant is recorded. med.muscle-relaxant-3-weeks also fires for a relaxant dose taken
  after its prescription ended (until or stop) with no other prescription in force.
- A name backcare cannot place is a dose for intervals and runs of that name, never a
  known drug's; the person is told its doses cannot be checked.

Self-care routine
- One ice or heat application longer than 30 min (exactly 30 is fine).
- An ice or heat application (either kind) starting less than 20 min after the previous
  one ended (start + minutes; the latest end of all earlier applications; an application
  without minutes ends at its start). Overlapping applications count as too soon.
- care.heat-first-48h is retired (`RETIRED`): heat in the first 48 h is never flagged.
- care.bed-rest: the minutes of rest entries are summed per local calendar day of their
  start (an entry crossing midnight counts on the day it started); an entry without minutes
  counts as 4 h; a day with 4 h or more is a rest day; 3 or more consecutive rest days fire.

Currency (`LOOKBACK`): medication and self-care flags are about what happened recently, so
a rule fires only when the event that completes its trigger (the later dose of a pair, the
dose ending a 24 h window, the last day of a run) is no older than its lookback before
`as_of`; earlier events still count toward windows and runs. The lookback is 7 days for
every medication and self-care rule except the daytime tip (24 h, about the dose just
taken). Red flags use the 14-day symptom expiry, course and risk rules the active episode.
The caller passes the last 60 days (`RULES_WINDOW`) and, when the active episode began
earlier, its first 24 h, with `History.elided` marking the left-out middle (the services'
`_rules_history`): the rules read nothing else, however long the episode, and derive the
same onset and baseline as from the whole log. A shorter slice can only shorten NSAID and
relaxant runs (which look back at most 7 days past a 10-day run).

Announcements (`new_flags`): a write is compared by rule AND evidence: a flag is new when
its rule was not open, or it carries an evidence line it did not have (an overdose of a
second drug, a later dose); only the new lines are returned.

Output: one flag per rule ID (evidence merged, no duplicate lines), sorted most severe first
(`LEVEL_RANK`), then in catalog order. Evidence lines name entries by `ref` with local
times, e.g. "s3 bladder reported 2026-03-01 08:00", "t7 ibuprofen 400 mg at 2026-03-01
12:30", "baseline 7.0 (first 24 h) vs current 6.0 (last 24 h)". A naive `as_of` is a
ValueError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from typing import TypeVar

from backcare.domain.acks import is_measurement
from backcare.domain.drugs import (
    KNOWN_DRUGS,
    NSAID,
    is_muscle_relaxant,
    is_nsaid,
    largest_single_mg,
    normalise_drug,
)
from backcare.domain.episodes import course, episode_onset
from backcare.domain.model import (
    LEVEL_RANK,
    THERMAL_KINDS,
    Flag,
    History,
    Measure,
    PainEntry,
    Prescription,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.outcomes import latest_startback
from backcare.domain.thresholds import (
    ACETAMINOPHEN_OVERDOSE_MG,
    APPLICATION_MAX,
    ASPIRIN_NSAID_AFTER,
    ASPIRIN_NSAID_BEFORE,
    BASELINE_WINDOW,
    BED_REST_DAYS,
    BED_REST_PER_DAY,
    CANCER_CONTACT,
    CURRENT_WINDOW,
    DAYTIME_END_HOUR,
    DAYTIME_START_HOUR,
    DOSE_WINDOW,
    DRUG_LIMITS,
    EPISODE_GAP,
    FIRST_EPISODE_AGE,
    FIRST_EPISODE_YOUNG_AGE,
    FRACTURE_AGE,
    IMPROVED_FRACTION,
    IMPROVED_POINTS,
    LOW_DOSE_ASPIRIN_MG,
    MUSCLE_RELAXANT_LONG,
    MUSCLE_RELAXANT_SHORT,
    NO_IMPROVEMENT_AFTER,
    NO_IMPROVEMENT_LONG,
    NSAID_DAYS_MAX,
    NSAID_GAP_RESETS,
    NSAID_RISK_AGE,
    REAPPLY_GAP,
    RECENT_DOSE,
    REST_WITHOUT_MINUTES,
    STARTBACK_HIGH_SUBSCALE_MIN,
    STARTBACK_LOW_TOTAL_MAX,
    SYMPTOM_ACTIVE,
    WORSENING_EARLY,
    WORSENING_MIN_APART,
    WORSENING_POINTS,
)

__all__ = [
    "LOOKBACK",
    "RELAXANT_COURSE_GAP",
    "RETIRED",
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
    "med.large-dose": timedelta(days=7),
    "med.ibuprofen-with-aspirin": timedelta(days=7),
    "med.acetaminophen-overdose": timedelta(days=7),
    "med.too-soon": timedelta(days=7),
    "med.nsaid-combination": timedelta(days=7),
    "med.nsaid-10-days": timedelta(days=7),
    "med.muscle-relaxant-72h": timedelta(days=7),
    "med.muscle-relaxant-3-weeks": timedelta(days=7),
    "med.muscle-relaxant-daytime": timedelta(hours=24),
    "care.application-too-long": timedelta(days=7),
    "care.reapply-too-soon": timedelta(days=7),
    "care.bed-rest": timedelta(days=7),
}
# A gap between muscle-relaxant doses this long or longer starts a new course.
RELAXANT_COURSE_GAP = EPISODE_GAP
# The drug whose label names an overdose level.
OVERDOSE_DRUG = "acetaminophen"
ASPIRIN = "aspirin"
# NSAIDs that block low-dose aspirin's heart protection (FDA).
ASPIRIN_BLOCKERS: tuple[str, ...] = ("ibuprofen", "naproxen")
# Profile history that makes an NSAID riskier (NSAID Drug Facts: ask a doctor before use),
# and that makes acetaminophen riskier for the liver (Acetaminophen Drug Facts).
NSAID_RISK_HISTORY: tuple[str, ...] = (
    "blood-thinners",
    "steroid-use",
    "stomach-ulcer",
    "kidney-disease",
    "heart-disease",
)
LIVER_HISTORY: tuple[str, ...] = ("liver-disease", "alcohol")
# Profile history that makes back pain a risk (risk.history), that raises fracture risk
# after a fall (red-flag.trauma advice), and that makes a fever more serious
# (red-flag.fever advice). Cancer has its own rules (cancer-pain, cancer-neuro).
RISK_HISTORY: tuple[str, ...] = (
    "osteoporosis",
    "steroid-use",
    "substance-misuse",
    "immunosuppressed",
)
FRACTURE_HISTORY: tuple[str, ...] = ("osteoporosis", "steroid-use")
INFECTION_HISTORY: tuple[str, ...] = ("immunosuppressed", "steroid-use", "substance-misuse")
CANCER = "cancer"
BELOW_KNEE = "below-knee"
UPPER_BACK = "upper-back"
UPPER_LOCATION = "upper"  # `log --where upper` is a report of upper-back
REST_KIND = "rest"

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
_NIH = "NIH stroke warning signs"
_NG234 = "NICE NG234 (spinal metastases)"
_STRATIFIED = "NICE NG59; Hill et al. 2011 (STarT Back trial, Lancet); Hill et al. 2008"
_ASSESSMENT = "backcare supports, and does not replace, a clinician's assessment."

_NSAIDS = ", ".join(name for name, cls in KNOWN_DRUGS.items() if cls == NSAID)
_MAXIMA = ", ".join(f"{name} {_mg(lim.daily_max_mg)} mg" for name, lim in DRUG_LIMITS.items())
_INTERVALS = ", ".join(f"{name} {_hours(lim.min_interval)}" for name, lim in DRUG_LIMITS.items())
_GRACE = "; ".join(
    f"a second {name} within {_hours(lim.first_dose_grace)} of the day's first dose is allowed"
    for name, lim in DRUG_LIMITS.items()
    if lim.first_dose_grace is not None
)
_DAYTIME = f"{DAYTIME_START_HOUR:02d}:00 and {DAYTIME_END_HOUR:02d}:00"
_SINGLES = ", ".join(f"{name} {_mg(lim.largest_single_mg)} mg" for name, lim in DRUG_LIMITS.items())

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
        'NHS "Back pain"',
    ),
    RuleSpec(
        "red-flag.stroke-signs",
        "emergency",
        "Possible signs of a stroke",
        "Sudden numbness or weakness on one side of the body (face, arm or leg).",
        f"{_EMERGENCY}: sudden numbness or weakness on one side of the body can be a sign of a "
        "stroke. Note the time it started.",
        _NIH,
    ),
    RuleSpec(
        "red-flag.balance",
        "emergency",
        "Sudden trouble with balance, coordination or speech",
        "Sudden trouble with balance, coordination or speech.",
        f"{_EMERGENCY}: sudden trouble with balance, coordination or speech can be a sign of a "
        "stroke. Note the time it started.",
        _NIH,
    ),
    RuleSpec(
        "red-flag.aortic",
        "emergency",
        "Feeling faint with back pain",
        "Feeling faint, dizzy, pale, sweaty or clammy with the pain, with or without pain in "
        "the abdomen.",
        f"{_EMERGENCY}: back or tummy pain with faintness or dizziness can be a sign of a burst "
        "main artery (aortic aneurysm).",
        'NHS "Abdominal aortic aneurysm"',
    ),
    RuleSpec(
        "red-flag.gi-bleeding",
        "emergency",
        "Black or bloody stools, or vomiting blood",
        "Black or bloody stools, or vomiting blood.",
        f"{_EMERGENCY}: this can be bleeding in the stomach or gut. Take no more NSAIDs "
        "(ibuprofen, naproxen, aspirin, diclofenac) until a doctor has seen you.",
        "NSAID Drug Facts labels; NHS",
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
        "red-flag.infection-neuro",
        "emergency",
        "Fever with numbness, weakness or difficulty walking",
        "Fever together with numbness or weakness in a leg or arm, new difficulty walking, loss "
        "of feeling, symptoms in both legs, or numbness around the genitals, buttocks or inner "
        "thighs.",
        f"{_EMERGENCY}: fever with numbness, weakness or difficulty walking can be a sign of an "
        "infection near the spine.",
        "NICE CKS",
    ),
    RuleSpec(
        "red-flag.cancer-neuro",
        "emergency",
        "Nerve symptoms with a history of cancer",
        "A history of cancer together with numbness or weakness in a leg or arm, pain spreading "
        "below the knee, new difficulty walking, loss of feeling, symptoms in both legs, or "
        "bladder or bowel problems.",
        f"{_EMERGENCY}, and say that you have had cancer: these symptoms can mean pressure on "
        "the spinal cord, which needs treatment quickly.",
        _NG234,
    ),
    RuleSpec(
        "red-flag.cancer-pain",
        "urgent",
        "Back pain with a history of cancer",
        "A history of cancer and an active episode of back pain.",
        f"Contact your doctor or cancer team today, within {_hours(CANCER_CONTACT)}, and say "
        "that you have had "
        "cancer: new back pain after cancer needs checking. If you get leg weakness or "
        "numbness, difficulty walking, or bladder or bowel problems, call the emergency number "
        "now.",
        "NICE NG234",
    ),
    RuleSpec(
        "red-flag.fever",
        "urgent",
        "Back pain with a fever",
        "Fever (38 °C / 100.4 °F or higher).",
        f"{_URGENT}: back pain with a fever can be a sign of an infection.",
        f"{_MAYO}; NHS; NICE CKS",
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
        "Weakness, difficulty walking or loss of feeling",
        "Arm or leg muscle weakness, new difficulty walking or legs giving way, or loss of "
        "feeling in an arm or a leg.",
        f"{_URGENT}: weakness, difficulty walking or loss of feeling can mean a nerve is "
        "pressed. If it came on suddenly on one side of the body, call the emergency number "
        "now.",
        f"NICE CKS; {_GUIDANCE}",
    ),
    RuleSpec(
        "red-flag.night-pain",
        "urgent",
        "Constant pain or pain worse at night",
        "Intense or constant pain, worse at night or lying down, not eased by rest.",
        f"{_URGENT}: pain that is constant or worse at night or lying down should be checked.",
        f"{_MAYO}; NHS",
    ),
    RuleSpec(
        "red-flag.non-mechanical",
        "urgent",
        "Pain worse on coughing or sneezing, or between the shoulder blades",
        "Pain made worse by coughing, sneezing or straining, or pain between the shoulder blades.",
        f"{_URGENT}: pain like this can have a cause other than strained muscles and should be "
        "checked.",
        'NHS "Back pain"; NICE CKS',
    ),
    RuleSpec(
        "red-flag.swelling",
        "urgent",
        "A lump, swelling or redness on the back",
        "A lump, swelling, redness or change in the shape of the back.",
        f"{_URGENT}: a lump, swelling or redness can be a sign of an infection or inflammation.",
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
        f"{_SOON}; contact a doctor today if the leg gets weaker. Pain or numbness in a leg "
        "can mean an irritated nerve. If both legs are affected or you have bladder or bowel "
        "problems, call the emergency number now.",
        _MAYO,
    ),
    RuleSpec(
        "risk.first-after-50",
        "soon",
        f"First back pain after age {FIRST_EPISODE_AGE}",
        f"An episode is active, you were over {FIRST_EPISODE_AGE} when it started, and your "
        "profile says you had no back pain before.",
        f"{_SOON}: a first episode of back pain after {FIRST_EPISODE_AGE} is worth having checked.",
        f"{_MAYO}; NICE CKS",
    ),
    RuleSpec(
        "risk.first-under-20",
        "soon",
        f"First back pain under age {FIRST_EPISODE_YOUNG_AGE}",
        f"An episode is active, you were under {FIRST_EPISODE_YOUNG_AGE} when it started, and "
        "your profile says you had no back pain before.",
        f"{_SOON}: a first episode of back pain under {FIRST_EPISODE_YOUNG_AGE} is worth "
        "having checked.",
        "NICE CKS",
    ),
    RuleSpec(
        "risk.history",
        "soon",
        "Back pain with a risk factor in your history",
        "An episode is active and your profile lists osteoporosis, steroid use, substance "
        "misuse or a weakened immune system.",
        f"{_SOON} and mention your history: it makes a cause that needs treatment more likely.",
        f"{_MAYO}; NICE CKS; Chou et al. 2007",
    ),
    RuleSpec(
        "risk.startback-high",
        "soon",
        "STarT Back: high risk of a long-lasting problem",
        "Your latest STarT Back questionnaire in this episode scored high risk (psychosocial "
        f"subscale {STARTBACK_HIGH_SUBSCALE_MIN} or more of 5, total over "
        f"{STARTBACK_LOW_TOTAL_MAX}).",
        f"{_SOON} and show this result: NICE advises physiotherapy with a psychologically "
        f"informed approach for this group. {_ASSESSMENT}",
        _STRATIFIED,
    ),
    RuleSpec(
        "risk.startback-medium",
        "routine",
        "STarT Back: medium risk",
        "Your latest STarT Back questionnaire in this episode scored medium risk (total over "
        f"{STARTBACK_LOW_TOTAL_MAX}, psychosocial subscale under "
        f"{STARTBACK_HIGH_SUBSCALE_MIN}).",
        f"Mention it at your next visit: physiotherapy helps this group recover. {_ASSESSMENT}",
        _STRATIFIED,
    ),
    RuleSpec(
        "risk.startback-low",
        "info",
        "STarT Back: low risk",
        "Your latest STarT Back questionnaire in this episode scored low risk (total "
        f"{STARTBACK_LOW_TOTAL_MAX} or less).",
        "Most people in this group recover well with self-care: keep active, keep up your "
        f"usual activities as far as you can, and use the self-care guide. {_ASSESSMENT}",
        _STRATIFIED,
    ),
    # --- Course of the episode ---
    RuleSpec(
        "course.no-improvement-72h",
        "soon",
        f"No improvement after {_hours(NO_IMPROVEMENT_AFTER)} of self-care",
        f"The episode is at least {_hours(NO_IMPROVEMENT_AFTER)} old and pain has not dropped by "
        f"{IMPROVED_POINTS:g} points or {IMPROVED_FRACTION:.0%} from its first "
        f"{_hours(BASELINE_WINDOW)}.",
        "Most back pain eases over weeks. Book an appointment in the next days with a "
        "pharmacist, doctor or physiotherapist: they can review your pain relief and self-care.",
        f'{_MAYO} (the seed\'s "first 72 hours of self-care")',
    ),
    RuleSpec(
        "course.worsening",
        "soon",
        "Pain is getting worse",
        f"Pain in the last {_hours(CURRENT_WINDOW)} is {WORSENING_POINTS:g} points or more above "
        f"the first {_hours(BASELINE_WINDOW)} of the episode; while the episode is under "
        f"{_hours(WORSENING_EARLY)} old: the latest entry is {WORSENING_POINTS:g} points or more "
        f"above the episode's first entry, at least {_hours(WORSENING_MIN_APART)} later.",
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
        "med.acetaminophen-overdose",
        "emergency",
        "Possible acetaminophen overdose",
        f"More than {_mg(ACETAMINOPHEN_OVERDOSE_MG)} mg of acetaminophen (paracetamol) in any "
        f"{_hours(DOSE_WINDOW)}, from every product that contains it.",
        "Call Poison Control or the emergency number now, even if you feel well: the label "
        "says quick medical help is critical because an overdose harms the liver before you "
        "feel it. Take no more acetaminophen.",
        "Acetaminophen Drug Facts label",
    ),
    RuleSpec(
        "med.daily-max",
        "caution",
        "More than the daily maximum",
        f"A drug's doses in any {_hours(DOSE_WINDOW)} add up to more than its maximum: your "
        f"prescription's, else the label's ({_MAXIMA}). Aspirin of {_mg(LOW_DOSE_ASPIRIN_MG)} mg "
        "or less (low-dose) is not counted.",
        f"Take no more of this drug for now and stay within the maximum in any "
        f"{_hours(DOSE_WINDOW)} ({_MAXIMA} on the label), {_DOCTOR}. If you took much more, "
        "call Poison Control or a doctor.",
        "US OTC Drug Facts labels",
    ),
    RuleSpec(
        "med.large-dose",
        "caution",
        "A single dose larger than usual",
        f"One dose above the largest single dose of any label or common prescription "
        f"({_SINGLES}), or above your prescribed dose.",
        f"Check the dose on the package or your prescription; do not take a larger single dose "
        f"{_DOCTOR}. If you took much more, call Poison Control or a doctor.",
        "Drug Facts labels; prescribing information",
    ),
    RuleSpec(
        "med.too-soon",
        "caution",
        "Dose taken too soon",
        f"A dose of the same drug sooner than the interval of your prescription, else the "
        f"label: {_INTERVALS} ({_GRACE}).",
        f"Wait the interval between doses of the same drug, {_DOCTOR}: {_INTERVALS} on the "
        f"label ({_GRACE}).",
        "OTC labels",
    ),
    RuleSpec(
        "med.nsaid-combination",
        "caution",
        f"Two different NSAIDs within {_hours(DOSE_WINDOW)}",
        f"Two different NSAIDs ({_NSAIDS}; aspirin over {_mg(LOW_DOSE_ASPIRIN_MG)} mg) within "
        f"{_hours(DOSE_WINDOW)}.",
        f"Do not take two NSAIDs ({_NSAIDS}) together: it raises the risk of stomach bleeding "
        f"and kidney harm. Keep to one, {_DOCTOR}.",
        'OTC labels ("do not use with any other NSAID")',
    ),
    RuleSpec(
        "med.ibuprofen-with-aspirin",
        "caution",
        "Ibuprofen or naproxen close to low-dose aspirin",
        f"Ibuprofen or naproxen within {_hours(ASPIRIN_NSAID_BEFORE)} before or "
        f"{_minutes_words(ASPIRIN_NSAID_AFTER)} after low-dose aspirin "
        f"({_mg(LOW_DOSE_ASPIRIN_MG)} mg or less).",
        "Keep taking your aspirin. Ibuprofen or naproxen taken close to it can stop it "
        "protecting your heart: ask a pharmacist how to time them (the FDA says at least "
        f"{_minutes_words(ASPIRIN_NSAID_AFTER)} after the aspirin, or more than "
        f"{_hours(ASPIRIN_NSAID_BEFORE)} before).",
        "FDA, ibuprofen and low-dose aspirin",
    ),
    RuleSpec(
        "med.nsaid-risk",
        "caution",
        "An NSAID with a risk in your profile",
        f"An NSAID dose in the last {RECENT_DOSE.days} days and you are {NSAID_RISK_AGE} or "
        "older, or your profile lists blood thinners, steroid use, a stomach ulcer, kidney "
        "disease or heart disease.",
        "The label says ask a doctor before using an NSAID (ibuprofen, naproxen, aspirin, "
        "diclofenac) in your situation: the risk of stomach bleeding, kidney or heart harm is "
        "higher. A pharmacist can suggest a safer choice.",
        "NSAID Drug Facts labels",
    ),
    RuleSpec(
        "med.acetaminophen-liver",
        "caution",
        "Acetaminophen with liver disease or alcohol",
        f"An acetaminophen dose in the last {RECENT_DOSE.days} days and your profile lists "
        "liver disease or 3 or more drinks most days.",
        "The label says ask a doctor before using acetaminophen with liver disease, and warns "
        "that 3 or more drinks a day raise the risk of liver damage. Ask a doctor or pharmacist "
        "what daily amount is safe for you.",
        "Acetaminophen Drug Facts label",
    ),
    RuleSpec(
        "med.nsaid-10-days",
        "soon",
        f"NSAIDs for more than {NSAID_DAYS_MAX} days",
        f"NSAID doses (low-dose aspirin not counted) on more than {NSAID_DAYS_MAX} days, with "
        f"no gap of more than {NSAID_GAP_RESETS.days} days between them, not under a "
        "prescription.",
        f"{_SOON}: the label says to stop and ask a doctor if pain lasts more than "
        f"{NSAID_DAYS_MAX} days. Do not keep taking NSAIDs {_DOCTOR}.",
        'Ibuprofen Drug Facts ("pain lasts more than 10 days")',
    ),
    RuleSpec(
        "med.muscle-relaxant-72h",
        "info",
        f"Muscle relaxant for more than {_hours(MUSCLE_RELAXANT_SHORT)}",
        f"Muscle-relaxant doses span more than {_hours(MUSCLE_RELAXANT_SHORT)} and no "
        "prescription is recorded.",
        f"Some guidance says no more than {_hours(MUSCLE_RELAXANT_SHORT)}; the labels allow 2-3 "
        "weeks. Check how long your doctor meant you to take it (`backcare meds prescribe` "
        "records it).",
        f"{_GUIDANCE} (no more than 72 hours)",
    ),
    RuleSpec(
        "med.muscle-relaxant-3-weeks",
        "soon",
        f"Muscle relaxant for more than {MUSCLE_RELAXANT_LONG.days // 7} weeks",
        f"Muscle-relaxant doses span more than {MUSCLE_RELAXANT_LONG.days} days, or go on past "
        "the prescribed course.",
        f"{_SOON}: labels advise muscle relaxants for {MUSCLE_RELAXANT_LONG.days // 7 - 1} to "
        f"{MUSCLE_RELAXANT_LONG.days // 7} weeks at most; do not go on past that or past your "
        f"prescription {_DOCTOR}.",
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
        "care.bed-rest",
        "caution",
        "Most of the day lying down, several days in a row",
        f"{BED_REST_DAYS} or more consecutive days each with {_hours(BED_REST_PER_DAY)} or more "
        f"of rest logged (a rest entry without minutes counts as "
        f"{_hours(REST_WITHOUT_MINUTES)}).",
        "Bed rest is no longer advised: stay as active as you can, with gentle walking and "
        "stretching; it helps recovery.",
        f"Cochrane (Dahm 2010); Choosing Wisely (NASS); {_GUIDANCE}",
    ),
)

# Rule IDs no longer in the catalog. They never fire; the IDs stay reserved (never reused),
# and `backcare rules` and docs/rules.md list them with the reason.
RETIRED: dict[str, str] = {
    "care.heat-first-48h": (
        "Retired in catalog version 2: heat in the first 48 hours is no longer flagged. Ice "
        "and heat are both reasonable in the first days; heat has the better evidence (ACP "
        "2017; Cochrane)."
    ),
}

RULES_BY_ID: dict[str, RuleSpec] = {spec.id: spec for spec in RULES}
_ORDER: dict[str, int] = {spec.id: index for index, spec in enumerate(RULES)}

_FRACTURE_ADVICE = (
    "With {what}, a fall or a blow is more likely to cause a spinal fracture, even a minor "
    "one. Say so when you call."
)
_INFECTION_ADVICE = (
    "Your profile lists {what}: an infection is more likely and can be more serious. Say so "
    "when you call."
)
_GI_DOSE_ADVICE = (
    "You logged {drugs} in the last {days} days: these can cause stomach bleeding. Tell the doctor."
)


# --- Symptom triggers (the red-flag table as data) -------------------------------------


@dataclass(frozen=True, slots=True)
class SymptomTrigger:
    """Fires when any of `any_of` is active, and (if given) any of `with_any` is active,
    and (if given) the profile history has `with_history`. Active codes of `named_too`
    join the evidence (faintness "with or without" abdominal pain)."""

    rule: str
    any_of: tuple[str, ...]
    with_any: tuple[str, ...] = ()
    with_history: str | None = None
    named_too: tuple[str, ...] = ()  # not needed, but named in the evidence when active


_NEURO = ("leg-numbness", "limb-weakness", "walking-difficulty", "sensation-loss", "both-legs")

SYMPTOM_TRIGGERS: tuple[SymptomTrigger, ...] = (
    SymptomTrigger(
        "red-flag.cauda-equina",
        ("bladder", "bowel", "saddle-numbness", "both-legs", "sexual-dysfunction"),
    ),
    SymptomTrigger("red-flag.chest-pain", ("chest-pain",)),
    SymptomTrigger("red-flag.stroke-signs", ("one-side-numbness",)),
    SymptomTrigger("red-flag.balance", ("balance",)),
    SymptomTrigger("red-flag.aortic", ("faintness",), named_too=("abdominal-pain",)),
    SymptomTrigger("red-flag.gi-bleeding", ("gi-bleeding",)),
    SymptomTrigger("red-flag.major-trauma", ("major-trauma",)),
    SymptomTrigger("red-flag.infection-neuro", ("fever",), with_any=(*_NEURO, "saddle-numbness")),
    SymptomTrigger(
        "red-flag.cancer-neuro",
        (BELOW_KNEE, *_NEURO, "bladder", "bowel"),
        with_history=CANCER,
    ),
    SymptomTrigger("red-flag.fever", ("fever",)),
    SymptomTrigger("red-flag.abdominal", ("abdominal-pain",)),
    SymptomTrigger("red-flag.trauma", ("fall-or-blow",)),
    SymptomTrigger("red-flag.weakness", ("limb-weakness", "walking-difficulty", "sensation-loss")),
    SymptomTrigger("red-flag.night-pain", ("night-pain",)),
    SymptomTrigger("red-flag.non-mechanical", ("cough-sneeze", UPPER_BACK)),
    SymptomTrigger("red-flag.swelling", ("redness-swelling",)),
    SymptomTrigger("red-flag.weight-loss", ("weight-loss",)),
    SymptomTrigger("red-flag.leg-symptoms", ("leg-numbness", BELOW_KNEE)),
)


# --- Helpers ----------------------------------------------------------------------------

_E = TypeVar("_E", PainEntry, Treatment, SymptomReport, Measure)


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
        prescriptions=tuple(
            dataclasses.replace(
                p,
                at=p.at.astimezone(UTC),
                until=p.until and p.until.astimezone(UTC),
                stopped_at=p.stopped_at and p.stopped_at.astimezone(UTC),
            )
            for p in history.prescriptions
        ),
        measures=_utc_items(history.measures),
        goals=history.goals,
        elided=history.elided,
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
    A pain entry radiating below the knee is a present report of `below-knee`, and one
    with location `upper` a present report of `upper-back`.
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
        if not since <= at <= now:
            continue
        if entry.radiates == BELOW_KNEE:
            text = f"{entry.ref} pain {entry.pain} radiating below the knee {_when(at, tz)}"
            events.append((at, True, BELOW_KNEE, text))
        if entry.location == UPPER_LOCATION:
            text = f"{entry.ref} pain {entry.pain} in the upper back {_when(at, tz)}"
            events.append((at, True, UPPER_BACK, text))
    events.sort(key=lambda e: (e[0], e[1]))
    latest: dict[str, tuple[datetime, bool, str]] = {}
    for at, present, code, text in events:
        latest[code] = (at, present, text)
    return {
        code: ActiveSymptom(code, at, text)
        for code, (at, present, text) in latest.items()
        if present
    }


def _red_flags(
    active: dict[str, ActiveSymptom],
    history: History,
    profile: Profile,
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    for trigger in SYMPTOM_TRIGGERS:
        primary = [active[c] for c in trigger.any_of if c in active]
        if not primary:
            continue
        secondary = [active[c] for c in trigger.with_any if c in active]
        if trigger.with_any and not secondary:
            continue
        if trigger.with_history is not None and trigger.with_history not in profile.history:
            continue
        named = [active[c] for c in trigger.named_too if c in active]
        found = sorted(
            {s.code: s for s in primary + secondary + named}.values(), key=lambda s: s.at
        )
        evidence = [s.evidence for s in found]
        if trigger.with_history is not None:
            evidence.append(f"profile history: {trigger.with_history}")
        extra = _EXTRA_ADVICE.get(trigger.rule)
        advice = None
        if extra is not None:
            more = extra(history, profile, now, tz)
            if more is not None:
                text, lines = more
                advice = f"{RULES_BY_ID[trigger.rule].advice} {text}"
                evidence += lines
        out.add(trigger.rule, evidence, advice=advice)


_Extra = tuple[str, list[str]] | None


def _words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _age(profile: Profile, at: datetime, tz: tzinfo) -> int | None:
    """Age in years from the birth year: the local year of `at` minus the birth year.

    Without a birthday this can be one more than the true age; for the age-triggered
    advice (fracture risk at 70) that errs towards the warning, the safer side.
    """
    if profile.birth_year is None:
        return None
    return at.astimezone(tz).year - profile.birth_year


def _trauma_advice(history: History, profile: Profile, now: datetime, tz: tzinfo) -> _Extra:
    reasons = [h.replace("-", " ") for h in FRACTURE_HISTORY if h in profile.history]
    lines = [f"profile history: {h}" for h in FRACTURE_HISTORY if h in profile.history]
    age = _age(profile, now, tz)
    if age is not None and age >= FRACTURE_AGE:
        reasons.append(f"age {FRACTURE_AGE} or over")
        lines.append(f"profile: age {age} (born {profile.birth_year})")
    if not reasons:
        return None
    return _FRACTURE_ADVICE.format(what=_words(reasons)), lines


def _fever_advice(history: History, profile: Profile, now: datetime, tz: tzinfo) -> _Extra:
    named = [h for h in INFECTION_HISTORY if h in profile.history]
    if not named:
        return None
    what = _words([h.replace("-", " ") for h in named])
    return _INFECTION_ADVICE.format(what=what), [f"profile history: {h}" for h in named]


def _gi_bleeding_advice(history: History, profile: Profile, now: datetime, tz: tzinfo) -> _Extra:
    """Names every NSAID or aspirin dose (low-dose aspirin too) in the last 7 days."""
    recent = []
    for t in history.treatments:
        if t.drug is None or not now - RECENT_DOSE <= t.at <= now:
            continue
        name = normalise_drug(t.drug) or t.drug.strip().lower()
        if is_nsaid(name) or name == ASPIRIN:
            recent.append((name, t))
    if not recent:
        return None
    drugs = _words(sorted({name for name, _ in recent}))
    lines = [
        f"{t.ref} {name}{f' {_mg(t.dose_mg)} mg' if t.dose_mg is not None else ''} at "
        f"{_when(t.at, tz)}"
        for name, t in recent
    ]
    return _GI_DOSE_ADVICE.format(drugs=drugs, days=RECENT_DOSE.days), lines


_EXTRA_ADVICE = {
    "red-flag.trauma": _trauma_advice,
    "red-flag.fever": _fever_advice,
    "red-flag.gi-bleeding": _gi_bleeding_advice,
}


# --- Course and risk ----------------------------------------------------------------------


def _course_flags(history: History, now: datetime, tz: tzinfo, out: _Flags) -> None:
    c = course(history, now)
    if c is None:
        return
    age = now - c.onset
    onset_line = f"episode onset {_when(c.onset, tz)}, {_span(age)} ago"
    if age < WORSENING_EARLY:
        _early_worsening(history, c.onset, now, tz, onset_line, out)
    baseline = _exact_mean(c.baseline_entries)
    current = _exact_mean(c.current_entries)
    improved = c.improved  # exact (fractions), shared with `status`
    if baseline is None or current is None or improved is None:
        return  # no entry in either window: no course flag
    evidence = [
        onset_line,
        f"baseline {_score(baseline)} (first {_h(BASELINE_WINDOW)}) vs current "
        f"{_score(current)} (last {_h(CURRENT_WINDOW)})",
    ]
    if not improved and age >= NO_IMPROVEMENT_AFTER:
        out.add("course.no-improvement-72h", evidence)
    if not improved and age >= NO_IMPROVEMENT_LONG:
        out.add("course.no-improvement-4w", evidence)
    if age >= WORSENING_EARLY and current >= baseline + _exact(WORSENING_POINTS):
        out.add("course.worsening", evidence)


def _early_worsening(
    history: History, onset: datetime, now: datetime, tz: tzinfo, onset_line: str, out: _Flags
) -> None:
    """Under 48 h the two 24 h windows overlap: compare the latest entry with the first."""
    entries = [e for e in history.pain if onset <= e.at <= now]
    if len(entries) < 2:
        return
    first, latest = entries[0], entries[-1]
    if latest.at - first.at >= WORSENING_MIN_APART and latest.pain >= first.pain + (
        _exact(WORSENING_POINTS)
    ):
        out.add(
            "course.worsening",
            [
                onset_line,
                f"{first.ref} pain {first.pain} at {_when(first.at, tz)} (first of the episode)",
                f"{latest.ref} pain {latest.pain} at {_when(latest.at, tz)} (latest)",
            ],
        )


def _risk_flags(history: History, profile: Profile, now: datetime, tz: tzinfo, out: _Flags) -> None:
    onset = episode_onset(history, now)
    if onset is None:
        return
    active = f"episode active since {_when(onset, tz)}"
    birth = profile.birth_year
    if birth is not None and profile.prior_back_pain is False:
        age = onset.astimezone(tz).year - birth
        evidence = [f"{active}, age {age} at onset (born {birth})", "profile: no earlier back pain"]
        if age > FIRST_EPISODE_AGE:
            out.add("risk.first-after-50", evidence)
        if age < FIRST_EPISODE_YOUNG_AGE:
            out.add("risk.first-under-20", evidence)
    if CANCER in profile.history:
        out.add("red-flag.cancer-pain", [active, f"profile history: {CANCER}"])
    named = [h for h in RISK_HISTORY if h in profile.history]
    if named:
        out.add("risk.history", [active, *(f"profile history: {h}" for h in named)])


def _startback_flags(history: History, now: datetime, tz: tzinfo, out: _Flags) -> None:
    """risk.startback-*: from the LATEST STarT Back of the active episode only."""
    latest = latest_startback(history, now)
    if latest is None or latest.risk is None:
        return
    out.add(
        f"risk.startback-{latest.risk}",
        [
            f"{latest.ref} STarT Back at {_when(latest.at, tz)}: total {latest.score} of 9, "
            f"psychosocial {latest.subscale} of 5 ({latest.risk} risk)"
        ],
    )


# --- Medication ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Dose:
    treatment: Treatment
    drug: str  # normalised generic name, or the stored name
    at: datetime  # UTC

    @property
    def mg(self) -> float | None:
        return self.treatment.dose_mg

    @property
    def low_dose_aspirin(self) -> bool:
        return self.drug == ASPIRIN and self.mg is not None and self.mg <= LOW_DOSE_ASPIRIN_MG

    @property
    def nsaid(self) -> bool:
        """An NSAID dose that counts as one (low-dose aspirin does not)."""
        return is_nsaid(self.drug) and not self.low_dose_aspirin

    def line(self, tz: tzinfo) -> str:
        amount = f" {_mg(self.mg)} mg" if self.mg is not None else ""
        product = self.treatment.product
        what = f" ({product})" if product else ""
        return f"{self.treatment.ref} {self.drug}{amount}{what} at {_when(self.at, tz)}"


def _doses(history: History) -> list[_Dose]:
    doses = []
    for t in history.treatments:
        if t.drug is None and not (t.kind == "medication" and t.relaxant):
            continue
        name = (normalise_drug(t.drug) or t.drug.strip().lower()) if t.drug else "medication"
        doses.append(_Dose(t, name, t.at))
    return doses


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits for one drug at one time: a prescription in force, else the label."""

    daily_max_mg: float | None
    interval: timedelta | None
    first_dose_grace: timedelta | None
    single_max_mg: float | None  # above it: med.large-dose
    prescription: Prescription | None  # the prescription they come from, if any

    @property
    def whose(self) -> str:
        return "your prescription" if self.prescription is not None else "the label"


def prescription_for(
    prescriptions: Sequence[Prescription], drug: str, at: datetime
) -> Prescription | None:
    """The prescription for `drug` in force at `at` (the latest started, if several)."""
    found = [p for p in prescriptions if p.drug == drug and p.in_force(at)]
    return max(found, key=lambda p: p.at) if found else None


def limits_for(prescriptions: Sequence[Prescription], drug: str, at: datetime) -> Limits:
    """Limits for a dose of `drug` at `at`. A prescription's fields replace the label's; a
    field it leaves out falls back to the label. The first-dose grace is the label's and
    does not apply under a prescription interval."""
    label = DRUG_LIMITS.get(drug)
    single = largest_single_mg(drug)
    rx = prescription_for(prescriptions, drug, at)
    if rx is None:
        return Limits(
            label.daily_max_mg if label else None,
            label.min_interval if label else None,
            label.first_dose_grace if label else None,
            single,
            None,
        )
    base = limits_for((), drug, at)
    return Limits(
        rx.max_daily_mg if rx.max_daily_mg is not None else base.daily_max_mg,
        rx.every if rx.every is not None else base.interval,
        None if rx.every is not None else base.first_dose_grace,
        rx.dose_mg if rx.dose_mg is not None else single,
        rx,
    )


_RX_ADVICE = (
    "The limit used here is your prescription's (`backcare meds list`), not the label's: "
    "follow your prescription, and ask the prescriber if you are unsure."
)


def _rx_advice(rule: str, limits: Limits | None) -> str | None:
    """The advice says whose limits apply: your prescription, else the label (default)."""
    if limits is None or limits.prescription is None:
        return None
    return f"{RULES_BY_ID[rule].advice} {_RX_ADVICE}"


def _window_total(measured: Sequence[_Dose], end: datetime) -> tuple[float, list[_Dose]]:
    """Total mg and doses in the 24 h window (end - 24 h, end]."""
    window = [d for d in measured if end - DOSE_WINDOW < d.at <= end]
    return sum(float(d.mg or 0) for d in window), window


def _daily_totals(
    doses: Sequence[_Dose],
    prescriptions: Sequence[Prescription],
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    """med.daily-max and med.acetaminophen-overdose: a 24 h window ending at a recent dose.

    Low-dose aspirin is left out of the aspirin total. The maximum is the one in force at
    the dose that ends the window.
    """
    drugs = sorted({d.drug for d in doses if d.mg is not None})
    for drug in drugs:
        measured = [d for d in doses if d.drug == drug and d.mg is not None]
        counted = [d for d in measured if not d.low_dose_aspirin]
        for rule in ("med.daily-max", "med.acetaminophen-overdose"):
            if rule == "med.acetaminophen-overdose" and drug != OVERDOSE_DRUG:
                continue
            cutoff = now - LOOKBACK[rule]
            worst: tuple[float, float, list[_Dose], Limits | None] | None = None
            for d in counted:
                if d.at < cutoff:
                    continue
                limits = limits_for(prescriptions, drug, d.at)
                limit = (
                    ACETAMINOPHEN_OVERDOSE_MG
                    if rule == "med.acetaminophen-overdose"
                    else limits.daily_max_mg
                )
                if limit is None:
                    continue
                total, window = _window_total(counted, d.at)
                if total > limit and (worst is None or total >= worst[0]):
                    worst = (total, float(limit), window, limits)
            if worst is None:
                continue
            total, limit, window, used = worst
            whose = "" if used is None or rule != "med.daily-max" else f", {used.whose}"
            out.add(
                rule,
                advice=_rx_advice(rule, used) if rule == "med.daily-max" else None,
                evidence=[
                    f"{drug} {_mg(total)} mg in the {_h(DOSE_WINDOW)} to "
                    f"{_when(window[-1].at, tz)} (more than {_mg(limit)} mg{whose})",
                    *(d.line(tz) for d in window),
                ],
            )


def _large_doses(
    doses: Sequence[_Dose],
    prescriptions: Sequence[Prescription],
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    rule = "med.large-dose"
    for d in doses:
        if d.mg is None or d.at < now - LOOKBACK[rule]:
            continue
        limits = limits_for(prescriptions, d.drug, d.at)
        if limits.single_max_mg is not None and d.mg > limits.single_max_mg:
            which = (
                "your prescribed dose"
                if limits.prescription is not None and limits.prescription.dose_mg is not None
                else "the largest single dose"
            )
            out.add(
                rule,
                [f"{d.line(tz)} (more than {which}, {_mg(limits.single_max_mg)} mg)"],
                advice=_rx_advice(rule, limits),
            )


def _day_first(same: Sequence[_Dose], i: int, interval: timedelta, tz: tzinfo) -> bool:
    """The day's first dose: the first of its local day AND >= the interval after the last."""
    if i == 0:
        return True
    prev, this = same[i - 1], same[i]
    new_day = prev.at.astimezone(tz).date() != this.at.astimezone(tz).date()
    return new_day and this.at - prev.at >= interval


def _too_soon(
    doses: Sequence[_Dose],
    prescriptions: Sequence[Prescription],
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    rule = "med.too-soon"
    cutoff = now - LOOKBACK[rule]
    for drug in sorted({d.drug for d in doses}):
        same = [d for d in doses if d.drug == drug]
        for i in range(1, len(same)):
            prev, this = same[i - 1], same[i]
            limits = limits_for(prescriptions, drug, this.at)
            interval, grace = limits.interval, limits.first_dose_grace
            if interval is None:
                continue
            gap = this.at - prev.at
            if this.at < cutoff or gap >= interval:
                continue
            if grace is not None and gap <= grace and _day_first(same, i - 1, interval, tz):
                continue  # the one extra dose allowed within the hour of the day's first
            out.add(
                rule,
                [
                    f"{this.line(tz)}, {_span(gap)} after {prev.line(tz)} "
                    f"({'prescription' if limits.prescription else 'label'} interval "
                    f"{_h(interval)})"
                ],
                advice=_rx_advice(rule, limits),
            )


def _combination(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    rule = "med.nsaid-combination"
    cutoff = now - LOOKBACK[rule]
    nsaids = [d for d in doses if d.nsaid]
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


def _with_aspirin(doses: Sequence[_Dose], now: datetime, tz: tzinfo, out: _Flags) -> None:
    """Ibuprofen or naproxen from 8 h before (inclusive) to 30 min after (exclusive) a
    low-dose aspirin: the FDA's advice is "at least 30 min after, or more than 8 h before"."""
    rule = "med.ibuprofen-with-aspirin"
    cutoff = now - LOOKBACK[rule]
    aspirins = [d for d in doses if d.low_dose_aspirin]
    for d in doses:
        if d.drug not in ASPIRIN_BLOCKERS:
            continue
        for a in aspirins:
            if max(a.at, d.at) < cutoff:
                continue
            if a.at - ASPIRIN_NSAID_BEFORE <= d.at < a.at + ASPIRIN_NSAID_AFTER:
                relation = (
                    f"{_span(a.at - d.at)} before"
                    if d.at <= a.at
                    else f"{_span(d.at - a.at)} after"
                )
                out.add(rule, [f"{d.line(tz)}, {relation} low-dose {a.line(tz)}"])


def _nsaid_runs(
    doses: Sequence[_Dose],
    prescriptions: Sequence[Prescription],
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    """Runs of NSAID days (low-dose aspirin excluded). A run is covered by prescriptions
    when every NSAID dose in it was taken under a prescription for that drug in force."""
    rule = "med.nsaid-10-days"
    cutoff = now - LOOKBACK[rule]
    by_day: dict[date, list[_Dose]] = {}
    for d in doses:
        if d.nsaid:
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
        if len(run) <= NSAID_DAYS_MAX or last.at < cutoff:
            continue
        in_run = [d for day in run for d in by_day[day]]
        if all(prescription_for(prescriptions, d.drug, d.at) is not None for d in in_run):
            continue  # a prescription covers it
        first = by_day[run[0]][0]
        out.add(
            rule,
            [
                f"NSAID doses on {len(run)} days from {run[0]} to {run[-1]}",
                f"{first.line(tz)} (first)",
                f"{last.line(tz)} (latest)",
            ],
        )


def _relaxants(
    doses: Sequence[_Dose],
    prescriptions: Sequence[Prescription],
    now: datetime,
    tz: tzinfo,
    out: _Flags,
) -> None:
    relaxants = [d for d in doses if is_muscle_relaxant(d.drug, relaxant=d.treatment.relaxant)]
    prescribed = [p for p in prescriptions if is_muscle_relaxant(p.drug, relaxant=p.relaxant)]
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
        # The 72 h tip is silent when a prescription for a relaxant is recorded.
        rule = "med.muscle-relaxant-72h"
        if span > MUSCLE_RELAXANT_SHORT and last.at >= now - LOOKBACK[rule] and not prescribed:
            out.add(rule, evidence)
        rule = "med.muscle-relaxant-3-weeks"
        if last.at >= now - LOOKBACK[rule]:
            if span > MUSCLE_RELAXANT_LONG:
                out.add(rule, evidence)
            for d in run:  # a dose past the end of its prescribed course
                ended = [
                    p
                    for p in prescribed
                    if p.drug == d.drug
                    and p.ends is not None
                    and p.at <= d.at
                    and d.at >= p.ends
                    and prescription_for(prescriptions, d.drug, d.at) is None
                ]
                if ended:
                    p = max(ended, key=lambda p: p.at)
                    assert p.ends is not None
                    out.add(
                        rule,
                        [f"{d.line(tz)}, after {p.ref} ended {_when(p.ends, tz)}"],
                    )
    rule = "med.muscle-relaxant-daytime"
    start, end = time(DAYTIME_START_HOUR), time(DAYTIME_END_HOUR)
    for d in relaxants:
        if d.at >= now - LOOKBACK[rule] and start <= d.at.astimezone(tz).time() <= end:
            out.add(rule, [d.line(tz)])


def _risk_with_doses(
    doses: Sequence[_Dose], profile: Profile, now: datetime, tz: tzinfo, out: _Flags
) -> None:
    recent = [d for d in doses if now - RECENT_DOSE <= d.at <= now]
    nsaid = [d for d in recent if d.nsaid]
    if nsaid:
        reasons = []
        age = _age(profile, now, tz)
        if age is not None and age >= NSAID_RISK_AGE:
            reasons.append(f"age {age} (born {profile.birth_year})")
        reasons += [f"profile history: {h}" for h in NSAID_RISK_HISTORY if h in profile.history]
        if reasons:
            out.add("med.nsaid-risk", [*reasons, f"{nsaid[-1].line(tz)} (latest NSAID)"])
    apap = [d for d in recent if d.drug == OVERDOSE_DRUG]
    liver = [h for h in LIVER_HISTORY if h in profile.history]
    if apap and liver:
        out.add(
            "med.acetaminophen-liver",
            [*(f"profile history: {h}" for h in liver), f"{apap[-1].line(tz)} (latest)"],
        )


def _medication_flags(
    history: History, profile: Profile, now: datetime, tz: tzinfo, out: _Flags
) -> None:
    doses = _doses(history)
    rx = history.prescriptions
    _daily_totals(doses, rx, now, tz, out)
    _large_doses(doses, rx, now, tz, out)
    _too_soon(doses, rx, now, tz, out)
    _combination(doses, now, tz, out)
    _with_aspirin(doses, now, tz, out)
    _risk_with_doses(doses, profile, now, tz, out)
    _nsaid_runs(doses, rx, now, tz, out)
    _relaxants(doses, rx, now, tz, out)


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

    rule = "care.bed-rest"
    by_day: dict[date, list[Treatment]] = {}
    for t in history.treatments:
        if t.kind == REST_KIND:
            by_day.setdefault(t.at.astimezone(tz).date(), []).append(t)
    rested = {
        day: total
        for day, entries in by_day.items()
        if (total := sum((_rest_length(t) for t in entries), timedelta(0))) >= BED_REST_PER_DAY
    }
    runs: list[list[date]] = []
    for day in sorted(rested):
        if runs and day - runs[-1][-1] == _ONE_DAY:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) >= BED_REST_DAYS and by_day[run[-1]][-1].at >= now - LOOKBACK[rule]:
            out.add(
                rule,
                [
                    f"{_h(BED_REST_PER_DAY)} or more of rest on {len(run)} days in a row, "
                    f"{run[0]} to {run[-1]}",
                    *(
                        f"{day}: {_span(rested[day])} of rest ("
                        + ", ".join(t.ref for t in by_day[day])
                        + ")"
                        for day in run
                    ),
                ],
            )


def _rest_length(t: Treatment) -> timedelta:
    """A rest entry's length; one without minutes counts as `REST_WITHOUT_MINUTES`."""
    return REST_WITHOUT_MINUTES if t.minutes is None else timedelta(minutes=t.minutes)


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
    _red_flags(active_symptoms(h, as_of), h, profile, now, tz, out)
    _risk_flags(h, profile, now, tz, out)
    _startback_flags(h, now, tz, out)
    _course_flags(h, now, tz, out)
    _medication_flags(h, profile, now, tz, out)
    _care_flags(h, now, tz, out)
    return out.flags()


def new_flags(before: list[Flag], after: list[Flag]) -> list[Flag]:
    """Flags in `after` that are new or carry new evidence, compared by rule AND evidence.

    A flag whose rule was already open but which now has an evidence line it did not have
    (an overdose of a second drug, a later dose) is returned with only its new evidence
    lines, so the announcement says what changed.
    """
    seen = {flag.rule: set(flag.evidence) for flag in before}
    out = []
    for flag in after:
        if flag.rule not in seen:
            out.append(flag)
            continue
        # A restated measurement (the course's "baseline vs current") is not news: the flag
        # was open before and still is.
        fresh = tuple(
            line
            for line in flag.evidence
            if line not in seen[flag.rule] and not is_measurement(line)
        )
        if fresh:
            out.append(dataclasses.replace(flag, evidence=fresh))
    return out
