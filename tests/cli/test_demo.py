"""`backcare demo` shows a sample fortnight and never touches the user's database."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import Run, file_digest


def test_demo_leaves_the_users_db_alone(run: Run, db_path: Path) -> None:
    run("log", "4")
    before = file_digest(db_path)
    result = run("demo")
    assert result.exit_code == 0, result.stderr
    # The demo starts 13.5 days before the real now: its onset's calendar day is 14 or 15
    # days back depending on the time of day (day N counts calendar days, issue 15).
    assert re.search(r"Episode day 1[45],", result.stdout)
    assert "Last 14 days:" in result.stdout
    assert file_digest(db_path) == before
    demo_path = next(w for w in result.stdout.split() if "demo.db" in w).strip("();,")
    assert not Path(demo_path).exists()


def test_demo_without_any_db(run: Run, db_path: Path) -> None:
    assert run("demo").exit_code == 0
    assert not db_path.exists()
