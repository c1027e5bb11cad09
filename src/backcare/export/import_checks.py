"""The importer's per-kind checks, compiled once from the declarations (domain/entries.py).

`checks(kind)` gives `check(item, now)`: the item's domain record, every declared field of
`kind` checked in declared order (the row's stamps right after `at`, an event's never in the
future), with its created_at (`now` when absent) and deleted_at.

Each field is read from the item's dict once and taken at once when it is a value that
field plainly accepts (a whole number in range, a printable text within its limit, a known
choice, a time in the exporter's own UTC form "...+00:00" within the stored range); any
other value (missing, null, out of range, another time form, a wrong type) goes to the
item's validator method (export/importer.py `_Item`), which gives the same value or the
same error as before (issue 18: a 10-year import made 1.3M dictionary reads through
`_Item.get` and parsed every time through three method calls). The fast test only ever
accepts what the validator accepts, and returns what it returns.

Generated source, like the row converters (store/declared.py) and writers (export/derive.py):
only declared names (checked identifiers) reach it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Final

from backcare.domain import entries, values

if TYPE_CHECKING:
    from backcare.export.importer import _Item

MISSING: Final = object()  # the importer's marker of an absent key (importer._MISSING)

# A uid in the form backcare writes (str(uuid.UUID)): taken as it is.
CANONICAL_UID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_UTC_SUFFIX = "+00:00"


def utc_moment(value: object, soon: datetime | None) -> datetime | None:
    """`value` as the aware UTC moment `_Item.moment` gives, when it is in the exporter's
    form (derive.iso_utc: "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00") and stored-range (not
    before 1900; with `soon`, not after it); None for anything else (the validator
    decides). fromisoformat gives a "+00:00" time the UTC zone object itself, so the
    moment is the one astimezone(UTC) would give."""
    if type(value) is not str or len(value) not in (25, 32) or not value.endswith(_UTC_SUFFIX):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is not UTC or moment < values.EARLIEST or (soon is not None and moment > soon):
        return None
    return moment


def _span(minutes: int | None) -> timedelta | None:
    return None if minutes is None else timedelta(minutes=minutes)


def _slow(spec: entries.Field, key: str, *, past: bool = False) -> str:
    """The validator call that checks one declared field, by its form."""
    form, req = spec.form, f"required={spec.required}"
    low, high, limit = int(spec.low or 0), spec.high or 0, spec.limit or 0
    calls = {
        entries.INT: f"item.integer({key!r}, {low}, {int(high)}, {req})",
        entries.SPAN: f"span(item.integer({key!r}, {low}, {int(high)}, {req}))",
        entries.MG: f"item.dose({key!r}, {float(high)!r}, {req})",
        entries.TEXT: f"item.text({key!r}, {limit}, {req})",
        entries.NAME: f"item.name({key!r}, {limit}, {spec.noun!r}, {req})",
        entries.CHOICE: f"item.choice({key!r}, choices_{spec.name}, {req})",
        entries.BOOL: f"item.flag({key!r}, {req}, default={bool(spec.default)})",
        entries.TIME: f"item.moment({key!r}, {req}{', now=now' if past else ''})",
        entries.CODES: f"item.codes({key!r}, choices_{spec.name})",
        entries.LINES: f"item.lines({key!r}, {int(high)}, {limit})",
        entries.ANSWERS: f"item.answers({key!r})",
        entries.GOALS: f"item.texts({key!r}, {int(high)}, {limit})",
    }
    return calls[form]


def _fast(spec: entries.Field, *, past: bool = False) -> tuple[str, str] | None:
    """(test, value) over `x`, the field's raw value: when the test holds, the validator
    would return that value. None: the form has no fast test (lists: few and short)."""
    form = spec.form
    low, high, limit = int(spec.low or 0), spec.high or 0, spec.limit or 0
    absent = None
    if not spec.required:  # absent or null, optional: what the validator gives for it
        absent = {
            entries.INT: "None",
            entries.SPAN: "None",
            entries.MG: "None",
            entries.TEXT: "None",
            entries.NAME: "None",
            entries.CHOICE: "None",
            entries.BOOL: repr(bool(spec.default)),
            entries.TIME: "None",
        }.get(form)
    tests = {
        entries.INT: (f"type(x) is int and {low} <= x <= {int(high)}", "x"),
        entries.SPAN: (f"type(x) is int and {low} <= x <= {int(high)}", "span(x)"),
        entries.MG: (f"type(x) is int and 0 < x <= {float(high)!r}", "x"),
        entries.TEXT: (f"type(x) is str and len(x) <= {limit} and x.isprintable()", "x"),
        entries.CHOICE: (f"type(x) is str and x in choices_{spec.name}", "x"),
        entries.BOOL: ("type(x) is bool", "x"),
        entries.TIME: (f"(m := utc({'x, soon' if past else 'x, None'})) is not None", "m"),
    }
    test = tests.get(form)
    if test is None and absent is None:
        return None
    if absent is not None:
        unset = "x is MISSING or x is None"
        if test is None:
            return (unset, absent)
        return (f"{unset} or {test[0]}", f"{absent} if {unset} else {test[1]}")
    return test


def _field(name: str, spec: entries.Field, key: str, *, past: bool = False) -> list[str]:
    fast = _fast(spec, past=past)
    slow = _slow(spec, key, past=past)
    if fast is None:
        return [f"    {name} = {slow}"]
    test, value = fast
    return [f"    x = get({key!r}, MISSING)", f"    {name} = {value} if {test} else {slow}"]


def checks(kind: entries.Kind) -> Callable[[_Item, datetime], entries.Stored]:
    """`check(item, now)` of `kind` (see the module docstring)."""
    lines = [
        "    get = item.values.get",
        "    soon = now + skew",
        "    x = get('uid', MISSING)",
        "    uid = x if type(x) is str and canonical(x) else item.uid()",
    ]
    fields = ["uid=uid"]
    env: dict[str, object] = {
        "span": _span,
        "Model": kind.model,
        "MISSING": MISSING,
        "utc": utc_moment,
        "skew": values.FUTURE_SKEW,
        "canonical": CANONICAL_UID.fullmatch,
    }
    for spec in kind.fields:
        if spec.choices:
            env[f"choices_{spec.name}"] = spec.choices
        if spec.name == "at":
            stamp = entries.Field("stamp", entries.TIME)
            lines += _field("at", spec, spec.key, past=spec.past)
            lines += _field("created", stamp, "created_at", past=kind.event)
            lines.append("    created = created or now")
            lines += _field("deleted", stamp, "deleted_at", past=kind.event)
            fields.append("at=at")
        else:
            lines += _field(f"v_{spec.name}", spec, spec.key, past=spec.past)
            fields.append(f"{spec.name}=v_{spec.name}")
    lines.append(f"    return Model({', '.join(fields)}), created, deleted")
    source = "def check(item, now):\n" + "\n".join(lines) + "\n"
    return entries.compile_function("check", source, env)
