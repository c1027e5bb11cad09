"""Parsing the WHEN of docs/design.md: `now`, ISO 8601, `today 08:00`, `yesterday 21:30`, `-90m`.

Pure: `now` is a parameter (aware, in the local zone); naive input is read in now's zone.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from backcare.domain import values
from backcare.errors import InputError

_RELATIVE = re.compile(r"^-(\d{1,6})\s*([mhd])$")
_DAY_WORD = re.compile(r"^(today|yesterday)(?:\s+(\d{1,2}):(\d{2}))?$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
WHEN_HELP = (
    "use now, an ISO date/time like 2026-03-01 08:00 or 2026-03-01T08:00+01:00, "
    "today 08:00, yesterday 21:30, or -90m / -2h / -3d"
)


def _localize(naive: datetime, zone: tzinfo | None) -> datetime:
    """Attach the local zone to a naive wall time (fold=0: the first of an ambiguous hour)."""
    return naive.replace(tzinfo=zone)


def parse_when(text: str, now: datetime) -> datetime:
    """An aware datetime for `text`, or InputError naming what is accepted.

    Years outside values.year_in_range (1900-2999) are refused: they cannot be stored, and
    windows around them (a day, the rules' 60 days) overflow Python's dates.
    """
    at = _parse_when(text, now)
    if not values.year_in_range(at.year):
        raise InputError(DATE_RANGE, WHEN_HELP)
    return at


DATE_RANGE = (
    f"that date is outside what backcare handles ({values.EARLIEST_YEAR} to {values.LATEST_YEAR})"
)


def _parse_when(text: str, now: datetime) -> datetime:
    value = " ".join(text.strip().lower().split())
    zone = now.tzinfo
    if value == "now":
        return now
    match = _RELATIVE.match(value)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2)]
        try:
            # In real time: "-2h" across a DST change is two hours ago, not two wall hours.
            return (now.astimezone(UTC) - timedelta(**{unit: amount})).astimezone(zone)
        except OverflowError as exc:
            raise InputError("that time is too far back", WHEN_HELP) from exc
    match = _DAY_WORD.match(value)
    if match:
        day = now.astimezone(zone).date()
        if match.group(1) == "yesterday":
            day -= timedelta(days=1)
        hour, minute = (int(match.group(2)), int(match.group(3))) if match.group(2) else (0, 0)
        if match.group(2) is None and match.group(1) == "today":
            return now
        if hour > 23 or minute > 59:
            raise InputError("not a valid time of day", WHEN_HELP)
        return _localize(datetime.combine(day, time(hour, minute)), zone)
    try:
        parsed = datetime.fromisoformat(value.upper().replace(" ", "T", 1))
    except ValueError as exc:
        raise InputError("not a date/time backcare understands", WHEN_HELP) from exc
    if parsed.tzinfo is None:
        return _localize(parsed, zone)
    return parsed


EARLIEST_YEAR = values.EARLIEST_YEAR


def _plausible(at: datetime) -> datetime:
    if at.year < EARLIEST_YEAR:
        raise InputError(f"that date is before {EARLIEST_YEAR}", WHEN_HELP)
    return at


def parse_event_time(text: str | None, now: datetime) -> datetime:
    """WHEN for `--at`: omitted means now; the future is an error (a minute of clock skew ok).

    The limits are `domain/values.time_problem`'s, as for import and db check.
    """
    if text is None:
        return now
    at = _plausible(parse_when(text, now))
    problem = values.time_problem(at, now)
    if problem == values.IN_FUTURE:
        raise InputError("--at is in the future", "log what already happened; " + WHEN_HELP)
    if problem is not None:
        raise InputError(f"that date is before {EARLIEST_YEAR}", WHEN_HELP)
    return at


def parse_date(text: str, option: str) -> date:
    """A calendar date for --from/--to (ISO `2026-03-01`, `today`, `yesterday` are not here:
    dates are plain ISO)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(f"{option} is not a date", "use YYYY-MM-DD, e.g. 2026-03-01") from exc
    if not values.year_in_range(day.year):
        raise InputError(f"{option}: {DATE_RANGE}", "use YYYY-MM-DD, e.g. 2026-03-01")
    return day
