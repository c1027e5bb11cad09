"""`undo`, `undo --list`, `redo`: the action journal (issue 15 "Undo you can trust").

Every command that changes entries is one journal entry (docs/design.md "Data model");
`undo` reverts the newest one not undone, `redo` re-applies the newest undone one while
nothing new happened since, and `db purge` / `db restore` clear the journal.
"""

from __future__ import annotations

import json
from pathlib import Path

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
