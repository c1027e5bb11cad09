"""SIGKILL at random moments: the file stays sound, and what was reported done is there.

"Reported done" is a writer that exited 0 (or, for the loop writer, printed its note after
the commit). A killed import adds all of its entries or none. Each test prints its random
seed, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability.util import (
    backcare_cmd,
    cli_env,
    count,
    export_json,
    integrity,
    notes,
    run_cli,
)

ROUNDS = 3


def _rng() -> random.Random:
    seed = int(os.environ.get("BACKCARE_CRASH_SEED", time.time_ns() % 1_000_000))
    print(f"crash seed: BACKCARE_CRASH_SEED={seed}")
    return random.Random(seed)


def _kill(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)


def test_killed_log_writers_leave_a_sound_db_with_every_reported_entry(tmp_path: Path) -> None:
    rng = _rng()
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert run_cli(db, env, "log", "1", "--note", "base").returncode == 0
    # Kill times scale with how long one `log` takes on this machine: fixed delays let a
    # fast machine finish every writer before the first kill, and the test then shows nothing.
    started = time.monotonic()
    assert run_cli(db, env, "log", "3", "--symptom", "fever", "--note", "timed").returncode == 0
    single = time.monotonic() - started
    done = {"base", "timed"}
    launched = set(done)
    killed = 0
    for round_ in range(ROUNDS):
        procs = {}
        for i in range(6):
            note = f"r{round_}w{i}"
            launched.add(note)
            procs[note] = subprocess.Popen(
                backcare_cmd(db, "log", "3", "--symptom", "fever", "--note", note),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        start = time.monotonic()
        # Six writers share the cores, so none finishes before `single` has passed: the first
        # kill lands while its writer runs; the others fall anywhere up to the commits.
        first, *others = rng.sample(list(procs), 3)
        delays = [(rng.uniform(0.1, 0.8) * single, first)]
        delays += [(rng.uniform(0.1, 2.5) * single, n) for n in others]
        for delay, note in sorted(delays):
            time.sleep(max(0.0, start + delay - time.monotonic()))
            _kill(procs[note])
        for note, proc in procs.items():
            _out, err = proc.communicate(timeout=120)
            if proc.returncode == 0:
                done.add(note)
            else:
                assert proc.returncode == -signal.SIGKILL, (note, proc.returncode, err)
                killed += 1
        assert integrity(db) == ["ok"]
        stored = notes(db)
        assert len(stored) == len(set(stored))  # nothing written twice
        assert done <= set(stored) <= launched
        # Each log writes a pain entry and a symptom in one transaction: both or neither.
        assert count(db, "symptom_report") == len(stored) - 1
    assert killed > 0
    # The DB takes new writes after all that (no stale lock, no leftover transaction).
    assert run_cli(db, env, "log", "2", "--note", "after").returncode == 0
    assert "after" in notes(db)


LOOP_WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path

from backcare.domain.inputs import NewPain
from backcare.store import repo
from backcare.store.engine import open_store

store = open_store(Path(sys.argv[1]), create=True)
i = 0
while True:
    note = f"{sys.argv[2]}-{i}"
    now = datetime.now(UTC)
    with store.write() as session:
        repo.add_pain(session, entry=NewPain(at=now, pain=3, note=note), now=now)
    print(note, flush=True)
    i += 1
"""


def test_killed_tight_loop_writers_lose_no_committed_transaction(tmp_path: Path) -> None:
    """Two processes committing as fast as they can, killed mid-stride, several rounds."""
    rng = _rng()
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert run_cli(db, env, "log", "1").returncode == 0
    reported: set[str] = set()
    for round_ in range(ROUNDS):
        errors = tmp_path / f"errors{round_}.txt"
        with errors.open("a") as error_file:
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", LOOP_WRITER, str(db), f"r{round_}p{k}"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=error_file,
                    text=True,
                )
                for k in range(2)
            ]
        for proc in procs:  # both are in their loop: each has committed once
            assert proc.stdout is not None
            first = proc.stdout.readline().strip()
            assert first, errors.read_text()
            reported.add(first)
        time.sleep(rng.uniform(0.05, 0.5))
        for proc in procs:
            time.sleep(rng.uniform(0.0, 0.05))
            _kill(proc)
        for proc in procs:
            assert proc.stdout is not None
            rest = proc.stdout.read()  # what it printed before the kill (reads to EOF)
            proc.stdout.close()
            assert proc.wait(timeout=60) == -signal.SIGKILL, errors.read_text()
            reported.update(line for line in rest.splitlines() if line)
        assert integrity(db) == ["ok"]
        stored = set(notes(db))
        assert reported <= stored
        # At most one commit per killed process can be stored without having been reported.
        assert len(stored - reported) <= 2 * (round_ + 1)
    assert len(reported) > 4 * ROUNDS  # the writers really were writing when killed


def test_killed_import_is_all_or_nothing(tmp_path: Path) -> None:
    rng = _rng()
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    size = 10_000
    assert run_cli(db, env, "log", "1").returncode == 0

    # One whole import first: it must add everything, and it says how long one takes.
    export_json(tmp_path / "whole.json", size, prefix="whole")
    started = time.monotonic()
    assert run_cli(db, env, "import", str(tmp_path / "whole.json")).returncode == 0
    duration = time.monotonic() - started
    assert count(db, "pain_entry") == 1 + size

    outcomes = []
    for round_ in range(ROUNDS):
        export = tmp_path / f"round{round_}.json"
        export_json(export, size, prefix=f"r{round_}-")  # new uids: nothing to skip
        before = count(db, "pain_entry")
        proc = subprocess.Popen(
            backcare_cmd(db, "import", str(export)),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 1.05) * duration)
        _kill(proc)
        _out, err = proc.communicate(timeout=120)
        after = count(db, "pain_entry")
        assert integrity(db) == ["ok"]
        if proc.returncode == 0:
            assert after == before + size
        else:
            assert proc.returncode == -signal.SIGKILL, err
            assert after in (before, before + size)  # never a part of the file
        outcomes.append((proc.returncode, after - before))
    print("import rounds (exit code, rows added):", outcomes)
    assert run_cli(db, env, "history", "--days", "1").returncode == 0
