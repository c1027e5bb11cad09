"""Issue 14 case 7: an entry that was saved is never reported as failed.

Real processes with a broken standard output: closed, full (/dev/full), a pipe whose reader
has gone, an ASCII-only encoding. A write that committed exits 0 and says on stderr that it
was saved but could not be printed (so nobody retries and duplicates it); a read with
nowhere to print fails with one clean line; nothing prints a traceback.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reliability.util import BACKCARE, backcare_cmd, cli_env, count, notes

WRITE = ("log", "4", "--note", "caf\u00e9 \u2265 5", "--at", "2026-03-01 08:00")


def _closed(**kwargs: Any) -> dict[str, Any]:
    return {"preexec_fn": lambda: os.close(1), **kwargs}


def _full(**kwargs: Any) -> dict[str, Any]:
    return {"stdout": open("/dev/full", "wb"), **kwargs}


def _broken_pipe(**kwargs: Any) -> dict[str, Any]:
    read, write = os.pipe()
    os.close(read)  # the reader has gone before anything is written
    return {"stdout": write, **kwargs}


BROKEN: dict[str, Callable[..., dict[str, Any]]] = {
    "closed": _closed,
    "full": _full,
    "broken-pipe": _broken_pipe,
}


def _run(
    tmp_path: Path, args: tuple[str, ...], how: dict[str, Any], *, with_db: bool = True
) -> tuple[int, str]:
    db = tmp_path / "data" / "backcare.db"
    command = backcare_cmd(db, *args) if with_db else [str(BACKCARE), *args]
    env = cli_env(tmp_path) | how.pop("env", {})
    env = {k: v for k, v in env.items() if v}  # "" removes a variable
    how.setdefault("stdout", subprocess.DEVNULL)
    proc = subprocess.run(command, env=env, stderr=subprocess.PIPE, timeout=120, **how)
    if isinstance(how.get("stdout"), int) and how["stdout"] > 2:
        os.close(how["stdout"])
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_saved_entry_exits_0_and_says_so_when_it_cannot_print(
    tmp_path: Path, broken: str
) -> None:
    db = tmp_path / "data" / "backcare.db"
    code, err = _run(tmp_path, WRITE, BROKEN[broken]())
    assert "Traceback" not in err
    assert code == 0, err
    assert "saved, but could not print" in err
    assert count(db, "pain_entry") == 1
    assert notes(db) == ["caf\u00e9 \u2265 5"]


def test_an_ascii_only_terminal_gets_the_confirmation(tmp_path: Path) -> None:
    db = tmp_path / "data" / "backcare.db"
    code, err = _run(
        tmp_path, WRITE, {"env": {"PYTHONIOENCODING": "ascii"}, "stdout": subprocess.PIPE}
    )
    assert code == 0, err
    assert "Traceback" not in err and "unexpected" not in err
    assert count(db, "pain_entry") == 1


@pytest.mark.parametrize("broken", sorted(BROKEN))
def test_a_read_with_nowhere_to_print_fails_cleanly(tmp_path: Path, broken: str) -> None:
    assert _run(tmp_path, WRITE, {})[0] == 0
    code, err = _run(tmp_path, ("history", "--from", "2026-03-01", "--to", "2026-03-02"),
                     BROKEN[broken]())  # fmt: skip
    assert "Traceback" not in err and "unexpected" not in err
    assert code == 1
    if broken != "broken-pipe":  # the reader left on purpose: nothing to say
        assert "could not write the output" in err


@pytest.mark.parametrize("unbuffered", ["1", ""])
@pytest.mark.parametrize("args", [("--version",), ("symptom", "--list"), ("--help",)])
def test_no_traceback_when_the_reader_leaves(
    tmp_path: Path, args: tuple[str, ...], unbuffered: str
) -> None:
    for with_db in (False, True):  # without --db: the fast path before Typer
        how = _broken_pipe(env={"PYTHONUNBUFFERED": unbuffered})
        _code, err = _run(tmp_path, args, how, with_db=with_db)
        assert err == ""
