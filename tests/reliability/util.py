"""Helpers of the reliability suite: real processes on real files.

The console script is run as a subprocess (`backcare_cmd`), with HOME/XDG in tmp and a fixed
TZ, so what is tested is what a person or cron runs. Files are examined with sqlite3 alone,
independently of backcare's code.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import TZ

BACKCARE = Path(sys.executable).parent / "backcare"


def cli_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKCARE_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        TZ=TZ,
        NO_COLOR="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def backcare_cmd(db: Path, *args: str) -> list[str]:
    return [str(BACKCARE), "--db", str(db), *args]


def run_cli(db: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        backcare_cmd(db, *args), env=env, capture_output=True, text=True, timeout=120
    )


def integrity(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]


def notes(path: Path, table: str = "pain_entry") -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [r[0] for r in conn.execute(f"SELECT note FROM {table} WHERE note IS NOT NULL")]


def count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so the file alone holds everything (for byte surgery)."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()


def seed(path: Path, *, days: int = 20, per_day: int = 6) -> dict[str, int]:
    """A DB at head with rows in every table (through backcare's own store), checkpointed."""
    from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
    from backcare.domain.model import Profile
    from backcare.store import repo
    from backcare.store.engine import open_store

    now = datetime.now(UTC).replace(microsecond=0)
    store = open_store(path, create=True)
    try:
        with store.write() as session:
            for i in range(days * per_day):
                at = now - timedelta(hours=days * 24) + timedelta(hours=24 * i / per_day)
                repo.add_pain(session, entry=NewPain(at=at, pain=i % 11, note=f"seed {i}"), now=now)
                repo.add_treatment(
                    session,
                    entry=NewTreatment(at=at, kind="medication", drug="ibuprofen", dose_mg=200),
                    now=now,
                )
                if i % 5 == 0:
                    repo.add_symptom(session, entry=NewSymptom(at=at, code="fever"), now=now)
            repo.save_profile(session, profile=Profile(birth_year=1980), now=now)
        with store.write() as session:
            repo.soft_delete(session, letter="p", number=1, now=now)
    finally:
        store.close()
    checkpoint(path)
    with closing(sqlite3.connect(path)) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("pain_entry", "treatment", "symptom_report", "profile", "action_journal")
        }


def export_json(path: Path, n: int, *, prefix: str = "imp") -> None:
    """A `backcare export json` file with `n` pain entries (unique uids, notes prefix-i)."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    events = []
    for i in range(n):
        at = (start + timedelta(minutes=37 * i)).isoformat()
        events.append(
            {
                "type": "pain",
                "uid": str(uuid.uuid4()),
                "at": at,
                "created_at": at,
                "deleted_at": None,
                "pain": i % 11,
                "spasms": 0,
                "location": "lower",
                "radiates": "none",
                "note": f"{prefix}{i}",
            }
        )
    document = {
        "format": "backcare-export",
        "version": 1,
        "exported_at": start.isoformat(),
        "profile": None,
        "events": events,
    }
    path.write_text(json.dumps(document))


def side_files(path: Path) -> dict[str, int]:
    """Files beside `path` that share its name, with their sizes."""
    return {
        p.name: p.stat().st_size
        for p in path.parent.iterdir()
        if p.name.startswith(path.name) and p != path
    }


# --- a DB at the first revision, rows in every table ---------------------------------------

REV1 = "0001_initial"
# Columns later revisions add to revision 1's tables, with the value an upgrade gives them.
ADDED_COLUMNS: dict[str, dict[str, object]] = {
    "treatment": {"product": None},  # 0003_prescriptions
    "profile": {"name": None, "date_of_birth": None},  # 0006_identity
}


def rows_at_head(table: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Revision 1's rows as they read after upgrading to the head (in `head_table(table)`)."""
    if table == "change_log":  # revision 0007: a pending change is one journal action
        return [_journal_row(row) for row in rows if row["undone_at"] is None]
    return [{**row, **ADDED_COLUMNS.get(table, {})} for row in rows]


def head_table(table: str) -> str:
    return "action_journal" if table == "change_log" else table


def _journal_row(row: dict[str, object]) -> dict[str, object]:
    letter, number = row["table_name"], row["row_id"]
    current = {r["id"]: r for r in REV1_ROWS[{"p": "pain_entry"}[str(letter)]]}[number]
    before = json.loads(str(row["before"]))
    update = {"t": letter, "id": number, "before": before,
              "after": {field: current[field] for field in before}}  # fmt: skip
    changes = {"created": {}, "updated": [update]}
    return {"id": row["id"], "at": row["at"], "command": row["action"],
            "changes": json.dumps(changes), "undone_at": None}  # fmt: skip


