"""The CLI's number checks are the declarations' bounds (issue 19): for every whole-number,
milligram and time-span field a kind declares (domain/entries.py), the command that sets it
accepts the declared bounds and refuses one step beyond them, storing nothing (exit 2).

The import and `db check` derive their checks from the same declarations; the CLI's
(domain/inputs) read them too, so a bound changed in one declaration moves all of them. The
fields come from the declarations: a new numeric field must join CLI or NO_OPTION here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backcare.domain import entries
from tests.conftest import Run, row_counts

AT = "2026-03-16 08:00"
DRUG = "zorblax"  # a medicine backcare does not know: no dose-typo check applies

NUMERIC = (entries.INT, entries.MG, entries.SPAN)
NUMERIC_FIELDS = [(k, s) for k in entries.KINDS for s in k.fields if s.form in NUMERIC]

# (kind letter, field) -> the command that sets it, V standing for the value.
CLI: dict[tuple[str, str], tuple[str, ...]] = {
    ("p", "pain"): ("log", "V", "--at", AT),
    ("p", "spasms"): ("log", "5", "--spasms", "V", "--at", AT),
    ("t", "dose_mg"): ("treat", "medication", "--drug", DRUG, "--unlisted", "--dose", "V",
                       "--at", AT),
    ("t", "minutes"): ("treat", "heat", "--minutes", "V", "--at", AT),
    ("t", "relief"): ("treat", "ice", "--relief", "V", "--at", AT),
    ("r", "dose_mg"): ("meds", "prescribe", DRUG, "--dose", "V", "--from", AT),
    ("r", "every"): ("meds", "prescribe", DRUG, "--every", "V", "--from", AT),
    ("r", "max_daily_mg"): ("meds", "prescribe", DRUG, "--max-daily", "V", "--from", AT),
}  # fmt: skip
NO_OPTION: frozenset[tuple[str, str]] = frozenset()


def _typed(spec: entries.Field, value: float) -> str:
    """How a person types `value` of the field: a time span in hours (`--every`)."""
    if spec.form == entries.SPAN:
        return f"{value / 60:.4f}"
    return f"{value:g}"


def _cases() -> list[tuple[str, str, str, bool]]:
    """(kind letter, field, typed value, accepted) at and beyond each declared bound."""
    out = []
    for kind, spec in NUMERIC_FIELDS:
        assert spec.low is not None and spec.high is not None, spec.name
        step = 1.0
        low = spec.low if spec.form != entries.MG else 0.5  # a dose is above 0 (low excluded)
        for value, ok in ((low, True), (spec.high, True), (spec.high + step, False)):
            out.append((kind.letter, spec.name, _typed(spec, value), ok))
        below = spec.low - step if spec.form == entries.INT else 0.0  # MG, SPAN: above 0
        out.append((kind.letter, spec.name, _typed(spec, below), False))
    return out


def test_every_numeric_field_is_set_by_a_command_or_listed() -> None:
    declared = {(k.letter, s.name) for k, s in NUMERIC_FIELDS}
    assert declared == set(CLI) | NO_OPTION
    assert not set(CLI) & NO_OPTION


@pytest.mark.parametrize(("letter", "name", "typed", "accepted"), _cases())
def test_the_cli_keeps_the_declared_bounds(
    run: Run, db_path: Path, letter: str, name: str, typed: str, accepted: bool
) -> None:
    args = tuple(typed if a == "V" else a for a in CLI[(letter, name)])
    result = run(*args)
    if accepted:
        assert result.exit_code == 0, (args, result.stderr)
    else:
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        counts = row_counts(db_path) if db_path.exists() else {}
        stored = {table: n for table, n in counts.items() if table in _TABLES and n}
        assert stored == {}, args


_TABLES = {kind.table for kind in entries.KINDS}


def test_every_kind_declares_one_note_limit() -> None:
    """`check_note` serves every kind's note (domain/inputs.NOTE_LIMIT)."""
    from backcare.domain import inputs

    limits = {s.limit for k in entries.KINDS for s in k.fields if s.name == "note"}
    assert limits == {inputs.NOTE_LIMIT}
