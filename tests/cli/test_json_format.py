"""One JSON format (issue 19): every `--json` output goes through backcare/jsonfmt.py.

Each command's output is parsed, then serialized again with `jsonfmt.dumps` (or, for the
streamed history list, `jsonfmt.json_list`): the bytes must be the same, so a command that
indents, escapes non-ASCII or spaces its separators on its own fails here. Real CLI, real
SQLite file, fixed times.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

import pytest

from backcare.jsonfmt import JSONObject, dumps, json_list
from tests.conftest import Run

AS_OF = "2026-03-03 20:00"
NOTE = "après le déménagement, ça tire"  # non-ASCII stays as it is


@pytest.fixture
def logged(run: Run) -> Run:
    steps = [
        ("log", "6", "--spasms", "2", "--note", NOTE, "--at", "2026-03-02 08:00"),
        ("log", "5", "--at", "2026-03-03 08:00"),
        ("treat", "medication", "--drug", "ibuprofen", "--dose", "400", "--at", "2026-03-03 08:05"),
        ("symptom", "fever", "--note", "38.2 °C", "--at", "2026-03-03 09:00"),
        ("meds", "prescribe", "naproxen", "--dose", "500", "--every", "12", "--from",
         "2026-03-01", "--note", NOTE),
        ("profile", "set", "--name", "Zoë Ångström", "--birth-year", "1970"),
    ]  # fmt: skip
    for args in steps:
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return run


COMMANDS = [
    ("check", "--json", "--as-of", AS_OF),
    ("status", "--json", "--as-of", AS_OF),
    ("summary", "--json", "--from", "2026-03-01", "--to", "2026-03-03"),
    ("remind", "--json", "--as-of", AS_OF),
    ("profile", "show", "--json"),
    ("meds", "list", "--json"),
    ("db", "check", "--json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_json_output_is_the_one_format(logged: Run, args: tuple[str, ...]) -> None:
    result = logged(*args)
    assert result.exit_code in (0, 3), result.stderr  # 3: check found flags
    parsed = json.loads(result.stdout)
    assert result.stdout == dumps(parsed) + "\n"
    assert "\n" not in result.stdout.rstrip("\n")  # one line


def test_history_json_is_the_one_streamed_list(logged: Run) -> None:
    result = logged("history", "--json", "--from", "2026-03-01", "--to", "2026-03-03")
    assert result.exit_code == 0, result.stderr
    parsed = json.loads(result.stdout)
    assert len(parsed) == 4  # 2 pain entries, the medicine, the symptom
    assert result.stdout == "".join(json_list(parsed))
    assert NOTE in result.stdout and "38.2 °C" in result.stdout  # UTF-8, not \\u escapes


def test_non_ascii_is_written_as_it_is(logged: Run) -> None:
    out = logged("profile", "show", "--json").stdout
    assert "Zoë Ångström" in out and "\\u" not in out
    out = logged("meds", "list", "--json").stdout
    assert NOTE in out


def test_the_values_json_has_no_type_for() -> None:
    london = timezone(timedelta(hours=1))
    value: JSONObject = {
        "at": datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        "local": datetime(2026, 6, 2, 9, 30, tzinfo=london),
        "day": date(2026, 3, 2),
        "time": time(8, 0),
        "seconds": time(8, 0, 30),
        "mean": Fraction(11, 2),
        "dose": Decimal("0.5"),
        "codes": frozenset({"fever", "bladder"}),
        "pair": (1, 2),
    }
    assert dumps(value) == (
        '{"at":"2026-03-02T08:00:00+00:00","local":"2026-06-02T09:30:00+01:00",'
        '"day":"2026-03-02","time":"08:00","seconds":"08:00:30","mean":5.5,"dose":0.5,'
        '"codes":["bladder","fever"],"pair":[1,2]}'
    )


@pytest.mark.parametrize("bad", [math.nan, math.inf, object()])
def test_what_is_not_json_is_refused(bad: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        dumps({"x": bad})  # type: ignore[dict-item]  # deliberately not JSON


def test_an_empty_streamed_list() -> None:
    assert "".join(json_list([])) == "[]\n"
    assert json.loads("".join(json_list([{"a": 1}, {"b": "é"}]))) == [{"a": 1}, {"b": "é"}]
