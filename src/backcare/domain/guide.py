"""The self-care guide (`backcare guide [TOPIC]`): short pages, each ending with its sources.

Pure data: plain strings, no markup, no terminal code (cli/render.py draws the pages).
The content is written fresh from the five seed articles and checked against the sources
docs/rules.md names (both listed in docs/sources.md). Where an article overstates, the page
says what is known instead:
complete bed rest (seed 002) -> stay active (Cochrane, Choosing Wisely); "no more than
72 hours" for muscle relaxants (seed 003) -> the labels' 2-3 weeks, with backcare's 72 h note;
the carisoprodol product promotion (seed 003) -> prescription only, habit-forming.

Every number that is also a rule threshold is formatted from `thresholds`, so the guide and
the rules can never disagree.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import timedelta

from backcare.domain.thresholds import (
    ACETAMINOPHEN_OVERDOSE_MG,
    APPLICATION_MAX,
    BED_REST_DAYS,
    BED_REST_PER_DAY,
    CANCER_CONTACT,
    DAYTIME_END_HOUR,
    DAYTIME_START_HOUR,
    DOSE_WINDOW,
    DRUG_LIMITS,
    FIRST_EPISODE_AGE,
    FIRST_EPISODE_YOUNG_AGE,
    HEAT_FIRST,
    MUSCLE_RELAXANT_LONG,
    MUSCLE_RELAXANT_SHORT,
    NO_IMPROVEMENT_AFTER,
    NO_IMPROVEMENT_LONG,
    NSAID_DAYS_MAX,
    REAPPLY_GAP,
)


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a page: an optional heading, then paragraphs, then bullet points."""

    heading: str | None
    paragraphs: tuple[str, ...] = field(default=())
    bullets: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Topic:
    name: str  # what `backcare guide NAME` takes
    title: str
    summary: str  # one line, for the topic list
    sections: tuple[Section, ...]
    sources: tuple[str, ...]  # named the way docs/rules.md names them


# --- Sources (names as docs/rules.md writes them) --------------------------------------------
MAYO = 'Mayo Clinic "Back pain"'
MAYO_SLEEP = 'Mayo Clinic "Sleeping positions that reduce back pain"'
NHS = 'NHS "Back pain"'
NHS_AAA = 'NHS "Abdominal aortic aneurysm"'
NICE_CKS = "NICE CKS"
NICE_NG234 = "NICE NG234 (spinal metastases)"
NIH_STROKE = "NIH stroke warning signs"
SPASM_GUIDANCE = "Back-spasm patient guidance"  # seed articles 002 and 003 (docs/sources.md)
SEED_001 = "Lower Back Spasms: Causes, Diagnosis, and Treatment (Health Recovery Tips)"
OTC_LABELS = "US OTC Drug Facts labels"
ACETAMINOPHEN_LABEL = "Acetaminophen Drug Facts label"
IBUPROFEN_LABEL = "Ibuprofen Drug Facts"
RELAXANT_LABELS = "cyclobenzaprine and carisoprodol labels"
COCHRANE_REST = "Cochrane (Dahm 2010)"
COCHRANE_HEAT = "Cochrane review: French SD et al. 2006, Superficial heat or cold for low back pain"
CHOOSING_WISELY = "Choosing Wisely (NASS)"
KOVACS_MATTRESS = "Kovacs FM et al., Lancet 2003;362:1599-604 (mattress firmness trial)"
NICE_NG59 = "NICE NG59"
WHO_2023 = (
    "WHO 2023, guideline for non-surgical management of chronic primary low back pain in "
    "adults in primary and community care settings"
)


