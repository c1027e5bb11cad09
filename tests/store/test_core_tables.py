"""The Core tables the store's statements run on (store/core.py, derived from the entry
declarations without SQLModel, issue 18) are the SQLModel tables (store/tables.py) and the
tables a fresh migration builds: same columns, column types, nullability, primary keys."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Float, Integer, String, Table

from backcare.store import core, tables
from backcare.store.engine import open_store


def _kind(column: Any) -> str:
    """A column's type as the store reads it back: the conversion its type applies."""
    sql_type = column.type
    if not isinstance(sql_type, core.UTCDateTime):  # SQLModel's AutoString: a String
        sql_type = getattr(sql_type, "impl_instance", sql_type)
    for name, cls in (
        ("utc", core.UTCDateTime),
        ("bool", Boolean),
        ("int", Integer),
        ("float", Float),
        ("text", String),
    ):
        if isinstance(sql_type, cls):
            length = getattr(sql_type, "length", None) if name == "text" else None
            return f"{name}({length})" if length else name
    raise AssertionError(f"unexpected type {sql_type!r}")


def _shape(table: Table) -> dict[str, tuple[str, bool, bool]]:
    return {c.name: (_kind(c), bool(c.nullable), bool(c.primary_key)) for c in table.columns}


def test_every_table_is_in_both() -> None:
    assert set(core.all_tables().tables) == set(tables.metadata.tables)


@pytest.mark.parametrize("name", sorted(tables.metadata.tables))
def test_a_core_table_is_the_sqlmodel_table(name: str) -> None:
    assert _shape(core.all_tables().tables[name]) == _shape(tables.metadata.tables[name])


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[Any, ...]]]:
    path: Path = tmp_path_factory.mktemp("core") / "fresh.db"
    open_store(path, create=True).close()  # the real migrations, not the tests' template
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: conn.execute(f'PRAGMA table_info("{n}")').fetchall() for n in names}
    finally:
        conn.close()


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (its rules, in their order)."""
    upper = declared.upper()
    if "INT" in upper:
        return "INTEGER"
    if any(word in upper for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if any(word in upper for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


@pytest.mark.parametrize("name", sorted(core.all_tables().tables))
def test_a_core_table_is_the_migrated_table(
    name: str, migrated: dict[str, list[tuple[Any, ...]]]
) -> None:
    from sqlalchemy.dialects import sqlite

    table = core.all_tables().tables[name]
    dialect = sqlite.dialect()
    ours = {
        c.name: (_affinity(c.type.compile(dialect)), not c.nullable, bool(c.primary_key))
        for c in table.columns
    }
    # PRAGMA table_info: (cid, name, type, notnull, default, pk); a primary key is NOT NULL.
    found = {
        n: (_affinity(t), bool(notnull) or bool(pk), bool(pk))
        for _, n, t, notnull, _, pk in migrated[name]
    }
    assert {n: (a, nn or pk, pk) for n, (a, nn, pk) in ours.items()} == found


def test_the_comparison_sees_a_changed_column() -> None:
    """Self-test: a column that became nullable, or changed type, is told apart."""
    pain = core.all_tables().tables["pain_entry"]
    shape = _shape(pain)
    assert shape["pain"] == ("int", False, False)
    assert shape["at"] == ("utc", False, False)
    assert shape["spasms"] != shape["pain"]
