"""`db check`'s bulk screens (issue 18) miss nothing its rules would find.

The scan tests a column's values all at once (store/maintenance.py `_all_of_form`) instead
of one GLOB per row. Each case here writes one value around backcare's CHECKs that is wrong
in a way a bulk test could overlook (a hex letter in a time's digits, a newline inside a
value, two values whose lengths even out, a non-ASCII digit, a blob, an integer), then
compares what `db check --full` reports with the rule's own GLOB run by SQLite here.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backcare.store.maintenance import UUID_GLOB
from backcare.store.schema import UTC_GLOB
from tests.conftest import Run

GOOD_UID = "0123abcd-89ab-4def-8123-456789abcdef"
GOOD_STAMP = "2026-03-01T08:00:00.000000Z"


def _raw(db: Path, sql: str, *params: object) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql, params)
        conn.commit()


def _glob_ids(db: Path, column: str, pattern: str, *, nullable: bool) -> list[int]:
    """The ids the rule's own condition flags (SQLite's GLOB, row by row)."""
    unset = "" if nullable else f"{column} IS NULL OR "
    sql = f"SELECT id FROM pain_entry WHERE {unset}{column} NOT GLOB ? ORDER BY id"
    with closing(sqlite3.connect(db)) as conn:
        return [r[0] for r in conn.execute(sql, (pattern,))]


def _logged(run: Run, n: int) -> None:
    for _ in range(n):
        assert run("log", "4", "--at", "2026-03-01 08:00").exit_code == 0


# case -> (column, [(row id, value written)], whether the column may be NULL)
CASES: dict[str, tuple[str, list[tuple[int, object]], bool]] = {
    "hex letter in a time": ("at", [(2, "2026-03-01T08:00:00.00000aZ")], False),
    "upper hex letter in a time": ("created_at", [(2, "2026-03-01T08:00:00.0000A0Z")], False),
    "newline inside a time": ("at", [(2, "2026-03-01T08:00:00.000000Z\n2026-0")], False),
    "lengths that even out": (
        "created_at",
        [(2, "2026-03-01T08:00:00.00000Z"), (3, "2026-03-01T08:00:00.0000000Z")],
        False,
    ),
    "non-ASCII digit": ("at", [(2, "2026-03-01T08:00:00.00000\u0663Z")], False),
    "integer time": ("created_at", [(2, 20260301)], False),
    "deleted_at malformed": ("deleted_at", [(2, "yesterday")], True),
    "deleted_at with a newline": ("deleted_at", [(2, GOOD_STAMP + "\n")], True),
    "uid with a g": ("uid", [(2, "0123abcg-89ab-4def-8123-456789abcdef")], False),
    "uid hyphen moved": ("uid", [(2, "0123abcd8-9ab-4def-8123-456789abcdef")], False),
    "uid as an integer": ("uid", [(2, 12345)], False),
    "uid with a newline": ("uid", [(2, GOOD_UID[:35] + "\n")], False),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_value_the_screen_must_not_miss(run: Run, db_path: Path, case: str) -> None:
    column, writes, nullable = CASES[case]
    _logged(run, 4)
    for row_id, value in writes:
        _raw(db_path, f"UPDATE pain_entry SET {column} = ? WHERE id = ?", value, row_id)
    pattern = UUID_GLOB if column == "uid" else UTC_GLOB
    expected = _glob_ids(db_path, column, pattern, nullable=nullable)
    assert expected == [row_id for row_id, _ in writes]  # the rule itself flags them
    result = run("db", "check", "--full", "--json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    found = [f for f in findings if f["table"] == "pain_entry" and "malformed" in f["problem"]]
    assert [(f["problem"], f["ids"]) for f in found] == [
        (
            f"with a malformed {column}" + ("" if column == "uid" else " (not UTC ISO text)"),
            expected,
        )
    ]


def test_values_the_rules_accept_pass_the_screen(run: Run, db_path: Path) -> None:
    """Upper-case hex in a uid, a blob holding a well-formed time, microseconds: sound."""
    _logged(run, 3)
    _raw(db_path, "UPDATE pain_entry SET uid = ? WHERE id = 1", GOOD_UID.upper())
    _raw(db_path, "UPDATE pain_entry SET created_at = CAST(? AS BLOB) WHERE id = 2", GOOD_STAMP)
    _raw(
        db_path, "UPDATE pain_entry SET deleted_at = ? WHERE id = 3", "2026-03-02T08:00:00.123456Z"
    )
    result = run("db", "check", "--full")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_time_past_the_bound_is_found_with_sound_forms(run: Run, db_path: Path) -> None:
    """The time bounds are screened by the bound alone: a future created_at and an early
    deleted_at are still reported with their ids."""
    _logged(run, 3)
    _raw(db_path, "UPDATE pain_entry SET created_at = '2999-01-01T00:00:00.000000Z' WHERE id = 2")
    _raw(db_path, "UPDATE pain_entry SET deleted_at = '1850-01-01T00:00:00.000000Z' WHERE id = 3")
    result = run("db", "check", "--full")
    assert result.exit_code == 1
    assert "pain_entry: 1 row with created_at in the future (id 2)" in result.stdout
    assert "pain_entry: 1 row with deleted_at before 1900 (id 3)" in result.stdout


def test_a_table_too_big_to_join_runs_every_rule_alone(run: Run, db_path: Path) -> None:
    """SQLite caps a string's length; a table whose joined values would pass it has each of
    its rules run on its own, and finds what they find (no error, nothing missed)."""
    from datetime import UTC, datetime

    from backcare.store import maintenance

    _logged(run, 1)
    _raw(
        db_path,
        "INSERT INTO pain_entry (uid, at, created_at, pain) "
        "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
        "SELECT printf('%08x-0000-4000-8000-%012x', i, i), at, created_at, 3 "
        "FROM n, pain_entry WHERE pain_entry.id = 1",
    )
    _raw(db_path, "UPDATE pain_entry SET uid = 'not-a-uid', pain = 42 WHERE id = 7")
    with closing(maintenance.connect_ro(db_path)) as conn:
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 8000)  # 400 joined uids are 14800
        findings = maintenance.invariant_findings(conn, now=datetime(2990, 1, 1, tzinfo=UTC))
    assert [(f.table, f.what, f.ids) for f in findings] == [
        ("pain_entry", "with a malformed uid", (7,)),
        ("pain_entry", "with pain outside 0-10", (7,)),
    ]
