"""Read back what `backcare export json|csv` wrote: detect the format, validate every field.

`parse_export` is all-or-nothing: it returns every record or raises `ImportFormatError` for
the first problem, naming where it is (CSV: "line N", the physical line where the row
starts, counting the header as line 1; JSON: "item N (events[N-1])", or "profile") and the
field, but never repeating the value found there (health data stays out of error output).

Detection: a UTF-8 BOM is skipped; text starting with `{` or `[` is JSON and must carry
`"format": "backcare-export"` and a version this code reads; anything else must start with
the exact CSV header `csv_export.COLUMNS` (or that list without the trailing `product`, or
without `relaxant` and `product`
column). The daily CSV is recognised and refused (it is a summary, not events).

A CSV saved back by a spreadsheet reads too: no BOM, LF line ends, `date` in ISO or an
unambiguous spreadsheet form and `time` in 12- or 24-hour form with or without seconds
(`spreadsheet_dates`, `spreadsheet_clock`; both must still agree with `timestamp`, which is
what is stored). An `export xlsx` workbook (bytes starting with `PK`) is read by
`parse_xlsx` through the same validators.

The CSV carries no `created_at` / `deleted_at`: its rows get `created_at = now` and are not
deleted. Text cells are un-neutralised (one leading apostrophe removed, see csv_export).
Imported datetimes are converted to UTC; uids to their canonical lower-case form.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NoReturn, TypeAlias, cast

from backcare import messages as msg
from backcare.bulk import gc_paused
from backcare.domain import entries, values
from backcare.domain.acks import Acknowledgement, StoredAck
from backcare.domain.model import (
    CheckIn,
    Event,
    Goal,
    Measure,
    Prescription,
    Profile,
    StoredEvent,
    Treatment,
)
from backcare.errors import InputError
from backcare.export import import_checks
from backcare.export.csv_export import (
    BOM,
    COLUMNS,
    DAILY_COLUMNS,
    EVENT_COLUMNS,
    TEXT_COLUMNS,
    unneutralise,
)
from backcare.export.json_export import FORMAT_NAME, FORMAT_VERSION
from backcare.jsonfmt import JSONObject, JSONValue

# A prescription with its row bookkeeping: (prescription, created_at, deleted_at).
StoredPrescription = tuple[Prescription, datetime, datetime | None]
StoredAcknowledgement = tuple[Acknowledgement, datetime, datetime | None]
StoredCheckIn = tuple[CheckIn, datetime, datetime | None]
StoredMeasure = tuple[Measure, datetime, datetime | None]
StoredGoal = tuple[Goal, datetime, datetime | None]

# Bounds of imported values: every field's are its declaration's (domain/entries), whose text
# and times are `domain/values` (the CLI's and db check's definitions too).

NOT_AN_EXPORT = msg.IMPORT_NOT_AN_EXPORT
KEY_SHOWN = 40  # a top-level key named in an error, cut (a file's key may be anything)
NOT_AN_EXPORT_HINT = msg.IMPORT_NOT_AN_EXPORT_HINT


class ImportFormatError(InputError, ValueError):
    """The file is not an export, or one of its items is invalid (nothing was imported).

    An `InputError` (exit 2). `where` is "line N", "item N (events[N-1])", "profile" or None
    (the file as a whole); `field` the field or column name, or None.
    """

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        where: str | None = None,
        field: str | None = None,
    ):
        super().__init__(message, hint)
        self.where = where
        self.field = field


@dataclass(frozen=True, slots=True)
class ParsedImport:
    records: list[StoredEvent]
    profile: Profile | None  # None: the file has no profile (CSV, or JSON "profile": null)
    source: str  # "json" or "csv"
    exported_at: datetime | None = None  # from a JSON export
    prescriptions: tuple[StoredPrescription, ...] = ()  # (prescription, created, deleted)
    acks: tuple[StoredAck, ...] = ()  # JSON "acknowledgements" (see json_export)
    # JSON "checkins": (check-in, created_at, deleted_at)
    checkins: tuple[tuple[CheckIn, datetime, datetime | None], ...] = ()
    # JSON "measures" and "goals" (issue 16): (record, created_at, deleted_at)
    measures: tuple[tuple[Measure, datetime, datetime | None], ...] = ()
    goals: tuple[tuple[Goal, datetime, datetime | None], ...] = ()
    # events left unchecked and unbuilt because their uid is stored already (`known`)
    skipped_known: int = 0


XLSX_MAGIC = b"PK\x03\x04"  # an xlsx workbook is a zip archive


def parse_export(
    text: str | bytes,
    tz: tzinfo | None = None,
    *,
    now: datetime,
    known: Callable[[], AbstractSet[str]] | None = None,
) -> ParsedImport:
    """Parse an export written by `backcare export json|csv|xlsx` (xlsx: the file's bytes).

    `now` (timezone-aware) becomes `created_at` of rows that carry none (every CSV row).
    `tz` is accepted for symmetry with the writers but not needed: every timestamp in an
    export carries its own UTC offset, and one without is refused.

    `known` (JSON only): called once the file is known to be a backcare export, it gives
    the uids the database holds already. An event with one of them is not checked or built
    (issue 18: a re-import decides "nothing new" before building anything); it is counted
    in `skipped_known`, must still be an object, and its uid must not repeat in the file.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    del tz
    with gc_paused():  # a bulk loop (backcare/bulk.py)
        if isinstance(text, bytes):
            return parse_xlsx(text, now.astimezone(UTC))
        body = text[1:] if text.startswith(BOM) else text
        head = body.lstrip()
        if head.startswith(("{", "[")):
            return _parse_json(body, now.astimezone(UTC), known)
        return _parse_csv(body, now.astimezone(UTC))


# --- Shared field validation -------------------------------------------------------------

_MISSING: object = import_checks.MISSING

# label -> the keys of an event object of that kind; all kinds by letter (domain/entries).
_TYPE_KEYS: dict[str, tuple[str, ...]] = {
    kind.label: entries.json_keys(kind) for kind in entries.EVENT_KINDS
}
_KIND_KEYS: dict[str, frozenset[str]] = {
    kind.letter: frozenset(entries.json_keys(kind)) for kind in entries.KINDS
}

# CSV column -> field name of the shared validators (and back, for error messages).
_CSV_FIELD = {
    spec.csv_name: spec.key
    for kind in entries.EVENT_KINDS
    for spec in kind.fields
    if spec.csv_name != spec.key
}
_CSV_NAMES = {field: column for column, field in _CSV_FIELD.items()}


_CANONICAL_UID = import_checks.CANONICAL_UID


_NO_NAMES: Mapping[str, str] = {}


def _where_text(place: str | int) -> str:
    """Where an item is, as errors name it: an event of a JSON export by its index."""
    return place if isinstance(place, str) else f"item {place + 1} (events[{place}])"


class _Item:
    """Validators over one item's raw values (JSON types; CSV cells converted beforehand).

    `place`: where the item is, as errors name it, or a JSON event's index (its words are
    made only for an error: issue 18)."""

    __slots__ = ("from_csv", "names", "place", "values")

    def __init__(self, place: str | int, values: Mapping[str, object], *, from_csv: bool = False):
        self.place = place
        self.values = values
        self.from_csv = from_csv
        # field -> name shown in errors: the CSV column names of a CSV row
        self.names: Mapping[str, str] = _CSV_NAMES if from_csv else _NO_NAMES

    @property
    def where(self) -> str:
        return _where_text(self.place)

    def fail(self, field: str, problem: str) -> NoReturn:
        name = self.names.get(field, field)
        raise ImportFormatError(
            f"{self.where}, field '{name}': {problem}", where=self.where, field=name
        )

    def get(self, field: str, *, required: bool) -> object:
        value = self.values.get(field, _MISSING)
        if value is _MISSING and required:
            self.fail(field, msg.IMPORT_IS_MISSING)
        return None if value is _MISSING else value

    def integer(self, field: str, low: int, high: int, *, required: bool = False) -> int | None:
        value = self.get(field, required=required)
        if value is None and not required:
            return None
        if type(value) is not int or not low <= value <= high:
            self.fail(field, msg.IMPORT_WHOLE_NUMBER.format(low=low, high=high))
        return value

    def dose(self, field: str, high: float, *, required: bool = False) -> int | float | None:
        value = self.get(field, required=required)
        if value is None:
            return None
        if (
            (type(value) is not int and type(value) is not float)
            or not math.isfinite(value)
            or not 0 < value <= high
        ):
            self.fail(field, msg.IMPORT_MILLIGRAMS.format(high=f"{high:g}"))
        return int(value) if float(value).is_integer() else float(value)

    def flag(self, field: str, *, required: bool = False, default: bool = False) -> bool:
        value = self.get(field, required=required)
        if value is None and not required:
            return default
        if type(value) is not bool:
            self.fail(field, msg.IMPORT_YES_NO if self.from_csv else msg.IMPORT_TRUE_FALSE)
        return value

    def choice(self, field: str, choices: tuple[str, ...], *, required: bool = False) -> str | None:
        value = self.get(field, required=required)
        if value is None and not required:
            return None
        if value not in choices:
            self.fail(field, msg.IMPORT_ONE_OF.format(choices=", ".join(choices)))
        return str(value)

    def text(self, field: str, limit: int, *, required: bool = False) -> str | None:
        value = self.get(field, required=required)
        if value is None:
            return None
        if type(value) is not str:
            self.fail(field, msg.IMPORT_TEXT)
        problem = values.text_problem(value, limit)
        if problem == values.TOO_LONG:
            self.fail(field, msg.IMPORT_TOO_LONG.format(limit=limit))
        if problem is not None:
            self.fail(field, msg.IMPORT_CONTROL)
        return value

    def name(self, field: str, limit: int, noun: str, *, required: bool = False) -> str | None:
        value = self.text(field, limit, required=required)
        if value is not None and (
            not value.strip() or not any(c.isalpha() for c in value) or value != value.strip()
        ):
            self.fail(field, msg.IMPORT_MUST_BE_A.format(noun=noun))
        return value

    def codes(self, field: str, choices: tuple[str, ...]) -> tuple[str, ...]:
        value = self.get(field, required=True)
        if (
            type(value) is not list
            or any(code not in choices for code in value)
            or len(set(value)) != len(value)
        ):
            self.fail(field, msg.IMPORT_CODES)
        return tuple(value)

    def lines(self, field: str, most: int, limit: int) -> frozenset[str]:
        value = self.get(field, required=False) or []
        if (
            type(value) is not list
            or len(value) > most
            or any(type(line) is not str or values.text_problem(line, limit) for line in value)
        ):
            self.fail(field, msg.IMPORT_LINES)
        return frozenset(value)

    def answers(self, field: str) -> tuple[int, ...]:
        value = self.get(field, required=True)
        if (
            type(value) is not list
            or not value
            or any(type(a) is not int or not 0 <= a < 1_000_000 for a in value)
        ):
            self.fail(field, msg.IMPORT_NUMBERS)
        return tuple(value)

    def texts(self, field: str, most: int, limit: int) -> tuple[str, ...]:
        value = self.get(field, required=False) or []
        if (
            type(value) is not list
            or len(value) > most
            or any(
                type(t) is not str or not values.visible(t) or values.text_problem(t, limit)
                for t in value
            )
        ):
            self.fail(field, msg.IMPORT_TEXTS.format(most=most))
        return tuple(value)

    def uid(self, field: str = "uid") -> str:
        value = self.get(field, required=True)
        if type(value) is str and _CANONICAL_UID.fullmatch(value):
            return value  # as str(uuid.UUID(value)) gives it, without building one (issue 18)
        try:
            if type(value) is not str:
                raise ValueError
            return str(uuid.UUID(value))
        except ValueError:
            self.fail(field, msg.IMPORT_UUID)

    def moment(self, field: str, *, required: bool, now: datetime | None = None) -> datetime | None:
        """An aware time, in UTC; with `now`, one backcare stores (values.time_problem)."""
        value = self.get(field, required=required)
        if value is None and not required:
            return None
        try:
            if type(value) is not str or len(value) > 40:
                raise ValueError
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.fail(field, msg.IMPORT_TIME)
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail(field, msg.IMPORT_TIME)
        try:
            moment = parsed.astimezone(UTC)
        except OverflowError:  # 0001-01-01 with a positive offset is before year 1 in UTC
            self.fail(field, msg.IMPORT_TOO_EARLY.format(year=values.EARLIEST_YEAR))
        problem = None if now is None else values.time_problem(moment, now)
        if problem == values.TOO_EARLY:
            self.fail(field, msg.IMPORT_TOO_EARLY.format(year=values.EARLIEST_YEAR))
        if problem is not None:
            self.fail(field, msg.IMPORT_IN_FUTURE)
        return moment

    def event_type(self) -> str:
        kind = self.get("type", required=True)
        if type(kind) is not str or kind not in entries.BY_LABEL:
            self.fail("type", msg.IMPORT_MUST_BE.format(what=_LABELS))
        return kind

    def entry(self, kind: entries.Kind, now: datetime) -> Entry:
        """(the domain record, created_at, deleted_at) of one item of `kind`."""
        found = _CHECKS[kind.letter](self, now)
        cross = _CROSS_CHECKS.get(kind.letter)
        if cross is not None:
            cross(self, found[0])
        return found

    def record(self, now: datetime) -> StoredEvent:
        kind = entries.BY_LABEL[self.event_type()]
        event, created_at, deleted_at = cast(EventEntry, self.entry(kind, now))
        return StoredEvent(event=event, created_at=created_at, deleted_at=deleted_at)


Entry: TypeAlias = entries.Stored  # (domain record, created_at, deleted_at)
# What the check of an event kind gives: its record is an Event (the kind's declared model).
EventEntry: TypeAlias = tuple[Event, datetime, datetime | None]
EventCheck: TypeAlias = Callable[["_Item", datetime], EventEntry]
CrossCheck: TypeAlias = Callable[["_Item", entries.Record], None]


_CHECKS = {kind.letter: import_checks.checks(kind) for kind in entries.KINDS}

_LABELS = (
    ", ".join(k.label for k in entries.EVENT_KINDS[:-1]) + " or " + (entries.EVENT_KINDS[-1].label)
)


# --- Rules across fields (what a declaration cannot say), one small block per kind --------


def _treatment_rules(item: _Item, t: entries.Record) -> None:
    assert isinstance(t, Treatment)
    if t.kind == "medication":
        if t.drug is None:
            item.fail("drug", msg.IMPORT_MEDICATION_NEEDS)
        return
    if t.product is not None:
        item.fail("product", msg.IMPORT_MEDICATION_ONLY)
    for name in ("drug", "dose_mg", "relaxant"):
        if getattr(t, name):
            item.fail(name, msg.IMPORT_MEDICATION_ONLY)


def _checkin_rules(item: _Item, c: entries.Record) -> None:
    assert isinstance(c, CheckIn)
    if not set(c.present) <= set(c.asked):
        item.fail("present", msg.IMPORT_CODES_ASKED)


def _measure_rules(item: _Item, m: entries.Record) -> None:
    """The answers fit the instrument; a PSFS rates 1-3 activities, the others none."""
    assert isinstance(m, Measure)
    from backcare.domain.inputs import check_answers
    from backcare.domain.measures import PSFS, PSFS_MAX_GOALS, answer_problem, instrument

    if (m.instrument == PSFS) != bool(m.goals):
        item.fail("goals", msg.IMPORT_PSFS_GOALS.format(most=PSFS_MAX_GOALS))
    problem = answer_problem(m.instrument, m.answers, m.goals)
    if problem is not None and problem.kind == "count":  # the CLI's wording names --answers
        item.fail(
            "answers",
            msg.IMPORT_MEASURE_ANSWER_COUNT.format(
                name=instrument(m.instrument).short,
                items=msg.count_of(problem.expected, "item", "items"),
                given=msg.count_of(problem.given, "answer", "answers"),
            ),
        )
    try:
        check_answers(m.instrument, m.answers, m.goals)
    except InputError as exc:
        item.fail("answers", exc.message)


def _goal_rules(item: _Item, g: entries.Record) -> None:
    assert isinstance(g, Goal)
    if not g.text or not values.visible(g.text):
        item.fail("text", msg.IMPORT_ACTIVITY)
    if g.ended_at is not None and g.ended_at < g.at:
        item.fail("ended_at", msg.IMPORT_GOAL_ENDS_BEFORE)


_CROSS_CHECKS: dict[str, CrossCheck] = {
    "t": _treatment_rules,
    "c": _checkin_rules,
    "m": _measure_rules,
    "g": _goal_rules,
}
# An event's type word -> (its check, its rules across fields or None), and its JSON keys.
_EVENT_CHECKS: dict[str, tuple[EventCheck, CrossCheck | None]] = {
    kind.label: (cast(EventCheck, _CHECKS[kind.letter]), _CROSS_CHECKS.get(kind.letter))
    for kind in entries.EVENT_KINDS
}
_TYPE_KEYSETS = {label: frozenset(keys) for label, keys in _TYPE_KEYS.items()}


class _UidIndex:
    """All-or-nothing also means one uid once: a second row with a uid is an error."""

    def __init__(self) -> None:
        self.seen: dict[str, str | int] = {}

    def add(self, item: _Item, uid: str) -> None:
        first = self.seen.setdefault(uid, item.place)
        if first != item.place:
            item.fail("uid", msg.IMPORT_UID_TWICE.format(first=_where_text(first)))


# --- JSON --------------------------------------------------------------------------------

_TOP_KEYS = frozenset(
    (
        "format",
        "version",
        "exported_at",
        "profile",
        *(k.plural for k in entries.KINDS),
    )
)
# The top-level lists of the kinds that are not events (prescriptions, check-ins, ...), and
# the word that names one of their items in an error ("check-in 2 (checkins[1])").
_LISTS: tuple[entries.Kind, ...] = tuple(k for k in entries.KINDS if not k.event)
_ITEM_WORD = {"r": "item"}


def _json_list(
    kind: entries.Kind,
    raw: object,
    uids: _UidIndex,
    now: datetime,
    *,
    wheres: list[str] | None = None,
) -> list[Entry]:
    """The optional top-level list of `kind` ("prescriptions", "checkins", ...), checked
    field by field from its declaration like the events. `wheres`: how an error names each
    item (the CSV's rows), when not by its place in the list."""
    if raw is _MISSING:
        return []
    if type(raw) is not list:
        _Item(msg.IMPORT_THE_FILE, {}).fail(kind.plural, msg.IMPORT_LIST)
    assert isinstance(raw, list)
    out = []
    word = _ITEM_WORD.get(kind.letter, kind.label)
    allowed = _KIND_KEYS[kind.letter]
    for index, value in enumerate(raw):
        where = wheres[index] if wheres else f"{word} {index + 1} ({kind.plural}[{index}])"
        if not isinstance(value, dict):
            raise ImportFormatError(msg.IMPORT_OBJECT.format(where=where), where=where)
        item = _Item(where, value)
        for key in value:
            if key not in allowed:
                item.fail(str(key), msg.IMPORT_NOT_A_FIELD.format(kind=kind.label))
        out.append(item.entry(kind, now))
        uids.add(item, out[-1][0].uid)
    return out


def _reject_constant(name: str) -> NoReturn:
    raise ValueError("non-finite number")


@contextmanager
def _json_errors() -> Iterator[None]:
    """Decoding errors as the one message a file that is not JSON gets."""
    try:
        yield
    except ImportFormatError:
        raise  # ours already (a top-level key given twice)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            msg.IMPORT_NOT_JSON.format(not_export=NOT_AN_EXPORT, line=exc.lineno)
        ) from None
    except (ValueError, RecursionError):
        raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT) from None


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_SPACE = re.compile(r"[ \t\n\r]*")


