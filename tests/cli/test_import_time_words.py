"""The importer words the time problems `domain/values.time_problem` returns as codes
(issue 19: the domain returned the words themselves, the last literal outside messages.py).
Through the real CLI: an export of the CLI's own data, one time moved out of range."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcare import messages as msg
from backcare.domain import values
from tests.conftest import Run, row_counts


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("2999-01-01T08:00:00+00:00", "item 1 (events[0]), field 'at': is in the future"),
        ("1899-12-31T23:59:00+00:00", "item 1 (events[0]), field 'at': is before 1900"),
        ("1900-01-01T00:30:00+01:00", "item 1 (events[0]), field 'at': is before 1900"),
    ],
)
def test_an_event_time_out_of_range_is_worded_and_nothing_is_stored(
    run: Run, tmp_path: Path, at: str, said: str
) -> None:
    assert run("log", "6", "--at", "2026-11-01 08:00", "--note", "knee").exit_code == 0
    data = json.loads(run("export", "json").stdout)
    data["events"][0]["at"] = at
    hostile = tmp_path / "hostile.json"
    hostile.write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    result = run("import", str(hostile), db=fresh)
    assert result.exit_code == 2
    assert said in result.stderr
    assert values.TOO_EARLY not in result.stderr
    assert "knee" not in result.stderr
    assert not fresh.exists() or row_counts(fresh).get("pain_entry", 0) == 0


def test_the_codes_are_not_words() -> None:
    """The domain's codes are never what a person reads: each has its message."""
    words = {msg.IMPORT_TOO_EARLY.format(year=values.EARLIEST_YEAR), msg.IMPORT_IN_FUTURE}
    assert {values.TOO_EARLY, values.IN_FUTURE}.isdisjoint(words)
    assert " " not in values.TOO_EARLY + values.IN_FUTURE
