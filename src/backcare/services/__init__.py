"""Use cases: open the store, load what is needed, call the domain, return plain data.

A package: one module per area (this one: logging, check, history, profile; `remind`,
`maintenance`, `exports` beside it), all called from the CLI as `services.<area>.<fn>`.

The CLI calls one function here per command. Nothing here prints or reads a clock: `now`
(aware, local zone) comes from the caller. Store modules are imported inside functions so
that `backcare --help` never imports SQLModel.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment
from backcare.domain.model import Event, Flag, History, Profile

if TYPE_CHECKING:
    from backcare.domain.episodes import Course
    from backcare.store.engine import Store


# How far back rules look beyond the active episode: the longest rule window (muscle
# relaxant 21 days, NSAID 10-day runs, 14-day symptoms) with room to spare.
RULES_LOOKBACK = timedelta(days=60)


@contextmanager
def _opened(path: Path, *, create: bool) -> Iterator[Store]:
    from backcare.store.engine import open_store

    store = open_store(path, create=create)
    try:
        yield store
    finally:
        store.close()


@dataclass(frozen=True)
class Logged:
    events: tuple[Event, ...]
    new_flags: tuple[Flag, ...] = ()
    tip: Any = None  # domain.tips.Tip | None: one contextual tip for after the entry


@dataclass(frozen=True)
class CheckResult:
    as_of: datetime
    course: Course | None
    flags: tuple[Flag, ...] = field(default=())


def _rules_history(session: Any, as_of: datetime) -> History:
    """The slice of history the rules need at `as_of`: the active episode and the lookback."""
    from backcare.store import repo

    since = as_of - RULES_LOOKBACK
    start = repo.latest_episode_start(session, as_of=as_of)
    if start is not None and start < since:
        since = start
    return repo.load_history(session, since=since, until=as_of)


def _evaluate(history: History, profile: Profile, as_of: datetime) -> list[Flag]:
    from backcare.domain.rules import evaluate

    return evaluate(history, profile, as_of)


def _log(path: Path, now: datetime, add: Any) -> Logged:
    """Store new events, then report the flags they raised (and a tip).

    One IMMEDIATE transaction reads the history before, adds, and reads it after (the
    session sees its own inserts), so a failure anywhere leaves nothing half-done and no
    entry is saved by a command that then reports an error.
    """
    from backcare.domain.rules import new_flags
    from backcare.domain.tips import choose_tip
    from backcare.store import repo

    with _opened(path, create=True) as store, store.write() as session:
        profile = repo.get_profile(session)
        before_history = _rules_history(session, now)
        events = tuple(add(session))
        after_history = _rules_history(session, now)
    before = _evaluate(before_history, profile, now)
    after = _evaluate(after_history, profile, now)
    return Logged(
        events=events,
        new_flags=tuple(new_flags(before, after)),
        tip=choose_tip(after_history, now),
    )


def log_pain(
    path: Path, *, entry: NewPain, symptoms: Sequence[NewSymptom] = (), now: datetime
) -> Logged:
    from backcare.store import repo

    def add(session: Any) -> list[Event]:
        events: list[Event] = [repo.add_pain(session, entry=entry, now=now)]
        events += [repo.add_symptom(session, entry=s, now=now) for s in symptoms]
        return events

    return _log(path, now, add)


def log_treatment(path: Path, *, entry: NewTreatment, now: datetime) -> Logged:
    from backcare.store import repo

    return _log(path, now, lambda session: [repo.add_treatment(session, entry=entry, now=now)])


def log_symptoms(path: Path, *, entries: Sequence[NewSymptom], now: datetime) -> Logged:
    from backcare.store import repo

    return _log(
        path, now, lambda session: [repo.add_symptom(session, entry=e, now=now) for e in entries]
    )


def check(path: Path, *, as_of: datetime) -> CheckResult:
    from backcare.domain.episodes import course
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        history = _rules_history(session, as_of)
        profile = repo.get_profile(session)
    return CheckResult(
        as_of=as_of,
        course=course(history, as_of),
        flags=tuple(_evaluate(history, profile, as_of)),
    )


# --- history, edit, delete, undo ---------------------------------------------------------


def history(path: Path, *, since: datetime | None, until: datetime | None) -> list[Event]:
    from backcare.store import export_queries

    with _opened(path, create=False) as store, store.read() as session:
        return list(export_queries.iter_events(session, since=since, until=until))


def get_event(path: Path, *, ref: tuple[str, int]) -> Event:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return repo.get_event(session, letter=ref[0], number=ref[1])


def delete_event(path: Path, *, ref: tuple[str, int], now: datetime) -> Event:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.write() as session:
        return repo.soft_delete(session, letter=ref[0], number=ref[1], now=now)


def edit_event(
    path: Path, *, ref: tuple[str, int], changes: dict[str, Any], now: datetime
) -> Event:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.write() as session:
        return repo.edit_event(session, letter=ref[0], number=ref[1], changes=changes, now=now)


def undo(path: Path, *, now: datetime) -> tuple[str, Event]:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.write() as session:
        return repo.undo_last(session, now=now)


# --- profile -----------------------------------------------------------------------------


def profile_show(path: Path) -> Profile:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return repo.get_profile(session)


def profile_set(
    path: Path,
    *,
    now: datetime,
    birth_year: int | None = None,
    prior_back_pain: bool | None = None,
    history: frozenset[str] | None = None,
    remind_at: tuple[time, ...] | None = None,
) -> Profile:
    from backcare.store import repo

    with _opened(path, create=True) as store, store.write() as session:
        profile = repo.get_profile(session)
        changes: dict[str, Any] = {}
        if birth_year is not None:
            changes["birth_year"] = birth_year
        if prior_back_pain is not None:
            changes["prior_back_pain"] = prior_back_pain
        if history is not None:
            changes["history"] = history
        if remind_at is not None:
            changes["remind_at"] = remind_at
        return repo.save_profile(session, profile=replace(profile, **changes), now=now)


def day_bounds(start: date, end: date, tz: Any) -> tuple[datetime, datetime]:
    """Local midnight at `start` to the last instant of `end`, as aware datetimes."""
    since = datetime.combine(start, time(0), tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz) - timedelta(
        microseconds=1
    )
    return since, until


# --- status and summary ------------------------------------------------------------------


@dataclass(frozen=True)
class StatusResult:
    view: Any  # domain.status.StatusView
    tip: Any  # domain.tips.Tip | None


def status(path: Path, *, as_of: datetime) -> StatusResult:
    """One screen: loads the active episode, the rules' lookback and 14 days, no more."""
    from backcare.domain.status import load_since, status_view
    from backcare.domain.tips import choose_tip
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        onset = repo.latest_episode_start(session, as_of=as_of)
        since = min(load_since(as_of, onset), as_of - RULES_LOOKBACK)
        history = repo.load_history(session, since=since, until=as_of)
        profile = repo.get_profile(session)
    flags = _evaluate(history, profile, as_of)
    return StatusResult(
        view=status_view(history, profile, flags, as_of), tip=choose_tip(history, as_of)
    )


def summary(path: Path, *, start: date, end: date, tz: Any) -> Any:
    """The period's numbers (domain.summary.Summary); loads only the period (+6 h each side)."""
    from backcare.domain.summary import summarize, summary_load_range
    from backcare.store import repo

    since, until = summary_load_range(start, end, tz)
    with _opened(path, create=False) as store, store.read() as session:
        history = repo.load_history(session, since=since, until=until)
    return summarize(history, start, end, tz)


def demo(path: Path, *, now: datetime) -> StatusResult:
    """Fill a NEW database at `path` with the sample fortnight, then return its status."""
    from backcare.domain.demo import demo_entries
    from backcare.store import repo

    if path.exists():
        raise FileExistsError(path)  # the demo never writes into an existing file
    with _opened(path, create=True) as store, store.write() as session:
        for entry in demo_entries(now):
            if isinstance(entry, NewPain):
                repo.add_pain(session, entry=entry, now=now)
            elif isinstance(entry, NewTreatment):
                repo.add_treatment(session, entry=entry, now=now)
            else:
                repo.add_symptom(session, entry=entry, now=now)
    return status(path, as_of=now)
