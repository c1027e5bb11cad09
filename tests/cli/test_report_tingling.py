"""Issue 17: "Tingling or numbness? not recorded" although `symptom tingling --note ...` was
logged. Re-checked through the real CLI (symptom with and without a note, `--gone`, and a
check-in's answers stored through the service the interactive command calls): the report's
answer names what was recorded in the Markdown and the HTML report. Fixed times, no clock.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcare import services
from backcare.domain.symptoms import SYMPTOM_CODES
from tests.conftest import Run

AS_OF = "2026-03-12 20:00"
Q = "Tingling or numbness?"


def answer(run: Run, tmp_path: Path) -> tuple[str, str]:
    """The tingling answer in the Markdown report and in the HTML report (tags dropped)."""
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    for path, kind in ((md, "md"), (page, "html")):
        result = run("report", "--days", "14", "--as-of", AS_OF, "--format", kind, "-o", str(path))
        assert result.exit_code == 0, result.stderr
    text = " ".join(md.read_text("utf-8").split())
    found = re.search(rf"\*\*{re.escape(Q)}\*\* (.*?) - \*\*", text)
    assert found, text
    body = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text("utf-8")))
    body = " ".join(body.split())
    at = body.index(Q) + len(Q)
    return found.group(1), body[at : at + 300].strip()


@pytest.fixture
def logged(run: Run) -> Run:
    assert run("log", "5", "--at", "2026-03-10 08:00").exit_code == 0
    return run


def test_tingling_with_a_note_is_recorded(logged: Run, tmp_path: Path) -> None:
    r = logged("symptom", "tingling", "--note", "left foot pins", "--at", "2026-03-10 09:00")
    assert r.exit_code == 0, r.stderr
    md, page = answer(logged, tmp_path)
    for text in (md, page):
        assert "not recorded" not in text.split("Weak")[0]
        assert text.startswith("leg-numbness: reported 10 Mar")
        assert "left foot pins" in text


def test_tingling_without_a_note_is_recorded(logged: Run, tmp_path: Path) -> None:
    assert logged("symptom", "tingling", "--at", "2026-03-10 09:00").exit_code == 0
    md, page = answer(logged, tmp_path)
    assert md == "leg-numbness: reported 10 Mar"
    assert page.startswith("leg-numbness: reported 10 Mar")


def test_tingling_gone_is_recorded_as_absent(logged: Run, tmp_path: Path) -> None:
    assert logged("symptom", "pins and needles", "--at", "2026-03-10 09:00").exit_code == 0
    gone = logged("symptom", "tingling", "--gone", "--note", "gone", "--at", "2026-03-11 09:00")
    assert gone.exit_code == 0, gone.stderr
    md, _ = answer(logged, tmp_path)
    assert md.startswith("leg-numbness: reported 10 Mar; reported absent 11 Mar")


def test_only_gone_is_an_answer_too(logged: Run, tmp_path: Path) -> None:
    assert logged("symptom", "tingling", "--gone", "--at", "2026-03-11 09:00").exit_code == 0
    md, _ = answer(logged, tmp_path)
    assert md == "leg-numbness: reported absent 11 Mar"


def test_checkin_answers_are_recorded(logged: Run, db_path: Path, tmp_path: Path) -> None:
    at = datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    services.log_checkin(db_path, at=at, asked=SYMPTOM_CODES, present=("leg-numbness",), now=at)
    md, page = answer(logged, tmp_path)
    assert "not recorded" not in md
    assert "leg-numbness: reported 11 Mar" in md
    assert "leg-numbness: reported 11 Mar" in page


def test_nothing_logged_is_not_recorded(logged: Run, tmp_path: Path) -> None:
    md, _ = answer(logged, tmp_path)
    assert md.startswith("_not recorded")
