"""The installed artefacts: a built wheel runs from another directory, and Ctrl-C is clean."""

from __future__ import annotations

import contextlib
import email.parser
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds and installs a wheel

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return next(out.glob("backcare-*.whl"))


def test_wheel_ships_the_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "backcare/migrations/env.py" in names
    assert any(n.startswith("backcare/migrations/versions/0001_initial") for n in names)


def test_wheel_metadata_carries_the_licence_and_classifiers(wheel: Path) -> None:
    """The wheel says MIT and ships the LICENSE text (issue 17), with its classifiers."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8"))
        licences = [n for n in names if "/licenses/" in n and n.endswith("LICENSE")]
        assert licences, names
        licence = zf.read(licences[0]).decode("utf-8")
    assert licence == (ROOT / "LICENSE").read_text("utf-8")
    assert licence.startswith("MIT License")
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]
    classifiers = set(meta.get_all("Classifier") or [])
    assert {
        "License :: OSI Approved :: MIT License",
        "Environment :: Console",
        "Programming Language :: Python :: 3.11",
        "Topic :: Scientific/Engineering :: Medical Science Apps.",
    } <= classifiers
    assert meta["Requires-Python"] == ">=3.11"
    # no project URL is named until the project has one (pyproject.toml says why)
    assert not meta.get_all("Project-URL")


def test_wheel_ships_the_questionnaire_texts(wheel: Path) -> None:
    """Each instrument's text and terms (domain/instruments/*.toml, README "Questionnaire
    texts") is package data: `backcare measure` reads it from the installed package."""
    names = zipfile.ZipFile(wheel).namelist()
    for instrument in ("startback", "rmdq", "psfs"):
        assert f"backcare/domain/instruments/{instrument}.toml" in names
    # PEG is no longer asked (its terms of use could not be confirmed): its text is not shipped
    assert not [n for n in names if n.endswith("peg.toml")]


RMDQ = ",".join(["1"] * 7 + ["0"] * 17)


def test_installed_wheel_logs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    db = tmp_path / "data" / "backcare.db"
    env = {**os.environ, "PYTHONPATH": str(target), "TZ": "Europe/London", "HOME": str(tmp_path)}
    probe = subprocess.run(
        [sys.executable, "-c", "import backcare; print(backcare.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(target))  # the wheel, not the source tree
    result = subprocess.run(
        [sys.executable, "-m", "backcare", "--db", str(db), "log", "5", "--spasms", "1"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Logged p1: pain 5/10, 1 spasm" in result.stdout
    rows = sqlite3.connect(db).execute("SELECT pain, spasms FROM pain_entry").fetchall()
    assert rows == [(5, 1)]
    measured = subprocess.run(
        [sys.executable, "-m", "backcare", "--db", str(db), "measure", "rmdq", "--answers", RMDQ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert measured.returncode == 0, measured.stderr
    assert "Roland-Morris score 7 of 24" in measured.stdout  # the instrument's file, from the wheel


def _hung(proc: subprocess.Popen[bytes], master: int, output: bytes) -> str:
    """What a process that ignored Ctrl-C was doing: its kernel state, then its Python stack."""
    keys = ("State", "SigBlk", "SigIgn", "SigCgt", "SigPnd", "ShdPnd", "Threads")
    status = Path(f"/proc/{proc.pid}/status").read_text().splitlines()
    lines = [line for line in status if line.startswith(keys)]
    with contextlib.suppress(OSError):
        lines.append("wchan: " + Path(f"/proc/{proc.pid}/wchan").read_text())
        lines.append("syscall: " + Path(f"/proc/{proc.pid}/syscall").read_text().strip())
    proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER prints every thread's stack
    time.sleep(1)
    with contextlib.suppress(OSError):
        output += os.read(master, 65536)
    proc.kill()
    proc.wait()
    return "no exit 20 s after SIGINT\n" + "\n".join(lines) + "\n" + output.decode(errors="replace")


@contextlib.contextmanager
def _sigint_not_ignored() -> Iterator[None]:
    """Start children with SIGINT at its default, as a person's terminal does.

    A non-interactive shell starts background jobs (`pytest ... &` in a script, some CI
    runners) with SIGINT and SIGQUIT ignored; a child inherits an ignored signal through
    exec, so backcare would ignore the Ctrl-C and the test hang (SigIgn 0x...6 in /proc).
    """
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _state(pid: int) -> str:
    """The process state letter from /proc (S: sleeping, e.g. blocked in read())."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def test_ctrl_c_at_the_prompt_exits_130_and_writes_nothing(tmp_path: Path) -> None:
    """SIGINT while `log` waits for PAIN on a terminal: exit 130, no database created."""
    import pty

    db = tmp_path / "data" / "backcare.db"
    master, slave = pty.openpty()
    backcare = Path(sys.executable).parent / "backcare"
    with _sigint_not_ignored():
        proc = subprocess.Popen(
            [str(backcare), "--db", str(db), "log"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "NO_COLOR": "1", "PYTHONFAULTHANDLER": "1"},
        )
    os.close(slave)
    output = b""
    deadline = time.monotonic() + 20
    while b"Pain now" not in output and time.monotonic() < deadline:
        output += os.read(master, 1024)
    # Only once it waits in read(): a SIGINT between the prompt and the read is noted by
    # Python's handler, then read() blocks anyway (nothing checks the flag until a key comes),
    # and the test hung on a loaded machine. A person's Ctrl-C comes while it waits.
    while _state(proc.pid) != "S" and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail(_hung(proc, master, output))
    assert code == 130
    with contextlib.suppress(OSError):
        output += os.read(master, 4096)
    os.close(master)
    assert b"interrupted" in output and b"Traceback" not in output
    assert not db.exists()
