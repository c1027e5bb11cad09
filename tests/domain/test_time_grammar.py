"""The whole WHEN grammar of docs/time.md, table-driven: every phrase against a fixed `now`
(a Monday at 14:30) in two zones, on an ordinary day and on the days after both DST changes.

Expected values are written as wall-clock days back + time of day, as calendar dates, or as
real elapsed time, and placed in the zone here with zoneinfo (the first of a repeated hour).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.when import parse_date, parse_event_time, resolve_event_time, resolve_when
from backcare.errors import InputError

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")

# Each a Monday at 14:30: an ordinary day, and the Mondays after the spring and autumn changes.
NOWS = {
    "london-june": datetime(2026, 6, 15, 14, 30, tzinfo=LONDON),
    "london-after-spring": datetime(2026, 3, 30, 14, 30, tzinfo=LONDON),
    "london-after-autumn": datetime(2026, 10, 26, 14, 30, tzinfo=LONDON),
    "newyork-june": datetime(2026, 6, 15, 14, 30, tzinfo=NEW_YORK),
    "newyork-after-spring": datetime(2026, 3, 9, 14, 30, tzinfo=NEW_YORK),
    "newyork-after-autumn": datetime(2026, 11, 2, 14, 30, tzinfo=NEW_YORK),
}

# (phrase, days back on the wall calendar, wall time of day; None = now's time of day)
WALL: list[tuple[str, int, time | None]] = [
    ("8:00", 0, time(8)),
    ("08:00", 0, time(8)),
    ("8am", 0, time(8)),
    ("8 AM", 0, time(8)),
    ("12am", 0, time(0)),
    ("12pm", 0, time(12)),
    ("9.30am", 0, time(9, 30)),
    ("9:30 a.m.", 0, time(9, 30)),
    ("noon", 0, time(12)),
    ("midnight", 0, time(0)),
    ("today 8", 0, time(8)),
    ("today 08:00", 0, time(8)),
    ("today at 1pm", 0, time(13)),
    ("yesterday", 1, None),
    ("yesterday 9am", 1, time(9)),
    ("yesterday 9.30pm", 1, time(21, 30)),
    ("Yesterday  21:30", 1, time(21, 30)),
    ("yesterday at 9 pm", 1, time(21)),
    ("this morning", 0, time(8)),
    ("this afternoon", 0, time(14)),
    ("last night", 1, time(22)),
    ("yesterday morning", 1, time(8)),
    ("yesterday evening", 1, time(19)),
    # weekdays: the most recent such moment not after now (now is a Monday at 14:30)
    ("monday", 0, None),
    ("mon 08:00", 0, time(8)),
    ("monday 18:00", 7, time(18)),
    ("last monday 18:00", 7, time(18)),
    ("sunday", 1, None),
    ("sun 18:00", 1, time(18)),
    ("saturday 9am", 2, time(9)),
    ("friday evening", 3, time(19)),
    ("tuesday 8", 6, time(8)),
    ("wed", 5, None),
]

# (phrase, real time elapsed before now)
RELATIVE: list[tuple[str, timedelta]] = [
    ("now", timedelta(0)),
    ("today", timedelta(0)),
    ("-90m", timedelta(minutes=90)),
    ("-2h", timedelta(hours=2)),
    ("-2h30m", timedelta(hours=2, minutes=30)),
    ("-2h 30m", timedelta(hours=2, minutes=30)),
    ("-3d", timedelta(days=3)),
    ("-1d", timedelta(days=1)),
    ("-1w", timedelta(weeks=1)),
    ("2h ago", timedelta(hours=2)),
    ("90 min ago", timedelta(minutes=90)),
    ("90 minutes ago", timedelta(minutes=90)),
    ("1 hour ago", timedelta(hours=1)),
    ("2 hours and 15 mins ago", timedelta(hours=2, minutes=15)),
    ("3 days ago", timedelta(days=3)),
    ("2 weeks ago", timedelta(weeks=2)),
]

# (phrase, calendar date, wall time): dates without a year are the most recent one
CALENDAR: list[tuple[str, date, time]] = [
    ("20 Nov 09:00", date(2025, 11, 20), time(9)),
    ("Nov 20 9am", date(2025, 11, 20), time(9)),
    ("20 november 2025 9:15pm", date(2025, 11, 20), time(21, 15)),
    ("1st March", date(2026, 3, 1), time(0)),
    ("2026-03-01", date(2026, 3, 1), time(0)),
    ("2026-03-01 08:00", date(2026, 3, 1), time(8)),
    ("2026-03-01T08:00", date(2026, 3, 1), time(8)),
]


def _placed(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock).replace(tzinfo=zone, fold=0)


@pytest.mark.parametrize("now_key", list(NOWS))
@pytest.mark.parametrize(("phrase", "back", "clock"), WALL)
def test_wall_clock_phrases(now_key: str, phrase: str, back: int, clock: time | None) -> None:
    now = NOWS[now_key]
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    wall = clock or now.time()
    expected = _placed(now.date() - timedelta(days=back), wall, zone)
    got = resolve_when(phrase, now)
    assert got.at == expected
    assert got.at.utcoffset() == expected.utcoffset()  # the offset of that day, not of now
    assert got.note is None


@pytest.mark.parametrize("now_key", list(NOWS))
@pytest.mark.parametrize(("phrase", "elapsed"), RELATIVE)
def test_relative_phrases_count_real_time(now_key: str, phrase: str, elapsed: timedelta) -> None:
    now = NOWS[now_key]
    got = resolve_when(phrase, now).at
    assert now.astimezone(UTC) - got.astimezone(UTC) == elapsed


@pytest.mark.parametrize("now_key", list(NOWS))
@pytest.mark.parametrize(("phrase", "day", "clock"), CALENDAR)
def test_calendar_phrases(now_key: str, phrase: str, day: date, clock: time) -> None:
    now = NOWS[now_key]
    zone = now.tzinfo
    assert isinstance(zone, ZoneInfo)
    assert resolve_when(phrase, now).at == _placed(day, clock, zone)


def test_relative_days_cross_the_change_in_real_time() -> None:
    """London, the Monday after spring: -2d is 48 real hours, so 13:30 GMT on Saturday."""
    got = resolve_when("-2d", NOWS["london-after-spring"]).at
    assert (got.hour, got.minute, got.utcoffset()) == (13, 30, timedelta(0))
    got = resolve_when("-2d", NOWS["newyork-after-autumn"]).at
    assert (got.hour, got.utcoffset()) == (15, timedelta(hours=-4))


@pytest.mark.parametrize(
    ("zone", "phrase"),
    [
        (LONDON, "2026-03-29 01:30"),
        (NEW_YORK, "2026-03-08 02:30"),
        (BERLIN, "2026-03-29 02:30"),
        (BERLIN, "29 Mar 2026 2:30am"),
    ],
)
def test_a_time_the_clocks_skip_is_refused_with_the_reason(zone: ZoneInfo, phrase: str) -> None:
    now = datetime(2026, 6, 15, 14, 30, tzinfo=zone)
    with pytest.raises(InputError) as caught:
        resolve_when(phrase, now)
    assert phrase in caught.value.message
    assert "clocks jump forward" in caught.value.message
    assert caught.value.hint


@pytest.mark.parametrize(
    ("now_key", "phrase", "offset"),
    [
        ("london-after-autumn", "yesterday 01:30", timedelta(hours=1)),
        ("newyork-after-autumn", "yesterday 01:30", timedelta(hours=-4)),
        ("london-june", "2026-10-25 01:15", timedelta(hours=1)),
    ],
)
def test_a_repeated_time_is_the_first_and_says_so(
    now_key: str, phrase: str, offset: timedelta
) -> None:
    got = resolve_event_time(phrase, NOWS[now_key]) if "yesterday" in phrase else None
    got = got or resolve_when(phrase, NOWS[now_key])
    assert got.at.utcoffset() == offset
    assert got.note is not None and "twice" in got.note and "first" in got.note


def test_the_berlin_autumn_repeat() -> None:
    now = datetime(2026, 11, 1, 12, 0, tzinfo=BERLIN)
    got = resolve_event_time("2026-10-25 02:30", now)
    assert got.at.utcoffset() == timedelta(hours=2)
    assert got.note is not None and "UTC+02:00" in got.note


def test_a_weekday_on_that_weekday_is_never_in_the_future_for_at() -> None:
    now = NOWS["london-june"]  # Monday 14:30
    assert parse_event_time("monday", now) == now
    assert parse_event_time("monday 14:30", now).date() == now.date()
    assert parse_event_time("monday 14:31", now).date() == now.date() - timedelta(days=7)


@pytest.mark.parametrize(
    ("phrase", "shown"),
    [
        ("11/20", ["2026-11-20"]),
        ("3/4", ["2026-03-04", "2026-04-03"]),
        ("04/03/2026", ["2026-04-03", "2026-03-04"]),
    ],
)
def test_a_slashed_date_is_refused_offering_the_readings(phrase: str, shown: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        resolve_when(phrase, NOWS["london-june"])
    assert phrase in caught.value.message and "ambiguous" in caught.value.message
    assert caught.value.hint is not None
    for reading in shown:
        assert reading in caught.value.hint


@pytest.mark.parametrize(
    "phrase",
    [
        "soon",
        "8",
        "+2h",
        "-2y",
        "today 25:00",
        "today 25",
        "13pm",
        "yesterday 12:61",
        "this",
        "last",
        "31 Feb",
        "2026-02-30 08:00",
        "-9999999d",
        "1e5",
        "monday 8 blah",
    ],
)
def test_errors_repeat_the_typed_time(phrase: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_when(phrase, NOWS["london-june"])
    assert f'"{phrase}' in caught.value.message
    assert caught.value.hint


def test_a_control_character_is_not_echoed() -> None:
    with pytest.raises(InputError) as caught:
        resolve_when("8\x1b[31m", NOWS["london-june"])
    assert "\x1b" not in caught.value.message


def test_a_time_later_today_is_in_the_future_for_at() -> None:
    with pytest.raises(InputError) as caught:
        parse_event_time("9pm", NOWS["london-june"])
    assert '"9pm"' in caught.value.message and "future" in caught.value.message


@pytest.mark.parametrize("now_key", ["london-june", "newyork-after-spring", "london-after-autumn"])
@pytest.mark.parametrize(
    ("phrase", "back"),
    [
        ("today", 0),
        ("yesterday", 1),
        ("monday", 0),
        ("sunday", 1),
        ("last friday", 3),
        ("-7d", 7),
        ("-1w", 7),
        ("2 weeks ago", 14),
        ("3 days ago", 3),
        ("this morning", 0),
    ],
)
def test_from_and_to_take_the_same_words(now_key: str, phrase: str, back: int) -> None:
    now = NOWS[now_key]
    assert parse_date(phrase, "--from", now) == now.date() - timedelta(days=back)


def test_from_and_to_dates() -> None:
    now = NOWS["london-june"]
    assert parse_date("2026-03-01", "--from", now) == date(2026, 3, 1)
    assert parse_date("20 Nov", "--to", now) == date(2025, 11, 20)
    assert parse_date("Jun 15", "--to", now) == date(2026, 6, 15)
    with pytest.raises(InputError, match='--to "March" is not a date'):
        parse_date("March", "--to", now)
    with pytest.raises(InputError, match="ambiguous"):
        parse_date("11/20", "--from", now)
