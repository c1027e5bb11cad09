"""Issue 14 case 6: the database backcare creates is readable only by its owner (0600),
also when `--db` names a symlink (dangling or to an empty file) or an existing empty file:
the mode is set on the real file, after resolving links. (`-o` and links: test_atomic_output.)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # a common default: new files 0644 unless we say otherwise
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _empty(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    os.chmod(path, 0o644)
    return path


@pytest.mark.parametrize("case", ["dangling-link", "link-to-empty", "empty-file"])
def test_the_database_ends_0600(tmp_path: Path, run: Run, case: str) -> None:
    real = tmp_path / "real" / "backcare.db"
    named = tmp_path / "named.db"
    if case == "dangling-link":
        real.parent.mkdir()
        named.symlink_to(real)
    elif case == "link-to-empty":
        named.symlink_to(_empty(real))
    else:
        real = named = _empty(named)
    result = run("log", "3", "--at", "2026-03-01 08:00", db=named)
    assert result.exit_code == 0, result.stderr
    assert real.exists() and real.stat().st_size > 0
    assert mode(real) == 0o600
    for side in ("-wal", "-shm"):
        extra = Path(f"{real}{side}")
        if extra.exists():
            assert mode(extra) == 0o600
    if case != "empty-file":
        assert named.is_symlink()
    assert run("history", "--from", "2026-03-01", "--to", "2026-03-01", db=named).exit_code == 0
