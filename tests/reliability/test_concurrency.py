"""Many backcare processes on one DB at once: every write lands, nobody sees "locked".

Writers queue on BEGIN IMMEDIATE and the busy timeout; readers (`remind`, cron's command)
read a WAL snapshot and never block or fail.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.reliability.util import backcare_cmd, cli_env, integrity, notes, run_cli

WRITERS = 30
READERS = 5


def _launch(db: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        backcare_cmd(db, *args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(procs: list[subprocess.Popen[str]]) -> list[tuple[list[str], int, str]]:
    results = []
    for proc in procs:
        _out, err = proc.communicate(timeout=180)
        args = [str(arg) for arg in proc.args[3:]]  # type: ignore[index]
        results.append((args, proc.returncode, err))
    return results


def test_30_writers_and_5_remind_readers_all_succeed(tmp_path: Path) -> None:
    db = tmp_path / "data" / "backcare.db"
    env = cli_env(tmp_path)
    assert run_cli(db, env, "log", "2", "--note", "first").returncode == 0

    procs = [_launch(db, env, "log", str(i % 11), "--note", f"w{i}") for i in range(WRITERS)]
    procs += [_launch(db, env, "remind") for _ in range(READERS)]
    results = _finish(procs)

    failed = [(args, code, err) for args, code, err in results if code != 0]
    assert failed == []
    assert not any("locked" in err or "busy" in err for _, _, err in results)
    stored = notes(db)
    assert sorted(stored) == sorted(["first", *(f"w{i}" for i in range(WRITERS))])
    assert integrity(db) == ["ok"]


def test_writers_racing_to_create_the_db(tmp_path: Path) -> None:
    """The first use of a new DB by several processes at once: one creates, all write."""
    db = tmp_path / "fresh" / "backcare.db"
    env = cli_env(tmp_path)
    procs = [_launch(db, env, "treat", "ice", "--note", f"c{i}") for i in range(6)]
    results = _finish(procs)
    assert [(args, code, err) for args, code, err in results if code != 0] == []
    assert sorted(notes(db, "treatment")) == sorted(f"c{i}" for i in range(6))
    assert integrity(db) == ["ok"]
