"""The profile's fields, declared once (domain/entries PROFILE; issue 19), and what follows
from the declaration: the `profile set` checks, `profile show --json`, the export's profile.

The parts other code still writes out by hand (the import's key list, the table's columns,
the store's row converter) are tied to the declaration here, so they cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from backcare.domain import entries
from backcare.domain.model import Profile
from tests.conftest import Run


def test_the_declaration_is_the_profile() -> None:
    assert [spec.name for spec in entries.PROFILE] == [f.name for f in dataclasses.fields(Profile)]


def test_profile_set_has_one_option_per_declared_field_named_after_it() -> None:
    from typer.main import get_command

    from backcare.cli.profile import app

    command = get_command(app).commands["set"]  # type: ignore[attr-defined]
    options = {param.opts[0]: param.name for param in command.params if param.name not in ("help",)}
    assert options == {spec.option: spec.name for spec in entries.PROFILE}


def test_what_is_still_written_by_hand_matches_the_declaration() -> None:
    from backcare.export import importer
    from backcare.store.tables import ProfileRow

    assert importer._PROFILE_KEYS == entries.PROFILE_KEYS
    assert importer.NAME_MAX == entries.PERSON_NAME_LIMIT
    columns = set(ProfileRow.__table__.columns.keys())  # type: ignore[attr-defined]
    assert columns >= entries.PROFILE_KEYS


def _export_profile(run: Run) -> dict[str, object]:
    result = run("export", "json")
    assert result.exit_code == 0, result.stderr
    profile = json.loads(result.stdout)["profile"]
    assert isinstance(profile, dict)
    return profile


def test_show_and_export_write_every_field_the_same_way(run: Run) -> None:
    """One writer (entries.profile_json): `profile show --json` and the export agree on
    each value; the export leaves the unset identity out, show says null."""
    args = ["--birth-year", "1970", "--prior-back-pain", "yes", "--history", "cancer"]
    result = run("profile", "set", *args, "--remind-at", "21:00", "--remind-at", "08:30")
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run("profile", "show", "--json").stdout)
    exported = _export_profile(run)
    assert list(shown) == [spec.name for spec in entries.PROFILE]
    assert shown["name"] is None and shown["date_of_birth"] is None
    assert "name" not in exported and "date_of_birth" not in exported
    assert {k: v for k, v in shown.items() if k in exported} == exported
    assert exported["remind_at"] == ["08:30", "21:00"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--birth-year", "1850"),
        ("--prior-back-pain", "maybe"),
        ("--history", "gout"),
        ("--remind-at", "25:00"),
        ("--name", "a\x07b"),
        ("--date-of-birth", "1970-13-01"),
    ],
)
def test_each_declared_field_refuses_bad_input_and_stores_nothing(
    run: Run, db_path: Path, option: str, value: str
) -> None:
    assert run("profile", "set", "--birth-year", "1970").exit_code == 0
    before = run("profile", "show", "--json").stdout
    result = run("profile", "set", option, value)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2
    assert value not in result.stderr
    assert run("profile", "show", "--json").stdout == before


def test_an_undeclared_field_cannot_be_set() -> None:
    with pytest.raises(KeyError):
        entries.changed_profile(Profile(), {"weight": 80})


def test_profile_set_help_names_every_history_item_it_accepts(run: Run) -> None:
    """The help of --history was written out by hand and listed 6 of the 11 items `profile
    set --history` accepts (stomach-ulcer, kidney-disease, heart-disease, liver-disease and
    alcohol were missing): it is now built from the declared choices."""
    text = " ".join(run("profile", "set", "--help").stdout.split()).replace("- ", "-")
    history = next(spec for spec in entries.PROFILE if spec.name == "history")
    assert [item for item in history.choices if item not in text] == []
    for item in history.choices:
        assert run("profile", "set", "--history", item).exit_code == 0
