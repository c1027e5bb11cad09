"""The command table of `backcare --help` (cli/app.py COMMANDS) against the real commands.

`--help` lists the commands from the table without importing them, and a command is built
from its module only when it runs: each line must name a real command, in its module, with
the help its own docstring gives, and the table must list every command there is.
"""

from __future__ import annotations

import importlib

import pytest
from typer._click.utils import make_default_short_help
from typer.main import get_command

from backcare.cli.app import COMMANDS, GROUPS, app, build_command
from tests.conftest import Run


@pytest.mark.parametrize(("name", "module", "short"), COMMANDS)
def test_each_line_names_its_command_and_its_help(name: str, module: str, short: str) -> None:
    command = build_command(name)
    assert command.name == name
    assert bool(getattr(command, "commands", None)) == (name in GROUPS)
    full = make_default_short_help(command.help or "", 10**6)
    assert short == full
    for width in (20, 45, 70, 200):  # what --help shows at any terminal width
        assert make_default_short_help(short, width) == command.get_short_help_str(width)


def test_the_table_lists_every_command_of_every_module() -> None:
    from typer.main import get_command_name

    named = {name for name, _module, _short in COMMANDS}
    for module in {module for name, module, _short in COMMANDS if name not in GROUPS}:
        sub = importlib.import_module(f"backcare.cli.{module}").app
        for info in sub.registered_commands:
            assert (info.name or get_command_name(info.callback.__name__)) in named


def test_help_lists_the_table_in_order(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    listed = [
        line.split()[0]
        for line in result.stdout.split("Commands:")[1].splitlines()
        if line.startswith("  ") and not line.startswith("   ") and line.strip()
    ]
    assert listed[: len(COMMANDS)] == [name for name, _m, _s in COMMANDS]


def test_the_running_command_alone_is_built() -> None:
    group = get_command(app)
    commands = group.commands  # type: ignore[attr-defined]
    assert list(commands) == [name for name, _m, _s in COMMANDS]
    assert commands.built == {}
    assert group.get_command(None, "log") is commands["log"]  # type: ignore[attr-defined]
    assert set(commands.built) == {"log"}
