"""`db check` starts SQLite's own check before it imports the rest of the command (issue 18:
`db check --full` <= 1.5x integrity_check): the imports and the rows scan then run while
the check reads the file. Checked by what is imported when the check starts, in a fresh
interpreter running the real entry point, and by the report, which is the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Run

# Records sys.modules when store.integrity.start is called, then runs `backcare ARGV...`.
PROBE = """
import json, os, sys
from backcare.store import integrity
seen = []
real_start = integrity.start
def start(path, *, full):
    seen.append(sorted(m for m in sys.modules if m.startswith("backcare")))
    return real_start(path, full=full)
integrity.start = start
from backcare.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
print(json.dumps({"code": code, "seen": seen}), file=sys.stderr)
"""

LATER = ("backcare.store.maintenance", "backcare.domain.entries", "backcare.cli.render")


@pytest.fixture
def logged(run: Run, db_path: Path) -> Path:
    assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    return db_path


@pytest.mark.slow
@pytest.mark.parametrize("options", [["--full"], []])
def test_sqlite_check_starts_before_the_rules_are_imported(
    logged: Path, tmp_path: Path, options: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    env.update(HOME=str(tmp_path / "home"), NO_COLOR="1", TZ="Europe/London")
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(logged), "db", "check", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, done.stderr
    assert "sound" in done.stdout
    mode = "integrity_check" if options else "quick_check"
    assert f"({mode};" in done.stdout
    assert len(report["seen"]) == 1  # started once, early, and handed to the check
    assert not set(LATER) & set(report["seen"][0])
