"""Every number the rules use, in one reviewable table (values from docs/rules.md).

Rule logic reads these names; no threshold is written as a literal anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# --- Episodes and course (docs/rules.md "Course of the episode") ---------------------
EPISODE_GAP = timedelta(days=7)  # a new episode starts after 7 days without pain > 0
BASELINE_WINDOW = timedelta(hours=24)  # first 24 h of the episode
CURRENT_WINDOW = timedelta(hours=24)  # the 24 h before as_of
IMPROVED_POINTS = 2.0  # baseline - current >= 2 points (Farrar et al. 2001) ...
IMPROVED_FRACTION = 0.30  # ... or >= 30 % of baseline (Farrar 2001; Ostelo 2008)
WORSENING_POINTS = 2.0  # current >= baseline + 2
# While the episode is younger than this, its first-24 h and last-24 h windows overlap, so
# course.worsening compares the latest entry with the episode's first entry instead ...
WORSENING_EARLY = timedelta(hours=48)
WORSENING_MIN_APART = timedelta(hours=1)  # ... when the two are at least 1 h apart
NO_IMPROVEMENT_AFTER = timedelta(hours=72)
NO_IMPROVEMENT_LONG = timedelta(days=28)

# --- Symptoms -------------------------------------------------------------------------
SYMPTOM_ACTIVE = timedelta(days=14)

# --- Risk factors ---------------------------------------------------------------------
FIRST_EPISODE_AGE = 50  # age at onset > 50 with no earlier back pain
FIRST_EPISODE_YOUNG_AGE = 20  # age at onset < 20 with no earlier back pain (NICE CKS)
FRACTURE_AGE = 70  # red-flag.trauma names fracture risk at this age or older
CANCER_CONTACT = timedelta(hours=24)  # red-flag.cancer-pain: doctor or cancer team within


# --- Medicines (US OTC Drug Facts labels; docs/rules.md "Medication safety") -------------
@dataclass(frozen=True, slots=True)
class DrugLimit:
    daily_max_mg: float  # OTC label maximum in any 24 h
    min_interval: timedelta  # label interval between doses of the same drug
    largest_single_mg: float  # largest single dose of any label or common prescription
    # naproxen: a second dose within 1 h of the day's first dose is allowed
    first_dose_grace: timedelta | None = None


# The four label drugs of docs/rules.md. Naproxen is counted as naproxen sodium, the form of
# the OTC label (Aleve 220 mg; 660 mg in 24 h).
DRUG_LIMITS: dict[str, DrugLimit] = {
    "ibuprofen": DrugLimit(1200, timedelta(hours=4), 800),
    "naproxen": DrugLimit(660, timedelta(hours=8), 550, first_dose_grace=timedelta(hours=1)),
    "aspirin": DrugLimit(4000, timedelta(hours=4), 1000),
    "acetaminophen": DrugLimit(3000, timedelta(hours=4), 1300),
}
# Largest single dose of the prescription-only generics (prescribing information): above it
# med.large-dose fires, above TYPO_FACTOR times it the dose is refused as a likely typo.
PRESCRIPTION_SINGLE_MAX_MG: dict[str, float] = {
    "diclofenac": 100,  # Voltaren-XR 100 mg once daily
    "cyclobenzaprine": 30,  # Amrix 30 mg once daily
    "methocarbamol": 1500,  # Robaxin: 1500 mg four times a day at the start
    "carisoprodol": 350,  # Soma: 250-350 mg three times a day and at bedtime
    "tizanidine": 16,  # Zanaflex: single doses over 16 mg have not been studied
    "diazepam": 10,  # Valium: 2-10 mg two to four times a day
}
TYPO_FACTOR = 10  # a dose over 10 x the largest single dose is refused ("is that mg?")
DOSE_WINDOW = timedelta(hours=24)  # rolling window for daily maxima and combinations
ACETAMINOPHEN_OVERDOSE_MG = 4000.0  # over this in any 24 h: call Poison Control now
LOW_DOSE_ASPIRIN_MG = 100.0  # an aspirin dose of 100 mg or less is low-dose (heart)
ASPIRIN_NSAID_BEFORE = timedelta(hours=8)  # ibuprofen/naproxen within 8 h before ...
ASPIRIN_NSAID_AFTER = timedelta(minutes=30)  # ... or 30 min after low-dose aspirin
NSAID_RISK_AGE = 60  # NSAID label: ask a doctor if 60 or older ...
RECENT_DOSE = timedelta(days=7)  # ... with an NSAID (or acetaminophen) dose in 7 days;
# red-flag.gi-bleeding's advice names any NSAID or aspirin dose taken this recently too
NSAID_DAYS_MAX = 10  # NSAID doses on more than 10 days ...
NSAID_GAP_RESETS = timedelta(days=3)  # ... with no gap over 3 days
MUSCLE_RELAXANT_SHORT = timedelta(hours=72)  # seed: no more than 72 hours
MUSCLE_RELAXANT_LONG = timedelta(days=21)  # labels: 2-3 weeks
DAYTIME_START_HOUR = 6  # a muscle relaxant between 06:00 ...
DAYTIME_END_HOUR = 18  # ... and 18:00 local: drowsiness, do not drive

# --- Self-care routine ----------------------------------------------------------------
APPLICATION_MAX = timedelta(minutes=30)  # one ice or heat application over 30 min
REAPPLY_GAP = timedelta(minutes=20)  # start < 20 min after the previous one ended
# The first days of an episode (tips: ice or heat, both reasonable; heat has the better
# evidence). care.heat-first-48h is retired: heat in these hours is not flagged.
HEAT_FIRST = timedelta(hours=48)
BED_REST_DAYS = 3  # 3 or more consecutive local days ...
BED_REST_PER_DAY = timedelta(hours=4)  # ... each with 4 h or more of rest logged
REST_WITHOUT_MINUTES = timedelta(hours=4)  # a rest entry without minutes counts as 4 h

# --- The rules' window (docs/rules.md "Course of the episode") -----------------------------
# The rules read the episode's first 24 h and at most this much before as_of.
RULES_WINDOW = timedelta(days=60)

# --- Outcomes: measures, their schedule and the phase (issue 16; docs/rules.md) ------------
# Meaningful change in the Roland-Morris score: 5 points or 30 % of the first score
# (Ostelo et al. 2008); the pain NRS uses IMPROVED_POINTS / IMPROVED_FRACTION above.
RMDQ_CHANGE_POINTS = 5
RMDQ_CHANGE_FRACTION = 0.30
# Meaningful change in the PSFS mean (0-10): 2.3 points, the minimum important difference
# for a medium change (Abbott & Schmitt 2014, JOSPT 44:560-4: 1.3 small, 2.3 medium, 2.7
# large, stable across body regions). The medium change, not the small one: "meaningfully
# better" should not be said of a change people rate as small.
PSFS_CHANGE_POINTS = 2.3
# STarT Back (Hill et al. 2008): low risk when the total is 3 or less; high risk when the
# psychosocial subscale (items 5-9) is 4 or more; otherwise medium.
STARTBACK_LOW_TOTAL_MAX = 3
STARTBACK_HIGH_SUBSCALE_MIN = 4
STARTBACK_ITEM9_AGREE_FROM = 3  # item 9 (0-4: not at all .. extremely): very much or more
MEASURE_FIRST_AGE = timedelta(hours=24)  # no measure is due before the episode is 24 h old
MEASURE_START_WINDOW = timedelta(days=3)  # "at the start": the episode's first 3 days
MEASURE_POINT_WINDOW = timedelta(days=7)  # a later point (week 2, 6, 12) is due for 7 days
MEASURE_WEEKLY = timedelta(days=7)  # PSFS: weekly
SUBACUTE_FROM = timedelta(weeks=6)  # phase: acute under 6 weeks, subacute from 6 weeks ...
CHRONIC_AFTER = timedelta(weeks=12)  # ... to 12 weeks (inclusive), chronic after 12 weeks
