"""Writing what a command outputs: to `-o FILE` or to standard output (`export ...`,
`report`, `history --json`).

A file is written atomically by `safefile` (0600 since it holds health data; a failed write
leaves the old file as it was; never through a symbolic link); standard output gets UTF-8
bytes exactly as produced (the CSV's CRLF and BOM are in the chunks; no newline
translation).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path

from backcare import messages as msg
from backcare.errors import InputError, StorageError

STDIO = "-"


def os_reason(exc: OSError) -> str:
    """What an OSError says, for a one-line message ("No space left on device")."""
    return exc.strerror or type(exc).__name__


def _close(chunks: Iterable[str | bytes]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def write_file(path: Path, chunks: Iterable[str | bytes]) -> None:
    """Write `chunks` (text as UTF-8, bytes as is) to `path` through `safefile.write_atomic`:
    a temp file beside it (0600), fsynced, renamed over it. On any failure the old file is
    left byte-identical.

    An OSError (no such folder, permission, disk full) becomes a StorageError naming the
    file; a symbolic link is refused (InputError); other errors (a database error
    mid-stream, Ctrl-C) propagate after the clean-up.
    """
    from backcare import safefile

    try:
        safefile.write_atomic(
            path, (c if isinstance(c, bytes) else c.encode("utf-8") for c in chunks)
        )
    except safefile.SymlinkTarget:
        raise InputError(
            msg.OUTPUT_IS_SYMLINK.format(path=path), msg.OUTPUT_IS_SYMLINK_HINT
        ) from None
    except OSError as exc:
        raise StorageError(
            msg.OUTPUT_WRITE_FAILED.format(path=path, reason=os_reason(exc)),
            msg.OUTPUT_WRITE_FAILED_HINT,
        ) from None
    finally:
        _close(chunks)


def write_stdout(chunks: Iterable[str]) -> None:
    """Write `chunks` to standard output as UTF-8 bytes, without newline translation."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    try:
        stream.flush()
        for chunk in chunks:
            if buffer is not None:
                buffer.write(chunk.encode("utf-8"))
            else:
                stream.write(chunk)
        (buffer if buffer is not None else stream).flush()
    except BrokenPipeError:
        raise  # the reader left (`| head`): the app's exit point handles it
    except OSError as exc:
        raise StorageError(msg.STDOUT_WRITE_FAILED.format(reason=os_reason(exc))) from None
    finally:
        _close(chunks)


def to_stdout(output: Path | None) -> bool:
    """`-o` not given, or `-o -`: standard output."""
    return output is None or str(output) == STDIO


def check_output(output: Path | None, db_path: Path, *, force: bool = False) -> Path | None:
    """The output file (None: stdout); refuses the database file itself, a symlink, and an
    existing file unless `force` (like `db backup`)."""
    if to_stdout(output):
        return None
    assert output is not None
    target = output.expanduser()
    if _same_file(target, db_path.expanduser()):
        raise InputError(msg.OUTPUT_IS_DATABASE.format(path=target), msg.OUTPUT_IS_DATABASE_HINT)
    if target.is_symlink():
        raise InputError(msg.OUTPUT_IS_LINK.format(path=target))
    if target.is_file() and not force:  # a device (/dev/null) is no file to lose
        raise InputError(msg.OUTPUT_EXISTS.format(path=target), msg.OUTPUT_EXISTS_HINT)
    return target


def emit(chunks: Iterable[str], target: Path | None, done: str = msg.EXPORT_WROTE) -> None:
    """`chunks` to `target` (then `done` names it), or to standard output when None."""
    if target is None:
        write_stdout(chunks)
        return
    write_file(target, chunks)
    sys.stdout.write(done.format(path=target) + "\n")