class _Items:
    """The "events" array of an export, decoded one item at a time (issue 18: json.loads of
    a 10-year export held every event as a dict at once, over 150 MB). When the array ends,
    the rest of the top-level object is decoded into `top` and the end of the text checked,
    so the whole text is still parsed as JSON (a strict json.loads, item by item)."""

    def __init__(self, body: str, pos: int, top: JSONObject) -> None:
        self.body, self.pos, self.top = body, pos, top

    def __iter__(self) -> Iterator[object]:
        with _json_errors():
            body = self.body
            pos = _SPACE.match(body, self.pos + 1).end()  # type: ignore[union-attr]
            if body[pos : pos + 1] == "]":
                pos += 1
            else:
                while True:
                    batch, after = _batch(body, pos)
                    if batch:  # whole items, then a comma: another item follows
                        yield from batch
                        pos = _SPACE.match(body, after).end()  # type: ignore[union-attr]
                        continue
                    item, pos = _DECODER.raw_decode(body, pos)
                    yield item
                    pos = _SPACE.match(body, pos).end()  # type: ignore[union-attr]
                    mark = body[pos : pos + 1]
                    pos = _SPACE.match(body, pos + 1).end()  # type: ignore[union-attr]
                    if mark == "]":
                        break
                    if mark != ",":
                        raise json.JSONDecodeError("Expecting ',' delimiter", body, pos)
            _decode_members(body, pos, self.top, after_value=True)


