"""Trust fixes from the s5 review (polish): direction marks in every quoted note of the
report, duplicate top-level keys in a JSON export, invisible PSFS activities, an empty --db."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts

# Characters that reorder the text after them (bidi embeddings, overrides, isolates, marks).
DIRECTION = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HEBREW = "כאב חד בגב"


def _without_isolated_rtl(page: str) -> str:
    """The page with each report-made isolate (FSI, right-to-left text, PDI) taken out."""
    return re.sub("\u2068[^\u2068\u2069]*\u2069", "", page)


def test_every_note_the_report_quotes_keeps_direction_marks_from_reordering_what_follows(
    run: Run, tmp_path: Path
) -> None:
    # A note holding an open right-to-left override (or isolate, or right-to-left letters)
    # quoted inline makes a browser draw what follows it reversed. Every quoted user text
    # (onset note, pain notes, symptom notes, care notes) gets the PSFS activity's treatment:
    # direction marks left out, right-to-left text isolated (FSI...PDI).
    assert run("log", "7", "--at", "2026-11-01 09:00", "--note", "box \u202elifted").exit_code == 0
    for day in range(3, 25, 2):
        assert run("log", "6", "--at", f"2026-11-{day:02d} 09:00").exit_code == 0
    assert run("log", "5", "--at", "2026-11-20 10:00", "--note", "\u202eburning 2").exit_code == 0
    assert run("log", "5", "--at", "2026-11-21 10:00", "--note", HEBREW).exit_code == 0
    symptom = ("symptom", "fever", "--note", "38 \u2067°C", "--at", "2026-11-22 08:00")
    assert run(*symptom).exit_code == 0
    # a drug name (free text with --unlisted) is quoted inline too: in the medicines answer
    # ("a, b") and before a care note ("22 Nov, DRUG: “note”")
    treat = ("treat", "medication", "--drug", "herb \u202etea", "--unlisted")
    assert run(*treat, "--note", "1 cup", "--at", "2026-11-22 09:00").exit_code == 0
    for suffix in (".html", ".md"):
        out = tmp_path / f"report{suffix}"
        args = ("report", "--days", "14", "--as-of", "2026-11-25 10:00", "-o", str(out))
        assert run(*args).exit_code == 0
        page = out.read_text("utf-8")
        assert "box lifted" in page, suffix  # the onset note, before the period
        assert "burning 2" in page, suffix
        assert "38 °C" in page, suffix
        assert "herb tea" in page, suffix
        assert f"\u2068{HEBREW}\u2069" in page, suffix
        assert not set(DIRECTION) & set(_without_isolated_rtl(page)), suffix


def _export_text(run: Run, tmp_path: Path) -> str:
    assert run("log", "4", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("log", "6", "--at", "2026-11-02 09:00").exit_code == 0
    out = tmp_path / "export.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    text = out.read_text("utf-8")
    assert text.startswith("{") and text.rstrip().endswith("}")
    return text


@pytest.mark.parametrize(
    ("key", "where"),
    [
        ("version", "end"),  # {"format":..., "version":1, "events":[...], "version":2}
        ("format", "end"),  # a later "format":"other" was accepted
        ("format", "start"),  # {"format":"other", "format":"backcare-export", ...}
        ("profile", "end"),
        ("version", "both"),
        ("note", "both"),  # a key backcare does not read: refused as such, named
    ],
)
def test_a_top_level_key_given_twice_in_a_json_export_is_refused(
    run: Run, tmp_path: Path, key: str, where: str
) -> None:
    text = _export_text(run, tmp_path).rstrip()
    value = {"version": "2", "format": '"other"', "profile": "null", "note": '"x"'}[key]
    member = f'"{key}": {value}'
    if where in ("start", "both"):
        text = "{" + member + ", " + text[1:]
    if where in ("end", "both"):
        text = text[:-1] + ", " + member + "}"
    hostile = tmp_path / "hostile.json"
    hostile.write_text(text, encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    result = run("import", str(hostile), db=fresh)
    assert result.exit_code == 2, result.stdout
    assert key in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(fresh).get("pain_entry", 0) == 0


INVISIBLE = ["\u202e", "\u200b", "\u200b \u2060\ufeff", "\u2066\u2069", "\u3164", "\u00a0\u0301"]


@pytest.mark.parametrize("text", INVISIBLE)
def test_an_activity_with_no_visible_character_is_refused(
    run: Run, tmp_path: Path, db_path: Path, text: str
) -> None:
    # `goals add $'\u200b'` was stored and shown as an empty “” in the report: PSFS ratings
    # of an activity nobody can read. Refused like an empty one, exit 2, nothing stored.
    result = run("goals", "add", text, "--at", "2026-11-01 09:00")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path).get("goal", 0) == 0
    # The same rule on import of a JSON export (a goal's text, a PSFS's activity).
    assert run("log", "5", "--at", "2026-11-01 08:00").exit_code == 0
    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "3", "--at", "2026-11-02 09:00").exit_code == 0
    exported = tmp_path / "x.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    for where in ("goal", "measure"):
        data = json.loads(exported.read_text(encoding="utf-8"))
        if where == "goal":
            data["goals"][0]["text"] = text
        else:
            data["measures"][0]["goals"] = [text]
        hostile = tmp_path / f"{where}.json"
        hostile.write_text(json.dumps(data), encoding="utf-8")
        fresh = tmp_path / f"{where}.db"
        imported = run("import", str(hostile), db=fresh)
        assert imported.exit_code == 2, where
        assert len(imported.stderr.strip().splitlines()) <= 2
        assert row_counts(fresh).get("goal", 0) == 0, where
    # Visible text with such characters in it stays accepted.
    assert run("goals", "add", "tie \u200bshoes", "--at", "2026-11-01 09:00").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["--db=", "log", "5", "--at", "2026-11-01 09:00"],
        ["--db", "", "log", "5", "--at", "2026-11-01 09:00"],
        ["--db", " ", "history"],
        ["--db=", "db", "check"],  # `db check` is answered before Typer (cli/checking)
        ["--db", "", "db", "check", "--json"],
        ["--db=", "db", "check", "--full"],
    ],
)
def test_an_empty_db_option_is_bad_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:  # fmt: skip
    # `--db=` (an unset variable, `--db=$DB`) read as the current folder: "`.` is not a
    # backcare database", exit 1, a storage problem. It is bad input: exit 2, saying so.
    import sys

    from backcare.cli import main

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(sys, "argv", ["backcare", *args])
    with pytest.raises(SystemExit) as ended:
        main()
    err = capsys.readouterr().err
    assert ended.value.code == 2, err
    assert "--db" in err and "not a backcare database" not in err
    assert 1 <= len(err.strip().splitlines()) <= 2, err
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("text", ["\u200b", "\u202e \u2069"])
def test_db_check_reports_a_stored_activity_with_no_visible_character(
    run: Run, db_path: Path, text: str
) -> None:
    # What `goals add` and import refuse, `db check` reports (an older backcare stored it).
    import sqlite3

    from backcare import messages as msg

    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("db", "check").exit_code == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE goal SET text = ?", (text,))
    conn.close()
    result = run("db", "check", "--json")
    findings = json.loads(result.stdout)["findings"]
    missing = msg.CHECK_MISSING.format(column="text")
    assert any(f["table"] == "goal" and f["problem"] == missing for f in findings), findings


def test_db_check_reports_a_stored_psfs_naming_an_activity_with_no_visible_character(
    run: Run, db_path: Path
) -> None:
    # A PSFS keeps the texts of the activities it rated: import refuses an invisible one
    # there, and `db check` reports it.
    import sqlite3

    from backcare import messages as msg

    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    assert run("measure", "psfs", "--answers", "3", "--at", "2026-11-02 09:00").exit_code == 0
    assert run("db", "check").exit_code == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE measure SET goals = ?", (json.dumps(["\u200b"]),))
    conn.close()
    findings = json.loads(run("db", "check", "--json").stdout)["findings"]
    listed = msg.CHECK_LIST.format(column="goals")
    assert any(f["table"] == "measure" and f["problem"] == listed for f in findings), findings
