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
way as "measures" and "goals":
MEASURE: {"uid", "at", "created_at", "deleted_at", "instrument", "answers": [int, ...],
          "goals": [text, ...] (PSFS: the activities rated), "note"} (the score is derived,
          never exported)
GOAL: {"uid", "at", "created_at", "deleted_at", "text", "ended_at": ISO | null}
Each object's keys are its kind's declared fields (domain/entries.json_keys), in that order;
the top-level lists are the declared kinds that are not events, in their declared order.

Integer row ids are not exported: they belong to one database; `uid` identifies a row across
databases. Output is deterministic (fixed key order), so export -> import -> export is
byte-identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from backcare.domain import entries
from backcare.domain.acks import StoredAck
from backcare.domain.model import CheckIn, Goal, Measure, Profile, StoredEvent
from backcare.export import derive
from backcare.export.derive import iso_utc
from backcare.jsonfmt import JSONObject, JSONValue
from backcare.jsonfmt import dumps as json_dumps

FORMAT_NAME = "backcare-export"
FORMAT_VERSION = 1

_CHUNK_EVENTS = 1000


def profile_to_dict(profile: Profile) -> JSONObject:
    """The export's profile: every declared field (domain/entries PROFILE), the optional
    identity only when set."""
    return entries.profile_json(profile)


# One compiled writer per kind, from its declaration (export/derive.py).
_WRITERS = {kind.letter: derive.json_writer(kind) for kind in entries.KINDS}
_EVENT_WRITERS = {kind.model: _WRITERS[kind.letter] for kind in entries.EVENT_KINDS}


def record_to_dict(record: StoredEvent) -> JSONObject:
    """One event as its JSON object (see the module docstring for the keys)."""
    event = record.event
    writer = _EVENT_WRITERS.get(type(event))
    if writer is None:
        writer = _WRITERS[entries.kind_of(event).letter]
    return writer(event, record.created_at, record.deleted_at)


StoredCheckin = tuple[CheckIn, datetime, datetime | None]  # (check-in, created, deleted)
StoredMeasure = tuple[Measure, datetime, datetime | None]
StoredGoal = tuple[Goal, datetime, datetime | None]
# The kinds written as top-level lists after the events, in their declared order.
LIST_KINDS: tuple[entries.Kind, ...] = tuple(k for k in entries.KINDS if not k.event)


def _stored(item: entries.Stored | StoredAck) -> entries.Stored:
    """(record, created_at, deleted_at) of a listed item (a StoredAck is a dataclass)."""
    if isinstance(item, StoredAck):
        return item.ack, item.created_at, item.deleted_at
    return item


def _dumps(value: JSONValue) -> str:
    return json_dumps(value)  # the one JSON format (backcare/jsonfmt.py)


def iter_json(
    records: Iterable[StoredEvent],
    profile: Profile | None,
    exported_at: datetime,
    lists: Mapping[str, Iterable[entries.Stored | StoredAck]] | None = None,
) -> Iterator[str]:
    """The JSON export as text chunks; `records` is consumed lazily, in the order given.

    `lists`: by a kind's plural ("prescriptions", "checkins", "acknowledgements",
    "measures", "goals"; LIST_KINDS), its stored items: (record, created_at, deleted_at), or
    a StoredAck. A list is written only when it has items."""
    return _document(map(record_to_dict, records), profile, exported_at, lists)


def iter_json_rows(
    rows: Iterable[entries.RawRow],
    profile: Profile | None,
    exported_at: datetime,
    lists: Mapping[str, Iterable[entries.Stored | StoredAck]] | None = None,
) -> Iterator[str]:
    """The JSON export, as `iter_json` writes it, from raw rows of every stored event
    (store/rows.iter_event_rows with `stored`: entries.RAW_LEAD, the kind's columns, then
    entries.RAW_TAIL), each through its kind's compiled writer (derive.json_raw_writer):
    the fast path of `export json` (issue 18), no objects between the database and the
    file."""
    writers = [derive.json_raw_writer(kind) for kind in entries.EVENT_KINDS]
    return _document((writers[row[1]](row) for row in rows), profile, exported_at, lists)


def _document(
    events: Iterable[JSONObject],
    profile: Profile | None,
    exported_at: datetime,
    lists: Mapping[str, Iterable[entries.Stored | StoredAck]] | None,
) -> Iterator[str]:
    unknown = set(lists or ()) - {k.plural for k in LIST_KINDS}
    if unknown:
        raise TypeError(f"not a declared list: {sorted(unknown)}")
    yield (
        f'{{"format": {_dumps(FORMAT_NAME)}, "version": {FORMAT_VERSION}, '
        f'"exported_at": {_dumps(iso_utc(exported_at))}, '
        f'"profile": {_dumps(None if profile is None else profile_to_dict(profile))},\n'
        f' "events": ['
    )
    lines: list[str] = []
    separator = "\n"
    for event in events:
        lines.append(separator + _dumps(event))
        separator = ",\n"
        if len(lines) >= _CHUNK_EVENTS:
            yield "".join(lines)
            lines.clear()
    if lines:
        yield "".join(lines)
    yield "]" if separator == "\n" else "\n]"
    for kind in LIST_KINDS:
        write = _WRITERS[kind.letter]
        items = [_dumps(write(*_stored(item))) for item in (lists or {}).get(kind.plural, ())]
        if items:
            yield f',\n "{kind.plural}": [\n' + ",\n".join(items) + "\n]"
    yield "}\n"


def export_json(
    records: Iterable[StoredEvent],
    profile: Profile | None,
    exported_at: datetime,
    lists: Mapping[str, Iterable[entries.Stored | StoredAck]] | None = None,
) -> str:
    """The whole JSON export as one string."""
    return "".join(iter_json(records, profile, exported_at, lists))