_BATCH_LINES = 512


def _batch(body: str, pos: int) -> tuple[list[JSONValue], int]:
    """The items of the array from `pos` up to a line end, decoded in one call, and where
    the next item starts; ([], pos) when there is no such run (the caller then decodes one
    item; issue 18: an export writes one event a line, and one decoder call per item cost
    more than the decoding).

    The text up to the `_BATCH_LINES`-th line end after `pos` must end with a comma, and
    "[" + what is before the comma + "]" must decode: raw line ends lie only between
    tokens, so that text is then whole items separated by commas (an item cut at a line
    end leaves a bracket open, and an empty one has nothing between the brackets), the
    items decoding item by item gives. Anything else, including invalid JSON, goes the
    one-item way, whose errors name the place."""
    cut = pos
    for _ in range(_BATCH_LINES):
        cut = body.find("\n", cut + 1)
        if cut < 0:
            return [], pos
    run = body[pos:cut].rstrip(" \t\n\r")  # JSON's whitespace only, as the one-item way
    if not run.endswith(",") or not run[:-1].strip():
        return [], pos
    try:
        items = _DECODER.decode("[" + run[:-1] + "]")
    except (ValueError, RecursionError):
        return [], pos
    return items, cut


def _decode_members(body: str, pos: int, top: JSONObject, *, after_value: bool) -> None:
    """The members of the top-level object from `pos` into `top`; an "events" array, once
    the file has said it is a backcare export, becomes a streamed `_Items`."""
    space = _SPACE.match
    pos = space(body, pos).end()  # type: ignore[union-attr]
    first = not after_value
    while True:
        mark = body[pos : pos + 1]
        if mark == "}":
            end = space(body, pos + 1).end()  # type: ignore[union-attr]
            if end != len(body):
                raise json.JSONDecodeError("Extra data", body, end)
            return
        if not first:
            if mark != ",":
                raise json.JSONDecodeError("Expecting ',' delimiter", body, pos)
            pos = space(body, pos + 1).end()  # type: ignore[union-attr]
        first = False
        if body[pos : pos + 1] != '"':
            raise json.JSONDecodeError("Expecting property name", body, pos)
        key, pos = _DECODER.raw_decode(body, pos)
        pos = space(body, pos).end()  # type: ignore[union-attr]
        if body[pos : pos + 1] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", body, pos)
        pos = space(body, pos + 1).end()  # type: ignore[union-attr]
        if isinstance(top.get(key), _Items):  # a second "events" after a streamed one
            raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT)
        if key in top:  # a second "version" or "format" would win silently (or the first)
            raise ImportFormatError(
                msg.IMPORT_KEY_TWICE.format(key=json.dumps(key)[:KEY_SHOWN]), NOT_AN_EXPORT_HINT
            )
        streamed = (
            key == "events"
            and body[pos : pos + 1] == "["
            and top.get("format") == FORMAT_NAME
            and "version" in top
        )
        if streamed:
            top[key] = _Items(body, pos, top)
            return  # the rest is read when the items are
        top[key], pos = _DECODER.raw_decode(body, pos)
        pos = space(body, pos).end()  # type: ignore[union-attr]


