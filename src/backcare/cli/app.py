"""The root Typer app: global options, the command groups, and the one exit point.

`BackcareGroup.invoke` is where every domain error becomes a message and an exit code, so
no command handles errors itself and no traceback (or health data in one) reaches the user.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, MutableMapping
from importlib import import_module
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.exceptions import NoSuchOption
from typer.core import TyperGroup

from backcare import __version__
from backcare import messages as msg
from backcare.cli import output
from backcare.cli.context import State, db_option
from backcare.cli.failing import error as _error
from backcare.cli.failing import exit_code_of, interrupted
from backcare.errors import reset_saved

if TYPE_CHECKING:
    from typer._click import Command, Context, HelpFormatter

# Every command of `backcare`, in the order `--help` lists them: (name, the module under
# backcare.cli that defines it, and its one-line help as `backcare --help` shows it).
# A command is built from its module only when it runs: `backcare log` imports and builds
# `log` alone, and `--help` lists them from this table without importing any of them.
# A whole group (`profile`, `db`, ...) is the module's Typer app named in GROUPS.
# tests/cli/test_command_table.py checks each line against the command it names.
# A new command or group: one line here (and, for a group, one line in GROUPS).
COMMANDS: tuple[tuple[str, str, str], ...] = (
    (
        "log",
        "entries",
        "Log your pain now (0-10), with spasms, where it hurts and where it spreads.",
    ),
    (
        "treat",
        "entries",
        "Log a treatment: ice, heat, a medicine and its dose, stretching, rest...",
    ),
    ("symptom", "entries", "Report symptoms (red flags among them), or that they are gone."),
    (
        "checkin",
        "entries",
        "Answer the red-flag questions one by one (needs a terminal); prints what they mean.",
    ),
    ("history", "records", "List what you logged, oldest first (default: the last 14 days)."),
    ("edit", "records", "Correct an entry."),
    ("delete", "records", "Delete entries (soft: `backcare undo` brings them back)."),
    (
        "undo",
        "records",
        (
            "Undo the last command that changed entries: log, treat, symptom, checkin, edit, "
            "delete (all its IDs), import (what it added), meds prescribe/stop, ack, unack, "
            "measure, goals add/remove."
        ),
    ),
    (
        "redo",
        "records",
        "Re-apply what `backcare undo` reverted last (while nothing new was recorded since).",
    ),
    (
        "check",
        "reports",
        "Check your log against every rule: red flags, your course, doses, routines.",
    ),
    (
        "ack",
        "acks",
        "Acknowledge a flag: status, remind and new entries stop repeating it until new "
        "evidence arrives; `check` still shows it.",
    ),
    ("unack", "acks", "Withdraw an acknowledgement: the flag shows again wherever it holds."),
    (
        "rules",
        "reports",
        "The rule catalog: what backcare checks, how severe it is, and on whose advice.",
    ),
    (
        "status",
        "reports",
        "One screen: episode day, today's pain and trend, open flags, what is due, 14 days.",
    ),
    (
        "summary",
        "reports",
        "Per-day table, charts of pain and spasms, a heat map, and what seemed to help.",
    ),
    (
        "guide",
        "reports",
        "Self-care guidance from the articles backcare is built on, with sources.",
    ),
    ("demo", "reports", "A sample fortnight in a throw-away database, then its status."),
    ("profile", "profile", "Your profile: birth year, earlier back pain, history, reminder times."),
    ("db", "db", "The database file: path, backup, restore, check, upgrade, purge."),
    ("import", "exports", "Import a JSON, CSV or xlsx export."),
    (
        "report",
        "reports",
        "A visit summary for your doctor: course, chart, flags, symptoms, medicines, answers.",
    ),
    (
        "export",
        "exports",
        "Export your log: xlsx (spreadsheets), csv, json (everything, for backup or another "
        "machine), fhir (a FHIR R4 Bundle for clinical systems).",
    ),
    (
        "remind",
        "remind",
        "Reminders: what is due now (run from cron); install, show or remove the schedule.",
    ),
    ("meds", "meds", "Your prescriptions: dose, interval, daily maximum and course."),
    (
        "measure",
        "measures",
        "Answer a questionnaire (STarT Back, Roland-Morris, PSFS) and see its score.",
    ),
    ("goals", "measures", "Your activities for the Patient-Specific Functional Scale (up to 3)."),
)
# Groups: command name -> the attribute of its module that is its Typer app.
GROUPS: dict[str, str] = {
    "profile": "app",
    "db": "app",
    "export": "export_app",
    "remind": "app",
    "meds": "app",
    "goals": "goals_app",
}
_TABLE = {name: (module, short) for name, module, short in COMMANDS}


def build_command(name: str) -> Command:
    """The click command (or group) `name` of COMMANDS, built from its module."""
    from typer.main import TyperInfo, get_command_from_info, get_command_name, get_group_from_info

    module = import_module(f"backcare.cli.{_TABLE[name][0]}")
    options = {"pretty_exceptions_short": app.pretty_exceptions_short}
    markup = app.rich_markup_mode
    if name in GROUPS:
        sub = getattr(module, GROUPS[name])
        info = TyperInfo(sub, name=name)
        return get_group_from_info(
            info, suggest_commands=app.suggest_commands, rich_markup_mode=markup, **options
        )
    for command in module.app.registered_commands:
        if (command.name or get_command_name(command.callback.__name__)) == name:
            return get_command_from_info(command, rich_markup_mode=markup, **options)
    raise LookupError(name)  # a line of COMMANDS names a command its module lacks


class _Commands(MutableMapping[str, "Command"]):
    """The root group's commands: every name of COMMANDS, each built on first use."""

    def __init__(self) -> None:
        self.built: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.built:
            if name not in _TABLE:
                raise KeyError(name)
            self.built[name] = build_command(name)
        return self.built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self) -> Iterator[str]:
        yield from _TABLE
        yield from (name for name in self.built if name not in _TABLE)

    def __len__(self) -> int:
        return len(_TABLE) + sum(1 for name in self.built if name not in _TABLE)

    def __contains__(self, name: object) -> bool:
        return name in _TABLE or name in self.built

    def listed(self, name: str) -> Command:
        """What `--help` lists for `name`: the command if built, else a stand-in with its help."""
        if name in self.built:
            return self.built[name]
        from typer.core import TyperCommand

        return TyperCommand(name=name, help=_TABLE[name][1])


