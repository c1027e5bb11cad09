"""What the exporters write and the importer reads: a domain event plus its bookkeeping.

The domain dataclasses carry no `created_at` / `deleted_at` (rules never need them); the JSON
export must, so that a restore or a merge keeps soft-deleted rows and their history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backcare.domain.model import PainEntry, SymptomReport, Treatment

Event = PainEntry | Treatment | SymptomReport

# The `type` of an event in every export format (CSV `type` column, JSON `type` key).
EVENT_TYPES: dict[type, str] = {PainEntry: "pain", Treatment: "treatment", SymptomReport: "symptom"}


def event_type(event: Event) -> str:
    """ "pain", "treatment" or "symptom"."""
    return EVENT_TYPES[type(event)]


@dataclass(frozen=True, slots=True)
class ExportRecord:
    """One stored row: the event, when it was recorded, and when it was (soft-)deleted."""

    event: Event
    created_at: datetime
    deleted_at: datetime | None = None