def _decode_top(body: str) -> object:
    """The top-level JSON value; a backcare export's "events" array is left streamed."""
    pos = _SPACE.match(body).end()  # type: ignore[union-attr]
    if body[pos : pos + 1] != "{":
        return _DECODER.decode(body)
    top: JSONObject = {}
    _decode_members(body, pos + 1, top, after_value=False)
    return top


def _parse_json(
    body: str, now: datetime, known: Callable[[], AbstractSet[str]] | None = None
) -> ParsedImport:
    with _json_errors():
        data = _decode_top(body)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT)
    top = _Item(msg.IMPORT_THE_FILE, data)
    version = data.get("version")
    if type(version) is not int:
        top.fail("version", msg.IMPORT_VERSION_MISSING)
    if version > FORMAT_VERSION:
        raise ImportFormatError(
            msg.IMPORT_NEWER.format(version=version),
            field="version",
        )
    if version != FORMAT_VERSION:
        top.fail("version", msg.IMPORT_MUST_BE.format(what=FORMAT_VERSION))
    for key in data:
        if key not in _TOP_KEYS:
            top.fail(str(key), msg.IMPORT_NOT_AN_EXPORT_FIELD)
    events = data.get("events", _MISSING)
    if type(events) is not list and not isinstance(events, _Items):
        top.fail("events", msg.IMPORT_LIST)
    records: list[StoredEvent] = []
    append = records.append
    uids = _UidIndex()
    seen = uids.seen
    stored = known() if known is not None else frozenset()
    skipped = 0
    for index, raw in enumerate(events):
        if not isinstance(raw, dict):
            where = _where_text(index)
            raise ImportFormatError(msg.IMPORT_OBJECT.format(where=where), where=where)
        item = _Item(index, raw)
        uid = raw.get("uid")
        if stored and type(uid) is str and uid in stored:  # stored already: never written
            uids.add(item, uid)
            skipped += 1
            continue
        kind = raw.get("type")
        if type(kind) is not str or kind not in _EVENT_CHECKS:
            kind = item.event_type()  # says what is wrong
        if not raw.keys() <= _TYPE_KEYSETS[kind]:  # the first unknown key, as before
            for key in raw:
                if key not in _TYPE_KEYSETS[kind]:
                    item.fail(str(key), msg.IMPORT_NOT_A_FIELD.format(kind=f"{kind} event"))
        check, cross = _EVENT_CHECKS[kind]
        event, created_at, deleted_at = check(item, now)
        if cross is not None:
            cross(item, event)
        if seen.setdefault(event.uid, index) != index:
            uids.add(item, event.uid)  # says where the uid was first
        append(StoredEvent(event=event, created_at=created_at, deleted_at=deleted_at))
    for key in data:  # the keys after a streamed "events" list were read by now
        if key not in _TOP_KEYS:
            top.fail(str(key), msg.IMPORT_NOT_AN_EXPORT_FIELD)
    exported_at = top.moment("exported_at", required=False)
    profile = _json_profile(data.get("profile"), today=now.date())
    lists = {k.letter: _json_list(k, data.get(k.plural, _MISSING), uids, now) for k in _LISTS}
    # Each list holds its kind's declared model (entries.KINDS), which a dict cannot say.
    return ParsedImport(
        records=records,
        profile=profile,
        source="json",
        exported_at=exported_at,
        prescriptions=cast(tuple[StoredPrescription, ...], tuple(lists["r"])),
        acks=tuple(StoredAck(*ack) for ack in cast(list[StoredAcknowledgement], lists["a"])),
        checkins=cast(tuple[StoredCheckIn, ...], tuple(lists["c"])),
        measures=cast(tuple[StoredMeasure, ...], tuple(lists["m"])),
        goals=cast(tuple[StoredGoal, ...], tuple(lists["g"])),
        skipped_known=skipped,
    )


