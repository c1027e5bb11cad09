"""The Markdown report's chart through a CommonMark renderer (markdown-it-py, Rich's own)."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt

from tests.conftest import Run

DAYS = 30


def _chart_block(markdown: str) -> list[str]:
    """The lines of the rendered chart: the <pre><code> block holding the pain line."""
    html = MarkdownIt("commonmark").render(markdown)
    blocks = re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", html, flags=re.S)
    charts = [b for b in blocks if "Pain" in b]
    assert len(charts) == 1, html
    return charts[0].rstrip("\n").split("\n")


def test_markdown_chart_keeps_its_width_and_lines_up(run: Run, tmp_path: Path) -> None:
    # No entry on the first three and last two days: blank edges, which inline code strips.
    for day in range(4, DAYS - 1):
        at = f"2026-03-{day:02d} 09:00"
        assert run("log", str(day % 10), "--spasms", str(day % 4), "--at", at).exit_code == 0
    out = tmp_path / "visit.md"
    result = run("report", "--days", str(DAYS), "--as-of", "2026-03-30 20:00", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    lines = _chart_block(out.read_text("utf-8"))
    pain = next(line for line in lines if line.startswith("Pain"))
    spasms = next(line for line in lines if line.startswith("Spasms"))
    assert len(pain) == len(spasms)  # one width: the labels are padded to one width
    label = pain[:-DAYS]
    assert label.endswith(" ") and label.strip() and spasms[:-DAYS].strip()
    logged = range(4, DAYS - 1)
    for index, day in enumerate(range(1, DAYS + 1)):
        # every day one column, blank edge days kept, the same day on both lines
        assert (pain[-DAYS:][index] != " ") == (day in logged), (day, pain)
        # a recorded 0 spasms is a low bar, not a blank: not recorded is not zero (issue 15)
        assert (spasms[-DAYS:][index] != " ") == (day in logged), (day, spasms)


def test_notes_of_every_kind_reach_the_report(run: Run, tmp_path: Path) -> None:
    long_note = "burning " * 40  # longer than a quoted note may be
    for args in (
        ("log", "6", "--note", "sharp when bending", "--at", "2026-03-20 08:00"),
        ("treat", "naproxen", "--dose", "220", "--note", "with food", "--at", "2026-03-20 09:00"),
        ("treat", "heat", "--minutes", "20", "--note", long_note, "--at", "2026-03-21 09:00"),
        ("symptom", "fever", "--note", "38.2 °C", "--at", "2026-03-22 10:00"),
    ):
        assert run(*args).exit_code == 0, args
    for fmt in ("md", "html"):
        out = tmp_path / f"visit.{fmt}"
        result = run("report", "--as-of", "2026-03-30 20:00", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.stderr
        text = out.read_text("utf-8")
        for note in ("sharp when bending", "with food", "38.2 °C"):
            assert note in text, (fmt, note)
        assert "burning burning" in text and long_note.strip() not in text  # cut to a limit
