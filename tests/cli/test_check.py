"""`check`, the banner after `log`, `checkin` and `rules` through the real CLI and SQLite."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from backcare.domain.model import LEVEL_RANK, LEVELS
from tests.conftest import Run, row_counts

ISO_KEYS = {"as_of", "episode", "flags"}
# "acknowledged": null, or the acknowledgement covering the flag (backcare ack)
FLAG_KEYS = {"rule", "level", "title", "advice", "source", "evidence", "acknowledged"}


def check_json(run: Run, *args: str) -> dict:
    result = run("check", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_check_json_schema_and_order(run: Run) -> None:
    run("log", "7", "--at", "-80h")
    run("log", "7", "--at", "-2h", "--symptom", "fever", "--symptom", "leg-numbness")
    for at in ("-10h", "-7h", "-4h", "-1h"):
        run("treat", "ibuprofen", "--dose", "400", "--at", at)
    data = check_json(run)
    assert set(data) == ISO_KEYS
    assert data["as_of"][-6:] in ("+00:00", "+01:00")
    assert set(data["episode"]) == {"onset", "day", "hours"}
    assert data["episode"]["day"] in (4, 5)  # 80 h back: the 4th or 5th calendar day
    assert 79.9 < data["episode"]["hours"] < 80.1
    rules = [f["rule"] for f in data["flags"]]
    # A specific rule does not hide general ones (docs/rules.md).
    assert {
        "red-flag.infection-neuro",
        "red-flag.fever",
        "red-flag.leg-symptoms",
        "course.no-improvement-72h",
        "med.daily-max",
    } <= set(rules)
    for flag in data["flags"]:
        assert set(flag) == FLAG_KEYS
        assert flag["level"] in LEVELS
        assert isinstance(flag["evidence"], list) and flag["evidence"]
    ranks = [LEVEL_RANK[f["level"]] for f in data["flags"]]
    assert ranks == sorted(ranks)
    assert data["flags"][0]["rule"] == "red-flag.infection-neuro"


def test_check_without_episode(run: Run) -> None:
    run("log", "0", "--at", "-1h")
    data = check_json(run)
    assert data["episode"] is None and data["flags"] == []


def test_check_as_of_ignores_later_entries(run: Run) -> None:
    run("log", "5", "--at", "-3d")
    run("symptom", "bladder", "--at", "-1h")
    earlier = check_json(run, "--as-of", "-2d")
    assert "red-flag.cauda-equina" not in [f["rule"] for f in earlier["flags"]]
    now = check_json(run)
    assert now["flags"][0]["rule"] == "red-flag.cauda-equina"


def test_strict_exit_codes(run: Run) -> None:
    run("log", "3", "--at", "-1h")
    assert run("check", "--strict").exit_code == 0
    run("treat", "heat", "--minutes", "45")  # caution only: below "soon"
    assert run("check", "--strict").exit_code == 0
    run("symptom", "night-pain")  # urgent
    result = run("check", "--strict")
    assert result.exit_code == 3
    assert "red-flag.night-pain" in result.stdout


def test_check_plain_output_has_banner_advice_evidence_source_and_disclaimer(run: Run) -> None:
    run("log", "6", "--symptom", "saddle-numbness")
    result = run("check")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("!! EMERGENCY: call the emergency number")
    assert "What to do:" in result.stdout and "Source:" in result.stdout
    assert "saddle-numbness" in result.stdout  # evidence names the entry
    assert result.stdout.count("it does not diagnose") == 1
    assert "\x1b[" not in result.stdout
    assert max(len(line) for line in lines) <= 80


def test_log_bladder_prints_the_emergency_banner_at_once(run: Run) -> None:
    result = run("log", "7", "--symptom", "bladder")
    assert result.exit_code == 0
    assert "!! EMERGENCY" in result.stdout
    assert "red-flag.cauda-equina" in result.stdout
    # the banner comes right after what was logged, before any other text
    first_after_log = next(ln for ln in result.stdout.splitlines() if not ln.startswith("Logged"))
    assert first_after_log.startswith("!! EMERGENCY")


def test_treat_over_the_daily_maximum_says_so(run: Run) -> None:
    for at in ("-13h", "-9h", "-5h"):
        assert "med.daily-max" not in run("treat", "ibuprofen", "--dose", "400", "--at", at).stdout
    result = run("treat", "ibuprofen", "--dose", "400", "--at", "-1h")
    assert "med.daily-max" in result.stdout and "[caution]" in result.stdout


def test_rules_catalog_lists_every_rule(run: Run) -> None:
    from backcare.domain.rules import RULES

    result = run("rules")
    assert result.exit_code == 0
    for rule in RULES:
        assert rule.id in result.stdout
    assert 'Mayo Clinic "Back pain"' in result.stdout


def test_checkin_without_terminal_is_a_usage_error_not_a_hang(run: Run, db_path: Path) -> None:
    result = run("checkin", input="y\n" * 30)
    assert result.exit_code == 2
    assert "needs a terminal" in result.stderr
    assert not db_path.exists()


def _backcare() -> str:
    return str(Path(sys.executable).parent / "backcare")


def _pty_run(db: Path, env: dict[str, str], answers: list[str]) -> tuple[int, str]:
    """Run `backcare checkin` on a real pty, answering each `[y/n/s]` prompt in turn."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [_backcare(), "--db", str(db), "checkin"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    pending = list(answers)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            while pending and output.count(b"[y/n/s]") > len(answers) - len(pending):
                os.write(master, pending.pop(0).encode() + b"\n")
        elif proc.poll() is not None:
            break
    proc.wait(timeout=10)
    os.close(master)
    return proc.returncode, output.decode(errors="replace")


