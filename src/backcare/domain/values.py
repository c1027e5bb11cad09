"""What a valid stored value is: one definition for the CLI, `import` and `db check`.

Issue 14 case 4: the three entry points disagreed (import took events in 2099 and a
birth year of 2500 that `db check` then reported; `log` stored a DEL that `import` refused,
so an export of the CLI's own data could not be imported). Every check here is pure (the
clock is a parameter); `domain/inputs.py` and `domain/when.py` (the CLI),
`export/importer.py` and `store/maintenance.py` (`db check`, through a SQL function made
from `text_problem`) all derive their checks from these definitions.

Where the reading was open, the safer one:
- Text (notes, drug names) may hold any printable character, tab and newline. Other
  control characters (C0 such as ESC and CR, DEL, the C1 range) and unpaired surrogates
  are refused everywhere: they can rewrite a terminal (a leading CR printed "pain 1/10"
  over "pain 9/10") and cannot be written as UTF-8. An older backcare stored DEL and C1
  characters from `--note`; `db check` now reports such notes, and `history` shows them
  as visible escapes (cli/render.shown).
- A note is at most NOTE_LIMIT characters on every path (import allowed 10,000).
- Times: from EARLIEST_YEAR on (the schema's sortable UTC form has four-digit years), and
  never more than FUTURE_SKEW ahead of the clock.
- Birth year: EARLIEST_YEAR to the current year.
- Dates a person names to read (--from, --to, --as-of): EARLIEST_YEAR to LATEST_YEAR; a
  date outside is bad input (exit 2), not an "unexpected problem".
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

NOTE_LIMIT = 2000
DRUG_NAME_LIMIT = 60
EARLIEST_YEAR = 1900  # nobody logs back pain from before it; earlier years cannot be stored
EARLIEST = datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC)
# The last year a date option (--from/--to/--as-of) may name: no entry can be later (none is
# in the future), and date arithmetic near year 9999 overflows (a crash, issue 14 case 10).
LATEST_YEAR = 2999
FUTURE_SKEW = timedelta(minutes=1)  # a clock a minute ahead of another is not an error
TEXT_ALLOWED_CONTROLS = frozenset("\t\n")
# Format characters that reorder or hide the text after them (bidi embeddings, overrides,
# isolates, marks). Stored text may hold them (right-to-left writing needs some); what is
# shown is kept from them: escaped on a terminal (cli/render), left out of the report.
DIRECTION_MARKS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# What `text_problem` and `time_problem` return: codes, worded by the layer that shows them
# (the domain holds no words: docs/design.md "Words"; `import` words them from messages.py).
TOO_LONG = "too-long"
CONTROL = "control"
TOO_EARLY = "too-early"
IN_FUTURE = "future"


def bad_char(char: str) -> bool:
    """A character no stored text may hold (see the module docstring)."""
    if char in TEXT_ALLOWED_CONTROLS:
        return False
    return unicodedata.category(char) in ("Cc", "Cs")


# Characters that draw nothing on their own: spaces and separators, format characters
# (zero-width space, joiners, direction marks, BOM), controls, combining marks with nothing
# to sit on, unassigned code points, and the letters and symbols that are blank by design.
_BLANK_CATEGORIES = frozenset(("Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Cn", "Mn", "Me"))
_BLANK_GLYPHS = frozenset("\u115f\u1160\u2800\u3164\uffa0")  # Hangul fillers, braille blank


def visible(value: str) -> bool:
    """Whether `value` holds a character that draws something: a PSFS activity must (one
    of U+200B or U+202E alone was stored, and the report quoted it as an empty “”)."""
    return any(
        c not in _BLANK_GLYPHS and unicodedata.category(c) not in _BLANK_CATEGORIES for c in value
    )


def text_problem(value: str, limit: int) -> str | None:
    """None when `value` is valid text of at most `limit` characters; else what is wrong."""
    if len(value) > limit:
        return TOO_LONG
    if not value.isprintable() and any(bad_char(c) for c in value):
        return CONTROL
    return None


def time_problem(at: datetime, now: datetime) -> str | None:
    """None when the aware `at` is a time backcare stores, given the clock `now`."""
    if at.year < EARLIEST_YEAR or at < EARLIEST:
        return TOO_EARLY
    if at > now + FUTURE_SKEW:
        return IN_FUTURE
    return None


def birth_year_ok(year: int, this_year: int) -> bool:
    return EARLIEST_YEAR <= year <= this_year


def birth_date_ok(born: date, today: date) -> bool:
    """A date of birth: EARLIEST_YEAR-01-01 to `today`."""
    return EARLIEST.date() <= born <= today


def year_in_range(year: int) -> bool:
    """A year a date option may name (EARLIEST_YEAR to LATEST_YEAR)."""
    return EARLIEST_YEAR <= year <= LATEST_YEAR
