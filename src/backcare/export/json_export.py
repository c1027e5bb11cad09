"""The lossless JSON export: every stored field, soft-deleted rows included, and the profile.

Format (version 1), one event per line so a diff or `grep` stays readable (shown spaced here;
the objects are written with compact separators, `,` and `:`):

    {"format": "backcare-export", "version": 1, "exported_at": ISO, "profile": PROFILE | null,
     "events": [
    EVENT,
    ...
    ]}

PROFILE: {"birth_year": int | null, "prior_back_pain": bool | null,
          "history": [flag, ...] (sorted), "remind_at": ["HH:MM" | "HH:MM:SS", ...]}
EVENT, common keys first: {"type": "pain" | "treatment" | "symptom", "uid": UUID,
          "at": ISO, "created_at": ISO, "deleted_at": ISO | null, ...}
  pain:      "pain": int, "spasms": int, "location": str | null, "radiates": str, "note"
  treatment: "kind": str, "drug": str | null, "dose_mg": number | null, "minutes": int | null,
             "relief": int | null, "relaxant": bool, ["product": str,] "note"
             ("product", the product a combination was typed as, only when there is one)
  symptom:   "code": str, "present": bool, "note"
  ("note": str | null.) After the events, only when there are any:
  "prescriptions": [{"uid", "at" (in force from), "created_at", "deleted_at", "drug",
          "dose_mg", "every_minutes", "max_daily_mg", "until", "stopped_at", "relaxant",
          "note"}, ...]. Every timestamp is ISO 8601 in UTC with an explicit "+00:00" offset.

Check-ins (`backcare checkin`, one record each) and acknowledged flags (`backcare ack`)
follow the events as two more top-level keys, each only when there are any (so older
exports and their byte-exact round trips are unchanged):
  "checkins": [CHECKIN, ...], "acknowledgements": [ACK, ...]
CHECKIN: {"uid": UUID, "at": ISO, "created_at": ISO, "deleted_at": ISO | null,
          "asked": [code, ...], "present": [code, ...], "note": str | null}
ACK: {"uid": UUID, "rule": str, "at": ISO, "created_at": ISO, "deleted_at": ISO | null,
      "evidence": [str, ...] (sorted), "note": str | null, "sought_care": bool}
Questionnaires (`backcare measure`) and PSFS activities (`backcare goals`) follow the same
way as "measures" and "goals" (see `measure_to_dict`, `goal_to_dict`).

Integer row ids are not exported: they belong to one database; `uid` identifies a row across
databases. Output is deterministic (fixed key order), so export -> import -> export is
byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, time
from typing import Any

from backcare.domain import entries
from backcare.domain.acks import StoredAck
from backcare.domain.model import CheckIn, Goal, Measure, Prescription, Profile, StoredEvent
from backcare.export import derive
from backcare.export.derive import iso_utc
from backcare.jsonfmt import dumps as json_dumps

FORMAT_NAME = "backcare-export"
FORMAT_VERSION = 1

_CHUNK_EVENTS = 1000


def clock_text(moment: time) -> str:
    """A reminder time as "HH:MM" (or "HH:MM:SS[.ffffff]" when it has seconds)."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    out: dict[str, Any] = {
        "birth_year": profile.birth_year,
        "prior_back_pain": profile.prior_back_pain,
        "history": sorted(profile.history),
        "remind_at": [clock_text(t) for t in profile.remind_at],
    }
    if profile.name is not None:  # the optional identity: written only when set
        out["name"] = profile.name
    if profile.date_of_birth is not None:
        out["date_of_birth"] = profile.date_of_birth.isoformat()
    return out


# One compiled writer per kind, from its declaration (export/derive.py).
_WRITERS = {kind.letter: derive.json_writer(kind) for kind in entries.KINDS}
_EVENT_WRITERS = {kind.model: _WRITERS[kind.letter] for kind in entries.EVENT_KINDS}


def record_to_dict(record: StoredEvent) -> dict[str, Any]:
    """One event as its JSON object (see the module docstring for the keys)."""
    event = record.event
    writer = _EVENT_WRITERS.get(type(event))
    if writer is None:
        writer = _WRITERS[entries.kind_of(event).letter]
    return writer(event, record.created_at, record.deleted_at)


def prescription_to_dict(
    p: Prescription, created_at: datetime, deleted_at: datetime | None
) -> dict[str, Any]:
    return _WRITERS["r"](p, created_at, deleted_at)


StoredCheckin = tuple[CheckIn, datetime, datetime | None]  # (check-in, created, deleted)