def test_checkin_through_a_pseudo_terminal(tmp_path: Path) -> None:
    """Answer yes to bladder, no to fever, skip the rest, on a real pty: ONE check-in row."""
    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    subprocess.run(
        [_backcare(), "--db", str(db), "log", "5"], env=env, check=True, capture_output=True
    )
    from backcare.domain.symptoms import SYMPTOM_CODES

    answers = ["y" if c == "bladder" else "n" if c == "fever" else "" for c in SYMPTOM_CODES]
    code, text = _pty_run(db, env, answers)
    assert code == 0, text
    assert "New trouble passing urine" in text
    assert "Have you had back pain before" not in text  # no birth year: not asked
    assert "EMERGENCY" in text
    assert "Recorded check-in c1: 2 questions asked, present: bladder." in text
    counts = row_counts(db)
    assert counts["symptom_report"] == 0
    assert counts["checkin"] == 1
    import sqlite3

    rows = sqlite3.connect(db).execute("SELECT asked, present FROM checkin")
    assert rows.fetchall() == [("bladder,fever", "bladder")]


def test_checkin_asks_prior_back_pain_over_50_and_saves_it(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    for args in (["log", "5"], ["profile", "set", "--birth-year", "1950"]):
        subprocess.run([_backcare(), "--db", str(db), *args], env=env, check=True)
    from backcare.domain.symptoms import SYMPTOM_CODES

    code, text = _pty_run(db, env, ["n", *("n" for _ in SYMPTOM_CODES)])
    assert code == 0, text
    assert "Have you had back pain before this episode?" in text
    assert f"{len(SYMPTOM_CODES)} questions asked, none present" in text
    assert "risk.first-after-50" in text  # answered no, over 50, an active episode
    shown = subprocess.run(
        [_backcare(), "--db", str(db), "profile", "show", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(shown.stdout)["prior_back_pain"] is False


def test_rules_command_agrees_with_the_catalog(run: Run) -> None:
    """Piped `backcare rules` prints each rule's ID, level, trigger, advice and source."""
    from backcare.domain.rules import RETIRED, RULES

    # Fields are wrapped to 80 columns (issue 15): a line indented 4 continues the one above.
    lines: list[str] = []
    for line in run("rules").stdout.splitlines():
        if line.startswith("    ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    for rule in RULES:
        i = lines.index(f"{rule.id} [{rule.level}]")
        assert lines[i + 1 : i + 4] == [
            f"  fires when: {rule.trigger}",
            f"  advice: {rule.advice}",
            f"  source: {rule.source}",
        ]
    for rule_id, why in RETIRED.items():
        i = lines.index(f"{rule_id} [retired]")
        retired = [lines[i + 1]]
        for line in lines[i + 2 :]:
            if not line.startswith("  ") or line.startswith("  fires when"):
                break
            retired.append(line.strip())
        assert " ".join(retired) == f"  {why}"
