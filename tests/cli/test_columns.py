"""Issue 15, "80 columns": plain output fits 80 columns; prose uses up to 100 when wider."""

from __future__ import annotations

import pytest

from tests.conftest import Run


def _log(run: Run) -> None:
    run(
        "log", "6", "--spasms", "2", "--where", "lower", "--radiates", "thigh",
        "--note", "a fairly long note about lifting a heavy box in the garden shed",
        "--at", "2026-03-02 09:00",
    )  # fmt: skip
    run("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-02 10:00")
    run("symptom", "fever", "--note", "38.2 °C", "--at", "2026-03-02 11:00")


@pytest.mark.parametrize(
    "args",
    [
        ("rules",),
        ("summary", "--from", "2026-02-01", "--to", "2026-03-02"),
        ("history", "--from", "2026-03-01", "--to", "2026-03-02"),
    ],
)
def test_fits_80_columns(run: Run, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _log(run)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80


def test_rules_prose_uses_up_to_100_columns_when_wider(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    widths = [len(line) for line in run("rules").stdout.splitlines()]
    assert max(widths) == 100
    assert sum(1 for w in widths if w > 80) > 5  # the extra width is used, not left empty


def test_report_markdown_prose_fits_80_columns(run: Run) -> None:
    _log(run)
    md = run("report", "--format", "md", "--days", "7", "--as-of", "2026-03-02 12:00").stdout
    prose = [line for line in md.splitlines() if not line.startswith("|")]
    assert max(len(line) for line in prose) <= 80
    # Wrapped, not cut: the fever flag's advice and the note are still all there.
    joined = " ".join(line.strip() for line in prose)
    assert "back pain with a fever can be a sign of an infection" in joined
    assert "a fairly long note about lifting a heavy box in the garden shed" in joined
