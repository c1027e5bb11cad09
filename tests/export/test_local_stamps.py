"""`csv_export.local_stamps` (issue 18: export csv without a zone lookup per row) writes every
stored time exactly as converting it through the zone does, on transition days too."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import gettz

from backcare.export.csv_export import local_stamps

ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Asia/Kathmandu",  # +05:45, and +05:30 before 1986
    "Asia/Kolkata",
    "Pacific/Apia",  # skipped 30 December 2011
    "America/Sao_Paulo",
    "UTC",
]


def _zones() -> list[tzinfo]:
    posix = gettz("CET-1CEST,M3.5.0,M10.5.0/3")  # a POSIX TZ string (dateutil)
    assert posix is not None
    return [*(ZoneInfo(name) for name in ZONES), posix]


def _stored(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _around_transitions(zone: tzinfo) -> list[datetime]:
    """Times every 7 minutes through each day whose offset changes, 1901-2040."""
    found = []
    day = datetime(1901, 1, 1, tzinfo=UTC)
    while day.year < 2040:
        if (
            day.astimezone(zone).utcoffset()
            != (day + timedelta(days=1)).astimezone(zone).utcoffset()
        ):
            found += [day + timedelta(minutes=7 * i) for i in range(-210, 420)]
        day += timedelta(days=1)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("zone", _zones(), ids=[*ZONES, "posix"])
def test_every_time_as_the_zone_converts_it(zone: tzinfo) -> None:
    rng = random.Random(18)
    times = _around_transitions(zone)
    times += [
        datetime(1900, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(140 * 365 * 86400))
        for _ in range(20_000)
    ]
    # microseconds: none (isoformat leaves them out), some
    times = [t.replace(microsecond=rng.choice((0, 0, rng.randrange(1_000_000)))) for t in times]
    local = local_stamps(zone)
    for at in [*times, *sorted(times)]:  # in any order, and in time order (as an export)
        text = _stored(at)
        assert local(text) == datetime.fromisoformat(text).astimezone(zone).isoformat(), text


def test_a_time_not_in_the_stored_form_is_converted_through_the_zone() -> None:
    zone = ZoneInfo("Europe/London")
    local = local_stamps(zone)
    assert local("2026-07-01T12:00:00+00:00") == "2026-07-01T13:00:00+01:00"
    assert local("2026-01-01T12:00:00.500000Z") == "2026-01-01T12:00:00.500000+00:00"
    for bad in (
        "2026-13-01T12:00:00.000000Z",
        "2026-01-01T24:00:00.000000Z",
        "2026-01-01T12:00:60.000000Z",
        "2026-01-01T12:00:00.00000xZ",
    ):
        with pytest.raises(ValueError):
            local(bad)
    # what the zone reads (other separators, fewer digits) it still reads
    for other in (
        "2026-07-01 12:00:00.000000Z",
        "2026-07-01T12:00:00.5Z",
        "2026-07-01T12:00Z",
        "2026-07-01T12:00:00.000000",  # no zone: the zone of the machine, as before
    ):
        assert local(other) == datetime.fromisoformat(other).astimezone(zone).isoformat()
