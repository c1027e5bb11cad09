"""A deterministic synthetic history of back pain, written in bulk through backcare's store.

The person it describes has chronic low back pain: a low baseline (pain 1-3) with flares
(6-9, easing over one to three weeks), a pain-free week or two every couple of months (so
derived episodes start and end as they would in real life), and a treatment routine that
follows the pain: ice early in a flare, heat later, stretching and walking, and medicines at
label doses (ibuprofen 200-400 mg, naproxen 220 mg, acetaminophen 500 mg, cyclobenzaprine
5 mg at night in bad flares only). Now and then a symptom is reported, and later reported
gone.

`density` scales how often the person logs. At density 1 a day in pain has ~4 pain entries
and ~5 treatments (the issue's figures), which over 10 years is ~33k events; the benchmark's
default density 3.6 (a heavy logger: pain every ~70 minutes while awake, more
ice/heat/stretching sessions; medicines are never scaled) gives the >= 100k rows the
budgets are stated for.

Everything comes from one `random.Random(seed)`: the same seed, end and density give the
same rows (uids included).

Rows go in through `open_store(path, create=True)` (so the schema is the one Alembic makes)
and SQLAlchemy Core `insert(table)` executemany in one `Store.write()` transaction.
"""

from __future__ import annotations

import random
import time as clock
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ZONE = "Europe/London"
WAKE = 7 * 60  # minutes after local midnight
SLEEP = 23 * 60
SYMPTOMS_MILD = ("night-pain", "leg-numbness", "below-knee", "redness-swelling")
PROFILE = {"birth_year": 1979, "prior_back_pain": True, "history": "", "remind_at": "09:00,21:00"}


@dataclass
class Rows:
    pain: list[dict[str, Any]] = field(default_factory=list)
    treatment: list[dict[str, Any]] = field(default_factory=list)
    symptom: list[dict[str, Any]] = field(default_factory=list)

    @property
    def events(self) -> int:
        return len(self.pain) + len(self.treatment) + len(self.symptom)


