"""The WHEN parser (docs/design.md): table-driven, `now` fixed, local zone Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.when import parse_date, parse_event_time, parse_when
from backcare.errors import InputError

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 14, 30, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        ("  NOW ", NOW),
        ("-90m", NOW - timedelta(minutes=90)),
        ("-2h", NOW - timedelta(hours=2)),
        ("-3d", NOW - timedelta(days=3)),
        ("today", NOW),
        ("today 08:00", datetime(2026, 3, 10, 8, 0, tzinfo=LONDON)),
        ("yesterday 21:30", datetime(2026, 3, 9, 21, 30, tzinfo=LONDON)),
        ("yesterday", datetime(2026, 3, 9, 14, 30, tzinfo=LONDON)),  # now's time of day
        ("2026-03-01 08:00", datetime(2026, 3, 1, 8, 0, tzinfo=LONDON)),
        ("2026-03-01T08:00", datetime(2026, 3, 1, 8, 0, tzinfo=LONDON)),
        ("2026-03-01", datetime(2026, 3, 1, 0, 0, tzinfo=LONDON)),
        ("2026-03-01T08:00+01:00", datetime(2026, 3, 1, 7, 0, tzinfo=UTC)),
        ("2026-03-01T08:00Z", datetime(2026, 3, 1, 8, 0, tzinfo=UTC)),
    ],
)
def test_parse_when(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


def test_local_wall_time_across_dst_keeps_the_wall_clock() -> None:
    summer = parse_when("2026-07-01 08:00", NOW)
    assert summer.utcoffset() == timedelta(hours=1)
    assert summer.astimezone(UTC).hour == 7


@pytest.mark.parametrize(
    "text",
    [
        "",
        "soon",
        "+2h",
        "-2y",
        "2026-13-45",
        "today 25:00",
        "yesterday 12:61",
        "2026-02-30 08:00",
        "-9999999d",
        "1e5",
    ],
)
def test_bad_when_is_input_error(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_when(text, NOW)
    assert caught.value.hint and "-90m" in caught.value.hint


def test_event_time_in_the_future_is_an_error_but_a_minute_of_skew_is_not() -> None:
    assert parse_event_time(None, NOW) == NOW
    assert parse_event_time("now", NOW) == NOW
    with pytest.raises(InputError, match="future"):
        parse_event_time("2026-03-10 15:00", NOW)
    assert parse_event_time(NOW.replace(second=50).isoformat(), NOW) is not None


def test_parse_date() -> None:
    assert parse_date("2026-03-01", "--from") == date(2026, 3, 1)
    with pytest.raises(InputError, match=r"--to .* is not a date"):
        parse_date("March", "--to")


def test_relative_time_is_real_time_across_the_spring_change() -> None:
    """London skips 01:00-02:00 on 2026-03-29: two hours before 03:30 BST is 00:30 GMT."""
    now = datetime(2026, 3, 29, 3, 30, tzinfo=LONDON)
    earlier = parse_when("-2h", now)
    assert now - earlier != timedelta(hours=2) or earlier.utcoffset() == now.utcoffset()
    assert (now.astimezone(UTC) - earlier.astimezone(UTC)) == timedelta(hours=2)
    assert earlier.hour == 0 and earlier.minute == 30 and earlier.utcoffset() == timedelta(0)


def test_local_zone_follows_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    from backcare.cli.context import local_zone

    monkeypatch.setenv("TZ", "America/New_York")
    local_zone.cache_clear()
    assert str(local_zone()) == "America/New_York"
    monkeypatch.setenv("TZ", "EST5EDT")
    local_zone.cache_clear()
    assert datetime(2026, 7, 1, tzinfo=local_zone()).utcoffset() == timedelta(hours=-4)
    local_zone.cache_clear()
