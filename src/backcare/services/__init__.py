"""Use cases: open the store, load what is needed, call the domain, return plain data.

A package: one module per area (this one: logging, check, history, profile; `remind`,
`maintenance`, `exports` beside it), all called from the CLI as `services.<area>.<fn>`.

The CLI calls one function here per command. Nothing here prints or reads a clock: `now`
(aware, local zone) comes from the caller. Store modules are imported inside functions so
that `backcare --help` never imports SQLModel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from backcare.domain.model import Event, Flag, History, Prescription, Profile, Treatment
from backcare.domain.thresholds import BASELINE_WINDOW, RULES_WINDOW

if TYPE_CHECKING:  # (inputs: only the writes import it, not check, status or remind)
    from backcare.domain.acks import Acknowledgement
    from backcare.domain.entries import ProfileValue, Record, Value
    from backcare.domain.episodes import Course
    from backcare.domain.inputs import NewPain, NewPrescription, NewSymptom, NewTreatment
    from backcare.domain.journal import JournalEntry
    from backcare.domain.model import CheckIn, Measure, PainEntry, SymptomReport
    from backcare.domain.status import StatusView
    from backcare.domain.summary import Summary
    from backcare.domain.tips import Tip
    from backcare.jsonfmt import JSONObject
    from backcare.store.engine import Session, Store

    # What `history` lists: entries, check-ins (one record each) and questionnaires.
    HistoryItem = Event | CheckIn | Measure


# How far back the rules read (docs/rules.md "Course of the episode"): the last 60 days, plus
# the active episode's first 24 h however old the episode is.
RULES_LOOKBACK = RULES_WINDOW


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
    events: tuple[Record, ...]
    new_flags: tuple[Flag, ...] = ()
    tip: Tip | None = None  # one contextual tip for after the entry


@dataclass(frozen=True)
class CheckResult:
    as_of: datetime
    course: Course | None
    flags: tuple[Flag, ...] = field(default=())
    # rule ID -> the acknowledgement covering its flag now (check shows both)
    acknowledged: dict[str, Acknowledgement] = field(default_factory=dict)


def _rules_history(session: Session, as_of: datetime) -> History:
    return _rules_read(session, as_of)[0]


# The spans of the log a rules history holds: (from, to, to excluded), oldest first.
Spans = tuple[tuple[datetime, datetime, bool], ...]


def _rules_read(session: Session, as_of: datetime) -> tuple[History, Spans]:
    """The slice of history the rules need at `as_of`: the last 60 days, and the active
    episode's first 24 h when the episode began before them.

    The middle of a longer episode is left out (`History.elided`), so a 10-year episode
    costs what a 2-month one does. The store finds the episode's start by index seeks
    (`repo.episode_run`); the domain knows the left-out span has no 7-day pain-free gap, so
    it derives the same onset as from the whole log.

    Questionnaires (issue 16) read further back, a few rows only (`repo.measure_anchors`):
    per instrument the episode's first score (the baseline of the change verdict) and the
    latest score ever (the STarT Back risk group of the stratified rules; RMDQ "has used it"
    for the schedule), with a count of the left-out ones (`History.elided_measures`).
    """
    from backcare.store import repo

    since = as_of - RULES_LOOKBACK
    run = repo.episode_run(session, as_of=as_of)
    spans = _spans(as_of, since, run)
    history = _windowed_history(session, spans)
    episode_from = run[0] if run is not None and run[0] < since else None
    anchors = repo.measure_anchors(session, episode_from=episode_from, until=as_of)
    have = {m.id for m in history.measures}
    added = tuple(m for m in anchors if m.id not in have)
    if not added and history.elided is None:
        return history, spans
    uncounted: tuple[tuple[str, int], ...] = ()
    if history.elided is not None:
        span_start, span_end = history.elided
        counts = repo.measure_counts(session, since=span_start, until=span_end)
        for m in added:
            if span_start <= m.at < span_end:
                counts[m.instrument] -= 1
        uncounted = tuple(sorted((name, n) for name, n in counts.items() if n > 0))
    return replace(history, measures=history.measures + added, elided_measures=uncounted), spans


def _spans(as_of: datetime, since: datetime, run: tuple[datetime, datetime] | None) -> Spans:
    """The last 60 days and, for an episode that began before them, its first 24 h."""
    if run is None or run[0] >= since or run[1] < since:
        # no run, a run that started inside the window, or one over before it began
        return ((since, as_of, False),)
    start, _latest = run
    first_day_end = start + BASELINE_WINDOW
    if first_day_end >= since:
        return ((start, as_of, False),)
    return ((start, first_day_end, True), (since, as_of, False))


def _windowed_history(session: Session, spans: Spans) -> History:
    """The live events in `spans`; a gap between two spans is `History.elided`."""
    from backcare.store import repo

    if len(spans) == 1:
        since, until, _ = spans[0]
        return repo.load_history(session, since=since, until=until)
    (start, first_day_end, _), (since, as_of, _) = spans
    first = repo.load_history(session, since=start, until=first_day_end, until_exclusive=True)
    window = repo.load_history(session, since=since, until=as_of)
    return History(
        pain=first.pain + window.pain,
        treatments=first.treatments + window.treatments,
        symptoms=first.symptoms + window.symptoms,
        onsets=window.onsets,
        prescriptions=window.prescriptions,
        measures=first.measures + window.measures,
        goals=window.goals,
        elided=(first_day_end, since),
    )


def _patched(
    history: History, spans: Spans, touched: dict[str, dict[int, tuple[Event, bool]]]
) -> History:
    """`history` after the changes `touched` (repo.touched_events: pain, treatment and
    symptom rows as they are now) when the spans it holds are unchanged: the records the
    changes moved in or out of the spans, the same as reading them again (the records of
    a kind in (at, id) order, the check-ins' answers after the symptom reports)."""
    from backcare.domain.model import CheckinAnswer

    def inside(at: datetime) -> bool:
        return any(lo <= at and (at < hi if open_end else at <= hi) for lo, hi, open_end in spans)

    answers = tuple(r for r in history.symptoms if isinstance(r, CheckinAnswer))
    current: dict[str, tuple[Event, ...]] = {
        "p": history.pain,
        "t": history.treatments,
        "s": tuple(r for r in history.symptoms if not isinstance(r, CheckinAnswer)),
    }
    for letter, rows in touched.items():
        kept = [r for r in current[letter] if r.id not in rows]
        kept += [record for record, live in rows.values() if live and inside(record.at)]
        current[letter] = tuple(sorted(kept, key=lambda r: (r.at, r.id)))
    return replace(  # each letter's records are of its kind (repo.touched_events)
        history,
        pain=cast("tuple[PainEntry, ...]", current["p"]),
        treatments=cast("tuple[Treatment, ...]", current["t"]),
        symptoms=cast("tuple[SymptomReport, ...]", current["s"]) + answers,
    )


def _evaluate(history: History, profile: Profile, as_of: datetime) -> list[Flag]:
    from backcare.domain.rules import evaluate

    return evaluate(history, profile, as_of)


def _judge_times(now: datetime, times: Sequence[datetime]) -> list[datetime]:
    """`now`, and each entry's own time before it (a backdated entry is judged there too)."""
    return sorted({now, *(t.astimezone(now.tzinfo) for t in times if t < now)})


def _changed_flags(
    profile: Profile,
    acks: Sequence[Acknowledgement],
    before: Sequence[History],
    after: Sequence[History],
    times: list[datetime],
) -> tuple[tuple[Flag, ...], list[Flag]]:
    """What a write changed: flags new or with new evidence at any judged time, merged by
    rule (evidence lines unique), most severe first; and the visible flags after the write
    at the last judged time (now), which the tip reads (the rules run once for each)."""
    from backcare.domain.acks import visible_flags
    from backcare.domain.model import LEVEL_RANK
    from backcare.domain.rules import new_flags

    merged: dict[str, Flag] = {}
    now: list[Flag] = []
    for old, new, at in zip(before, after, times, strict=True):
        # Acknowledged flags are not repeated; one that new evidence brings back is news.
        was = visible_flags(_evaluate(old, profile, at), acks)
        now = visible_flags(_evaluate(new, profile, at), acks)
        for flag in new_flags(was, now):
            if flag.rule in merged:
                lines = merged[flag.rule].evidence
                extra = tuple(line for line in flag.evidence if line not in lines)
                flag = replace(merged[flag.rule], evidence=lines + extra)
            merged[flag.rule] = flag
    return tuple(sorted(merged.values(), key=lambda f: LEVEL_RANK[f.level])), now


@dataclass
class _Judged:
    """Histories before and after a write, at each judged time (filled by `_judged`)."""

    profile: Profile
    acks: list[Acknowledgement]
    times: list[datetime]
    before: list[History]
    spans: list[Spans] = field(default_factory=list)  # what each `before` holds
    after: list[History] = field(default_factory=list)

    def flags(self) -> tuple[Flag, ...]:
        return self.flags_and_now()[0]

    def flags_and_now(self) -> tuple[tuple[Flag, ...], list[Flag]]:
        """(the flags the write changed, the visible flags now): see `_changed_flags`."""
        return _changed_flags(self.profile, self.acks, self.before, self.after, self.times)

    @property
    def now_after(self) -> History:
        return self.after[-1]


def _judge_before(session: Session, now: datetime, times: Sequence[datetime]) -> _Judged:
    from backcare.store import repo

    judged = _judge_times(now, times)
    read = [_rules_read(session, t) for t in judged]
    repo.track_changes(session)  # the rows the write changes (`_judge_after`)
    return _Judged(
        repo.get_profile(session),
        repo.live_acks(session),
        judged,
        [history for history, _ in read],
        [spans for _, spans in read],
    )


def _after(session: Session, judged: _Judged, *, derive: bool) -> list[tuple[History, bool]]:
    """The histories after the write at each judged time, and whether each was derived from
    the one before (True) instead of read again: the write changed only a few pain,
    treatment or symptom rows, and the spans of the log the rules read at that time did not
    move (issue 18: a write on a 10-year log read its rules window twice)."""
    from backcare.store import repo

    changed = repo.touched_events(session) if derive else None
    out = []
    for at, before, spans in zip(judged.times, judged.before, judged.spans, strict=True):
        if changed is not None:
            touched, moves_run = changed
            since = at - RULES_LOOKBACK
            if not moves_run or _spans(at, since, repo.episode_run(session, as_of=at)) == spans:
                out.append((_patched(before, spans, touched), True))
                continue
        out.append((_rules_history(session, at), False))
    return out


def _judge_after(session: Session, judged: _Judged, *, derive: bool = False) -> None:
    """The histories after the write (`judged.after`). `derive`: every write since
    `_judge_before` went through the store's tracked writes (repo.track_changes), so the
    unchanged histories may be derived (`_after`); a bulk import's are read again."""
    judged.after = [history for history, _ in _after(session, judged, derive=derive)]


def _log(
    path: Path,
    now: datetime,
    add: Callable[[Session], Iterable[Record]],
    times: Sequence[datetime] = (),
    *,
    command: str,
) -> Logged:
    """Store new events, then report the flags they changed (and a tip).

    One IMMEDIATE transaction reads the history before, adds, and reads it after (the
    session sees its own inserts), so a failure anywhere leaves nothing half-done and no
    entry is saved by a command that then reports an error. Flags are compared by rule
    and evidence, at now and at each entry's own time.
    """
    from backcare.domain.tips import tip_after_entry
    from backcare.store import journal

    with _opened(path, create=True) as store, store.write() as session:
        judged = _judge_before(session, now, times)
        with journal.action(session, command=command, now=now):
            events = tuple(add(session))
        _judge_after(session, judged, derive=True)
    changed, open_now = judged.flags_and_now()  # judged.times ends with now (_judge_times)
    new_uids = {uid for e in events if (uid := getattr(e, "uid", ""))}
    tip = tip_after_entry(judged.now_after, now, open_now, new_uids=new_uids)
    return Logged(events=events, new_flags=changed, tip=tip)


def log_pain(
    path: Path, *, entry: NewPain, symptoms: Sequence[NewSymptom] = (), now: datetime
) -> Logged:
    from backcare.store import repo

    def add(session: Session) -> list[Event]:
        events: list[Event] = [repo.add_pain(session, entry=entry, now=now)]
        events += [repo.add_symptom(session, entry=s, now=now) for s in symptoms]
        return events

    return _log(path, now, add, [entry.at, *(s.at for s in symptoms)], command="log")


def log_treatments(path: Path, *, entries: Sequence[NewTreatment], now: datetime) -> Logged:
    """One `treat`: a combination product is one row per ingredient, in one transaction."""
    from backcare.store import repo

    return _log(
        path,
        now,
        lambda session: [repo.add_treatment(session, entry=e, now=now) for e in entries],
        [e.at for e in entries],
        command="treat",
    )


def log_symptoms(path: Path, *, entries: Sequence[NewSymptom], now: datetime) -> Logged:
    from backcare.store import repo

    return _log(
        path,
        now,
        lambda session: [repo.add_symptom(session, entry=e, now=now) for e in entries],
        [e.at for e in entries],
        command="symptom",
    )


def log_checkin(
    path: Path,
    *,
    at: datetime,
    asked: Sequence[str],
    present: Sequence[str],
    now: datetime,
    prior_back_pain: bool | None = None,
) -> Logged:
    """Store one check-in record (the codes asked, those present) and, when it was asked
    and answered, the profile's prior back pain; then the flags it raised."""
    from backcare.store import repo

    def add(session: Session) -> list[Record]:
        if prior_back_pain is not None:
            profile = repo.get_profile(session)
            repo.save_profile(
                session, profile=replace(profile, prior_back_pain=prior_back_pain), now=now
            )
        return [
            repo.add_checkin(
                session, at=at, asked=tuple(asked), present=tuple(present), note=None, now=now
            )
        ]

    return _log(path, now, add, command="checkin")


def check(path: Path, *, as_of: datetime) -> CheckResult:
    from backcare.domain.acks import covering
    from backcare.domain.episodes import course
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        history = _rules_history(session, as_of)
        profile = repo.get_profile(session)
        acks = repo.live_acks(session)
    flags = tuple(_evaluate(history, profile, as_of))
    acknowledged = {f.rule: a for f in flags if (a := covering(f, acks)) is not None}
    return CheckResult(
        as_of=as_of, course=course(history, as_of), flags=flags, acknowledged=acknowledged
    )


# --- acknowledgements ----------------------------------------------------------------------


def acknowledge(
    path: Path, *, rule: str, note: str | None, sought_care: bool, now: datetime
) -> Acknowledgement:
    """Acknowledge the active flag of `rule` with the evidence it has now.

    Unknown rule, no active flag, or an emergency/urgent flag without `sought_care`: an
    InputError (exit 2), nothing stored.
    """
    from backcare import messages as msg
    from backcare.domain.acks import evidence_keys, needs_sought_care
    from backcare.domain.rules import RULES_BY_ID
    from backcare.errors import InputError
    from backcare.store import journal, repo

    if rule not in RULES_BY_ID:
        raise InputError(msg.ACK_UNKNOWN_RULE, msg.ACK_SEE_CHECK)
    with _opened(path, create=False) as store, store.write() as session:
        history = _rules_history(session, now)
        profile = repo.get_profile(session)
        flag = next((f for f in _evaluate(history, profile, now) if f.rule == rule), None)
        if flag is None:
            raise InputError(msg.ACK_NOT_ACTIVE, msg.ACK_SEE_CHECK)
        if needs_sought_care(flag.level) and not sought_care:
            raise InputError(msg.ACK_NEEDS_SOUGHT_CARE, msg.ACK_NEEDS_SOUGHT_CARE_HINT)
        with journal.action(session, command="ack", now=now):
            return repo.add_ack(
                session,
                rule=rule,
                keys=evidence_keys(flag),
                note=note,
                sought_care=sought_care,
                now=now,
            )


def unacknowledge(path: Path, *, rule: str, now: datetime) -> list[Acknowledgement]:
    """Withdraw the acknowledgements of `rule`; none: InputError (exit 2)."""
    from backcare import messages as msg
    from backcare.errors import InputError
    from backcare.store import journal, repo

    with _opened(path, create=False) as store, store.write() as session:
        with journal.action(session, command="unack", now=now):
            withdrawn = repo.unack(session, rule=rule, now=now)
        if not withdrawn:
            raise InputError(msg.UNACK_NONE, msg.UNACK_NONE_HINT)
        return withdrawn


def acknowledgements(path: Path) -> list[Acknowledgement]:
    """The live acknowledgements, oldest first (`ack --list`)."""
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return repo.live_acks(session)


# --- history, edit, delete, undo ---------------------------------------------------------


def history(path: Path, *, since: datetime | None, until: datetime | None) -> list[HistoryItem]:
    """The entries in the range, oldest first; a check-in is one record (domain CheckIn)."""
    return list(iter_history(path, since=since, until=until))


def iter_history(
    path: Path, *, since: datetime | None, until: datetime | None
) -> Iterator[HistoryItem]:
    """`history`, streamed: the store opens now (errors raise here), then the entries come
    one at a time from one read transaction, which closes when they are exhausted."""
    import heapq

    from backcare.store import export_queries, repo

    def run() -> Iterator[HistoryItem | None]:
        with _opened(path, create=False) as store, store.read() as session:
            found = [c for c, _, _ in repo.checkins(session, since=since, until=until)]
            measured = [m for m, _, _ in repo.measures(session, since=since, until=until)]
            yield None  # the store is open
            events = export_queries.iter_events(session, since=since, until=until)
            # heapq.merge is stable: on a tie an entry comes before a check-in, as in history.
            yield from heapq.merge(events, found, measured, key=lambda e: e.at)

    entries = run()
    next(entries)
    return cast("Iterator[HistoryItem]", entries)  # only the first item is None


def iter_history_json(
    path: Path,
    *,
    since: datetime | None,
    until: datetime | None,
    zone: tzinfo | None,
    record_json: Callable[[HistoryItem], JSONObject],
) -> Iterator[JSONObject]:
    """`history --json`'s objects, streamed as `iter_history` lists the entries: the events
    as raw rows through their derived writers (export/derive.history_raw_writer: no objects
    between the database and the output, issue 18), a check-in or questionnaire (few) as
    `record_json` of its domain record. The store opens now (errors raise here)."""
    import heapq

    from backcare.domain import entries
    from backcare.export.derive import history_raw_writer
    from backcare.store import repo
    from backcare.store.rows import iter_event_rows, record_row

    writers = [history_raw_writer(kind, zone) for kind in entries.EVENT_KINDS]
    events = len(writers)

    def run() -> Iterator[JSONObject | None]:
        with _opened(path, create=False) as store, store.read() as session:
            found = [
                record_row(c, 0) for c, _, _ in repo.checkins(session, since=since, until=until)
            ]
            measured = [
                record_row(m, 1) for m, _, _ in repo.measures(session, since=since, until=until)
            ]
            yield None  # the store is open
            rows = iter_event_rows(session, since=since, until=until)
            # As in `iter_history`: at one instant an event, then a check-in, then a measure.
            for row in heapq.merge(rows, found, measured):
                kind = row[1]
                yield writers[kind](row) if kind < events else record_json(row[4])

    items = run()
    next(items)
    return cast("Iterator[JSONObject]", items)  # only the first item is None


def get_event(path: Path, *, ref: tuple[str, int]) -> Record:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return repo.get_event(session, letter=ref[0], number=ref[1])


R = TypeVar("R")  # the kind of record a change returns: any Record, or a Prescription


@dataclass(frozen=True)
class Changed(Generic[R]):
    """An edit, delete or undo: the entry as it is now, and the flags the change raised."""

    action: str  # "delete" | "edit" | "prescribe" | "stop"
    event: R
    new_flags: tuple[Flag, ...] = ()


def _change(
    path: Path,
    now: datetime,
    times: Callable[[Session], Sequence[datetime]],
    change: Callable[[Session], tuple[str, Record]],
    *,
    command: str,
) -> Changed[Record]:
    """Judge a change to one entry at now and at the entry's times before and after it.

    `times(session)` gives the entry's times (its current `at` and the `at` it will have),
    read before the change; `change(session)` makes it and returns (action, event).
    """
    from backcare.store import journal

    with _opened(path, create=False) as store, store.write() as session:
        judged = _judge_before(session, now, times(session))
        with journal.action(session, command=command, now=now):
            action, event = change(session)
        _judge_after(session, judged, derive=True)
    return Changed(action, event, judged.flags())


@dataclass(frozen=True)
class Deleted:
    """Several entries deleted in one transaction, and the flags the deletion changed."""

    events: tuple[Record, ...]
    new_flags: tuple[Flag, ...] = ()


def delete_events(path: Path, *, refs: Sequence[tuple[str, int]], now: datetime) -> Deleted:
    """Soft-delete every entry in `refs`, all or nothing (an unknown id deletes none)."""
    from backcare.store import journal, repo

    with _opened(path, create=False) as store, store.write() as session:
        times = [repo.get_event(session, letter=letter, number=n).at for letter, n in refs]
        judged = _judge_before(session, now, times)
        with journal.action(session, command="delete", now=now):
            events = tuple(
                repo.soft_delete(session, letter=letter, number=n, now=now) for letter, n in refs
            )
        _judge_after(session, judged, derive=True)
    return Deleted(events, judged.flags())


def edit_event(
    path: Path, *, ref: tuple[str, int], changes: dict[str, Value], now: datetime
) -> Changed[Record]:
    from backcare.domain.inputs import check_plausible
    from backcare.store import repo

    def change(session: Session) -> tuple[str, Record]:
        if ref[0] == "m" and "answers" in changes:  # a questionnaire: checked as recorded
            from backcare.domain.inputs import check_answers, check_asked
            from backcare.domain.model import Measure

            measure = repo.get_event(session, letter="m", number=ref[1])
            assert isinstance(measure, Measure)
            check_asked(measure.instrument)  # retired (PEG): no new answers
            answers = cast("tuple[int, ...]", changes["answers"])  # inputs.EDIT_CHECKS made it
            changes["answers"] = check_answers(measure.instrument, answers, measure.goals)
        if "dose_mg" in changes:
            event = repo.get_event(session, letter=ref[0], number=ref[1])
            dose = changes["dose_mg"]
            if isinstance(event, Treatment | Prescription) and isinstance(dose, int | float):
                check_plausible(event.drug, dose)
        return "edit", repo.edit_event(
            session, letter=ref[0], number=ref[1], changes=changes, now=now
        )

    def times(session: Session) -> list[datetime]:
        current = repo.get_event(session, letter=ref[0], number=ref[1]).at
        at = changes.get("at")
        return [current, at] if isinstance(at, datetime) else [current]

    return _change(path, now, times, change, command="edit")


@dataclass(frozen=True)
class Reverted:
    """An undo or redo: the action as it is now (domain.journal.JournalEntry), and the
    flags the change raised."""

    entry: JournalEntry
    new_flags: tuple[Flag, ...] = ()


def next_action(path: Path, *, for_redo: bool = False) -> JournalEntry | None:
    """What `undo` (or `redo`) would revert (re-apply): a JournalEntry, or None."""
    from backcare.store import journal

    with _opened(path, create=False) as store, store.read() as session:
        return journal.pending(session, for_redo=for_redo)


def recent_actions(path: Path, *, limit: int) -> list[JournalEntry]:
    """The newest actions, newest first (`undo --list`)."""
    from backcare.store import journal

    with _opened(path, create=False) as store, store.read() as session:
        return journal.recent(session, limit=limit)


def _revert(path: Path, now: datetime, *, redo: bool, expect: int | None) -> Reverted:
    from backcare.store import journal

    with _opened(path, create=False) as store, store.write() as session:
        entry = journal.pending(session, for_redo=redo)
        judged = _judge_before(session, now, [] if entry is None else journal.times(entry))
        step = journal.redo if redo else journal.undo
        done = step(session, expect=expect, now=now)
        _judge_after(session, judged, derive=True)
    return Reverted(done, judged.flags())


def undo(path: Path, *, now: datetime, expect: int | None = None) -> Reverted:
    """Revert the newest action not undone (`expect`: the id the person was shown)."""
    return _revert(path, now, redo=False, expect=expect)


def redo(path: Path, *, now: datetime, expect: int | None = None) -> Reverted:
    """Re-apply the most recently undone action, when nothing new happened since."""
    return _revert(path, now, redo=True, expect=expect)


# --- prescriptions (`backcare meds`) -----------------------------------------------------


def prescribe(path: Path, *, entry: NewPrescription, now: datetime) -> Changed[Prescription]:
    """Record a prescription; report what it changed (it can silence or raise flags)."""
    from backcare.store import journal, repo

    with _opened(path, create=True) as store, store.write() as session:
        judged = _judge_before(session, now, [entry.at])
        with journal.action(session, command="meds prescribe", now=now):
            event = repo.add_prescription(session, entry=entry, now=now)
        _judge_after(session, judged)
    return Changed("prescribe", event, judged.flags())


def prescriptions(path: Path) -> list[Prescription]:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return list(repo.list_prescriptions(session))


def stop_prescription(
    path: Path, *, drug: str, at: datetime, now: datetime
) -> Changed[Prescription]:
    """End the prescription for `drug` in force at `at` (NotFound-like InputError if none)."""
    from backcare import messages as msg
    from backcare.domain.rules import prescription_for
    from backcare.errors import InputError
    from backcare.store import journal, repo

    with _opened(path, create=False) as store, store.write() as session:
        found = prescription_for(repo.list_prescriptions(session), drug, at)
        if found is None or found.id is None:
            raise InputError(msg.NO_PRESCRIPTION, msg.NO_PRESCRIPTION_HINT)
        judged = _judge_before(session, now, [at])
        with journal.action(session, command="meds stop", now=now):
            event = repo.stop_prescription(session, number=found.id, at=at, now=now)
        _judge_after(session, judged)
    return Changed("stop", event, judged.flags())


# --- profile -----------------------------------------------------------------------------


def profile_show(path: Path) -> Profile:
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        return repo.get_profile(session)


def profile_set(path: Path, *, now: datetime, changes: Mapping[str, ProfileValue]) -> Profile:
    """Save the profile fields in `changes` (declared in domain/entries PROFILE, checked by
    inputs.check_profile); the others stay as they are. A None clears an identity field."""
    from backcare.domain.entries import changed_profile
    from backcare.store import repo

    with _opened(path, create=True) as store, store.write() as session:
        profile = changed_profile(repo.get_profile(session), changes)
        return repo.save_profile(session, profile=profile, now=now)


def day_bounds(start: date, end: date, tz: tzinfo | None) -> tuple[datetime, datetime]:
    """Local midnight at `start` to the last instant of `end`, as aware datetimes."""
    since = datetime.combine(start, time(0), tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz) - timedelta(
        microseconds=1
    )
    return since, until


# --- status and summary ------------------------------------------------------------------


@dataclass(frozen=True)
class StatusResult:
    view: StatusView
    tip: Tip | None


def status(path: Path, *, as_of: datetime) -> StatusResult:
    """One screen: loads the rules' slice (the last 60 days and the episode's first 24 h)."""
    from backcare.domain.acks import visible_flags
    from backcare.domain.status import load_since, status_view
    from backcare.domain.tips import choose_tip
    from backcare.store import repo

    with _opened(path, create=False) as store, store.read() as session:
        # The rules' slice covers status_view's own reach (the sparkline's days, doses, the
        # episode's course through `History.elided`).
        assert load_since(as_of) >= as_of - RULES_LOOKBACK
        history = _rules_history(session, as_of)
        profile = repo.get_profile(session)
        acks = repo.live_acks(session)
    every = _evaluate(history, profile, as_of)
    flags = visible_flags(every, acks)
    view = status_view(history, profile, flags, as_of, acknowledged=len(every) - len(flags))
    return StatusResult(view=view, tip=choose_tip(history, as_of, flags))


def episode_phase_at(path: Path, *, as_of: datetime) -> str | None:
    """The phase of the episode active at `as_of` (`outcomes.episode_phase`) for `guide`;
    None without one, or when there is no database yet (nothing is created)."""
    from backcare.domain.outcomes import episode_phase

    if not path.expanduser().exists():
        return None
    with _opened(path, create=False) as store, store.read() as session:
        history = _rules_history(session, as_of)
    return episode_phase(history, as_of)


def summary(
    path: Path, *, start: date, end: date, tz: tzinfo, now: datetime | None = None
) -> Summary:
    """The period's numbers (domain.summary.Summary); loads only the period (+6 h each side)
    and, for the episode day, the rules' slice at the period's end (or `now`, if earlier)."""
    from backcare.domain.episodes import course, episode_day
    from backcare.domain.outcomes import episode_changes, weekly_series
    from backcare.domain.summary import summarize, summary_load_range
    from backcare.store import repo

    since, until = summary_load_range(start, end, tz)
    as_of = day_bounds(start, end, tz)[1]
    if now is not None:
        as_of = min(as_of, now)
    with _opened(path, create=False) as store, store.read() as session:
        history = repo.load_history(session, since=since, until=until)
        episode = _rules_history(session, as_of)
        active = course(episode, as_of)
    result = summarize(history, start, end, tz)
    if active is None:
        return result
    onset = active.onset.astimezone(tz)
    # the charts' change is since the episode's first score of each questionnaire (as in
    # status and the report), however long before the period it was taken
    firsts = {c.instrument: c.first for c in episode_changes(episode, as_of)}
    return replace(
        result,
        episode_onset=onset,
        episode_day=episode_day(onset, as_of, tz),
        measures=weekly_series(history, start, end, tz, firsts),
    )


def demo(path: Path, *, now: datetime) -> StatusResult:
    """Fill a NEW database at `path` with the sample fortnight, then return its status."""
    from backcare.domain.demo import demo_entries
    from backcare.domain.inputs import NewPain, NewTreatment
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
