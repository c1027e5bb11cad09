"""Parsing WHEN the way people type it (docs/time.md): `8am`, `yesterday 21:30`, `2h ago`...

Pure: `now` is a parameter (aware, in the local zone); naive input is read in now's zone.

The grammar, after lower-casing and collapsing spaces:

- `now`; `today` (= now); `yesterday` (= yesterday at the current time of day);
- a relative time in real (elapsed) time: `-90m`, `-2h30m`, `-1w`, `2h ago`, `90 min ago`;
- a time of day alone, taken as today: `8:00`, `08:00`, `8am`, `9.30pm`, `noon`, `midnight`;
- a part of the day: `this morning` (08:00), `this afternoon` (14:00), `this evening`
  (19:00), `last night` (yesterday 22:00); `yesterday morning`, `monday evening`...;
- a DAY, optionally followed by a time (`at` between them is allowed): DAY is `today`,
  `yesterday`, a weekday (`monday`, `mon`, `last monday`), `20 Nov [2026]`, `Nov 20 [2026]`
  or an ISO date; after a DAY a bare hour is a time (`today 8` = 08:00);
- ISO 8601: `2026-03-01`, `2026-03-01 08:00`, `2026-03-01T08:00+01:00`.

A weekday is the most recent such day, today included; with a time it is the most recent
such moment that is not after `now` (on a Monday at 10:00, `monday 18:00` is a week ago,
`monday 08:00` is today). A date without a year is the most recent one (this year unless
that is after today). A day word alone keeps the current time of day (`yesterday`,
`monday`); a calendar date alone is its midnight. `11/20` is refused: the reader cannot tell
month/day from day/month. A wall time the clocks skip (spring) is refused; one that happens
twice (autumn) is the first, and `resolve_when` returns a note saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from backcare import messages as msg
from backcare.domain import values
from backcare.errors import InputError

WHEN_HELP = msg.WHEN_HELP
EARLIEST_YEAR = values.EARLIEST_YEAR
# Years outside values.year_in_range (1900-2999) are refused: they cannot be stored, and
# windows around them (a day, the rules' 60 days) overflow Python's dates.
DATE_RANGE = msg.DATE_OUT_OF_RANGE.format(first=values.EARLIEST_YEAR, last=values.LATEST_YEAR)
_ECHO_LIMIT = 24  # with the longest message, still 80 columns (tests/cli/test_time_error_width.py)

_UNIT_WORDS: dict[str, str] = {}
for _unit, _words in {
    "weeks": ("w", "wk", "wks", "week", "weeks"),
    "days": ("d", "day", "days"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
}.items():
    for _word in _words:
        _UNIT_WORDS[_word] = _unit
_PART = r"(\d{1,6})\s*(" + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True)) + r")"
_DURATION = re.compile(rf"^(?:{_PART}(?:\s*,?\s*(?:and\s+)?|$))+$")
_DURATION_PART = re.compile(_PART)
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_NAMED_TIMES = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
PARTS_OF_DAY = {
    "morning": time(8, 0),
    "afternoon": time(14, 0),
    "evening": time(19, 0),
    "night": time(22, 0),
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_WORDS = {name: i for i, name in enumerate(WEEKDAYS)} | {
    name[:3]: i for i, name in enumerate(WEEKDAYS)
}
_WEEKDAY_WORDS |= {"tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3}
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_WORDS = {name: i + 1 for i, name in enumerate(MONTHS)} | {
    name[:3]: i + 1 for i, name in enumerate(MONTHS)
}
_MONTH_WORDS |= {"sept": 9}
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:\s+(\d{4}))?$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?$")


@dataclass(frozen=True)
class When:
    """A parsed time, and a note for the person when the reading needs saying."""

    at: datetime
    note: str | None = None


@dataclass(frozen=True)
class _Wall:
    """A local wall time still to be placed in the zone."""

    day: date
    clock: time


def echo(text: str) -> str:
    """The typed time, safe to repeat in an error: printable characters, at most 24
    columns (a wide character, as in Chinese, Japanese or Korean, takes two)."""
    cleaned = "".join(c if c.isprintable() else "?" for c in " ".join(text.split()))
    widths = [2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in cleaned]
    if sum(widths) <= _ECHO_LIMIT:
        return cleaned
    kept, used = 0, 0
    while used + widths[kept] <= _ECHO_LIMIT - 1:  # one column for the "…"
        used += widths[kept]
        kept += 1
    return cleaned[:kept] + "…"


def _unknown(text: str) -> InputError:
    return InputError(msg.WHEN_UNKNOWN.format(text=echo(text)), WHEN_HELP)


def _clock(token: str, text: str, *, bare_hour: bool) -> time | None:
    """`8:00`, `8am`, `9.30pm`, `noon`; a bare `8` only when `bare_hour` (after a DAY)."""
    if token in _NAMED_TIMES:
        return _NAMED_TIMES[token]
    match = _CLOCK.match(token)
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if match.group(2) is None and half is None and not bare_hour:
        return None
    if minute > 59:
        raise InputError(msg.WHEN_BAD_TIME.format(text=echo(text)), WHEN_HELP)
    if half is not None:
        if not 1 <= hour <= 12:
            raise InputError(msg.WHEN_BAD_TIME.format(text=echo(text)), WHEN_HELP)
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23:
        raise InputError(msg.WHEN_BAD_TIME.format(text=echo(text)), WHEN_HELP)
    return time(hour, minute)


def _calendar(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InputError(msg.WHEN_BAD_DATE.format(text=echo(text)), WHEN_HELP) from None


def _slashed(match: re.Match[str], text: str, today: date) -> InputError:
    """`11/20`: refuse, offering each valid reading (month/day and day/month)."""
    first, second = int(match.group(1)), int(match.group(2))
    year_text = match.group(3)
    year = today.year if year_text is None else int(year_text)
    if year_text is not None and len(year_text) == 2:
        year += 2000
    readings = []
    for month, day in ((first, second), (second, first)):
        try:
            reading = date(year, month, day)
        except ValueError:
            continue
        iso = reading.isoformat()
        label = f"{iso} ({reading.day} {MONTHS[month - 1][:3].title()})"
        if label not in readings:
            readings.append(label)
    if not readings:
        return InputError(msg.WHEN_BAD_DATE.format(text=echo(text)), WHEN_HELP)
    hint = msg.WHEN_AMBIGUOUS_DATE_HINT if len(readings) > 1 else msg.WHEN_AMBIGUOUS_DATE_ONE
    return InputError(
        msg.WHEN_AMBIGUOUS_DATE.format(text=echo(text)), hint.format(readings=" or ".join(readings))
    )


def _yearless(month: int, day: int, year: str | None, today: date, text: str) -> date:
    if year is not None:
        return _calendar(int(year), month, day, text)
    try:
        candidate = date(today.year, month, day)
    except ValueError:
        # 29 Feb in a year without it: the most recent year that has it, if last year does.
        return _calendar(today.year - 1, month, day, text)
    if candidate > today:
        return _calendar(today.year - 1, month, day, text)
    return candidate


@dataclass(frozen=True)
class _Day:
    day: date
    weekday: bool = False  # a weekday name: step back a week if the moment is after now
    named: bool = False  # a day word (today, yesterday, a weekday): alone, keeps the clock


def _day(words: str, today: date, text: str) -> _Day | None:
    if words == "today":
        return _Day(today, named=True)
    if words == "yesterday":
        return _Day(today - timedelta(days=1), named=True)
    name = words.removeprefix("last ").removeprefix("on ")
    if name in _WEEKDAY_WORDS:
        back = (today.weekday() - _WEEKDAY_WORDS[name]) % 7
        return _Day(today - timedelta(days=back), weekday=True, named=True)
    if _ISO_DATE.match(words):
        try:
            return _Day(date.fromisoformat(words))
        except ValueError:
            raise InputError(msg.WHEN_BAD_DATE.format(text=echo(text)), WHEN_HELP) from None
    slashed = _SLASHED.match(words)
    if slashed:
        raise _slashed(slashed, text, today)
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.match(words)
        if match and match.group(month_group) in _MONTH_WORDS:
            month = _MONTH_WORDS[match.group(month_group)]
            return _Day(_yearless(month, int(match.group(day_group)), match.group(3), today, text))
    return None


def _relative(value: str, now: datetime, text: str) -> datetime | None:
    body = value
    if value.startswith("-"):
        body = value[1:].strip()
    elif value.endswith(" ago"):
        body = value[: -len(" ago")].strip()
    else:
        return None
    if not body or not _DURATION.match(body):
        return None
    amounts: dict[str, int] = {}
    for amount, unit in _DURATION_PART.findall(body):
        key = _UNIT_WORDS[unit]
        amounts[key] = amounts.get(key, 0) + int(amount)
    try:
        # In real time: "-2h" across a DST change is two hours ago, not two wall hours.
        return (now.astimezone(UTC) - timedelta(**amounts)).astimezone(now.tzinfo)
    except OverflowError:
        raise InputError(msg.WHEN_TOO_FAR.format(text=echo(text)), WHEN_HELP) from None


def _wall(value: str, now: datetime, text: str) -> _Wall | None:
    """A DAY and/or a time of day as a local wall time; None when the phrase is not one."""
    today = now.date()
    current = now.time().replace(tzinfo=None)
    clock = _clock(value, text, bare_hour=False)
    if clock is not None:
        return _Wall(today, clock)
    words = value.split(" ")
    if words[-1] in PARTS_OF_DAY and len(words) > 1:
        head = " ".join(words[:-1])
        if head == "this" and words[-1] != "night":
            head = "today"
        elif head == "last" and words[-1] == "night":
            head = "yesterday"
        found = _day(head, today, text)
        if found is not None:
            return _placed(found, PARTS_OF_DAY[words[-1]], now)
    found = _day(value, today, text)
    if found is not None:
        if found.named:
            return _placed(found, current, now)
        return _Wall(found.day, time(0, 0))
    for split in (2, 1):
        if len(words) <= split:
            continue
        day_words = words[:-split]
        if day_words[-1] == "at":
            day_words = day_words[:-1]
        clock = _clock(" ".join(words[-split:]), text, bare_hour=True)
        if clock is None or not day_words:
            continue
        found = _day(" ".join(day_words), today, text)
        if found is not None:
            return _placed(found, clock, now)
    return None


def _placed(found: _Day, clock: time, now: datetime) -> _Wall:
    day = found.day
    if found.weekday and datetime.combine(day, clock) > now.replace(tzinfo=None):
        day -= timedelta(days=7)
    return _Wall(day, clock)


def _localize(wall: _Wall, zone: tzinfo | None, text: str) -> When:
    """Place a wall time in the zone: refuse one the clocks skip, take the first of two."""
    naive = datetime.combine(wall.day, wall.clock)
    if wall.day.year < EARLIEST_YEAR:
        raise InputError(msg.WHEN_BEFORE.format(text=echo(text), year=EARLIEST_YEAR), WHEN_HELP)
    if not values.year_in_range(wall.day.year):
        raise InputError(DATE_RANGE, WHEN_HELP)
    first = naive.replace(tzinfo=zone, fold=0)
    try:
        back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    except (OverflowError, ValueError):
        raise _unknown(text) from None
    if back != naive:
        raise InputError(
            msg.WHEN_GAP.format(text=echo(text)),
            msg.WHEN_GAP_HINT.format(zone=_zone_name(zone, first)),
        )
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        offset = first.strftime("%z")
        return When(
            first,
            msg.WHEN_TWICE.format(
                local=naive.strftime("%Y-%m-%d %H:%M"), offset=f"{offset[:3]}:{offset[3:]}"
            ),
        )
    return When(first)


def _zone_name(zone: tzinfo | None, at: datetime) -> str:
    key = getattr(zone, "key", None)
    if isinstance(key, str) and key != "localtime":
        return key
    return at.tzname() or msg.LOCAL_TIME


def _normal(text: str) -> str:
    value = " ".join(text.strip().lower().split())
    return value.replace(" o'clock", "").replace("o'clock", "")


def resolve_when(text: str, now: datetime) -> When:
    """An aware datetime for `text` with an optional note, or InputError naming the time."""
    value = _normal(text)
    zone = now.tzinfo
    if value in ("now", "today", "just now"):
        return When(now)
    if len(value) > 80:
        raise _unknown(text)
    relative = _relative(value, now, text)
    if relative is not None:
        return When(relative)
    wall = _wall(value, now, text)
    if wall is not None:
        if wall.day == now.date() and wall.clock == now.time().replace(tzinfo=None):
            return When(now)  # `yesterday` etc. at the clock time of now: keep now's offset
        return _localize(wall, zone, text)
    try:
        parsed = datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except ValueError:
        raise _unknown(text) from None
    if parsed.tzinfo is None:
        return _localize(_Wall(parsed.date(), parsed.time()), zone, text)
    return When(parsed)


def parse_when(text: str, now: datetime) -> datetime:
    """An aware datetime for `text`, or InputError naming what is accepted."""
    at = resolve_when(text, now).at
    if not values.year_in_range(at.year):
        raise InputError(DATE_RANGE, WHEN_HELP)
    return at


def _plausible(at: datetime, text: str) -> datetime:
    if at.year < EARLIEST_YEAR:
        raise InputError(msg.WHEN_BEFORE.format(text=echo(text), year=EARLIEST_YEAR), WHEN_HELP)
    if not values.year_in_range(at.year):
        raise InputError(DATE_RANGE, WHEN_HELP)
    return at


def resolve_event_time(text: str | None, now: datetime) -> When:
    """WHEN for `--at`: omitted means now; the future is an error (a minute of clock skew ok)."""
    if text is None:
        return When(now)
    when = resolve_when(text, now)
    _plausible(when.at, text)
    if values.time_problem(when.at, now) == values.IN_FUTURE:
        raise InputError(msg.WHEN_FUTURE.format(text=echo(text)), msg.WHEN_FUTURE_HINT)
    return when


def parse_event_time(text: str | None, now: datetime) -> datetime:
    return resolve_event_time(text, now).at


def parse_date(text: str, option: str, now: datetime | None = None) -> date:
    """A calendar date for --from/--to: the same words as WHEN, read as the local date.

    Without `now` only ISO dates are understood (nothing to count back from)."""
    value = _normal(text)
    if now is None:
        try:
            return _in_range(date.fromisoformat(value), option)
        except ValueError:
            raise InputError(
                msg.DATE_UNKNOWN.format(option=option, text=echo(text)), msg.DATE_HELP
            ) from None
    try:
        relative = _relative(value, now, text)
        if relative is not None:
            return relative.date()
        if value in ("now", "today"):
            return now.date()
        wall = _wall(value, now, text)
        if wall is not None:
            return _in_range(wall.day, option)
        parsed = datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except InputError as exc:
        if "ambiguous" in exc.message:
            raise InputError(f"{option} {exc.message}", exc.hint) from None
        raise InputError(
            msg.DATE_UNKNOWN.format(option=option, text=echo(text)), msg.DATE_HELP
        ) from None
    except ValueError:
        raise InputError(
            msg.DATE_UNKNOWN.format(option=option, text=echo(text)), msg.DATE_HELP
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(now.tzinfo)
    return _in_range(parsed.date(), option)


def _in_range(day: date, option: str) -> date:
    if not values.year_in_range(day.year):
        raise InputError(f"{option}: {DATE_RANGE}", msg.DATE_HELP)
    return day
