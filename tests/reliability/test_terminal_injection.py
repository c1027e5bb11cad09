"""Issue 14 case 5: text a person typed is shown, never interpreted.

Control characters are refused at input now (case 4: one definition of a valid note), but a
file written by an older backcare may hold them: those notes are put in with sqlite3.

Rich markup in a note (a clickable link, styles, a stray `[/]`) is printed literally, and
control characters (an escape sequence setting the window title, a leading carriage
return that would overwrite "pain 9/10" with "pain 1/10") are shown visibly (`\\x1b`,
`\\r`). At a real terminal (a pty, Rich on) and in plain output.
"""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from tests.conftest import Run
from tests.reliability.util import backcare_cmd, cli_env

NOTES = [
    "[link=http://x]click[/link]",
    "[bold red]alarm",
    "stray [/] tag",
    "\x1b]0;pwned\x07title",
    "\rpain 1/10 \x1b[2K",
    "del\x7fhere \u202eevil",
]


def _log_all(run: Run, db: Path) -> None:
    for i, note in enumerate(NOTES):
        typed = note if note.isprintable() else "placeholder"
        result = run("log", "9", "--note", typed, "--at", f"2026-03-01 0{i}:00", db=db)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\r" not in result.stdout
        assert "\x07" not in result.stdout and "\u202e" not in result.stdout
        if typed != note:  # as an older backcare stored it
            with closing(sqlite3.connect(db)) as conn:
                conn.execute("UPDATE pain_entry SET note = ? WHERE id = ?", (note, i + 1))
                conn.commit()


def _on_a_pty(db: Path, env: dict[str, str], *args: str) -> tuple[int, bytes]:
    main, child = pty.openpty()
    proc = subprocess.Popen(
        backcare_cmd(db, *args), env=env, stdin=child, stdout=child, stderr=child
    )
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return proc.wait(timeout=30), b"".join(chunks)


def test_plain_history_shows_notes_literally(run: Run, db_path: Path) -> None:
    _log_all(run, db_path)
    result = run("history", "--from", "2026-03-01", "--to", "2026-03-01")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\x7f" not in out
    assert "\u202e" not in out
    assert "[link=http://x]click[/link]" in out and "stray [/] tag" in out
    assert "\\x1b]0;pwned\\x07title" in out
    assert "\\rpain 1/10" in out
    assert out.count("pain 9/10") == len(NOTES)


def test_history_at_a_terminal_interprets_no_markup(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    _log_all(run, db)
    env = cli_env(tmp_path)
    env.pop("NO_COLOR", None)
    env.update(TERM="xterm-256color", COLUMNS="200", LINES="50")
    code, raw = _on_a_pty(db, env, "history", "--from", "2026-03-01", "--to", "2026-03-01")
    text = raw.decode("utf-8", "replace")
    assert code == 0, text
    assert "MarkupError" not in text and "unexpected" not in text
    assert "\x1b]" not in text  # no OSC: no hyperlink (OSC 8), no window title (OSC 0)
    assert "\x07" not in text and "\u202e" not in text
    assert "\x1b[2K" not in text  # the note's own erase-line sequence
    assert "[link=http://x]click[/link]" in text
    assert "[bold red]alarm" in text
    assert "stray [/] tag" in text
    assert "\\x1b]0;pwned\\x07title" in text
    assert "\\rpain 1/10" in text
    assert "\r\n" in text and "\rpain" not in text.replace("\r\n", "\n")
