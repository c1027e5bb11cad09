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
NO_IMPROVEMENT_AFTER = timedelta(hours=72)
NO_IMPROVEMENT_LONG = timedelta(days=28)

# --- Symptoms -------------------------------------------------------------------------
SYMPTOM_ACTIVE = timedelta(days=14)

# --- Risk factors ---------------------------------------------------------------------
FIRST_EPISODE_AGE = 50  # age at onset > 50 with no earlier back pain


# --- Medicines (US OTC Drug Facts labels) ---------------------------------------------
@dataclass(frozen=True, slots=True)
class DrugLimit:
    daily_max_mg: float  # OTC label maximum in any 24 h
    min_interval: timedelta  # label interval between doses of the same drug
    # naproxen: a second dose within 1 h of the day's first dose is allowed
    first_dose_grace: timedelta | None = None


DRUG_LIMITS: dict[str, DrugLimit] = {
    "ibuprofen": DrugLimit(1200, timedelta(hours=4)),
    "naproxen": DrugLimit(660, timedelta(hours=8), first_dose_grace=timedelta(hours=1)),
    "aspirin": DrugLimit(4000, timedelta(hours=4)),
    "acetaminophen": DrugLimit(3000, timedelta(hours=4)),
}
DOSE_WINDOW = timedelta(hours=24)  # rolling window for daily maxima and combinations
ACETAMINOPHEN_OVERDOSE_MG = 4000.0  # over this in any 24 h: get medical help right away
NSAID_DAYS_MAX = 10  # NSAID doses on more than 10 days ...
NSAID_GAP_RESETS = timedelta(days=3)  # ... with no gap over 3 days
MUSCLE_RELAXANT_SHORT = timedelta(hours=72)  # seed: no more than 72 hours
MUSCLE_RELAXANT_LONG = timedelta(days=21)  # labels: 2-3 weeks
DAYTIME_START_HOUR = 6  # a muscle relaxant between 06:00 ...
DAYTIME_END_HOUR = 18  # ... and 18:00 local: drowsiness, do not drive

# --- Self-care routine ----------------------------------------------------------------
APPLICATION_MAX = timedelta(minutes=30)  # one ice or heat application over 30 min
REAPPLY_GAP = timedelta(minutes=20)  # start < 20 min after the previous one ended
HEAT_FIRST = timedelta(hours=48)  # heat in the first 48 h of an episode
BED_REST_DAYS = 3  # rest logged on 3 or more consecutive days
