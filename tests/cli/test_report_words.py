"""The visit report says the same thing in HTML and Markdown, and the workbook says it in
the report's words (issue 19: the words live in messages.py, once for every format).

Moving the words into messages.py showed three places where they disagreed: the Markdown
said "1 earlier notes not shown" (the HTML counted right); an empty symptoms section read
"None reported in this period." in HTML but "No warning-sign symptom reported in this
period." in Markdown; and the workbook's document comment ("Self-reported, not a
diagnosis.") was a second wording of the report's first line.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from tests.conftest import Run

AS_OF = "2026-03-20 12:00"


def _report(run: Run, tmp_path: Path, fmt: str) -> str:
    out = tmp_path / f"visit.{fmt}"
    result = run("report", "--days", "30", "--as-of", AS_OF, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_text("utf-8")


def _html_text(page: str) -> str:
    """The page's text on one line: tags dropped, entities read, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize(
    ("notes", "said"), [(12, "1 earlier note not shown"), (13, "2 earlier notes not shown")]
)
def test_the_notes_left_out_are_counted_in_words_in_both_formats(
    run: Run, tmp_path: Path, notes: int, said: str
) -> None:
    # The 3 newest pain notes are quoted under "How does the pain feel?", the Notes section
    # shows the 8 newest of the rest: 12 notes leave 1 out, 13 leave 2.
    for day in range(1, notes + 1):
        at = f"2026-03-{day:02d} 09:00"
        assert run("log", "4", "--note", f"note {day}", "--at", at).exit_code == 0
    markdown = " ".join(_report(run, tmp_path, "md").split())
    page = _html_text(_report(run, tmp_path, "html"))
    assert f"_{said}._" in markdown
    assert f"{said}." in page


def test_an_empty_symptoms_section_reads_the_same_in_both_formats(run: Run, tmp_path: Path) -> None:
    assert run("log", "5", "--at", "2026-03-19 09:00").exit_code == 0
    markdown = _report(run, tmp_path, "md")
    page = _report(run, tmp_path, "html")
    heading = "Warning-sign symptoms reported"
    md_said = markdown.split(f"## {heading}\n\n", 1)[1].split("\n", 1)[0]
    html_said = re.search(rf"<h2>{heading}</h2>\s*<p class=\"none\">([^<]*)</p>", page)
    assert html_said is not None, page
    assert md_said == f"_{html.unescape(html_said.group(1))}_"


def test_the_workbook_says_self_reported_in_the_reports_words(run: Run, tmp_path: Path) -> None:
    """The workbook's document comment was a second wording of the report's first line."""
    import openpyxl

    assert run("log", "5", "--at", "2026-03-19 09:00").exit_code == 0
    book = tmp_path / "log.xlsx"
    assert run("export", "xlsx", "-o", str(book)).exit_code == 0
    comment = openpyxl.load_workbook(book).properties.description
    first_line = _report(run, tmp_path, "md").split("\n")[2]  # "**Self-reported ...**"
    assert first_line == f"**{comment}**"
