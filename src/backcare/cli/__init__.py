"""The command line. `run` is the console-script entry point; `main` runs the CLI in-process."""

from __future__ import annotations

import os
import sys

COMPLETE_VAR = "_BACKCARE_COMPLETE"  # set by the scripts of `backcare --install-completion`


def main() -> None:
    """Run the CLI in this process (like any Typer app, it may raise SystemExit).

    `--version` and `symptom --list` are answered before Typer is imported: Typer imports
    pydantic to coerce the options of any command it invokes (~50 ms).
    """
    args = sys.argv[1:]
    if args == ["--version"]:
        from backcare import __version__

        sys.stdout.write(f"backcare {__version__}\n")
        return
    if args == ["symptom", "--list"]:
        from backcare.cli.render import symptom_codes

        symptom_codes()
        return
    if os.environ.get(COMPLETE_VAR):  # the shell asks for completions
        from backcare.cli.complete import completing_command

        completing_command()(prog_name="backcare")
        return
    from backcare.cli.app import app

    app(prog_name="backcare")


def run() -> None:
    """The `backcare` console script: `main`, then leave without interpreter teardown.

    Tearing down the SQLAlchemy, pydantic and Typer module graph at exit costs 60-100 ms
    (15-20% of a command) and does nothing useful: every command has committed and closed
    its database by then (services close the store). So stdout and stderr are flushed and
    the process leaves through `os._exit` with main's exit code. An unexpected exception
    still propagates (and exits the normal way).
    """
    code = 0
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            sys.stderr.write(f"{exc.code}\n")
            code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `backcare history | head`: the reader has gone
        code = code or 1
    sys.stderr.flush()
    os._exit(code)