class _Person:
    """Walks day by day from `start` to `end`, appending rows."""

    def __init__(self, rng: random.Random, zone: ZoneInfo, density: float, end: datetime):
        self.rng = rng
        self.zone = zone
        self.density = density
        self.end = end
        self.rows = Rows()
        self.level = 2.0  # today's underlying pain
        self.flare_day = -1  # days since a flare began (-1: none)
        self.drug = "ibuprofen"  # what this person takes in the current stretch
        self.open_symptom: tuple[str, date] | None = None

    # --- helpers ---------------------------------------------------------------------

    def _uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _at(self, day: date, minute: int) -> datetime | None:
        local = datetime.combine(day, time(0), tzinfo=self.zone) + timedelta(minutes=minute)
        at = local.astimezone(UTC)
        return at if at <= self.end else None

    def _stamps(self, at: datetime) -> dict[str, Any]:
        created = at + timedelta(seconds=self.rng.randint(5, 600))
        return {"uid": self._uid(), "at": at, "created_at": created, "deleted_at": None}

    def _count(self, mean: float) -> int:
        return max(0, round(self.rng.gauss(mean, max(0.6, mean / 6))))

    def _minutes(self, n: int) -> list[int]:
        return sorted(self.rng.randint(WAKE, SLEEP) for _ in range(n))

    def pain(self, day: date, minute: int, pain: int, spasms: int, radiates: str) -> None:
        at = self._at(day, minute)
        if at is None:
            return
        location = "lower" if self.rng.random() < 0.85 else self.rng.choice(("middle", "upper"))
        note = "after gardening" if self.rng.random() < 0.01 else None
        self.rows.pain.append(
            self._stamps(at)
            | {
                "pain": pain,
                "spasms": spasms,
                "location": location,
                "radiates": radiates,
                "note": note,
            }
        )

    def treat(self, day: date, minute: int, kind: str, **values: Any) -> None:
        at = self._at(day, minute)
        if at is None:
            return
        relief = self.rng.randint(0, 6) if self.rng.random() < 0.3 else None
        self.rows.treatment.append(
            self._stamps(at)
            | {
                "kind": kind,
                "drug": values.get("drug"),
                "dose_mg": values.get("dose_mg"),
                "minutes": values.get("minutes"),
                "relief": relief,
                "relaxant": False,
                "note": None,
            }
        )

    def symptom(self, day: date, code: str, present: bool) -> None:
        at = self._at(day, self.rng.randint(WAKE, SLEEP))
        if at is None:
            return
        self.rows.symptom.append(
            self._stamps(at) | {"code": code, "present": present, "note": None}
        )

    # --- one day -----------------------------------------------------------------------

    def pain_free_day(self, day: date) -> None:
        for minute in self._minutes(max(1, self._count(1.0 * self.density))):
            self.pain(day, minute, 0, 0, "none")
        for minute in self._minutes(self._count(1.5 * self.density)):
            kind = self.rng.choice(("walking", "walking", "stretching"))
            self.treat(day, minute, kind, minutes=self.rng.choice((10, 15, 20, 30, 45)))

    def painful_day(self, day: date) -> None:
        rng = self.rng
        if self.flare_day < 0 and rng.random() < 0.025:
            self.flare_day = 0
            self.level = rng.uniform(6, 9)
            self.drug = rng.choice(("ibuprofen", "ibuprofen", "naproxen", "acetaminophen"))
        elif self.flare_day >= 0:
            self.flare_day += 1
            self.level = max(2.0, self.level - rng.uniform(0.2, 0.6))
            if self.level <= 2.5:
                self.flare_day = -1
        else:
            self.level = min(3.5, max(1.0, self.level + rng.uniform(-0.5, 0.5)))
        level = self.level

        radiates = "none"
        if level >= 6 and rng.random() < 0.3:
            radiates = rng.choice(("buttock", "thigh"))
        for minute in self._minutes(max(1, self._count(4 * self.density))):
            pain = min(10, max(1, round(level + rng.uniform(-1.2, 1.2))))
            spasms = rng.randint(0, 3) if level >= 5 else int(rng.random() < 0.15)
            self.pain(day, minute, pain, spasms, radiates)

        doses = self.medicines(day, level)
        care = max(0, self._count(5 * self.density) - doses)
        thermal = "ice" if 0 <= self.flare_day <= 2 else "heat"
        for minute in self._minutes(care):
            kind = rng.choice((thermal, thermal, "stretching", "walking", "stretching"))
            minutes = {"ice": 15, "heat": 20}.get(kind) or rng.choice((10, 15, 20, 30))
            if kind in ("ice", "heat"):
                minutes = rng.choice((minutes - 5, minutes, minutes))
            self.treat(day, minute, kind, minutes=minutes)

    def medicines(self, day: date, level: float) -> int:
        """Label doses at label intervals; returns how many were logged."""
        rng = self.rng
        if level < 2 or rng.random() < 0.3:
            return 0
        if self.drug == "naproxen":
            times, dose = ([8 * 60, 20 * 60] if level >= 4 else [9 * 60]), 220.0
        elif self.drug == "acetaminophen":
            times = [8 * 60, 14 * 60, 20 * 60] if level >= 4 else [9 * 60, 21 * 60]
            dose = 500.0 if level < 6 else 1000.0
        else:
            times = [8 * 60, 14 * 60, 20 * 60] if level >= 4 else [9 * 60]
            dose = 400.0 if level >= 4 else 200.0
        count = 0
        for minute in times:
            self.treat(day, minute + rng.randint(0, 45), "medication", drug=self.drug, dose_mg=dose)
            count += 1
        if level >= 7 and 0 <= self.flare_day <= 7 and rng.random() < 0.5:
            self.treat(
                day, 22 * 60 + rng.randint(0, 50), "medication", drug="cyclobenzaprine", dose_mg=5.0
            )
            count += 1
        return count

    def symptoms(self, day: date) -> None:
        if self.open_symptom is not None:
            code, since = self.open_symptom
            if (day - since).days >= self.rng.randint(2, 10):
                self.symptom(day, code, present=False)
                self.open_symptom = None
        elif self.rng.random() < 0.04:
            code = self.rng.choice(SYMPTOMS_MILD)
            self.symptom(day, code, present=True)
            self.open_symptom = (code, day)


