"""The profile's fields, declared once (domain/entries PROFILE; issue 19), and what follows
from the declaration: the `profile set` checks, `profile show --json`, the export's profile.

The import reads each field by its declared form and `db check` derives its profile rules
from the declaration (issue 19: the import took a date of birth in 2999 that `profile set`
refuses, and `db check` looked at the birth year only). The parts still written out by hand
(the table's columns, the store's row converter) are tied to the declaration here.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backcare.domain import entries
from backcare.domain.model import Profile
from tests.conftest import Result, Run, row_counts


def test_the_declaration_is_the_profile() -> None:
    assert [spec.name for spec in entries.PROFILE] == [f.name for f in dataclasses.fields(Profile)]


def test_profile_set_has_one_option_per_declared_field_named_after_it() -> None:
    from typer.main import get_command

    from backcare.cli.profile import app

    command = get_command(app).commands["set"]  # type: ignore[attr-defined]
    options = {param.opts[0]: param.name for param in command.params if param.name not in ("help",)}
    assert options == {spec.option: spec.name for spec in entries.PROFILE}


def test_the_import_and_db_check_name_no_profile_field_by_hand() -> None:
    """The importer's profile reading and `db check`'s profile rules go by the declared
    forms: no field name or limit written out by hand in them (the store's row converter,
    store/repo.py, still is: the table's columns are tied here)."""
    import ast
    import inspect

    from backcare.export import importer
    from backcare.store import maintenance
    from backcare.store.tables import ProfileRow

    assert set(importer._PROFILE_READERS) == {spec.form for spec in entries.PROFILE}
    for source in (inspect.getsource(importer), inspect.getsource(maintenance._rules)):
        literals = {
            node.value
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str | int)
        }
        assert literals.isdisjoint(entries.PROFILE_KEYS - {"name"})
        assert entries.PERSON_NAME_LIMIT not in literals
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


# --- The import and `db check` read the profile from the declaration (issue 19) ----------


def _import_profile(run: Run, tmp_path: Path, profile: dict[str, object]) -> Result:
    assert run("profile", "set", "--birth-year", "1970").exit_code == 0
    data = json.loads(run("export", "json").stdout)
    data["profile"] = profile
    file = tmp_path / "profile.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    return run("import", str(file), db=tmp_path / "fresh.db")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_year", 1850),
        ("prior_back_pain", "maybe"),
        ("history", ["gout"]),
        ("history", None),  # a list, or absent
        ("remind_at", ["25:00"]),
        ("remind_at", None),
        ("name", "a\x07b"),
        ("name", "x" * (entries.PERSON_NAME_LIMIT + 1)),
        # `profile set --date-of-birth` takes 1900-01-01 to today; the import took any date
        ("date_of_birth", "2999-01-01"),
        ("date_of_birth", "1850-06-01"),
        ("date_of_birth", "1970-13-01"),
    ],
)
def test_the_import_refuses_what_profile_set_refuses(
    run: Run, tmp_path: Path, field: str, value: object
) -> None:
    result = _import_profile(run, tmp_path, {field: value})
    assert result.exit_code == 2, result.stdout
    assert f"profile, field '{field}'" in result.stderr
    assert str(value) not in result.stderr
    fresh = tmp_path / "fresh.db"
    assert not fresh.exists() or row_counts(fresh).get("profile", 0) == 0


def test_the_import_takes_every_declared_field(run: Run, tmp_path: Path) -> None:
    profile: dict[str, object] = {
        "birth_year": 1970,
        "prior_back_pain": True,
        "history": ["cancer"],
        "remind_at": ["08:30", "21:00"],
        "name": "Ada Lovelace",
        "date_of_birth": "1970-02-03",
    }
    assert [spec.name for spec in entries.PROFILE] == list(profile)
    result = _import_profile(run, tmp_path, profile)
    assert result.exit_code == 0, result.stderr
    shown = json.loads(run("profile", "show", "--json", db=tmp_path / "fresh.db").stdout)
    assert shown == profile


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("birth_year = 2999", "profile: 1 row with an impossible birth year"),
        ("date_of_birth = '2999-01-01'", "profile: 1 row with an impossible date of birth"),
        ("date_of_birth = '1970-02-31'", "profile: 1 row with an impossible date of birth"),
        ("date_of_birth = 'yesterday'", "profile: 1 row with an impossible date of birth"),
        ("name = 'a' || char(7)", "profile: 1 row with a name longer than 200 characters"),
        # the store's reader fails on a time it cannot read (`status`, `log`, `remind` then
        # stop with an unexpected error): db check must name it
        ("remind_at = '25:00'", "profile: 1 row with a reminder time not HH:MM"),
        ("remind_at = '09:00,garbage'", "profile: 1 row with a reminder time not HH:MM"),
        ("remind_at = '9:5'", "profile: 1 row with a reminder time not HH:MM"),
        ("history = 'yesterday'", "profile: 1 row with a history item backcare does not know"),
    ],
)
def test_db_check_reports_a_profile_value_profile_set_refuses(
    run: Run, db_path: Path, sql: str, said: str
) -> None:
    assert run("profile", "set", "--birth-year", "1970").exit_code == 0
    assert run("db", "check").exit_code == 0
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(f"UPDATE profile SET {sql}")
        conn.commit()
    result = run("db", "check")
    assert result.exit_code == 1
    assert said in result.stdout
    assert "2999" not in result.stdout and "yesterday" not in result.stdout
