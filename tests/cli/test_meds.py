"""Medicines through the real CLI and a real SQLite file (issue 12).

Every time is fixed (`--at`, `--as-of`): a write is judged at its own time as well as now,
so the flags these tests expect do not depend on the real clock.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Run, row_counts

DAY = "2026-03-02"


def treat(run: Run, *args: str) -> str:
    result = run("treat", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def status_json(run: Run, as_of: str) -> dict:
    result = run("status", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_rules(run: Run, as_of: str) -> dict[str, dict]:
    result = run("check", "--json", "--as-of", as_of)
    assert result.exit_code in (0, 3), result.stderr
    return {f["rule"]: f for f in json.loads(result.stdout)["flags"]}


# --- The four failures of issue 12 ---------------------------------------------------------


def test_no_next_dose_offered_after_4000_mg_acetaminophen(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    result = run("status", "--as-of", f"{DAY} 19:00")
    assert result.exit_code == 0, result.stderr
    assert "acetaminophen allowed now" not in result.stdout
    # 4000 of 3000 mg: over the maximum until the 06:00 dose leaves the window; one more
    # 1000 mg fits only when the 10:00 dose has left too (by hand: 14:00 + 18:00 + 1000).
    assert "over the 24 h maximum until 06:00" in result.stdout
    [dose] = status_json(run, f"{DAY} 19:00")["due"]["next_doses"]
    assert dose["drug"] == "acetaminophen"
    assert dose["allowed"] is False
    assert dose["next_allowed_at"].startswith("2026-03-03T10:00")
    assert dose["mg_24h"] == 4000


def test_tylenol_extra_strength_5_x_1000_raises_the_overdose_emergency(run: Run) -> None:
    outputs = [
        treat(
            run,
            "medication",
            "--drug",
            "Tylenol Extra Strength",
            "--dose",
            "1000",
            "--at",
            f"{DAY} {hour}:00",
        )
        for hour in ("06", "10", "14", "18", "22")
    ]
    assert "acetaminophen" in outputs[0]
    assert "med.acetaminophen-overdose" in outputs[-1]
    assert "!!" in outputs[-1]  # the emergency banner
    flags = check_rules(run, f"{DAY} 23:00")
    assert flags["med.acetaminophen-overdose"]["level"] == "emergency"
    assert "med.daily-max" in flags
    [dose] = status_json(run, f"{DAY} 23:00")["due"]["next_doses"]
    assert dose["allowed"] is False and dose["next_allowed_at"] is None


def test_100000_mg_is_refused_and_nothing_stored(run: Run, db_path: Path) -> None:
    result = run("treat", "ibuprofen", "--dose", "100000", "--at", f"{DAY} 08:00")
    assert result.exit_code == 2
    assert "is that mg?" in result.stderr
    assert "Poison Control" in result.stderr
    assert "100000" not in result.stderr  # no health data echoed
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path).get("treatment", 0) == 0


def test_second_drug_overdose_announced_when_daily_max_already_open(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    assert "med.daily-max" in check_rules(run, f"{DAY} 19:00")
    out = treat(run, "ibuprofen", "--dose", "2400", "--at", f"{DAY} 19:00")
    assert "med.daily-max" in out
    assert "ibuprofen 2400 mg" in out  # the new evidence is named