class BackcareGroup(TyperGroup):
    """The single exit point: domain errors -> one or two lines on stderr + exit code.

    Standard output is flushed here, so a failure to print (closed, full, a reader that
    left, an encoding) is met here too: after a committed write it is "saved, but could
    not print" with exit 0 (`cli.output`), never an error that invites a duplicate.
    """

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """The root's own options: an unknown one (`backcare --bogus log 5`) gets the same
        did-you-mean answer as a command's, and exit 2."""
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as exc:
            from backcare.cli.suggest import unknown_root_option

            error = unknown_root_option(exc.option_name, ctx, args)
            _error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None

    def __init__(self, **attrs: Any) -> None:  # type: ignore[explicit-any]  # click's own
        super().__init__(**attrs)
        self.commands = _Commands()

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # the names alone: building them is for the one that runs

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The command list of `--help`, from COMMANDS (nothing is imported for it)."""
        commands = self.commands
        assert isinstance(commands, _Commands)
        rows = [(name, commands.listed(name)) for name in self.list_commands(ctx)]
        rows = [(name, command) for name, command in rows if not command.hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])

    def invoke(self, ctx: Context) -> object:
        reset_saved()
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except NoSuchOption as exc:
            from backcare.cli.suggest import unknown_option

            error = unknown_option(exc.option_name, exc.ctx)
            _error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):
            # Typer turns Ctrl-C (or end of input) at a prompt into Abort: same answer.
            raise typer.Exit(interrupted()) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if exc.__class__.__module__.startswith("typer") and not output.is_output_failure(exc):
                raise  # usage errors: Typer prints them and exits 2
            code = exit_code_of(exc)  # a domain error, an output failure, the unexpected
            if code is None:
                raise
            raise typer.Exit(code) from None


app = typer.Typer(
    name="backcare",
    cls=BackcareGroup,
    help="A self-care tracker for back pain and back muscle spasms. "
    "It informs; it does not diagnose.",
    epilog=msg.TIME_GRAMMAR_EPILOG,
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"backcare {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,  # not Path: Typer makes "" the current folder (context.db_option)
        typer.Option(
            "--db",
            metavar="PATH",
            help="The database file (default: $BACKCARE_DB, else the user data dir).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = State(db_option=db_option(db))
