"""Use cases of questionnaires and PSFS goals (issue 16): `measure`, `goals`.

Nothing here prints or reads a clock. A measure is stored through `services._log`, so the
flags it changes (the STarT Back rules, docs/rules.md) are reported like any entry's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from backcare import services
from backcare.domain.model import Goal, Measure

if TYPE_CHECKING:
    from backcare.store.engine import Session


def active_goals(path: Path, *, at: datetime) -> tuple[Goal, ...]:
    """The goals asked at `at`: added by then and not removed (none before a first entry)."""
    from backcare.store import repo

    if not path.exists():
        return ()
    with services._opened(path, create=False) as store, store.read() as session:
        return _active(repo.goals(session), at)


def _active(
    stored: Sequence[tuple[Goal, datetime, datetime | None]], at: datetime
) -> tuple[Goal, ...]:
    return tuple(g for g, _, _ in stored if g.at <= at and (g.ended_at is None or g.ended_at > at))


def record_measure(
    path: Path,
    *,
    instrument: str,
    answers: Sequence[int],
    at: datetime,
    note: str | None,
    now: datetime,
) -> services.Logged:
    """Check the answers against the instrument (and, for PSFS, the goals active at `at`),
    then store the measure; InputError (exit 2) and nothing stored on a bad answer."""
    from backcare.domain import measures
    from backcare.domain.inputs import check_answers
    from backcare.store import repo

    def add(session: Session) -> list[Measure]:
        goals = tuple(g.text for g in _active(repo.goals(session), at))
        if instrument != measures.PSFS:
            goals = ()
        checked = check_answers(instrument, tuple(answers), goals)
        measure = Measure(at=at, instrument=instrument, answers=checked, goals=goals, note=note)
        return [repo.add_measure(session, measure=measure, now=now)]

    return services._log(path, now, add, [at], command="measure")


def add_goal(path: Path, *, text: str, at: datetime, now: datetime) -> Goal:
    """A new PSFS activity; a fourth active one is an InputError (exit 2)."""
    from backcare import messages as msg
    from backcare.domain import measures
    from backcare.domain.inputs import check_goal_text
    from backcare.errors import InputError
    from backcare.store import journal, repo

    cleaned = check_goal_text(text)
    with services._opened(path, create=True) as store, store.write() as session:
        # From the new goal's start on, not only now: a goal removed today was one of the
        # active ones on the days a back-dated PSFS may rate (review, issue 16).
        stored = [g for g, _, _ in repo.goals(session)]
        if measures.most_goals_at_once(stored, min(at, now)) >= measures.PSFS_MAX_GOALS:
            raise InputError(
                msg.GOAL_TOO_MANY.format(limit=measures.PSFS_MAX_GOALS), msg.GOAL_TOO_MANY_HINT
            )
        with journal.action(session, command="goals add", now=now):
            return repo.add_goal(session, goal=Goal(at=at, text=cleaned), now=now)


def list_goals(path: Path, *, at: datetime) -> tuple[Goal, ...]:
    return active_goals(path, at=at)


def remove_goal(path: Path, *, number: int, now: datetime) -> Goal:
    """`goals remove gN`: the goal ends now (undoable; earlier ratings keep its text)."""
    from backcare.store import journal, repo

    with (
        services._opened(path, create=False) as store,
        store.write() as session,
        journal.action(session, command="goals remove", now=now),
    ):
        return repo.end_goal(session, number=number, at=now, now=now)