def _json_profile(raw: object, *, today: date) -> Profile | None:
    """The export's profile, each field read by its declared form (domain/entries PROFILE)
    and bounded as `profile set` bounds it (`today`: the clock's date)."""
    if raw is None:
        return None
    where = "profile"
    if not isinstance(raw, dict):
        raise ImportFormatError(msg.IMPORT_OBJECT_OR_NULL.format(where=where), where=where)
    item = _Item(where, raw)
    for key in raw:
        if key not in entries.PROFILE_KEYS:
            item.fail(str(key), msg.IMPORT_NOT_A_PROFILE_FIELD)
    found = {spec.name: _PROFILE_READERS[spec.form](item, spec, today) for spec in entries.PROFILE}
    return entries.changed_profile(Profile(), found)


def _birth_year(item: _Item, spec: entries.ProfileField, today: date) -> int | None:
    return item.integer(spec.name, values.EARLIEST_YEAR, today.year)


def _yes_no(item: _Item, spec: entries.ProfileField, today: date) -> bool | None:
    value = item.get(spec.name, required=False)
    if value is not None and type(value) is not bool:
        item.fail(spec.name, msg.IMPORT_TRUE_FALSE_NULL)
    return value


def _flags(item: _Item, spec: entries.ProfileField, today: date) -> frozenset[str]:
    flags = item.values.get(spec.name, [])  # absent: none; null is not a list
    if type(flags) is not list or any(flag not in spec.choices for flag in flags):
        item.fail(spec.name, msg.IMPORT_LIST_OF.format(choices=", ".join(spec.choices)))
    return frozenset(flags)