def generate(
    *,
    end: datetime,
    years: float = 10,
    seed: int = 2026,
    density: float = 3.6,
    chronic: bool = False,
) -> Rows:
    """The rows of `years` of history up to `end` (aware), oldest first.

    `chronic`: pain that never stops, no pain-free stretch at all, so the whole history is
    one episode (the rules must still read only its first 24 h and the last 60 days).
    """
    rng = random.Random(seed)
    zone = ZoneInfo(ZONE)
    person = _Person(rng, zone, density, end.astimezone(UTC))
    last = end.astimezone(zone).date()
    day = last - timedelta(days=round(365.25 * years) - 1)
    free_until = day - timedelta(days=1)
    next_free = day + timedelta(days=rng.randint(28, 70))
    while day <= last:
        # Pain-free stretches of 7-14 days every 4-10 weeks; none in the last three weeks,
        # so the history ends in an active episode (what `check` and `status` are for).
        if not chronic and day >= next_free and (last - day).days > 21 + 14:
            free_until = day + timedelta(days=rng.randint(7, 14))
            next_free = free_until + timedelta(days=rng.randint(28, 70))
        if day <= free_until:
            person.pain_free_day(day)
            person.level, person.flare_day = 1.5, -1
        else:
            if day == free_until + timedelta(days=1):
                # A new episode starts with a flare.
                person.flare_day, person.level = 0, rng.uniform(5, 8)
                person.drug = rng.choice(("ibuprofen", "naproxen", "acetaminophen"))
            person.painful_day(day)
        person.symptoms(day)
        day += timedelta(days=1)
    return person.rows


def _insert(session: Any, table: Any, rows: list[dict[str, Any]], chunk: int = 20_000) -> None:
    from sqlalchemy import insert

    for start in range(0, len(rows), chunk):
        session.execute(insert(table), rows[start : start + chunk])


def create(path: Path, *, with_profile: bool = True) -> None:
    """An up-to-date DB with no events (and the benchmark profile, if asked)."""
    from backcare.store.engine import open_store
    from backcare.store.tables import ProfileRow

    store = open_store(path, create=True)
    try:
        if with_profile:
            now = datetime.now(UTC)
            with store.write() as session:
                row = {"id": 1, "uid": str(uuid.uuid4()), "created_at": now, "updated_at": now}
                _insert(session, ProfileRow.__table__, [row | PROFILE])
    finally:
        store.close()


def build(
    path: Path,
    *,
    end: datetime,
    years: float = 10,
    seed: int = 2026,
    density: float = 3.6,
    chronic: bool = False,
) -> dict[str, Any]:
    """Create the DB at `path` (it must not exist) and fill it; returns what was built."""
    from backcare.store.engine import open_store
    from backcare.store.tables import PainEntryRow, SymptomReportRow, TreatmentRow

    started = clock.perf_counter()
    rows = generate(end=end, years=years, seed=seed, density=density, chronic=chronic)
    generated = clock.perf_counter()
    create(path)
    store = open_store(path, create=False)
    try:
        with store.write() as session:
            _insert(session, PainEntryRow.__table__, rows.pain)
            _insert(session, TreatmentRow.__table__, rows.treatment)
            _insert(session, SymptomReportRow.__table__, rows.symptom)
    finally:
        store.close()
    done = clock.perf_counter()
    first = min(r["at"] for r in rows.pain)
    return {
        "path": str(path),
        "years": years,
        "seed": seed,
        "density": density,
        "chronic": chronic,
        "first": first.isoformat(),
        "end": end.isoformat(),
        "events": rows.events,
        "pain": len(rows.pain),
        "treatment": len(rows.treatment),
        "symptom": len(rows.symptom),
        "generate_s": round(generated - started, 2),
        "insert_s": round(done - generated, 2),
        "db_mb": round(path.stat().st_size / 2**20, 1),
    }


def main() -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Build a synthetic backcare history.")
    parser.add_argument("db", type=Path, help="the DB file to create (must not exist)")
    parser.add_argument("--empty", action="store_true", help="no events: the profile only")
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--density", type=float, default=3.6)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--end", help="the last instant, ISO with offset (default: this hour)")
    parser.add_argument("--chronic", action="store_true", help="one episode: never pain-free")
    args = parser.parse_args()
    if args.empty:
        create(args.db)
        print(json.dumps({"path": str(args.db), "events": 0}))
        return
    end = (
        datetime.fromisoformat(args.end)
        if args.end
        else datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    )
    if end.tzinfo is None:
        end = end.replace(tzinfo=ZoneInfo(ZONE))
    info = build(
        args.db,
        end=end,
        years=args.years,
        seed=args.seed,
        density=args.density,
        chronic=args.chronic,
    )
    print(json.dumps(info, indent=1))


if __name__ == "__main__":
    main()
