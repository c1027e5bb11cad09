"""domain/reminders.py: every item due / not due at a fixed as_of, at its boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Flag, Goal, History, PainEntry, Profile, Treatment
from backcare.domain.reminders import (
    CHECKIN_72H,
    DEFAULT_REMIND_AT,
    FOLLOW_UP,
    LOG_TODAY,
    MEASURE_DUE,
    NEXT_DOSE,
    REAPPLY,
    REMINDER_IDS,
    Reminder,
    due_reminders,
    first_remind_time,
    remind_times,
)

LON = ZoneInfo("Europe/London")  # GMT in winter; BST (+1) from 2026-03-29 01:00 UTC
NONE = Profile()


def lon(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=LON)


def pain(at: datetime, value: int = 5) -> PainEntry:
    return PainEntry(at=at, pain=value)


def ids(history: History, as_of: datetime, profile: Profile = NONE, flags=()) -> list[str]:
    return [r.id for r in due_reminders(history, profile, list(flags), as_of)]


def flag(rule: str, level: str, title: str = "A title", advice: str = "Do this.") -> Flag:
    return Flag(rule=rule, level=level, title=title, advice=advice, source="src")


# --- profile times ------------------------------------------------------------------------


def test_default_reminder_time_is_20() -> None:
    assert time(20, 0) == DEFAULT_REMIND_AT
    assert remind_times(NONE) == (time(20, 0),)
    assert first_remind_time(Profile(remind_at=(time(21, 0), time(7, 30)))) == time(7, 30)


def test_nothing_at_all_before_the_reminder_time() -> None:
    assert due_reminders(History(), NONE, [], lon(2026, 1, 5, 19, 59)) == []


def test_naive_as_of_is_refused() -> None:
    with pytest.raises(ValueError):
        due_reminders(History(), NONE, [], datetime(2026, 1, 5, 20, 0))


# --- log-today ----------------------------------------------------------------------------

YESTERDAY = History(pain=(pain(lon(2026, 1, 4, 9)),))


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (lon(2026, 1, 5, 19, 59), False),  # one minute before 20:00
        (datetime(2026, 1, 5, 19, 59, 59, 999999, tzinfo=LON), False),
        (lon(2026, 1, 5, 20, 0), True),  # exactly the reminder time: cron's run
        (lon(2026, 1, 5, 23, 59), True),
        (lon(2026, 1, 6, 0, 0), False),  # midnight: a new day, before its reminder time
        (lon(2026, 1, 6, 0, 30), False),
    ],
)
def test_log_today_at_the_reminder_time_boundary(as_of: datetime, due: bool) -> None:
    assert (LOG_TODAY in ids(YESTERDAY, as_of)) is due


def test_log_today_not_due_once_pain_is_logged_today() -> None:
    history = History(pain=(pain(lon(2026, 1, 5, 8)),))
    assert ids(history, lon(2026, 1, 5, 21)) == []
    # logged at 00:10 today (just after midnight): counts for today
    history = History(pain=(pain(lon(2026, 1, 5, 0, 10)),))
    assert LOG_TODAY not in ids(history, lon(2026, 1, 5, 20))


def test_log_today_across_midnight() -> None:
    # logged at 23:59 yesterday: that was yesterday, today is still not logged
    history = History(pain=(pain(lon(2026, 1, 4, 23, 59)),))
    assert LOG_TODAY in ids(history, lon(2026, 1, 5, 20))
    # ... and at 00:01 today nothing is due yet (before the reminder time)
    assert LOG_TODAY not in ids(history, lon(2026, 1, 5, 0, 1))


def test_log_today_ignores_entries_after_as_of() -> None:
    history = History(pain=(pain(lon(2026, 1, 5, 21)),))  # logged at 21:00, as_of 20:30
    assert LOG_TODAY in ids(history, lon(2026, 1, 5, 20, 30))


def test_log_today_pain_zero_counts_as_logged() -> None:
    history = History(pain=(pain(lon(2026, 1, 5, 9), 0),))
    assert ids(history, lon(2026, 1, 5, 20)) == []


def test_log_today_uses_the_first_profile_time() -> None:
    profile = Profile(remind_at=(time(21, 0), time(7, 30)))
    assert LOG_TODAY not in ids(YESTERDAY, lon(2026, 1, 5, 7, 29), profile)
    assert LOG_TODAY in ids(YESTERDAY, lon(2026, 1, 5, 7, 30), profile)
    late = Profile(remind_at=(time(22, 15),))
    assert LOG_TODAY not in ids(YESTERDAY, lon(2026, 1, 5, 22, 14), late)
    assert LOG_TODAY in ids(YESTERDAY, lon(2026, 1, 5, 22, 15), late)


def test_log_today_uses_the_local_day_in_summer_time() -> None:
    # 23:30 UTC on 1 April 2026 is 00:30 BST on 2 April: logged on the 2nd, locally
    history = History(pain=(pain(datetime(2026, 4, 1, 23, 30, tzinfo=UTC)),))
    assert LOG_TODAY not in ids(history, lon(2026, 4, 2, 20))
    assert LOG_TODAY in ids(history, lon(2026, 4, 1, 20))
    # the reminder time is wall-clock: 20:00 BST is 19:00 UTC
    assert LOG_TODAY in ids(History(), datetime(2026, 4, 2, 19, 0, tzinfo=UTC).astimezone(LON))
    assert LOG_TODAY not in ids(History(), datetime(2026, 4, 2, 18, 59, tzinfo=UTC).astimezone(LON))


def test_log_today_text() -> None:
    (item,) = due_reminders(History(), NONE, [], lon(2026, 1, 5, 20))
    assert item == Reminder(LOG_TODAY, item.text)
    assert "backcare log" in item.text and item.rule is None


# --- checkin-72h --------------------------------------------------------------------------

ONSET = lon(2026, 1, 5, 8)  # Mon 08:00, pain 7; 72 h later is Thu 08:00
EPISODE = History(pain=(pain(ONSET, 7), pain(lon(2026, 1, 5, 20), 6)))


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (lon(2026, 1, 8, 7, 59), False),  # 71 h 59 min
        (lon(2026, 1, 8, 8, 0), True),  # exactly 72 h
        (lon(2026, 1, 9, 12, 0), True),
    ],
)
def test_checkin_72h_boundary(as_of: datetime, due: bool) -> None:
    assert (CHECKIN_72H in ids(EPISODE, as_of)) is due


def test_checkin_72h_not_due_with_pain_in_the_last_24h() -> None:
    as_of = lon(2026, 1, 8, 8)
    logged = History(pain=(*EPISODE.pain, pain(as_of - timedelta(hours=23, minutes=59), 6)))
    assert CHECKIN_72H not in ids(logged, as_of)
    # exactly 24 h before as_of is outside the current window (as_of - 24 h, as_of]
    edge = History(pain=(*EPISODE.pain, pain(as_of - timedelta(hours=24), 6)))
    assert CHECKIN_72H in ids(edge, as_of)


def test_checkin_72h_text_names_the_age() -> None:
    items = due_reminders(EPISODE, NONE, [], lon(2026, 1, 8, 11, 30))
    (item,) = [r for r in items if r.id == CHECKIN_72H]
    assert "75 h" in item.text and "backcare log" in item.text


def test_checkin_72h_not_due_once_the_episode_is_over() -> None:
    # last pain > 0 Mon 20:00; 7 days later the episode is over
    assert CHECKIN_72H in ids(EPISODE, lon(2026, 1, 12, 19, 59))
    assert CHECKIN_72H not in ids(EPISODE, lon(2026, 1, 12, 20, 0))


def test_checkin_72h_needs_a_baseline() -> None:
    # explicit onset with no pain entry in its first 24 h: logging now cannot make the check run
    history = History(pain=(pain(lon(2026, 1, 6, 12), 6),), onsets=(ONSET,))
    assert CHECKIN_72H not in ids(history, lon(2026, 1, 9, 12))


def test_checkin_72h_counts_real_hours_across_dst() -> None:
    # onset Fri 27 March 2026 12:00 GMT; clocks go forward Sun 29 March: 72 real hours end
    # Mon 30 March 13:00 BST (12:00 UTC), not 12:00 BST
    history = History(pain=(pain(lon(2026, 3, 27, 12), 6),))
    assert CHECKIN_72H not in ids(history, lon(2026, 3, 30, 12, 59))
    assert CHECKIN_72H in ids(history, lon(2026, 3, 30, 13, 0))


def test_no_checkin_without_an_episode() -> None:
    history = History(pain=(pain(ONSET, 0),))
    assert CHECKIN_72H not in ids(history, lon(2026, 1, 9, 12))


# --- follow-up ----------------------------------------------------------------------------


def test_follow_up_one_item_per_flag_soon_or_above_most_severe_first() -> None:
    flags = [
        flag("care.bed-rest", "caution"),
        flag("risk.history", "soon", "Back pain with a risk in your history", "Book it."),
        flag("red-flag.fever", "urgent", "Back pain with a fever", "Call today."),
        flag("med.muscle-relaxant-daytime", "info"),
        flag("red-flag.chest-pain", "emergency", "Chest pain with back pain", "Call now."),
        flag("x.routine", "routine"),
    ]
    items = due_reminders(History(), NONE, flags, lon(2026, 1, 5, 12))
    assert [(r.id, r.rule) for r in items] == [
        (FOLLOW_UP, "red-flag.chest-pain"),
        (FOLLOW_UP, "red-flag.fever"),
        (FOLLOW_UP, "risk.history"),
    ]
    assert "Chest pain with back pain" in items[0].text and "Call now." in items[0].text
    assert items[0].text.startswith("emergency: ") and items[1].text.startswith("urgent: ")
    assert items[2].text.startswith("soon: ")
    assert items[1].as_dict() == {"id": FOLLOW_UP, "text": items[1].text, "rule": "red-flag.fever"}


def test_follow_up_none_below_soon() -> None:
    flags = [flag("a", "routine"), flag("b", "caution"), flag("c", "info")]
    assert ids(History(), lon(2026, 1, 5, 12), flags=flags) == []


# --- reapply ------------------------------------------------------------------------------

ICE = History(treatments=(Treatment(at=lon(2026, 1, 5, 10), kind="ice", minutes=20),))


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (lon(2026, 1, 5, 10, 10), False),  # still on
        (lon(2026, 1, 5, 10, 39), False),  # ended 10:20, opens 20 min later
        (lon(2026, 1, 5, 10, 40), True),
        (lon(2026, 1, 5, 13, 20), True),  # 3 h after it ended: still shown (as status does)
        (lon(2026, 1, 5, 13, 21), False),
        (lon(2026, 1, 5, 9, 59), False),  # before the application
    ],
)
def test_reapply_window(as_of: datetime, due: bool) -> None:
    assert (REAPPLY in ids(ICE, as_of)) is due


def test_reapply_text_and_application_without_minutes() -> None:
    history = History(treatments=(Treatment(at=lon(2026, 1, 5, 10), kind="heat"),))
    assert REAPPLY not in ids(history, lon(2026, 1, 5, 10, 19))
    (item,) = [r for r in due_reminders(history, NONE, [], lon(2026, 1, 5, 10, 20))]
    assert "heat" in item.text and "10:00" in item.text


def test_reapply_uses_the_latest_application_and_ignores_other_kinds() -> None:
    history = History(
        treatments=(
            *ICE.treatments,
            Treatment(at=lon(2026, 1, 5, 11), kind="heat", minutes=15),  # ends 11:15
            Treatment(at=lon(2026, 1, 5, 11, 30), kind="stretching", minutes=10),
        )
    )
    assert REAPPLY not in ids(history, lon(2026, 1, 5, 11, 34))
    assert REAPPLY in ids(history, lon(2026, 1, 5, 11, 35))


# --- all together -------------------------------------------------------------------------


def test_every_item_in_order() -> None:
    as_of = lon(2026, 1, 8, 20, 30)  # Thu: episode 84.5 h, nothing logged today
    history = History(
        pain=EPISODE.pain,
        treatments=(
            Treatment(at=lon(2026, 1, 8, 17), kind="medication", drug="ibuprofen", dose_mg=400),
            Treatment(at=lon(2026, 1, 8, 19, 45), kind="ice", minutes=20),
        ),
        # an activity added in an earlier episode: PSFS is asked weekly while it is active
        goals=(Goal(at=lon(2025, 6, 1), text="walk the dog"),),
    )
    items = due_reminders(history, NONE, [flag("risk.history", "soon")], as_of)
    assert [r.id for r in items] == list(REMINDER_IDS)
    assert REMINDER_IDS == (FOLLOW_UP, CHECKIN_72H, LOG_TODAY, MEASURE_DUE, NEXT_DOSE, REAPPLY)
    # 84.5 h: no PSFS yet in the episode (weekly); the start windows (3 days) have closed.
    assert items[3].text == (
        "questionnaire due: PSFS (your activities) (weekly) (backcare measure psfs)"
    )
    # By hand: 17:00 + 4 h = 21:00; 400 + 400 <= 1200.
    assert items[4].text == "next ibuprofen allowed 21:00 (400 of 1200 mg in 24 h, the label)"
    assert all("\n" not in r.text for r in items)
