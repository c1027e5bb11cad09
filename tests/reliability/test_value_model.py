"""Issue 14 case 4: one definition of a valid value for the CLI, `import` and `db check`.

For each value: what the CLI refuses, `import` refuses (exit 2, nothing stored) and `db
check` reports when the value is put in the file behind backcare's back; what the CLI
stores, `export` writes and `import` reads back. Dates are fixed (`--at`), and the
"future" is far enough ahead (2099) that the test does not depend on today's date.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts

GOOD_NOTES = [
    "tab\there",
    "two\nlines",
    "caf\u00e9 \u2265 5 \u2014 \u05e9\u05dc\u05d5\u05dd",
    "[bold]markup[/] is text",
    "'=cmd|' /C calc'!A0",
    "x" * 2000,
]


def _event(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "type": "pain",
        "uid": str(uuid.uuid4()),
        "at": "2026-03-01T08:00:00+00:00",
        "created_at": "2026-03-01T08:00:00+00:00",
        "deleted_at": None,
        "pain": 4,
        "spasms": 0,
        "location": None,
        "radiates": "none",
        "note": None,
    }
    base.update(fields)
    return base


def _export_file(path: Path, events: list[dict[str, object]], profile: object = None) -> Path:
    document = {
        "format": "backcare-export",
        "version": 1,
        "exported_at": "2026-03-02T00:00:00+00:00",
        "profile": profile,
        "events": events,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


BAD = {
    "at-2099": ({"at": "2099-01-01T00:00:00+00:00"}, ("--at", "2099-01-01 08:00")),
    "at-1850": ({"at": "1850-01-01T00:00:00+00:00"}, ("--at", "1850-01-01 08:00")),
    "note-del": ({"note": "del\x7fhere"}, ("--note", "del\x7fhere")),
    "note-c1": ({"note": "csi\x9b2Jhere"}, ("--note", "csi\x9b2Jhere")),
    "note-esc": ({"note": "\x1b]0;title\x07"}, ("--note", "\x1b]0;title\x07")),
    "note-cr": ({"note": "\rpain 1/10"}, ("--note", "\rpain 1/10")),
    "note-long": ({"note": "x" * 2001}, ("--note", "x" * 2001)),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_cli_import_and_db_check_agree_on_a_bad_value(
    tmp_path: Path, run: Run, db_path: Path, case: str
) -> None:
    fields, cli_args = BAD[case]
    # the CLI refuses it
    logged = run("log", "4", *(("--at", "2026-03-01 08:00") if "--at" not in cli_args else ()),
                 *cli_args)  # fmt: skip
    assert logged.exit_code == 2, (logged.stdout, logged.stderr)
    # import refuses it, stores nothing
    assert run("log", "1", "--at", "2026-03-01 07:00").exit_code == 0
    before = row_counts(db_path)
    file = _export_file(tmp_path / "in.json", [_event(**fields)])
    imported = run("import", str(file))
    assert imported.exit_code == 2, (imported.stdout, imported.stderr)
    assert "Traceback" not in imported.stderr
    assert row_counts(db_path) == before
    # db check reports it when it is in the file anyway
    column, value = next(iter(fields.items()))
    stored = value
    if column == "at":
        stored = str(value)[:10] + "T00:00:00.000000Z"
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute(f"UPDATE pain_entry SET {column} = ? WHERE id = 1", (stored,))
        conn.commit()
    checked = run("db", "check")
    assert checked.exit_code == 1, checked.stdout
    assert "pain_entry" in checked.stdout


def test_birth_year_agrees(tmp_path: Path, run: Run, db_path: Path) -> None:
    assert run("profile", "set", "--birth-year", "2500").exit_code == 2
    assert run("profile", "set", "--birth-year", "1850").exit_code == 2
    for year in (2500, 1850):
        file = _export_file(tmp_path / "p.json", [], {"birth_year": year})
        result = run("import", str(file))
        assert result.exit_code == 2, result.stdout
        assert "birth_year" in result.stderr
    assert row_counts(db_path).get("profile", 0) == 0


def test_an_export_of_the_clis_own_data_always_imports(tmp_path: Path, run: Run) -> None:
    for i, note in enumerate(GOOD_NOTES):
        result = run("log", "3", "--note", note, "--at", f"2026-03-01 0{i}:00")
        assert result.exit_code == 0, result.stderr
        result = run(
            "treat", "ice", "--minutes", "10", "--note", note, "--at", f"2026-03-01 0{i}:30"
        )
        assert result.exit_code == 0, result.stderr
    assert run("profile", "set", "--birth-year", "1950").exit_code == 0
    assert run("db", "check").exit_code == 0
    for kind in ("json", "csv"):
        out = tmp_path / f"all.{kind}"
        assert run("export", kind, "-o", str(out)).exit_code == 0
        fresh = tmp_path / f"fresh-{kind}.db"
        result = run("import", str(out), db=fresh)
        assert result.exit_code == 0, result.stderr
        with closing(sqlite3.connect(fresh)) as conn:
            got = sorted(r[0] for r in conn.execute("SELECT note FROM pain_entry"))
        assert got == sorted(n.strip() for n in GOOD_NOTES)
        assert run("db", "check", db=fresh).exit_code == 0
