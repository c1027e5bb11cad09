"""Derived histories equal read ones over seeded random write sequences (services._after).

A write judges the flags it changed on the histories after it. When only a few pain,
treatment or symptom rows changed and the spans the rules read did not move, those
histories are derived from the ones read before the write instead of read again
(issue 18). The safety flags rest on them, so besides the hand-picked cases of
tests/store/test_judged_after.py this walks random sequences of writes (new entries at
random times, pain set to 0 or back, entries moved, deleted, undone) over a log with several
episodes and gaps, and after each write compares the derived histories with ones read again
from the real SQLite file. Seeds are fixed: a failure names its seed and step, and repeats.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcare import services
from backcare.domain.entries import Value
from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
from backcare.store import journal, repo
from backcare.store.engine import Session, open_store

ZONE = ZoneInfo("America/New_York")  # a DST change inside the log
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=ZONE)
START = NOW - timedelta(days=150)
STEPS = 20


class _Rollback(Exception):
    pass


def _seed_log(path: Path, rng: random.Random) -> None:
    """150 days: episodes of pain separated by pain-free gaps of 3 to 12 days (some long
    enough to end an episode), treatments and symptom reports in between."""
    store = open_store(path, create=True)
    try:
        with store.write() as session:
            day = 0.0
            while day < 150:
                at = START + timedelta(days=day)
                repo.add_pain(session, entry=NewPain(at=at, pain=rng.randint(1, 8)), now=NOW)
                if rng.random() < 0.4:
                    entry = NewTreatment(
                        at=at + timedelta(hours=1), kind="medication", drug="ibuprofen", dose_mg=400
                    )
                    repo.add_treatment(session, entry=entry, now=NOW)
                if rng.random() < 0.1:
                    symptom = NewSymptom(at=at + timedelta(hours=2), code="fever")
                    repo.add_symptom(session, entry=symptom, now=NOW)
                day += rng.choice((0.5, 1, 1, 2, 3)) if rng.random() > 0.08 else rng.randint(3, 12)
    finally:
        store.close()


def _random_time(rng: random.Random) -> datetime:
    return NOW - timedelta(minutes=rng.randint(1, 150 * 24 * 60))


def _ids(session: Session, letter: str) -> list[int]:
    table = {"p": "pain_entry", "t": "treatment", "s": "symptom_report"}[letter]
    rows = session.dbapi().execute(f"SELECT id FROM {table} WHERE deleted_at IS NULL").fetchall()
    return [row[0] for row in rows]


def _random_change(
    session: Session, rng: random.Random
) -> tuple[str, list[datetime], Callable[[], object]]:
    """(what, the entry times the write is judged at, the write)."""
    choice = rng.choice(("log", "log0", "treat", "symptom", "edit_pain", "move", "delete"))
    if choice in ("log", "log0"):
        at = _random_time(rng)
        level = 0 if choice == "log0" else rng.randint(1, 10)
        return (
            f"log {level} at {at}",
            [at],
            lambda: repo.add_pain(session, entry=NewPain(at=at, pain=level), now=NOW),
        )
    if choice == "treat":
        at = _random_time(rng)
        entry = NewTreatment(at=at, kind="heat", minutes=20)
        return f"treat at {at}", [at], lambda: repo.add_treatment(session, entry=entry, now=NOW)
    if choice == "symptom":
        at = _random_time(rng)
        symptom = NewSymptom(at=at, code=rng.choice(("fever", "numbness")))
        return f"symptom at {at}", [at], lambda: repo.add_symptom(session, entry=symptom, now=NOW)
    letter = "p" if choice == "edit_pain" else rng.choice("pts")
    number = rng.choice(_ids(session, letter))
    old = repo.get_event(session, letter=letter, number=number).at
    if choice == "edit_pain":
        level = rng.choice((0, 0, 3, 9))
        changes: dict[str, Value] = {"pain": level}
        times = [old]
    elif choice == "move":
        moved = _random_time(rng)
        changes = {"at": moved}
        times = [old, moved]
    else:
        return (
            f"delete {letter}{number}",
            [old],
            lambda: repo.soft_delete(session, letter=letter, number=number, now=NOW),
        )
    return (
        f"edit {letter}{number} {changes}",
        times,
        lambda: repo.edit_event(session, letter=letter, number=number, changes=changes, now=NOW),
    )


@pytest.mark.parametrize(
    "seed", [*range(3), *(pytest.param(s, marks=pytest.mark.slow) for s in range(3, 16))]
)
def test_derived_histories_equal_read_ones(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / f"random-{seed}.db"
    _seed_log(path, rng)
    derived_count = 0
    for step in range(STEPS):
        store = open_store(path, create=False)
        try:
            with store.write() as session:
                what, times, write = _random_change(session, rng)
                judged = services._judge_before(session, NOW, times)
                with journal.action(session, command="edit", now=NOW):
                    write()
                if rng.random() < 0.25:  # sometimes the write is undone in the same judging
                    journal.undo(session, expect=None, now=NOW)
                    what += ", undone"
                derived = services._after(session, judged, derive=True)
                read = [services._rules_history(session, at) for at in judged.times]
                got = [history for history, _ in derived]
                assert got == read, f"seed {seed} step {step}: {what}"
                derived_count += sum(was for _, was in derived)
        finally:
            store.close()
    # the walk exercises the derived path, not only the read-again one
    assert derived_count > 0
