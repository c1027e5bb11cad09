"""Domain errors. The CLI's single exit point turns each into a message and an exit code.

Messages never carry health data (pain values, notes, drug doses): they say what kind of
input was wrong and what is accepted.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_FLAG = 3
EXIT_INTERRUPTED = 130


class BackcareError(Exception):
    """Base: a message for the person and an exit code."""

    exit_code = EXIT_RUNTIME

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(BackcareError):
    """Bad input or usage: exit 2, nothing written."""

    exit_code = EXIT_USAGE


class NotFoundError(InputError):
    """An id or file the person named does not exist."""


class StorageError(BackcareError):
    """The database or a file could not be read or written: exit 1."""

    exit_code = EXIT_RUNTIME


class _Saved:
    """Whether this process committed a write (set by the store after a commit).

    The CLI's exit point reads it: a failure to print after a commit (stdout closed or
    full, a reader that left) must say "saved" and exit 0, or a retry would duplicate it.
    """

    committed = False


def note_saved() -> None:
    _Saved.committed = True


def was_saved() -> bool:
    return _Saved.committed


def reset_saved() -> None:
    _Saved.committed = False
