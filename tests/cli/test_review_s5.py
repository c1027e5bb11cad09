"""Defects found by the session-5 review (PEG retired, `db check` before Typer, the fast
importer), each through the real CLI on a real SQLite file."""

from __future__ import annotations

import json
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts


@pytest.fixture
def ctrl_c_as_in_a_terminal() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt, as in a terminal (a test worker may ignore it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _ctrl_c_in_sql_function(monkeypatch: pytest.MonkeyPatch, at_call: int) -> None:
    """A real SIGINT (Ctrl-C) delivered while SQLite calls back into Python (the text rule
    of `db check`), as when it lands during the row scan (most of a check's time):
    Python's handler raises KeyboardInterrupt inside the SQL function."""
    from backcare.domain import values

    real = values.text_problem
    calls = [0]

    def text_problem(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        if calls[0] == at_call:
            signal.raise_signal(signal.SIGINT)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(values, "text_problem", text_problem)


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
@pytest.mark.parametrize("at_call", [1, 2, 3])
@pytest.mark.parametrize("full", [[], ["--full"]])
def test_ctrl_c_during_db_check_is_an_interruption(
    run: Run, monkeypatch: pytest.MonkeyPatch, at_call: int, full: list[str]
) -> None:
    for hour in ("08:00", "09:00", "10:00"):
        assert run("log", "4", "--at", f"2026-03-01 {hour}", "--note", "stiff").exit_code == 0
    _ctrl_c_in_sql_function(monkeypatch, at_call)
    result = run("db", "check", *full)
    # Not "sound" (the check did not finish), not "unreadable": exit 130, said once.
    assert (result.exit_code, result.stdout) == (130, ""), (result.stdout, result.stderr)
    assert result.stderr.strip().splitlines() == [
        "backcare: error: interrupted; nothing was half-written"
    ]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    monkeypatch.undo()
    assert run("db", "check", *full).exit_code == 0


def _export_of_many(run: Run, tmp_path: Path, n: int) -> tuple[str, list[str], str]:
    """A real `export json` of one pain entry, its event line repeated `n` times with fresh
    uids and times: (head, event lines without their commas, tail)."""
    assert run("log", "4", "--at", "2026-03-01 08:00", "--note", "stiff").exit_code == 0
    exported = tmp_path / "one.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8")
    head, rest = text.split('"events": [\n', 1)
    line, tail = rest.split("\n", 1)
    event = json.loads(line)
    lines = []
    for i in range(n):
        event["uid"] = str(uuid.UUID(int=i + 1, version=4))
        event["at"] = f"2026-03-01T{8 + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}+00:00"
        lines.append(json.dumps(event, separators=(",", ":")))
    return head + '"events": [\n', lines, "\n" + tail


@pytest.mark.parametrize("space", ["\u00a0", "\x0b", "\x1c", "\u2028"])
@pytest.mark.parametrize("line", [511, 1023])
def test_import_refuses_what_is_not_json_whitespace_at_the_end_of_a_batch(
    run: Run, tmp_path: Path, space: str, line: int
) -> None:
    # JSON's whitespace is space, tab, CR and LF; the one-item decoder refuses any other
    # between items, and so must the batch decoder (512 lines at a time) at a batch's end.
    head, lines, tail = _export_of_many(run, tmp_path, 1100)
    with_commas = [f"{item}," for item in lines[:-1]] + [lines[-1]]
    with_commas[line] += space
    hostile = tmp_path / "hostile.json"
    hostile.write_text(head + "\n".join(with_commas) + tail, encoding="utf-8", newline="")
    with pytest.raises(ValueError):
        json.loads(hostile.read_text(encoding="utf-8"))
    fresh = tmp_path / "fresh.db"
    result = run("import", str(hostile), db=fresh)
    assert result.exit_code == 2, result.stdout
    assert "not valid JSON" in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(fresh).get("pain_entry", 0) == 0
    # The same file with JSON's own whitespace there imports whole.
    with_commas[line] = with_commas[line][: -len(space)] + " \t\r"
    hostile.write_text(head + "\n".join(with_commas) + tail, encoding="utf-8", newline="")
    assert run("import", str(hostile), db=fresh).exit_code == 0
    assert row_counts(fresh)["pain_entry"] == 1100


# Characters that reorder the text after them (bidi embeddings, overrides, isolates, marks).
DIRECTION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize(
    "goal",
    [
        "walk \u202edog",  # an override left open: it would reverse "2 → 5" after it
        "walk the dog \u202e" + "far " * 10 + "\u202c",  # the cut at 24 drops the close
        "tie shoes \u2067\u2069\u202b laces",  # a stray PDI, then an embedding
    ],
)
def test_the_report_keeps_an_activitys_direction_controls_from_reordering_the_ratings(
    run: Run, tmp_path: Path, goal: str
) -> None:
    # The PSFS line of the report (read by a clinician) names the activities, then their
    # ratings: "“walk the dog” 2 → 5". A right-to-left override in the activity's text (typed,
    # or from an imported file) shown as is makes a browser draw what follows it in the
    # same paragraph reversed: "5 → 2" for a rating that went from 2 to 5.
    assert run("log", "6", "--at", "2026-11-10 08:00").exit_code == 0
    assert run("goals", "add", goal, "--at", "2026-11-10 08:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "2", "--at", "2026-11-11 09:00").exit_code == 0
    assert run("log", "4", "--at", "2026-11-14 08:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "5", "--at", "2026-11-14 09:00").exit_code == 0
    for suffix in (".html", ".md"):
        out = tmp_path / f"report{suffix}"
        args = ("report", "--days", "30", "--as-of", "2026-11-25 10:00", "-o", str(out))
        assert run(*args).exit_code == 0
        page = out.read_text("utf-8")
        assert not set(DIRECTION) & set(page), suffix
        assert "” 2 → 5" in " ".join(page.split()), suffix
    # The activity itself is kept whole (the exports and `goals list` are the record).
    assert goal.split()[0] in run("goals", "list").stdout


@pytest.mark.parametrize("full", [[], ["--full"]])
def test_db_check_of_a_file_another_program_holds_locked_is_busy_not_damaged(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch, full: list[str]
) -> None:
    # Another program holds the file in exclusive locking mode (a DB browser, a script):
    # SQLite's check cannot even start. That is a busy file, not a damaged one, and a
    # restore (which would drop what was stored since the backup) is the wrong advice.
    import sqlite3

    from backcare.store import integrity, maintenance

    assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    # not the 30 s a person waits; integrity's read-only connections are the check's own
    for module in (integrity, maintenance):
        monkeypatch.setattr(module, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode=EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("DELETE FROM pain_entry WHERE 0")
        result = run("db", "check", *full)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "busy" in lines[0], result.stderr
    assert "restore" not in result.stderr and "failed its check" not in result.stderr
    assert run("db", "check", *full).exit_code == 0


def _ctrl_c_while_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real SIGINT (Ctrl-C) delivered while the command prints its result: after the
    change was committed (a 10-year import spends about a second there)."""
    from backcare.cli import render

    real = render.out

    def out(*args: str) -> None:
        signal.raise_signal(signal.SIGINT)
        real(*args)

    monkeypatch.setattr(render, "out", out)


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_ctrl_c_after_log_saved_says_it_was_saved(
    run: Run, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "interrupted; nothing was half-written" (exit 130) after the entry was committed made
    # a person (or a script) enter it again: two entries for one pain.
    assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0
    _ctrl_c_while_printing(monkeypatch)
    result = run("log", "6", "--at", "2026-03-01 09:00")
    monkeypatch.undo()
    assert row_counts(db_path)["pain_entry"] == 2  # it was saved
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "saved" in lines[0] and "again" in lines[0], result.stderr
    assert "nothing was half-written" not in result.stderr
    assert result.exit_code == 0


@pytest.mark.usefixtures("ctrl_c_as_in_a_terminal")
def test_ctrl_c_after_an_import_committed_says_it_was_saved(
    run: Run, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, lines, tail = _export_of_many(run, tmp_path, 20)
    exported = tmp_path / "many.json"
    exported.write_text(head + ",\n".join(lines) + tail, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    _ctrl_c_while_printing(monkeypatch)
    result = run("import", str(exported), db=fresh)
    monkeypatch.undo()
    assert row_counts(fresh)["pain_entry"] == 20
    assert "nothing was half-written" not in result.stderr
    assert "saved" in result.stderr, result.stderr
    assert result.exit_code == 0
    # Before anything is committed, Ctrl-C is still "interrupted" (exit 130).
    _ctrl_c_while_printing(monkeypatch)
    result = run("history", "--from", "2026-03-01", "--to", "2026-03-02", db=fresh)
    assert (result.exit_code, result.stderr.strip()) == (
        130,
        "backcare: error: interrupted; nothing was half-written",
    )


def _columns(line: str) -> int:
    """Terminal columns of `line`: East Asian wide and fullwidth characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


@pytest.mark.parametrize(
    "typed",
    [
        "昨日の午後七時半ごろだったと思います、たぶん",
        "２０２６年１１月２０日　午前９時３０分ごろ",
        "어제 저녁 일곱시 반쯤이었어요 아마도요",
    ],
)
def test_a_time_error_with_wide_characters_fits_80_columns(
    run: Run, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    # A person who types the time in their own script: the echoed text is cut by the
    # columns it takes, not by its characters (a CJK character takes two).
    monkeypatch.setenv("COLUMNS", "80")
    result = run("log", "5", "--at", typed)
    assert result.exit_code == 2
    lines = result.stderr.rstrip("\n").splitlines()
    assert 1 <= len(lines) <= 2
    assert max(_columns(line) for line in lines) <= 80, result.stderr
    assert typed[:4] in lines[0]


@pytest.mark.parametrize("goal", ["ללכת עם הכלב", "المشي مع الكلب"])
def test_a_right_to_left_activity_is_isolated_from_its_ratings_in_the_report(
    run: Run, tmp_path: Path, goal: str
) -> None:
    # Hebrew or Arabic activity text followed by "2 → 5": by the Unicode bidi algorithm
    # the numbers after right-to-left letters join their run and a browser draws the line
    # "5 → 2 ”...“": a clinician reads the ratings backwards. The activity is isolated
    # (U+2068 FIRST STRONG ISOLATE ... U+2069 POP DIRECTIONAL ISOLATE), so what follows keeps
    # its order.
    assert run("log", "6", "--at", "2026-11-10 08:00").exit_code == 0
    assert run("goals", "add", goal, "--at", "2026-11-10 08:00").exit_code == 0
    assert run("goals", "add", "walk the dog", "--at", "2026-11-10 08:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "2,3", "--at", "2026-11-11 09:00").exit_code == 0
    assert run("log", "4", "--at", "2026-11-14 08:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "5,4", "--at", "2026-11-14 09:00").exit_code == 0
    for suffix in (".html", ".md"):
        out = tmp_path / f"report{suffix}"
        args = ("report", "--days", "30", "--as-of", "2026-11-25 10:00", "-o", str(out))
        assert run(*args).exit_code == 0
        page = " ".join(out.read_text("utf-8").split())
        assert f"“\u2068{goal}\u2069” 2 → 5" in page, suffix
        assert "“walk the dog” 3 → 4" in page, suffix  # left-to-right text: as it was