REV1_ROWS: dict[str, list[dict[str, object]]] = {
    "pain_entry": [
        {"id": 1, "uid": "00000000-0000-4000-8000-000000000001",
         "at": "2026-03-01T08:00:00.000000Z", "created_at": "2026-03-01T08:00:05.123456Z",
         "deleted_at": None, "pain": 6, "spasms": 2, "location": "lower",
         "radiates": "thigh", "note": "stiff after 'gardening' \u2014 \u00fcn\u00efcode"},
        {"id": 2, "uid": "00000000-0000-4000-8000-000000000002",
         "at": "2026-03-01T20:30:00.000000Z", "created_at": "2026-03-01T20:30:00.000000Z",
         "deleted_at": "2026-03-02T07:00:00.000000Z", "pain": 4, "spasms": 0,
         "location": None, "radiates": "none", "note": None},
        {"id": 3, "uid": "00000000-0000-4000-8000-000000000003",
         "at": "2026-03-02T07:15:00.000000Z", "created_at": "2026-03-02T07:15:00.000000Z",
         "deleted_at": None, "pain": 0, "spasms": 0, "location": "neck",
         "radiates": "none", "note": "line one\nline two"},
    ],
    "treatment": [
        {"id": 1, "uid": "00000000-0000-4000-8000-000000000011",
         "at": "2026-03-01T08:10:00.000000Z", "created_at": "2026-03-01T08:10:00.000000Z",
         "deleted_at": None, "kind": "medication", "drug": "ibuprofen", "dose_mg": 400.0,
         "minutes": None, "relief": 3, "relaxant": 0, "note": None},
        {"id": 2, "uid": "00000000-0000-4000-8000-000000000012",
         "at": "2026-03-01T09:00:00.000000Z", "created_at": "2026-03-01T09:00:00.000000Z",
         "deleted_at": None, "kind": "ice", "drug": None, "dose_mg": None,
         "minutes": 20, "relief": None, "relaxant": 0, "note": "frozen peas"},
        {"id": 3, "uid": "00000000-0000-4000-8000-000000000013",
         "at": "2026-03-01T22:00:00.000000Z", "created_at": "2026-03-01T22:00:00.000000Z",
         "deleted_at": None, "kind": "medication", "drug": "baclofen", "dose_mg": 5.5,
         "minutes": None, "relief": None, "relaxant": 1, "note": None},
    ],
    "symptom_report": [
        {"id": 1, "uid": "00000000-0000-4000-8000-000000000021",
         "at": "2026-03-01T08:00:00.000000Z", "created_at": "2026-03-01T08:00:05.123456Z",
         "deleted_at": None, "code": "fever", "present": 1, "note": None},
        {"id": 2, "uid": "00000000-0000-4000-8000-000000000022",
         "at": "2026-03-02T08:00:00.000000Z", "created_at": "2026-03-02T08:00:00.000000Z",
         "deleted_at": None, "code": "fever", "present": 0, "note": "gone"},
    ],
    "episode": [
        {"id": 1, "uid": "00000000-0000-4000-8000-000000000031",
         "at": "2026-02-28T18:00:00.000000Z", "created_at": "2026-03-01T08:00:00.000000Z",
         "deleted_at": None, "note": "lifted a box"},
    ],
    "profile": [
        {"id": 1, "uid": "00000000-0000-4000-8000-000000000041",
         "created_at": "2026-03-01T08:00:00.000000Z", "updated_at": "2026-03-01T08:00:00.000000Z",
         "birth_year": 1980, "prior_back_pain": 1, "history": "osteoporosis",
         "remind_at": "09:00,21:00"},
    ],
    "change_log": [
        {"id": 1, "at": "2026-03-02T07:00:00.000000Z", "action": "delete", "table_name": "p",
         "row_id": 2, "before": '{"deleted_at": null}', "undone_at": None},
    ],
}  # fmt: skip


def insert_rows(path: Path, rows: dict[str, list[dict[str, object]]]) -> None:
    with closing(sqlite3.connect(path)) as conn:
        for table, items in rows.items():
            for item in items:
                columns = ", ".join(item)
                marks = ", ".join("?" for _ in item)
                conn.execute(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(item.values())
                )
        conn.commit()


def table_rows(path: Path, table: str) -> list[dict[str, object]]:
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]


def revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def make_rev1_db(path: Path, rows: dict[str, list[dict[str, object]]] | None = None) -> None:
    """A DB migrated to the first revision only (as an older backcare left it), with rows."""
    from backcare.store import migrate
    from backcare.store.engine import _make_engine

    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.touch(mode=0o600)
    engine = _make_engine(path)
    try:
        migrate.upgrade(engine, path, from_revision=None, target=REV1)
    finally:
        engine.dispose()
    insert_rows(path, REV1_ROWS if rows is None else rows)
    checkpoint(path)
