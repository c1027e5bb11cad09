"""The report with questionnaires (issue 16): the phase in the episode line, a Questionnaires
section (one line each, the change since the first score of the episode), and the ordinary
30-day report still on ONE page (Letter and A4, headless Chromium) with a full 12-week set
of measures.

Measures are not stored on this branch yet (the measures branch adds their table): the data
is the busy month of tests/test_report_browser.py loaded from a real database the way the
`report` service loads it, plus the measures added to the loaded History, then the report
writer's own functions (`report_data`, `render_html`, `render_markdown`).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Goal, History, Measure, PainEntry
from backcare.export.report import ReportData, render_html, render_markdown, report_data
from tests.conftest import Run
from tests.test_report_browser import (
    AS_OF,
    FONT_PS,
    chromium,
    fill_30_days,
    fonts,
    paper,
    pdf_pages,
    print_to_pdf,
    with_font,
)

ZONE = ZoneInfo("Europe/London")
NOW = datetime.fromisoformat(AS_OF).replace(tzinfo=ZONE)
# three long activities (the page must still hold them): the report cuts each to 48 characters
GOALS = (
    "walk the dog for thirty minutes around the park in the morning without stopping to rest",
    "sit through a whole film at the cinema with my family without getting up to stretch",
    "lift my daughter into her car seat and out again without a sharp pain in my lower back",
)


def twelve_weeks() -> tuple[tuple[Measure, ...], tuple[Goal, ...]]:
    """A full 12-week set ending at the report: PSFS weekly, STarT Back at the start and
    week 2, RMDQ at the start and weeks 2, 6 and 12 (PEG, weekly until it was retired, is
    no longer asked: tests/cli/test_peg_retired.py)."""
    start = NOW - timedelta(weeks=12)
    measures: list[Measure] = []
    n = 0

    def add(week: float, instrument: str, answers: tuple[int, ...], goals=()) -> None:  # type: ignore[no-untyped-def]
        nonlocal n
        n += 1
        at = start + timedelta(weeks=week, hours=1)
        measures.append(Measure(at=at, instrument=instrument, answers=answers, goals=goals, id=n))

    for week in range(12):
        add(week, "psfs", (2 + week // 3, 3, 1 + week // 4), GOALS)
    add(0, "startback", (1, 1, 0, 1, 1, 1, 1, 1, 4))
    add(2, "startback", (1, 0, 0, 0, 1, 1, 0, 0, 0))
    for point, yes in ((0.0, 16), (2.0, 13), (6.0, 9), (11.9, 6)):
        add(point, "rmdq", (1,) * yes + (0,) * (24 - yes))
    goals = tuple(Goal(at=start, text=text, id=i + 1) for i, text in enumerate(GOALS))
    return tuple(measures), goals


# each activity with its first and latest rating, cut at a word's end to 24 characters
PSFS_LINE = (
    "PSFS 3.7 (first 2, +1.7: no meaningful change): “walk the dog for thirty…” 2 → 5, "
    "“sit through a whole film…” 3 → 3, “lift my daughter into…” 1 → 3"
)


def busy_month_with_measures(db_path: Path) -> ReportData:
    """What `services.exports.report(days=30)` builds, with the 12 weeks of measures added."""
    from backcare.domain.episodes import course
    from backcare.domain.rules import evaluate
    from backcare.domain.summary import period, summarize, summary_load_range
    from backcare.services import _opened, _rules_history
    from backcare.store import repo

    fill_30_days(db_path)
    start, end = period(NOW, 30)
    since, until = summary_load_range(start, end, ZONE)
    with _opened(db_path, create=False) as store, store.read() as session:
        rules_history = _rules_history(session, NOW)
        history = repo.load_history(session, since=since, until=min(until, NOW))
        profile = repo.get_profile(session)
    measures, goals = twelve_weeks()
    # the episode began 12 weeks ago: pain every 5 days before the busy month (no 7-day gap)
    onset = NOW - timedelta(weeks=12)
    earlier = tuple(
        PainEntry(at=onset + timedelta(days=5 * k), pain=6, id=9000 + k)
        for k in range(12)
        if onset + timedelta(days=5 * k) < datetime(2026, 3, 1, tzinfo=ZONE)
    )

    def with_measures(h: History) -> History:
        return dataclasses.replace(h, pain=(*earlier, *h.pain), measures=measures, goals=goals)

    rules_history, history = with_measures(rules_history), with_measures(history)
    return report_data(
        history=history,
        profile=profile,
        flags=evaluate(rules_history, profile, NOW),
        summary=summarize(history, start, end, ZONE),
        course=course(rules_history, NOW),
        as_of=NOW,
        tz=ZONE,
    )


def test_the_report_names_the_phase_and_each_questionnaire(db_path: Path) -> None:
    data = busy_month_with_measures(db_path)
    assert data.episode is not None and data.episode.phase == "subacute"  # exactly 12 weeks
    assert data.measures == (
        "STarT Back low risk (3 of 9, psychosocial 2 of 5)",
        "RMDQ 6 (first 16, -10: meaningfully better)",
        PSFS_LINE,
    )
    page = render_html(data)
    assert (
        "<b>Questionnaires (change since the first score):</b> "
        "STarT Back low risk (3 of 9, psychosocial 2 of 5); RMDQ 6 (first 16, -10: "
        f"meaningfully better); {PSFS_LINE}."
    ) in page
    assert "In the subacute phase (6 to 12 weeks)." in page
    assert "STarT Back: low risk" in page  # the low-risk tip is a flag of the report
    md = " ".join(render_markdown(data).split())  # the Markdown wraps at 80 columns
    assert "- **Questionnaires (change since the first score):** STarT Back low risk" in md
    assert f"RMDQ 6 (first 16, -10: meaningfully better); {PSFS_LINE}." in md


def test_no_questionnaire_section_without_a_score(db_path: Path) -> None:
    data = dataclasses.replace(busy_month_with_measures(db_path), measures=())
    assert "Questionnaires" not in render_html(data)
    assert "Questionnaires" not in render_markdown(data)
    assert 'viewBox="0 0 720 136"' in render_html(data)  # the chart keeps its usual height


@pytest.mark.slow
def test_the_report_with_twelve_weeks_of_measures_prints_on_one_page(
    db_path: Path, tmp_path: Path
) -> None:
    browser = chromium()
    page = render_html(busy_month_with_measures(db_path))
    assert "Questionnaires (change since the first score):" in page
    assert 'viewBox="0 0 720 100"' in page  # the chart gives up the room for their line
    for name, css, size in (
        ("letter", "", (612, 792)),
        ("a4", "@page { size: A4; }", (595, 842)),
    ):
        html = tmp_path / f"report-{name}.html"
        html.write_text(with_font(page, css), "utf-8")
        pdf = print_to_pdf(browser, html, tmp_path, name)
        if fonts(pdf) != {FONT_PS}:
            pytest.skip(f"Liberation Sans is not installed: PDF fonts {sorted(fonts(pdf))}")
        assert paper(pdf) == size
        assert pdf_pages(pdf) == 1, f"{name}: the report with measures runs over one page"


def store_twelve_weeks(run: Run) -> None:
    """`twelve_weeks()` stored through the real CLI: pain every 5 days from the onset (one
    episode up to the busy month), the three activities, then each questionnaire."""
    measures, goals = twelve_weeks()
    onset = NOW - timedelta(weeks=12)
    day = onset
    while day < datetime(2026, 3, 1, tzinfo=ZONE):
        assert run("log", "6", "--at", day.strftime("%Y-%m-%d %H:%M")).exit_code == 0
        day += timedelta(days=5)
    for goal in goals:
        at = goal.at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
        assert run("goals", "add", goal.text, "--at", at).exit_code == 0
    for m in measures:
        answers = ",".join(str(a) for a in m.answers)
        at = m.at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M")
        result = run("measure", m.instrument, "--answers", answers, "--at", at)
        assert result.exit_code == 0, result.stderr


@pytest.mark.slow
def test_the_cli_report_with_twelve_stored_weeks_of_measures_prints_on_one_page(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    """The same 12 weeks, stored by `backcare measure` and read back by `backcare report`
    (the report service's own loading), HTML on one page (Letter and A4) and Markdown."""
    browser = chromium()
    fill_30_days(db_path)
    store_twelve_weeks(run)
    out = tmp_path / "report.html"
    result = run("report", "--days", "30", "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    page = out.read_text("utf-8")
    assert "In the subacute phase (6 to 12 weeks)." in page  # exactly 12 weeks
    # what the stored measures give is what the in-memory ones gave (the test above)
    assert (
        "<b>Questionnaires (change since the first score):</b> "
        "STarT Back low risk (3 of 9, psychosocial 2 of 5); RMDQ 6 (first 16, -10: "
        f"meaningfully better); {PSFS_LINE}."
    ) in page
    for name, css, size in (
        ("letter", "", (612, 792)),
        ("a4", "@page { size: A4; }", (595, 842)),
    ):
        html = tmp_path / f"report-{name}.html"
        html.write_text(with_font(page, css), "utf-8")
        pdf = print_to_pdf(browser, html, tmp_path, name)
        if fonts(pdf) != {FONT_PS}:
            pytest.skip(f"Liberation Sans is not installed: PDF fonts {sorted(fonts(pdf))}")
        assert paper(pdf) == size
        assert pdf_pages(pdf) == 1, f"{name}: the report with stored measures runs over one page"

    md_path = tmp_path / "report.md"
    result = run("report", "--days", "30", "--as-of", AS_OF, "-o", str(md_path))
    assert result.exit_code == 0, result.stderr
    md = " ".join(md_path.read_text("utf-8").split())  # the Markdown wraps at 80 columns
    assert "- **Questionnaires (change since the first score):** STarT Back low risk" in md
    assert f"RMDQ 6 (first 16, -10: meaningfully better); {PSFS_LINE}." in md
    assert "In the subacute phase (6 to 12 weeks)." in md
