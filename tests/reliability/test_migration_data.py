"""Migrations with data: a DB left by the first revision, rows in every table, upgraded.

Revision 0002_value_checks rebuilds every table (SQLite cannot add a CHECK in place), so
these tests are what stands between a user's years of entries and a copy that drops one.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from backcare.store.schema import HEAD
from tests.conftest import Run, file_digest
from tests.reliability.util import (
    REV1,
    REV1_ROWS,
    head_table,
    integrity,
    make_rev1_db,
    revision,
    rows_at_head,
    side_files,
    table_rows,
)


def _dt(text: object) -> datetime | None:
    return None if text is None else datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def test_a_first_revision_db_with_rows_upgrades_on_open_intact(tmp_path: Path) -> None:
    from backcare.store import export_queries, repo
    from backcare.store.engine import open_store

    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)

    store = open_store(db, create=False)
    try:
        assert revision(db) == HEAD
        for table, rows in REV1_ROWS.items():
            assert table_rows(db, head_table(table)) == rows_at_head(table, rows), table
        # Read back through the repositories, as every command does.
        with store.read() as session:
            history = repo.load_history(session)
            profile = repo.get_profile(session)
            events = list(export_queries.iter_events(session))
            raw = session.dbapi()  # rows per table, soft-deleted ones too
            counts = {
                t: raw.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in ("pain_entry", "treatment", "symptom_report", "episode", "profile")
            }
    finally:
        store.close()
    assert counts == {t: len(REV1_ROWS[t]) for t in counts}
    live_pain = [r for r in REV1_ROWS["pain_entry"] if r["deleted_at"] is None]
    assert [(p.uid, p.at, p.pain, p.note) for p in history.pain] == [
        (r["uid"], _dt(r["at"]), r["pain"], r["note"]) for r in live_pain
    ]
    treatment = {t.uid: t for t in history.treatments}
    assert treatment["00000000-0000-4000-8000-000000000013"].relaxant is True
    assert treatment["00000000-0000-4000-8000-000000000013"].dose_mg == 5.5
    assert treatment["00000000-0000-4000-8000-000000000012"].minutes == 20
    assert [s.present for s in history.symptoms] == [True, False]
    assert history.onsets == (_dt("2026-02-28T18:00:00.000000Z"),)
    assert profile.birth_year == 1980 and profile.history == frozenset({"osteoporosis"})
    assert [t.strftime("%H:%M") for t in profile.remind_at] == ["09:00", "21:00"]
    assert len(events) == len(live_pain) + 3 + 2

    # The copy made before migrating is the file as it was, at revision 1.
    (backup,) = db.parent.glob(f"backcare.db.{REV1}.*.bak")
    assert revision(backup) == REV1 and integrity(backup) == ["ok"]
    for table, rows in REV1_ROWS.items():
        assert table_rows(backup, table) == rows
    assert integrity(db) == ["ok"]


def test_upgraded_rows_read_back_through_the_cli(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)
    result = run("history", "--json", "--from", "2026-02-01", "--to", "2026-03-31", db=db)
    assert result.exit_code == 0, result.stderr
    events = json.loads(result.stdout)
    assert [e["uid"][-2:] for e in events] == ["01", "21", "11", "12", "13", "03", "22"]
    assert events[0]["note"] == REV1_ROWS["pain_entry"][0]["note"]
    assert run("profile", "show", db=db).exit_code == 0
    assert run("undo", "--yes", db=db).exit_code == 0  # the change_log row survived: p2 comes back
    assert table_rows(db, "pain_entry")[1]["deleted_at"] is None
    assert run("db", "check", db=db).exit_code == 0


def test_downgrade_then_upgrade_round_trip_keeps_rows_and_schema(tmp_path: Path) -> None:
    from backcare.store import migrate
    from backcare.store.engine import _make_engine, open_store

    db = tmp_path / "data" / "backcare.db"
    make_rev1_db(db)
    shape_rev1 = _normalised(db)
    open_store(db, create=False).close()
    shape_head = _normalised(db)
    assert shape_head != shape_rev1
    for _ in range(2):
        engine = _make_engine(db)
        migrate.downgrade(engine, REV1)
        engine.dispose()
        assert revision(db) == REV1
        assert _normalised(db) == shape_rev1
        for table, rows in REV1_ROWS.items():
            assert table_rows(db, table) == rows
        open_store(db, create=False).close()
        assert revision(db) == HEAD
        assert _normalised(db) == shape_head
        for table, rows in REV1_ROWS.items():
            assert table_rows(db, head_table(table)) == rows_at_head(table, rows)
    assert integrity(db) == ["ok"]


def _normalised(path: Path) -> dict[str, object]:
    """The schema's meaning: columns, indexes and constraints per table, in a stable order
    (a rebuilt table may list its constraints in another order, or quote its name)."""
    from sqlalchemy import create_engine, inspect

    engine = create_engine(f"sqlite:///{path}")
    try:
        inspector = inspect(engine)
        shape: dict[str, object] = {}
        for table in sorted(inspector.get_table_names()):
            shape[table] = (
                [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
                sorted(
                    (i["name"], tuple(i["column_names"]), i["unique"])
                    for i in inspector.get_indexes(table)
                ),
                sorted(
                    (u["name"], tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(table)
                ),
                sorted(
                    (c["name"], " ".join(c["sqltext"].split()))
                    for c in inspector.get_check_constraints(table)
                ),
                inspector.get_pk_constraint(table)["constrained_columns"],
            )
        return shape
    finally:
        engine.dispose()


def test_short_years_from_revision_1_are_padded_and_sort_again(tmp_path: Path) -> None:
    """Revision 1 stored year 999 as `999-...` (sorting after 2026); the upgrade fixes it."""
    from backcare.store.engine import open_store

    db = tmp_path / "data" / "backcare.db"
    rows = {
        "pain_entry": [
            {**REV1_ROWS["pain_entry"][0], "at": "999-12-31T23:00:00.000000Z"},
            {**REV1_ROWS["pain_entry"][2], "at": "2026-03-02T07:15:00.000000Z"},
        ]
    }
    make_rev1_db(db, rows)
    open_store(db, create=False).close()
    with closing(sqlite3.connect(db)) as conn:
        ordered = [r[0] for r in conn.execute("SELECT at FROM pain_entry ORDER BY at")]
    assert ordered == ["0999-12-31T23:00:00.000000Z", "2026-03-02T07:15:00.000000Z"]


def test_the_new_constraints_refuse_unsortable_times_and_non_booleans(tmp_path: Path) -> None:
    from backcare.store.engine import open_store

    db = tmp_path / "data" / "backcare.db"
    open_store(db, create=True).close()
    good = "2026-03-01T08:00:00.000000Z"
    bad_rows: list[tuple[str, dict[str, object]]] = [
        ("pain_entry", {"at": "2026-03-01 08:00:00+00:00", "pain": 3}),
        ("pain_entry", {"at": good, "created_at": "2026-03-01T08:00:00Z", "pain": 3}),
        ("pain_entry", {"at": good, "deleted_at": "yesterday", "pain": 3}),
        ("treatment", {"at": good, "kind": "ice", "relaxant": 2}),
        ("symptom_report", {"at": good, "code": "fever", "present": "yes"}),
    ]
    with closing(sqlite3.connect(db)) as conn:
        for table, values in bad_rows:
            row: dict[str, object] = {"uid": "u", "created_at": good, **values}
            if table == "pain_entry":
                row |= {"spasms": 0, "radiates": "none"}
            if table == "treatment":
                row.setdefault("relaxant", 0)
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                conn.execute(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())
                )


def _as_sqlite_judges(sql: str) -> str:
    """A CHECK passes when its expression is NULL, so `c IS NULL OR x` is `x` (the models
    derive `spasms IS NULL OR spasms >= 0` from the declarations, revision 0002 wrote
    `spasms >= 0`)."""
    import re

    return re.sub(r"^(\w+) IS NULL OR (?=\1\b)", "", " ".join(sql.split()))


def test_models_declare_the_same_check_constraints_as_the_migrations(tmp_path: Path) -> None:
    """Alembic's autogenerate compare ignores CHECK constraints: compare them here."""
    from sqlalchemy import CheckConstraint, inspect

    from backcare.store.engine import open_store
    from backcare.store.tables import metadata

    store = open_store(tmp_path / "x.db", create=True)
    try:
        inspector = inspect(store.engine)
        for table in metadata.sorted_tables:
            declared = {
                str(c.name): _as_sqlite_judges(str(c.sqltext))
                for c in table.constraints
                if isinstance(c, CheckConstraint)
            }
            stored = {
                str(c["name"]): _as_sqlite_judges(str(c["sqltext"]))
                for c in inspector.get_check_constraints(table.name)
            }
            assert declared == stored, table.name
    finally:
        store.close()


def test_a_db_newer_than_the_code_is_refused_untouched(tmp_path: Path, run: Run) -> None:
    db = tmp_path / "data" / "backcare.db"
    assert run("log", "3", db=db).exit_code == 0
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    digest = file_digest(db)
    for args in (("history",), ("log", "4"), ("db", "upgrade")):
        result = run(*args, db=db)
        assert result.exit_code == 1
        assert "newer backcare" in result.stderr and str(db) in result.stderr
        assert "upgrade backcare" in result.stderr
        assert file_digest(db) == digest
    assert not any(name.endswith(".bak") for name in side_files(db))
    check = run("db", "check", db=db)
    assert check.exit_code == 1 and "revision this backcare lacks" in check.stdout
