"""The entry declarations (domain/entries.py) and what is derived from them."""

from __future__ import annotations

import pytest

from backcare.domain import entries, inputs
from backcare.export import derive
from backcare.export.csv_export import COLUMNS, TEXT_COLUMNS
from tests.conftest import Run


def _edit_options() -> dict[str, str]:
    """The built `edit` command's options: "--where" (or "--gone/--present") -> parameter."""
    from typer.main import get_command

    from backcare.cli.records import app

    command = get_command(app).commands["edit"]  # type: ignore[attr-defined]
    options = {}
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            options["/".join((*param.opts, *param.secondary_opts))] = param.name
    return options


def test_edit_options_are_the_declared_editable_fields() -> None:
    """`edit` takes exactly one option per declared editable field, named by the declaration
    (built from domain/entries, not written out), and each has its input check."""
    declared = {spec.flag: spec.name for kind in entries.KINDS for spec in kind.editable}
    assert _edit_options() == declared
    for spec in entries.edit_fields():
        if spec.name != "at" and spec.form != entries.BOOL:
            assert spec.name in inputs.EDIT_CHECKS, spec.name
    assert set(inputs.EDIT_CHECKS) == {
        s.name for s in entries.edit_fields() if s.name != "at" and s.form != entries.BOOL
    }


def test_a_new_editable_field_becomes_an_edit_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """Declaring a field editable is all it takes for `edit` to offer it (the derivation
    is real: the signature is rebuilt from a changed declaration)."""
    from dataclasses import replace

    from backcare.cli import records

    spec = entries.TREATMENT.field("relaxant")
    changed = replace(spec, editable=True)
    fields = tuple(changed if f is spec else f for f in entries.TREATMENT.fields)
    treatment = replace(entries.TREATMENT, fields=fields)
    kinds = tuple(treatment if k is entries.TREATMENT else k for k in entries.KINDS)
    monkeypatch.setattr(entries, "KINDS", kinds)
    import typer
    from typer.main import get_command

    def edit(**typed: object) -> None:
        pass

    edit.__signature__ = records._edit_signature()  # type: ignore[attr-defined]
    app = typer.Typer()
    app.command()(edit)
    options = {tuple(p.opts): p.name for p in get_command(app).params}
    assert options[("--relaxant",)] == "relaxant"
    assert options[("--dose",)] == "dose_mg"


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


def test_the_new_entry_inputs_carry_the_declared_fields() -> None:
    """What the CLI builds (domain/inputs New*) is the declared kind's fields, no more: the
    checks that fill them read the same declarations (tests/test_declared_bounds.py)."""
    import dataclasses

    pairs = [
        (inputs.NewPain, entries.PAIN),
        (inputs.NewTreatment, entries.TREATMENT),
        (inputs.NewSymptom, entries.SYMPTOM),
        (inputs.NewPrescription, entries.PRESCRIPTION),
    ]
    for new, kind in pairs:
        names = {f.name for f in dataclasses.fields(new)}
        declared = {spec.key for spec in kind.fields}  # every_minutes: the export's name
        # a prescription is stopped by `meds stop`, never when it is written
        assert names == declared - {"stopped_at"}, new.__name__


def test_edit_gone_and_present_set_the_symptom_flag(run: Run) -> None:
    """The flag pair `--gone/--present` sets the declared field `present` (False, True)."""
    import json

    assert run("symptom", "fever", "--at", "2026-03-16 08:00").exit_code == 0

    def present() -> bool:
        result = run("history", "--from", "2026-03-16", "--to", "2026-03-16", "--json")
        (item,) = json.loads(result.stdout)
        return bool(item["present"])

    assert present() is True
    assert run("edit", "s1", "--gone").exit_code == 0
    assert present() is False
    assert run("edit", "s1", "--present").exit_code == 0
    assert present() is True
    assert run("log", "5", "--at", "2026-03-16 09:00").exit_code == 0
    refused = run("edit", "p1", "--gone")
    assert refused.exit_code == 2
    assert "--gone does not apply to pain entries" in refused.stderr
