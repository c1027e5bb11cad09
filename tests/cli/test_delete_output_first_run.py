"""Issue 15: `delete` of several IDs (all or nothing), a declined confirmation exits 1,
`export`/`report -o` refuse an existing file without --force, `report -o x.pdf` is refused,
the report format follows the extension, and the first run on the default database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcare.cli.app import app
from tests.conftest import Run, file_digest, row_counts


def _active(run: Run) -> list[str]:
    result = run("history", "--json")
    assert result.exit_code == 0, result.stderr
    return [e["id"] for e in json.loads(result.stdout)]


@pytest.fixture
def three(run: Run) -> Run:
    for pain in ("3", "4", "5"):
        assert run("log", pain, "--at", "-1h").exit_code == 0
    return run


def test_delete_takes_several_ids(three: Run) -> None:
    result = three("delete", "p1", "p3", "--yes")
    assert result.exit_code == 0, result.stderr
    assert "p1" in result.stdout and "p3" in result.stdout
    assert _active(three) == ["p2"]


def test_delete_is_all_or_nothing(three: Run, db_path: Path) -> None:
    before = file_digest(db_path)
    result = three("delete", "p1", "p99", "--yes")
    assert result.exit_code == 2
    assert _active(three) == ["p1", "p2", "p3"]
    assert file_digest(db_path) == before
    assert three("delete", "p1", "x7", "--yes").exit_code == 2
    assert _active(three) == ["p1", "p2", "p3"]


def test_declining_a_delete_exits_1(three: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("backcare.cli.records.interactive", lambda: True)
    result = three("delete", "p1", "p2", input="n\n")
    assert result.exit_code == 1
    assert "Delete these 2 entries?" in result.stdout and "Nothing deleted." in result.stdout
    assert _active(three) == ["p1", "p2", "p3"]
    result = three("delete", "p2", input="y\n")
    assert result.exit_code == 0
    assert _active(three) == ["p1", "p3"]


def test_declining_a_purge_exits_1(
    three: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert three("delete", "p1", "--yes").exit_code == 0
    monkeypatch.setattr("backcare.cli.db.interactive", lambda: True)
    result = three("db", "purge", input="n\n")
    assert result.exit_code == 1 and "Nothing purged." in result.stdout
    assert row_counts(db_path)["pain_entry"] == 3


@pytest.mark.parametrize(
    "command", [("export", "csv"), ("export", "json"), ("export", "fhir"), ("report",)]
)
def test_an_existing_output_file_needs_force(
    three: Run, tmp_path: Path, command: tuple[str, ...]
) -> None:
    out = tmp_path / ("old.md" if command == ("report",) else "old.out")
    out.write_text("keep me")
    result = three(*command, "-o", str(out))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text() == "keep me"
    result = three(*command, "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text() != "keep me"


def test_an_output_symlink_is_refused_even_with_force(three: Run, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("keep me")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = three("export", "csv", "-o", str(link), "--force")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert real.read_text() == "keep me"


def test_report_to_pdf_is_refused_with_the_html_hint(three: Run, tmp_path: Path) -> None:
    out = tmp_path / "visit.pdf"
    result = three("report", "-o", str(out))
    assert result.exit_code == 2
    assert "PDF" in result.stderr and "visit.html" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("visit.html", "<!DOCTYPE html>"),
        ("visit.HTM", "<!DOCTYPE html>"),
        ("visit.md", "#"),
        ("visit.markdown", "#"),
    ],
)
def test_report_format_follows_the_extension(
    three: Run, tmp_path: Path, name: str, start: str
) -> None:
    out = tmp_path / name
    assert three("report", "-o", str(out)).exit_code == 0
    assert out.read_text().lstrip().lower().startswith(start.lower())


def test_report_with_an_unknown_extension_asks_for_a_format(three: Run, tmp_path: Path) -> None:
    out = tmp_path / "visit.txt"
    result = three("report", "-o", str(out))
    assert result.exit_code == 2 and "--format" in result.stderr and not out.exists()
    assert three("report", "-o", str(out), "--format", "md").exit_code == 0
    result = three("report", "-o", str(tmp_path / "v.html"), "--format", "md")
    assert result.exit_code == 2 and "does not match" in result.stderr


# --- first run -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("status",), ("history",), ("summary",), ("check",), ("report",), ("meds", "list")],
)
def test_first_run_on_the_default_database(args: tuple[str, ...], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    assert "No entries yet: start with `backcare log PAIN`" in result.stdout
    assert list((tmp_path / "home").rglob("*.db")) == []  # nothing created


def test_first_run_export_keeps_stdout_empty() -> None:
    result = CliRunner().invoke(app, ["export", "csv"])
    assert result.exit_code == 0
    assert result.stdout == "" and "No entries yet" in result.stderr


def test_an_explicit_missing_database_stays_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(app, ["--db", str(missing), "status"])
    assert result.exit_code == 1 and "no backcare database" in result.stderr
    monkeypatch.setenv("BACKCARE_DB", str(missing))
    result = CliRunner().invoke(app, ["history"])
    assert result.exit_code == 1 and "no backcare database" in result.stderr


def test_undo_after_a_multiple_delete_restores_them_all_at_once(three: Run) -> None:
    """A delete of several IDs is one action (issue 15 "undo you can trust")."""
    assert three("delete", "p1", "p3", "--yes").exit_code == 0
    undone = three("undo", "--yes")
    assert undone.exit_code == 0 and "delete 2 entries" in undone.stdout
    assert _active(three) == ["p1", "p2", "p3"]


@pytest.mark.parametrize("args", [("status", "--json"), ("history", "--json"), ("check", "--json")])
def test_first_run_with_json_keeps_stdout_empty(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0
    assert result.stdout == "" and "No entries yet" in result.stderr
