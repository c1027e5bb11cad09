"""The measure and goal tables (revision 0008_measures): CHECKs, `db check`, `db purge`."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from backcare.domain import entries
from backcare.domain.measures import INSTRUMENT_IDS
from tests.conftest import Run, row_counts

AT = "2026-11-02 09:00"


def _raw(db: Path, sql: str, *, checks: bool = True) -> None:
    with closing(sqlite3.connect(db)) as conn:
        if not checks:
            conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(sql)
        conn.commit()


def test_the_table_knows_the_domain_instruments() -> None:
    assert entries.MEASURE.field("instrument").choices == INSTRUMENT_IDS


@pytest.mark.parametrize(
    "change",
    ["instrument = 'oswestry'", "answers = '1;2;3'", "answers = ''", "at = '2026-11-02 09:00'"],
)
def test_checks_refuse_a_bad_row(run: Run, db_path: Path, change: str) -> None:
    assert run("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", AT).exit_code == 0
    with pytest.raises(sqlite3.IntegrityError):
        _raw(db_path, f"UPDATE measure SET {change}")


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("instrument = 'oswestry'", "with an unknown instrument"),
        ("answers = '1;2'", "with answers not whole numbers"),
        ("answers = ''", "with answers not whole numbers"),
        ("goals = '[\"a\", 1]'", "with a malformed goals list"),
        ("note = 'x' || char(7)", "note"),
    ],
)
def test_db_check_finds_a_bad_measure_written_around_backcare(
    run: Run, db_path: Path, change: str, said: str
) -> None:
    assert run("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", AT).exit_code == 0
    assert run("db", "check").exit_code == 0
    _raw(db_path, f"UPDATE measure SET {change}", checks=False)
    result = run("db", "check")
    assert result.exit_code != 0
    assert said in result.stdout + result.stderr


def test_purge_removes_deleted_measures_and_goals(run: Run, db_path: Path) -> None:
    assert run("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--at", AT).exit_code == 0
    assert run("measure", "startback", "--answers", "1,1,1,1,0,0,0,0,0", "--at", AT).exit_code == 0
    assert run("goals", "add", "walk", "--at", AT).exit_code == 0
    assert run("delete", "m1", "g1", "--yes").exit_code == 0
    result = run("db", "purge", "--yes")
    assert result.exit_code == 0, result.stderr
    counts = row_counts(db_path)
    assert (counts["measure"], counts["goal"]) == (1, 0)
    assert run("undo").exit_code == 2  # the purged delete cannot be undone
