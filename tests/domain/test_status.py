"""status.py: every expected number below is worked out by hand in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Flag, History, PainEntry, Profile, Treatment
from backcare.domain.status import (
    DOWN,
    FLAT,
    SPARKLINE_DAYS,
    STATUS_LOOKBACK,
    UP,
    NextDose,
    Reapply,
    load_since,
    status_view,
    trend_direction,
)

LON = ZoneInfo("Europe/London")  # GMT in winter (= UTC), BST (+1) from 2026-03-29 to 10-25
PROFILE = Profile()


def lon(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=LON)


def pain(at: datetime, value: int, spasms: int = 0) -> PainEntry:
    return PainEntry(at=at, pain=value, spasms=spasms)


def treat(at: datetime, kind: str, minutes: int | None = None) -> Treatment:
    return Treatment(at=at, kind=kind, minutes=minutes)


def med(at: datetime, drug: str, dose: float | None = None) -> Treatment:
    return Treatment(at=at, kind="medication", drug=drug, dose_mg=dose)


def flag(rule: str, level: str) -> Flag:
    return Flag(rule=rule, level=level, title=rule, advice="", source="")


# Mon 5 .. Thu 8 January 2026 (GMT = UTC). Onset Mon 08:00.
ONSET = lon(2026, 1, 5, 8)
WEEK = History(
    pain=(
        pain(ONSET, 7, spasms=3),
        pain(lon(2026, 1, 5, 20), 5),
        pain(lon(2026, 1, 8, 9), 4, spasms=1),
        pain(lon(2026, 1, 8, 18), 9, spasms=5),  # after as_of: ignored
    ),
    treatments=(
        med(lon(2026, 1, 7, 14), "ibuprofen", 200),  # more than 24 h before 15:00 Thu
        med(lon(2026, 1, 7, 16), "ibuprofen", 200),
        med(lon(2026, 1, 7, 23), "naproxen", 220),  # next 07:00 Thu: over by 15:00
        med(lon(2026, 1, 8, 8), "ibuprofen", 400),
        med(lon(2026, 1, 8, 9), "acetaminophen", 500),
        med(lon(2026, 1, 8, 10), "cyclobenzaprine", 5),  # no label interval: not listed
        med(lon(2026, 1, 8, 12, 30), "ibuprofen", 400),
        treat(lon(2026, 1, 8, 13, 30), "ice", minutes=20),
        med(lon(2026, 1, 8, 15, 30), "ibuprofen", 400),  # after as_of: ignored
    ),
)


def test_status_thursday_afternoon() -> None:
    as_of = lon(2026, 1, 8, 15)
    v = status_view(WEEK, PROFILE, [], as_of)

    assert v.today == date(2026, 1, 8)
    # Episode: 79 h since Mon 08:00 -> day floor(79 / 24) + 1 = 4.
    assert v.episode is not None
    assert v.episode.onset == ONSET
    assert (v.episode.day, v.episode.hours) == (4, 79.0)
    # Baseline: Mon 7 and 5 -> 6.0. Current: (Wed 15:00, Thu 15:00] -> [4] -> 4.0.
    assert (v.episode.baseline, v.episode.current) == (6.0, 4.0)
    assert v.trend is not None
    assert (v.trend.change, v.trend.direction) == (-2.0, DOWN)  # 2 points: improved

    assert v.today_pain == (WEEK.pain[2],)
    assert v.latest_pain == WEEK.pain[2]  # 18:00 is after as_of
    assert v.spasms_today == 1
    assert v.today_not_logged is False
    assert v.last14[-1].mean_pain == 4.0
    assert [t.at.hour for t in v.treatments_today] == [8, 9, 10, 12, 13]

    # Checked by hand. Acetaminophen: 09:00 + 4 h = 13:00 < now, 500 + 500 <= 3000: now.
    # Ibuprofen: 12:30 + 4 h = 16:30, but naproxen Wed 23:00 blocks another NSAID until
    # Thu 23:00 (med.nsaid-combination); at 23:00 the window (Wed 23:00, Thu 23:00] holds
    # 400 + 400, + 400 = 1200 <= 1200: Thu 23:00. 24 h mg now: Wed 16:00 200 + 400 + 400.
    # Naproxen (taken in the last 24 h): 23:00 + 8 h = 07:00, but ibuprofen 12:30 blocks
    # it until Fri 12:30; 220 + 220 <= 660 then.
    assert v.next_doses == (
        NextDose("acetaminophen", lon(2026, 1, 8, 9), as_of, True, 500.0, 3000.0, 500),
        NextDose(
            "ibuprofen", lon(2026, 1, 8, 12, 30), lon(2026, 1, 8, 23), False, 1000.0, 1200.0, 400
        ),
        NextDose(
            "naproxen", lon(2026, 1, 7, 23), lon(2026, 1, 9, 12, 30), False, 220.0, 660.0, 220
        ),
    )
    # Ice 13:30 for 20 min -> ended 13:50, reapply from 14:10: open at 15:00.
    assert v.reapply == Reapply("ice", lon(2026, 1, 8, 13, 50), lon(2026, 1, 8, 14, 10), True)

    # Sparkline: 14 local days, 26 Dec .. 8 Jan.
    assert len(v.last14) == SPARKLINE_DAYS
    assert (v.last14[0].day, v.last14[-1].day) == (date(2025, 12, 26), date(2026, 1, 8))
    means = {d.day: d.mean_pain for d in v.last14 if d.mean_pain is not None}
    assert means == {date(2026, 1, 5): 6.0, date(2026, 1, 8): 4.0}
    assert v.last14[-1].treatments == {
        "ibuprofen": 2,
        "acetaminophen": 1,
        "cyclobenzaprine": 1,
        "ice": 1,
    }


def test_status_just_after_midnight() -> None:
    # Thu 01:00: no pain entry yet today; naproxen from Wed 23:00 is still waiting (07:00).
    # Ibuprofen Wed 16:00 -> 20:00 is over and was yesterday: not listed.
    v = status_view(WEEK, PROFILE, [], lon(2026, 1, 8, 1))
    assert v.today_not_logged is True
    assert (v.today_pain, v.treatments_today, v.spasms_today) == (
        (),
        (),
        None,
    )  # no entry today: spasms not recorded
    assert v.latest_pain == WEEK.pain[1]  # Mon 20:00
    # Ibuprofen Wed 16:00 (in the last 24 h): naproxen Wed 23:00 blocks it until Thu 23:00.
    # Naproxen: 23:00 + 8 h = 07:00, but ibuprofen Wed 16:00 blocks it until Thu 16:00.
    assert v.next_doses == (
        NextDose("ibuprofen", lon(2026, 1, 7, 16), lon(2026, 1, 8, 23), False, 400.0, 1200.0, 200),
        NextDose("naproxen", lon(2026, 1, 7, 23), lon(2026, 1, 8, 16), False, 220.0, 660.0, 220),
    )
    assert v.reapply is None
    assert v.trend is None  # no entry in the 24 h before as_of
    assert v.episode is not None and v.episode.day == 4  # Mon onset, Thu: the 4th calendar day


def test_entries_across_midnight() -> None:
    history = History(
        pain=(pain(lon(2026, 1, 8, 23, 50), 3, spasms=2),),
        treatments=(treat(lon(2026, 1, 8, 23, 50), "heat"),),
    )
    v = status_view(history, PROFILE, [], lon(2026, 1, 9, 0, 30))
    assert v.today == date(2026, 1, 9)
    assert (v.today_not_logged, v.today_pain, v.treatments_today) == (True, (), ())
    assert v.spasms_today is None  # not recorded, not 0
    assert v.latest_pain == history.pain[0]
    assert (v.last14[-2].day, v.last14[-2].entries, v.last14[-2].spasms) == (
        date(2026, 1, 8),
        1,
        2,
    )
    assert (v.last14[-1].entries, v.last14[-1].mean_pain) == (0, None)
    # heat without minutes: ended at 23:50, reapply from 00:10
    assert v.reapply == Reapply("heat", lon(2026, 1, 8, 23, 50), lon(2026, 1, 9, 0, 10), True)


@pytest.mark.parametrize(
    ("since_onset", "day"),
    [
        # ONSET is Mon 08:00: day N is the calendar day (Mon = 1), not hours // 24 + 1.
        (timedelta(0), 1),
        (timedelta(hours=15, minutes=59), 1),  # Mon 23:59
        (timedelta(hours=16), 2),  # Tue 00:00
        (timedelta(hours=23, minutes=59), 2),
        (timedelta(hours=24), 2),
        (timedelta(hours=71, minutes=59), 4),  # Thu 07:59
        (timedelta(days=6, hours=15, minutes=59), 7),  # Sun 23:59
        (timedelta(days=6, hours=23), 8),
    ],
)
def test_episode_day_n(since_onset: timedelta, day: int) -> None:
    history = History(pain=(pain(ONSET, 7),))
    v = status_view(history, PROFILE, [], ONSET + since_onset)
    assert v.episode is not None
    assert v.episode.day == day
    assert v.episode.hours == since_onset.total_seconds() / 3600


def test_episode_day_is_calendar_days_across_spring_dst() -> None:
    # Onset Sat 28 March 12:00 GMT. Sun 29 March 00:30 BST is only 11.5 h later, but the
    # next calendar day: day 2. Hours stay real hours (23 h at Sun 12:00).
    history = History(pain=(pain(lon(2026, 3, 28, 12), 6),))
    v = status_view(history, PROFILE, [], lon(2026, 3, 28, 23, 59))
    assert v.episode is not None and v.episode.day == 1
    v = status_view(history, PROFILE, [], lon(2026, 3, 29, 12))
    assert v.episode is not None
    assert (v.episode.day, v.episode.hours) == (2, 23.0)
    v = status_view(history, PROFILE, [], lon(2026, 3, 29, 13))
    assert v.episode is not None
    assert (v.episode.day, v.episode.hours) == (2, 24.0)
    assert v.episode.onset == lon(2026, 3, 28, 12)


def test_no_episode() -> None:
    v = status_view(History(), PROFILE, [], lon(2026, 1, 8, 15))
    assert (v.episode, v.trend, v.latest_pain) == (None, None, None)
    assert v.today_not_logged is True
    assert (v.next_doses, v.reapply, v.flags) == ((), None, ())
    assert len(v.last14) == 14
    assert all(d.entries == 0 and d.mean_pain is None for d in v.last14)


def test_episode_over_after_seven_days_without_pain() -> None:
    # Last pain > 0 on Mon 5 Jan 08:00; 7 days later the episode is over.
    history = History(pain=(pain(ONSET, 7),))
    v = status_view(history, PROFILE, [], ONSET + timedelta(days=7))
    assert v.episode is None
    assert v.trend is None
    assert v.latest_pain == history.pain[0]
    assert v.last14[-8].day == date(2026, 1, 5)
    assert v.last14[-8].mean_pain == 7.0


@pytest.mark.parametrize(
    ("baseline", "current", "direction"),
    [
        (6.0, 4.0, DOWN),  # 2 points
        (6.0, 5.0, FLAT),  # 1 point, 17 %
        (3.0, 2.0, DOWN),  # 1 point but 33 %
        (6.0, 8.0, UP),  # baseline + 2
        (6.0, 7.5, FLAT),
        (5.0, 5.0, FLAT),
        (0.0, 0.0, FLAT),  # not "improved" by 0 >= 30 % of 0
        (0.0, 2.0, UP),
    ],
)
def test_trend_direction(baseline: float, current: float, direction: str) -> None:
    assert trend_direction(baseline, current) == direction


def test_trend_up() -> None:
    # Baseline Mon 08:00 pain 4; Tue 12:00 pain 6 and Tue 14:00 pain 7 -> current 6.5, +2.5
    history = History(
        pain=(pain(ONSET, 4), pain(lon(2026, 1, 6, 12), 6), pain(lon(2026, 1, 6, 14), 7))
    )
    v = status_view(history, PROFILE, [], lon(2026, 1, 6, 15))
    assert v.trend is not None
    assert (v.trend.baseline, v.trend.current, v.trend.change) == (4.0, 6.5, 2.5)
    assert v.trend.direction == UP
    assert v.episode is not None and v.episode.day == 2  # 31 h


def test_flags_most_severe_first() -> None:
    flags = [
        flag("care.heat-first-48h", "info"),
        flag("red-flag.cauda-equina", "emergency"),
        flag("med.daily-max", "caution"),
        flag("red-flag.chest-pain", "emergency"),
        flag("course.worsening", "soon"),
    ]
    v = status_view(History(), PROFILE, flags, lon(2026, 1, 8, 15))
    assert [f.rule for f in v.flags] == [
        "red-flag.cauda-equina",
        "red-flag.chest-pain",
        "course.worsening",
        "med.daily-max",
        "care.heat-first-48h",
    ]


AS_OF_10 = lon(2026, 1, 8, 10)


@pytest.mark.parametrize(
    ("treatments", "expected"),
    [
        ((), None),
        # ended 09:20, reapply from 09:40
        (
            (treat(lon(2026, 1, 8, 9), "ice", 20),),
            Reapply("ice", lon(2026, 1, 8, 9, 20), lon(2026, 1, 8, 9, 40), True),
        ),
        # ended 09:50, reapply from 10:10: not yet
        (
            (treat(lon(2026, 1, 8, 9, 30), "ice", 20),),
            Reapply("ice", lon(2026, 1, 8, 9, 50), lon(2026, 1, 8, 10, 10), False),
        ),
        # still on: ends 10:10, reapply from 10:30
        (
            (treat(lon(2026, 1, 8, 9, 50), "ice", 20),),
            Reapply("ice", lon(2026, 1, 8, 10, 10), lon(2026, 1, 8, 10, 30), False),
        ),
        # minutes not logged: ended when it started
        (
            (treat(lon(2026, 1, 8, 9, 55), "heat"),),
            Reapply("heat", lon(2026, 1, 8, 9, 55), lon(2026, 1, 8, 10, 15), False),
        ),
        # ended exactly 3 h ago: still shown
        (
            (treat(lon(2026, 1, 8, 6, 40), "heat", 20),),
            Reapply("heat", lon(2026, 1, 8, 7), lon(2026, 1, 8, 7, 20), True),
        ),
        # ended 3 h 40 ago: nothing due
        ((treat(lon(2026, 1, 8, 6), "heat", 20),), None),
        # the latest of ice and heat counts
        (
            (treat(lon(2026, 1, 8, 6), "ice", 20), treat(lon(2026, 1, 8, 9), "heat", 15)),
            Reapply("heat", lon(2026, 1, 8, 9, 15), lon(2026, 1, 8, 9, 35), True),
        ),
        # not ice or heat; or after as_of
        ((treat(lon(2026, 1, 8, 9, 50), "stretching", 10),), None),
        ((treat(lon(2026, 1, 8, 10, 30), "ice", 20),), None),
    ],
)
def test_reapply_window(treatments: tuple[Treatment, ...], expected: Reapply | None) -> None:
    v = status_view(History(treatments=treatments), PROFILE, [], AS_OF_10)
    assert v.reapply == expected


def test_next_dose_counts_real_hours_across_spring_dst() -> None:
    # Ibuprofen 00:30 GMT on 29 March; + 4 h = 04:30 UTC = 05:30 BST (not 04:30).
    history = History(treatments=(med(lon(2026, 3, 29, 0, 30), "ibuprofen", 400),))
    (dose,) = status_view(history, PROFILE, [], lon(2026, 3, 29, 5)).next_doses
    assert dose.next_allowed_at == lon(2026, 3, 29, 5, 30)
    assert dose.next_allowed_at.utcoffset() == timedelta(hours=1)
    assert dose.allowed is False
    (dose,) = status_view(history, PROFILE, [], lon(2026, 3, 29, 5, 30)).next_doses
    assert dose.allowed is True


def test_today_after_spring_dst_midnight() -> None:
    # 23:15 UTC on 29 March is 00:15 BST on the 30th: today's, though its UTC date is the 29th.
    history = History(
        pain=(
            PainEntry(at=datetime(2026, 3, 29, 22, 30, tzinfo=UTC), pain=5),  # 23:30 BST 29th
            PainEntry(at=datetime(2026, 3, 29, 23, 15, tzinfo=UTC), pain=8),  # 00:15 BST 30th
        )
    )
    v = status_view(history, PROFILE, [], lon(2026, 3, 30, 10))
    assert v.today_pain == (history.pain[1],)
    assert (v.last14[-1].mean_pain, v.last14[-2].mean_pain) == (8.0, 5.0)


def test_load_since() -> None:
    as_of = lon(2026, 1, 20, 12)
    assert STATUS_LOOKBACK.days == 15
    assert load_since(as_of) == datetime(2026, 1, 5, 12, tzinfo=UTC)
    # An episode from 10 Jan: its onset is found again from 7 days before it.
    assert load_since(as_of, lon(2026, 1, 10, 8)) == datetime(2026, 1, 3, 8, tzinfo=UTC)
    # A recent onset does not narrow the window.
    assert load_since(as_of, lon(2026, 1, 19, 8)) == datetime(2026, 1, 5, 12, tzinfo=UTC)


def test_load_since_covers_the_sparkline() -> None:
    # The first sparkline day starts at local midnight 13 days before today: always covered.
    for as_of in (lon(2026, 1, 20, 0), lon(2026, 1, 20, 23, 59), lon(2026, 4, 5, 0, 1)):
        first = status_view(History(), PROFILE, [], as_of).last14[0].day
        start = datetime(first.year, first.month, first.day, tzinfo=LON)
        assert load_since(as_of) <= start


def test_naive_as_of_is_rejected() -> None:
    with pytest.raises(ValueError):
        status_view(History(), PROFILE, [], datetime(2026, 1, 8, 15))
