"""Input models: what a person typed, checked and normalised before anything is stored.

Pure functions raising InputError (exit 2) with a message from messages.py that says what is
accepted and never repeats the value typed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, time

from backcare import messages as msg
from backcare.domain import values
from backcare.domain.drugs import KNOWN_DRUGS, drug_for, normalise_drug
from backcare.domain.model import CARE_KINDS, HISTORY_FLAGS, LOCATIONS, RADIATES
from backcare.domain.symptoms import SYMPTOM_CODES
from backcare.errors import InputError

NOTE_LIMIT = values.NOTE_LIMIT
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class NewPain:
    at: datetime
    pain: int
    spasms: int = 0
    location: str | None = None
    radiates: str = "none"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NewTreatment:
    at: datetime
    kind: str
    drug: str | None = None
    dose_mg: float | None = None
    minutes: int | None = None
    relief: int | None = None
    relaxant: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NewSymptom:
    at: datetime
    code: str
    present: bool = True
    note: str | None = None


def _int_in(value: object, low: int, high: int | None, message: str) -> int:
    if isinstance(value, bool):
        raise InputError(message)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        # ASCII digits only: str.isdigit() also accepts "²" and "①", which int() refuses.
        if len(text) > 12 or not _WHOLE_NUMBER.fullmatch(text):
            raise InputError(message)
        number = int(text)
    if number < low or (high is not None and number > high):
        raise InputError(message)
    return number


def check_pain(value: object) -> int:
    return _int_in(value, 0, 10, msg.PAIN_RANGE)


def check_spasms(value: object) -> int:
    return _int_in(value, 0, 100_000, msg.SPASMS_RANGE)


def check_relief(value: object | None) -> int | None:
    return None if value is None else _int_in(value, 0, 10, msg.RELIEF_RANGE)


def check_minutes(value: object | None) -> int | None:
    return None if value is None else _int_in(value, 1, 24 * 60, msg.MINUTES_POSITIVE)


def check_dose(value: object | None) -> float | None:
    if value is None:
        return None
    try:
        dose = float(str(value).strip())
    except ValueError:
        raise InputError(msg.DOSE_POSITIVE) from None
    if not math.isfinite(dose) or dose <= 0 or dose > 100_000:
        raise InputError(msg.DOSE_POSITIVE)
    return int(dose) if dose.is_integer() else dose


def check_choice(value: str | None, choices: tuple[str, ...], message: str) -> str | None:
    if value is None:
        return None
    cleaned = value.strip().lower()
    if cleaned not in choices:
        raise InputError(message.format(choices=", ".join(choices)))
    return cleaned


def check_note(value: str | None) -> str | None:
    """A note as `domain/values` defines valid text (the same test as import, db check)."""
    if value is None:
        return None
    problem = values.text_problem(value, NOTE_LIMIT)
    if problem == values.TOO_LONG:
        raise InputError(msg.NOTE_TOO_LONG.format(limit=NOTE_LIMIT))
    if problem is not None:
        raise InputError(msg.NOTE_BAD_CHARS)
    return value.strip() or None


def check_symptom(code: str) -> str:
    cleaned = code.strip().lower()
    if cleaned not in SYMPTOM_CODES:
        raise InputError(
            msg.UNKNOWN_SYMPTOM, msg.UNKNOWN_SYMPTOM_HINT.format(codes=", ".join(SYMPTOM_CODES))
        )
    return cleaned


def new_pain(
    *,
    at: datetime,
    pain: object,
    spasms: object = 0,
    where: str | None = None,
    radiates: str | None = None,
    note: str | None = None,
) -> NewPain:
    return NewPain(
        at=at,
        pain=check_pain(pain),
        spasms=check_spasms(spasms),
        location=check_choice(where, LOCATIONS, msg.WHERE_CHOICES),
        radiates=check_choice(radiates, RADIATES, msg.RADIATES_CHOICES) or "none",
        note=check_note(note),
    )


def resolve_kind(kind: str, drug: str | None) -> tuple[str, str | None]:
    """(kind, normalised drug) for `treat KIND [--drug NAME]`; a drug name is a medication."""
    cleaned = kind.strip().lower()
    if cleaned == "medication":
        if drug is None:
            raise InputError(msg.DRUG_REQUIRED)
        try:
            return "medication", drug_for(drug).name
        except ValueError:
            raise InputError(msg.DRUG_NAME_BAD) from None
    generic = normalise_drug(cleaned)
    if generic is not None:
        if drug is not None:
            raise InputError(msg.DRUG_WITH_KIND)
        return "medication", generic
    if cleaned in CARE_KINDS:
        if drug is not None:
            raise InputError(msg.DRUG_WITH_KIND)
        return cleaned, None
    kinds = ", ".join(k for k in CARE_KINDS if k != "medication")
    raise InputError(
        msg.UNKNOWN_KIND, msg.UNKNOWN_KIND_HINT.format(kinds=kinds, drugs=", ".join(KNOWN_DRUGS))
    )


def new_treatment(
    *,
    at: datetime,
    kind: str,
    drug: str | None = None,
    dose: object | None = None,
    minutes: object | None = None,
    relief: object | None = None,
    relaxant: bool = False,
    note: str | None = None,
) -> NewTreatment:
    resolved_kind, resolved_drug = resolve_kind(kind, drug)
    dose_mg = check_dose(dose)
    if dose_mg is not None and resolved_kind != "medication":
        raise InputError(msg.DOSE_NEEDS_DRUG)
    if relaxant and (resolved_kind != "medication" or kind.strip().lower() != "medication"):
        raise InputError(msg.RELAXANT_NEEDS_MEDICATION)
    return NewTreatment(
        at=at,
        kind=resolved_kind,
        drug=resolved_drug,
        dose_mg=dose_mg,
        minutes=check_minutes(minutes),
        relief=check_relief(relief),
        relaxant=relaxant,
        note=check_note(note),
    )


def check_history_flags(text: str) -> frozenset[str]:
    items = {part.strip().lower() for part in text.split(",") if part.strip()}
    if items == {"none"}:
        return frozenset()
    unknown = items - set(HISTORY_FLAGS)
    if unknown or not items:
        raise InputError(msg.HISTORY_CHOICES.format(choices=", ".join(HISTORY_FLAGS)))
    return frozenset(items)


def check_remind_time(text: str) -> time:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        raise InputError(msg.REMIND_AT_BAD)
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        raise InputError(msg.REMIND_AT_BAD)
    return time(hour, minute)


def check_birth_year(text: str, *, this_year: int) -> int:
    """A plausible birth year (values.birth_year_ok: 1900 to this year; the caller knows
    the clock)."""
    cleaned = text.strip()
    if not _WHOLE_NUMBER.fullmatch(cleaned) or not values.birth_year_ok(int(cleaned), this_year):
        raise InputError(msg.BIRTH_YEAR_RANGE)
    return int(cleaned)


def check_yes_no(text: str, option: str) -> bool:
    cleaned = text.strip().lower()
    if cleaned in ("yes", "y", "true"):
        return True
    if cleaned in ("no", "n", "false"):
        return False
    raise InputError(msg.YES_NO.format(option=option))


def parse_ref(text: str) -> tuple[str, int]:
    """`p12` -> ("p", 12). InputError for anything else."""
    cleaned = text.strip().lower()
    if len(cleaned) < 2 or cleaned[0] not in "pts" or not cleaned[1:].isdigit():
        raise InputError(msg.BAD_ID, msg.BAD_ID_HINT)
    number = int(cleaned[1:])
    if number <= 0 or number > 2**62:
        raise InputError(msg.BAD_ID, msg.BAD_ID_HINT)
    return cleaned[0], number
