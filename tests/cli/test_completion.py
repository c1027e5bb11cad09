"""Shell completion (issue 15): Typer's scripts for bash, zsh and fish, and what the
callbacks complete (commands, options, treatments, drugs, symptoms, topics, entry IDs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcare.cli.app import app
from tests.conftest import Run


def complete(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash would be offered for the last word of `words` (as typed so far)."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="backcare",
        env={
            "_BACKCARE_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "complete -o"), ("zsh", "compdef"), ("fish", "complete --command backcare")],
)
def test_completion_scripts_for_three_shells(
    shell: str, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="backcare")
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_BACKCARE_COMPLETE" in result.stdout


def test_install_completion_writes_the_script_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--install-completion", "bash"], prog_name="backcare")
    assert result.exit_code == 0, result.output
    home = tmp_path / "home"
    assert "_BACKCARE_COMPLETE" in (home / ".bash_completions" / "backcare.sh").read_text()
    assert ".bash_completions/backcare.sh" in (home / ".bashrc").read_text()


def test_commands_and_options() -> None:
    assert complete("backcare hi") == ["history"]
    assert "--spasms" in complete("backcare log --sp")
    assert complete("backcare db ba") == ["backup"]


def test_treatments_drugs_symptoms_topics() -> None:
    assert complete("backcare treat ic") == ["ice"]
    assert "ibuprofen" in complete("backcare treat ib")
    assert "naproxen" in complete("backcare treat medication --drug nap")
    assert "naproxen" in complete("backcare meds prescribe nap")
    assert complete("backcare symptom fev") == ["fever"]
    assert "tingling" in complete("backcare symptom ting")
    assert "leg-numbness" in complete("backcare log 5 --symptom leg")
    assert complete("backcare guide ic") == ["ice-heat"]
    assert complete("backcare log 5 --where lo") == ["lower"]


def test_entry_ids_come_from_the_database(run: Run, db_path: Path) -> None:
    assert run("log", "3", "--at", "-2h").exit_code == 0
    assert run("treat", "ice", "--at", "-1h").exit_code == 0
    assert complete(f"backcare --db {db_path} delete ") == ["t1", "p1"]
    assert complete(f"backcare --db {db_path} edit p") == ["p1"]


def test_entry_ids_without_a_database_are_empty_and_create_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert complete(f"backcare --db {missing} delete ") == []
    assert not missing.exists()
    assert complete("backcare delete ") == []
    assert list(tmp_path.rglob("*.db")) == []
