"""What the CLI says and returns when a command fails: the one mapping of an error to its
message and exit code, used by the exit point (cli/app.py `BackcareGroup.invoke`) and by
the fast path of `db check` (cli/checking.py), which runs without Typer."""

from __future__ import annotations

import os

from backcare import messages as msg
from backcare.cli import output
from backcare.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_RUNTIME, BackcareError, was_saved


def error(message: str, hint: str | None = None) -> None:
    output.error_line(msg.ERROR_PREFIX + message + (f"\n  {hint}" if hint else ""))


def interrupted() -> int:
    """Ctrl-C (or end of input at a question): said once, exit 130. After the command's
    change was committed (while it printed the result) it is saved: said so, exit 0, as
    after an output failure (`output.failed`); a retry would store it twice."""
    if was_saved():
        output.error_line(f"backcare: {msg.SAVED_INTERRUPTED}")
        return EXIT_OK
    error(msg.INTERRUPTED)
    return EXIT_INTERRUPTED


def exit_code_of(exc: BaseException) -> int | None:
    """Say what went wrong (one or two lines on stderr, no health data) and return the exit
    code: a domain error's own, Ctrl-C, an output failure (`output.failed`), anything else
    unexpected. None: let it propagate (BACKCARE_DEBUG set)."""
    if isinstance(exc, BackcareError):
        error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return interrupted()
    if isinstance(exc, Exception) and output.is_output_failure(exc):
        return output.failed(exc)
    if os.environ.get("BACKCARE_DEBUG"):
        return None
    error(msg.UNEXPECTED.format(kind=type(exc).__name__), msg.UNEXPECTED_HINT)
    return EXIT_RUNTIME
