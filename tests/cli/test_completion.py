"""Shell completion (issue 15): Typer's scripts for bash, zsh and fish, and what the
callbacks complete (commands, options, treatments, drugs, symptoms, topics, entry IDs)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcare.cli import main
from backcare.cli.app import app
from tests.conftest import Run

Complete = Callable[[str], list[str]]


@pytest.fixture
def complete(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Complete:
    """What bash is offered for the last word of `words`, through `cli.main` as the shell
    script runs it (`_BACKCARE_COMPLETE=complete_bash backcare`)."""

    def ask(words: str) -> list[str]:
        monkeypatch.setattr(sys, "argv", ["backcare"])
        monkeypatch.setenv("_BACKCARE_COMPLETE", "complete_bash")
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
        capsys.readouterr()
        with pytest.raises(SystemExit) as leaving:
            main()
        assert leaving.value.code == 0
        return capsys.readouterr().out.split()

    return ask


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


def test_commands_and_options(complete: Complete) -> None:
    assert complete("backcare hi") == ["history"]
    assert "--spasms" in complete("backcare log --sp")
    assert complete("backcare db ba") == ["backup"]


def test_treatments_drugs_symptoms_topics(complete: Complete) -> None:
    assert complete("backcare treat ic") == ["ice"]
    assert "ibuprofen" in complete("backcare treat ib")
    assert "naproxen" in complete("backcare treat medication --drug nap")
    assert "naproxen" in complete("backcare meds prescribe nap")
    assert complete("backcare symptom fev") == ["fever"]
    assert "tingling" in complete("backcare symptom ting")
    assert "leg-numbness" in complete("backcare log 5 --symptom leg")
    assert complete("backcare guide ic") == ["ice-heat"]
    assert complete("backcare log 5 --where lo") == ["lower"]
    assert complete("backcare edit p1 --where lo") == ["lower"]
    assert complete("backcare edit p1 --radiates th") == ["thigh"]
    assert complete("backcare measure st") == ["startback"]
    assert complete("backcare measure p") == ["psfs"]  # not the retired PEG


def test_entry_ids_come_from_the_database(complete: Complete, run: Run, db_path: Path) -> None:
    assert run("log", "3", "--at", "-2h").exit_code == 0
    assert run("treat", "ice", "--at", "-1h").exit_code == 0
    assert (
        run("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", "-30m").exit_code == 0
    )
    assert complete(f"backcare --db {db_path} delete ") == ["m1", "t1", "p1"]
    assert complete(f"backcare --db {db_path} edit p") == ["p1"]
    assert complete(f"backcare --db {db_path} edit m") == ["m1"]


def test_entry_ids_without_a_database_are_empty_and_create_nothing(
    complete: Complete, tmp_path: Path
) -> None:
    missing = tmp_path / "none.db"
    assert complete(f"backcare --db {missing} delete ") == []
    assert not missing.exists()
    assert complete("backcare delete ") == []
    assert list(tmp_path.rglob("*.db")) == []


def test_the_console_script_completes(tmp_path: Path) -> None:
    """The installed `backcare` answers the shell through `cli.main` (value completers on)."""
    import os
    import subprocess

    exe = str(Path(sys.executable).parent / "backcare")
    env = {
        **os.environ,
        "_BACKCARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "backcare treat ib",
        "COMP_CWORD": "2",
        "HOME": str(tmp_path),
    }
    done = subprocess.run([exe], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "ibuprofen" in done.stdout.split()


def test_ordinary_commands_do_not_build_the_completers(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The value completers are attached only when the shell asks."""
    import backcare.cli.complete as completion

    def refuse(*args: object) -> None:
        raise AssertionError("completers attached for an ordinary command")

    monkeypatch.setattr(completion, "attach", refuse)
    assert run("log", "3", "--at", "-1h").exit_code == 0
    assert run("--help").exit_code == 0
