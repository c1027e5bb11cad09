"""The rule catalog and `evaluate` (docs/rules.md): table-driven, fixed aware datetimes, no mocks.

Every rule ID has a case that fires, one that does not, and its boundaries.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import (
    LEVEL_RANK,
    LEVELS,
    Flag,
    History,
    PainEntry,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.rules import (
    LOOKBACK,
    RETIRED,
    RULES,
    RULES_BY_ID,
    RuleSpec,
    active_symptoms,
    evaluate,
    new_flags,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
NOBODY = Profile()


def at(text: str, tz: ZoneInfo = LONDON) -> datetime:
    """A local wall-clock time, e.g. at("2026-03-02 08:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def pain(when: datetime, level: int, *, radiates: str = "none", id: int | None = None):
    return PainEntry(at=when, pain=level, radiates=radiates, id=id)


def dose(when: datetime, drug: str, mg: float | None = None, *, relaxant: bool = False,
         id: int | None = None) -> Treatment:  # fmt: skip
    return Treatment(at=when, kind="medication", drug=drug, dose_mg=mg, relaxant=relaxant, id=id)


def care(when: datetime, kind: str, minutes: int | None = None, *, id: int | None = None):
    return Treatment(at=when, kind=kind, minutes=minutes, id=id)


def symptom(when: datetime, code: str, present: bool = True, *, id: int | None = None):
    return SymptomReport(at=when, code=code, present=present, id=id)


def history(*events: object, onsets: tuple[datetime, ...] = ()) -> History:
    return History(
        pain=tuple(e for e in events if isinstance(e, PainEntry)),
        treatments=tuple(e for e in events if isinstance(e, Treatment)),
        symptoms=tuple(e for e in events if isinstance(e, SymptomReport)),
        onsets=onsets,
    )


def rules(h: History, as_of: datetime, profile: Profile = NOBODY) -> list[str]:
    return [flag.rule for flag in evaluate(h, profile, as_of)]


def flag(h: History, as_of: datetime, rule: str, profile: Profile = NOBODY) -> Flag:
    found = [f for f in evaluate(h, profile, as_of) if f.rule == rule]
    assert len(found) == 1, f"{rule} not raised"
    return found[0]


# --- The catalog ------------------------------------------------------------------------

GUIDANCE = "Back-spasm patient guidance"
MAYO = 'Mayo Clinic "Back pain"'
NIH = "NIH stroke warning signs"
NG234 = "NICE NG234 (spinal metastases)"
# The catalog's table (docs/rules.md, version 2): (id, level, source), in catalog order.
STRATIFIED = "NICE NG59; Hill et al. 2011 (STarT Back trial, Lancet); Hill et al. 2008"
EXPECTED = [
    ("red-flag.cauda-equina", "emergency", f'{MAYO}; NHS "Back pain"; NICE CKS; BASS 2018'),
    ("red-flag.chest-pain", "emergency", 'NHS "Back pain"'),
    ("red-flag.stroke-signs", "emergency", NIH),
    ("red-flag.balance", "emergency", NIH),
    ("red-flag.aortic", "emergency", 'NHS "Abdominal aortic aneurysm"'),
    ("red-flag.gi-bleeding", "emergency", "NSAID Drug Facts labels; NHS"),
    ("red-flag.major-trauma", "emergency", 'NHS "Back pain"'),
    ("red-flag.infection-neuro", "emergency", "NICE CKS"),
    ("red-flag.cancer-neuro", "emergency", NG234),
    ("red-flag.cancer-pain", "urgent", "NICE NG234"),
    ("red-flag.fever", "urgent", f"{MAYO}; NHS; NICE CKS"),
    ("red-flag.abdominal", "urgent", MAYO),
    ("red-flag.trauma", "urgent", f"{MAYO}; NICE CKS"),
    ("red-flag.weakness", "urgent", f"NICE CKS; {GUIDANCE}"),
    ("red-flag.night-pain", "urgent", f"{MAYO}; NHS"),
    ("red-flag.non-mechanical", "urgent", 'NHS "Back pain"; NICE CKS'),
    ("red-flag.swelling", "urgent", f"{MAYO}; NHS"),
    ("red-flag.weight-loss", "urgent", f"{MAYO}; NHS"),
    ("red-flag.leg-symptoms", "soon", MAYO),
    ("risk.first-after-50", "soon", f"{MAYO}; NICE CKS"),
    ("risk.first-under-20", "soon", "NICE CKS"),
    ("risk.history", "soon", f"{MAYO}; NICE CKS; Chou et al. 2007"),
    ("risk.startback-high", "soon", STRATIFIED),  # issue 16
    ("risk.startback-medium", "routine", STRATIFIED),
    ("risk.startback-low", "info", STRATIFIED),
    (
        "course.no-improvement-72h",
        "soon",
        f'{MAYO} (the seed\'s "first 72 hours of self-care")',
    ),
    ("course.worsening", "soon", "Farrar et al. 2001"),
    (
        "course.no-improvement-4w",
        "soon",
        'NICE CKS; Mayo Clinic "When to see a doctor for back pain"',
    ),
    ("med.acetaminophen-overdose", "emergency", "Acetaminophen Drug Facts label"),
    ("med.daily-max", "caution", "US OTC Drug Facts labels"),
    ("med.large-dose", "caution", "Drug Facts labels; prescribing information"),
    ("med.too-soon", "caution", "OTC labels"),
    ("med.nsaid-combination", "caution", 'OTC labels ("do not use with any other NSAID")'),
    ("med.ibuprofen-with-aspirin", "caution", "FDA, ibuprofen and low-dose aspirin"),
    ("med.nsaid-risk", "caution", "NSAID Drug Facts labels"),
    ("med.acetaminophen-liver", "caution", "Acetaminophen Drug Facts label"),
    ("med.nsaid-10-days", "soon", 'Ibuprofen Drug Facts ("pain lasts more than 10 days")'),
    ("med.muscle-relaxant-72h", "info", f"{GUIDANCE} (no more than 72 hours)"),
    ("med.muscle-relaxant-3-weeks", "soon", "cyclobenzaprine and carisoprodol labels (2-3 weeks)"),
    ("med.muscle-relaxant-daytime", "info", GUIDANCE),
    ("care.application-too-long", "caution", f"{GUIDANCE} (20-30 min)"),
    ("care.reapply-too-soon", "caution", f'{GUIDANCE}; seed "reapply after half an hour"'),
    ("care.bed-rest", "caution", f"Cochrane (Dahm 2010); Choosing Wisely (NASS); {GUIDANCE}"),
]


def test_catalog_has_every_rules_md_rule_once_with_level_and_source() -> None:
    assert [(r.id, r.level, r.source) for r in RULES] == EXPECTED
    assert len({r.id for r in RULES}) == len(RULES)
    assert {r.id: r for r in RULES} == RULES_BY_ID


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_catalog_entry_is_plain_and_complete(spec: RuleSpec) -> None:
    assert spec.level in LEVELS
    for text in (spec.title, spec.trigger, spec.advice, spec.source):
        assert text and text == text.strip()
    assert "back-spasm patient guidance" not in spec.source  # shown capitalised


ADVICE_BY_LEVEL = {
    "emergency": ("emergency number", "now"),
    "urgent": ("doctor",),
    "soon": ("appointment in the next days",),
}


@pytest.mark.parametrize("spec", RULES, ids=[r.id for r in RULES])
def test_advice_says_what_to_do_for_its_level(spec: RuleSpec) -> None:
    advice = spec.advice.lower()
    for phrase in ADVICE_BY_LEVEL.get(spec.level, ()):
        assert phrase in advice
    if spec.level == "urgent":
        assert "today" in advice or "right away" in advice


@pytest.mark.parametrize(
    "rule_id",
    [
        "med.daily-max",
        "med.too-soon",
        "med.nsaid-combination",
        "med.large-dose",
        "med.nsaid-10-days",
        "med.muscle-relaxant-3-weeks",
    ],
)
def test_medication_limits_defer_to_the_doctor(rule_id: str) -> None:
    assert "unless your doctor told you otherwise" in RULES_BY_ID[rule_id].advice


def test_specific_advice_texts() -> None:
    assert "backcare checkin" in RULES_BY_ID["course.worsening"].advice
    assert "Poison Control" in RULES_BY_ID["med.acetaminophen-overdose"].advice
    assert "fracture" not in RULES_BY_ID["red-flag.trauma"].advice


def test_catalog_is_frozen_and_lookbacks_name_rules() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES[0].level = "info"  # type: ignore[misc]
    assert set(LOOKBACK) <= set(RULES_BY_ID)


def test_flag_carries_catalog_fields() -> None:
    f = flag(history(symptom(at("2026-03-02 08:00"), "bladder", id=3)), at("2026-03-02 09:00"),
             "red-flag.cauda-equina")  # fmt: skip
    spec = RULES_BY_ID["red-flag.cauda-equina"]
    assert (f.level, f.title, f.advice, f.source) == (
        spec.level,
        spec.title,
        spec.advice,
        spec.source,
    )
    assert f.evidence == ("s3 bladder reported 2026-03-02 08:00",)


# --- The catalog's examples, verbatim -----------------------------------------------------

MON_0800 = at("2026-03-02 08:00")


def test_example_no_improvement_after_72h() -> None:
    h = history(pain(MON_0800, 7, id=1), pain(at("2026-03-05 09:00"), 6, id=2))
    assert rules(h, at("2026-03-05 10:00")) == ["course.no-improvement-72h"]
    f = flag(h, at("2026-03-05 10:00"), "course.no-improvement-72h")
    assert "baseline 7.0 (first 24 h) vs current 6.0 (last 24 h)" in f.evidence


def test_example_two_points_is_improved() -> None:
    h = history(pain(MON_0800, 7), pain(at("2026-03-05 09:00"), 5))
    assert rules(h, at("2026-03-05 10:00")) == []


def test_example_ibuprofen_daily_max() -> None:
    times = ("08:00", "12:30", "17:00", "21:00")
    h = history(*(dose(at(f"2026-03-02 {t}"), "ibuprofen", 400, id=i)
                  for i, t in enumerate(times, 1)))  # fmt: skip
    assert rules(h, at("2026-03-02 21:30")) == ["med.daily-max"]
    f = flag(h, at("2026-03-02 21:30"), "med.daily-max")
    assert "t2 ibuprofen 400 mg at 2026-03-02 12:30" in f.evidence
    assert any("1600 mg" in line for line in f.evidence)


def test_example_bladder_is_an_emergency_first_in_the_list() -> None:
    h = history(
        pain(MON_0800, 6),
        pain(at("2026-03-05 09:00"), 6),
        dose(at("2026-03-05 08:00"), "cyclobenzaprine", 10),  # an info flag
        symptom(at("2026-03-05 09:30"), "leg-numbness"),
        symptom(at("2026-03-05 09:30"), "bladder"),
    )
    flags = evaluate(h, NOBODY, at("2026-03-05 10:00"))
    assert flags[0].rule == "red-flag.cauda-equina"
    assert flags[0].level == "emergency"
    assert len(flags) > 1


# --- Red flags from symptoms -------------------------------------------------------------

SYMPTOM_CASES = [
    # (id, active codes, profile history, expected rule IDs)
    ("bladder", ["bladder"], (), {"red-flag.cauda-equina"}),
    ("bowel", ["bowel"], (), {"red-flag.cauda-equina"}),
    ("saddle", ["saddle-numbness"], (), {"red-flag.cauda-equina"}),
    ("both legs", ["both-legs"], (), {"red-flag.cauda-equina"}),
    ("sexual", ["sexual-dysfunction"], (), {"red-flag.cauda-equina"}),
    ("chest", ["chest-pain"], (), {"red-flag.chest-pain"}),
    ("stroke", ["one-side-numbness"], (), {"red-flag.stroke-signs"}),
    ("major trauma", ["major-trauma"], (), {"red-flag.major-trauma"}),
    (
        "abdomen + faint",
        ["abdominal-pain", "faintness"],
        (),
        {"red-flag.aortic", "red-flag.abdominal"},
    ),
    ("abdomen alone", ["abdominal-pain"], (), {"red-flag.abdominal"}),
    ("faint alone", ["faintness"], (), {"red-flag.aortic"}),
    (
        "fever + leg numbness",
        ["fever", "leg-numbness"],
        (),
        {"red-flag.infection-neuro", "red-flag.fever", "red-flag.leg-symptoms"},
    ),
    (
        "fever + limb weakness",
        ["fever", "limb-weakness"],
        (),
        {"red-flag.infection-neuro", "red-flag.fever", "red-flag.weakness"},
    ),
    (
        "fever + saddle",
        ["fever", "saddle-numbness"],
        (),
        {"red-flag.infection-neuro", "red-flag.fever", "red-flag.cauda-equina"},
    ),
    (
        "fever + below knee: not neuro",
        ["fever", "below-knee"],
        (),
        {"red-flag.fever", "red-flag.leg-symptoms"},
    ),
    ("fever alone", ["fever"], (), {"red-flag.fever"}),
    (
        "cancer + leg numbness",
        ["leg-numbness"],
        ("cancer",),
        {"red-flag.cancer-neuro", "red-flag.leg-symptoms"},
    ),
    (
        "cancer + bowel",
        ["bowel"],
        ("cancer",),
        {"red-flag.cancer-neuro", "red-flag.cauda-equina"},
    ),
    (
        "cancer + sensation loss",
        ["sensation-loss"],
        ("cancer",),
        {"red-flag.cancer-neuro", "red-flag.weakness"},
    ),
    ("cancer + fever: not neuro", ["fever"], ("cancer",), {"red-flag.fever"}),
    ("no cancer + leg numbness", ["leg-numbness"], ("osteoporosis",), {"red-flag.leg-symptoms"}),
    ("fall", ["fall-or-blow"], (), {"red-flag.trauma"}),
    ("limb weakness", ["limb-weakness"], (), {"red-flag.weakness"}),
    ("sensation loss", ["sensation-loss"], (), {"red-flag.weakness"}),
    ("balance", ["balance"], (), {"red-flag.balance"}),
    ("night pain", ["night-pain"], (), {"red-flag.night-pain"}),
    ("swelling", ["redness-swelling"], (), {"red-flag.swelling"}),
    ("weight loss", ["weight-loss"], (), {"red-flag.weight-loss"}),
    ("leg numbness", ["leg-numbness"], (), {"red-flag.leg-symptoms"}),
    ("below knee", ["below-knee"], (), {"red-flag.leg-symptoms"}),
    ("unknown code", ["hiccups"], (), set()),
    ("nothing", [], ("cancer",), set()),
]


@pytest.mark.parametrize(
    ("codes", "past", "expected"),
    [case[1:] for case in SYMPTOM_CASES],
    ids=[case[0] for case in SYMPTOM_CASES],
)
def test_symptom_red_flags(codes: list[str], past: tuple[str, ...], expected: set[str]) -> None:
    h = history(*(symptom(MON_0800, code) for code in codes))
    profile = Profile(history=frozenset(past))
    assert set(rules(h, at("2026-03-02 09:00"), profile)) == expected


def test_merged_evidence_one_flag_per_rule() -> None:
    h = history(
        symptom(at("2026-03-02 08:00"), "bowel", id=1),
        symptom(at("2026-03-02 08:05"), "bladder", id=2),
        symptom(at("2026-03-02 08:10"), "bladder", id=3),
    )
    flags = evaluate(h, NOBODY, at("2026-03-02 09:00"))
    assert [f.rule for f in flags] == ["red-flag.cauda-equina"]
    assert flags[0].evidence == (
        "s1 bowel reported 2026-03-02 08:00",
        "s3 bladder reported 2026-03-02 08:10",
    )


def test_cancer_neuro_evidence_names_the_history() -> None:
    h = history(symptom(MON_0800, "limb-weakness", id=4))
    f = flag(h, at("2026-03-02 09:00"), "red-flag.cancer-neuro",
             Profile(history=frozenset({"cancer"})))  # fmt: skip
    assert f.evidence == ("s4 limb-weakness reported 2026-03-02 08:00", "profile history: cancer")


@pytest.mark.parametrize(
    ("past", "fracture"),
    [
        ((), False),
        (("cancer",), False),
        (("osteoporosis",), True),
        (("steroid-use",), True),
        (("osteoporosis", "steroid-use"), True),
    ],
)
def test_trauma_advice_names_fracture_risk(past: tuple[str, ...], fracture: bool) -> None:
    h = history(symptom(MON_0800, "fall-or-blow"))
    f = flag(h, at("2026-03-02 09:00"), "red-flag.trauma", Profile(history=frozenset(past)))
    assert ("fracture" in f.advice) is fracture
    assert f.advice.startswith(RULES_BY_ID["red-flag.trauma"].advice)


# --- Symptom activity: 14 days, --gone, below-knee ---------------------------------------

REPORTED = at("2026-03-02 08:00")
ACTIVITY_CASES = [
    # (id, reports (offset from REPORTED, code, present), as_of offset, active?)
    ("just reported", [(timedelta(0), "fever", True)], timedelta(0), True),
    ("13 days", [(timedelta(0), "fever", True)], timedelta(days=13), True),
    ("exactly 14 days: still active", [(timedelta(0), "fever", True)], timedelta(days=14), True),
    (
        "14 days + 1 s: expired",
        [(timedelta(0), "fever", True)],
        timedelta(days=14, seconds=1),
        False,
    ),
    (
        "gone later",
        [(timedelta(0), "fever", True), (timedelta(hours=5), "fever", False)],
        timedelta(hours=6),
        False,
    ),
    (
        "gone, then back",
        [
            (timedelta(0), "fever", True),
            (timedelta(hours=5), "fever", False),
            (timedelta(hours=7), "fever", True),
        ],
        timedelta(hours=8),
        True,
    ),
    (
        "gone before the report",
        [(-timedelta(hours=1), "fever", False), (timedelta(0), "fever", True)],
        timedelta(hours=1),
        True,
    ),
    (
        "gone after as_of is ignored",
        [(timedelta(0), "fever", True), (timedelta(hours=5), "fever", False)],
        timedelta(hours=4),
        True,
    ),
    (
        "report after as_of is ignored",
        [(timedelta(hours=5), "fever", True)],
        timedelta(hours=4),
        False,
    ),
    (
        "same instant: present wins",
        [(timedelta(0), "fever", False), (timedelta(0), "fever", True)],
        timedelta(hours=1),
        True,
    ),
    (
        "gone of another code does not end it",
        [(timedelta(0), "fever", True), (timedelta(hours=1), "balance", False)],
        timedelta(hours=2),
        True,
    ),
    (
        "re-reported keeps it alive past 14 days",
        [(timedelta(0), "fever", True), (timedelta(days=10), "fever", True)],
        timedelta(days=20),
        True,
    ),
]


@pytest.mark.parametrize(
    ("reports", "offset", "active"),
    [case[1:] for case in ACTIVITY_CASES],
    ids=[case[0] for case in ACTIVITY_CASES],
)
def test_symptom_activity(reports, offset: timedelta, active: bool) -> None:
    h = history(*(symptom(REPORTED + o, code, present) for o, code, present in reports))
    as_of = REPORTED + offset
    assert ("fever" in active_symptoms(h, as_of)) is active
    assert ("red-flag.fever" in rules(h, as_of)) is active


BELOW_KNEE_CASES = [
    # (id, events, as_of, leg-symptoms?)
    (
        "pain radiating below the knee",
        [pain(REPORTED, 6, radiates="below-knee")],
        REPORTED + timedelta(hours=1),
        True,
    ),
    (
        "radiating to the thigh",
        [pain(REPORTED, 6, radiates="thigh")],
        REPORTED + timedelta(hours=1),
        False,
    ),
    (
        "a later pain entry radiating elsewhere does not end it",
        [pain(REPORTED, 6, radiates="below-knee"), pain(REPORTED + timedelta(days=1), 5)],
        REPORTED + timedelta(days=2),
        True,
    ),
    (
        "--gone ends it",
        [
            pain(REPORTED, 6, radiates="below-knee"),
            symptom(REPORTED + timedelta(days=1), "below-knee", present=False),
        ],
        REPORTED + timedelta(days=2),
        False,
    ),
    (
        "14 days: still active",
        [pain(REPORTED, 6, radiates="below-knee")],
        REPORTED + timedelta(days=14),
        True,
    ),
    (
        "over 14 days: expired",
        [pain(REPORTED, 6, radiates="below-knee")],
        REPORTED + timedelta(days=14, minutes=1),
        False,
    ),
    (
        "radiating again after --gone",
        [
            symptom(REPORTED, "below-knee", present=False),
            pain(REPORTED + timedelta(hours=1), 6, radiates="below-knee"),
        ],
        REPORTED + timedelta(hours=2),
        True,
    ),
]


@pytest.mark.parametrize(
    ("events", "as_of", "expected"),
    [case[1:] for case in BELOW_KNEE_CASES],
    ids=[case[0] for case in BELOW_KNEE_CASES],
)
def test_below_knee_from_pain_entries(events, as_of: datetime, expected: bool) -> None:
    assert ("red-flag.leg-symptoms" in rules(history(*events), as_of)) is expected


def test_below_knee_evidence_names_the_pain_entry() -> None:
    h = history(pain(REPORTED, 6, radiates="below-knee", id=5))
    f = flag(h, REPORTED + timedelta(hours=1), "red-flag.leg-symptoms")
    assert f.evidence == ("p5 pain 6 radiating below the knee 2026-03-02 08:00",)


def test_evidence_shows_local_time() -> None:
    # 07:00 UTC on 1 July is 08:00 BST in London and 03:00 EDT in New York.
    h = history(symptom(datetime(2026, 7, 1, 7, 0, tzinfo=UTC), "bladder", id=3))
    london = flag(h, at("2026-07-01 12:00"), "red-flag.cauda-equina")
    new_york = flag(h, at("2026-07-01 12:00", NEW_YORK), "red-flag.cauda-equina")
    assert london.evidence == ("s3 bladder reported 2026-07-01 08:00",)
    assert new_york.evidence == ("s3 bladder reported 2026-07-01 03:00",)


# --- Course of the episode -----------------------------------------------------------------


def low_baseline_history(current: list[int]) -> History:
    """Baseline 3 at Mon 08:00; `current` entries spread over Thu 00:00-07:xx."""
    entries = [pain(MON_0800, 3)]
    entries += [pain(at("2026-03-05 00:00") + timedelta(minutes=30 * i), p)
                for i, p in enumerate(current)]  # fmt: skip
    return history(*entries)


COURSE_CASES = [
    # (id, history, as_of, expected course rule IDs)
    (
        "72 h minus a minute: too early",
        history(pain(MON_0800, 7), pain(at("2026-03-05 07:00"), 7)),
        at("2026-03-05 07:59"),
        [],
    ),
    (
        "exactly 72 h: fires",
        history(pain(MON_0800, 7), pain(at("2026-03-05 07:00"), 7)),
        at("2026-03-05 08:00"),
        ["course.no-improvement-72h"],
    ),
    (
        "drop of 1 point: not improved",
        history(pain(MON_0800, 7), pain(at("2026-03-05 07:00"), 6)),
        at("2026-03-05 08:00"),
        ["course.no-improvement-72h"],
    ),
    (
        "drop of 2 points: improved",
        history(pain(MON_0800, 7), pain(at("2026-03-05 07:00"), 5)),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "low baseline 3 -> 2.1 (30 %): improved",
        low_baseline_history([3] + [2] * 9),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "low baseline 3 -> 2.2 (27 %): not improved",
        low_baseline_history([3, 3] + [2] * 8),
        at("2026-03-05 08:00"),
        ["course.no-improvement-72h"],
    ),
    (
        "low baseline 3 -> 2 (1 point, 33 %): improved",
        low_baseline_history([2]),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "exactly 2 points in thirds (26/3 -> 20/3): improved",
        history(
            pain(MON_0800, 9),
            pain(at("2026-03-02 09:00"), 9),
            pain(at("2026-03-02 10:00"), 8),
            pain(at("2026-03-05 05:00"), 7),
            pain(at("2026-03-05 06:00"), 7),
            pain(at("2026-03-05 07:00"), 6),
        ),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "no entry in the last 24 h: no course flag",
        history(pain(MON_0800, 7), pain(at("2026-03-03 12:00"), 7)),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "no entry in the first 24 h (explicit onset): no course flag",
        history(
            pain(at("2026-02-27 08:00"), 7),
            pain(at("2026-03-05 07:00"), 7),
            onsets=(MON_0800,),
        ),
        at("2026-03-05 08:00"),
        [],
    ),
    (
        "episode over (7 days without pain): no course flag",
        history(pain(MON_0800, 7)),
        at("2026-03-09 08:00"),
        [],
    ),
    (
        "worsening by 2 points, day 2",
        history(pain(MON_0800, 4), pain(at("2026-03-03 12:00"), 6)),
        at("2026-03-03 13:00"),
        ["course.worsening"],
    ),
    (
        "worse by 1 point: no worsening flag",
        history(pain(MON_0800, 4), pain(at("2026-03-03 12:00"), 5)),
        at("2026-03-03 13:00"),
        [],
    ),
    (
        "worsening by exactly 2 points in thirds (20/3 -> 26/3), after 48 h",
        history(
            pain(MON_0800, 7),
            pain(at("2026-03-02 09:00"), 7),
            pain(at("2026-03-02 10:00"), 6),
            pain(at("2026-03-04 11:00"), 9),
            pain(at("2026-03-04 12:00"), 9),
            pain(at("2026-03-04 13:00"), 8),
        ),
        at("2026-03-04 14:00"),
        ["course.worsening"],
    ),
    (
        "worsening after 72 h also not improved",
        history(pain(MON_0800, 4), pain(at("2026-03-05 07:00"), 7)),
        at("2026-03-05 08:00"),
        ["course.no-improvement-72h", "course.worsening"],
    ),
    (
        "pain after as_of is ignored",
        history(
            pain(MON_0800, 7),
            pain(at("2026-03-05 09:00"), 6),
            pain(at("2026-03-05 11:00"), 1),
        ),
        at("2026-03-05 10:00"),
        ["course.no-improvement-72h"],
    ),
]


def four_week_history(last_pain: int) -> History:
    """Pain 6 from Mon 2 Feb 08:00, every 3 days, then `last_pain` on 2 March 07:00."""
    start = at("2026-02-02 08:00")
    entries = [pain(start + timedelta(days=3 * i), 6) for i in range(9)]
    return history(*entries, pain(at("2026-03-02 07:00"), last_pain))


COURSE_CASES += [
    (
        "28 days minus a minute: 72 h only",
        four_week_history(6),
        at("2026-03-02 07:59"),
        ["course.no-improvement-72h"],
    ),
    (
        "exactly 28 days: 4 weeks and 72 h",
        four_week_history(6),
        at("2026-03-02 08:00"),
        ["course.no-improvement-72h", "course.no-improvement-4w"],
    ),
    ("28 days, improved", four_week_history(4), at("2026-03-02 08:00"), []),
]


@pytest.mark.parametrize(
    ("h", "as_of", "expected"),
    [case[1:] for case in COURSE_CASES],
    ids=[case[0] for case in COURSE_CASES],
)
def test_course_rules(h: History, as_of: datetime, expected: list[str]) -> None:
    assert [r for r in rules(h, as_of) if r.startswith("course.")] == expected


DST_CASES = [
    # Spring forward: London 2026-03-29 01:00 GMT -> 02:00 BST (72 h = 73 h of wall clock).
    ("London spring, 71 h elapsed", at("2026-03-28 08:00"), at("2026-03-31 08:00"), False),
    ("London spring, 72 h elapsed", at("2026-03-28 08:00"), at("2026-03-31 09:00"), True),
    # Fall back: London 2026-10-25 02:00 BST -> 01:00 GMT (72 h = 71 h of wall clock).
    ("London autumn, 72 h elapsed", at("2026-10-23 08:00"), at("2026-10-26 07:00"), True),
    ("London autumn, 71 h 59 min", at("2026-10-23 08:00"), at("2026-10-26 06:59"), False),
    # New York 2026-03-08 02:00 EST -> 03:00 EDT.
    (
        "New York spring, 71 h elapsed",
        at("2026-03-06 12:00", NEW_YORK),
        at("2026-03-09 12:00", NEW_YORK),
        False,
    ),
    (
        "New York spring, 72 h elapsed",
        at("2026-03-06 12:00", NEW_YORK),
        at("2026-03-09 13:00", NEW_YORK),
        True,
    ),
]


@pytest.mark.parametrize(
    ("onset", "as_of", "fires"),
    [case[1:] for case in DST_CASES],
    ids=[case[0] for case in DST_CASES],
)
def test_no_improvement_72h_counts_elapsed_hours_across_dst(
    onset: datetime, as_of: datetime, fires: bool
) -> None:
    h = history(pain(onset, 6), pain(as_of - timedelta(hours=2), 6))
    assert ("course.no-improvement-72h" in rules(h, as_of)) is fires


def test_course_evidence() -> None:
    h = history(pain(MON_0800, 7), pain(at("2026-03-05 07:00"), 6))
    f = flag(h, at("2026-03-05 09:30"), "course.no-improvement-72h")
    assert f.evidence == (
        "episode onset 2026-03-02 08:00, 3 d 1 h ago",
        "baseline 7.0 (first 24 h) vs current 6.0 (last 24 h)",
    )


def test_utc_history_with_local_as_of_gives_the_same_flags() -> None:
    local = history(pain(MON_0800, 7), pain(at("2026-03-05 09:00"), 6))
    utc = history(*(dataclasses.replace(e, at=e.at.astimezone(UTC)) for e in local.pain))
    assert evaluate(utc, NOBODY, at("2026-03-05 10:00")) == evaluate(
        local, NOBODY, at("2026-03-05 10:00")
    )


# --- Risk factors --------------------------------------------------------------------------

EPISODE = history(pain(MON_0800, 5))
IN_EPISODE = at("2026-03-02 10:00")

FIRST_AFTER_50_CASES = [
    # (id, profile, history, as_of, fires)
    (
        "56 at onset, no earlier pain",
        Profile(birth_year=1970, prior_back_pain=False),
        EPISODE,
        IN_EPISODE,
        True,
    ),
    ("51 at onset", Profile(birth_year=1975, prior_back_pain=False), EPISODE, IN_EPISODE, True),
    (
        "exactly 50: not over 50",
        Profile(birth_year=1976, prior_back_pain=False),
        EPISODE,
        IN_EPISODE,
        False,
    ),
    (
        "earlier back pain",
        Profile(birth_year=1970, prior_back_pain=True),
        EPISODE,
        IN_EPISODE,
        False,
    ),
    ("not answered", Profile(birth_year=1970), EPISODE, IN_EPISODE, False),
    ("no birth year", Profile(prior_back_pain=False), EPISODE, IN_EPISODE, False),
    (
        "no active episode",
        Profile(birth_year=1970, prior_back_pain=False),
        EPISODE,
        at("2026-03-10 08:00"),
        False,
    ),
    (
        # 2025-12-31 23:30 in New York is already 2026 in UTC: the local year counts.
        "onset year is the local year",
        Profile(birth_year=1975, prior_back_pain=False),
        history(pain(at("2025-12-31 23:30", NEW_YORK), 5)),
        at("2026-01-01 10:00", NEW_YORK),
        False,
    ),
]


@pytest.mark.parametrize(
    ("profile", "h", "as_of", "fires"),
    [case[1:] for case in FIRST_AFTER_50_CASES],
    ids=[case[0] for case in FIRST_AFTER_50_CASES],
)
def test_risk_first_after_50(profile: Profile, h: History, as_of: datetime, fires: bool) -> None:
    assert ("risk.first-after-50" in rules(h, as_of, profile)) is fires


@pytest.mark.parametrize(
    ("past", "named"),
    [
        (("osteoporosis",), ["osteoporosis"]),
        (("cancer",), []),
        (("steroid-use",), ["steroid-use"]),
        (("substance-misuse",), ["substance-misuse"]),
        (
            ("substance-misuse", "osteoporosis", "blood-thinners"),
            ["osteoporosis", "substance-misuse"],
        ),
        (("immunosuppressed",), ["immunosuppressed"]),
        (("blood-thinners",), []),
        ((), []),
    ],
)
def test_risk_history(past: tuple[str, ...], named: list[str]) -> None:
    profile = Profile(history=frozenset(past))
    found = [f for f in evaluate(EPISODE, profile, IN_EPISODE) if f.rule == "risk.history"]
    if not named:
        assert found == []
        return
    assert [line for line in found[0].evidence if line.startswith("profile history")] == [
        f"profile history: {name}" for name in named
    ]


def test_risk_history_needs_an_active_episode() -> None:
    profile = Profile(history=frozenset({"cancer"}))
    assert rules(History(), IN_EPISODE, profile) == []
    assert rules(EPISODE, at("2026-03-09 08:00"), profile) == []


# --- Medication: daily maxima and overdose ------------------------------------------------


def doses_every(start: datetime, step: timedelta, drug: str, mgs: list[int]) -> History:
    return history(*(dose(start + step * i, drug, mg, id=i + 1) for i, mg in enumerate(mgs)))


FOUR_H = timedelta(hours=4)
EIGHT_H = timedelta(hours=8)
DAILY_CASES = [
    # (id, history, as_of, expected med rule IDs)
    (
        "ibuprofen 1200: at the maximum",
        doses_every(MON_0800, FOUR_H, "ibuprofen", [400] * 3),
        at("2026-03-02 23:00"),
        [],
    ),
    (
        "ibuprofen 1201",
        doses_every(MON_0800, FOUR_H, "ibuprofen", [400, 400, 401]),
        at("2026-03-02 23:00"),
        ["med.daily-max"],
    ),
    (
        "naproxen 660: at the maximum",
        doses_every(MON_0800, EIGHT_H, "naproxen", [220] * 3),
        at("2026-03-03 07:00"),
        [],
    ),
    (
        "naproxen 880 (with the first-hour second dose)",
        history(
            dose(at("2026-03-02 06:00"), "naproxen", 220),
            dose(at("2026-03-02 06:30"), "naproxen", 220),
            dose(at("2026-03-02 14:30"), "naproxen", 220),
            dose(at("2026-03-02 22:30"), "naproxen", 220),
        ),
        at("2026-03-02 23:00"),
        ["med.daily-max"],
    ),
    (
        "aspirin 4000: at the maximum",
        doses_every(MON_0800, FOUR_H, "aspirin", [1000] * 4),
        at("2026-03-03 07:00"),
        [],
    ),
    (
        "aspirin 5000",
        doses_every(MON_0800, FOUR_H, "aspirin", [1000] * 5),
        at("2026-03-03 07:00"),
        ["med.daily-max"],
    ),
    (
        "acetaminophen 3000: at the maximum",
        doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 3),
        at("2026-03-03 07:00"),
        [],
    ),
    (
        "acetaminophen 3500",
        doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 3 + [500]),
        at("2026-03-03 07:00"),
        ["med.daily-max"],
    ),
    (
        "acetaminophen 4000: not an overdose",
        doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 4),
        at("2026-03-03 07:00"),
        ["med.daily-max"],
    ),
    (
        "acetaminophen 4500: overdose",
        doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 4 + [500]),
        at("2026-03-03 07:00"),
        ["med.acetaminophen-overdose", "med.daily-max"],
    ),
    (
        "paracetamol is acetaminophen",
        doses_every(MON_0800, FOUR_H, "paracetamol", [1000] * 5),
        at("2026-03-03 07:00"),
        ["med.acetaminophen-overdose", "med.daily-max"],
    ),
    (
        "24 h window across midnight (400 on day 1, 1200 on day 2)",
        history(
            dose(at("2026-03-02 20:00"), "ibuprofen", 400),
            dose(at("2026-03-03 00:30"), "ibuprofen", 400),
            dose(at("2026-03-03 05:00"), "ibuprofen", 400),
            dose(at("2026-03-03 09:30"), "ibuprofen", 400),
        ),
        at("2026-03-03 10:00"),
        ["med.daily-max"],
    ),
    (
        "doses exactly 24 h apart are not in one 24 h",
        history(
            *(dose(at(f"2026-03-02 {t}"), "ibuprofen", 400) for t in ("08:00", "14:00", "20:00")),
            dose(at("2026-03-03 08:00"), "ibuprofen", 400),
        ),
        at("2026-03-03 09:00"),
        [],
    ),
    (
        "23 h 59 min apart are",
        history(
            *(dose(at(f"2026-03-02 {t}"), "ibuprofen", 400) for t in ("08:00", "14:00", "20:00")),
            dose(at("2026-03-03 07:59"), "ibuprofen", 400),
        ),
        at("2026-03-03 09:00"),
        ["med.daily-max"],
    ),
    (
        "a dose without mg adds nothing",
        history(
            *(dose(MON_0800 + FOUR_H * i, "ibuprofen", 400) for i in range(3)),
            dose(MON_0800 + FOUR_H * 3, "ibuprofen"),
        ),
        at("2026-03-02 23:00"),
        [],
    ),
    (
        "different drugs are not added up (each dose is large)",
        history(dose(MON_0800, "ibuprofen", 1200), dose(MON_0800, "acetaminophen", 3000)),
        at("2026-03-02 09:00"),
        ["med.large-dose"],
    ),
    (
        # the window that goes over ends at the last dose, 2026-03-03 00:00
        "overdose exactly 7 days ago: still shown",
        doses_every(at("2026-03-02 08:00"), FOUR_H, "acetaminophen", [1000] * 5),
        at("2026-03-10 00:00"),
        ["med.acetaminophen-overdose", "med.daily-max"],
    ),
    (
        "overdose over 7 days ago: not shown",
        doses_every(at("2026-03-02 08:00"), FOUR_H, "acetaminophen", [1000] * 5),
        at("2026-03-10 00:01"),
        [],
    ),
    (
        "doses after as_of are ignored",
        doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 5),
        at("2026-03-02 20:30"),
        ["med.daily-max"],
    ),
]