def _clocks(item: _Item, spec: entries.ProfileField, today: date) -> tuple[time, ...]:
    texts = item.values.get(spec.name, [])  # absent: none; null is not a list
    if type(texts) is not list:
        item.fail(spec.name, msg.IMPORT_TIMES)
    times: list[time] = []
    for text in texts:
        try:
            if type(text) is not str or len(text) > 15:
                raise ValueError
            moment = time.fromisoformat(text)
        except ValueError:
            item.fail(spec.name, msg.IMPORT_TIMES)
        if moment.tzinfo is not None:
            item.fail(spec.name, msg.IMPORT_TIMES)
        times.append(moment)
    return tuple(times)


def _person(item: _Item, spec: entries.ProfileField, today: date) -> str | None:
    name = item.text(spec.name, spec.limit or 0)
    if name is not None and (not name.strip() or "\n" in name or "\t" in name):
        item.fail(spec.name, msg.IMPORT_NAME_ONE_LINE)
    return name


def _day(item: _Item, spec: entries.ProfileField, today: date) -> date | None:
    value = item.get(spec.name, required=False)
    if value is None:
        return None
    try:
        if type(value) is not str or len(value) != 10:
            raise ValueError
        born = date.fromisoformat(value)
    except ValueError:
        item.fail(spec.name, msg.IMPORT_DATE)
    if not values.birth_date_ok(born, today):
        item.fail(spec.name, msg.IMPORT_DATE_OF_BIRTH.format(earliest=values.EARLIEST.date()))
    return born


# A profile field's form -> how the import reads it (every declared form has one).
_PROFILE_READERS: dict[str, Callable[[_Item, entries.ProfileField, date], entries.ProfileValue]] = {
    entries.YEAR: _birth_year,
    entries.YES_NO: _yes_no,
    entries.FLAGS: _flags,
    entries.CLOCKS: _clocks,
    entries.PERSON: _person,
    entries.DAY: _day,
}


# --- CSV ---------------------------------------------------------------------------------

_CSV_EVENT_COLUMNS: dict[str, frozenset[str]] = {
    kind.label: frozenset(spec.csv_name for spec in kind.fields) for kind in entries.EVENT_KINDS
}
_ALWAYS = frozenset(("date", "time", "timestamp", "type", "uid"))

_INT_RE = re.compile(r"[0-9]{1,9}")
_NUMBER_RE = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,17})?(?:[eE][+-]?[0-9]{1,3})?")
_DECLARED = [spec for kind in entries.EVENT_KINDS for spec in kind.fields]
_NUMBER_COLUMNS = frozenset(s.csv_name for s in _DECLARED if s.form in (entries.INT, entries.MG))
_DECIMAL_COLUMNS = frozenset(s.csv_name for s in _DECLARED if s.form == entries.MG)
_FLAG_COLUMNS = frozenset(s.csv_name for s in _DECLARED if s.form == entries.BOOL)


def _cell_value(column: str, cell: str, *, guarded: bool = True) -> object:
    """A CSV cell as the JSON-like value the validators check ("" is a missing value).

    A cell that does not convert is passed on as text, so the validator rejects it with
    the same message a wrong JSON value gets.
    """
    if column in TEXT_COLUMNS:
        return (unneutralise(cell) if guarded else cell) or _MISSING
    if cell == "":
        return _MISSING
    if column in _NUMBER_COLUMNS:
        if _INT_RE.fullmatch(cell):
            return int(cell)
        if column in _DECIMAL_COLUMNS and _NUMBER_RE.fullmatch(cell):
            return float(cell)
        return cell
    if column in _FLAG_COLUMNS:
        return {"yes": True, "no": False}.get(cell, cell)
    return cell


