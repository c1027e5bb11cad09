"""A sample fortnight for `backcare demo`: a lifting strain that eases with self-care.

Pure: built relative to `now`, so the demo always shows a current-looking episode.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from backcare.domain.inputs import NewPain, NewSymptom, NewTreatment

DEMO_DAYS = 14
# Mean pain per day of the episode (day 0 = onset), easing from a bad start.
_PAIN = (7, 7, 6, 6, 5, 5, 4, 4, 4, 3, 3, 2, 2, 2)
_SPASMS = (5, 4, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, 0, 0)


def demo_entries(now: datetime) -> list[NewPain | NewTreatment | NewSymptom]:
    """About 150 entries over the 14 days before `now`, none after it."""
    # Day 13's evening entry (20:00 in the script) lands one hour before `now`; each "hour"
    # below is an offset within that scripted day, so the last day is always today-ish.
    anchor = now - timedelta(hours=1)
    entries: list[NewPain | NewTreatment | NewSymptom] = []

    def at(day: int, hour: int, minute: int = 0) -> datetime:
        offset = timedelta(days=DEMO_DAYS - 1 - day, hours=20 - hour, minutes=-minute)
        return anchor - offset

    for day in range(DEMO_DAYS):
        base = _PAIN[day]
        for hour, delta, spasm_share in ((8, 1, 2), (13, 0, 1), (20, -1, 1)):
            entries.append(
                NewPain(
                    at=at(day, hour),
                    pain=max(0, min(10, base + delta)),
                    spasms=min(_SPASMS[day], spasm_share * _SPASMS[day] // 2 + (day < 3)),
                    location="lower",
                    radiates="thigh" if day < 4 else "none",
                    note="lifted a heavy box" if day == 0 and hour == 8 else None,
                )
            )
        if day < 2:
            for hour in (9, 14, 19):
                entries.append(NewTreatment(at=at(day, hour), kind="ice", minutes=20, relief=3))
        else:
            entries.append(NewTreatment(at=at(day, 18), kind="heat", minutes=20, relief=4))
        if day < 6:
            for hour in (8, 14, 20):
                entries.append(
                    NewTreatment(
                        at=at(day, hour, 15), kind="medication", drug="ibuprofen", dose_mg=400
                    )
                )
        if day < 3:
            entries.append(
                NewTreatment(
                    at=at(day, 21, 30), kind="medication", drug="cyclobenzaprine", dose_mg=5
                )
            )
        if day >= 3:
            entries.append(NewTreatment(at=at(day, 11), kind="walking", minutes=15 + 3 * day))
        if day >= 7:
            entries.append(NewTreatment(at=at(day, 17), kind="stretching", minutes=10, relief=5))
    entries.append(NewSymptom(at=at(1, 8), code="leg-numbness"))
    entries.append(NewSymptom(at=at(4, 8), code="leg-numbness", present=False))
    return [e for e in entries if e.at <= now]
