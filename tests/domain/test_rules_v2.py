"""Catalog version 2 (docs/rules.md "What changed from version 1"): one table per change.

Every change has cases that give a different answer under version 1 (fires / does not fire /
level / advice), so each table fails on v1 behaviour (checked: 31 of these tests fail against
the v1 rules); the other cases are their boundaries. The v2 examples at the end of the
catalog are here too (the non-medication ones). Pure domain: fixed aware datetimes, no clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import History, PainEntry, Profile, SymptomReport, Treatment
from backcare.domain.rules import RULES_BY_ID, evaluate

LONDON = ZoneInfo("Europe/London")
NOBODY = Profile()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


MON = at("2026-03-02 08:00")
SOON_AFTER = at("2026-03-02 09:00")


def pain(when: datetime, level: int, *, location: str | None = None, radiates: str = "none",
         id: int | None = None) -> PainEntry:  # fmt: skip
    return PainEntry(at=when, pain=level, location=location, radiates=radiates, id=id)


def sym(code: str, when: datetime = MON, *, id: int | None = None) -> SymptomReport:
    return SymptomReport(at=when, code=code, id=id)


def dose(when: datetime, drug: str, mg: float, *, id: int | None = None) -> Treatment:
    return Treatment(at=when, kind="medication", drug=drug, dose_mg=mg, id=id)


def history(*events: object) -> History:
    return History(
        pain=tuple(e for e in events if isinstance(e, PainEntry)),
        treatments=tuple(e for e in events if isinstance(e, Treatment)),
        symptoms=tuple(e for e in events if isinstance(e, SymptomReport)),
    )


def levels(h: History, as_of: datetime, profile: Profile = NOBODY) -> dict[str, str]:
    return {f.rule: f.level for f in evaluate(h, profile, as_of)}


def profile(*items: str, born: int | None = None, prior: bool | None = None) -> Profile:
    return Profile(birth_year=born, prior_back_pain=prior, history=frozenset(items))


# --- Red flags: (id, events, profile, rule, expected level or None = must not fire) ---------

RED_FLAG_CASES = [
    # 1. faintness alone is an emergency (v1: needed abdominal pain)
    ("faintness alone: aortic", [sym("faintness")], NOBODY, "red-flag.aortic", "emergency"),
    # 2. balance is a stroke sign (v1: urgent)
    ("balance: emergency", [sym("balance")], NOBODY, "red-flag.balance", "emergency"),
    # 3. cancer history with radiating leg pain or difficulty walking (v1: not in the list)
    (
        "cancer + below-knee: cancer-neuro",
        [sym("below-knee")],
        profile("cancer"),
        "red-flag.cancer-neuro",
        "emergency",
    ),
    (
        "cancer + pain radiating below the knee: cancer-neuro",
        [pain(MON, 5, radiates="below-knee")],
        profile("cancer"),
        "red-flag.cancer-neuro",
        "emergency",
    ),
    (
        "cancer + walking difficulty: cancer-neuro",
        [sym("walking-difficulty")],
        profile("cancer"),
        "red-flag.cancer-neuro",
        "emergency",
    ),
    (
        "cancer + active episode: cancer-pain (urgent)",
        [pain(MON, 4)],
        profile("cancer"),
        "red-flag.cancer-pain",
        "urgent",
    ),
    (
        "cancer, no active episode: no cancer-pain",
        [sym("fever")],
        profile("cancer"),
        "red-flag.cancer-pain",
        None,
    ),
    ("episode, no cancer: no cancer-pain", [pain(MON, 4)], NOBODY, "red-flag.cancer-pain", None),
    # 5. the missing NHS urgent signs
    ("gi-bleeding: emergency", [sym("gi-bleeding")], NOBODY, "red-flag.gi-bleeding", "emergency"),
    ("cough-sneeze", [sym("cough-sneeze")], NOBODY, "red-flag.non-mechanical", "urgent"),
    ("upper-back", [sym("upper-back")], NOBODY, "red-flag.non-mechanical", "urgent"),
    (
        "log --where upper counts as upper-back",
        [pain(MON, 5, location="upper")],
        NOBODY,
        "red-flag.non-mechanical",
        "urgent",
    ),
    (
        "log --where lower: not upper-back",
        [pain(MON, 5, location="lower")],
        NOBODY,
        "red-flag.non-mechanical",
        None,
    ),
    (
        "walking difficulty: weakness",
        [sym("walking-difficulty")],
        NOBODY,
        "red-flag.weakness",
        "urgent",
    ),
    (
        "fever + walking difficulty: infection-neuro",
        [sym("fever"), sym("walking-difficulty")],
        NOBODY,
        "red-flag.infection-neuro",
        "emergency",
    ),
]


@pytest.mark.parametrize(
    ("events", "who", "rule", "level"),
    [case[1:] for case in RED_FLAG_CASES],
    ids=[case[0] for case in RED_FLAG_CASES],
)
def test_v2_red_flags(events: list[object], who: Profile, rule: str, level: str | None) -> None:
    assert levels(history(*events), SOON_AFTER, who).get(rule) == level


def test_faintness_with_abdominal_pain_names_both() -> None:
    h = history(sym("faintness", id=1), sym("abdominal-pain", MON + timedelta(minutes=5), id=2))
    flag = next(f for f in evaluate(h, NOBODY, SOON_AFTER) if f.rule == "red-flag.aortic")
    assert flag.evidence == (
        "s1 faintness reported 2026-03-02 08:00",
        "s2 abdominal-pain reported 2026-03-02 08:05",
    )


def test_upper_back_evidence_names_the_pain_entry() -> None:
    h = history(pain(MON, 5, location="upper", id=7))
    flag = next(f for f in evaluate(h, NOBODY, SOON_AFTER) if f.rule == "red-flag.non-mechanical")
    assert flag.evidence == ("p7 pain 5 in the upper back 2026-03-02 08:00",)


# --- Advice that names the person's situation ---------------------------------------------

ADVICE_CASES = [
    # (id, events, profile, rule, words the advice must contain, words it must not)
    (
        "gi-bleeding names ibuprofen taken 3 days ago",
        [sym("gi-bleeding"), dose(MON - timedelta(days=3), "ibuprofen", 400)],
        NOBODY,
        "red-flag.gi-bleeding",
        ["You logged ibuprofen in the last 7 days"],
        [],
    ),
    (
        "gi-bleeding names low-dose aspirin and naproxen",
        [
            sym("gi-bleeding"),
            dose(MON - timedelta(days=1), "aspirin", 81),
            dose(MON - timedelta(hours=5), "naproxen", 220),
        ],
        NOBODY,
        "red-flag.gi-bleeding",
        ["You logged aspirin and naproxen"],
        [],
    ),
    (
        "gi-bleeding: a dose 8 days ago is not named",
        [sym("gi-bleeding"), dose(MON - timedelta(days=8), "ibuprofen", 400)],
        NOBODY,
        "red-flag.gi-bleeding",
        [],
        ["You logged"],
    ),
    (
        "gi-bleeding: acetaminophen is not an NSAID",
        [sym("gi-bleeding"), dose(MON - timedelta(days=1), "acetaminophen", 500)],
        NOBODY,
        "red-flag.gi-bleeding",
        [],
        ["You logged"],
    ),
    (
        "fever names immunosuppressed",
        [sym("fever")],
        profile("immunosuppressed"),
        "red-flag.fever",
        ["Your profile lists immunosuppressed"],
        [],
    ),
    (
        "fever names steroid use and substance misuse",
        [sym("fever")],
        profile("steroid-use", "substance-misuse"),
        "red-flag.fever",
        ["steroid use and substance misuse"],
        [],
    ),
    (
        "fever, plain history",
        [sym("fever")],
        profile("cancer"),
        "red-flag.fever",
        [],
        ["Your profile"],
    ),
    (
        "trauma at 70 names fracture risk",
        [sym("fall-or-blow")],
        profile(born=1956),
        "red-flag.trauma",
        ["age 70 or over", "fracture"],
        [],
    ),
    (
        "trauma at 69: no fracture advice",
        [sym("fall-or-blow")],
        profile(born=1957),
        "red-flag.trauma",
        [],
        ["fracture"],
    ),
    (
        "leg symptoms: today if the leg gets weaker",
        [sym("leg-numbness")],
        NOBODY,
        "red-flag.leg-symptoms",
        ["today if the leg gets weaker"],
        [],
    ),
    (
        "cancer-pain: doctor or cancer team within 24 h",
        [pain(MON, 4)],
        profile("cancer"),
        "red-flag.cancer-pain",
        ["cancer team", "24 hours"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("events", "who", "rule", "present", "absent"),
    [case[1:] for case in ADVICE_CASES],
    ids=[case[0] for case in ADVICE_CASES],
)
def test_v2_advice(
    events: list[object], who: Profile, rule: str, present: list[str], absent: list[str]
) -> None:
    flag = next(f for f in evaluate(history(*events), who, SOON_AFTER) if f.rule == rule)
    for words in present:
        assert words in flag.advice
    for words in absent:
        assert words not in flag.advice
    assert flag.advice.startswith(RULES_BY_ID[rule].advice)


def test_no_improvement_advice_names_who_can_review() -> None:
    advice = RULES_BY_ID["course.no-improvement-72h"].advice
    assert "most back pain eases over weeks" in advice.lower()
    assert "pharmacist, doctor or physiotherapist" in advice


# --- Risks ------------------------------------------------------------------------------

RISK_CASES = [
    # (id, profile, rule, fires)
    ("first under 20 (age 17)", profile(born=2009, prior=False), "risk.first-under-20", True),
    ("age 19", profile(born=2007, prior=False), "risk.first-under-20", True),
    ("exactly 20: not under 20", profile(born=2006, prior=False), "risk.first-under-20", False),
    ("under 20, not answered", profile(born=2009), "risk.first-under-20", False),
    ("under 20, earlier pain", profile(born=2009, prior=True), "risk.first-under-20", False),
    ("history immunosuppressed", profile("immunosuppressed"), "risk.history", True),
    ("history cancer: not risk.history", profile("cancer"), "risk.history", False),
]


@pytest.mark.parametrize(
    ("who", "rule", "fires"),
    [case[1:] for case in RISK_CASES],
    ids=[case[0] for case in RISK_CASES],
)
def test_v2_risks(who: Profile, rule: str, fires: bool) -> None:
    assert (rule in levels(history(pain(MON, 5)), SOON_AFTER, who)) is fires


# --- Course: worsening in the first 48 h ----------------------------------------------------

WORSENING_CASES = [
    # (id, pain entries (time, score), as_of, fires)
    (
        "4 then 6 an hour later",
        [("2026-03-02 08:00", 4), ("2026-03-02 09:00", 6)],
        "2026-03-02 09:30",
        True,
    ),
    (
        "4 then 6, 59 min later: too close",
        [("2026-03-02 08:00", 4), ("2026-03-02 08:59", 6)],
        "2026-03-02 09:30",
        False,
    ),
    (
        "4 then 5: one point",
        [("2026-03-02 08:00", 4), ("2026-03-02 12:00", 5)],
        "2026-03-02 13:00",
        False,
    ),
    (
        "4, 4, 4 then 7 on day 2 (the means differ by less than 2)",
        [
            ("2026-03-02 08:00", 4),
            ("2026-03-02 20:00", 4),
            ("2026-03-03 07:00", 4),
            ("2026-03-03 07:30", 7),
        ],
        "2026-03-03 07:45",
        True,
    ),
    (
        "the latest counts, not the highest",
        [("2026-03-02 08:00", 4), ("2026-03-02 12:00", 7), ("2026-03-02 16:00", 5)],
        "2026-03-02 17:00",
        False,
    ),
]


@pytest.mark.parametrize(
    ("entries", "as_of", "fires"),
    [case[1:] for case in WORSENING_CASES],
    ids=[case[0] for case in WORSENING_CASES],
)
def test_v2_worsening_in_the_first_48h(
    entries: list[tuple[str, int]], as_of: str, fires: bool
) -> None:
    h = history(*(pain(at(t), p) for t, p in entries))
    assert ("course.worsening" in levels(h, at(as_of))) is fires


def test_early_worsening_evidence_names_both_entries() -> None:
    h = history(pain(MON, 4, id=1), pain(at("2026-03-02 10:00"), 7, id=2))
    flag = next(f for f in evaluate(h, NOBODY, at("2026-03-02 11:00"))
                if f.rule == "course.worsening")  # fmt: skip
    assert "p1 pain 4 at 2026-03-02 08:00 (first of the episode)" in flag.evidence
    assert "p2 pain 7 at 2026-03-02 10:00 (latest)" in flag.evidence


# --- The examples at the end of the catalog (non-medication) --------------------------------


def test_example_faintness_alone_is_an_aortic_emergency() -> None:
    flags = evaluate(history(sym("faintness")), NOBODY, SOON_AFTER)
    assert [(f.rule, f.level) for f in flags] == [("red-flag.aortic", "emergency")]


def test_example_bladder_is_cauda_equina_first() -> None:
    h = history(pain(MON, 6), sym("leg-numbness"), sym("bladder"))
    flags = evaluate(h, NOBODY, SOON_AFTER)
    assert (flags[0].rule, flags[0].level) == ("red-flag.cauda-equina", "emergency")


def test_example_onset_monday_no_improvement_thursday() -> None:
    h = history(pain(MON, 7), pain(at("2026-03-05 09:00"), 6))
    assert [f.rule for f in evaluate(h, NOBODY, at("2026-03-05 10:00"))] == [
        "course.no-improvement-72h"
    ]
    h = history(pain(MON, 7), pain(at("2026-03-05 09:00"), 5))
    assert evaluate(h, NOBODY, at("2026-03-05 10:00")) == []


# --- Symptom questions of version 2 (new codes and reworded questions) -----------------------

V2_QUESTIONS = {
    "balance": "Sudden trouble with balance, coordination or speech?",
    "faintness": "Feeling faint, dizzy, pale, sweaty or clammy with the pain?",
    "gi-bleeding": "Black or bloody stools, or vomiting blood?",
    "walking-difficulty": "New difficulty walking, or legs giving way?",
    "night-pain": "Intense or constant pain, worse at night or lying down, not eased by rest?",
    "cough-sneeze": "Pain made worse by coughing, sneezing or straining on the toilet?",
    "upper-back": "Pain between the shoulder blades?",
    "redness-swelling": "A lump, swelling, redness or change in the shape of your back?",
}


@pytest.mark.parametrize(("code", "question"), V2_QUESTIONS.items())
def test_v2_symptom_questions(code: str, question: str) -> None:
    from backcare.domain.symptoms import SYMPTOM_QUESTIONS

    assert SYMPTOM_QUESTIONS[code] == question


def test_every_symptom_code_is_read_by_a_rule() -> None:
    from backcare.domain.rules import SYMPTOM_TRIGGERS
    from backcare.domain.symptoms import SYMPTOM_CODES

    read = {c for t in SYMPTOM_TRIGGERS for c in (*t.any_of, *t.with_any, *t.named_too)}
    assert set(SYMPTOM_CODES) == read