@pytest.mark.parametrize(
    ("h", "as_of", "expected"),
    [case[1:] for case in DAILY_CASES],
    ids=[case[0] for case in DAILY_CASES],
)
def test_daily_maxima(h: History, as_of: datetime, expected: list[str]) -> None:
    assert sorted(r for r in rules(h, as_of) if r.startswith("med.")) == sorted(expected)


def test_overdose_flag_is_an_emergency_and_names_the_window() -> None:
    h = doses_every(MON_0800, FOUR_H, "acetaminophen", [1000] * 5)
    f = flag(h, at("2026-03-03 07:00"), "med.acetaminophen-overdose")
    assert f.level == "emergency"
    assert (
        f.evidence[0] == "acetaminophen 5000 mg in the 24 h to 2026-03-03 00:00 (more than 4000 mg)"
    )
    assert "t1 acetaminophen 1000 mg at 2026-03-02 08:00" in f.evidence


# --- Medication: intervals -------------------------------------------------------------------


def pair(drug: str, first: str, second: str, tz: ZoneInfo = LONDON) -> History:
    return history(dose(at(first, tz), drug, 200, id=1), dose(at(second, tz), drug, 200, id=2))


TOO_SOON_CASES = [
    # (id, history, fires)
    ("ibuprofen 3 h 59 min", pair("ibuprofen", "2026-03-02 08:00", "2026-03-02 11:59"), True),
    ("ibuprofen exactly 4 h", pair("ibuprofen", "2026-03-02 08:00", "2026-03-02 12:00"), False),
    ("aspirin 3 h", pair("aspirin", "2026-03-02 08:00", "2026-03-02 11:00"), True),
    ("aspirin 4 h", pair("aspirin", "2026-03-02 08:00", "2026-03-02 12:00"), False),
    ("acetaminophen 2 h", pair("acetaminophen", "2026-03-02 08:00", "2026-03-02 10:00"), True),
    ("acetaminophen 4 h", pair("acetaminophen", "2026-03-02 08:00", "2026-03-02 12:00"), False),
    ("across midnight", pair("ibuprofen", "2026-03-02 22:00", "2026-03-03 01:00"), True),
    (
        "unknown drug: no label interval",
        pair("baclofen", "2026-03-02 08:00", "2026-03-02 08:30"),
        False,
    ),
    (
        "different drugs",
        history(dose(MON_0800, "ibuprofen", 200), dose(MON_0800, "acetaminophen", 500)),
        False,
    ),
    ("naproxen 7 h 59 min", pair("naproxen", "2026-03-02 14:00", "2026-03-02 21:59"), True),
    ("naproxen exactly 8 h", pair("naproxen", "2026-03-02 08:00", "2026-03-02 16:00"), False),
    (
        "naproxen second dose 45 min after the day's first",
        pair("naproxen", "2026-03-02 08:00", "2026-03-02 08:45"),
        False,
    ),
    (
        "naproxen second dose exactly 1 h after the day's first",
        pair("naproxen", "2026-03-02 08:00", "2026-03-02 09:00"),
        False,
    ),
    (
        "naproxen second dose 1 h 1 min after the day's first",
        pair("naproxen", "2026-03-02 08:00", "2026-03-02 09:01"),
        True,
    ),
    (
        "naproxen: a third dose within the hour is too soon",
        history(
            dose(at("2026-03-02 08:00"), "naproxen", 220),
            dose(at("2026-03-02 08:30"), "naproxen", 220),
            dose(at("2026-03-02 08:50"), "naproxen", 220),
        ),
        True,
    ),
    (
        "naproxen: the day's first dose after last night's",
        history(
            dose(at("2026-03-01 20:00"), "naproxen", 220),
            dose(at("2026-03-02 08:00"), "naproxen", 220),
            dose(at("2026-03-02 08:30"), "naproxen", 220),
        ),
        False,
    ),
    (
        "naproxen: not the day's first dose (same day, 8 h later)",
        history(
            dose(at("2026-03-02 08:00"), "naproxen", 220),
            dose(at("2026-03-02 16:00"), "naproxen", 220),
            dose(at("2026-03-02 16:30"), "naproxen", 220),
        ),
        True,
    ),
    (
        "naproxen: early-morning first dose 8 h 30 min after last night's",
        history(
            dose(at("2026-03-01 21:00"), "naproxen", 220),
            dose(at("2026-03-02 05:30"), "naproxen", 220),  # 8 h 30 min: fine
            dose(at("2026-03-02 06:00"), "naproxen", 220),  # grace
        ),
        False,
    ),
    (
        "naproxen: first of its calendar day but under 8 h after the last is no first dose",
        history(
            dose(at("2026-03-01 23:30"), "naproxen", 220),  # the day's first
            dose(at("2026-03-02 00:15"), "naproxen", 220),  # grace, across midnight
            dose(at("2026-03-02 00:45"), "naproxen", 220),  # no second grace
        ),
        True,
    ),
    (
        "naproxen: grace across midnight",
        history(
            dose(at("2026-03-01 23:30"), "naproxen", 220),
            dose(at("2026-03-02 00:15"), "naproxen", 220),
        ),
        False,
    ),
    (
        "naproxen: 4 h after the day's first dose",
        history(
            dose(at("2026-03-01 20:00"), "naproxen", 220),
            dose(at("2026-03-02 04:00"), "naproxen", 220),  # 8 h: fine, first of its day
            dose(at("2026-03-02 08:00"), "naproxen", 220),  # too soon
        ),
        True,
    ),
    # London 2026-03-29 01:00 GMT -> 02:00 BST: 00:30 -> 05:20 is 3 h 50 min elapsed.
    (
        "across DST, 3 h 50 min elapsed",
        pair("ibuprofen", "2026-03-29 00:30", "2026-03-29 05:20"),
        True,
    ),
    ("across DST, 4 h elapsed", pair("ibuprofen", "2026-03-29 00:30", "2026-03-29 05:30"), False),
]


