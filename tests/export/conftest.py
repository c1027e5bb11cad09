from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcare.domain.model import Event, PainEntry, Profile, StoredEvent, SymptomReport, Treatment

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)

# Notes a spreadsheet export must get right: quoting, separators, line breaks, non-ASCII,
# and every first character that needs neutralising (plus the escape character itself).
TRICKY_NOTES = (
    'said "ouch", then sat down',
    "line one\nline two\r\nline three",
    "Rückenschmerz – 腰痛 – ü",
    '=HYPERLINK("http://x")',
    "+1 after lunch",
    "-2 since yesterday",
    "@SUM(A1:A2)",
    "\tstarts with a tab",
    "\rstarts with CR",
    "'already quoted",
    "''two apostrophes",
    "=",
    "'",
)
# The notes backcare can store (domain/values: no carriage return); CSV tests of single
# cells use all of TRICKY_NOTES (files from older versions may hold a CR).
STORABLE_NOTES = tuple(n for n in TRICKY_NOTES if "\r" not in n)


def uid(n: int) -> str:
    return str(uuid.UUID(int=0x1234_0000_0000_4000_8000_0000_0000_0000 + n))


def sample_events() -> list[Event]:
    """A mixed, time-ordered set touching every field, across the spring DST change."""
    base = datetime(2026, 3, 28, 7, 15, tzinfo=UTC)
    events: list[Event] = [
        PainEntry(at=base, pain=7, spasms=3, location="lower", radiates="thigh", uid=uid(1)),
        Treatment(
            at=base + timedelta(minutes=5),
            kind="medication",
            drug="ibuprofen",
            dose_mg=400.0,
            relief=4,
            note="with food",
            uid=uid(2),
        ),
        Treatment(
            at=base + timedelta(minutes=10),
            kind="medication",
            drug="methocarbamol",
            dose_mg=7.5,
            relaxant=True,
            uid=uid(3),
        ),
        Treatment(at=base + timedelta(minutes=20), kind="ice", minutes=20, relief=6, uid=uid(4)),
        SymptomReport(at=base + timedelta(hours=1), code="fever", present=True, uid=uid(5)),
        SymptomReport(
            at=base + timedelta(hours=30), code="fever", present=False, note="gone", uid=uid(6)
        ),
        PainEntry(
            at=datetime(2026, 3, 29, 1, 30, 12, 345678, tzinfo=UTC),  # 03:30 CEST, microseconds
            pain=0,
            location=None,
            note="better",
            uid=uid(7),
        ),
        Treatment(at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC), kind="walking", uid=uid(8)),
    ]
    start = datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    for i, note in enumerate(STORABLE_NOTES):
        events.append(
            PainEntry(at=start + timedelta(hours=i), pain=i % 11, note=note, uid=uid(100 + i))
        )
    return events


def sample_records() -> list[StoredEvent]:
    records = []
    for i, event in enumerate(sample_events()):
        created = event.at + timedelta(minutes=1)
        deleted = created + timedelta(days=1) if i % 4 == 3 else None
        records.append(StoredEvent(event=event, created_at=created, deleted_at=deleted))
    return records


SAMPLE_PROFILE = Profile(
    birth_year=1979,
    prior_back_pain=True,
    history=frozenset({"osteoporosis", "blood-thinners"}),
    remind_at=(time(8, 0), time(21, 30)),
)


@pytest.fixture
def events() -> list[Event]:
    return sample_events()


@pytest.fixture
def records() -> list[StoredEvent]:
    return sample_records()
