"""The hot reads build records from raw driver rows (store/declared.from_raw, issue 18); every
other read builds them from typed SQLAlchemy rows (declared.from_row). Both must give the
same records, for every declared kind, with every optional value set and left out; the raw
profile read must match the typed one. A real SQLite file, written through the store."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from backcare.domain import entries
from backcare.domain.inputs import NewPain, NewPrescription, NewSymptom, NewTreatment
from backcare.domain.model import Goal, Measure, Profile
from backcare.store import core, declared, repo
from backcare.store.core import kind_table
from backcare.store.engine import open_store

ZONE = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=ZONE)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("raw") / "raw.db"
    store = open_store(path, create=True)
    at = NOW - timedelta(days=1)
    try:
        with store.write() as s:
            repo.add_pain(s, entry=NewPain(at=at, pain=4), now=NOW)
            full = NewPain(at=at, pain=7, spasms=2, location="lower", radiates="knee", note="é")
            repo.add_pain(s, entry=full, now=NOW)
            repo.add_treatment(s, entry=NewTreatment(at=at, kind="heat", minutes=20), now=NOW)
            drug = NewTreatment(
                at=at, kind="medication", drug="ibuprofen", dose_mg=400.0, relief=6,
                relaxant=False, note="n", product="Nurofen",
            )  # fmt: skip
            repo.add_treatment(s, entry=drug, now=NOW)
            repo.add_symptom(s, entry=NewSymptom(at=at, code="fever", present=False), now=NOW)
            repo.add_symptom(s, entry=NewSymptom(at=at, code="night-pain", note="n"), now=NOW)
            script = NewPrescription(
                at=at, drug="ibuprofen", dose_mg=200.0, every_minutes=360, max_daily_mg=1200.0,
                until=NOW + timedelta(days=5), relaxant=False, note="gp",
            )  # fmt: skip
            number = repo.add_prescription(s, entry=script, now=NOW).id
            assert number is not None
            repo.stop_prescription(s, number=number, at=NOW, now=NOW)
            repo.add_prescription(s, entry=NewPrescription(at=at, drug="diazepam"), now=NOW)
            repo.add_checkin(
                s, at=at, asked=("fever", "numbness"), present=("fever",), note=None, now=NOW
            )
            repo.add_checkin(s, at=at, asked=(), present=(), note="none", now=NOW)
            repo.add_ack(
                s, rule="R1", keys=frozenset({"a", "ü"}), note=None, sought_care=True, now=NOW
            )
            repo.add_ack(s, rule="R2", keys=frozenset(), note="x", sought_care=False, now=NOW)
            repo.add_measure(
                s, measure=Measure(at=at, instrument="rmdq", answers=(1, 0) * 12), now=NOW
            )
            psfs = Measure(at=at, instrument="psfs", answers=(3, 5), goals=("walk", "sit"))
            repo.add_measure(s, measure=psfs, now=NOW)
            goal = repo.add_goal(s, goal=Goal(at=at, text="walk"), now=NOW)
            assert goal.id is not None
            repo.end_goal(s, number=goal.id, at=NOW, now=NOW)
            repo.add_goal(s, goal=Goal(at=at, text="sit"), now=NOW)
    finally:
        store.close()
    return path


@pytest.mark.parametrize("kind", entries.KINDS, ids=lambda k: k.label)
def test_a_raw_row_gives_the_record_a_typed_row_does(kind: entries.Kind, db: Path) -> None:
    store = open_store(db, create=False)
    try:
        with store.read() as session:
            table = kind_table(kind.letter)
            typed = session.connection().execute(select(table).order_by(table.c.id)).all()
            names = ", ".join(f'"{c}"' for c in declared.raw_columns(kind))
            sql = f'SELECT {names} FROM "{kind.table}" ORDER BY id'
            raw = session.dbapi().execute(sql).fetchall()
    finally:
        store.close()
    assert len(typed) >= 2
    from_row, from_raw = declared.from_row(kind), declared.from_raw(kind)
    assert [from_raw(r) for r in raw] == [from_row(r) for r in typed]


@pytest.mark.parametrize("prior", [True, False, None])
def test_the_raw_profile_read_is_the_typed_one(tmp_path: Path, prior: bool | None) -> None:
    store = open_store(tmp_path / "p.db", create=True)
    profile = Profile(
        birth_year=1970,
        prior_back_pain=prior,
        history=frozenset({"cancer"}),
        remind_at=(time(9, 0), time(21, 30)),
        name="A",
        date_of_birth=date(1970, 5, 1),
    )
    try:
        with store.write() as session:
            assert repo.get_profile(session) == Profile()
            saved = repo.save_profile(session, profile=profile, now=NOW)
        with store.read() as session:
            raw = repo.get_profile(session)
            profile_table = core.profile()  # the typed Core read: Boolean gives a bool
            columns = [profile_table.c[name] for name in repo._PROFILE_COLUMNS]
            typed = repo._profile_from(*session.connection().execute(select(*columns)).one())
    finally:
        store.close()
    assert raw == typed == saved == profile
    assert type(raw.prior_back_pain) is type(prior)
