"""80-column snapshots of `history`, `rules`, `summary` and `report` (issue 15), and of
`edit --help` and `profile set --help`, whose options are built from the declarations
(issue 19).

Each command's whole output, on a fixed log, fixed dates (`--from/--to`, `--as-of`), the
zone of tests/conftest.py and COLUMNS=80, is compared with its file in tests/snapshots/.
Every line must also fit 80 columns.

To update after an intended change, run

    BACKCARE_UPDATE_SNAPSHOTS=1 python -m pytest tests/cli/test_snapshots.py

and read the diff of tests/snapshots/ before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Run

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
UPDATE = os.environ.get("BACKCARE_UPDATE_SNAPSHOTS") == "1"


def _log(run: Run) -> None:
    """A fortnight: an episode with notes, spasms, medicines, self-care, symptoms."""
    steps = [
        ("log", "7", "--spasms", "3", "--where", "lower", "--radiates", "thigh",
         "--note", "lifted a heavy box in the garden shed, sharp pain", "--at", "2026-03-02 09:00"),
        ("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-02 09:30"),
        ("treat", "heat", "--minutes", "20", "--relief", "3", "--at", "2026-03-02 12:00"),
        ("log", "6", "--spasms", "2", "--at", "2026-03-02 20:00"),
        ("treat", "Tylenol Extra Strength", "--tablets", "2", "--at", "2026-03-03 08:00"),
        ("symptom", "leg-numbness", "--note", "left calf, on and off", "--at", "2026-03-03 10:00"),
        ("log", "6", "--spasms", "1", "--at", "2026-03-04 09:00"),
        ("treat", "walking", "--minutes", "30", "--at", "2026-03-04 17:00"),
        ("treat", "cyclobenzaprine", "--dose", "5", "--at", "2026-03-04 21:00"),
        ("log", "5", "--spasms", "0", "--note", "stiff in the morning", "--at", "2026-03-06 08:00"),
        ("symptom", "leg-numbness", "--gone", "--at", "2026-03-07 09:00"),
        ("treat", "stretching", "--minutes", "10", "--relief", "4", "--at", "2026-03-07 18:00"),
        ("log", "4", "--at", "2026-03-09 09:00"),
        ("log", "3", "--where", "lower", "--at", "2026-03-12 09:00"),
    ]  # fmt: skip
    for args in steps:
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)


COMMANDS: dict[str, tuple[str, ...]] = {
    "history": ("history", "--from", "2026-03-01", "--to", "2026-03-14"),
    "rules": ("rules",),
    "summary": ("summary", "--from", "2026-03-01", "--to", "2026-03-14"),
    "report": ("report", "--format", "md", "--days", "14", "--as-of", "2026-03-14 12:00"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_snapshot_at_80_columns(run: Run, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _log(run)
    result = run(*COMMANDS[name])
    assert result.exit_code == 0, result.stderr
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert too_wide == []
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE:
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with BACKCARE_UPDATE_SNAPSHOTS=1"
    assert result.stdout == path.read_text(encoding="utf-8")


HELP_SNAPSHOTS = {"edit-help": ("edit", "--help"), "profile-set-help": ("profile", "set", "--help")}


@pytest.mark.parametrize("name", HELP_SNAPSHOTS)
def test_derived_help_at_80_columns(run: Run, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """`edit`'s and `profile set`'s options are derived from domain/entries: this pins
    what a person reads."""
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*HELP_SNAPSHOTS[name])
    assert result.exit_code == 0, result.stderr
    path = SNAPSHOTS / f"{name}.txt"
    if UPDATE:
        path.write_text(result.stdout, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}: run with BACKCARE_UPDATE_SNAPSHOTS=1"
    assert result.stdout == path.read_text(encoding="utf-8")