@pytest.mark.parametrize(
    ("h", "fires"),
    [case[1:] for case in TOO_SOON_CASES],
    ids=[case[0] for case in TOO_SOON_CASES],
)
def test_too_soon(h: History, fires: bool) -> None:
    as_of = max(t.at for t in h.treatments) + timedelta(minutes=5)
    assert ("med.too-soon" in rules(h, as_of)) is fires


def test_too_soon_evidence_and_one_flag_for_many() -> None:
    h = history(
        dose(at("2026-03-02 08:00"), "ibuprofen", 200, id=1),
        dose(at("2026-03-02 09:00"), "ibuprofen", 200, id=2),
        dose(at("2026-03-02 10:30"), "ibuprofen", 200, id=3),
    )
    flags = [f for f in evaluate(h, NOBODY, at("2026-03-02 11:00")) if f.rule == "med.too-soon"]
    assert len(flags) == 1
    assert flags[0].evidence == (
        "t2 ibuprofen 200 mg at 2026-03-02 09:00, 1 h after t1 ibuprofen 200 mg at "
        "2026-03-02 08:00 (label interval 4 h)",
        "t3 ibuprofen 200 mg at 2026-03-02 10:30, 1 h 30 min after t2 ibuprofen 200 mg at "
        "2026-03-02 09:00 (label interval 4 h)",
    )


