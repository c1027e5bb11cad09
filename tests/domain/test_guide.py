"""The self-care guide: every page present, plain text, sourced, numbers from thresholds."""

from __future__ import annotations

import re

import pytest

from backcare.domain import thresholds
from backcare.domain.guide import TOPICS, Section, Topic, topic

ORDER = [
    "first-aid",
    "ice-heat",
    "medicines",
    "moving",
    "sleep",
    "prevention",
    "doctor",
    "causes",
    "long-lasting",  # issue 16: the chronic phase
]
MAX_WORDS = 400  # about a minute and a half at an easy reading pace


def texts(page: Topic) -> list[str]:
    """Every string a reader sees on the page, sources included."""
    out = [page.title, page.summary]
    for section in page.sections:
        if section.heading is not None:
            out.append(section.heading)
        out.extend(section.paragraphs)
        out.extend(section.bullets)
    out.extend(page.sources)
    return out


def body(page: Topic) -> str:
    return " ".join(texts(page)[: -len(page.sources)])


def all_text() -> str:
    return " ".join(" ".join(texts(page)) for page in TOPICS.values())


def test_topics_in_the_required_order() -> None:
    assert list(TOPICS) == ORDER


@pytest.mark.parametrize("name", ORDER)
def test_every_topic_is_complete(name: str) -> None:
    page = TOPICS[name]
    assert page.name == name
    assert page.title.strip()
    assert page.summary.strip() and "\n" not in page.summary
    assert page.sections
    for section in page.sections:
        assert isinstance(section, Section)
        assert section.paragraphs or section.bullets
    assert page.sources, "every page names at least one source"
    assert len(set(page.sources)) == len(page.sources)
    assert len(body(page).split()) <= MAX_WORDS


@pytest.mark.parametrize("name", ORDER)
def test_every_line_is_plain_text(name: str) -> None:
    markup = re.compile(r"\[/?[a-z#@][^\]]*\]")
    for line in texts(TOPICS[name]):
        assert line == line.strip() and line
        assert "\n" not in line and "\t" not in line
        assert line.isprintable()
        assert not markup.search(line), line
        for token in ("[", "]", "`", "**", "__", "<", ">", "\x1b"):
            assert token not in line, (token, line)


def test_topic_lookup() -> None:
    assert topic("medicines") is TOPICS["medicines"]
    assert topic(" Doctor ") is TOPICS["doctor"]
    with pytest.raises(KeyError):
        topic("yoga")


def mg(amount: float) -> str:
    return f"{amount:,.0f} mg"


def hours(span: object) -> str:
    assert hasattr(span, "total_seconds")
    return f"{int(span.total_seconds() // 3600)} hours"


def test_medicines_states_the_label_maxima_backcare_checks() -> None:
    text = body(TOPICS["medicines"])
    bullets = [b for section in TOPICS["medicines"].sections for b in section.bullets]
    for drug, limit in thresholds.DRUG_LIMITS.items():
        (line,) = [b for b in bullets if f"at most {mg(limit.daily_max_mg)}" in b.lower()]
        assert f"at least {hours(limit.min_interval)} apart" in line
        if drug != "acetaminophen":  # under its own heading: "Acetaminophen (paracetamol, ...)"
            assert line.lower().startswith(drug)
    assert "Ibuprofen" in text and "1,200 mg" in text
    assert "Naproxen" in text and "660 mg" in text
    assert "Aspirin" in text and "4,000 mg" in text
    assert "3,000 mg" in text
    assert f"More than {mg(thresholds.ACETAMINOPHEN_OVERDOSE_MG)}" in text
    assert f"more than {thresholds.NSAID_DAYS_MAX} days" in text
    assert hours(thresholds.MUSCLE_RELAXANT_SHORT) in text
    assert f"{thresholds.MUSCLE_RELAXANT_LONG.days} days" in text
    assert f"{thresholds.DAYTIME_START_HOUR:02d}:00" in text
    assert f"{thresholds.DAYTIME_END_HOUR:02d}:00" in text


def test_medicines_covers_relaxant_safety_and_combinations() -> None:
    text = body(TOPICS["medicines"]).lower()
    assert "drowsiness" in text and "do not drive" in text
    assert "do not combine" in text and "two nsaids" in text
    assert "alcohol" in text
    assert "soma" not in text.replace("carisoprodol", "")  # no product promotion
    assert "unless your doctor told you otherwise" in text


def test_every_mg_amount_in_the_guide_is_a_threshold() -> None:
    allowed = {mg(limit.daily_max_mg) for limit in thresholds.DRUG_LIMITS.values()}
    allowed.add(mg(thresholds.ACETAMINOPHEN_OVERDOSE_MG))
    found = set(re.findall(r"\d[\d,]* mg", all_text()))
    assert found and found <= allowed


