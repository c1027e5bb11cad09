"""Row functions of the file formats, derived from the entry declarations (domain/entries).

Each kind's JSON object and CSV row is built by one function compiled once from its
declaration (the way `dataclasses` builds `__init__`): a plain dict display or tuple of
attribute reads, with no per-cell lookups, so a derived export is as fast as the
hand-written tuples it replaced. Only names from the declarations (checked identifiers)
reach the generated source.

What the declarations cannot say is kept here, one entry per case: `DERIVED` values an
export computes from more than one field (a known muscle relaxant is one whether or not
the user marked it, issue 15).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Never

from backcare.domain import entries
from backcare.domain.drugs import is_muscle_relaxant

if TYPE_CHECKING:
    from backcare.domain.model import Measure
    from backcare.jsonfmt import JSONObject


def iso_utc(moment: datetime) -> str:
    """`moment` as ISO 8601 in UTC with a "+00:00" offset."""
    return moment.astimezone(UTC).isoformat()


def format_number(value: float | None) -> int | float | None:
    """A number as a cell shows it: 400.0 -> 400, 7.5 -> 7.5, None -> empty."""
    if value is None or type(value) is int:
        return value
    return int(value) if value.is_integer() else value


def _relaxant(drug: str | None, relaxant: bool) -> bool:
    return is_muscle_relaxant(drug, relaxant=relaxant)


# (kind letter, field name) -> (the fields it reads, the value an export writes from them).
# Named fields, not the whole record: a raw row's writer passes its cells as the domain reads
# them, with no object built per row (issue 18: a named tuple per treatment row).
DERIVED: dict[tuple[str, str], tuple[tuple[str, ...], Callable[..., object]]] = {
    ("t", "relaxant"): (("drug", "relaxant"), _relaxant)
}


def _attr(spec: entries.Field) -> str:
    if not spec.name.isidentifier():
        raise ValueError(f"not a field name: {spec.name!r}")  # a declaration error
    return f"e.{spec.name}"


_compile = entries.compile_function


def _derived_name(kind: entries.Kind, spec: entries.Field) -> str | None:
    return f"derived_{kind.letter}_{spec.name}" if (kind.letter, spec.name) in DERIVED else None


def _env(kind: entries.Kind) -> dict[str, object]:
    env: dict[str, object] = {"iso": iso_utc, "num": format_number}
    for spec in kind.fields:
        derived = _derived_name(kind, spec)
        if derived:
            env[derived] = DERIVED[(kind.letter, spec.name)][1]
    return env


def _derived_call(kind: entries.Kind, spec: entries.Field, read: Callable[[str], str]) -> str:
    """The call of a DERIVED value, each field it reads through `read` (its name -> the
    expression of its value as the domain reads it)."""
    reads, _ = DERIVED[(kind.letter, spec.name)]
    for name in reads:
        if not name.isidentifier():
            raise ValueError(f"not a field name: {name!r}")  # a declaration error
    return f"{_derived_name(kind, spec)}({', '.join(read(name) for name in reads)})"


def _domain_read(name: str) -> str:
    return f"e.{name}"


# --- JSON ----------------------------------------------------------------------------------


def _json_expr(kind: entries.Kind, spec: entries.Field) -> str:
    value = _attr(spec)
    if _derived_name(kind, spec):
        return _derived_call(kind, spec, _domain_read)
    form = spec.form
    if form == entries.TIME:
        return f"iso({value})" if spec.required else f"None if {value} is None else iso({value})"
    if form == entries.MG:
        return f"num({value})"
    if form == entries.SPAN:
        return f"None if {value} is None else int({value}.total_seconds() // 60)"
    if form in (entries.CODES, entries.ANSWERS, entries.GOALS):
        return f"list({value})"
    if form == entries.LINES:
        return f"sorted({value})"
    return value


def json_writer(
    kind: entries.Kind,
) -> Callable[[entries.Record, datetime, datetime | None], JSONObject]:
    """`to_dict(record, created_at, deleted_at)`: the record's JSON object, keys in the
    order of `entries.json_keys` (fields declared `omit_none` only when set)."""
    parts = [f'"type": {kind.label!r}'] if kind.event else []
    parts.append('"uid": e.uid')
    omit = []
    for spec in kind.fields:
        parts.append(f"{spec.key!r}: {_json_expr(kind, spec)}")
        if spec.name == "at":
            parts.append('"created_at": iso(c)')
            parts.append('"deleted_at": None if d is None else iso(d)')
        if spec.omit_none:
            omit.append(f"    if out[{spec.key!r}] is None:\n        del out[{spec.key!r}]\n")
    source = (
        "def to_dict(e, c, d):\n    out = {"
        + ", ".join(parts)
        + "}\n"
        + "".join(omit)
        + "    return out\n"
    )
    return _compile("to_dict", source, _env(kind))


def utc_iso_text(text: str) -> str:
    """A stored UTC timestamp ("...T08:00:00.000000Z", the one form the schema's CHECK
    keeps) as `iso_utc` writes the moment ("...T08:00:00+00:00"), without parsing it."""
    if len(text) == 27 and text[26] == "Z" and text[19] == ".":
        return text[:19] + "+00:00" if text[20:26] == "000000" else text[:26] + "+00:00"
    return iso_utc(datetime.fromisoformat(text))


def _raw_json_expr(kind: entries.Kind, spec: entries.Field, index: int) -> str:
    """A field's JSON value read from a raw row (store/rows.py) at `index`, as `_json_expr`
    reads it from the domain record (whose converter is store/declared.from_row)."""
    value = f"r[{index}]"
    form = spec.form
    if form == entries.TIME:
        return f"utc({value})" if spec.required else f"None if {value} is None else utc({value})"
    if form == entries.BOOL:  # stored 0/1; the domain reads it as declared.from_row does
        return f"bool({value})" if spec.required or spec.default is not None else value
    if form == entries.SPAN:
        return value  # stored as whole minutes, as the files write them
    if form in (entries.CODES, entries.LINES, entries.ANSWERS, entries.GOALS):
        raise ValueError(f"not an event field: {kind.letter}.{spec.name}")  # a declaration error
    return _json_expr(kind, spec).replace(_attr(spec), value)


def json_raw_writer(kind: entries.Kind) -> Callable[[entries.RawRow], JSONObject]:
    """As `json_writer`, over a raw row of every stored event (entries.RAW_LEAD, the kind's
    columns, then entries.RAW_TAIL: created_at, deleted_at) instead of a domain record: the
    JSON export builds no objects between the database and the file (issue 18). A value
    derived from the whole record reads a named tuple of the row's fields (booleans read
    as the domain reads them)."""
    if not kind.event:
        raise ValueError(f"not an event kind: {kind.letter}")  # raw rows are events'
    lead = len(entries.RAW_LEAD)
    created = lead + len(kind.fields)
    index = {spec.name: lead + i for i, spec in enumerate(kind.fields)}
    parts = [f'"type": {kind.label!r}', f'"uid": r[{entries.RAW_LEAD.index("uid")}]']
    omit = []

    def read(name: str) -> str:
        return _raw_read(kind, name, index[name])

    for spec in kind.fields:
        if _derived_name(kind, spec):
            parts.append(f"{spec.key!r}: {_derived_call(kind, spec, read)}")
        else:
            parts.append(f"{spec.key!r}: {_raw_json_expr(kind, spec, index[spec.name])}")
        if spec.name == "at":
            parts.append(f'"created_at": utc(r[{created}])')
            parts.append(
                f'"deleted_at": None if r[{created + 1}] is None else utc(r[{created + 1}])'
            )
        if spec.omit_none:
            omit.append(f"    if out[{spec.key!r}] is None:\n        del out[{spec.key!r}]\n")
    body = "    out = {" + ", ".join(parts) + "}\n" + "".join(omit) + "    return out\n"
    env = _env(kind)
    env["utc"] = utc_iso_text
    return _compile("to_dict", "def to_dict(r):\n" + body, env)


def _raw_read(kind: entries.Kind, name: str, index: int) -> str:
    """A field's value read from a raw row at `index` as the domain record holds it (what a
    DERIVED function is given): booleans as store/declared.from_row reads them."""
    spec = kind.field(name)
    if spec.form == entries.BOOL:
        return _raw_json_expr(kind, spec, index)
    if spec.form not in (entries.INT, entries.MG, entries.TEXT, entries.NAME, entries.CHOICE):
        raise ValueError(f"not a raw field: {kind.letter}.{name}")  # a declaration error
    return f"r[{index}]"


def history_raw_writer(
    kind: entries.Kind, zone: tzinfo | None
) -> Callable[[entries.RawRow], JSONObject]:
    """`to_dict(raw_row)`: a live event's `history --json` object from its raw row
    (store/rows.iter_event_rows), as cli/records.event_json writes it from the domain
    record: its ID, uid, type word, local `at` in `zone`, then the domain class's other
    fields in their order, each valued as the domain reads it (store/declared.from_row)."""
    if not kind.event:
        raise ValueError(f"not an event kind: {kind.letter}")  # raw rows are events'
    lead = len(entries.RAW_LEAD)
    index = {spec.name: lead + i for i, spec in enumerate(kind.fields)}
    parts = [
        f'"id": {kind.letter!r} + str(r[{entries.RAW_LEAD.index("id")}])',
        f'"uid": r[{entries.RAW_LEAD.index("uid")}]',
        f'"type": {kind.label!r}',
        '"at": parse(r[0]).astimezone(zone).isoformat()',
    ]
    for name in (f.name for f in dataclasses.fields(kind.model)):
        if name in ("id", "uid", "at"):
            continue
        spec = kind.field(name)
        value = f"r[{index[name]}]"
        if spec.form == entries.BOOL and (spec.required or spec.default is not None):
            value = f"bool({value})"  # as declared.from_row reads it
        elif spec.form not in (
            entries.INT,
            entries.MG,
            entries.TEXT,
            entries.NAME,
            entries.CHOICE,
            entries.BOOL,
        ):
            raise ValueError(
                f"not a raw history field: {kind.letter}.{name}"
            )  # a declaration error
        parts.append(f"{name!r}: {value}")
    source = "def to_dict(r):\n    return {" + ", ".join(parts) + "}\n"
    return _compile("to_dict", source, {"parse": _parse_utc, "zone": zone})


# --- CSV -----------------------------------------------------------------------------------

# The event CSV's columns before the fields: the local day, clock and the type word.
CSV_LEAD = ("date", "time", "timestamp", "type")


def _score_cell(measure: Measure) -> str:
    """A questionnaire's score as its CSV cell shows it (derived: never stored)."""
    from backcare.domain.measures import score, score_text

    return score_text(score(measure).value)


