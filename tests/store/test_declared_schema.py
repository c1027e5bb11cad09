"""The table CHECKs the entry declarations give (store/declared.table_checks) are the ones a
fresh migration builds: the migrations are frozen history, so if a declaration changed a
bound, this fails until a migration (0009_declared) brings the schema along."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from backcare.domain import entries
from backcare.store import declared
from backcare.store.engine import open_store


def _checks(create_sql: str) -> dict[str, str]:
    """constraint name -> its CHECK expression, read from a CREATE TABLE statement."""
    out = {}
    for match in re.finditer(r"CONSTRAINT (\w+) CHECK \(", create_sql):
        depth, end = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(create_sql[end], 0)
            end += 1
        out[match.group(1)] = create_sql[match.end() : end - 1]
    return out


def _same(sql: str) -> str:
    """A CHECK as SQLite judges it: NULL passes a CHECK, so `c IS NULL OR x` is `x`."""
    sql = " ".join(sql.split())
    return re.sub(r"^(\w+) IS NULL OR (?=\1\b)", "", sql)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    path: Path = tmp_path_factory.mktemp("schema") / "fresh.db"
    open_store(path, create=True).close()  # the real migrations, not the tests' template
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    finally:
        conn.close()


@pytest.mark.parametrize("kind", entries.KINDS, ids=lambda k: k.label)
def test_a_fresh_migration_has_the_declared_checks(
    kind: entries.Kind, migrated: dict[str, str]
) -> None:
    found = {name: _same(sql) for name, sql in _checks(migrated[kind.table]).items()}
    wanted = {f"ck_{kind.table}_{name}": _same(sql) for name, sql in declared.table_checks(kind)}
    assert found == wanted


def test_the_comparison_sees_a_changed_bound(migrated: dict[str, str]) -> None:
    """Self-test: a declaration with another bound would not match the migrated table."""
    pain = entries.PAIN.field("pain")
    moved = entries.Field(**{**{s: getattr(pain, s) for s in pain.__slots__}, "high": 11})
    kind = entries.Kind(
        **{**{s: getattr(entries.PAIN, s) for s in entries.PAIN.__slots__}, "fields": (moved,)}
    )
    wanted = dict(declared.table_checks(kind))
    assert _same(wanted["pain_range"]) not in _checks(migrated["pain_entry"]).values()
    assert _same("spasms IS NULL OR spasms >= 0") == "spasms >= 0"