def test_too_soon_lookback() -> None:
    h = pair("ibuprofen", "2026-03-02 08:00", "2026-03-02 09:00")
    assert "med.too-soon" in rules(h, at("2026-03-09 09:00"))
    assert "med.too-soon" not in rules(h, at("2026-03-09 09:01"))


# --- Medication: NSAID combination and 10 days ---------------------------------------------

COMBINATION_CASES = [
    # (id, history, as_of, fires)
    (
        "ibuprofen then naproxen 12 h later",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-02 20:00"), "naproxen", 220)),
        at("2026-03-02 21:00"),
        True,
    ),
    (
        "aspirin and diclofenac",
        history(dose(MON_0800, "aspirin", 500), dose(at("2026-03-02 09:00"), "diclofenac", 50)),
        at("2026-03-02 10:00"),
        True,
    ),
    (
        "at the same time",
        history(dose(MON_0800, "ibuprofen", 400), dose(MON_0800, "naproxen", 220)),
        at("2026-03-02 09:00"),
        True,
    ),
    (
        "across midnight",
        history(
            dose(at("2026-03-02 23:00"), "ibuprofen", 400),
            dose(at("2026-03-03 01:00"), "naproxen", 220),
        ),
        at("2026-03-03 02:00"),
        True,
    ),
    (
        "23 h 59 min apart",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-03 07:59"), "naproxen", 220)),
        at("2026-03-03 09:00"),
        True,
    ),
    (
        "exactly 24 h apart",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-03 08:00"), "naproxen", 220)),
        at("2026-03-03 09:00"),
        False,
    ),
    (
        "the same NSAID twice",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-02 14:00"), "ibuprofen", 400)),
        at("2026-03-02 15:00"),
        False,
    ),
    (
        "an NSAID and acetaminophen",
        history(dose(MON_0800, "ibuprofen", 400), dose(MON_0800, "acetaminophen", 500)),
        at("2026-03-02 09:00"),
        False,
    ),
    (
        "naproxen after as_of ignored",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-02 20:00"), "naproxen", 220)),
        at("2026-03-02 19:00"),
        False,
    ),
    (
        "8 days ago: not shown",
        history(dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-02 09:00"), "naproxen", 220)),
        at("2026-03-10 09:00"),
        False,
    ),
]


@pytest.mark.parametrize(
    ("h", "as_of", "fires"),
    [case[1:] for case in COMBINATION_CASES],
    ids=[case[0] for case in COMBINATION_CASES],
)
def test_nsaid_combination(h: History, as_of: datetime, fires: bool) -> None:
    assert ("med.nsaid-combination" in rules(h, as_of)) is fires


def test_nsaid_combination_evidence() -> None:
    h = history(dose(MON_0800, "ibuprofen", 400, id=1),
                dose(at("2026-03-02 20:00"), "naproxen", 220, id=2))  # fmt: skip
    f = flag(h, at("2026-03-02 21:00"), "med.nsaid-combination")
    assert f.evidence == (
        "t1 ibuprofen 400 mg at 2026-03-02 08:00",
        "t2 naproxen 220 mg at 2026-03-02 20:00",
    )


def nsaid_days(days: list[int], drug: str = "ibuprofen") -> History:
    """One ibuprofen 200 mg at 09:00 on each day offset from Mon 2 March."""
    return history(*(dose(at("2026-03-02 09:00") + timedelta(days=n), drug, 200) for n in days))


NSAID_DAYS_CASES = [
    # (id, history, as_of, fires)
    ("10 days in a row", nsaid_days(list(range(10))), at("2026-03-11 12:00"), False),
    ("11 days in a row", nsaid_days(list(range(11))), at("2026-03-12 12:00"), True),
    (
        "11 days, 3 dose-free days between each",
        nsaid_days([4 * n for n in range(11)]),
        at("2026-04-11 12:00"),
        True,
    ),
    (
        "a 4-day gap splits 6 + 5 days",
        nsaid_days([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14]),
        at("2026-03-16 12:00"),
        False,
    ),
    (
        "NSAIDs together",
        history(
            *(dose(at("2026-03-02 09:00") + timedelta(days=n), "ibuprofen", 200) for n in range(6)),
            *(dose(at("2026-03-08 09:00") + timedelta(days=n), "naproxen", 220) for n in range(5)),
        ),
        at("2026-03-12 12:00"),
        True,
    ),
    (
        "acetaminophen is no NSAID",
        nsaid_days(list(range(11)), "acetaminophen"),
        at("2026-03-12 12:00"),
        False,
    ),
    (
        "run ended 7 days ago: still shown",
        nsaid_days(list(range(11))),
        at("2026-03-19 09:00"),
        True,
    ),
    ("run ended over 7 days ago", nsaid_days(list(range(11))), at("2026-03-19 09:01"), False),
    ("doses after as_of ignored", nsaid_days(list(range(11))), at("2026-03-11 12:00"), False),
]


@pytest.mark.parametrize(
    ("h", "as_of", "fires"),
    [case[1:] for case in NSAID_DAYS_CASES],
    ids=[case[0] for case in NSAID_DAYS_CASES],
)
def test_nsaid_10_days(h: History, as_of: datetime, fires: bool) -> None:
    assert ("med.nsaid-10-days" in rules(h, as_of)) is fires


def test_nsaid_days_are_local_days() -> None:
    # 23:30 and 00:30 New York time: two local days (one UTC day); 11 doses on 11 local days
    start = at("2026-03-02 23:30", NEW_YORK)
    doses = [dose(start + timedelta(hours=n), "ibuprofen", 200) for n in (0, 1)]
    doses += [dose(at("2026-03-04 10:00", NEW_YORK) + timedelta(days=n), "ibuprofen", 200)
              for n in range(9)]  # fmt: skip
    as_of = at("2026-03-12 12:00", NEW_YORK)
    assert "med.nsaid-10-days" in rules(history(*doses), as_of)
    f = flag(history(*doses), as_of, "med.nsaid-10-days")
    assert f.evidence[0] == "NSAID doses on 11 days from 2026-03-02 to 2026-03-12"


# --- Medication: muscle relaxants ---------------------------------------------------------------


def nightly(first: datetime, *offsets: timedelta, drug: str = "cyclobenzaprine") -> History:
    return history(*(dose(first + o, drug, 10) for o in (timedelta(0), *offsets)))


NIGHT = at("2026-03-02 22:00")
RELAXANT_CASES = [
    # (id, history, as_of, expected relaxant rule IDs besides daytime)
    ("single dose", nightly(NIGHT), at("2026-03-02 23:00"), []),
    ("span exactly 72 h", nightly(NIGHT, timedelta(hours=72)), at("2026-03-05 23:00"), []),
    (
        "span 72 h 1 min",
        nightly(NIGHT, timedelta(hours=72, minutes=1)),
        at("2026-03-05 23:00"),
        ["med.muscle-relaxant-72h"],
    ),
    (
        "gap of 6 d 23 h: one course",
        nightly(NIGHT, timedelta(days=6, hours=23)),
        at("2026-03-09 22:00"),
        ["med.muscle-relaxant-72h"],
    ),
    ("gap of 7 days: a new course", nightly(NIGHT, timedelta(days=7)), at("2026-03-09 23:00"), []),
    (
        "relaxants together (methocarbamol then tizanidine)",
        history(
            dose(NIGHT, "methocarbamol", 750), dose(NIGHT + timedelta(days=4), "tizanidine", 2)
        ),
        at("2026-03-06 23:00"),
        ["med.muscle-relaxant-72h"],
    ),
    (
        "a medication the user marks as a relaxant",
        history(
            dose(NIGHT, "baclofen", 10, relaxant=True),
            dose(NIGHT + timedelta(days=4), "baclofen", 10, relaxant=True),
        ),
        at("2026-03-06 23:00"),
        ["med.muscle-relaxant-72h"],
    ),
    (
        "the same drug unmarked is no relaxant",
        history(dose(NIGHT, "baclofen", 10), dose(NIGHT + timedelta(days=4), "baclofen", 10)),
        at("2026-03-06 23:00"),
        [],
    ),
    (
        "span exactly 21 days",
        nightly(NIGHT, *(timedelta(days=n) for n in range(1, 22))),
        at("2026-03-23 23:00"),
        ["med.muscle-relaxant-72h"],
    ),
    (
        "span over 21 days",
        nightly(NIGHT, *(timedelta(days=n) for n in range(1, 22)), timedelta(days=21, minutes=1)),
        at("2026-03-23 23:00"),
        ["med.muscle-relaxant-3-weeks", "med.muscle-relaxant-72h"],  # soon before caution
    ),
    (
        "course over 7 days ago: not shown",
        nightly(NIGHT, timedelta(days=4)),
        at("2026-03-13 22:01"),
        [],
    ),
    (
        "later doses after as_of ignored",
        nightly(NIGHT, timedelta(days=4)),
        at("2026-03-05 23:00"),
        [],
    ),
    # London 2026-03-29 spring forward: Fri 22:00 GMT -> Mon 23:00 BST is exactly 72 h.
    (
        "across DST, 72 h 30 min wall clock is 71 h 30 min",
        history(
            dose(at("2026-03-27 22:00"), "cyclobenzaprine", 10),
            dose(at("2026-03-30 22:30"), "cyclobenzaprine", 10),
        ),
        at("2026-03-30 23:30"),
        [],
    ),
    (
        "across DST, exactly 72 h",
        history(
            dose(at("2026-03-27 22:00"), "cyclobenzaprine", 10),
            dose(at("2026-03-30 23:00"), "cyclobenzaprine", 10),
        ),
        at("2026-03-30 23:30"),
        [],
    ),
    (
        "across DST, 72 h 1 min",
        history(
            dose(at("2026-03-27 22:00"), "cyclobenzaprine", 10),
            dose(at("2026-03-30 23:01"), "cyclobenzaprine", 10),
        ),
        at("2026-03-30 23:30"),
        ["med.muscle-relaxant-72h"],
    ),
]


@pytest.mark.parametrize(
    ("h", "as_of", "expected"),
    [case[1:] for case in RELAXANT_CASES],
    ids=[case[0] for case in RELAXANT_CASES],
)
def test_muscle_relaxant_span(h: History, as_of: datetime, expected: list[str]) -> None:
    found = [r for r in rules(h, as_of) if r.startswith("med.muscle-relaxant")]
    assert [r for r in found if r != "med.muscle-relaxant-daytime"] == expected


def test_muscle_relaxant_span_evidence() -> None:
    h = history(dose(NIGHT, "cyclobenzaprine", 10, id=1),
                dose(NIGHT + timedelta(days=4), "cyclobenzaprine", 10, id=2))  # fmt: skip
    f = flag(h, at("2026-03-06 23:00"), "med.muscle-relaxant-72h")
    assert f.evidence == (
        "t1 cyclobenzaprine 10 mg at 2026-03-02 22:00 (first)",
        "t2 cyclobenzaprine 10 mg at 2026-03-06 22:00 (latest)",
        "doses span 4 d 0 h",
    )


DAYTIME_CASES = [
    # (id, dose time, as_of, fires)
    ("05:59", at("2026-03-02 05:59"), at("2026-03-02 07:00"), False),
    ("06:00", at("2026-03-02 06:00"), at("2026-03-02 07:00"), True),
    ("noon", at("2026-03-02 12:00"), at("2026-03-02 13:00"), True),
    ("18:00", at("2026-03-02 18:00"), at("2026-03-02 19:00"), True),
    ("18:01", at("2026-03-02 18:01"), at("2026-03-02 19:00"), False),
    ("22:00", at("2026-03-02 22:00"), at("2026-03-02 23:00"), False),
    ("noon, 24 h ago", at("2026-03-02 12:00"), at("2026-03-03 12:00"), True),
    ("noon, over 24 h ago", at("2026-03-02 12:00"), at("2026-03-03 12:01"), False),
    ("noon, after as_of", at("2026-03-02 12:00"), at("2026-03-02 11:00"), False),
    # 05:30 UTC on 1 July is 06:30 BST (London) and 01:30 EDT (New York).
    ("local time, London", datetime(2026, 7, 1, 5, 30, tzinfo=UTC), at("2026-07-01 09:00"), True),
    (
        "local time, New York",
        datetime(2026, 7, 1, 5, 30, tzinfo=UTC),
        at("2026-07-01 09:00", NEW_YORK),
        False,
    ),
]


@pytest.mark.parametrize(
    ("when", "as_of", "fires"),
    [case[1:] for case in DAYTIME_CASES],
    ids=[case[0] for case in DAYTIME_CASES],
)
def test_muscle_relaxant_daytime(when: datetime, as_of: datetime, fires: bool) -> None:
    h = history(dose(when, "methocarbamol", 750))
    assert ("med.muscle-relaxant-daytime" in rules(h, as_of)) is fires


def test_daytime_tip_is_info_and_last() -> None:
    h = history(dose(at("2026-03-02 12:00"), "diazepam", 5), symptom(MON_0800, "fever"))
    flags = evaluate(h, NOBODY, at("2026-03-02 13:00"))
    assert [(f.rule, f.level) for f in flags] == [
        ("red-flag.fever", "urgent"),
        ("med.muscle-relaxant-daytime", "info"),
    ]


# --- Self-care routine ----------------------------------------------------------------------

APPLICATION_CASES = [
    # (id, history, fires)
    ("ice 30 min", history(care(MON_0800, "ice", 30)), False),
    ("ice 31 min", history(care(MON_0800, "ice", 31)), True),
    ("heat 45 min", history(care(MON_0800, "heat", 45)), True),
    ("stretching 60 min", history(care(MON_0800, "stretching", 60)), False),
    ("rest 120 min", history(care(MON_0800, "rest", 120)), False),
    ("ice, minutes not given", history(care(MON_0800, "ice")), False),
]


@pytest.mark.parametrize(
    ("h", "fires"),
    [case[1:] for case in APPLICATION_CASES],
    ids=[case[0] for case in APPLICATION_CASES],
)
def test_application_too_long(h: History, fires: bool) -> None:
    assert ("care.application-too-long" in rules(h, at("2026-03-02 10:00"))) is fires


def test_application_too_long_lookback_and_evidence() -> None:
    h = history(care(MON_0800, "heat", 45, id=7))
    assert flag(h, at("2026-03-02 10:00"), "care.application-too-long").evidence == (
        "t7 heat for 45 min at 2026-03-02 08:00",
    )
    assert "care.application-too-long" in rules(h, at("2026-03-09 08:00"))
    assert "care.application-too-long" not in rules(h, at("2026-03-09 08:01"))
    assert "care.application-too-long" not in rules(h, at("2026-03-02 07:59"))


REAPPLY_CASES = [
    # (id, history, fires)
    (
        "ice 20 min, again 20 min after it ended",
        history(care(MON_0800, "ice", 20), care(at("2026-03-02 08:40"), "ice", 20)),
        False,
    ),
    (
        "ice 20 min, again 19 min after it ended",
        history(care(MON_0800, "ice", 20), care(at("2026-03-02 08:39"), "ice", 20)),
        True,
    ),
    (
        "ice then heat, 10 min after",
        history(care(MON_0800, "ice", 20), care(at("2026-03-02 08:30"), "heat", 20)),
        True,
    ),
    (
        "overlapping applications",
        history(care(MON_0800, "ice", 30), care(at("2026-03-02 08:10"), "heat", 10)),
        True,
    ),
    (
        "no minutes: ends when it starts",
        history(care(MON_0800, "ice"), care(at("2026-03-02 08:19"), "ice", 20)),
        True,
    ),
    (
        "no minutes, 20 min later",
        history(care(MON_0800, "ice"), care(at("2026-03-02 08:20"), "ice", 20)),
        False,
    ),
    (
        "across midnight",
        history(care(at("2026-03-02 23:50"), "ice", 20), care(at("2026-03-03 00:25"), "ice", 20)),
        True,
    ),
    (
        "a stretch between does not count",
        history(care(MON_0800, "ice", 20), care(at("2026-03-02 08:25"), "stretching", 10)),
        False,
    ),
    (
        "the latest end counts, not the latest start",
        history(
            care(MON_0800, "heat", 30),  # ends 08:30
            care(at("2026-03-02 08:05"), "ice", 5),  # ends 08:10 (too soon itself)
            care(at("2026-03-02 08:45"), "ice", 20),  # 15 min after 08:30: too soon
        ),
        True,
    ),
]


@pytest.mark.parametrize(
    ("h", "fires"),
    [case[1:] for case in REAPPLY_CASES],
    ids=[case[0] for case in REAPPLY_CASES],
)
def test_reapply_too_soon(h: History, fires: bool) -> None:
    assert ("care.reapply-too-soon" in rules(h, at("2026-03-03 10:00"))) is fires


def test_reapply_too_soon_evidence() -> None:
    h = history(care(MON_0800, "heat", 30, id=1), care(at("2026-03-02 08:05"), "ice", 5, id=2),
                care(at("2026-03-02 08:45"), "ice", 20, id=3))  # fmt: skip
    f = flag(h, at("2026-03-02 10:00"), "care.reapply-too-soon")
    assert f.evidence == (
        "t2 ice at 2026-03-02 08:05, 25 min before the end of t1 heat (2026-03-02 08:00, "
        "ended 2026-03-02 08:30)",
        "t3 ice at 2026-03-02 08:45, 15 min after t1 heat (2026-03-02 08:00, ended "
        "2026-03-02 08:30)",
    )


HEAT_CASES = [
    # (id, history, as_of, fires)
    (
        "heat on day 2 of an episode",
        history(pain(MON_0800, 6), care(at("2026-03-03 08:00"), "heat", 20)),
        at("2026-03-03 09:00"),
        True,
    ),
    (
        "heat at exactly 48 h",
        history(pain(MON_0800, 6), care(at("2026-03-04 08:00"), "heat", 20)),
        at("2026-03-04 09:00"),
        False,
    ),
    (
        "heat at 47 h 59 min",
        history(pain(MON_0800, 6), care(at("2026-03-04 07:59"), "heat", 20)),
        at("2026-03-04 09:00"),
        True,
    ),
    (
        "ice in the first 48 h",
        history(pain(MON_0800, 6), care(at("2026-03-03 08:00"), "ice", 20)),
        at("2026-03-03 09:00"),
        False,
    ),
    (
        "heat before the onset",
        history(care(at("2026-03-02 07:00"), "heat", 20), pain(MON_0800, 6)),
        at("2026-03-02 09:00"),
        False,
    ),
    ("heat with no episode", history(care(MON_0800, "heat", 20)), at("2026-03-02 09:00"), False),
    (
        "heat after as_of ignored",
        history(pain(MON_0800, 6), care(at("2026-03-03 08:00"), "heat", 20)),
        at("2026-03-03 07:00"),
        False,
    ),
    (
        "heat in the first 48 h of an earlier episode",
        history(
            pain(at("2026-02-02 08:00"), 6),
            care(at("2026-02-02 09:00"), "heat", 20),
            pain(MON_0800, 6),
        ),
        at("2026-03-02 09:00"),
        False,
    ),
    # London 2026-03-29 spring forward: Sat 12:00 GMT + 48 h = Mon 13:00 BST.
    (
        "across DST, 47 h 30 min elapsed",
        history(pain(at("2026-03-28 12:00"), 6), care(at("2026-03-30 12:30"), "heat", 20)),
        at("2026-03-30 14:00"),
        True,
    ),
]


@pytest.mark.parametrize(
    ("h", "as_of", "fires"),
    [case[1:] for case in HEAT_CASES],
    ids=[case[0] for case in HEAT_CASES],
)
def test_heat_first_48h_is_retired(h: History, as_of: datetime, fires: bool) -> None:
    """Catalog v2: heat in the first 48 h is never flagged (`fires` was the v1 answer)."""
    assert "care.heat-first-48h" not in rules(h, as_of)
    assert "care.heat-first-48h" not in RULES_BY_ID
    assert "care.heat-first-48h" in RETIRED


def rest_on(*stamps: str, tz: ZoneInfo = LONDON, minutes: int | None = 240) -> History:
    return history(*(care(at(s, tz), "rest", minutes, id=i) for i, s in enumerate(stamps, 1)))


BED_REST_CASES = [
    # (id, history, as_of, fires)
    (
        "3 days in a row",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00"),
        at("2026-03-04 20:00"),
        True,
    ),
    ("2 days", rest_on("2026-03-02 14:00", "2026-03-03 14:00"), at("2026-03-04 20:00"), False),
    (
        "3 days with a gap",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-05 14:00"),
        at("2026-03-05 20:00"),
        False,
    ),
    (
        "twice on one day is one day",
        rest_on("2026-03-02 10:00", "2026-03-02 16:00", "2026-03-03 14:00"),
        at("2026-03-03 20:00"),
        False,
    ),
    # Catalog v2: 4 h or more of rest on each day, not any rest entry.
    (
        "1 h of rest on 3 days in a row: not bed rest",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00", minutes=60),
        at("2026-03-04 20:00"),
        False,
    ),
    (
        "3 h 59 min a day: not bed rest",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00", minutes=239),
        at("2026-03-04 20:00"),
        False,
    ),
    (
        "rest without minutes counts as 4 h",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00", minutes=None),
        at("2026-03-04 20:00"),
        True,
    ),
    (
        "two 2 h rests make a 4 h day",
        history(
            care(at("2026-03-02 10:00"), "rest", 120),
            care(at("2026-03-02 15:00"), "rest", 120),
            care(at("2026-03-03 14:00"), "rest", 240),
            care(at("2026-03-04 14:00"), "rest", 240),
        ),
        at("2026-03-04 20:00"),
        True,
    ),
    (
        "a short-rest day breaks the run",
        history(
            care(at("2026-03-02 14:00"), "rest", 240),
            care(at("2026-03-03 14:00"), "rest", 30),
            care(at("2026-03-04 14:00"), "rest", 240),
            care(at("2026-03-05 14:00"), "rest", 240),
        ),
        at("2026-03-05 20:00"),
        False,
    ),
    (
        "calendar days, not 24 h periods (23:30, 00:30, 10:00)",
        rest_on("2026-03-02 23:30", "2026-03-03 00:30", "2026-03-04 10:00"),
        at("2026-03-04 20:00"),
        True,
    ),
    (
        "local days in New York",
        rest_on("2026-03-02 21:00", "2026-03-03 21:00", "2026-03-04 21:00", tz=NEW_YORK),
        at("2026-03-04 22:00", NEW_YORK),
        True,
    ),
    (
        "third day after as_of ignored",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00"),
        at("2026-03-04 13:00"),
        False,
    ),
    (
        "ended 7 days ago: still shown",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00"),
        at("2026-03-11 14:00"),
        True,
    ),
    (
        "ended over 7 days ago",
        rest_on("2026-03-02 14:00", "2026-03-03 14:00", "2026-03-04 14:00"),
        at("2026-03-11 14:01"),
        False,
    ),
]


@pytest.mark.parametrize(
    ("h", "as_of", "fires"),
    [case[1:] for case in BED_REST_CASES],
    ids=[case[0] for case in BED_REST_CASES],
)
def test_bed_rest(h: History, as_of: datetime, fires: bool) -> None:
    assert ("care.bed-rest" in rules(h, as_of)) is fires


# --- Ordering, new flags, input checks ----------------------------------------------------


def test_flags_sorted_by_level_then_catalog_order() -> None:
    h = history(
        pain(MON_0800, 7),
        pain(at("2026-03-05 07:00"), 7),
        care(at("2026-03-04 09:00"), "ice", 45),
        care(at("2026-03-04 09:50"), "heat", 20),
        dose(at("2026-03-05 07:00"), "ibuprofen", 800),
        dose(at("2026-03-05 07:30"), "ibuprofen", 800),
        dose(at("2026-03-05 07:30"), "naproxen", 220),
        dose(at("2026-03-05 07:40"), "tizanidine", 2),
        symptom(at("2026-03-05 07:00"), "weight-loss"),
        symptom(at("2026-03-05 07:00"), "fever"),
        symptom(at("2026-03-05 07:00"), "below-knee"),
        symptom(at("2026-03-05 07:00"), "chest-pain"),
    )
    flags = evaluate(h, Profile(history=frozenset({"steroid-use"})), at("2026-03-05 08:00"))
    order = {spec.id: i for i, spec in enumerate(RULES)}
    keys = [(LEVEL_RANK[f.level], order[f.rule]) for f in flags]
    assert keys == sorted(keys)
    assert len({f.rule for f in flags}) == len(flags)
    assert [f.rule for f in flags] == [
        "red-flag.chest-pain",
        "red-flag.fever",
        "red-flag.weight-loss",
        "red-flag.leg-symptoms",
        "risk.history",
        "course.no-improvement-72h",
        "med.daily-max",
        "med.too-soon",
        "med.nsaid-combination",
        "med.nsaid-risk",
        "care.application-too-long",
        "care.reapply-too-soon",
        "med.muscle-relaxant-daytime",
    ]


def test_nothing_logged_no_flags() -> None:
    assert evaluate(History(), NOBODY, MON_0800) == []


def test_as_of_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(History(), NOBODY, datetime(2026, 3, 2, 8, 0))


def test_evaluate_is_pure() -> None:
    h = history(symptom(MON_0800, "fever"), dose(MON_0800, "ibuprofen", 2000))
    first = evaluate(h, NOBODY, at("2026-03-02 09:00"))
    assert evaluate(h, NOBODY, at("2026-03-02 09:00")) == first
    assert h.symptoms[0].at is MON_0800  # the caller's history is untouched


def make_flag(rule: str, *evidence: str) -> Flag:
    spec = RULES_BY_ID[rule]
    return Flag(spec.id, spec.level, spec.title, spec.advice, spec.source, evidence)


NEW_FLAG_CASES = [
    # (id, before, after, expected new)
    ("nothing before", [], ["red-flag.fever"], ["red-flag.fever"]),
    ("nothing new", ["red-flag.fever"], ["red-flag.fever"], []),
    (
        "one new",
        ["red-flag.fever", "med.too-soon"],
        ["red-flag.cauda-equina", "red-flag.fever", "med.too-soon"],
        ["red-flag.cauda-equina"],
    ),
    ("a flag that went away", ["red-flag.fever"], [], []),
]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [case[1:] for case in NEW_FLAG_CASES],
    ids=[case[0] for case in NEW_FLAG_CASES],
)
def test_new_flags(before: list[str], after: list[str], expected: list[str]) -> None:
    result = new_flags([make_flag(r) for r in before], [make_flag(r) for r in after])
    assert [f.rule for f in result] == expected


def test_new_flags_reports_new_evidence_only() -> None:
    before = [make_flag("med.too-soon", "t1 ...")]
    after = [make_flag("med.too-soon", "t1 ...", "t2 ...")]
    [changed] = new_flags(before, after)
    assert (changed.rule, changed.evidence) == ("med.too-soon", ("t2 ...",))
    assert new_flags(after, after) == []


def test_new_flags_after_a_dose() -> None:
    as_of = at("2026-03-02 12:00")
    before_h = history(dose(MON_0800, "ibuprofen", 400))
    after_h = history(
        dose(MON_0800, "ibuprofen", 400), dose(at("2026-03-02 11:00"), "ibuprofen", 400)
    )
    raised = new_flags(evaluate(before_h, NOBODY, as_of), evaluate(after_h, NOBODY, as_of))
    assert [f.rule for f in raised] == ["med.too-soon"]