def _goals_cell(goals: tuple[str, ...]) -> str | None:
    return json.dumps(list(goals), ensure_ascii=False) if goals else None


# (kind letter, CSV column) -> a cell derived from the whole record, not a declared field.
CSV_DERIVED: dict[tuple[str, str], Callable[[Never], object]] = {("m", "score"): _score_cell}


def csv_columns(layout: tuple[str, ...]) -> tuple[str, ...]:
    """`layout` (the file's order so far, a format others read), then any CSV column a
    declaration adds that it lacks: a new field is exported without touching the layout."""
    declared = [s.csv_name for k in entries.CSV_KINDS for s in k.fields]
    return layout + tuple(dict.fromkeys(n for n in declared if n not in layout))


def csv_text_columns() -> frozenset[str]:
    """Cells of free or vocabulary text (neutralised on export, un-neutralised on import)."""
    texts = (entries.TEXT, entries.NAME, entries.CHOICE, entries.GOALS)
    return frozenset(s.csv_name for k in entries.CSV_KINDS for s in k.fields if s.form in texts) | {
        "uid"
    }


def _csv_expr(kind: entries.Kind, spec: entries.Field) -> str:
    return _csv_cell(kind, spec, _domain_read)


def _csv_cell(kind: entries.Kind, spec: entries.Field, read: Callable[[str], str]) -> str:
    """A field's CSV cell, its value (and any DERIVED value's fields) read through `read`."""
    value = read(spec.name)
    derived = _derived_name(kind, spec)
    form = spec.form
    if form == entries.BOOL:
        truth = _derived_call(kind, spec, read) if derived else value
        return f'"yes" if {truth} else ' + ('"no"' if spec.required else "None")
    if derived:
        return _derived_call(kind, spec, read)
    if form in (entries.TEXT, entries.NAME, entries.CHOICE):
        return f"txt({value})"
    if form == entries.MG:  # format_number, inline: the hottest cell of a big export
        return f"(v if (v := {value}) is None or type(v) is int or not v.is_integer() else int(v))"
    if form == entries.TIME:
        return f"None if {value} is None else iso({value})"
    if form == entries.ANSWERS:  # "7 6 0": no spreadsheet reads it as one number
        return f'" ".join(map(str, {value}))'
    if form == entries.GOALS:  # a JSON list of the texts, empty when there are none
        return f"txt(goals_cell({value}))"
    return value


