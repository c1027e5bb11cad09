"""Issue 14 cases 2 and 6 (-o): output files are replaced atomically, never through a link.

An export that fails midway (here: the file-size limit, RLIMIT_FSIZE, a real write failure)
leaves the old file byte-identical and no temporary file behind; `-o` naming a symlink is
refused and the file it points to is untouched (content and mode).
"""

from __future__ import annotations

import os
import resource
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.reliability.util import backcare_cmd, cli_env, seed

LIMIT = 64 * 1024  # far below the export's size; above SQLite's 32 KiB -shm


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.parametrize("kind", ["csv", "json", "fhir"])
def test_a_failed_export_leaves_the_old_file_byte_identical(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "data" / "backcare.db"
    seed(db, days=60, per_day=10)
    env = cli_env(tmp_path)
    old = tmp_path / f"old.{kind}"
    old.write_bytes(b"PRECIOUS\n")
    os.chmod(old, 0o600)
    result = subprocess.run(
        backcare_cmd(db, "export", kind, "-o", str(old), "--force"),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited,
    )
    assert result.returncode == 1, result.stderr
    assert "could not write" in result.stderr and "Traceback" not in result.stderr
    assert old.read_bytes() == b"PRECIOUS\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home", old.name]
    # and without the limit the same command replaces it, 0600
    done = subprocess.run(
        backcare_cmd(db, "export", kind, "-o", str(old), "--force"),
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0 and old.stat().st_size > LIMIT
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


@pytest.mark.parametrize("args", [("export", "csv"), ("export", "json"), ("report",)])
def test_output_never_follows_a_symlink(tmp_path: Path, run: Run, args: tuple[str, ...]) -> None:
    assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("not yours")
    os.chmod(victim, 0o644)
    link = tmp_path / "out.html"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.html"  # .html: the report's format follows the name
    dangling.symlink_to(tmp_path / "nowhere.html")
    for target in (link, dangling):
        result = run(*args, "-o", str(target), "--force")  # refused even when forced
        assert result.exit_code == 2, result.stderr
        assert "symbolic link" in result.stderr
    assert victim.read_text() == "not yours"
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert link.is_symlink() and dangling.is_symlink()
    assert not (tmp_path / "nowhere.html").exists()


def test_output_replaces_an_existing_file_and_makes_it_private(tmp_path: Path, run: Run) -> None:
    assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    out = tmp_path / "out.csv"
    out.write_text("old")
    os.chmod(out, 0o644)
    assert run("export", "csv", "-o", str(out)).exit_code == 2  # not without --force
    result = run("export", "csv", "-o", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8-sig").startswith("date")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
