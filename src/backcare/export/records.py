"""The `type` of an event in every export format (CSV `type` column, JSON `type` key)."""

from __future__ import annotations

from backcare.domain.model import Event, PainEntry, SymptomReport, Treatment

EVENT_TYPES: dict[type, str] = {PainEntry: "pain", Treatment: "treatment", SymptomReport: "symptom"}


def event_type(event: Event) -> str:
    """ "pain", "treatment" or "symptom"."""
    return EVENT_TYPES[type(event)]
