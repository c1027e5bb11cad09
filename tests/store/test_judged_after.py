"""The histories a write judges its flags on afterwards (services._after, issue 18): when the
write changed a few pain, treatment or symptom rows and the spans of the log the rules read
did not move, they are derived from the histories read before the write instead of read
again. Derived or read, they must be the same: every case here compares the two on a real
SQLite file, through the real store, with fixed times and no clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from backcare import services
from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
from backcare.store import journal, repo
from backcare.store.engine import Session, open_store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
START = NOW - timedelta(days=400)  # an episode with no 7-day gap since: its middle is elided


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """400 days of pain every 2 days (one episode), treatments, symptom reports, a check-in."""
    path = tmp_path / "judged.db"
    store = open_store(path, create=True)
    try:
        with store.write() as session:
            for day in range(0, 400, 2):
                at = START + timedelta(days=day)
                repo.add_pain(session, entry=NewPain(at=at, pain=3 + day % 5), now=NOW)
                treatment = NewTreatment(
                    at=at + timedelta(hours=1), kind="medication", drug="ibuprofen", dose_mg=400
                )
                repo.add_treatment(session, entry=treatment, now=NOW)
            for days in (3, 20, 390):
                report = NewSymptom(at=NOW - timedelta(days=days), code="fever")
                repo.add_symptom(session, entry=report, now=NOW)
            repo.add_checkin(  # its answer shares the time of a symptom report
                session,
                at=NOW - timedelta(days=3),
                asked=("fever", "numbness"),
                present=("fever",),
                note=None,
                now=NOW,
            )
    finally:
        store.close()
    return path


def _compare(db: Path, times: list[datetime], change: Callable[[Session], Any]) -> list[bool]:
    """Judge before `change`, make it, and compare the derived histories with ones read
    again; returns which were derived."""
    store = open_store(db, create=False)
    try:
        with store.write() as session:
            judged = services._judge_before(session, NOW, times)
            change(session)
            derived = services._after(session, judged, derive=True)
            read = [services._rules_history(session, at) for at in judged.times]
            assert [history for history, _ in derived] == read
            raise _Rollback([was for _, was in derived])
    except _Rollback as done:
        return done.derived
    finally:
        store.close()


class _Rollback(Exception):
    def __init__(self, derived: list[bool]) -> None:
        super().__init__()
        self.derived = derived


def _last(letter: str, db: Path) -> int:
    import sqlite3

    table = {"p": "pain_entry", "t": "treatment", "s": "symptom_report"}[letter]
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _pain(at: datetime, level: int = 6) -> Callable[[Session], Any]:
    def add(session: Session) -> None:
        with journal.action(session, command="log", now=NOW):
            repo.add_pain(session, entry=NewPain(at=at, pain=level), now=NOW)

    return add


def test_a_log_now_in_the_episode_is_derived(db: Path) -> None:
    assert _compare(db, [], _pain(NOW - timedelta(minutes=5))) == [True]


def test_a_log_backdated_into_the_elided_middle_is_derived(db: Path) -> None:
    at = NOW - timedelta(days=200)
    assert _compare(db, [at], _pain(at)) == [True, True]


def test_a_treatment_and_a_symptom_at_a_checkin_time_are_derived(db: Path) -> None:
    def add(session: Session) -> None:
        with journal.action(session, command="log", now=NOW):
            at = NOW - timedelta(days=3)
            repo.add_symptom(session, entry=NewSymptom(at=at, code="fever"), now=NOW)
            entry = NewTreatment(at=NOW - timedelta(hours=3), kind="heat", minutes=20)
            repo.add_treatment(session, entry=entry, now=NOW)

    assert _compare(db, [NOW - timedelta(days=3)], add) == [True, True]


def test_a_delete_in_the_window_is_derived(db: Path) -> None:
    number = _last("p", db) - 3

    def delete(session: Session) -> None:
        with journal.action(session, command="delete", now=NOW):
            repo.soft_delete(session, letter="p", number=number, now=NOW)

    at = repo_at(db, "p", number)
    assert _compare(db, [at], delete) == [True, True]


def test_an_edit_that_moves_an_entry_out_of_the_window_is_derived(db: Path) -> None:
    number = _last("t", db) - 1
    moved = NOW - timedelta(days=100)

    def edit(session: Session) -> None:
        with journal.action(session, command="edit", now=NOW):
            repo.edit_event(session, letter="t", number=number, changes={"at": moved}, now=NOW)

    assert _compare(db, [repo_at(db, "t", number), moved], edit) == [True, True, True]


def test_deleting_the_episodes_first_entry_moves_the_spans_and_is_read_again(db: Path) -> None:
    """Now, the episode starts 2 days later: its first 24 h are other rows (read again). At
    the entry's own time the 60 days before it hold the same spans with or without it."""

    def delete(session: Session) -> None:
        with journal.action(session, command="delete", now=NOW):
            repo.soft_delete(session, letter="p", number=1, now=NOW)

    assert _compare(db, [START], delete) == [True, False]


def test_an_undo_and_a_redo_are_derived(db: Path) -> None:
    store = open_store(db, create=False)
    try:
        with store.write() as session:
            _pain(NOW - timedelta(hours=1), 9)(session)
    finally:
        store.close()

    def undo(session: Session) -> None:
        journal.undo(session, expect=None, now=NOW)

    assert _compare(db, [NOW - timedelta(hours=1)], undo) == [True, True]


def test_a_checkin_is_read_again(db: Path) -> None:
    def add(session: Session) -> None:
        with journal.action(session, command="checkin", now=NOW):
            repo.add_checkin(
                session, at=NOW, asked=("fever",), present=("fever",), note=None, now=NOW
            )

    assert _compare(db, [], add) == [False]


def repo_at(db: Path, letter: str, number: int) -> datetime:
    store = open_store(db, create=False)
    try:
        with store.read() as session:
            return repo.get_event(session, letter=letter, number=number).at
    finally:
        store.close()


def test_an_entry_moved_to_another_ones_time_comes_in_id_order(db: Path) -> None:
    """Two entries at one time are read in id order; the derived history keeps it."""
    number = _last("t", db) - 2  # an older treatment, inside the window
    same = repo_at(db, "t", _last("t", db))

    def edit(session: Session) -> None:
        with journal.action(session, command="edit", now=NOW):
            repo.edit_event(session, letter="t", number=number, changes={"at": same}, now=NOW)

    assert _compare(db, [], edit) == [True]


def _edit(letter: str, number: int, changes: dict[str, Any]) -> Callable[[Session], Any]:
    def edit(session: Session) -> None:
        with journal.action(session, command="edit", now=NOW):
            repo.edit_event(session, letter=letter, number=number, changes=changes, now=NOW)

    return edit


def test_an_edit_of_a_pain_level_above_0_is_derived_without_a_run_walk(db: Path) -> None:
    number = _last("p", db) - 5
    assert _compare(db, [repo_at(db, "p", number)], _edit("p", number, {"pain": 9})) == [
        True,
        True,
    ]


def test_a_pain_set_to_0_at_the_episodes_start_moves_the_spans(db: Path) -> None:
    """The episode now starts 2 days later: its first 24 h are other rows (read again)."""
    assert _compare(db, [], _edit("p", 1, {"pain": 0})) == [False]
