"""`undo`, `undo --list`, `redo`: the action journal (issue 15 "Undo you can trust").

Every command that changes entries is one journal entry (docs/design.md "Data model");
`undo` reverts the newest one not undone, `redo` re-applies the newest undone one while
nothing new happened since, and `db purge` / `db restore` clear the journal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run, row_counts


def pains(run: Run) -> list[tuple[str, int]]:
    result = run("history", "--json", "--days", "30")
    assert result.exit_code == 0, result.stderr
    return [(e["id"], e["pain"]) for e in json.loads(result.stdout) if e["type"] == "pain"]


def test_undo_after_edit_delete_purge_does_not_reach_past_the_purge(run: Run) -> None:
    """The reported failure: edit, delete, purge, undo silently reverted the older edit."""
    assert run("log", "6", "--at", "yesterday 08:00").exit_code == 0
    assert run("log", "5", "--at", "yesterday 09:00").exit_code == 0
    assert run("edit", "p1", "--pain", "4").exit_code == 0
    assert run("delete", "p2", "--yes").exit_code == 0
    assert run("db", "purge", "--yes").exit_code == 0
    result = run("undo", "--yes")
    assert result.exit_code == 2 and "nothing to undo" in result.stderr
    assert pains(run) == [("p1", 4)]  # the edit stands


# Each sequence starts from p1 = pain 6 and p2 = pain 5 (yesterday 08:00 and 09:00); each
# step is the command and its exit code; then the live pain entries (id, pain).
SEQUENCES: dict[str, tuple[list[tuple[tuple[str, ...], int]], list[tuple[str, int]]]] = {
    "edit, delete, purge: nothing to undo": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("delete", "p2", "--yes"), 0),
            (("db", "purge", "--yes"), 0),
            (("undo", "--yes"), 2),
        ],
        [("p1", 4)],
    ),
    "undo walks back one command at a time": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("delete", "p2", "--yes"), 0),
            (("undo", "--yes"), 0),
            (("undo", "--yes"), 0),
        ],
        [("p1", 6), ("p2", 5)],
    ),
    "undo reaches the log itself": (
        [(("undo", "--yes"), 0)],
        [("p1", 6)],
    ),
    "undo everything, then nothing": (
        [(("undo", "--yes"), 0), (("undo", "--yes"), 0), (("undo", "--yes"), 2)],
        [],
    ),
    "redo re-applies in order": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("undo", "--yes"), 0),
            (("undo", "--yes"), 0),
            (("redo",), 0),
        ],
        [("p1", 6), ("p2", 5)],
    ),
    "redo all the way, then nothing to redo": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("undo", "--yes"), 0),
            (("undo", "--yes"), 0),
            (("redo",), 0),
            (("redo",), 0),
            (("redo",), 2),
        ],
        [("p1", 4), ("p2", 5)],
    ),
    "a new action clears the redo stack": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("undo", "--yes"), 0),
            (("log", "3", "--at", "yesterday 10:00"), 0),
            (("redo",), 2),
        ],
        [("p1", 6), ("p2", 5), ("p3", 3)],
    ),
    "undo after redo reverts it again": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("undo", "--yes"), 0),
            (("redo",), 0),
            (("undo", "--yes"), 0),
        ],
        [("p1", 6), ("p2", 5)],
    ),
    "a delete of several IDs is one action": (
        [(("delete", "p1", "p2", "--yes"), 0), (("undo", "--yes"), 0)],
        [("p1", 6), ("p2", 5)],
    ),
    "redo a delete of several IDs": (
        [(("delete", "p1", "p2", "--yes"), 0), (("undo", "--yes"), 0), (("redo",), 0)],
        [],
    ),
    "two edits of one entry undo in turn": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("edit", "p1", "--pain", "3"), 0),
            (("undo", "--yes"), 0),
        ],
        [("p1", 4), ("p2", 5)],
    ),
    "purge then new actions: undo stops at the purge": (
        [
            (("delete", "p2", "--yes"), 0),
            (("db", "purge", "--yes"), 0),
            (("edit", "p1", "--pain", "2"), 0),
            (("undo", "--yes"), 0),
            (("undo", "--yes"), 2),
        ],
        [("p1", 6)],
    ),
    "purge clears the redo stack too": (
        [
            (("delete", "p2", "--yes"), 0),
            (("undo", "--yes"), 0),
            (("db", "purge", "--yes"), 0),
            (("redo",), 2),
        ],
        [("p1", 6), ("p2", 5)],
    ),
    "purge removes what undo of a log soft-deleted": (
        [(("undo", "--yes"), 0), (("db", "purge", "--yes"), 0), (("redo",), 2)],
        [("p1", 6)],
    ),
    "restore clears the journal": (
        [
            (("edit", "p1", "--pain", "4"), 0),
            (("db", "backup", "{backup}"), 0),
            (("edit", "p1", "--pain", "3"), 0),
            (("db", "restore", "{backup}", "--yes"), 0),
            (("undo", "--yes"), 2),
            (("redo",), 2),
        ],
        [("p1", 4), ("p2", 5)],
    ),
    "restore, then only what came after is undone": (
        [
            (("db", "backup", "{backup}"), 0),
            (("db", "restore", "{backup}", "--yes"), 0),
            (("edit", "p2", "--pain", "1"), 0),
            (("undo", "--yes"), 0),
            (("undo", "--yes"), 2),
        ],
        [("p1", 6), ("p2", 5)],
    ),
}


@pytest.mark.parametrize("steps, live", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_undo_redo_sequences(
    run: Run,
    tmp_path: Path,
    steps: list[tuple[tuple[str, ...], int]],
    live: list[tuple[str, int]],
) -> None:
    assert run("log", "6", "--at", "yesterday 08:00").exit_code == 0
    assert run("log", "5", "--at", "yesterday 09:00").exit_code == 0
    backup = str(tmp_path / "backup.db")
    for args, code in steps:
        result = run(*(a.replace("{backup}", backup) for a in args))
        assert result.exit_code == code, (args, result.stdout, result.stderr)
    assert pains(run) == live


def test_undo_shows_what_it_reverts_and_asks_on_a_terminal(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("log", "6", "--at", "2026-11-20 08:00").exit_code == 0
    refused = run("undo")  # no terminal, no --yes: a usage error, as `delete`
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    kept = run("history", "--json", "--from", "2026-11-01", "--to", "2026-11-30").stdout
    assert [e["id"] for e in json.loads(kept)] == ["p1"]  # nothing was undone
    monkeypatch.setattr("backcare.cli.records.interactive", lambda: True)
    declined = run("undo", input="n\n")
    assert declined.exit_code == 1
    assert declined.stdout.startswith("Undo: log p1 pain 6/10 at 2026-11-20 08:00\n")
    assert declined.stdout.strip().endswith("Nothing undone.")
    accepted = run("undo", input="y\n")
    assert accepted.exit_code == 0
    assert accepted.stdout.strip().endswith("Undone: log p1 pain 6/10 at 2026-11-20 08:00")
    after = run("history", "--json", "--from", "2026-11-01", "--to", "2026-11-30").stdout
    assert after.strip() == "[]"
    redone = run("redo")
    assert redone.exit_code == 0
    assert redone.stdout.startswith("Redone: log p1 pain 6/10 at 2026-11-20 08:00")


def test_undo_of_an_edit_names_the_fields_before_and_after(run: Run) -> None:
    assert run("log", "6", "--at", "2026-11-20 08:00").exit_code == 0
    assert run("edit", "p1", "--pain", "4", "--at", "2026-11-20 07:30").exit_code == 0
    undone = run("undo", "--yes")
    assert undone.stdout.splitlines()[0] == (
        "Undone: edit p1 pain 6/10 at 2026-11-20 08:00 "
        "(at 2026-11-20 08:00 -> 2026-11-20 07:30, pain 6 -> 4)"
    )


def test_undo_list_newest_first_with_the_undone_marked(run: Run) -> None:
    assert run("log", "6", "--at", "2026-11-20 08:00").exit_code == 0
    assert run("treat", "ice", "--minutes", "15", "--at", "2026-11-20 08:10").exit_code == 0
    assert run("delete", "p1", "t1", "--yes").exit_code == 0
    assert run("undo", "--yes").exit_code == 0
    listed = run("undo", "--list")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].endswith("delete 2 entries  (undone)")
    assert lines[1].endswith("treat t1 ice 15 min at 2026-11-20 08:10")
    assert lines[2].endswith("log p1 pain 6/10 at 2026-11-20 08:00")
    assert all(len(line) <= 80 for line in lines)
    assert run("db", "purge", "--yes").exit_code == 0
    assert "Nothing to undo" in run("undo", "--list").stdout


def test_undo_of_an_import_removes_what_it_added_and_redo_brings_it_back(
    run: Run, tmp_path: Path
) -> None:
    assert run("log", "6", "--at", "2026-11-20 08:00", "--note", "stiff").exit_code == 0
    assert run("treat", "ibuprofen", "--dose", "400", "--at", "2026-11-20 08:05").exit_code == 0
    assert run("symptom", "leg-numbness", "--at", "2026-11-20 08:10").exit_code == 0
    export = tmp_path / "all.json"
    assert run("export", "json", "-o", str(export)).exit_code == 0
    other = tmp_path / "other" / "backcare.db"
    assert run("log", "2", "--at", "2026-11-19 08:00", db=other).exit_code == 0
    assert run("import", str(export), db=other).exit_code == 0

    def live() -> list[str]:
        result = run("history", "--json", "--from", "2026-11-01", db=other)
        return [e["id"] for e in json.loads(result.stdout)]

    assert live() == ["p1", "p2", "t1", "s1"]
    undone = run("undo", "--yes", db=other)
    assert undone.exit_code == 0 and undone.stdout.startswith("Undone: import 3 entries")
    assert live() == ["p1"]  # the entry logged before the import stays
    counts = row_counts(other)
    assert (counts["pain_entry"], counts["treatment"]) == (2, 1)  # soft delete
    assert run("redo", db=other).exit_code == 0
    assert live() == ["p1", "p2", "t1", "s1"]
    assert run("import", str(export), db=other).exit_code == 0  # nothing new: no action
    assert run("undo", "--yes", db=other).stdout.startswith("Undone: import 3 entries")


def test_ack_meds_and_checkin_style_writes_are_actions(run: Run) -> None:
    assert run("symptom", "leg-numbness", "--at", "-2h").exit_code == 0
    assert run("ack", "red-flag.leg-symptoms").exit_code == 0
    assert run("undo", "--yes").stdout.startswith("Undone: ack a1 acknowledgement of")
    assert run("ack", "--list").stdout.strip() == "No acknowledged flags."
    assert run("meds", "prescribe", "naproxen", "--dose", "500", "--from", "-1d").exit_code == 0
    undone = run("undo", "--yes")
    assert undone.stdout.startswith("Undone: meds prescribe r1 prescription: naproxen 500 mg")
    assert json.loads(run("meds", "list", "--json").stdout) == []


def test_undo_list_lines_fit_the_width(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    args = ("treat", "Tylenol Extra Strength", "--tablets", "2", "--relief", "4", "--minutes")
    assert run(*args, "30", "--at", "2026-11-20 08:00").exit_code == 0
    assert run("undo", "--yes").exit_code == 0
    lines = run("undo", "--list").stdout.splitlines()
    assert len(lines) == 1 and len(lines[0]) == 80 and lines[0].endswith("…  (undone)")
    assert lines[0].startswith("20") and "treat t1 acetaminophen 1000 mg (Tylenol" in lines[0]


def test_measures_and_goals_are_actions_undo_and_redo_walk(run: Run) -> None:
    """Issue 16's kinds (m, g) are journaled like entries: undo and redo walk them."""

    def history_ids() -> list[str]:
        result = run("history", "--json", "--days", "30")
        assert result.exit_code == 0, result.stderr
        return [e["id"] for e in json.loads(result.stdout)]

    at = ("--at", "yesterday 10:00")
    assert run("log", "5", "--at", "yesterday 08:00").exit_code == 0
    assert run("measure", "rmdq", "--answers", ",".join("1" * 24), *at).exit_code == 0
    assert run("goals", "add", "garden an hour", *at).exit_code == 0
    assert run("goals", "remove", "g1").exit_code == 0
    assert "goals remove" in run("undo", "--list").stdout
    undone = run("undo", "--yes")  # the removal
    assert undone.exit_code == 0, undone.stderr
    assert "garden an hour" in run("goals", "list").stdout
    assert run("undo", "--yes").exit_code == 0  # the goal itself
    assert "garden an hour" not in run("goals", "list").stdout
    assert "m1" in history_ids()
    assert run("undo", "--yes").exit_code == 0  # the measure
    assert "m1" not in history_ids()
    assert run("redo").exit_code == 0
    assert "m1" in history_ids()
