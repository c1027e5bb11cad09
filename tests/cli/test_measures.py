"""`backcare measure` and `backcare goals` through the real CLI and SQLite (issue 16)."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts

AT = "2026-11-02 09:00"


def _rows(db: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT instrument, answers, goals FROM measure ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("name", "answers", "said"),
    [
        ("rmdq", ",".join(["1"] * 24), "Recorded m1: Roland-Morris score 24 of 24."),
        ("RMDQ", ",".join(["0"] * 24), "Recorded m1: Roland-Morris score 0 of 24."),
        (
            "startback",
            "1,0,0,0,1,1,1,0,4",
            "STarT Back total 5 of 9, psychosocial subscale 4 of 5: high risk",
        ),
        (
            "start-back",
            "1,1,1,0,0,0,0,0,3",
            "STarT Back total 4 of 9, psychosocial subscale 1 of 5: medium risk",
        ),
        ("startback", "1,1,1,0,0,0,0,0,2", "total 3 of 9, psychosocial subscale 0 of 5: low risk"),
        ("rmdq", ",".join(["1"] * 12 + ["0"] * 12), "Roland-Morris score 12 of 24"),
    ],
)
def test_a_measure_is_stored_and_its_score_said(
    run: Run, db_path: Path, name: str, answers: str, said: str
) -> None:
    result = run("measure", name, "--answers", answers, "--at", AT)
    assert result.exit_code == 0, result.stderr
    assert said in result.stdout
    ((instrument, stored, goals),) = _rows(db_path)
    assert instrument == name.lower().replace("-", "") and stored == answers and goals == "[]"


def test_startback_output_keeps_keele_copyright_line(run: Run) -> None:
    result = run("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", AT)
    assert "© Keele University 01/08/07 Funded by Arthritis Research UK" in result.stdout


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("startback", "--answers", "1,0"), "STarT Back has 9 items: --answers gave 2"),
        (
            ("rmdq", "--answers", ",".join(["0"] * 23 + ["2"])),
            "Roland-Morris item 24: the answer must be a whole number 0-1",
        ),
        (("startback", "--answers", "0,0,0,0,0,0,0,0,5"), "STarT Back item 9"),
        (
            ("startback", "--answers", "0,2,0,0,0,0,0,0,0"),
            "item 2: the answer must be a whole number 0-1",
        ),
        (("rmdq", "--answers", ",".join(["0"] * 23)), "Roland-Morris has 24 items"),
        (("rmdq", "--answers", "a,b,c"), "--answers takes whole numbers"),
        (("startbak", "--answers", "1,2,3"), "did you mean `backcare measure startback`?"),
        (("peg", "--answers", "1,2,3"), "PEG is no longer included"),
        (("oswestry", "--answers", "1"), "unknown questionnaire"),
        (("psfs", "--answers", "4"), "none yet"),
        (("rmdq",), "asks its questions on a terminal"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(
    run: Run, db_path: Path, args: tuple[str, ...], error: str
) -> None:
    run("log", "4", "--at", AT)
    result = run("measure", *args, "--at", AT)
    assert result.exit_code == 2
    assert error in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path)["measure"] == 0


def test_goals_at_most_three_and_psfs_rates_them(run: Run, db_path: Path) -> None:
    for goal in ("walk the dog", "lift my child", "sit through a film"):
        assert run("goals", "add", goal, "--at", "2026-11-01 09:00").exit_code == 0
    fourth = run("goals", "add", "garden", "--at", "2026-11-01 09:00")
    assert fourth.exit_code == 2 and "3 activities already" in fourth.stderr
    assert row_counts(db_path)["goal"] == 3
    listed = run("goals", "list").stdout
    assert "g1" in listed and "walk the dog" in listed and "g3" in listed
    wrong = run("measure", "psfs", "--answers", "3,6")
    assert wrong.exit_code == 2 and "PSFS has 3 items" in wrong.stderr
    result = run("measure", "psfs", "--answers", "3,6,0")
    assert result.exit_code == 0, result.stderr
    assert "PSFS score 3 of 10" in result.stdout
    ((_, answers, goals),) = _rows(db_path)
    assert answers == "3,6,0"
    assert json.loads(goals) == ["walk the dog", "lift my child", "sit through a film"]
    # Removing one: it is no longer asked; the earlier rating keeps its text; undo restores.
    assert run("goals", "remove", "g2").exit_code == 0
    assert "lift my child" not in run("goals", "list").stdout
    assert run("measure", "psfs", "--answers", "5,5").exit_code == 0
    assert json.loads(_rows(db_path)[1][2]) == ["walk the dog", "sit through a film"]
    assert run("undo", "--yes").exit_code == 0  # the second rating
    assert run("undo", "--yes").exit_code == 0  # the removal
    assert "lift my child" in run("goals", "list").stdout
    assert run("goals", "add", "garden").exit_code == 2


def test_goals_remove_takes_a_goal_id(run: Run) -> None:
    run("goals", "add", "walk")
    result = run("goals", "remove", "p1")
    assert result.exit_code == 2
    assert run("goals", "remove", "g9").exit_code == 2


def test_history_edit_delete_undo_a_measure(run: Run, db_path: Path) -> None:
    run("log", "5", "--at", "2026-11-01 08:00")
    run("goals", "add", "walk the dog", "--at", "2026-11-01 08:00")
    run("goals", "add", "lift my child", "--at", "2026-11-01 08:00")
    run("goals", "add", "sit through a film", "--at", "2026-11-01 08:00")
    run("measure", "psfs", "--answers", "7,6,0", "--at", AT)
    shown = run("history", "--from", "2026-11-01", "--to", "2026-11-03").stdout
    assert "m1" in shown and "measure" in shown and "PSFS score 4.3 of 10" in shown
    listed = json.loads(
        run("history", "--from", "2026-11-01", "--to", "2026-11-03", "--json").stdout
    )
    assert [e["type"] for e in listed] == ["pain", "measure"]
    assert listed[1]["answers"] == [7, 6, 0] and listed[1]["instrument"] == "psfs"

    bad = run("edit", "m1", "--answers", "1,2,12")
    assert bad.exit_code == 2 and "PSFS item 3" in bad.stderr
    assert _rows(db_path)[0][1] == "7,6,0"
    edited = run("edit", "m1", "--answers", "1,2,3")
    assert edited.exit_code == 0, edited.stderr
    assert "PSFS score 2 of 10" in edited.stdout
    assert run("edit", "m1", "--pain", "3").exit_code == 2
    assert run("undo", "--yes").exit_code == 0
    assert _rows(db_path)[0][1] == "7,6,0"

    assert run("delete", "m1", "--yes").exit_code == 0
    assert "m1" not in run("history", "--from", "2026-11-01", "--to", "2026-11-03").stdout
    assert run("undo", "--yes").exit_code == 0
    assert "m1" in run("history", "--from", "2026-11-01", "--to", "2026-11-03").stdout


# --- the interactive flow on a real pty ------------------------------------------------------


def _backcare() -> str:
    return str(Path(sys.executable).parent / "backcare")


@contextlib.contextmanager
def _sigint_default() -> Iterator[None]:
    """Children get SIGINT at its default, as from a person's terminal (see test_installed)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def _pty_measure(
    db: Path,
    env: dict[str, str],
    name: str,
    replies: list[str],
    *,
    interrupt_after: int | None = None,
) -> tuple[int, str]:
    """Run `backcare measure NAME` on a pty, typing each reply at each `answer (` prompt;
    with `interrupt_after`, send SIGINT once that many replies are typed."""
    master, slave = pty.openpty()
    with _sigint_default():
        proc = subprocess.Popen(
            [_backcare(), "--db", str(db), "measure", name],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
        )
    os.close(slave)
    output = b""
    typed = 0
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
            if output.count(b"answer (") > typed:
                if interrupt_after is not None and typed == interrupt_after:
                    while _state(proc.pid) != "S" and time.monotonic() < deadline:
                        time.sleep(0.01)
                    proc.send_signal(signal.SIGINT)
                    typed += 1
                elif typed < len(replies):
                    os.write(master, replies[typed].encode() + b"\n")
                    typed += 1
        elif proc.poll() is not None:
            break
    code = proc.wait(timeout=10)
    os.close(master)
    return code, output.decode(errors="replace")


