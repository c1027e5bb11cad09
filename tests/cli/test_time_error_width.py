"""Every error of the time grammar (--at, --as-of, --from, --to) fits a terminal of 80
columns in at most two lines: the message and one hint (the `--at` hint was one line of
about 220 characters). The typed text is repeated cut short (domain/when.py `echo`)."""

from __future__ import annotations

import pytest

from tests.conftest import Run

LONG = "yesterday at half past seven in the evening or so, I think"  # 58 characters


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


@pytest.mark.parametrize(
    "args",
    [
        ("log", "5", "--at", "blah"),
        ("log", "5", "--at", LONG),
        ("log", "5", "--at", "32 Nov"),
        ("log", "5", "--at", "25:00"),
        ("log", "5", "--at", "2026-13-01 08:00"),
        ("log", "5", "--at", "11/03 08:00"),  # month/day or day/month?
        ("log", "5", "--at", "1850-01-01 08:00"),  # before the earliest year
        ("log", "5", "--at", "9999-01-01 08:00"),
        ("log", "5", "--at", "2027-01-01 08:00"),  # in the future
        ("log", "5", "--at", "2026-03-29 01:30"),  # the clocks jump over it (Europe/London)
        ("log", "5", "--at", "-90000d"),
        ("treat", "ice", "--at", LONG),
        ("status", "--as-of", LONG),
        ("remind", "--as-of", "nope"),
        ("history", "--from", LONG),
        ("history", "--from", "bogus", "--to", "today"),
        ("history", "--to", "31 Feb"),
        ("history", "--from", "1850-01-01"),
        ("summary", "--from", "11/03"),
    ],
)
def test_a_time_error_is_two_lines_of_at_most_80_columns(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, (args, result.stdout)
    lines = result.stderr.rstrip("\n").splitlines()
    assert 1 <= len(lines) <= 2, result.stderr
    assert max(len(line) for line in lines) <= 80, result.stderr
    assert result.stderr.startswith("backcare: error: ")