def checkin_to_dict(stored: StoredCheckin) -> dict[str, Any]:
    return _WRITERS["c"](*stored)


def ack_to_dict(stored: StoredAck) -> dict[str, Any]:
    return _WRITERS["a"](stored.ack, stored.created_at, stored.deleted_at)


# --- measures and goals (issue 16): self-contained, as the top-level lists "measures",
# "goals". MEASURE: {"uid", "at", "created_at", "deleted_at", "instrument", "answers":
# [int, ...], "goals": [text, ...] (PSFS: the activities rated), "note"}. GOAL: {"uid", "at",
# "created_at", "deleted_at", "text", "ended_at"}. The score is derived, never exported.

StoredMeasure = tuple[Measure, datetime, datetime | None]
StoredGoal = tuple[Goal, datetime, datetime | None]


def measure_to_dict(stored: StoredMeasure) -> dict[str, Any]:
    measure, created_at, deleted_at = stored
    return {
        "uid": measure.uid,
        "at": iso_utc(measure.at),
        "created_at": iso_utc(created_at),
        "deleted_at": None if deleted_at is None else iso_utc(deleted_at),
        "instrument": measure.instrument,
        "answers": list(measure.answers),
        "goals": list(measure.goals),
        "note": measure.note,
    }


def goal_to_dict(stored: StoredGoal) -> dict[str, Any]:
    goal, created_at, deleted_at = stored
    return {
        "uid": goal.uid,
        "at": iso_utc(goal.at),
        "created_at": iso_utc(created_at),
        "deleted_at": None if deleted_at is None else iso_utc(deleted_at),
        "text": goal.text,
        "ended_at": None if goal.ended_at is None else iso_utc(goal.ended_at),
    }


def _dumps(value: object) -> str:
    return json_dumps(value)  # the one JSON format (backcare/jsonfmt.py)


def iter_json(
    records: Iterable[StoredEvent],
    profile: Profile | None,
    exported_at: datetime,
    prescriptions: Iterable[tuple[Prescription, datetime, datetime | None]] = (),
    acks: Iterable[StoredAck] = (),
    checkins: Iterable[StoredCheckin] = (),
    measures: Iterable[StoredMeasure] = (),
    goals: Iterable[StoredGoal] = (),
) -> Iterator[str]:
    """The JSON export as text chunks; `records` is consumed lazily, in the order given."""
    yield (
        f'{{"format": {_dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
        f'"exported_at": {_dumps(iso_utc(exported_at))}, '
        f'"profile": {_dumps(None if profile is None else profile_to_dict(profile))},\n'
        f' "events": ['
    )
    lines: list[str] = []
    separator = "\n"
    for record in records:
        lines.append(separator + _dumps(record_to_dict(record)))
        separator = ",\n"
        if len(lines) >= _CHUNK_EVENTS:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
    yield "]" if separator == "\n" else "\n]"
    rx = [_dumps(prescription_to_dict(*row)) for row in prescriptions]
    if rx:
        yield ',\n "prescriptions": [\n' + ",\n".join(rx) + "\n]"
    taken = [_dumps(checkin_to_dict(c)) for c in checkins]
    if taken:
        yield ',\n "checkins": [\n' + ",\n".join(taken) + "\n]"
    acked = [_dumps(ack_to_dict(a)) for a in acks]
    if acked:
        yield ',\n "acknowledgements": [\n' + ",\n".join(acked) + "\n]"
    measured = [_dumps(measure_to_dict(m)) for m in measures]
    if measured:
        yield ',\n "measures": [\n' + ",\n".join(measured) + "\n]"
    aims = [_dumps(goal_to_dict(g)) for g in goals]
    if aims:
        yield ',\n "goals": [\n' + ",\n".join(aims) + "\n]"
    yield "}\n"


def export_json(
    records: Iterable[StoredEvent],
    profile: Profile | None,
    exported_at: datetime,
    prescriptions: Iterable[tuple[Prescription, datetime, datetime | None]] = (),
    acks: Iterable[StoredAck] = (),
    checkins: Iterable[StoredCheckin] = (),
    measures: Iterable[StoredMeasure] = (),
    goals: Iterable[StoredGoal] = (),
) -> str:
    """The whole JSON export as one string."""
    return "".join(
        iter_json(
            records,
            profile,
            exported_at,
            prescriptions=prescriptions,
            acks=acks,
            checkins=checkins,
            measures=measures,
            goals=goals,
        )
    )
