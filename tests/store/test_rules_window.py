"""The rules' slice of a long episode (docs/rules.md "Course of the episode"): the rules read
the episode's first 24 h and at most the last 60 days, and give the same answers as on the
whole log. Real SQLite files, the real store and services; fixed times, no clock.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcare import services
from backcare.domain.episodes import course, episode_onset
from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
from backcare.domain.model import History
from backcare.domain.rules import evaluate
from backcare.domain.thresholds import EPISODE_GAP
from backcare.store import repo
from backcare.store.engine import open_store

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)


def fill(db: Path, pain: list[tuple[datetime, int]], *, extra: bool = False) -> None:
    store = open_store(db, create=True)
    try:
        with store.write() as session:
            for at, level in pain:
                repo.add_pain(session, entry=NewPain(at=at, pain=level), now=NOW)
            if extra:
                repo.add_treatment(
                    session,
                    entry=NewTreatment(at=NOW - timedelta(hours=2), kind="medication",
                                       drug="ibuprofen", dose_mg=400),
                    now=NOW,
                )  # fmt: skip
                repo.add_symptom(
                    session, entry=NewSymptom(at=NOW - timedelta(days=3), code="fever"), now=NOW
                )
    finally:
        store.close()


def reference_run(pain: list[tuple[datetime, int]], as_of: datetime) -> tuple[datetime, datetime]:
    """(start, latest) of the latest run of pain > 0 with no 7-day gap, the obvious way."""
    times = sorted(at.astimezone(UTC) for at, level in pain if level > 0 and at <= as_of)
    latest = start = times[-1]
    for at in reversed(times[:-1]):
        if start - at >= EPISODE_GAP:
            break
        start = at
    return start, latest


def run_of(db: Path, as_of: datetime) -> tuple[datetime, datetime] | None:
    store = open_store(db, create=False)
    try:
        with store.read() as session:
            return repo.episode_run(session, as_of=as_of)
    finally:
        store.close()


GAP_CASES = [
    # (id, offsets of pain > 0 entries before NOW)
    ("one entry", [timedelta(hours=1)]),
    ("gap of exactly 7 days splits", [timedelta(days=7, hours=1), timedelta(hours=1)]),
    (
        "gap of 7 days less 1 microsecond joins",
        [timedelta(days=7, hours=1, microseconds=-1), timedelta(hours=1)],
    ),
    (
        "gap of 7 days plus 1 microsecond splits",
        [timedelta(days=7, hours=1, microseconds=1), timedelta(hours=1)],
    ),
    ("6-day hops for a year", [timedelta(days=6 * i, seconds=i) for i in range(61)]),
]


@pytest.mark.parametrize(
    "offsets", [case[1] for case in GAP_CASES], ids=[case[0] for case in GAP_CASES]
)
def test_episode_run_matches_the_obvious_walk(tmp_path: Path, offsets: list[timedelta]) -> None:
    pain = [(NOW - o, 5) for o in offsets]
    fill(tmp_path / "b.db", pain)
    assert run_of(tmp_path / "b.db", NOW) == reference_run(pain, NOW)


def test_episode_run_on_random_logs(tmp_path: Path) -> None:
    rng = random.Random(13)
    for n in range(8):
        at, pain = NOW - timedelta(days=400), []
        while at < NOW:
            at += timedelta(days=rng.choice((0.1, 1, 3, 6.9, 7, 7.0001, 9)))
            at += timedelta(microseconds=rng.randint(0, 999_999))
            pain.append((at, rng.choice((0, 0, 3, 6))))
        db = tmp_path / f"r{n}.db"
        fill(db, pain)
        for as_of in (NOW, NOW - timedelta(days=123, seconds=7)):
            if any(level > 0 and t <= as_of for t, level in pain):
                assert run_of(db, as_of) == reference_run(pain, as_of)


def test_no_pain_no_run(tmp_path: Path) -> None:
    fill(tmp_path / "b.db", [(NOW - timedelta(days=1), 0)])
    assert run_of(tmp_path / "b.db", NOW) is None


def chronic(days: int, *, step: timedelta = timedelta(hours=9)) -> list[tuple[datetime, int]]:
    """Pain that never stops for `days` days: a flare at the start, 3-4 later, 6 lately."""
    start = NOW - timedelta(days=days)
    out, at = [], start
    while at <= NOW - timedelta(hours=1):
        age = at - start
        level = 8 if age < timedelta(hours=24) else 6 if NOW - at < timedelta(days=2) else 3
        out.append((at, level))
        at += step
    return out


@pytest.mark.parametrize("days", [30, 61, 400, 3650])
def test_check_on_a_long_episode_equals_the_whole_log(tmp_path: Path, days: int) -> None:
    db = tmp_path / "b.db"
    pain = chronic(days)
    fill(db, pain, extra=True)
    result = services.check(db, as_of=NOW)

    store = open_store(db, create=False)
    try:
        with store.read() as session:
            whole = repo.load_history(session, until=NOW)
            sliced = services._rules_history(session, NOW)
    finally:
        store.close()
    assert result.flags == tuple(evaluate(whole, services.profile_show(db), NOW))
    assert episode_onset(sliced, NOW) == episode_onset(whole, NOW) == pain[0][0]
    full, part = course(whole, NOW), course(sliced, NOW)
    assert full is not None and part is not None
    assert (part.onset, part.baseline, part.current) == (full.onset, full.baseline, full.current)
    # The slice is the first 24 h and the last 60 days, whatever the episode's length.
    assert all(
        e.at < pain[0][0] + timedelta(hours=24) or e.at >= NOW - timedelta(days=60)
        for e in sliced.pain
    )
    if days > 61:
        assert len(sliced.pain) < len(whole.pain)
        assert sliced.elided is not None


def test_an_episode_over_before_the_window_is_no_episode(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    pain = [(at - timedelta(days=90), level) for at, level in chronic(400)]
    fill(db, pain)
    store = open_store(db, create=False)
    try:
        with store.read() as session:
            sliced = services._rules_history(session, NOW)
    finally:
        store.close()
    assert episode_onset(sliced, NOW) is None
    assert services.check(db, as_of=NOW).course is None


def test_the_elided_span_is_cut_at_as_of() -> None:
    a, b = NOW - timedelta(days=50), NOW - timedelta(days=10)
    h = History(elided=(a, b))
    assert h.until(NOW).elided == (a, b)
    assert h.until(NOW - timedelta(days=20)).elided == (a, NOW - timedelta(days=20))
    assert h.until(a).elided is None
