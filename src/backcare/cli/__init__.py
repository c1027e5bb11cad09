"""The command line. `run` is the console-script entry point; `main` runs the CLI in-process.

Standard output may be closed, full (`> /dev/full`), a pipe whose reader left (`| head`), or
only able to encode ASCII. None of that is a backcare failure, and it must never turn a
saved entry into a reported error (a retry would save it twice): see `output`.
"""

from __future__ import annotations

import os
import sys

from backcare.cli import output

COMPLETE_VAR = "_BACKCARE_COMPLETE"  # set by the scripts of `backcare --install-completion`


def main() -> None:
    """Run the CLI in this process (like any Typer app, it may raise SystemExit).

    `--version`, `symptom --list` and `db check` are answered before Typer is imported: Typer
    imports pydantic to coerce the options of any command it invokes (~50 ms).
    """
    output.prepare_streams()
    args = sys.argv[1:]
    if args == ["--version"]:
        from backcare import __version__

        sys.stdout.write(f"backcare {__version__}\n")
        return
    if args == ["symptom", "--list"]:
        from backcare.cli.render import symptom_codes

        symptom_codes()
        return
    if "check" in args:  # `db check [--full] [--json]`: answered without Typer (cli/checking)
        from backcare.cli.checking import fast_args, fast_db_check

        fast = fast_args(args)
        if fast is not None and not os.environ.get(COMPLETE_VAR):
            db, full, as_json = fast
            sys.exit(fast_db_check(db, full=full, as_json=as_json))
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
    still propagates (and exits the normal way). An output failure (here, or in a fast path
    before Typer) goes through `output.failed`.
    """
    code = 0
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:
            output.error_line(f"{exc.code}")
            code = 1
    except KeyboardInterrupt:  # Ctrl-C before a command started (imports, parsing) or after
        from backcare.cli.failing import interrupted

        code = interrupted()
    except Exception as exc:
        if not output.is_output_failure(exc):
            raise
        code = output.failed(exc)
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except Exception as exc:
        if not output.is_output_failure(exc):
            raise
        code = output.failed(exc, code)
    output.flush_stderr()
    os._exit(code)
