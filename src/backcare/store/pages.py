"""Whether a SQLite file is whole: a check on its size and header alone, no connection.

Used by `store.engine` when it opens a file and by `store.maintenance` in `db check`; a module
of its own so that neither of the two imports the other for it.
"""

from __future__ import annotations

from pathlib import Path


def torn(path: Path, header: bytes) -> bool:
    """A truncated file SQLite would still open and write to: not a whole number of pages.

    (SQLite itself refuses a file shorter than the page count in its header, but a last page
    cut short passes that test, and writes elsewhere in the file then succeed.) Skipped while
    the WAL holds frames: a checkpoint cut off by a power loss is completed from them.
    """
    if len(header) < 100:
        return True
    raw = int.from_bytes(header[16:18], "big")
    page = 65536 if raw == 1 else raw
    if page < 512 or page & (page - 1):
        return True
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return path.stat().st_size % page != 0