@pytest.mark.slow
def test_interactive_psfs_one_question_a_screen_and_going_back(tmp_path: Path) -> None:
    """Answer 9, go back with `<`, answer 7; a reply out of range is asked again."""
    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    for goal in ("walk the dog", "lift my child", "sit through a film"):
        subprocess.run(
            [_backcare(), "--db", str(db), "goals", "add", goal, "--at", "-1h"], env=env, check=True
        )
    code, text = _pty_measure(db, env, "psfs", ["9", "<", "7", "11", "6", "0"])
    assert code == 0, text
    assert "1/3. walk the dog" in text and "3/3. sit through a film" in text
    assert "please type a whole number 0-10" in text
    assert "Recorded m1: PSFS score 4.3 of 10." in text  # (7 + 6 + 0) / 3, not 9
    assert [r[:2] for r in _rows(db)] == [("psfs", "7,6,0")]


@pytest.mark.slow
def test_interactive_startback_shows_the_options_and_copyright(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    replies = ["1", "0", "0", "0", "1", "1", "1", "<", "1", "0", "3"]
    code, text = _pty_measure(db, env, "startback", replies)
    assert code == 0, text
    assert "3 = very much" in text and "© Keele University 01/08/07" in text
    assert "psychosocial subscale 4 of 5: high risk" in text
    assert _rows(db) == [("startback", "1,0,0,0,1,1,1,0,3", "[]")]


@pytest.mark.slow
def test_ctrl_c_in_the_middle_exits_130_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "pty.db"
    env = {**os.environ, "TZ": "Europe/London", "NO_COLOR": "1", "HOME": str(tmp_path)}
    subprocess.run([_backcare(), "--db", str(db), "log", "5"], env=env, check=True)
    code, text = _pty_measure(db, env, "rmdq", ["1", "0", "1"], interrupt_after=3)
    assert code == 130, text
    assert "interrupted" in text and "Traceback" not in text
    assert row_counts(db)["measure"] == 0
