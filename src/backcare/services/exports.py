"""Use cases of `export csv|json|fhir`, `import` and `report`.

Exporters return text chunks; the CLI writes them (to a file or stdout). Each exporter opens
the store when it is called, so a missing or damaged database fails before any output file
is created, and then streams inside one read transaction (one consistent snapshot) that
closes when the chunks are exhausted or the iterator is closed.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from backcare.errors import StorageError
from backcare.services import _opened, _rules_history

if TYPE_CHECKING:
    from backcare.domain.acks import StoredAck
    from backcare.domain.entries import RawRow, Stored
    from backcare.domain.model import Flag, Goal, StoredEvent
    from backcare.export.importer import ParsedImport
    from backcare.export.report import ReportData
    from backcare.store.engine import Session


class _Stored(TypedDict, total=False):
    """What an import reads of the database before it writes."""

    uids: frozenset[str]  # the event uids stored already
    profile: bool  # a profile is stored


PROFILE_NONE = "none"  # the file has no profile (CSV, or JSON "profile": null)
PROFILE_APPLIED = "applied"  # the database had no profile: the file's was saved
PROFILE_KEPT = "kept"  # the database has a profile: it was kept, the file's ignored


def _streamed(path: Path, produce: Callable[[Session], Iterator[str]]) -> Iterator[str]:
    """Open the store now, then yield `produce(session)` inside one read transaction."""

    def run() -> Iterator[str]:
        with _opened(path, create=False) as store, store.read() as session:
            yield ""  # the store is open: errors opening it were raised by now
            yield from produce(session)

    chunks = run()
    next(chunks)
    return chunks


def export_csv(
    path: Path,
    *,
    since: datetime | None,
    until: datetime | None,
    tz: tzinfo,
    daily: bool = False,
) -> Iterator[str]:
    """The event CSV (or with `daily`, one row per local day) of live events in the range.

    Events stream from the database in time order (`export_queries.iter_event_rows`, raw
    rows; the daily CSV reads `iter_events`): memory stays flat however long the log is.
    """
    from backcare.export.csv_export import daily_rows, iter_csv_rows, iter_daily_csv

    def produce(session: Session) -> Iterator[str]:
        if daily:
            from backcare.store import export_queries

            events = export_queries.iter_events(session, since=since, until=until)
            yield from iter_daily_csv(daily_rows(events, tz))
        else:  # raw rows into the derived row functions: no objects in between (issue 18)
            from backcare.store.rows import has_live, iter_event_rows, record_row

            rows: Iterable[RawRow] = iter_event_rows(session, since=since, until=until)
            if has_live(session, "measure", since=since, until=until):
                from backcare.store import repo  # questionnaires: few rows, as records

                measured = repo.measures(session, since=since, until=until)
                rows = heapq.merge(rows, (record_row(m) for m, _, _ in measured))
            yield from iter_csv_rows(rows, tz)

    return _streamed(path, produce)


def export_xlsx(
    path: Path,
    *,
    since: datetime | None,
    until: datetime | None,
    tz: tzinfo,
) -> bytes:
    """The xlsx workbook (entries sheet and days sheet) of live events in the range."""
    from backcare.export.xlsx_export import xlsx_bytes
    from backcare.store import export_queries, repo

    with _opened(path, create=False) as store, store.read() as session:
        events = export_queries.iter_events(session, since=since, until=until)
        measured = [m for m, _, _ in repo.measures(session, since=since, until=until)]
        return xlsx_bytes(heapq.merge(events, measured, key=lambda e: e.at), tz)


def export_json(
    path: Path,
    *,
    now: datetime,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[str]:
    """The lossless JSON export: every row (soft-deleted ones too), uids, and the profile.

    Events stream as raw rows (store/rows.py) into the derived JSON writers: no objects
    between the database and the file (issue 18)."""
    from backcare.export.json_export import iter_json_rows
    from backcare.store import export_queries, repo
    from backcare.store.rows import iter_event_rows

    def produce(session: Session) -> Iterator[str]:
        profile = export_queries.stored_profile(session)
        acks = [
            a
            for a in repo.all_acks(session)
            if (since is None or a.ack.at >= since) and (until is None or a.ack.at <= until)
        ]
        checkins = repo.checkins(session, since=since, until=until, live=False)
        rows = iter_event_rows(session, since=since, until=until, stored=True)
        prescriptions = (
            export_queries.iter_prescription_records(session)
            if since is None and until is None
            else []  # a period export holds the period's events only
        )
        measures = repo.measures(session, since=since, until=until, live=False)
        # Every goal, in a period export too: a goal is not a dated event but the activity
        # the period's PSFS ratings name, and it stays asked until removed (issue 16).
        goals = repo.goals(session, live=False)
        lists: dict[str, Iterable[Stored | StoredAck]] = {
            "prescriptions": prescriptions,
            "checkins": checkins,
            "acknowledgements": acks,
            "measures": measures,
            "goals": goals,
        }
        yield from iter_json_rows(rows, profile, now, lists)

    return _streamed(path, produce)


def export_fhir(
    path: Path,
    *,
    since: datetime | None,
    until: datetime | None,
    tz: tzinfo,
    now: datetime,
    patient_ref: str | None = None,
    bundle_type: str = "collection",
) -> Iterator[str]:
    """A FHIR R4 Bundle (JSON) of the live events in the range, streamed (compact JSON).

    Without `patient_ref`, a profile with a name or date of birth becomes the Patient.
    """
    from backcare.export.fhir import PatientIdentity, iter_fhir
    from backcare.store import export_queries, repo

    def produce(session: Session) -> Iterator[str]:
        patient = None
        profile = repo.get_profile(session)
        uid = repo.profile_uid(session)
        if uid is not None and (profile.name or profile.date_of_birth):
            patient = PatientIdentity(uid, profile.name, profile.date_of_birth)
        events = export_queries.iter_events(session, since=since, until=until)
        # A check-in's answers, present and absent, as symptom observations.
        answers = [
            a
            for c, _, _ in repo.checkins(session, since=since, until=until)
            for a in c.answers(absent=True)
        ]
        measured = [m for m, _, _ in repo.measures(session, since=since, until=until)]
        merged = heapq.merge(events, answers, measured, key=lambda e: e.at)
        yield from iter_fhir(
            merged, tz, patient_ref, timestamp=now, patient=patient, bundle_type=bundle_type
        )

    return _streamed(path, produce)


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """What an import added (or, with `dry_run`, would add)."""

    source: str  # "json" or "csv"
    added: dict[str, int] = field(default_factory=dict)  # "pain" | "treatment" | "symptom"
    skipped_existing: int = 0  # events, measures and goals whose uid is stored already
    deleted: int = 0  # of the added events, how many are soft-deleted in the file
    first: datetime | None = None  # earliest `at` of the added events, measures and goals
    last: datetime | None = None  # latest `at` of the added events, measures and goals
    profile: str = PROFILE_NONE  # PROFILE_NONE | PROFILE_APPLIED | PROFILE_KEPT
    dry_run: bool = False
    new_flags: tuple[Flag, ...] = ()  # flags at now the import made new

    @property
    def total(self) -> int:
        return sum(self.added.values())


def import_file(
    path: Path, *, text: str | bytes, now: datetime, dry_run: bool = False, tz: tzinfo | None = None
) -> ImportResult:
    """Import an export's `text` (see `_import_file`), the cycle collector held off: a bulk
    operation whose records all stay alive to the end (backcare/bulk.py)."""
    from backcare.bulk import gc_paused

    with gc_paused():
        return _import_file(path, text=text, now=now, dry_run=dry_run, tz=tz)


def _import_file(
    path: Path, *, text: str | bytes, now: datetime, dry_run: bool = False, tz: tzinfo | None = None
) -> ImportResult:
    """Import an export's `text`: all of it or nothing, and only uids not stored yet.

    Parsing (pure) comes first: a bad file is refused before the database is opened or
    created. Then one write transaction skips the uids already present (deleted rows count:
    a merge never resurrects a deleted entry), inserts the rest with their own uids and
    timestamps, and saves the file's profile only when the database has none.
    `dry_run` reads the database (without creating it) and writes nothing.
    """
    from backcare.export.importer import parse_export
    from backcare.export.records import event_type

    stored: _Stored = {}

    def stored_uids() -> frozenset[str]:
        """The uids stored already (read once the file is known to be an export): straight
        from a file at this code's schema (store/maintenance.py, no SQLAlchemy: a re-import
        that adds nothing stays a fraction of a fresh one, issue 18), else through the store."""
        from backcare.store.maintenance import stored_uids_and_profile

        if not path.expanduser().exists():
            return frozenset()
        found = stored_uids_and_profile(path.expanduser())
        if found is not None:
            stored["uids"], stored["profile"] = found
            return stored["uids"]  # type: ignore[no-any-return]
        from backcare.store import export_queries

        try:
            with _opened(path, create=False) as store, store.read() as session:
                stored["uids"] = export_queries.stored_uids(session)
                stored["profile"] = export_queries.stored_profile(session) is not None
        except StorageError:
            # Not readable as it is (an empty file the import initialises, say): the write
            # below opens it as before and says what is wrong, if anything is.
            stored.pop("uids", None)
            stored.pop("profile", None)
            return frozenset()
        return stored["uids"]

    parsed = parse_export(text, tz, now=now, known=stored_uids)
    uids = [record.event.uid for record in parsed.records]

    def outcome(
        existing: set[str], has_profile: bool, known: Iterable[str] = ()
    ) -> tuple[list[StoredEvent], ImportResult]:
        """`known`: the measure and goal uids stored already (counted and spanned as events)."""
        new = [record for record in parsed.records if record.event.uid not in existing]
        known_set = set(known)
        others = [m.at for m, _, _ in parsed.measures if m.uid not in known_set]
        others += [g.at for g, _, _ in parsed.goals if g.uid not in known_set]
        skipped = len(parsed.records) - len(new) + parsed.skipped_known
        skipped += len(parsed.measures) + len(parsed.goals) - len(others)
        added: dict[str, int] = {}
        for record in new:
            kind = event_type(record.event)
            added[kind] = added.get(kind, 0) + 1
        profile = PROFILE_NONE
        if parsed.profile is not None:
            profile = PROFILE_KEPT if has_profile else PROFILE_APPLIED
        times = [record.event.at for record in new] + others
        result = ImportResult(
            source=parsed.source,
            added=added,
            skipped_existing=skipped,
            deleted=sum(1 for record in new if record.deleted_at is not None),
            first=min(times, default=None),
            last=max(times, default=None),
            profile=profile,
            dry_run=dry_run,
        )
        return new, result

    if dry_run:
        from backcare.store import export_queries

        if not path.expanduser().exists():
            return _with_extra(outcome(set(), False)[1], _would_add(parsed, None))
        with _opened(path, create=False) as store, store.read() as session:
            existing = export_queries.existing_uids(session, uids)
            has_profile = export_queries.stored_profile(session) is not None
            extra = _would_add(parsed, session)
            known = _known_measures_goals(session, parsed)
        return _with_extra(outcome(existing, has_profile, known)[1], extra)

    if "uids" in stored:
        # Nothing new (a re-import): decided from the uid set read before parsing, so no
        # write transaction, no rules run (issue 18). Prescriptions, check-ins and
        # acknowledgements are judged by the same set; a profile only when none is stored.
        seen: frozenset[str] = stored["uids"]
        others = (
            *(p.uid for p, _, _ in parsed.prescriptions),
            *(c.uid for c, _, _ in parsed.checkins),
            *(a.ack.uid for a in parsed.acks),
            *(m.uid for m, _, _ in parsed.measures),
            *(g.uid for g, _, _ in parsed.goals),
        )
        new_profile = parsed.profile is not None and not stored["profile"]
        if not new_profile and all(u in seen for u in (*uids, *others)):
            return outcome(set(uids), stored["profile"], seen)[1]

    from backcare.services import _judge_after, _judge_before
    from backcare.store import export_queries, journal, repo

    with _opened(path, create=True) as store, store.write() as session:
        judged = _judge_before(session, now, [])  # judged at now (an import can be huge)
        existing = export_queries.existing_uids(session, uids)
        has_profile = export_queries.stored_profile(session) is not None
        new, result = outcome(existing, has_profile, _known_measures_goals(session, parsed))
        _refuse_too_many_goals(session, parsed.goals)
        # One journal action: `undo` soft-deletes what the import added (not the profile).
        with journal.action(session, command="import", now=now):
            export_queries.insert_records(session, new)
            known = export_queries.existing_prescription_uids(
                session, [p.uid for p, _, _ in parsed.prescriptions]
            )
            export_queries.insert_prescriptions(
                session, [row for row in parsed.prescriptions if row[0].uid not in known]
            )
            extra = {
                "checkin": repo.insert_checkins(session, list(parsed.checkins)),
                "acknowledgement": repo.insert_acks(session, list(parsed.acks)),
                "measure": repo.insert_measures(session, list(parsed.measures)),
                "goal": repo.insert_goals(session, list(parsed.goals)),
            }
        if any(extra.values()):
            added = {**result.added, **{k: n for k, n in extra.items() if n}}
            result = replace(result, added=added)
        if result.profile == PROFILE_APPLIED and parsed.profile is not None:
            repo.save_profile(session, profile=parsed.profile, now=now)
        _judge_after(session, judged)
    return replace(result, new_flags=judged.flags())


def _refuse_too_many_goals(
    session: Session, goals: Iterable[tuple[Goal, datetime, datetime | None]]
) -> None:
    """The stored and the imported live goals never exceed the PSFS's 3 at one moment (a PSFS
    at that moment would rate more, which `db check` calls malformed): exit 2, nothing stored."""
    from backcare import messages as msg
    from backcare.domain.measures import PSFS_MAX_GOALS, most_goals_at_once
    from backcare.errors import InputError
    from backcare.store import repo

    stored = [g for g, _, _ in repo.goals(session)]
    known = {g.uid for g, _, _ in repo.goals(session, live=False)}
    new = [g for g, _, deleted in goals if deleted is None and g.uid not in known]
    if not new:
        return
    combined = [*stored, *new]
    if most_goals_at_once(combined, min(g.at for g in combined)) > PSFS_MAX_GOALS:
        raise InputError(
            msg.IMPORT_GOALS_TOO_MANY.format(limit=PSFS_MAX_GOALS), msg.IMPORT_GOALS_TOO_MANY_HINT
        )


def _would_add(parsed: ParsedImport, session: Session | None) -> dict[str, int]:
    """`import --dry-run`: the check-ins, acknowledgements, measures and goals whose uid is
    not stored yet (all of them without a database), counted as the import would add them."""
    from backcare.store import repo

    kinds = {
        "checkin": ("c", [c.uid for c, _, _ in parsed.checkins]),
        "acknowledgement": ("a", [s.ack.uid for s in parsed.acks]),
        "measure": ("m", [m.uid for m, _, _ in parsed.measures]),
        "goal": ("g", [g.uid for g, _, _ in parsed.goals]),
    }
    counts = {}
    for kind, (letter, uids) in kinds.items():
        known = repo.known_uids(session, letter, uids) if session is not None and uids else set()
        counts[kind] = len(set(uids) - known)
    return counts


def _known_measures_goals(session: Session, parsed: ParsedImport) -> set[str]:
    """The file's measure and goal uids the database holds already (deleted rows too)."""
    from backcare.store import repo

    known: set[str] = set()
    for letter, uids in (
        ("m", [m.uid for m, _, _ in parsed.measures]),
        ("g", [g.uid for g, _, _ in parsed.goals]),
    ):
        if uids:
            known |= repo.known_uids(session, letter, uids)
    return known


