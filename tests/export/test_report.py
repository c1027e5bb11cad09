"""The visit report writer (pure): what it takes from the log, and how it writes it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.episodes import course
from backcare.domain.model import Flag, History, PainEntry, Profile, SymptomReport, Treatment
from backcare.domain.summary import period, summarize
from backcare.export.report import (
    NONE_REPORTED,
    NOT_RECORDED,
    Q_BLADDER,
    Q_DRUGS,
    Q_FEEL,
    Q_SPASM_LENGTH,
    Q_SPASM_OFTEN,
    Q_STIFF,
    Q_TINGLING,
    Q_WEAK,
    Q_WHERE,
    SELF_REPORTED,
    ReportData,
    days_text,
    md_escape,
    render_html,
    render_markdown,
    render_svg_chart,
    report_data,
    span_text,
)

TZ = ZoneInfo("Europe/London")
AS_OF = datetime(2026, 3, 30, 21, 0, tzinfo=TZ)
EVIL = '<script>alert("x")</script> | *bold* & [link](http://evil.example)'


def at(day: int, hour: int) -> datetime:
    """Local time on March `day` 2026."""
    return datetime(2026, 3, day, hour, 0, tzinfo=TZ)


def make(
    history: History,
    *,
    days: int = 30,
    profile: Profile | None = None,
    flags: tuple[Flag, ...] = (),
) -> ReportData:
    start, end = period(AS_OF, days)
    return report_data(
        history=history,
        profile=profile or Profile(),
        flags=flags,
        summary=summarize(history, start, end, TZ),
        course=course(history, AS_OF),
        as_of=AS_OF,
        tz=TZ,
    )


def sample() -> History:
    pain = [
        PainEntry(at=at(10, 8), pain=7, spasms=3, location="lower", radiates="thigh", uid="p1"),
        PainEntry(at=at(10, 20), pain=5, spasms=1, location="lower", note=EVIL, uid="p2"),
        PainEntry(at=at(11, 9), pain=6, location="neck", note="Stiff all morning", uid="p3"),
        # 12 March: nothing logged (a gap in the chart)
        PainEntry(at=at(13, 9), pain=4, spasms=2, radiates="below-knee", uid="p4"),
        PainEntry(at=at(30, 9), pain=2, uid="p5"),
    ]
    treatments = [
        Treatment(at=at(10, 8), kind="medication", drug="ibuprofen", dose_mg=400, uid="t1"),
        Treatment(at=at(10, 14), kind="medication", drug="ibuprofen", dose_mg=400, uid="t2"),
        Treatment(at=at(10, 20), kind="medication", drug="ibuprofen", dose_mg=200, uid="t3"),
        Treatment(at=at(11, 8), kind="medication", drug="ibuprofen", dose_mg=400, uid="t4"),
        Treatment(at=at(11, 21), kind="medication", drug="cyclobenzaprine", dose_mg=5, uid="t5"),
        Treatment(at=at(13, 9), kind="medication", drug="herbal", relaxant=True, uid="t6"),
        Treatment(at=at(10, 9), kind="heat", minutes=20, relief=5, uid="t7"),
        Treatment(at=at(11, 9), kind="heat", minutes=15, relief=6, uid="t8"),
        Treatment(at=at(13, 9), kind="heat", relief=7, uid="t9"),
        Treatment(at=at(13, 10), kind="walking", uid="t10"),
    ]
    symptoms = [
        SymptomReport(at=at(11, 10), code="leg-numbness", uid="s1"),
        SymptomReport(at=at(12, 10), code="leg-numbness", uid="s2"),
        SymptomReport(at=at(20, 10), code="leg-numbness", present=False, uid="s3"),
        SymptomReport(at=at(20, 10), code="bladder", present=False, uid="s4"),
        SymptomReport(at=at(25, 10), code="limb-weakness", uid="s5"),
    ]
    return History(pain=tuple(pain), treatments=tuple(treatments), symptoms=tuple(symptoms))


def answers(data: ReportData) -> dict[str, str]:
    return {a.question: a.text for a in data.answers}


# --- data --------------------------------------------------------------------------------


def test_period_and_totals() -> None:
    data = make(sample())
    assert (data.start, data.end, data.n_days) == (date(2026, 3, 1), date(2026, 3, 30), 30)
    assert (data.entries, data.days_logged) == (5, 4)
    assert (data.min_pain, data.max_pain) == (2, 7)
    assert data.mean_pain == pytest.approx(24 / 5)
    assert (data.spasms, data.spasm_days) == (6, 2)
    assert len(data.chart) == 30
    gap = next(d for d in data.chart if d.day == date(2026, 3, 12))
    assert gap.mean_pain is None  # a day without an entry is a gap, not a zero


def test_entries_after_as_of_are_left_out() -> None:
    later = History(pain=(*sample().pain, PainEntry(at=at(30, 22), pain=10, uid="late")))
    assert make(later).max_pain == 7


def test_medications_days_doses_and_mg_per_day() -> None:
    meds = {m.drug: m for m in make(sample()).medications}
    ibu = meds["ibuprofen"]
    assert (ibu.days_used, ibu.doses, ibu.max_doses_day) == (2, 4, 3)
    assert ibu.mg_total == 1400
    assert (ibu.mg_day_mean, ibu.mg_day_max) == (700, 1000)
    assert (ibu.first, ibu.last) == (date(2026, 3, 10), date(2026, 3, 11))
    assert not ibu.relaxant
    assert meds["cyclobenzaprine"].relaxant  # a known muscle relaxant
    herbal = meds["herbal"]
    assert herbal.relaxant  # marked so by the person
    assert herbal.mg_total is None and herbal.mg_day_mean is None  # no amount logged
    assert list(meds) == ["ibuprofen", "cyclobenzaprine", "herbal"]  # most days first


def test_care_uses_minutes_and_response() -> None:
    care = {c.kind: c for c in make(sample()).care}
    assert set(care) == {"heat", "walking"}
    heat = care["heat"]
    assert (heat.uses, heat.days_used, heat.minutes_total) == (3, 3, 35)
    assert heat.mean_relief == pytest.approx(6.0)  # three relief ratings: shown
    assert care["walking"].minutes_total is None
    assert care["walking"].mean_relief is None


def test_symptoms_with_dates_present_and_gone() -> None:
    lines = {s.code: s for s in make(sample()).symptoms}
    assert lines["leg-numbness"].present == (date(2026, 3, 11), date(2026, 3, 12))
    assert lines["leg-numbness"].gone == (date(2026, 3, 20),)
    assert lines["bladder"].present == () and lines["bladder"].gone == (date(2026, 3, 20),)
    assert lines["below-knee"].present == (date(2026, 3, 13),)  # from a pain entry
    assert lines["limb-weakness"].present == (date(2026, 3, 25),)


def test_doctor_questions_answered_from_the_log() -> None:
    got = answers(make(sample()))
    assert list(got) == [
        Q_FEEL,
        Q_WHERE,
        Q_BLADDER,
        Q_SPASM_LENGTH,
        Q_SPASM_OFTEN,
        Q_STIFF,
        Q_TINGLING,
        Q_WEAK,
        Q_DRUGS,
    ]
    assert "4.8/10 on average, from 2 to 7" in got[Q_FEEL]
    assert "lower back (2 of 5 entries)" in got[Q_WHERE]
    assert "neck (1 of 5 entries)" in got[Q_WHERE]
    assert "not given (2)" in got[Q_WHERE]
    assert "below the knee (1), thigh (1)" in got[Q_WHERE]
    assert got[Q_BLADDER] == "bladder: reported absent 20 Mar"
    assert got[Q_SPASM_LENGTH].startswith(NOT_RECORDED)
    # Entries without a spasm count are not 0 spasms: the mean is over the counted days.
    assert got[Q_SPASM_OFTEN].startswith("6 spasms on 2 of 2 days with a spasm count (3.0 a day")
    assert got[Q_STIFF] == "mentioned in notes 11 Mar"
    assert got[Q_TINGLING] == ("leg-numbness: reported 11–12 Mar (2 days); reported absent 20 Mar")
    assert got[Q_WEAK] == "limb-weakness: reported 25 Mar"
    assert got[Q_DRUGS].startswith("ibuprofen, cyclobenzaprine (muscle relaxant), herbal")
    feel = next(a for a in make(sample()).answers if a.question == Q_FEEL)
    assert len(feel.details) == 2  # the two pain notes, quoted with their day
    assert feel.details[1].startswith("11 Mar: ")


def test_an_empty_log_says_not_recorded() -> None:
    data = make(History())
    got = answers(data)
    assert got[Q_FEEL] == NOT_RECORDED
    assert got[Q_WHERE] == NOT_RECORDED
    assert got[Q_BLADDER] == NONE_REPORTED
    assert got[Q_STIFF] == NOT_RECORDED
    assert got[Q_TINGLING] == NONE_REPORTED
    assert got[Q_WEAK] == NONE_REPORTED
    assert got[Q_DRUGS] == "no medicines logged in this period"
    assert data.episode is None
    assert not any(a.recorded for a in data.answers if a.question != Q_DRUGS)
    for text in (render_html(data), render_markdown(data)):
        assert "No active episode" in text
        assert NOT_RECORDED in text


def test_episode_onset_and_duration() -> None:
    history = History(
        pain=(
            PainEntry(at=at(28, 8), pain=8, uid="a"),
            PainEntry(at=at(28, 20), pain=6, uid="b"),
            PainEntry(at=at(30, 20), pain=3, uid="c"),
        )
    )
    episode = make(history).episode
    assert episode is not None
    assert episode.onset == at(28, 8)
    assert episode.day == 3
    assert episode.hours == pytest.approx(60.0)  # 61 h on the clock: BST began on 29 Mar
    assert (episode.baseline, episode.current) == (7.0, 3.0)


def test_profile_background() -> None:
    profile = Profile(birth_year=1980, prior_back_pain=False, history=frozenset({"cancer"}))
    assert make(History(), profile=profile).background == (
        "born 1980 (about 46)",
        "back pain before: no",
        "history: cancer",
    )


def test_days_text_runs() -> None:
    d = date(2026, 3, 1)
    assert days_text([d]) == "1 Mar"
    assert days_text([d, d + timedelta(1), d + timedelta(2)]) == "1–3 Mar (3 days)"
    assert days_text([date(2026, 3, 31), date(2026, 4, 1)]) == "31 Mar–1 Apr (2 days)"
    many = [d + timedelta(days=2 * i) for i in range(10)]
    assert days_text(many) == "1 Mar, 3 Mar, 5 Mar, …, 15 Mar, 17 Mar, 19 Mar (10 days)"
    assert days_text(many, 2) == "1 Mar, …, 19 Mar (10 days)"  # the printed symptom table


def test_span_text_is_short_for_scattered_days() -> None:
    """An answer keeps up to 2 runs; more become a count and the first and last day."""
    d = date(2026, 3, 1)
    assert span_text([d]) == "1 Mar"
    assert span_text([d, d + timedelta(1), d + timedelta(5)]) == "1–2 Mar, 6 Mar (3 days)"
    many = [d + timedelta(days=3 * i) for i in range(10)]
    assert span_text(many) == "on 10 days, 1 Mar to 28 Mar"


# --- HTML --------------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


FLAG = Flag(
    rule="red-flag.x",
    level="urgent",
    title="Title with <b>markup</b> & more",
    advice="Do <this>",
    source="src",
)


def test_html_is_self_contained_and_escapes_every_text() -> None:
    page = render_html(make(sample(), flags=(FLAG,)))
    parser = _Collector()
    parser.feed(page)
    assert "script" not in parser.tags  # the note's <script> stayed text
    for name, _value in parser.attrs:
        assert name not in ("src", "href", "srcset", "action")
        assert not name.startswith("on")
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert "Title with &lt;b&gt;markup&lt;/b&gt; &amp; more" in page
    assert "url(" not in page and "@import" not in page
    # no network: the only URL is the SVG namespace
    assert re.findall(r"https?://[^\s\"'<>]+", page.replace("http://evil.example", "")) == [
        "http://www.w3.org/2000/svg"
    ]
    assert "Content-Security-Policy" in page
    text = " ".join(parser.text)
    assert SELF_REPORTED in text
    assert "not a diagnosis" in text.lower()
    assert "@page" in page and "@media print" in page


def test_html_shows_every_section() -> None:
    page = render_html(make(sample(), flags=(FLAG,)))
    for heading in (
        "Daily pain and spasms",
        "Flags at the time of this report",
        "Warning-sign symptoms reported",
        "Medicines",
        "Other self-care, and pain after it",
        "Questions a doctor may ask",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert "Period:" in page and "2026-03-01 to 2026-03-30 (30 days)" in page
    assert "ibuprofen" in page and "1000" in page  # mg on the heaviest day
    assert "leg-numbness" in page and "11–12 Mar (2 days)" in page


def test_svg_chart_is_valid_xml_with_a_gap_for_days_without_entries() -> None:
    data = make(sample())
    svg = render_svg_chart(data.chart)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    circles = root.findall(f"{ns}circle")
    assert len(circles) == data.days_logged  # one point per day with pain entries
    lines = root.findall(f"{ns}polyline")
    assert len(lines) == 1  # 10-11 Mar joined; 13 Mar and 30 Mar stand alone (gaps)
    assert len(lines[0].get("points", "").split()) == 2
    bars = root.findall(f"{ns}rect")
    assert len(bars) == data.spasm_days + 1  # + the legend's swatch
    labels = [t.text for t in root.findall(f"{ns}text")]
    assert "1 Mar" in labels and "10" in labels  # dates and the pain axis
    assert root.find(f"{ns}title") is not None


def test_svg_chart_of_an_empty_period() -> None:
    root = ET.fromstring(render_svg_chart([]))
    assert root.findall("{http://www.w3.org/2000/svg}circle") == []


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_escapes_user_text_and_keeps_tables_intact() -> None:
    text = render_markdown(make(sample(), flags=(FLAG,)))
    assert text.startswith("# Back pain self-care log: visit summary")
    assert SELF_REPORTED.replace(".", ".") in text.replace("\\", "")
    assert "<script>" not in text and "\\<script\\>" in text
    assert "\\*bold\\*" in text and "\\[link\\]" in text and "\\|" in text
    # every table row has as many cells as its header
    for block in re.split(r"\n\n", text):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
            assert len(widths) == 1, block
    assert "**URGENT** Title with \\<b\\>markup\\</b\\> \\& more" in text
    assert "## Questions a doctor may ask" in text
    assert f"**{Q_SPASM_LENGTH}** _{NOT_RECORDED}" in text


def test_md_escape_flattens_lines() -> None:
    assert md_escape("a\nb\r\n  c") == "a b c"
    assert md_escape("x|y") == "x\\|y"


def test_change_text() -> None:
    from backcare.export.report import change_text

    assert change_text(None, 2) == "not enough data (2 of 3 pairs)"
    assert change_text(-1.25, 4) == "-1.2"
    assert change_text(0.5, 4) == "+0.5"
    assert change_text(-0.01, 4) == "0.0"
