"""The store's side of the entry declarations (domain/entries.py): converters and CHECKs.

- `from_row(kind)`: a row (ORM instance or Core row) -> the domain record, compiled once
  per kind from its fields (column reads and the conversions their forms need);
- `to_row(kind)`: a domain record with its bookkeeping -> the column values to insert;
- `table_checks(kind)`: the CHECK constraints a kind's table keeps, as (name, SQL): the
  hard scales (0-10), the signs of counts and doses, 0/1 booleans, the UTC text of times.
  Migrations are frozen history; tests/store/test_declared_schema.py compares the schema
  a fresh migration builds with these.

`db check`'s value rules (store/maintenance.py) derive from the same fields.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from backcare.domain import entries
from backcare.store.schema import UTC_GLOB

STAMPS = entries.STAMPS


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in text.split(",") if code)


def _lines(text: str) -> frozenset[str]:
    return frozenset(json.loads(text))


def _answers(text: str) -> tuple[int, ...]:
    return tuple(int(a) for a in text.split(",") if a)


def answers_text(answers: Iterable[int | str]) -> str:
    """The stored form of a measure's answers: comma-separated whole numbers."""
    return ",".join(str(a) for a in answers)


def _goals(text: str | None) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def _goals_text(goals: tuple[str, ...]) -> str:
    return json.dumps(list(goals), ensure_ascii=False)


_ENV: dict[str, object] = {
    "timedelta": timedelta,
    "codes": _codes,
    "lines": _lines,
    "answers": _answers,
    "answers_text": answers_text,
    "goals": _goals,
    "goals_text": _goals_text,
    "dumps": json.dumps,
}


# How a column's stored value becomes the field's value (`{}`: the column), by form; a form
# not listed is stored as it is.
_READS = {
    entries.SPAN: "None if {0} is None else timedelta(minutes={0})",
    entries.CODES: "codes({0})",
    entries.LINES: "lines({0})",
    entries.ANSWERS: "answers({0})",
    entries.GOALS: "goals({0})",
}
# How a field's value is stored (`{}`: the value), by form.
_WRITES = {
    entries.SPAN: "None if {0} is None else int({0}.total_seconds() // 60)",
    entries.CODES: '",".join({0})',
    entries.LINES: "dumps(sorted({0}))",
    entries.ANSWERS: "answers_text({0})",
    entries.GOALS: "goals_text({0})",
}


def _read(spec: entries.Field) -> str:
    value = f"row.{spec.col}"
    if spec.form == entries.BOOL:
        return f"bool({value})" if spec.required or spec.default is not None else value
    return _READS.get(spec.form, "{0}").format(value)


def from_row(kind: entries.Kind) -> Callable[[object], entries.Record]:
    """`to_domain(row)`: the kind's domain record from its table row."""
    args = [f"{spec.name}={_read(spec)}" for spec in kind.fields]
    source = (
        "def to_domain(row):\n    return Model("
        + ", ".join([*args, "id=row.id", "uid=row.uid"])
        + ")\n"
    )
    return entries.compile_function("to_domain", source, {**_ENV, "Model": kind.model})


# --- raw rows (the hot reads, issue 18) -----------------------------------------------------


def raw_columns(kind: entries.Kind) -> tuple[str, ...]:
    """The columns a raw row of `kind` holds, in order: `from_raw(kind)` reads them."""
    return ("id", "uid", *(spec.col for spec in kind.fields))


def _read_raw(spec: entries.Field, value: str) -> str:
    if spec.form == entries.TIME:  # the stored UTC text (tables.UTCDateTime)
        return f"utc({value})" if spec.required else f"None if {value} is None else utc({value})"
    if spec.form == entries.BOOL and not (spec.required or spec.default is not None):
        return f"None if {value} is None else bool({value})"
    return _read(spec).replace(f"row.{spec.col}", value)


def from_raw(kind: entries.Kind) -> Callable[[entries.RawRow], entries.Record]:
    """`to_domain(row)` from a raw DBAPI row under `raw_columns(kind)`: the same record as
    `from_row` gives from a typed row, with no result-row object or per-value type
    processing in between (a write's rules read about 2,000 rows of a 10-year log, twice).
    The record is built with positional arguments in the class's field order when every
    field is one of the row's (half the cost of keywords)."""
    reads = {spec.name: _read_raw(spec, f"row[{i}]") for i, spec in enumerate(kind.fields, 2)}
    reads.update(id="row[0]", uid="row[1]")
    fields = dataclasses.fields(kind.model)
    if [f.name for f in fields if f.init and not f.kw_only] == [f.name for f in fields] and {
        f.name for f in fields
    } == set(reads):
        args = [reads[f.name] for f in fields]
    else:
        args = [f"{name}={read}" for name, read in reads.items()]
    source = "def to_domain(row):\n    return Model(" + ", ".join(args) + ")\n"
    env = {**_ENV, "Model": kind.model, "utc": datetime.fromisoformat}
    return entries.compile_function("to_domain", source, env)