# --- Numbers, formatted from the thresholds table --------------------------------------------
def _hours(span: timedelta) -> int:
    return int(span.total_seconds() // 3600)


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _mg(amount: float) -> str:
    return f"{amount:,.0f} mg"


def _clock(hour: int) -> str:
    return f"{hour:02d}:00"


ICE_MAX_MIN = _minutes(APPLICATION_MAX)
GAP_MIN = _minutes(REAPPLY_GAP)
HEAT_AFTER_H = _hours(HEAT_FIRST)
HEAT_AFTER_DAYS = HEAT_FIRST.days
DAY_H = _hours(DOSE_WINDOW)
RELAXANT_SHORT_H = _hours(MUSCLE_RELAXANT_SHORT)
RELAXANT_LONG_DAYS = MUSCLE_RELAXANT_LONG.days
RELAXANT_LONG_WEEKS = MUSCLE_RELAXANT_LONG.days // 7
NO_IMPROVEMENT_H = _hours(NO_IMPROVEMENT_AFTER)
NO_IMPROVEMENT_WEEKS = NO_IMPROVEMENT_LONG.days // 7

_IBU = DRUG_LIMITS["ibuprofen"]
_NAP = DRUG_LIMITS["naproxen"]
_ASA = DRUG_LIMITS["aspirin"]
_APAP = DRUG_LIMITS["acetaminophen"]
_NAP_GRACE_H = _hours(_NAP.first_dose_grace or timedelta(0))


# --- Pages -----------------------------------------------------------------------------------
FIRST_AID = Topic(
    name="first-aid",
    title="When a spasm starts",
    summary="What to do in the first minutes and hours of a back spasm.",
    sections=(
        Section(
            "Right away",
            bullets=(
                "Stop what you are doing and lie down on a firm surface, such as a carpeted "
                "floor or an exercise mat.",
                "On your back, put two or three pillows under your knees. A small rolled towel "
                "under your neck can ease it too.",
                "Or lie on the floor with your lower legs resting on the seat of a chair, hips "
                "and knees bent. This takes a lot of pressure off the lower back.",
                "If you have to sit, rest your feet on a footstool.",
            ),
        ),
        Section(
            "In the first hours",
            bullets=(
                f"Put an ice pack or a heat pack, wrapped in a towel, on the sore spot for up to "
                f"{ICE_MAX_MIN} minutes at a time. Both are reasonable; heat has the better "
                "evidence (see ice-heat).",
                "An over-the-counter pain reliever can help you keep moving. Stay within the "
                "label limits (see medicines).",
                "Rest for a short while when the pain is worst, then get up and move gently. "
                "Days in bed slow recovery (see moving).",
                "Log the pain so backcare can follow how it goes, for example: "
                "backcare log 7 --spasms 1",
            ),
        ),
        Section(
            "Get help at once",
            paragraphs=(
                "Call the emergency number if the pain comes with loss of bladder or bowel "
                "control, numbness around the genitals or buttocks, weakness or numbness in both "
                "legs, chest pain, or after a serious accident. The doctor page lists all the "
                "warning signs.",
            ),
        ),
    ),
    sources=(SPASM_GUIDANCE, MAYO, NHS, COCHRANE_REST),
)

ICE_HEAT = Topic(
    name="ice-heat",
    title="Ice and heat",
    summary="Ice or heat, how long, how often, and protecting your skin.",
    sections=(
        Section(
            "Ice or heat",
            paragraphs=(
                "Both are reasonable in the first days of a spasm; use whichever helps you "
                "more. Heat can relax the muscle and ease stiffness; ice can numb the pain.",
                "Heat has the better evidence. Studies show a small, short-term benefit from "
                "heat wraps, and too little research on cold to judge. Many articles advise "
                f"ice for the first {HEAT_AFTER_DAYS} days ({HEAT_AFTER_H} hours), but that is "
                "advice more than a research finding.",
            ),
        ),
        Section(
            "How long and how often",
            bullets=(
                f"Up to {ICE_MAX_MIN} minutes at a time.",
                f"Leave at least {GAP_MIN} minutes between applications so the skin recovers.",
                "Repeat a few times a day while it helps.",
            ),
        ),
        Section(
            "Protect your skin",
            bullets=(
                "Wrap the ice pack or heat pack in a towel or pillowcase. Never put ice straight "
                "on the skin; a bag of frozen peas in a tea towel works well.",
                "Stop if the skin turns very red, pale or blistered, or starts to sting.",
                "Do not fall asleep on a heating pad, and do not use ice or heat on numb skin.",
            ),
        ),
        Section(
            None,
            paragraphs=(
                f"backcare notes an application longer than {ICE_MAX_MIN} minutes and one that "
                f"starts less than {GAP_MIN} minutes after the last.",
            ),
        ),
    ),
    sources=(SPASM_GUIDANCE, SEED_001, COCHRANE_HEAT, NHS),
)

MEDICINES = Topic(
    name="medicines",
    title="Pain relievers and muscle relaxants",
    summary="NSAIDs, acetaminophen and muscle relaxants: label limits, side effects, mixing.",
    sections=(
        Section(
            None,
            paragraphs=(
                "These are the adult limits on US over-the-counter labels, the ones backcare "
                "checks. Follow your own package, unless your doctor told you otherwise.",
            ),
        ),
        Section(
            "Anti-inflammatories (NSAIDs)",
            bullets=(
                f"Ibuprofen (Advil, Motrin): at most {_mg(_IBU.daily_max_mg)} in {DAY_H} hours, "
                f"doses at least {_hours(_IBU.min_interval)} hours apart.",
                f"Naproxen (Aleve): at most {_mg(_NAP.daily_max_mg)} in {DAY_H} hours, doses at "
                f"least {_hours(_NAP.min_interval)} hours apart. For the day's first dose, a "
                f"second tablet may follow within {_NAP_GRACE_H} hour.",
                f"Aspirin: at most {_mg(_ASA.daily_max_mg)} in {DAY_H} hours, doses at least "
                f"{_hours(_ASA.min_interval)} hours apart.",
                f"Stop and ask a doctor if the pain gets worse or lasts more than "
                f"{NSAID_DAYS_MAX} days.",
                "Ask a doctor first if you take a blood thinner or a steroid, have had stomach "
                "ulcers or bleeding, or have heart, kidney or blood pressure problems.",
            ),
        ),
        Section(
            "Acetaminophen (paracetamol, Tylenol)",
            bullets=(
                f"At most {_mg(_APAP.daily_max_mg)} in {DAY_H} hours, doses at least "
                f"{_hours(_APAP.min_interval)} hours apart (some packs say longer).",
                "Count every product that contains it; many cold and flu remedies do.",
                f"More than {_mg(ACETAMINOPHEN_OVERDOSE_MG)} in {DAY_H} hours: call Poison Control "
                "or the emergency number now, even if you feel well.",
                "On its own it does little for low back pain; NICE does not advise it alone.",
            ),
        ),
        Section(
            "Muscle relaxants",
            bullets=(
                "Prescription medicines such as cyclobenzaprine, methocarbamol, carisoprodol, "
                "tizanidine and diazepam. They can ease a spasm for a short time.",
                "They often cause drowsiness, dizziness or confusion. Take them in the evening, "
                f"and do not drive after a dose. backcare notes a dose between "
                f"{_clock(DAYTIME_START_HOUR)} and {_clock(DAYTIME_END_HOUR)}.",
                f"Short courses only. One article says no more than {RELAXANT_SHORT_H} hours; "
                f"the labels allow up to 2-{RELAXANT_LONG_WEEKS} weeks. backcare notes a course "
                f"past {RELAXANT_SHORT_H} hours and advises a doctor past {RELAXANT_LONG_DAYS} "
                "days.",
                "Carisoprodol can be habit-forming: take it only as your own doctor prescribes, "
                "never from an online seller.",
            ),
        ),
        Section(
            "Do not combine",
            bullets=(
                f"Two NSAIDs within {DAY_H} hours (ibuprofen, naproxen, aspirin, diclofenac).",
                "Two products that both contain acetaminophen.",
                "A muscle relaxant with alcohol, sleeping pills, opioids or other medicines "
                "that make you drowsy.",
            ),
        ),
    ),
    sources=(
        OTC_LABELS,
        IBUPROFEN_LABEL,
        ACETAMINOPHEN_LABEL,
        RELAXANT_LABELS,
        SPASM_GUIDANCE,
        NICE_CKS,
        MAYO,
    ),
)

MOVING = Topic(
    name="moving",
    title="Keep moving",
    summary="Why bed rest is no longer advised, and how to get going again.",
    sections=(
        Section(
            "Bed rest is out",
            paragraphs=(
                "Doctors used to prescribe bed rest for back pain. Research has since shown "
                "that staying in bed does not help and can slow recovery; people who stay as "
                "active as they can do a little better.",
                "Some articles still advise complete rest, or a belt to stop the back moving. "
                "Current advice is to rest only briefly when the pain is worst, then move. "
                "Belts and corsets are not recommended.",
                f"backcare notes {_hours(BED_REST_PER_DAY)} hours or more of rest a day on "
                f"{BED_REST_DAYS} or more days in a row.",
            ),
        ),
        Section(
            "Gentle activity",
            bullets=(
                "Get up and walk a little several times a day, even just around the house.",
                "Keep up everyday tasks as far as the pain allows, and change position often.",
            ),
        ),
        Section(
            "Stretching and exercise",
            bullets=(
                "Once the pain starts to ease, gentle back and leg stretches help the muscles "
                "relax and become more flexible.",
                "A physiotherapist can show you stretches and strengthening exercises.",
                "Stop any exercise that makes the pain worse.",
                "If you were not active before, ask your doctor before starting an exercise "
                "programme.",
            ),
        ),
    ),
    sources=(SPASM_GUIDANCE, COCHRANE_REST, CHOOSING_WISELY, NHS, NICE_CKS, SEED_001),
)

SLEEP = Topic(
    name="sleep",
    title="Sleeping with back pain",
    summary="Mattress, sleeping positions and pillows.",
    sections=(
        Section(
            None,
            bullets=(
                "Sleep on a mattress that supports you without sagging. The articles say firm; "
                "a trial in people with long-lasting low back pain found medium-firm better "
                "than firm.",
                "Do not sleep face down: it arches the lower back.",
                "On your back: one or two pillows under your knees, and a small rolled towel "
                "under your neck if it helps.",
                "On your side: draw your knees up a little and put a pillow between them.",
                "If you take a muscle relaxant, bedtime is the time for it (see medicines).",
            ),
        ),
    ),
    sources=(SPASM_GUIDANCE, MAYO_SLEEP, KOVACS_MATTRESS),
)

PREVENTION = Topic(
    name="prevention",
    title="Preventing another spasm",
    summary="Weight, posture, shoes, strength, and not staying still for too long.",
    sections=(
        Section(
            None,
            bullets=(
                "If you are overweight, losing some weight takes strain off your spine and joints.",
                "Stand and sit up straight, and support your lower back when you sit.",
                "Wear low-heeled shoes.",
                "Strengthen your stomach (core) and back muscles: weak or stiff muscles are "
                "strained more easily.",
                "Stay active with regular exercise.",
                "Do not spend too long in bed or in a chair; get up and move every so often.",
                "Lift with your knees bent and the load close to your body, and do not twist "
                "while lifting.",
                "If you are not active now, ask your doctor before starting an exercise programme.",
            ),
        ),
    ),
    sources=(SEED_001, MAYO, SPASM_GUIDANCE),
)

DOCTOR = Topic(
    name="doctor",
    title="When to see a doctor",
    summary="Warning signs by urgency, what a doctor asks, and the tests a doctor may order.",
    sections=(
        Section(
            "Call the emergency number now",
            bullets=(
                "New trouble passing urine, loss of bladder or bowel control, numbness around the "
                "genitals or buttocks, symptoms in both legs, or new sexual problems.",
                "Chest pain, or sudden numbness or weakness on one side of the body.",
                "Sudden trouble with balance, coordination or speech: a possible stroke.",
                "Feeling faint, dizzy, pale, sweaty or clammy with the pain, with or without "
                "pain in the abdomen.",
                "Black or bloody stools, or vomiting blood.",
                "Pain after a serious accident, such as a car crash.",
                "Numbness, weakness, difficulty walking or pain below the knee with a fever or a "
                "history of cancer.",
                f"More than {_mg(ACETAMINOPHEN_OVERDOSE_MG)} of acetaminophen in {DAY_H} hours "
                "(call Poison Control or the emergency number).",
            ),
        ),
        Section(
            "Contact a doctor or urgent care today",
            bullets=(
                "Fever, pain in the abdomen, or pain after a fall or a blow to the back.",
                "Weakness or loss of feeling in an arm or leg, or new difficulty walking.",
                "Intense or constant pain, worse at night or lying down.",
                "Pain made worse by coughing, sneezing or straining, or pain between the "
                "shoulder blades.",
                "A lump, swelling or redness on the back, or weight loss you cannot explain.",
                "Any back pain if you have had cancer: contact your doctor or cancer team within "
                f"{_hours(CANCER_CONTACT)} hours.",
            ),
        ),
        Section(
            "Book an appointment in the next days",
            bullets=(
                "Numbness, tingling or weakness in one leg, or pain spreading below the knee.",
                f"Back pain for the first time after age {FIRST_EPISODE_AGE} or under "
                f"{FIRST_EPISODE_YOUNG_AGE}, or a history of osteoporosis, steroid use, drug "
                "misuse or a weakened immune system.",
                f"No improvement after {NO_IMPROVEMENT_H} hours of self-care or after "
                f"{NO_IMPROVEMENT_WEEKS} weeks, or pain getting worse.",
                f"NSAIDs on more than {NSAID_DAYS_MAX} days, or a muscle relaxant for more than "
                f"{RELAXANT_LONG_DAYS} days.",
            ),
        ),
        Section(
            "What the doctor asks",
            paragraphs=(
                "backcare report puts your log on paper: when it started, how it goes, where "
                "it is, what helps, every dose and the symptoms you reported. Add how the pain "
                "feels and any injury yourself.",
            ),
        ),
        Section(
            "Tests a doctor may order",
            paragraphs=(
                "Most back pain needs no tests; scans are not advised in the first six weeks "
                "without warning signs.",
            ),
            bullets=(
                "X-ray: bones. CT or MRI: discs, nerves and other soft tissue, and bone.",
                "Bone scan (rarely): fractures from thin bones, or bone tumours.",
                "Nerve studies (EMG): whether a nerve is pressed.",
            ),
        ),
    ),
    sources=(
        MAYO,
        NHS,
        NICE_CKS,
        NICE_NG234,
        NIH_STROKE,
        NHS_AAA,
        SPASM_GUIDANCE,
        ACETAMINOPHEN_LABEL,
        IBUPROFEN_LABEL,
        RELAXANT_LABELS,
        CHOOSING_WISELY,
        SEED_001,
    ),
)

CAUSES = Topic(
    name="causes",
    title="Causes of back spasms",
    summary="Common causes, and conditions that can feel like a spasm.",
    sections=(
        Section(
            None,
            paragraphs=(
                "Most back spasms come from strained muscles or ligaments, and often no single "
                "cause is found. backcare cannot tell what is behind your pain; a doctor can.",
            ),
        ),
        Section(
            "Common causes",
            bullets=(
                "Heavy lifting, or lifting badly.",
                "A sudden twist or awkward movement, as in golf, football or a near fall.",
                "Weak or stiff back and stomach muscles, from sitting a lot or little exercise.",
                "Overuse: long hours of hard physical work or sport.",
                "Poor posture, and stress, which tightens the muscles.",
            ),
        ),
        Section(
            "Back problems that can bring spasms",
            bullets=(
                "A bulging or herniated (slipped) disc.",
                "Arthritis of the spine, sometimes narrowing the space for the nerves "
                "(spinal stenosis).",
                "A curved spine (scoliosis), usually only when the curve is marked.",
                "Spondylolysis or spondylolisthesis: a crack in, or slipping of, a vertebra.",
                "Bones weakened by osteoporosis, and ankylosing spondylitis.",
            ),
        ),
        Section(
            "Conditions that can feel like a spasm",
            paragraphs=(
                "Some problems elsewhere cause pain in the back. They need a doctor, some "
                "urgently (see doctor):",
            ),
            bullets=(
                "Kidney stones or a kidney infection; gallstones.",
                "An infection in or near the spine, such as an epidural abscess; a tumour.",
                "A swollen main artery in the abdomen (aortic aneurysm).",
                "Heart problems, when there is chest pain too.",
                "Stiff person syndrome, a rare nerve disorder that causes spasms.",
            ),
        ),
    ),
    sources=(MAYO, SEED_001, SPASM_GUIDANCE, NHS, NHS_AAA),
)

LONG_LASTING = Topic(
    name="long-lasting",
    title="When back pain lasts more than 12 weeks",
    summary="Pain past 12 weeks: exercise programmes, psychological support, what to avoid.",
    sections=(
        Section(
            None,
            paragraphs=(
                "Back pain that has lasted more than 12 weeks is called chronic. It rarely "
                "means damage: most often the nerves and muscles have become more sensitive. "
                "The first-days advice (ice or heat, rest between efforts) matters less now; "
                "what helps is a plan you keep up for weeks.",
            ),
        ),
        Section(
            "What the guidelines advise",
            bullets=(
                "A structured exercise programme, for example with a physiotherapist or in a "
                "group class, built up gradually. Any kind of exercise you will keep doing is "
                "better than none (WHO 2023; NICE NG59).",
                "Psychological support alongside the exercise, such as cognitive behavioural "
                "therapy: it helps with the worry, low mood and poor sleep that keep pain "
                "going (WHO 2023; NICE NG59).",
                "Learning about pain and self-management, so that you can stay active and keep "
                "up work and the things you enjoy.",
                "Spinal manipulation or massage only as part of a programme that includes "
                "exercise (NICE NG59).",
            ),
        ),
        Section(
            "What they advise against",
            bullets=(
                "Lumbar belts, braces or supports, traction, and opioids for chronic low back "
                "pain (WHO 2023).",
                "Long rest: it makes stiffness and weakness worse.",
            ),
        ),
        Section(
            None,
            paragraphs=(
                "Ask your doctor or a physiotherapist about an exercise programme. backcare "
                "supports, and does not replace, a clinician's assessment.",
            ),
        ),
    ),
    sources=(WHO_2023, NICE_NG59),
)

TOPICS: dict[str, Topic] = {
    page.name: page
    for page in (
        FIRST_AID,
        ICE_HEAT,
        MEDICINES,
        MOVING,
        SLEEP,
        PREVENTION,
        DOCTOR,
        CAUSES,
        LONG_LASTING,
    )
}

# The guide follows the phase of the episode (issue 16, domain/outcomes.py): the page for
# the phase first; in the chronic phase the first-days pages come last.
PHASE_FIRST: dict[str, tuple[str, ...]] = {
    "acute": ("first-aid", "ice-heat"),
    "subacute": ("moving",),
    "chronic": ("long-lasting", "moving"),
}
PHASE_LAST: dict[str, tuple[str, ...]] = {"chronic": ("first-aid", "ice-heat")}


def topics_for_phase(phase: str | None) -> dict[str, Topic]:
    """Every topic, ordered for the phase (None: no active episode, the usual order)."""
    if phase is None:
        return dict(TOPICS)
    first = PHASE_FIRST.get(phase, ())
    last = PHASE_LAST.get(phase, ())
    middle = [name for name in TOPICS if name not in first and name not in last]
    return {name: TOPICS[name] for name in (*first, *middle, *last)}


# Words people type for a topic (`guide ice` -> ice-heat).
TOPIC_WORDS: dict[str, str] = {
    "ice": "ice-heat",
    "heat": "ice-heat",
    "cold": "ice-heat",
    "hot": "ice-heat",
    "firstaid": "first-aid",
    "first aid": "first-aid",
    "start": "first-aid",
    "medicine": "medicines",
    "meds": "medicines",
    "drugs": "medicines",
    "painkillers": "medicines",
    "pills": "medicines",
    "exercise": "moving",
    "exercises": "moving",
    "stretching": "moving",
    "walking": "moving",
    "move": "moving",
    "bed": "sleep",
    "sleeping": "sleep",
    "mattress": "sleep",
    "prevent": "prevention",
    "posture": "prevention",
    "gp": "doctor",
    "physician": "doctor",
    "when to see a doctor": "doctor",
    "why": "causes",
    "cause": "causes",
    "chronic": "long-lasting",
    "long": "long-lasting",
    "lasting": "long-lasting",
}


def topic(name: str) -> Topic:
    """The page called `name` or a word for it (case and spaces ignored); KeyError else."""
    cleaned = " ".join(name.strip().lower().split())
    return TOPICS[TOPIC_WORDS.get(cleaned, cleaned)]


def suggest_topic(name: str) -> str | None:
    """The topic closest to an unknown name, or None."""
    cleaned = " ".join(name.strip().lower().split())
    words = [*TOPICS, *TOPIC_WORDS]
    found = difflib.get_close_matches(cleaned, words, n=1, cutoff=0.6)
    if not found:
        found = [w for w in words if w.startswith(cleaned) or cleaned.startswith(w)][:1]
    return TOPIC_WORDS.get(found[0], found[0]) if found and cleaned else None