def _csv_cells(
    kind: entries.Kind,
    columns: tuple[str, ...],
    uid: str,
    field: Callable[[entries.Field], str],
    *,
    derived: bool = True,
) -> list[str]:
    """The expressions of a CSV row's cells under `columns`: the day, clock and stamp
    arguments, the kind's label, `uid`, each declared field through `field`, and (with
    `derived`) the CSV_DERIVED cells; None for a column the kind lacks."""
    by_column = {s.csv_name: s for s in kind.fields if s.name != "at"}
    cells = []
    for column in columns:
        if column in ("date", "time", "timestamp"):
            cells.append({"date": "day", "time": "clock", "timestamp": "stamp"}[column])
        elif column == "type":
            cells.append(repr(kind.label))
        elif column == "uid":
            cells.append(uid)
        elif column in by_column:
            cells.append(field(by_column[column]))
        elif derived and (kind.letter, column) in CSV_DERIVED:
            cells.append(f"derived_{column}(e)")
        else:
            cells.append("None")
    return cells


def csv_writer(
    kind: entries.Kind, columns: tuple[str, ...], neutralise: Callable[[str | None], str | None]
) -> Callable[[entries.Record, object, object, str], tuple[object, ...]]:
    """`row(event, day, clock, stamp)`: the event's cells under `columns` (None: empty);
    day and clock as the file shows them (text in the CSV, date and time in a workbook)."""
    cells = _csv_cells(kind, columns, "txt(e.uid)", lambda spec: _csv_expr(kind, spec))
    source = "def row(e, day, clock, stamp):\n    return (" + ", ".join(cells) + ",)\n"
    env = _env(kind)
    env["txt"] = neutralise
    env["goals_cell"] = _goals_cell
    for (letter, column), derive_cell in CSV_DERIVED.items():
        if letter == kind.letter:
            env[f"derived_{column}"] = derive_cell
    return _compile("row", source, env)