def _write(spec: entries.Field) -> str:
    return _WRITES.get(spec.form, "{0}").format(f"e.{spec.name}")


def to_row(
    kind: entries.Kind,
) -> Callable[[entries.Record, datetime, datetime | None], dict[str, entries.Value]]:
    """`values(record, created_at, deleted_at)`: the column values of a new row, as keyword
    arguments of its table's INSERT."""
    parts = ['"uid": e.uid', '"created_at": c', '"deleted_at": d']
    parts += [f"{spec.col!r}: {_write(spec)}" for spec in kind.fields]
    source = "def values(e, c, d):\n    return {" + ", ".join(parts) + "}\n"
    return entries.compile_function("values", source, _ENV)


def updates(kind: entries.Kind, changes: dict[str, entries.Value]) -> dict[str, entries.Value]:
    """Domain field -> value changes as column -> stored value (an `edit`)."""
    out: dict[str, entries.Value] = {}
    for name, value in changes.items():
        spec = kind.field(name)
        if spec.form == entries.SPAN and isinstance(value, timedelta):
            out[spec.col] = int(value.total_seconds() // 60)
        elif spec.form == entries.ANSWERS and isinstance(value, tuple | list):
            out[spec.col] = answers_text(value)
        else:
            out[spec.col] = value
    return out


def _bound(value: float | None) -> str:
    assert value is not None
    return f"{value:g}"


def _nullable(spec: entries.Field, condition: str) -> str:
    return condition if spec.required else f"{spec.col} IS NULL OR {condition}"


def table_checks(kind: entries.Kind) -> tuple[tuple[str, str], ...]:
    """(constraint name, SQL) of the CHECKs the kind's table keeps, derived from its fields.

    Names are those of revision 0002_value_checks: `<check>_range` for a hard scale,
    `<check>_positive` for a sign, `<column>_bool`, `<column>_utc`; of 0008_measures:
    `<check>_known` for a choice, `<check>_numbers` for answers.
    """
    out: list[tuple[str, str]] = []
    for spec in kind.fields:
        col = spec.col
        if spec.check and spec.form == entries.CHOICE:
            known = f"{col} IN (" + ", ".join(f"'{c}'" for c in spec.choices) + ")"
            out.append((f"{spec.check}_known", _nullable(spec, known)))
        elif spec.check and spec.form == entries.ANSWERS:
            numbers = f"{col} != '' AND {col} NOT GLOB '*[^0-9,]*'"
            out.append((f"{spec.check}_numbers", _nullable(spec, numbers)))
        elif spec.check and spec.scale:
            between = f"{col} BETWEEN {_bound(spec.low)} AND {_bound(spec.high)}"
            out.append((f"{spec.check}_range", _nullable(spec, between)))
        elif spec.check:
            sign = ">=" if spec.low == 0 and spec.form != entries.MG else ">"
            out.append((f"{spec.check}_positive", _nullable(spec, f"{col} {sign} 0")))
        elif spec.form == entries.BOOL:
            out.append((f"{col}_bool", f"{col} IN (0, 1)"))
        if spec.form == entries.TIME:
            out.append((f"{col}_utc", _nullable(spec, f"{col} GLOB '{UTC_GLOB}'")))
            if spec.name == "at":
                out.append(("created_at_utc", f"created_at GLOB '{UTC_GLOB}'"))
                out.append(
                    ("deleted_at_utc", f"deleted_at IS NULL OR deleted_at GLOB '{UTC_GLOB}'")
                )
    return tuple(out)


# --- bulk insert (import, issue 18) --------------------------------------------------------


def utc_text(moment: datetime) -> str:
    """An aware moment as the one stored form (tables.UTCDateTime), every year padded to
    four digits (unlike strftime's %Y). Formatted from its fields: half the time of
    isoformat(timespec=...), which a 100k-event import calls twice a row (issue 18)."""
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % (  # noqa: UP031 (the fastest here)
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
    )


def insert_columns(kind: entries.Kind) -> tuple[str, ...]:
    """The columns `to_params(kind)` fills, in order."""
    return ("uid", *STAMPS, *(spec.col for spec in kind.fields))


def to_params(
    kind: entries.Kind,
) -> Callable[[entries.Record, datetime, datetime | None], tuple[object, ...]]:
    """`params(record, created_at, deleted_at)`: the row's values under `insert_columns`,
    times already in their stored text, ready for the driver's executemany (no per-value
    type processing: a 100k-event import spent more there than in SQLite)."""
    parts = ["e.uid", "utc(c)", "None if d is None else utc(d)"]
    for spec in kind.fields:
        value = _write(spec)
        if spec.form == entries.TIME:
            text = f"utc({value})"
            value = text if spec.required else f"None if {value} is None else {text}"
        parts.append(value)
    source = "def params(e, c, d):\n    return (" + ", ".join(parts) + ",)\n"
    return entries.compile_function("params", source, {**_ENV, "utc": utc_text})
