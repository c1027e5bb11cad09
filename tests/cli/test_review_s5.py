"""Defects found by the session-5 review (PEG retired, `db check` before Typer, the fast
importer), each through the real CLI on a real SQLite file."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest

from tests.conftest import Run


@pytest.fixture
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a terminal (a test worker may ignore it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _ctrl_c_in_sql_function(monkeypatch: pytest.MonkeyPatch, at_call: int) -> None:
    """A real SIGINT (Ctrl-C) delivered while SQLite calls back into Python (the text rule
    of `db check`), as when it lands during the row scan (most of a check's time):
    Python's handler raises KeyboardInterrupt inside the SQL function."""
    from backcare.domain import values

    real = values.text_problem
    calls = [0]

    def text_problem(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == at_call:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(values, "text_problem", text_problem)


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
@pytest.mark.parametrize("at_call", [1, 2, 3])
@pytest.mark.parametrize("full", [[], ["--full"]])
def test_ctrl_c_during_db_check_is_an_interruption(
    run: Run, monkeypatch: pytest.MonkeyPatch, at_call: int, full: list[str]
) -> None:
    for hour in ("08:00", "09:00", "10:00"):
        assert run("log", "4", "--at", f"2026-03-01 {hour}", "--note", "stiff").exit_code == 0
    _ctrl_c_in_sql_function(monkeypatch, at_call)
    result = run("db", "check", *full)
    # Not "sound" (the check did not finish), not "unreadable": exit 130, said once.
    assert (result.exit_code, result.stdout) == (130, ""), (result.stdout, result.stderr)
    assert result.stderr.strip().splitlines() == [
        "backcare: error: interrupted; nothing was half-written"
    ]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    monkeypatch.undo()
    assert run("db", "check", *full).exit_code == 0