def _with_extra(result: ImportResult, extra: dict[str, int]) -> ImportResult:
    added = {**result.added, **{k: n for k, n in extra.items() if n}}
    return replace(result, added=added)


# --- the visit report --------------------------------------------------------------------


def report(path: Path, *, days: int, as_of: datetime, tz: tzinfo) -> ReportData:
    """The visit report's data for the `days` local days ending on `as_of`'s day.

    Loads the period (for the chart, symptoms, medicines and answers) and the rules' slice
    (for the current flags and the episode); entries after `as_of` are left out.
    """
    from backcare.domain.episodes import course
    from backcare.domain.rules import evaluate
    from backcare.domain.summary import period, summarize, summary_load_range
    from backcare.export.report import report_data
    from backcare.store import repo

    as_of = as_of.astimezone(tz)
    start, end = period(as_of, days)
    since, until = summary_load_range(start, end, tz)
    with _opened(path, create=False) as store, store.read() as session:
        rules_history = _rules_history(session, as_of)
        history = repo.load_history(session, since=since, until=min(until, as_of))
        profile = repo.get_profile(session)
        checkins = [c for c, _, _ in repo.checkins(session, since=since, until=min(until, as_of))]
    active = course(rules_history, as_of)
    onset_entry = (
        None
        if active is None
        else next((p for p in rules_history.pain if p.at == active.onset), None)
    )
    return report_data(
        history=history,
        profile=profile,
        flags=evaluate(rules_history, profile, as_of),
        summary=summarize(history, start, end, tz),
        course=active,
        as_of=as_of,
        tz=tz,
        checkins=checkins,
        onset_note=None if onset_entry is None else onset_entry.note,
        episode_history=rules_history,
    )