def _first_record(body: str) -> list[str] | None:
    try:
        return next(csv.reader(io.StringIO(body, newline="")), None)
    except csv.Error:
        return None


def _parse_csv(body: str, now: datetime) -> ParsedImport:
    header = _first_record(body)
    # accepted: the header of today, and of the exports before measures (issue 16),
    # `product` and `relaxant`
    accepted = (
        list(COLUMNS),
        list(EVENT_COLUMNS),
        list(EVENT_COLUMNS[:-1]),
        list(EVENT_COLUMNS[:-2]),
    )
    if header is not None and header[: len(DAILY_COLUMNS)] == list(DAILY_COLUMNS):
        raise ImportFormatError(msg.IMPORT_DAILY_CSV)
    if header not in accepted:
        raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT)
    reader = csv.reader(io.StringIO(body, newline=""))

    def rows() -> Iterator[tuple[str, list[str]]]:
        line_end = 0
        try:
            for row in reader:
                start, line_end = line_end + 1, reader.line_num
                if start > 1:  # after the header
                    yield f"line {start}", row
        except csv.Error:
            where = f"line {reader.line_num}"
            problem = msg.IMPORT_MALFORMED_CSV.format(where=where)
            raise ImportFormatError(problem, where=where) from None

    measure_rows: list[tuple[str, list[str]]] = []

    def entry_rows() -> Iterator[tuple[str, list[str]]]:
        at_type = header.index("type")
        for where, row in rows():
            if len(row) == len(header) and row[at_type] == "measure":
                measure_rows.append((where, row))
            else:
                yield where, row

    records = _parse_rows(header, entry_rows(), now)
    measures = _csv_measures(header, measure_rows, {r.event.uid for r in records}, now)
    return ParsedImport(records=records, profile=None, source="csv", measures=measures)


def _csv_measures(
    header: list[str],
    rows: list[tuple[str, list[str]]],
    taken: set[str],
    now: datetime,
    *,
    guarded: bool = True,
) -> tuple[tuple[Measure, datetime, datetime | None], ...]:
    """The questionnaire rows of an event CSV or xlsx (type "measure", issue 16), checked
    as the JSON "measures" are; the score cell is derived and not read. `guarded`: text
    cells carry the CSV's formula guard (an xlsx has none)."""

    def text_of(cell: str) -> str:
        return unneutralise(cell) if guarded else cell

    items = []
    for where, row in rows:
        cells = dict(zip(header, row, strict=True))
        for column in EVENT_COLUMNS:
            if cells[column] and column not in ("date", "time", "timestamp", "type", "note", "uid"):
                raise ImportFormatError(
                    msg.IMPORT_MEASURE_ROW_EMPTY.format(where=where, column=column), where=where
                )
        answers = cells["answers"].split()
        goals = text_of(cells["goals"]) if cells["goals"] else "[]"
        try:
            goal_list = json.loads(goals)
        except ValueError:
            raise ImportFormatError(
                msg.IMPORT_GOALS_JSON.format(where=where), where=where
            ) from None
        value: dict[str, object] = {
            "uid": text_of(cells["uid"]),
            "at": cells["timestamp"],
            "instrument": cells["instrument"],
            "answers": [int(a) if _INT_RE.fullmatch(a) else a for a in answers],
            "goals": goal_list,
        }
        if cells["note"]:
            value["note"] = text_of(cells["note"])
        items.append((where, value))
    uids = _UidIndex()
    for uid in taken:
        uids.seen[uid] = msg.IMPORT_AN_ENTRY
    values = [v for _, v in items]
    checked = _json_list(entries.MEASURE, values, uids, now, wheres=[w for w, _ in items])
    return cast(tuple[StoredMeasure, ...], tuple(checked))


def _parse_rows(
    columns: list[str],
    rows: Iterable[tuple[str, list[str]]],
    now: datetime,
    *,
    guarded: bool = True,
) -> list[StoredEvent]:
    """The records of `rows` ((where, cells) under the CSV `columns`); blank rows skipped.

    `guarded`: text cells carry the CSV's formula guard (one leading apostrophe to drop).
    """
    records: list[StoredEvent] = []
    uids = _UidIndex()
    for where, row in rows:
        if not any(row):
            continue  # a blank line
        if len(row) != len(columns):
            raise ImportFormatError(
                msg.IMPORT_CELLS.format(where=where, cells=len(row), header=len(columns)),
                where=where,
            )
        cells = dict(zip(columns, row, strict=True))
        item = _csv_item(where, cells, guarded=guarded)
        record = item.record(now)
        _check_local_columns(item, cells)
        uids.add(item, record.event.uid)
        records.append(record)
    return records


# --- xlsx (export xlsx) ------------------------------------------------------------------


