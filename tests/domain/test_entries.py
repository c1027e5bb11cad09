"""The entry declarations (domain/entries.py) and what is derived from them."""

from __future__ import annotations

from backcare.cli.records import EDIT_OPTIONS
from backcare.domain import entries, inputs
from backcare.export import derive
from backcare.export.csv_export import COLUMNS, TEXT_COLUMNS
from tests.conftest import Run


def test_every_editable_field_has_its_edit_option_and_check() -> None:
    for kind in entries.KINDS:
        for spec in kind.editable:
            assert EDIT_OPTIONS.get(spec.flag) == spec.name, f"{kind.letter}.{spec.name}"
            assert spec.name == "at" or spec.name in inputs.EDIT_CHECKS, spec.name
    declared = {spec.name for kind in entries.KINDS for spec in kind.editable}
    assert set(EDIT_OPTIONS.values()) == declared


def test_every_declared_event_field_has_a_csv_column() -> None:
    for kind in entries.EVENT_KINDS:
        for spec in kind.fields:
            assert spec.csv_name in COLUMNS, spec.name
    assert COLUMNS[: len(derive.CSV_LEAD)] == derive.CSV_LEAD
    assert len(set(COLUMNS)) == len(COLUMNS)
    assert {"note", "drug", "location", "uid", "product"} <= TEXT_COLUMNS


def test_json_keys_keep_the_published_order() -> None:
    assert entries.json_keys(entries.PAIN) == (
        "type", "uid", "at", "created_at", "deleted_at",
        "pain", "spasms", "location", "radiates", "note",
    )  # fmt: skip
    assert entries.json_keys(entries.ACK)[:3] == ("uid", "rule", "at")


def test_a_field_edit_does_not_take_names_its_option_and_kind(run: Run) -> None:
    assert run("log", "5", "--at", "2026-03-16 08:00").exit_code == 0
    result = run("edit", "p1", "--dose", "5")
    assert result.exit_code == 2
    assert "--dose does not apply to pain entries" in result.stderr
    assert "dose_mg" not in result.stderr


def test_edit_help_lists_what_each_kind_lets_you_change(run: Run) -> None:
    text = " ".join(run("edit", "--help").stdout.split())
    for kind in entries.KINDS:
        if kind.editable:
            flags = ", ".join(spec.flag for spec in kind.editable)
            assert f"{kind.label} ({kind.letter}): {flags}" in text


def test_fhir_maps_every_declared_event_kind() -> None:
    from backcare.export.fhir import MAPPINGS

    assert set(MAPPINGS) == {kind.letter for kind in entries.EVENT_KINDS}
