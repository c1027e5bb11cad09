"""The one JSON format: every `--json` output and every JSON file backcare writes (export
json, export fhir) is serialized here, so they cannot drift apart.

- Compact: separators `,` and `:` (no spaces, no indent): one value per line, the smallest
  output, and Python's C encoder.
- UTF-8 text (`ensure_ascii=False`): a note in French or Greek stays readable; control
  characters are still escaped by the encoder, as JSON requires.
- No NaN or Infinity (`allow_nan=False`): they are not JSON; a bug that makes one fails loudly
  instead of writing a file other programs cannot read.
- Keys in the order the caller built them (no sorting): the documented field order.
- Values JSON has no type for: a datetime as ISO 8601 with its offset
  (`2026-03-02T08:00:00+00:00`), a date as `2026-03-02`, a time as `08:00` (or `08:00:30`
  with seconds), a Fraction or Decimal as a number, a set as a sorted list. Callers usually
  convert first (an exact local time, a rounded mean); this is the one fallback.
- A long list (history, a FHIR bundle's entries) is streamed by `json_list` one compact item
  per line between `[` and `]`, never all in memory.

Not here: store/repo's json.dumps of the change_log payload (the undo journal) and of an
acknowledgement's evidence keys. Those are columns in the database, never printed or
exported as they are, read back only by the store; their text must stay what rows already
stored hold, whatever the output format becomes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, TypeAlias, Union

if TYPE_CHECKING:
    from decimal import Decimal
    from fractions import Fraction

SEPARATORS = (",", ":")

# What `dumps` takes: JSON's own values and the few it converts (above). mypy checks every
# value handed to `dumps`/`json_list` against it.
JSONValue: TypeAlias = Union[  # not `|`: it cannot join the quoted names at run time
    bool,
    int,
    float,
    str,
    datetime,
    date,
    time,
    "Fraction",
    "Decimal",
    Sequence["JSONValue"],
    AbstractSet[str],
    Mapping[str, "JSONValue"],
    None,
]
# One JSON object, as a `*_as_dict`/`*_json` function builds it for output or `json.loads`
# reads it: the one place `Any` stands for a JSON value (tests/test_no_any.py allows it
# here only). A member's type depends on its key, which a plain dict cannot say, so readers
# (tests, the importer) index it as `json.loads`'s own result (typeshed: Any).
JSONObject: TypeAlias = dict[str, Any]  # type: ignore[explicit-any]


def _fallback(value: object) -> str | float | list[str]:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    from decimal import Decimal  # here, not at import: off the start-up path of --help
    from fractions import Fraction

    if isinstance(value, Fraction | Decimal):
        return float(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: JSONValue) -> str:
    """`value` as compact JSON text (one line, no trailing newline)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, separators=SEPARATORS, default=_fallback
    )


def json_list(items: Iterable[JSONValue], chunk: int = 1000) -> Iterator[str]:
    """A JSON list, one compact item per line, as text chunks (never all in memory)."""
    lines: list[str] = []
    separator = "[\n"
    for item in items:
        lines.append(separator + dumps(item))
        separator = ",\n"
        if len(lines) >= chunk:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + ("[]\n" if separator == "[\n" else "\n]\n")
