"""The report's questionnaire lines through the real CLI (issue 16 leftovers):

- the PSFS line names each activity rated (user text: escaped in HTML, literal in Markdown)
  with its first and latest rating;
- a questionnaire of the report's period taken in an EARLIER episode is shown, marked as
  such, while the stratified advice follows the current episode's latest STarT Back only.
"""

from __future__ import annotations

import html
from pathlib import Path

from tests.conftest import Run

AS_OF = "2026-11-25 10:00"


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def _report(run: Run, tmp_path: Path, suffix: str) -> str:
    out = tmp_path / f"report{suffix}"
    ok(run, "report", "--days", "30", "--as-of", AS_OF, "-o", str(out))
    return out.read_text("utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_psfs_line_names_each_activity_with_its_first_and_latest_rating(
    run: Run, tmp_path: Path
) -> None:
    ok(run, "log", "6", "--at", "2026-11-10 08:00")
    ok(run, "goals", "add", "walk the dog", "--at", "2026-11-10 08:00")
    ok(run, "goals", "add", "<b>lift</b> & *box*", "--at", "2026-11-10 08:00")
    ok(run, "measure", "psfs", "--answers", "2,3", "--at", "2026-11-11 09:00")
    for day in (14, 18, 22):  # one episode: never 7 days without pain
        ok(run, "log", "4", "--at", f"2026-11-{day} 08:00")
    ok(run, "measure", "psfs", "--answers", "5,4", "--at", "2026-11-18 09:00")
    page = _report(run, tmp_path, ".html")
    assert "“walk the dog” 2 → 5" in page
    assert f"“{html.escape('<b>lift</b> & *box*', quote=False)}” 3 → 4" in page
    assert "<b>lift</b>" not in page
    md = _flat(_report(run, tmp_path, ".md"))
    assert "“walk the dog” 2 → 5" in md
    assert r"“\<b\>lift\</b\> \& \*box\*” 3 → 4" in md


def test_a_startback_of_an_earlier_episode_in_the_period_is_shown_marked(
    run: Run, tmp_path: Path
) -> None:
    """Episode 1 (4-6 Nov) with a high-risk STarT Back; 14 days without pain; episode 2 from
    20 Nov. The report's 30 days hold both: the STarT Back is shown, marked as an earlier
    episode's, and the high-risk advice does not follow it into episode 2."""
    ok(run, "log", "6", "--at", "2026-11-04 08:00")
    ok(run, "measure", "startback", "--answers", "1,0,0,0,1,1,1,0,4", "--at", "2026-11-05 09:00")
    ok(run, "log", "5", "--at", "2026-11-06 08:00")
    ok(run, "log", "7", "--at", "2026-11-20 08:00")  # 14 days later: a new episode
    ok(
        run,
        "measure",
        "rmdq",
        "--answers",
        ",".join("1" * 10 + "0" * 14),
        "--at",
        "2026-11-21 09:00",
    )
    for suffix in (".md", ".html"):
        text = _flat(_report(run, tmp_path, suffix))
        if suffix == ".md":
            text = text.replace("\\", "")
        assert "STarT Back high risk (5 of 9, psychosocial 4 of 5)" in text, suffix
        assert "earlier episode" in text, suffix
        assert "on 5 Nov (an earlier episode, from 4 Nov; a risk group belongs" in text, suffix
        assert "risk.startback-high" not in text and "high risk of a long-lasting" not in text


def test_a_startback_of_the_current_episode_is_not_marked(run: Run, tmp_path: Path) -> None:
    ok(run, "log", "6", "--at", "2026-11-20 08:00")
    ok(run, "measure", "startback", "--answers", "1,0,0,0,1,1,1,0,4", "--at", "2026-11-21 09:00")
    text = _flat(_report(run, tmp_path, ".md")).replace("\\", "")
    assert "STarT Back high risk (5 of 9, psychosocial 4 of 5)" in text
    assert "earlier episode" not in text


def test_the_advice_follows_the_current_episodes_startback_only(run: Run, tmp_path: Path) -> None:
    """High risk in episode 1, low risk in episode 2: both shown, the earlier one marked;
    the flags are the low-risk tip of episode 2, never the high-risk advice."""
    ok(run, "log", "6", "--at", "2026-11-04 08:00")
    ok(run, "measure", "startback", "--answers", "1,0,0,0,1,1,1,0,4", "--at", "2026-11-05 09:00")
    ok(
        run,
        "measure",
        "rmdq",
        "--answers",
        ",".join("1" * 5 + "0" * 19),
        "--at",
        "2026-11-05 09:05",
    )
    ok(run, "log", "7", "--at", "2026-11-20 08:00")
    ok(run, "measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", "2026-11-21 09:00")
    text = _flat(_report(run, tmp_path, ".md")).replace("\\", "")
    assert "STarT Back low risk (0 of 9, psychosocial 0 of 5);" in text
    assert "RMDQ 5 on 5 Nov (an earlier episode, from 4 Nov)" in text
    assert "STarT Back high risk (5 of 9, psychosocial 4 of 5) on 5 Nov (an earlier episode" in text
    assert "STarT Back: low risk" in text  # the current episode's tip
    assert "high risk of a long-lasting" not in text
