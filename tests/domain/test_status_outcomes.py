"""`status` with questionnaires (issue 16): the phase, each measure's latest score with its
verdict, and the measures due, in the view, in `status --json` and on the screen.

Storage of measures comes from the measures branch; until the merge these tests build the
History in the domain and draw it with the real renderer (cli/render.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.cli import render
from backcare.domain.model import History, Measure, PainEntry, Profile
from backcare.domain.outcomes import ACUTE, BETTER, CHRONIC, PEG, RMDQ, STARTBACK, SUBACUTE
from backcare.domain.rules import evaluate
from backcare.domain.status import status_as_dict, status_view
from backcare.services import StatusResult

LON = ZoneInfo("Europe/London")
ONSET = datetime(2026, 1, 5, 9, 0, tzinfo=LON)


def day(n: float) -> datetime:
    return ONSET + timedelta(days=n)


def pains(days: int) -> tuple[PainEntry, ...]:
    return tuple(PainEntry(at=day(d), pain=5, id=d + 1) for d in range(days + 1))


MEASURES = (
    Measure(at=day(1), instrument=STARTBACK, answers=(1, 1, 0, 0, 1, 1, 1, 0, 0), id=1),
    Measure(at=day(1), instrument=RMDQ, answers=(1,) * 12 + (0,) * 12, id=2),
    Measure(at=day(1), instrument=PEG, answers=(7, 7, 7), id=3),
    Measure(at=day(14), instrument=RMDQ, answers=(1,) * 7 + (0,) * 17, id=4),
    Measure(at=day(14), instrument=PEG, answers=(6, 6, 7), id=5),
)


def view_at(history: History, as_of: datetime):  # type: ignore[no-untyped-def]
    flags = evaluate(history, Profile(), as_of)
    return status_view(history, Profile(), flags, as_of)


@pytest.mark.parametrize(
    ("days", "phase"), [(1, ACUTE), (42, SUBACUTE), (84, SUBACUTE), (85, CHRONIC)]
)
def test_status_view_names_the_phase(days: int, phase: str) -> None:
    assert view_at(History(pain=pains(days)), day(days)).phase == phase


def test_no_phase_without_an_episode() -> None:
    assert view_at(History(), day(1)).phase is None


def test_status_view_carries_the_changes_and_what_is_due() -> None:
    history = History(pain=pains(15), measures=MEASURES)
    view = view_at(history, day(15))
    by = {c.instrument: c for c in view.outcomes}
    assert by[RMDQ].verdict == BETTER and by[RMDQ].delta == -5
    assert by[PEG].verdict is None and by[STARTBACK].latest.risk == "medium"
    # day 15: STarT Back week 2 is due (the start score does not meet it), RMDQ week 2 met
    assert [(d.instrument, d.point) for d in view.measures_due] == [(STARTBACK, "week-2")]


def test_status_json_has_phase_measures_and_due() -> None:
    history = History(pain=pains(15), measures=MEASURES)
    data = json.loads(json.dumps(status_as_dict(view_at(history, day(15)))))
    assert data["phase"] == "acute"
    rmdq = next(m for m in data["measures"] if m["instrument"] == "rmdq")
    assert rmdq["first"]["score"] == 12 and rmdq["latest"]["score"] == 7
    assert rmdq["change"] == -5 and rmdq["verdict"] == "better" and rmdq["latest"]["id"] == "m4"
    assert data["due"]["measures"] == [
        {"instrument": "startback", "point": "week-2", "optional": False}
    ]


def test_status_screen_shows_phase_scores_verdicts_and_due(
    capsys: pytest.CaptureFixture[str],
) -> None:
    history = History(pain=pains(15), measures=MEASURES)
    view = view_at(history, day(15))
    render.status(StatusResult(view=view, tip=None), LON, rich=False)
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert "In the acute phase (under 6 weeks)." in lines
    at = lines.index("Questionnaires (this episode):")
    assert lines[at + 1 : at + 6] == [
        # a PEG stored before it was retired: shown, labelled
        "  - PEG (no longer asked) 6.3 on 2026-01-19: -0.7 since the first score, 7 (no",
        "    published threshold confirmed for a verdict)",
        "  - STarT Back on 2026-01-06: medium risk (total 5 of 9, psychosocial 3 of 5)",
        "  - Roland-Morris (RMDQ) 7 on 2026-01-19: meaningfully better since the first",
        "    score, 12 (-5)",
    ]
    assert "  - questionnaire: STarT Back (week 2) (backcare measure startback)" in lines
    assert max(len(line) for line in lines) <= 80
