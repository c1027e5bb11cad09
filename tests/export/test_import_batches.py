"""A JSON export's events decoded a run of lines at a time (export/importer.py `_batch`,
issue 18) read exactly as decoding them one by one: the same entries, and for a file that is
not valid JSON the same error at the same line, wherever in a long file the fault is.

The files are longer than one run (`_BATCH_LINES` lines), so the runs are what reads them.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backcare.export.importer import _BATCH_LINES
from tests.conftest import Run

N = _BATCH_LINES * 2 + 37


def _event(i: int) -> dict[str, object]:
    return {
        "type": "pain",
        "uid": f"00000000-0000-4000-8000-{i:012d}",
        "at": f"2026-01-{1 + i // 1440 % 28:02d}T{i // 60 % 24:02d}:{i % 60:02d}:00+00:00",
        "created_at": "2026-02-01T00:00:00+00:00",
        "deleted_at": None,
        "pain": i % 11,
        "spasms": None,
        "location": None,
        "radiates": None,
        "note": f"line one\nline {i}" if i % 7 == 0 else None,
    }


def _lines(events: list[str]) -> str:
    """An export as backcare writes it: one event a line."""
    head = '{"format": "backcare-export", "version": 1, "profile": null,\n "events": [\n'
    return head + ",\n".join(events) + "\n]}\n"


def _stored(db: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT uid, at, pain, note FROM pain_entry ORDER BY uid").fetchall()


def test_one_event_a_line_and_pretty_printed_read_the_same(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    events = [_event(i) for i in range(N)]
    compact = tmp_path / "compact.json"
    compact.write_text(_lines([json.dumps(e) for e in events]), encoding="utf-8")
    pretty = tmp_path / "pretty.json"  # items over many lines: no run ends on a comma
    pretty.write_text(
        json.dumps({"format": "backcare-export", "version": 1, "events": events}, indent=2),
        encoding="utf-8",
    )
    assert run("import", str(compact)).exit_code == 0
    first = _stored(db_path)
    assert len(first) == N and first[7][3] == "line one\nline 7"
    other = tmp_path / "other.db"
    assert run("import", str(pretty), db=other).exit_code == 0
    assert _stored(other) == first


@pytest.mark.parametrize(
    "fault",
    ["trailing comma", "missing comma", "bad value", "empty item", "unclosed object"],
)
def test_invalid_json_in_a_long_file_names_its_line(
    run: Run, tmp_path: Path, db_path: Path, fault: str
) -> None:
    """The error (and its line) is the one-item decoder's: the faulty run is not taken."""
    lines = [json.dumps(_event(i)) for i in range(N)]
    at = _BATCH_LINES + 100  # inside the second run
    if fault == "trailing comma":
        text = _lines(lines).replace("\n]}", ",\n]}")
        line = N + 3
    else:
        if fault == "missing comma":
            lines[at] = lines[at] + " " + lines[at + 1]
            del lines[at + 1]
        elif fault == "bad value":
            lines[at] = lines[at].replace('"pain": ', '"pain": NaN, "x": ')
        elif fault == "empty item":
            lines[at] = ""
        else:
            lines[at] = lines[at][:-1]
        text = _lines(lines)
        line = None
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "not valid JSON" in result.stderr or "not a backcare export" in result.stderr
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        line = line or exc.lineno
        if fault != "bad value":  # NaN: a constant the strict decoder refuses (no line)
            assert f"line {line})" in result.stderr
    assert not db_path.exists() or _stored(db_path) == []


def test_a_duplicate_uid_across_runs_is_refused_with_both_places(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    events = [_event(i) for i in range(N)]
    events[N - 5]["uid"] = events[3]["uid"]
    path = tmp_path / "dup.json"
    path.write_text(_lines([json.dumps(e) for e in events]), encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert f"item {N - 4} (events[{N - 5}])" in result.stderr
    assert "item 4 (events[3])" in result.stderr


def test_the_cycle_collector_is_back_on_after_an_import(run: Run, tmp_path: Path) -> None:
    """Import holds Python's cycle collector off (backcare/bulk.py): after it, whether the
    file was taken or refused, the collector is on again."""
    import gc

    path = tmp_path / "ok.json"
    path.write_text(_lines([json.dumps(_event(i)) for i in range(3)]), encoding="utf-8")
    assert gc.isenabled()
    assert run("import", str(path)).exit_code == 0
    assert gc.isenabled()
    path.write_text(_lines([json.dumps(_event(0)), "{"]), encoding="utf-8")
    assert run("import", str(path)).exit_code == 2
    assert gc.isenabled()