def _parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text)  # the stored form, "...Z" (Python 3.11 reads it)


def _raw_expr(kind: entries.Kind, spec: entries.Field, index: dict[str, int]) -> str:
    """A field's CSV cell read from a raw row (entries.RAW_LEAD); `index`: each field's
    place in the row."""
    value = f"r[{index[spec.name]}]"
    if spec.form == entries.TIME:
        return f"None if {value} is None else iso(parse({value}))"
    if spec.form == entries.SPAN:
        return value  # stored as whole minutes, as the files write them
    if spec.form in (entries.CODES, entries.LINES):  # lists are not CSV cells (yet)
        raise ValueError(f"not a CSV field: {kind.letter}.{spec.name}")  # a declaration error
    return _csv_cell(kind, spec, lambda name: _raw_read(kind, name, index[name]))


def csv_raw_writer(
    kind: entries.Kind, columns: tuple[str, ...], neutralise: Callable[[str | None], str | None]
) -> Callable[[entries.RawRow, object, object, str], tuple[object, ...]]:
    """As `csv_writer`, over a raw row (entries.RAW_LEAD, then the kind's columns) instead of
    a domain record: the big CSV export builds no objects between the database and the file
    (issue 18); a DERIVED value is given the row's cells it reads."""
    lead = len(entries.RAW_LEAD)
    index = {spec.name: lead + i for i, spec in enumerate(kind.fields)}
    uid = f"txt(r[{entries.RAW_LEAD.index('uid')}])"
    cells = _csv_cells(kind, columns, uid, lambda spec: _raw_expr(kind, spec, index), derived=False)
    body = "    return (" + ", ".join(cells) + ",)\n"
    env = _env(kind)
    env.update(txt=neutralise, parse=_parse_utc)
    source = "def row(r, day, clock, stamp):\n" + body
    return _compile("row", source, env)