def test_every_hours_figure_in_the_guide_is_a_threshold() -> None:
    allowed = {
        hours(span)
        for span in (
            thresholds.HEAT_FIRST,
            thresholds.DOSE_WINDOW,
            thresholds.MUSCLE_RELAXANT_SHORT,
            thresholds.NO_IMPROVEMENT_AFTER,
            thresholds.BED_REST_PER_DAY,
            thresholds.CANCER_CONTACT,
            *(limit.min_interval for limit in thresholds.DRUG_LIMITS.values()),
        )
    }
    found = set(re.findall(r"\b\d+ hours\b", all_text()))
    assert found and found <= allowed


def test_ice_heat_numbers_come_from_thresholds() -> None:
    text = body(TOPICS["ice-heat"])
    max_min = int(thresholds.APPLICATION_MAX.total_seconds() // 60)
    gap_min = int(thresholds.REAPPLY_GAP.total_seconds() // 60)
    assert f"Up to {max_min} minutes at a time" in text
    assert f"at least {gap_min} minutes between" in text
    assert hours(thresholds.HEAT_FIRST) in text
    assert "towel" in text


def test_moving_advises_against_bed_rest() -> None:
    text = body(TOPICS["moving"])
    assert "bed rest" in text.lower()
    assert f"{thresholds.BED_REST_DAYS} or more days" in text
    assert f"{hours(thresholds.BED_REST_PER_DAY)} or more of rest a day" in text
    assert "Stop any exercise that makes the pain worse." in text
    assert "Cochrane (Dahm 2010)" in TOPICS["moving"].sources
    assert "Choosing Wisely (NASS)" in TOPICS["moving"].sources


def test_doctor_page_lists_red_flags_questions_and_tests() -> None:
    page = TOPICS["doctor"]
    headings = [s.heading for s in page.sections]
    assert headings[:3] == [
        "Call the emergency number now",
        "Contact a doctor or urgent care today",
        "Book an appointment in the next days",
    ]
    text = body(page)
    assert "backcare report" in text
    for test_name in ("X-ray", "CT or MRI", "Bone scan", "Nerve studies (EMG)"):
        assert test_name in text
    assert hours(thresholds.NO_IMPROVEMENT_AFTER) in text
    assert f"{thresholds.NO_IMPROVEMENT_LONG.days // 7} weeks" in text
    assert f"after age {thresholds.FIRST_EPISODE_AGE}" in text
    assert "Chest pain" in text and "bladder" in text


def test_sources_are_named_as_rules_md_names_them() -> None:
    sources = {s for page in TOPICS.values() for s in page.sources}
    assert 'Mayo Clinic "Back pain"' in sources
    assert 'NHS "Back pain"' in sources
    assert "Back-spasm patient guidance" in sources
    assert "US OTC Drug Facts labels" in sources
    assert "Lower Back Spasms: Causes, Diagnosis, and Treatment (Health Recovery Tips)" in sources


def test_no_diagnosis_language() -> None:
    text = " ".join(body(page) for page in TOPICS.values()).lower()
    for phrase in ("diagnos", "you have a ", "you have an ", "you are suffering", "this means you"):
        assert phrase not in text, phrase


def test_catalog_v2_in_the_guide() -> None:
    """Ice and heat both reasonable, heat with the better evidence; the v2 warning signs."""
    ice_heat = body(TOPICS["ice-heat"])
    assert "Both are reasonable" in ice_heat and "Heat has the better evidence" in ice_heat
    assert "Ice first" not in all_text()
    assert "heat in the first" not in ice_heat  # care.heat-first-48h is retired
    doctor = body(TOPICS["doctor"])
    for sign in (
        "Sudden trouble with balance, coordination or speech",
        "Black or bloody stools, or vomiting blood",
        "coughing, sneezing or straining",
        "between the shoulder blades",
        "new difficulty walking",
        "cancer team within 24 hours",
    ):
        assert sign in doctor


def test_acetaminophen_overdose_is_an_emergency_on_the_doctor_page() -> None:
    # docs/rules.md v2: over 4000 mg in 24 h is med.acetaminophen-overdose, level emergency.
    sections = {s.heading: " ".join(s.bullets) for s in topic("doctor").sections}
    limit = f"{thresholds.ACETAMINOPHEN_OVERDOSE_MG:,.0f} mg"
    assert f"More than {limit} of acetaminophen" in sections["Call the emergency number now"]
    assert "acetaminophen" not in sections["Contact a doctor or urgent care today"]