def _xlsx_cell(value: object) -> str:
    """A worksheet value as the CSV cell it stands for (openpyxl's types)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        if value.time() == time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, timedelta):  # a time-of-day cell some readers give as a duration
        minutes = int(value.total_seconds() // 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def parse_xlsx(data: bytes, now: datetime) -> ParsedImport:
    """The records of an `export xlsx` workbook's Entries sheet (the other sheets are ignored).

    Read with openpyxl (imported here only). The header must be `xlsx_export.ENTRY_HEADERS`;
    each row is converted to the CSV's cells and checked by the same validators, text cells
    as they are (an xlsx has no formula guard). Errors name "row N" of the sheet.
    """
    import zipfile

    from backcare.export.xlsx_export import ENTRIES_SHEET, ENTRY_HEADERS

    try:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT) from None
    try:
        if ENTRIES_SHEET not in book.sheetnames:
            raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT)
        values = book[ENTRIES_SHEET].iter_rows(values_only=True)
        header = [_xlsx_cell(v) for v in next(values, ())]
        while header and header[-1] == "":
            header.pop()
        if header != list(ENTRY_HEADERS.values()):
            raise ImportFormatError(NOT_AN_EXPORT, NOT_AN_EXPORT_HINT)
        width = len(header)

        def rows() -> Iterator[tuple[str, list[str]]]:
            for number, row in enumerate(values, 2):
                cells = [_xlsx_cell(v) for v in row]
                if any(cells[width:]):
                    where = f"row {number}"
                    problem = msg.IMPORT_BEYOND_HEADER.format(where=where)
                    raise ImportFormatError(problem, where=where)
                cells = (cells + [""] * width)[:width]
                yield f"row {number}", cells

        columns = list(ENTRY_HEADERS)
        at_type = columns.index("type")
        measure_rows: list[tuple[str, list[str]]] = []

        def entry_rows() -> Iterator[tuple[str, list[str]]]:
            for where, cells in rows():
                if cells[at_type] == "measure":  # a questionnaire (issue 16), as in the CSV
                    measure_rows.append((where, cells))
                else:
                    yield where, cells

        records = _parse_rows(columns, entry_rows(), now, guarded=False)
        taken = {r.event.uid for r in records}
        measures = _csv_measures(columns, measure_rows, taken, now, guarded=False)
    finally:
        book.close()
    return ParsedImport(records=records, profile=None, source="xlsx", measures=measures)


def _csv_item(where: str, cells: dict[str, str], *, guarded: bool = True) -> _Item:
    values: dict[str, object] = {}
    for column, cell in cells.items():
        value = _cell_value(column, cell, guarded=guarded)
        if value is not _MISSING and column not in ("date", "time"):
            values[_CSV_FIELD.get(column, column)] = value
    item = _Item(where, values, from_csv=True)
    kind = item.event_type()
    allowed = _CSV_EVENT_COLUMNS[kind]
    for column, cell in cells.items():
        if cell and column not in _ALWAYS and column not in allowed:
            item.fail(_CSV_FIELD.get(column, column), msg.IMPORT_EMPTY_IN.format(kind=kind))
    return item


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
_YMD_RE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_NUMERIC_RE = re.compile(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})")
_DAY_NAME_RE = re.compile(r"([0-9]{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+([0-9]{4})")
_NAME_DAY_RE = re.compile(r"([A-Za-z]{3,9})\.?[- ]([0-9]{1,2}),?[- ]+([0-9]{4})")
_CLOCK_RE = re.compile(
    r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?"
)


def _ymd(year: int, month: int, day: int) -> tuple[int, int, int] | None:
    try:
        datetime(year, month, day)
    except ValueError:
        return None
    return year, month, day


def spreadsheet_dates(cell: str) -> set[tuple[int, int, int]]:
    """The (year, month, day) readings of a date cell as a spreadsheet may write it back.

    ISO (2026-03-14, 2026/03/14), numeric day and month in either order with a four-digit
    year (14/03/2026, 3/14/2026: both readings are returned, so 03/04/2026 gives two), and
    month names (14-Mar-2026, Mar 14, 2026, 14 March 2026). Nothing else reads.
    """
    text = cell.strip()
    if m := _YMD_RE.fullmatch(text):
        found = _ymd(int(m[1]), int(m[2]), int(m[3]))
        return {found} if found else set()
    if m := _NUMERIC_RE.fullmatch(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        return {d for d in (_ymd(year, b, a), _ymd(year, a, b)) if d}
    for pattern, day_at, name_at in ((_DAY_NAME_RE, 1, 2), (_NAME_DAY_RE, 2, 1)):
        if m := pattern.fullmatch(text):
            month = _MONTHS.get(m[name_at].lower())
            found = _ymd(int(m[3]), month, int(m[day_at])) if month else None
            return {found} if found else set()
    return set()


def spreadsheet_clock(cell: str) -> tuple[int, int] | None:
    """(hour, minute) of a time cell: 24-hour or 12-hour (AM/PM), seconds optional."""
    m = _CLOCK_RE.fullmatch(cell.strip())
    if m is None:
        return None
    hour, minute = int(m[1]), int(m[2])
    if minute > 59 or (m[3] is not None and int(m[3]) > 59):
        return None
    if m[4] is None:
        return (hour, minute) if hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return (hour % 12 + (12 if m[4].lower() == "p" else 0), minute)


def _check_local_columns(item: _Item, cells: dict[str, str]) -> None:
    """`date` and `time` must agree with `timestamp` (read in the timestamp's own offset).

    Both accept what spreadsheets write back (`spreadsheet_dates`, `spreadsheet_clock`); a
    date that reads two ways is refused as ambiguous, even when one reading would match.
    """
    stamp = datetime.fromisoformat(cells["timestamp"])
    readings = spreadsheet_dates(cells["date"])
    if len(readings) > 1:
        item.fail("date", msg.IMPORT_DATE_AMBIGUOUS)
    if readings != {(stamp.year, stamp.month, stamp.day)}:
        item.fail("date", msg.IMPORT_NOT_THE_TIMESTAMP)
    if spreadsheet_clock(cells["time"]) != (stamp.hour, stamp.minute):
        item.fail("time", msg.IMPORT_NOT_THE_TIMESTAMP)
