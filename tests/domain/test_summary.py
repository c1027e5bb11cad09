"""summary.py: every expected number below is worked out by hand in the comments."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import History, PainEntry, SymptomReport, Treatment
from backcare.domain.summary import (
    MIN_PAIRS,
    DaySummary,
    calendar_weeks,
    daily_summaries,
    day_bounds,
    period,
    summarize,
    summary_as_dict,
    summary_load_range,
    treatment_key,
    treatment_response,
)
from backcare.messages import ASSOCIATION_CAVEAT

LON = ZoneInfo("Europe/London")  # GMT in winter (= UTC), BST (+1) from 2026-03-29 to 10-25


def lon(y: int, m: int, d: int, h: int = 0, mi: int = 0, fold: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=LON, fold=fold)


def utc(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=UTC)


def pain(at: datetime, value: int, spasms: int = 0, radiates: str = "none") -> PainEntry:
    return PainEntry(at=at, pain=value, spasms=spasms, radiates=radiates)


def treat(at: datetime, kind: str, **kw: object) -> Treatment:
    return Treatment(at=at, kind=kind, **kw)  # type: ignore[arg-type]


def med(at: datetime, drug: str | None, dose: float | None = None, **kw: object) -> Treatment:
    return Treatment(at=at, kind="medication", drug=drug, dose_mg=dose, **kw)  # type: ignore[arg-type]


# --- Daily table -----------------------------------------------------------------------
# Winter (GMT = UTC), 5 to 7 January 2026.
WINTER = History(
    pain=(
        pain(lon(2026, 1, 4, 23, 59), 9),  # the day before: outside
        pain(lon(2026, 1, 5, 8), 6, spasms=2),
        pain(lon(2026, 1, 5, 20), 4, spasms=1, radiates="below-knee"),
        pain(lon(2026, 1, 5, 23, 59), 5),
        # 6 January: nothing
        pain(lon(2026, 1, 7, 0), 3),  # midnight belongs to the new day
        pain(lon(2026, 1, 7, 7, 30), 2, spasms=4),
        pain(lon(2026, 1, 8, 0), 9),  # the day after: outside
    ),
    treatments=(
        med(lon(2026, 1, 5, 8, 5), "ibuprofen", 400),
        treat(lon(2026, 1, 5, 9), "ice", minutes=20),
        treat(lon(2026, 1, 5, 9, 45), "ice", minutes=20),
        treat(lon(2026, 1, 5, 10), "stretching", minutes=10),
        med(lon(2026, 1, 5, 14), "ibuprofen", 200),
        med(lon(2026, 1, 7, 0, 10), "acetaminophen", 500),
        med(lon(2026, 1, 7, 6, 10), "acetaminophen", 500.5),
        med(lon(2026, 1, 7, 6, 30), None),  # a medication without a drug name: no dose total
        med(lon(2026, 1, 8, 1), "acetaminophen", 1000),  # outside
    ),
    symptoms=(
        SymptomReport(at=lon(2026, 1, 5, 10), code="fever"),
        SymptomReport(at=lon(2026, 1, 5, 11), code="leg-numbness", present=False),
        SymptomReport(at=lon(2026, 1, 5, 12), code="fever"),  # listed once
    ),
)

WINTER_DAYS = [
    # 5 Jan: pain 6, 4, 5 -> mean 15/3 = 5.0, max 6; spasms 2 + 1 + 0 = 3;
    # ibuprofen 400 + 200 = 600 mg; below-knee from the radiating entry, fever reported.
    DaySummary(
        day=date(2026, 1, 5),
        entries=3,
        mean_pain=5.0,
        max_pain=6,
        spasms=3,
        treatments={"ibuprofen": 2, "ice": 2, "stretching": 1},
        doses_mg={"ibuprofen": 600.0},
        symptoms=("below-knee", "fever"),
    ),
    DaySummary(date(2026, 1, 6), 0, None, None, None, {}, {}, ()),
    # 7 Jan: pain 3, 2 -> mean 2.5, max 3; spasms 4; acetaminophen 500 + 500.5 = 1000.5.
    DaySummary(
        day=date(2026, 1, 7),
        entries=2,
        mean_pain=2.5,
        max_pain=3,
        spasms=4,
        treatments={"acetaminophen": 2, "medication": 1},
        doses_mg={"acetaminophen": 1000.5},
        symptoms=(),
    ),
]


def test_daily_summaries_hand_computed() -> None:
    assert daily_summaries(WINTER, date(2026, 1, 5), date(2026, 1, 7), LON) == WINTER_DAYS


def test_daily_summaries_single_day_and_empty_history() -> None:
    assert daily_summaries(History(), date(2026, 1, 6), date(2026, 1, 6), LON) == [
        DaySummary(date(2026, 1, 6), 0, None, None, None, {}, {}, ())
    ]


def test_daily_summaries_start_after_end_is_an_error() -> None:
    with pytest.raises(ValueError):
        daily_summaries(WINTER, date(2026, 1, 7), date(2026, 1, 5), LON)


def test_summarize_totals() -> None:
    s = summarize(WINTER, date(2026, 1, 5), date(2026, 1, 7), LON)
    assert s.days == tuple(WINTER_DAYS)
    assert s.n_days == 3
    assert s.entries == 5
    assert s.days_logged == 2
    assert s.mean_pain == 4.0  # (6 + 4 + 5 + 3 + 2) / 5 = 20 / 5, over entries, not days
    assert s.max_pain == 6
    assert s.spasms == 7  # 3 + 4
    assert s.treatments == {
        "ibuprofen": 2,
        "ice": 2,
        "stretching": 1,
        "acetaminophen": 2,
        "medication": 1,
    }
    assert s.doses_mg == {"ibuprofen": 600.0, "acetaminophen": 1000.5}
    assert not s.show_heatmap


# Local day of a UTC instant in London, across midnight in summer time (BST = UTC+1) and
# across both DST changes of 2026.
@pytest.mark.parametrize(
    ("instant", "local_day"),
    [
        (utc(2026, 6, 10, 22, 59), date(2026, 6, 10)),  # 23:59 BST
        (utc(2026, 6, 10, 23, 0), date(2026, 6, 11)),  # 00:00 BST: UTC date is still the 10th
        (utc(2026, 3, 29, 0, 59), date(2026, 3, 29)),  # 00:59 GMT, before the change
        (utc(2026, 3, 29, 1, 0), date(2026, 3, 29)),  # 02:00 BST, after it
        (utc(2026, 3, 29, 23, 15), date(2026, 3, 30)),  # 00:15 BST
        (utc(2026, 10, 24, 23, 30), date(2026, 10, 25)),  # 00:30 BST
        (utc(2026, 10, 25, 1, 30), date(2026, 10, 25)),  # 01:30 GMT, the second 01:30
        (utc(2026, 10, 25, 23, 59), date(2026, 10, 25)),  # 23:59 GMT
    ],
)
def test_local_day(instant: datetime, local_day: date) -> None:
    history = History(pain=(pain(instant, 5),))
    days = daily_summaries(history, local_day - timedelta(days=1), local_day + timedelta(1), LON)
    assert [d.entries for d in days] == [0, 1, 0]
    assert days[1].day == local_day


def test_spring_dst_day_has_23_hours() -> None:
    history = History(
        pain=(
            pain(utc(2026, 3, 28, 23, 30), 2),  # 23:30 GMT, 28th
            pain(utc(2026, 3, 29, 0, 30), 4, spasms=1),  # 00:30 GMT, 29th
            pain(utc(2026, 3, 29, 1, 30), 6),  # 02:30 BST, 29th
            pain(utc(2026, 3, 29, 22, 30), 5, spasms=2),  # 23:30 BST, 29th
            pain(utc(2026, 3, 29, 23, 15), 8),  # 00:15 BST, 30th
        )
    )
    days = daily_summaries(history, date(2026, 3, 28), date(2026, 3, 30), LON)
    # 28th: [2]; 29th: [4, 6, 5] -> 15 / 3 = 5.0, max 6, spasms 3; 30th: [8]
    assert [(d.entries, d.mean_pain, d.max_pain, d.spasms) for d in days] == [
        (1, 2.0, 2, 0),
        (3, 5.0, 6, 3),
        (1, 8.0, 8, 0),
    ]
    assert day_bounds(date(2026, 3, 29), date(2026, 3, 29), LON) == (
        utc(2026, 3, 29, 0),
        utc(2026, 3, 29, 23),
    )


def test_autumn_dst_day_has_25_hours() -> None:
    history = History(
        pain=(
            pain(lon(2026, 10, 24, 23, 30), 1),  # 23:30 BST, 24th
            pain(lon(2026, 10, 25, 0, 30), 3),  # 00:30 BST (23:30 UTC on the 24th)
            pain(lon(2026, 10, 25, 1, 30), 4),  # 01:30 BST, the first 01:30
            pain(lon(2026, 10, 25, 1, 30, fold=1), 7),  # 01:30 GMT, the second 01:30
            pain(lon(2026, 10, 25, 23, 30), 2),  # 23:30 GMT
            pain(lon(2026, 10, 26, 0), 9),  # 26th
        )
    )
    days = daily_summaries(history, date(2026, 10, 24), date(2026, 10, 26), LON)
    # 25th: [3, 4, 7, 2] -> 16 / 4 = 4.0, max 7
    assert [(d.entries, d.mean_pain, d.max_pain) for d in days] == [
        (1, 1.0, 1),
        (4, 4.0, 7),
        (1, 9.0, 9),
    ]
    lo, hi = day_bounds(date(2026, 10, 25), date(2026, 10, 25), LON)
    assert (lo, hi) == (utc(2026, 10, 24, 23), utc(2026, 10, 26, 0))
    assert hi - lo == timedelta(hours=25)


# --- Treatment response ----------------------------------------------------------------
# January 2026 (GMT = UTC). Ice, hand-computed pairs:
#   Jan 12 09:00 ice (relief 5): before 08:00 pain 6, after 10:30 pain 4       -> -2
#   Jan 13 14:00 ice (relief 3): before is the last one, 13:00 pain 5 (not 12:00 pain 7);
#       14:30 is < 1 h after; 15:00 (exactly +1 h) pain 2 is the first after   -> -3
#   Jan 14 09:00 ice (relief 4): before 03:00 (exactly -6 h) pain 3,
#       after 15:00 (exactly +6 h) pain 4                                      -> +1
#   Jan 15 09:00 ice: before 02:59 is 6 h 01 min earlier -> no pair
#   Jan 16 09:00 heat: after 15:01 is 6 h 01 min later -> no pair
#   Jan 11 01:00 ice: before Jan 10 22:00 (outside the period, inside 6 h) pain 8,
#       after 03:00 pain 6                                                     -> -2
# Ice over Jan 11..16: uses 5, pairs 4, mean (-2 - 2 - 3 + 1) / 4 = -1.5, relief (5+3+4)/3
ICE_PAIRS = (
    pain(lon(2026, 1, 10, 22), 8),
    pain(lon(2026, 1, 11, 3), 6),
    pain(lon(2026, 1, 12, 8), 6),
    pain(lon(2026, 1, 12, 10, 30), 4),
    pain(lon(2026, 1, 12, 11), 1),
    pain(lon(2026, 1, 13, 12), 7),
    pain(lon(2026, 1, 13, 13), 5),
    pain(lon(2026, 1, 13, 14, 30), 5),
    pain(lon(2026, 1, 13, 15), 2),
    pain(lon(2026, 1, 13, 16), 1),
    pain(lon(2026, 1, 14, 3), 3),
    pain(lon(2026, 1, 14, 15), 4),
    pain(lon(2026, 1, 15, 2, 59), 6),
    pain(lon(2026, 1, 15, 10), 2),
    pain(lon(2026, 1, 16, 8), 6),
    pain(lon(2026, 1, 16, 15, 1), 2),
)
ICE_TREATMENTS = (
    treat(lon(2026, 1, 11, 1), "ice", minutes=20),
    treat(lon(2026, 1, 12, 9), "ice", minutes=20, relief=5),
    treat(lon(2026, 1, 13, 14), "ice", minutes=20, relief=3),
    treat(lon(2026, 1, 14, 9), "ice", minutes=20, relief=4),
    treat(lon(2026, 1, 15, 9), "ice", minutes=20),
    treat(lon(2026, 1, 16, 9), "heat", minutes=20, relief=7),
)


def test_treatment_response_pairs_hand_computed() -> None:
    history = History(pain=ICE_PAIRS, treatments=ICE_TREATMENTS)
    s = summarize(history, date(2026, 1, 11), date(2026, 1, 16), LON)
    ice, heat = s.responses
    assert ice.key == "ice"
    assert (ice.uses, ice.pairs, ice.enough) == (5, 4, True)
    assert ice.mean_change == pytest.approx(-1.5)
    assert (ice.reliefs, ice.mean_relief) == (3, pytest.approx(4.0))
    assert heat == heat.__class__("heat", 1, 0, None, None, 1, False)


def test_treatment_response_each_pair() -> None:
    # Each ice treatment alone, to pin every pair: (start, end) -> pairs
    history = History(pain=ICE_PAIRS, treatments=ICE_TREATMENTS)
    by_day = {
        date(2026, 1, 11): 1,
        date(2026, 1, 12): 1,
        date(2026, 1, 13): 1,
        date(2026, 1, 14): 1,
        date(2026, 1, 15): 0,
    }
    for day, pairs in by_day.items():
        lo, hi = day_bounds(day, day, LON)
        (ice,) = [r for r in treatment_response(history, lo, hi) if r.key == "ice"]
        assert (ice.uses, ice.pairs, ice.mean_change) == (1, pairs, None), day


def test_treatment_response_period_bounds() -> None:
    # Jan 12..13 only: pairs -2 and -3 -> 2 pairs: not enough, never a number.
    history = History(pain=ICE_PAIRS, treatments=ICE_TREATMENTS)
    (ice,) = summarize(history, date(2026, 1, 12), date(2026, 1, 13), LON).responses
    assert (ice.uses, ice.pairs, ice.enough, ice.mean_change) == (2, 2, False, None)
    assert (ice.reliefs, ice.mean_relief) == (2, None)  # 2 relief values: not shown either


def _repeated_pairs(n: int) -> History:
    """n days, each: pain 7 at 08:00, massage at 09:00 (relief 6), pain 4 at 11:00 (-3)."""
    pains: list[PainEntry] = []
    treatments: list[Treatment] = []
    for i in range(n):
        day = date(2026, 2, 2) + timedelta(days=i)
        pains += [
            pain(lon(day.year, day.month, day.day, 8), 7),
            pain(lon(day.year, day.month, day.day, 11), 4),
        ]
        treatments.append(treat(lon(day.year, day.month, day.day, 9), "massage", relief=6))
    return History(pain=tuple(pains), treatments=tuple(treatments))


@pytest.mark.parametrize(
    ("n", "enough", "mean_change", "mean_relief"),
    [
        (1, False, None, None),
        (2, False, None, None),
        (3, True, -3.0, 6.0),
        (4, True, -3.0, 6.0),
    ],
)
def test_three_pair_minimum(
    n: int, enough: bool, mean_change: float | None, mean_relief: float | None
) -> None:
    assert MIN_PAIRS == 3
    s = summarize(_repeated_pairs(n), date(2026, 2, 2), date(2026, 2, 10), LON)
    (r,) = s.responses
    assert (r.key, r.uses, r.pairs, r.enough) == ("massage", n, n, enough)
    assert (r.mean_change, r.mean_relief) == (mean_change, mean_relief)


def test_relief_counts_apart_from_pairs() -> None:
    # Three heat uses with relief 2, 3, 7 and no pain entries: no pair, relief mean 4.0.
    treatments = tuple(
        treat(lon(2026, 2, d, 9), "heat", relief=r) for d, r in ((2, 2), (3, 3), (4, 7))
    )
    (r,) = summarize(
        History(treatments=treatments), date(2026, 2, 1), date(2026, 2, 5), LON
    ).responses
    assert (r.uses, r.pairs, r.enough, r.mean_change) == (3, 0, False, None)
    assert (r.reliefs, r.mean_relief) == (3, 4.0)


def test_response_windows_are_real_hours_across_spring_dst() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST.
    #   ice 00:45 GMT; before 00:15 GMT pain 6; 02:30 BST is only 45 real minutes after
    #   (1 h 45 on the wall clock) -> not "after"; 03:50 BST = 2 h 05 after, pain 4 -> -2.
    # Two ordinary pairs on 30 and 31 March, -2 each -> mean -2.0 (wall clock: -2.67).
    history = History(
        pain=(
            pain(lon(2026, 3, 29, 0, 15), 6),
            pain(lon(2026, 3, 29, 2, 30), 2),
            pain(lon(2026, 3, 29, 3, 50), 4),
            pain(lon(2026, 3, 30, 8), 5),
            pain(lon(2026, 3, 30, 10), 3),
            pain(lon(2026, 3, 31, 8), 5),
            pain(lon(2026, 3, 31, 10), 3),
        ),
        treatments=(
            treat(lon(2026, 3, 29, 0, 45), "ice"),
            treat(lon(2026, 3, 30, 9), "ice"),
            treat(lon(2026, 3, 31, 9), "ice"),
        ),
    )
    (r,) = summarize(history, date(2026, 3, 29), date(2026, 3, 31), LON).responses
    assert (r.pairs, r.mean_change) == (3, -2.0)


def test_response_windows_are_real_hours_across_autumn_dst() -> None:
    # 25 October 2026: 02:00 BST becomes 01:00 GMT.
    #   ice 01:30 BST; before 01:00 BST pain 5; 01:15 GMT is 45 real minutes after (though
    #   earlier on the wall clock) -> neither; 01:45 GMT = 1 h 15 after, pain 3 -> -2.
    history = History(
        pain=(
            pain(lon(2026, 10, 25, 1, 0), 5),
            pain(lon(2026, 10, 25, 1, 15, fold=1), 9),
            pain(lon(2026, 10, 25, 1, 45, fold=1), 3),
            pain(lon(2026, 10, 26, 8), 5),
            pain(lon(2026, 10, 26, 10), 3),
            pain(lon(2026, 10, 27, 8), 5),
            pain(lon(2026, 10, 27, 10), 3),
        ),
        treatments=(
            treat(lon(2026, 10, 25, 1, 30), "ice"),
            treat(lon(2026, 10, 26, 9), "ice"),
            treat(lon(2026, 10, 27, 9), "ice"),
        ),
    )
    (r,) = summarize(history, date(2026, 10, 25), date(2026, 10, 27), LON).responses
    assert (r.pairs, r.mean_change) == (3, -2.0)


def test_response_keys_and_order() -> None:
    history = History(
        treatments=(
            med(lon(2026, 2, 2, 8), "naproxen", 220),
            med(lon(2026, 2, 2, 9), "ibuprofen", 400),
            med(lon(2026, 2, 2, 14), "ibuprofen", 400),
            med(lon(2026, 2, 2, 15), None),
            treat(lon(2026, 2, 2, 10), "walking", minutes=30),
        )
    )
    s = summarize(history, date(2026, 2, 2), date(2026, 2, 2), LON)
    # most used first, then by key
    assert [(r.key, r.uses) for r in s.responses] == [
        ("ibuprofen", 2),
        ("medication", 1),
        ("naproxen", 1),
        ("walking", 1),
    ]


@pytest.mark.parametrize(
    ("treatment", "key"),
    [
        (med(lon(2026, 1, 1), "ibuprofen", 200), "ibuprofen"),
        (med(lon(2026, 1, 1), None), "medication"),
        (treat(lon(2026, 1, 1), "ice"), "ice"),
        (treat(lon(2026, 1, 1), "physical-therapy"), "physical-therapy"),
    ],
)
def test_treatment_key(treatment: Treatment, key: str) -> None:
    assert treatment_key(treatment) == key


# --- JSON ------------------------------------------------------------------------------
def test_summary_as_dict() -> None:
    history = History(
        pain=(
            pain(lon(2026, 1, 20, 8), 5, spasms=1),
            pain(lon(2026, 1, 20, 12), 4),
            pain(lon(2026, 1, 20, 18), 4),
        ),
        treatments=(med(lon(2026, 1, 20, 9), "ibuprofen", 200.333),),
    )
    d = summary_as_dict(
        summarize(history, date(2026, 1, 20), date(2026, 1, 21), LON), caveat=ASSOCIATION_CAVEAT
    )
    assert d == {
        "from": "2026-01-20",
        "to": "2026-01-21",
        "n_days": 2,
        "totals": {
            "entries": 3,
            "days_logged": 1,
            "mean_pain": 4.33,  # 13 / 3
            "max_pain": 5,
            "spasms": 1,
            "treatments": {"ibuprofen": 1},
            "doses_mg": {"ibuprofen": 200.33},
        },
        "episode": None,  # summarize alone: the service adds the episode
        "days": [
            {
                "day": "2026-01-20",
                "entries": 3,
                "mean_pain": 4.33,
                "max_pain": 5,
                "spasms": 1,
                "treatments": {"ibuprofen": 1},
                "doses_mg": {"ibuprofen": 200.33},
                "symptoms": [],
            },
            {
                "day": "2026-01-21",
                "entries": 0,
                "mean_pain": None,
                "max_pain": None,
                "spasms": None,  # no entry: not recorded, not 0
                "treatments": {},
                "doses_mg": {},
                "symptoms": [],
            },
        ],
        # 08:00 pain 5 before, 12:00 pain 4 the first after (3 h) -> 1 pair: not enough
        "responses": [
            {
                "key": "ibuprofen",
                "uses": 1,
                "pairs": 1,
                "mean_change": None,
                "mean_relief": None,
                "reliefs": 0,
                "enough": False,
            }
        ],
        "min_pairs": 3,
        "caveat": ASSOCIATION_CAVEAT,
        "measures": [],  # no questionnaire in the period (issue 16)
    }
    json.dumps(d)  # JSON-ready


def test_summary_as_dict_rounds_mean_change() -> None:
    # Three ice pairs with changes -2, -1, -1 -> -4/3 = -1.333... -> -1.33
    history = History(
        pain=tuple(
            p
            for d, after in ((2, 3), (3, 4), (4, 4))
            for p in (pain(lon(2026, 2, d, 8), 5), pain(lon(2026, 2, d, 10), after))
        ),
        treatments=tuple(treat(lon(2026, 2, d, 9), "ice") for d in (2, 3, 4)),
    )
    d = summary_as_dict(
        summarize(history, date(2026, 2, 2), date(2026, 2, 4), LON), caveat=ASSOCIATION_CAVEAT
    )
    assert d["responses"][0]["mean_change"] == -1.33
    assert d["responses"][0]["enough"] is True


# --- Period helpers --------------------------------------------------------------------
@pytest.mark.parametrize(("n_days", "heatmap"), [(1, False), (27, False), (28, True), (60, True)])
def test_heatmap_from_28_days(n_days: int, heatmap: bool) -> None:
    end = date(2026, 3, 31)
    s = summarize(History(), end - timedelta(days=n_days - 1), end, LON)
    assert (s.n_days, s.show_heatmap) == (n_days, heatmap)
    assert s.mean_pain is None and s.max_pain is None and s.responses == ()


def test_period() -> None:
    as_of = lon(2026, 3, 29, 0, 30)
    assert period(as_of, 1) == (date(2026, 3, 29), date(2026, 3, 29))
    assert period(as_of, 7) == (date(2026, 3, 23), date(2026, 3, 29))
    with pytest.raises(ValueError):
        period(as_of, 0)


def test_summary_load_range_covers_the_response_windows() -> None:
    lo, hi = summary_load_range(date(2026, 1, 11), date(2026, 1, 16), LON)
    assert (lo, hi) == (utc(2026, 1, 10, 18), utc(2026, 1, 17, 6))


def test_calendar_weeks() -> None:
    # 1 January 2026 is a Thursday; 12 January a Monday.
    days = daily_summaries(History(), date(2026, 1, 1), date(2026, 1, 12), LON)
    weeks = calendar_weeks(days)
    assert len(weeks) == 3
    assert all(len(w) == 7 for w in weeks)
    assert [d.day.day if d else None for d in weeks[0]] == [None, None, None, 1, 2, 3, 4]
    assert [d.day.day if d else None for d in weeks[1]] == [5, 6, 7, 8, 9, 10, 11]
    assert [d.day.day if d else None for d in weeks[2]] == [12, None, None, None, None, None, None]
    assert calendar_weeks([]) == []


def test_naive_datetime_is_rejected() -> None:
    history = History(pain=(pain(datetime(2026, 1, 1, 8), 5),))
    with pytest.raises(ValueError):
        daily_summaries(history, date(2026, 1, 1), date(2026, 1, 1), LON)
