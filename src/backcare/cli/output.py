"""Standard output that cannot take what is printed: closed, full, a gone reader, ASCII only.

- `prepare_streams` (at start-up): a closed fd 1 is reopened on /dev/null (so no file the
  command opens can take fd 1 and receive printed text) and sys.stdout is replaced by a
  stream whose writes fail with EBADF, so the failure is seen and reported; a stream that
  cannot encode everything escapes what it cannot encode (`\\u2265`) instead of failing.
- `failed` (at the exit point): a write that committed (`errors.was_saved`) exits 0 and says
  on stderr that it was saved but could not be printed; otherwise exit 1 with one line,
  and nothing at all when the reader left on purpose (`| head`).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys

from backcare import messages as msg
from backcare.errors import EXIT_OK, EXIT_RUNTIME, was_saved

OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EFBIG, errno.EDQUOT}


class _ClosedStdout(io.TextIOBase):
    """What sys.stdout is when fd 1 was closed: every write fails as writing fd 1 would."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def fileno(self) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def _fd_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def prepare_streams() -> None:
    if sys.stdout is None or not _fd_open(1):
        if not _fd_open(1):
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != 1:
                os.dup2(devnull, 1)
                os.close(devnull)
        sys.stdout = _ClosedStdout()
    if sys.stderr is None or not _fd_open(2):
        if not _fd_open(2):
            devnull = os.open(os.devnull, os.O_WRONLY)
            if devnull != 2:
                os.dup2(devnull, 2)
                os.close(devnull)
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 (lives as long as the process)
    stream = sys.stdout
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if encoding not in ("utf8", "") and reconfigure is not None:
        reconfigure(errors="backslashreplace")


def is_output_failure(exc: BaseException) -> bool:
    """An error writing standard output (not a file: those are StorageErrors by then)."""
    if isinstance(exc, UnicodeEncodeError):
        return True
    return isinstance(exc, OSError) and exc.errno in OUTPUT_ERRNOS


def error_line(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code is all that is left


def flush_stderr() -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null, so a later flush of what is still buffered cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)
    except OSError:
        pass


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeEncodeError):
        return msg.STDOUT_ENCODING
    if isinstance(exc, OSError) and exc.errno == errno.EBADF:
        return msg.STDOUT_CLOSED
    return (exc.strerror if isinstance(exc, OSError) else None) or type(exc).__name__


def failed(exc: BaseException, code: int = EXIT_OK) -> int:
    """Say what happened after an output failure; the exit code to leave with."""
    _silence_stdout()
    if was_saved():
        error_line(f"backcare: {msg.SAVED_NOT_PRINTED.format(reason=_reason(exc))}")
        return code
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        return code or EXIT_RUNTIME  # `backcare history | head`: the reader left on purpose
    error_line(msg.ERROR_PREFIX + msg.STDOUT_WRITE_FAILED.format(reason=_reason(exc)))
    return code or EXIT_RUNTIME
