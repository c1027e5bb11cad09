"""`status` and `summary` through the CLI, and their rendering at 80/120 columns and piped."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Run

ESC = re.compile(r"\x1b\[")


@pytest.fixture
def fortnight(db_path: Path) -> None:
    """Pain 7 easing to 3 over 14 days, two entries a day, ice and ibuprofen every day.

    Written in one transaction through the store (the CLI path is tested elsewhere)."""
    from backcare.cli.context import local_now
    from backcare.domain.inputs import new_pain, new_treatment
    from backcare.store import repo
    from backcare.store.engine import open_store

    now = local_now()
    store = open_store(db_path, create=True)
    with store.write() as session:
        for day in range(13, -1, -1):
            pain = 3 + day * 4 // 13
            for hour in (10, 4):
                at = now - timedelta(hours=day * 24 + hour)
                entry = new_pain(at=at, pain=pain, spasms=day // 4)
                repo.add_pain(session, entry=entry, now=now)
            ice = new_treatment(at=now - timedelta(hours=day * 24 + 9), kind="ice", minutes=20)
            repo.add_treatment(session, entry=ice, now=now)
            dose = new_treatment(at=now - timedelta(hours=day * 24 + 8), kind="ibuprofen", dose=400)
            repo.add_treatment(session, entry=dose, now=now)
    store.close()


def test_status_plain(run: Run, fortnight: None) -> None:
    result = run("status")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Episode day" in out
    assert "Latest pain: 3/10" in out
    assert "Trend:" in out and "better" in out
    assert "Last 14 days:" in out
    assert not ESC.search(out)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "it does not diagnose" in out


def test_status_due_items(run: Run) -> None:
    run("log", "6", "--at", "-1d")
    run("treat", "ibuprofen", "--dose", "400", "--at", "-1h")
    run("treat", "ice", "--minutes", "20", "--at", "-50m")
    out = run("status").stdout
    assert "log today's pain" in out
    assert re.search(r"next ibuprofen allowed \d\d:\d\d \(400 of 1200 mg in 24 h, the label\)", out)
    assert "ice can be reapplied" in out


def test_status_on_missing_db_is_an_error(run: Run, tmp_path: Path) -> None:
    result = run("status", db=tmp_path / "none.db")
    assert result.exit_code == 1 and "none.db" in result.stderr


def test_summary_json_numbers(run: Run) -> None:
    run("log", "4", "--at", "2025-03-03 09:00")
    run("log", "6", "--at", "2025-03-03 18:00")
    data = json.loads(run("summary", "--from", "2025-03-02", "--to", "2025-03-04", "--json").stdout)
    assert (data["from"], data["to"]) == ("2025-03-02", "2025-03-04")
    assert [d["day"] for d in data["days"]] == ["2025-03-02", "2025-03-03", "2025-03-04"]
    logged = [d for d in data["days"] if d["entries"]]
    assert len(logged) == 1 and logged[0]["mean_pain"] == 5.0 and logged[0]["max_pain"] == 6
    # --days N ends today (summary has no --as-of): N local days, the last one today.
    recent = json.loads(run("summary", "--days", "3", "--json").stdout)
    first, last = date.fromisoformat(recent["from"]), date.fromisoformat(recent["to"])
    assert (last - first).days == 2 and len(recent["days"]) == 3


def test_summary_plain_has_table_charts_heatmap_and_response(run: Run, fortnight: None) -> None:
    result = run("summary", "--days", "28")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Daily mean pain (0-10)" in out and "Spasms per day" in out
    assert "week of      Mo Tu We Th Fr Sa Su" in out  # heat map from 28 days
    assert re.search(r"ice\s+used\s+14x, \d+ pairs: [+-]\d\.\d points", out)
    assert "association" in out
    assert not ESC.search(out)
    assert max(len(line) for line in out.splitlines()) <= 80


def test_summary_short_period_has_no_heatmap_and_not_enough_data(run: Run) -> None:
    run("log", "5", "--at", "-3h")
    run("treat", "heat", "--minutes", "20", "--at", "-2h")
    run("log", "4", "--at", "-30m")
    out = run("summary", "--days", "7").stdout
    assert "week of" not in out
    assert "heat" in out and "not enough data" in out


@pytest.mark.parametrize("width", [80, 120])
def test_rich_rendering_fits_the_width(
    run: Run, fortnight: None, db_path: Path, width: int, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from backcare import services
    from backcare.cli import render
    from backcare.cli.context import local_now, local_zone

    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    capsys.readouterr()
    render.status(services.status(db_path, as_of=local_now()), local_zone(), rich=True)
    today = local_now().date()
    result = services.summary(db_path, start=today - timedelta(days=27), end=today, tz=local_zone())
    render.summary(result, rich=True)
    out = capsys.readouterr().out
    assert ESC.search(out)  # colour on a terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in plain.splitlines()) <= width
    assert "Per day" in plain and "Daily mean pain" in plain


def test_status_json_has_the_screen_numbers(run: Run) -> None:
    run("log", "6", "--at", "2025-03-03 10:00")
    run("log", "4", "--at", "2025-03-04 11:00")
    run("treat", "ibuprofen", "--dose", "400", "--at", "2025-03-04 11:30")
    data = json.loads(run("status", "--json", "--as-of", "2025-03-04 12:00").stdout)
    assert data["episode"]["day"] == 2 and data["episode"]["baseline"] == 6.0
    assert data["latest_pain"]["pain"] == 4 and data["latest_pain"]["id"] == "p2"
    assert data["trend"] == {"baseline": 6.0, "current": 4.0, "change": -2.0, "direction": "down"}
    [dose] = data["due"]["next_doses"]
    assert (dose["drug"], dose["allowed"], dose["mg_24h"], dose["daily_max_mg"]) == (
        "ibuprofen",
        False,
        400,
        1200,
    )
    assert len(data["last14"]) == 14 and data["last14"][-1]["mean_pain"] == 4.0
    assert data["flags"] == []
