"""Issue 14 case 8: busy under load. 30 writers x 20 writes (`log` and `treat`), while
`status`, `export csv` and `db backup` run in loops: every write is kept (0 failed).

Each writer is a process that runs the real CLI 20 times in-process (`app(args,
standalone_mode=False)`: parsing, the exit point, a fresh store per command), so 600
commands fit in about a minute on 2 cores; the readers are console-script subprocesses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.util import backcare_cmd, cli_env, integrity, notes, run_cli

WRITERS = 30
WRITES = 20

WRITER = """
import json, sys
from backcare.cli.app import app

db, name, writes = sys.argv[1], sys.argv[2], int(sys.argv[3])
codes = []
for i in range(writes):
    if i % 2:
        args = ["treat", "ice", "--minutes", "10", "--note", f"{name}-{i}"]
    else:
        args = ["log", str(i % 11), "--note", f"{name}-{i}"]
    code = app(["--db", db, *args], standalone_mode=False, prog_name="backcare")
    codes.append(code or 0)
print(json.dumps(codes))
"""

READERS = [("status",), ("export", "csv"), ("db", "backup")]


@pytest.mark.slow
def test_30_writers_x_20_writes_with_readers_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert run_cli(db, env, "log", "2", "--note", "first").returncode == 0
    started = time.monotonic()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"w{k}", str(WRITES)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(WRITERS)
    ]
    reader_runs: dict[str, list[int]] = {" ".join(r): [] for r in READERS}
    reader_errors: list[str] = []
    backups = 0
    while any(w.poll() is None for w in writers):
        for args in READERS:
            if args == ("db", "backup"):
                args = ("db", "backup", str(tmp_path / f"b{backups}.db"))
                backups += 1
            proc = subprocess.run(
                backcare_cmd(db, *args), env=env, capture_output=True, text=True, timeout=120
            )
            reader_runs[" ".join(args[:2])].append(proc.returncode)
            if proc.returncode != 0:
                reader_errors.append(proc.stderr)
    failed: list[str] = []
    for k, writer in enumerate(writers):
        out, err = writer.communicate(timeout=300)
        codes = json.loads(out.strip().splitlines()[-1]) if out.strip() else []
        failed += [f"w{k}-{i}: exit {c}" for i, c in enumerate(codes) if c != 0]
        failed += [f"w{k}: {err.strip()[-300:]}"] if writer.returncode or err.strip() else []
    elapsed = time.monotonic() - started
    expected = {f"w{k}-{i}" for k in range(WRITERS) for i in range(WRITES)}
    stored = set(notes(db)) | set(notes(db, "treatment"))
    print(
        f"\n{WRITERS}x{WRITES} writes in {elapsed:.1f}s; failed {len(failed)}; "
        f"missing {len(expected - stored)}; reader runs "
        + ", ".join(
            f"{k}: {len(v)} ({sum(1 for c in v if c)} failed)" for k, v in reader_runs.items()
        )
    )
    assert failed == []
    assert expected <= stored
    assert reader_errors == []
    assert integrity(db) == ["ok"]


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.mark.slow
def test_a_write_waits_beyond_the_busy_timeout_instead_of_failing(tmp_path: Path) -> None:
    """A write lock held longer than SQLite's busy timeout (30 s: a long import, a slow
    disk, a starved waiter) made `log` fail "locked"; the write now keeps waiting."""
    from backcare.store.engine import BUSY_TIMEOUT_MS

    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert run_cli(db, env, "log", "2", "--note", "first").returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(BUSY_TIMEOUT_MS / 1000 + 4)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    result = run_cli(db, env, "log", "5", "--note", "waited")
    holder.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    assert sorted(notes(db)) == ["first", "waited"]
