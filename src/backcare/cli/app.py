"""The root Typer app: global options, the command groups, and the one exit point.

`BackcareGroup.invoke` is where every domain error becomes a message and an exit code, so
no command handles errors itself and no traceback (or health data in one) reaches the user.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer._click.exceptions import NoSuchOption
from typer.core import TyperGroup

from backcare import __version__
from backcare import messages as msg
from backcare.cli import (
    db,
    entries,
    exports,
    measures,
    meds,
    output,
    profile,
    records,
    remind,
    reports,
)
from backcare.cli.context import State
from backcare.errors import EXIT_INTERRUPTED, EXIT_RUNTIME, BackcareError, reset_saved


def _error(message: str, hint: str | None = None) -> None:
    output.error_line(f"backcare: error: {message}" + (f"\n  {hint}" if hint else ""))


class BackcareGroup(TyperGroup):
    """The single exit point: domain errors -> one or two lines on stderr + exit code.

    Standard output is flushed here, so a failure to print (closed, full, a reader that
    left, an encoding) is met here too: after a committed write it is "saved, but could
    not print" with exit 0 (`cli.output`), never an error that invites a duplicate.
    """

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """The root's own options: an unknown one (`backcare --bogus log 5`) gets the same
        did-you-mean answer as a command's, and exit 2."""
        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as exc:
            from backcare.cli.suggest import unknown_root_option

            error = unknown_root_option(exc.option_name, ctx, args)
            _error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None

    def invoke(self, ctx: Any) -> Any:
        reset_saved()
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except BackcareError as exc:
            _error(exc.message, exc.hint)
            raise typer.Exit(exc.exit_code) from None
        except NoSuchOption as exc:
            from backcare.cli.suggest import unknown_option

            error = unknown_option(exc.option_name, exc.ctx)
            _error(error.message, error.hint)
            raise typer.Exit(error.exit_code) from None
        except (KeyboardInterrupt, typer.Abort):
            # Typer turns Ctrl-C (or end of input) at a prompt into Abort: same answer.
            _error(msg.INTERRUPTED)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except typer.Exit:
            raise
        except Exception as exc:
            if output.is_output_failure(exc):
                raise typer.Exit(output.failed(exc)) from None
            if exc.__class__.__module__.startswith("typer"):
                raise  # usage errors: Typer prints them and exits 2
            if os.environ.get("BACKCARE_DEBUG"):
                raise
            _error(msg.UNEXPECTED.format(kind=type(exc).__name__), msg.UNEXPECTED_HINT)
            raise typer.Exit(EXIT_RUNTIME) from None


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
        Path | None,
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
    ctx.obj = State(db_option=db)


app.add_typer(entries.app)
app.add_typer(records.app)
app.add_typer(reports.app)
app.add_typer(profile.app, name="profile")
app.add_typer(db.app, name="db")
app.add_typer(exports.app)
app.add_typer(reports.report_app)
app.add_typer(exports.export_app, name="export")
app.add_typer(remind.app, name="remind")
app.add_typer(meds.app, name="meds")
app.add_typer(measures.app)
app.add_typer(measures.goals_app, name="goals")
