"""Issue 14 case 1: `db restore` while other processes write loses no committed entry.

Restore takes the write lock before it copies the current DB aside and holds it through the
swap, so every entry whose writer reported success is either in the restored DB (written
after the restore) or in one of the kept `before-restore` copies (written before it).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import Run
from tests.reliability.test_backup_restore import WRITER
from tests.reliability.util import cli_env, integrity, notes, run_cli


def test_restores_during_writes_lose_no_committed_entry(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "2", "--note", "base", db=db).exit_code == 0
    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup), db=db).exit_code == 0
    env = cli_env(tmp_path)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    committed: list[str] = []
    cli_logged: list[str] = []
    restores = 0
    try:
        assert writer.stdout is not None
        for k in range(6):
            for _ in range(15):  # let it commit between restores
                committed.append(f"n{int(writer.stdout.readline()):06d}")
            result = run_cli(db, env, "db", "restore", str(backup), "--yes")
            assert result.returncode == 0, result.stderr
            restores += 1
            # a `log` command between restores: exit 0 means it must survive somewhere
            logged = run_cli(db, env, "log", "3", "--note", f"cli{k}")
            if logged.returncode == 0:
                cli_logged.append(f"cli{k}")
    finally:
        writer.send_signal(signal.SIGSTOP)  # stop between commits is not guaranteed: read all
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate()
    committed += [f"n{int(line):06d}" for line in rest.split()]
    kept = sorted(db.parent.glob("backcare.db.before-restore.*.bak"))
    assert len(kept) == restores == 6
    found = set(notes(db))
    for copy in kept:
        assert integrity(copy) == ["ok"]
        found |= set(notes(copy))
    lost = [n for n in committed + cli_logged if n not in found]
    assert lost == [], f"{len(lost)} of {len(committed) + len(cli_logged)} committed entries lost"
    assert integrity(db) == ["ok"]
