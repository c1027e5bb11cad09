"""Input models: what a person typed, checked and normalised before anything is stored.

Pure functions raising InputError (exit 2) with a message from messages.py that says what is
accepted and never repeats the value typed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from backcare import messages as msg
from backcare.domain import entries, values
from backcare.domain.drugs import (
    KNOWN_DRUGS,
    SUGGEST_CUTOFF,
    check_name,
    largest_single_mg,
    recognise,
    suggest,
)
from backcare.domain.symptoms import SYMPTOM_SYNONYMS
from backcare.domain.thresholds import TYPO_FACTOR
from backcare.errors import InputError

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


# What a field may hold is its declaration's (domain/entries: the import and `db check` read
# the same): these read it, so the CLI's checks below cannot disagree with them.
def _bounds(kind: entries.Kind, name: str) -> tuple[int, int]:
    """A whole-number field's declared bounds."""
    spec = kind.field(name)
    return int(spec.low or 0), int(spec.high or 0)


def _choices(kind: entries.Kind, name: str) -> tuple[str, ...]:
    """A choice field's declared values."""
    return kind.field(name).choices


def _limit(kind: entries.Kind, name: str) -> int:
    """A text field's declared most characters."""
    limit = kind.field(name).limit
    if limit is None:
        raise ValueError(f"{kind.letter}.{name} declares no limit")
    return limit


# One note check serves every kind: their notes declare one limit (a test keeps it so).
NOTE_LIMIT = _limit(entries.PAIN, "note")
CARE_KINDS = _choices(entries.TREATMENT, "kind")
SYMPTOM_CODES = _choices(entries.SYMPTOM, "code")
DOSE_MAX_MG = float(entries.TREATMENT.field("dose_mg").high or 0)


@dataclass(frozen=True, slots=True)
class NewPain:
    at: datetime
    pain: int
    spasms: int | None = None  # None: not recorded (the option was left out)
    location: str | None = None
    radiates: str | None = None  # None: not recorded
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
    product: str | None = None  # the product name typed, when it is not the generic


@dataclass(frozen=True, slots=True)
class NewTreatments:
    """What one `treat` stores: one row per tracked ingredient, and what to tell the person."""

    rows: tuple[NewTreatment, ...]
    unchecked: bool = False  # a medicine backcare cannot place: doses not checked
    assumed_one_tablet: bool = False  # no dose given: counted as one tablet of the product


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


_OUT_OF_TEN = re.compile(r"\s*(\d{1,2})\s*/\s*10\s*")


def _out_of_ten(value: object) -> object:
    """`7/10` is 7: people give a 0-10 score the way a clinician writes it."""
    if isinstance(value, str):
        match = _OUT_OF_TEN.fullmatch(value)
        if match:
            return match.group(1)
    return value


def check_pain(value: object) -> int:
    return _int_in(_out_of_ten(value), *_bounds(entries.PAIN, "pain"), msg.PAIN_RANGE)


def check_spasms(value: object) -> int:
    return _int_in(value, *_bounds(entries.PAIN, "spasms"), msg.SPASMS_RANGE)


def check_relief(value: object | None) -> int | None:
    low, high = _bounds(entries.TREATMENT, "relief")
    return None if value is None else _int_in(_out_of_ten(value), low, high, msg.RELIEF_RANGE)


def check_minutes(value: object | None) -> int | None:
    low, high = _bounds(entries.TREATMENT, "minutes")
    return None if value is None else _int_in(value, low, high, msg.MINUTES_POSITIVE)


def check_dose(value: object | None) -> float | None:
    """A dose as people give it: 400, 400mg, 400 mg, 0.5g, 2x200 (tablets x mg). In mg."""
    if value is None:
        return None
    text = str(value).strip().lower().replace("\u00d7", "x")
    match = _DOSE.fullmatch(text)
    if match is None:
        if _DOSE_ANY_UNIT.fullmatch(text):
            raise InputError(msg.DOSE_UNIT)
        raise InputError(msg.DOSE_POSITIVE)
    try:
        dose = float(match.group("amount")) * _UNITS[match.group("unit")]
    except ValueError:
        raise InputError(msg.DOSE_POSITIVE) from None
    count = match.group("count")
    if count is not None:
        tablets = int(count)
        if not 1 <= tablets <= MAX_TABLETS:
            raise InputError(msg.TABLETS_RANGE)
        dose *= tablets
    if not math.isfinite(dose) or dose <= 0 or dose > DOSE_MAX_MG:
        raise InputError(msg.DOSE_POSITIVE)
    return _tidy(dose)


def _tidy(mg: float) -> float:
    mg = round(mg, 3)
    return int(mg) if float(mg).is_integer() else mg


MAX_TABLETS = 100
_UNITS: dict[str, float] = {"": 1.0, "mg": 1.0, "g": 1000.0}
_DOSE = re.compile(
    r"(?:(?P<count>[0-9]{1,3})\s*[x*]\s*)?(?P<amount>[0-9]{1,7}(?:\.[0-9]{1,4})?|\.[0-9]{1,4})"
    r"\s*(?P<unit>mg|g|)"
)
_DOSE_ANY_UNIT = re.compile(
    r"(?:[0-9]{1,3}\s*[x*]\s*)?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*[a-z\u00b5\u03bc]+"
)


def check_tablets(value: object | None) -> int | None:
    return None if value is None else _int_in(value, 1, MAX_TABLETS, msg.TABLETS_RANGE)


def check_strength(value: object | None) -> float | None:
    if value is None:
        return None
    try:
        return check_dose(value)
    except InputError:
        raise InputError(msg.STRENGTH_POSITIVE) from None


def check_plausible(generic: str | None, dose_mg: float | None) -> None:
    """Refuse a dose over TYPO_FACTOR x the drug's largest single dose as a likely typo."""
    if generic is None or dose_mg is None:
        return
    largest = largest_single_mg(generic)
    if largest is not None and dose_mg > TYPO_FACTOR * largest:
        raise InputError(msg.DOSE_TYPO.format(factor=TYPO_FACTOR), msg.DOSE_TYPO_HINT)


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
    """A symptom code, from the code or a plain word for it (`tingling`); else InputError
    suggesting the closest code."""
    cleaned = " ".join(code.strip().lower().replace("_", "-").split())
    if cleaned in SYMPTOM_CODES:
        return cleaned
    if cleaned in SYMPTOM_SYNONYMS:
        return SYMPTOM_SYNONYMS[cleaned]
    if cleaned.replace(" ", "-") in SYMPTOM_CODES:
        return cleaned.replace(" ", "-")
    found = difflib.get_close_matches(
        cleaned, [*SYMPTOM_CODES, *SYMPTOM_SYNONYMS], n=1, cutoff=SUGGEST_CUTOFF
    )
    if found:
        suggestion = SYMPTOM_SYNONYMS.get(found[0], found[0])
        raise InputError(msg.UNKNOWN_SYMPTOM, msg.UNKNOWN_SYMPTOM_SUGGEST.format(code=suggestion))
    raise InputError(
        msg.UNKNOWN_SYMPTOM, msg.UNKNOWN_SYMPTOM_HINT.format(codes=", ".join(SYMPTOM_CODES))
    )


def new_pain(
    *,
    at: datetime,
    pain: object,
    spasms: object | None = None,
    where: str | None = None,
    radiates: str | None = None,
    note: str | None = None,
) -> NewPain:
    return NewPain(
        at=at,
        pain=check_pain(pain),
        spasms=None if spasms is None else check_spasms(spasms),
        location=_where(where) if where is not None else None,
        radiates=_radiates(radiates) if radiates is not None else None,
        note=check_note(note),
    )


# Everyday words for a kind of care (`treat ice-pack`, `treat physio`).
KIND_WORDS: dict[str, str] = {
    "ice-pack": "ice",
    "ice pack": "ice",
    "icepack": "ice",
    "cold": "ice",
    "cold pack": "ice",
    "heat pack": "heat",
    "heating pad": "heat",
    "hot water bottle": "heat",
    "warmth": "heat",
    "stretch": "stretching",
    "stretches": "stretching",
    "walk": "walking",
    "physio": "physical-therapy",
    "physiotherapy": "physical-therapy",
    "physical therapy": "physical-therapy",
    "pt": "physical-therapy",
    "chiro": "chiropractic",
    "chiropractor": "chiropractic",
    "brace": "compression",
    "resting": "rest",
}


def _unknown(name: str, *, as_kind: bool) -> None:
    """Refuse a name close to a known one ("Did you mean ...?"); as a kind, refuse any."""
    close = suggest(name)
    if close is not None:
        found = recognise(close)
        if found is not None and found.product.combination and _same_base(name, close):
            raise InputError(msg.COMBINATION_STRENGTH.format(product=close))
        raise InputError(msg.DID_YOU_MEAN.format(name=close), msg.DID_YOU_MEAN_HINT)
    if as_kind:
        care = [k for k in CARE_KINDS if k != "medication"]
        near = difflib.get_close_matches(name, [*care, *KIND_WORDS], n=1, cutoff=0.7)
        if near:
            kind = KIND_WORDS.get(near[0], near[0])
            raise InputError(msg.UNKNOWN_KIND, msg.UNKNOWN_TREATMENT_SUGGEST.format(kind=kind))
        kinds = ", ".join(care)
        raise InputError(
            msg.UNKNOWN_KIND,
            msg.UNKNOWN_KIND_HINT.format(kinds=kinds, drugs=", ".join(KNOWN_DRUGS)),
        )


def _same_base(typed: str, known: str) -> bool:
    letters = "".join(c for c in typed.lower() if c.isalpha())
    return letters == "".join(c for c in known.lower() if c.isalpha())


def _name_for(drug: str, *, unlisted: bool) -> tuple[bool, str]:
    """(known, name) for `medication --drug NAME`; refuses a near miss unless unlisted."""
    try:
        cleaned = check_name(drug)
    except ValueError:
        raise InputError(msg.DRUG_NAME_BAD) from None
    found = recognise(cleaned)
    if found is not None and found.ingredients:
        return True, found.ingredients[0][0]
    if not unlisted:
        _unknown(cleaned, as_kind=False)
    return False, cleaned


def new_treatments(
    *,
    at: datetime,
    kind: str,
    drug: str | None = None,
    dose: object | None = None,
    tablets: object | None = None,
    strength: object | None = None,
    minutes: object | None = None,
    relief: object | None = None,
    relaxant: bool = False,
    unlisted: bool = False,
    note: str | None = None,
) -> NewTreatments:
    """`treat`: a care entry, or a medicine recorded per ingredient (see domain/drugs.py).

    Combination products give one row per tracked ingredient, each with its own mg and the
    product name. With no dose at all, a product of known strength counts as one tablet
    (counting nothing would hide it from every dose rule).
    """
    cleaned = " ".join(kind.strip().lower().split())
    cleaned = KIND_WORDS.get(cleaned, cleaned)
    checked_minutes, checked_relief, checked_note = (
        check_minutes(minutes),
        check_relief(relief),
        check_note(note),
    )

    def make(
        kind: str,
        drug: str | None = None,
        dose_mg: float | None = None,
        relaxant: bool = False,
        product: str | None = None,
    ) -> NewTreatment:
        return NewTreatment(
            at=at,
            kind=kind,
            drug=drug,
            dose_mg=dose_mg,
            minutes=checked_minutes,
            relief=checked_relief,
            relaxant=relaxant,
            note=checked_note,
            product=product,
        )

    count = check_tablets(tablets)
    per_tablet = check_strength(strength)
    dose_mg = check_dose(dose)
    is_care = cleaned in CARE_KINDS and cleaned != "medication"
    if is_care or (cleaned != "medication" and drug is not None):
        if drug is not None:
            raise InputError(msg.DRUG_WITH_KIND)
        if dose_mg is not None or count is not None or per_tablet is not None:
            raise InputError(msg.DOSE_NEEDS_DRUG)
        if relaxant:
            raise InputError(msg.RELAXANT_NEEDS_MEDICATION)
        return NewTreatments((make(cleaned),))
    if cleaned == "medication":
        if drug is None:
            raise InputError(msg.DRUG_REQUIRED)
        typed = drug
    else:
        if relaxant:
            raise InputError(msg.RELAXANT_NEEDS_MEDICATION)
        typed = cleaned
    if dose_mg is not None and count is not None:
        raise InputError(msg.DOSE_OR_TABLETS)
    if per_tablet is not None and count is None:
        raise InputError(msg.STRENGTH_NEEDS_TABLETS)
    if count is not None and per_tablet is not None:
        dose_mg = _tidy(count * per_tablet)
    try:
        name = check_name(typed)
    except ValueError:
        raise InputError(msg.DRUG_NAME_BAD) from None
    found = recognise(name)
    if found is None or not found.ingredients:
        if cleaned != "medication":
            _unknown(name, as_kind=True)
        if not unlisted:
            _unknown(name, as_kind=False)
        if count is not None and per_tablet is None:
            raise InputError(msg.TABLETS_NEED_STRENGTH)
        row = make("medication", drug=name, dose_mg=dose_mg, relaxant=relaxant)
        return NewTreatments((row,), unchecked=True)
    if relaxant:
        raise InputError(msg.RELAXANT_KNOWN.format(name=found.ingredients[0][0]))
    product = None if found.is_generic else found.product.name
    ingredients = found.ingredients
    combination = len(ingredients) > 1
    strengths_known = all(mg is not None for _, mg in ingredients)
    if combination and not strengths_known:
        raise InputError(msg.COMBINATION_NO_STRENGTH.format(product=found.product.name))
    if combination and (dose is not None or per_tablet is not None):
        raise InputError(msg.COMBINATION_DOSE.format(product=found.product.name))
    assumed = False
    if combination or (per_tablet is None and dose_mg is None):
        n = count
        if n is None and strengths_known and (product is not None or found.strength_mg):
            n, assumed = 1, True
        if n is not None and not strengths_known:
            raise InputError(msg.TABLETS_NEED_STRENGTH)
        amounts = [None if n is None or mg is None else _tidy(n * mg) for _, mg in ingredients]
    else:
        amounts = [dose_mg]
    rows = []
    for (generic, _), mg in zip(ingredients, amounts, strict=True):
        check_plausible(generic, mg)
        rows.append(make("medication", drug=generic, dose_mg=mg, product=product))
    return NewTreatments(tuple(rows), assumed_one_tablet=assumed)


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
    """One row (care, or a single-ingredient medicine); for tests and simple callers."""
    entry = new_treatments(
        at=at,
        kind=kind,
        drug=drug,
        dose=dose,
        minutes=minutes,
        relief=relief,
        relaxant=relaxant,
        unlisted=True,
        note=note,
    )
    return entry.rows[0]


def check_history_flags(text: str) -> frozenset[str]:
    choices = _PROFILE["history"].choices
    items = {part.strip().lower() for part in text.split(",") if part.strip()}
    if items == {"none"}:
        return frozenset()
    unknown = items - set(choices)
    if unknown or not items:
        raise InputError(msg.HISTORY_CHOICES.format(choices=", ".join(choices)))
    return frozenset(items)


_CLOCK_PART = re.compile(r"[0-9]{1,2}")


def check_remind_time(text: str) -> time:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(_CLOCK_PART.fullmatch(p) for p in parts):  # not "²:00
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


_PROFILE = {spec.name: spec for spec in entries.PROFILE}
NAME_MAX = _PROFILE["name"].limit or entries.PERSON_NAME_LIMIT


def check_person_name(text: str) -> str | None:
    """The identity's name, spaces tidied; "" clears it (None). One line, at most NAME_MAX."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    if len(cleaned) > NAME_MAX or any(not c.isprintable() for c in cleaned):
        raise InputError(msg.NAME_INVALID.format(limit=NAME_MAX))
    return cleaned


def check_date_of_birth(text: str, *, today: date) -> date | None:
    """A date of birth YYYY-MM-DD from 1900-01-01 to `today`; "" clears it (None)."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        if len(cleaned) != 10:
            raise ValueError
        born = date.fromisoformat(cleaned)
    except ValueError:
        raise InputError(msg.DATE_OF_BIRTH_INVALID) from None
    if not values.birth_date_ok(born, today):
        raise InputError(msg.DATE_OF_BIRTH_INVALID)
    return born


def check_profile(
    spec: entries.ProfileField, typed: str | Sequence[str], *, today: date
) -> entries.ProfileValue:
    """A `profile set` value, checked by its field's declared form (domain/entries PROFILE);
    `today` bounds a birth year and a date of birth. Several values only for times."""
    if spec.form == entries.CLOCKS:
        texts = [typed] if isinstance(typed, str) else typed
        return tuple(sorted(check_remind_time(text) for text in texts))
    if not isinstance(typed, str):
        raise TypeError(spec.name)
    if spec.form == entries.YEAR:
        return check_birth_year(typed, this_year=today.year)
    if spec.form == entries.YES_NO:
        return check_yes_no(typed, spec.option)
    if spec.form == entries.FLAGS:
        return check_history_flags(typed)
    if spec.form == entries.PERSON:
        return check_person_name(typed)
    if spec.form == entries.DAY:
        return check_date_of_birth(typed, today=today)
    raise ValueError(spec.form)


def check_yes_no(text: str, option: str) -> bool:
    cleaned = text.strip().lower()
    if cleaned in ("yes", "y", "true"):
        return True
    if cleaned in ("no", "n", "false"):
        return False
    raise InputError(msg.YES_NO.format(option=option))


# p pain, t treatment, s symptom, c check-in, a acknowledgement, r prescription,
# m measure (questionnaire), g goal (PSFS activity)
REF_LETTERS = "ptscarmg"
_ID_NUMBER = re.compile(r"[0-9]{1,19}")


def parse_ref(text: str) -> tuple[str, int]:
    """`p12` -> ("p", 12). InputError for anything else."""
    cleaned = text.strip().lower()
    # ASCII digits, at most 19 (2**62 has 19): "p²" and a 5000-digit id are bad input, where
    # str.isdigit() let them through to int(), which raised (review).
    if len(cleaned) < 2 or cleaned[0] not in REF_LETTERS or not _ID_NUMBER.fullmatch(cleaned[1:]):
        raise InputError(msg.BAD_ID, msg.BAD_ID_HINT)
    number = int(cleaned[1:])
    if number <= 0 or number > 2**62:
        raise InputError(msg.BAD_ID, msg.BAD_ID_HINT)
    return cleaned[0], number


# --- prescriptions (`backcare meds prescribe`) ---------------------------------------------

MAX_EVERY_HOURS = (entries.PRESCRIPTION.field("every").high or 0) / 60  # declared in minutes
MAX_COURSE_DAYS = 366


@dataclass(frozen=True, slots=True)
class NewPrescription:
    at: datetime  # in force from
    drug: str
    dose_mg: float | None = None
    every_minutes: int | None = None
    max_daily_mg: float | None = None
    until: datetime | None = None
    relaxant: bool = False
    note: str | None = None


def prescription_drug(name: str, *, relaxant: bool) -> str:
    """The generic a prescription is for: a one-ingredient name backcare knows, else the
    name as typed (a near miss is refused with its suggestion, like `treat`)."""
    try:
        cleaned = check_name(name)
    except ValueError:
        raise InputError(msg.DRUG_NAME_BAD) from None
    found = recognise(cleaned)
    if found is not None:
        if len(found.ingredients) != 1:
            raise InputError(msg.PRESCRIBE_COMBINATION.format(product=found.product.name))
        if relaxant:
            raise InputError(msg.RELAXANT_KNOWN.format(name=found.ingredients[0][0]))
        return found.ingredients[0][0]
    _unknown(cleaned, as_kind=False)
    return cleaned


def new_prescription(
    *,
    drug: str,
    start: datetime,
    dose: object | None = None,
    every: object | None = None,
    max_daily: object | None = None,
    days: object | None = None,
    until: datetime | None = None,
    relaxant: bool = False,
    note: str | None = None,
) -> NewPrescription:
    generic = prescription_drug(drug, relaxant=relaxant)
    dose_mg = check_dose(dose)
    check_plausible(generic, dose_mg)
    every_minutes = None
    if every is not None:
        try:
            hours = float(str(every).strip())
        except ValueError:
            raise InputError(msg.EVERY_RANGE) from None
        if not math.isfinite(hours) or not 0 < hours <= MAX_EVERY_HOURS:
            raise InputError(msg.EVERY_RANGE)
        every_minutes = max(1, round(hours * 60))
    max_mg = None
    if max_daily is not None:
        try:
            max_mg = check_dose(max_daily)
        except InputError:
            raise InputError(msg.MAX_DAILY_POSITIVE) from None
    if max_mg is not None and dose_mg is not None and max_mg < dose_mg:
        raise InputError(msg.MAX_DAILY_BELOW_DOSE)
    if days is not None and until is not None:
        raise InputError(msg.DAYS_OR_UNTIL)
    ends = until
    if days is not None:
        n = _int_in(days, 1, MAX_COURSE_DAYS, msg.COURSE_DAYS_RANGE)
        ends = start + timedelta(days=n)
    if ends is not None and ends <= start:
        raise InputError(msg.UNTIL_BEFORE_FROM)
    return NewPrescription(
        at=start,
        drug=generic,
        dose_mg=dose_mg,
        every_minutes=every_minutes,
        max_daily_mg=max_mg,
        until=ends,
        relaxant=relaxant,
        note=check_note(note),
    )


def _where(value: str) -> str | None:
    return check_choice(value, _choices(entries.PAIN, "location"), msg.WHERE_CHOICES)


def _radiates(value: str) -> str | None:
    return check_choice(value, _choices(entries.PAIN, "radiates"), msg.RADIATES_CHOICES)


# What `edit` does with a value typed for a declared editable field (domain/entries): the
# CLI's friendlier forms (7/10, 400mg, a location in any case). `at` is read by the time
# grammar in the CLI; a yes/no field is a flag pair that needs no check.
# tests/domain/test_entries.py checks every other editable field has one.
EDIT_CHECKS: dict[str, Callable[[str], entries.Value]] = {
    "pain": check_pain,
    "spasms": check_spasms,
    "location": _where,
    "radiates": _radiates,
    "dose_mg": check_dose,
    "minutes": check_minutes,
    "relief": check_relief,
    "note": check_note,
    "answers": lambda text: parse_answers(str(text)),  # checked against the instrument later
}


# --- questionnaires and PSFS goals (`backcare measure`, `backcare goals`; issue 16) ----------


def check_instrument(name: str) -> str:
    """The instrument id typed (case, dashes and spaces aside), of those asked; InputError with
    the closest, or why a retired one (PEG) is no longer asked."""
    from backcare.domain.instruments import ASKED_IDS

    cleaned = name.strip().lower().replace("-", "").replace(" ", "").replace("_", "")
    check_asked(cleaned)
    if cleaned in ASKED_IDS:
        return cleaned
    names = ", ".join(ASKED_IDS)
    close = difflib.get_close_matches(cleaned, ASKED_IDS, n=1, cutoff=0.6)
    if close:
        raise InputError(
            msg.MEASURE_UNKNOWN, msg.MEASURE_DID_YOU_MEAN.format(name=close[0], names=names)
        )
    raise InputError(msg.MEASURE_UNKNOWN, msg.MEASURE_UNKNOWN_HINT.format(names=names))


def check_asked(instrument_id: str) -> None:
    """InputError (exit 2) for a retired instrument: backcare no longer asks it, so it takes
    no new answers (`measure`, `edit --answers`); its stored scores stay readable."""
    from backcare.domain.instruments import ASKED_IDS, RETIRED

    retired = RETIRED.get(instrument_id)
    if retired is not None:
        raise InputError(
            msg.MEASURE_RETIRED.format(name=retired.short),
            msg.MEASURE_RETIRED_HINT.format(names=", ".join(ASKED_IDS), name=retired.short),
        )


def parse_answers(text: str) -> tuple[int, ...]:
    """`1,0,1` (spaces allowed) -> (1, 0, 1); InputError for anything else."""
    parts = [p.strip() for p in text.split(",")]
    if any(not _WHOLE_NUMBER.fullmatch(p) or len(p) > 6 for p in parts):
        raise InputError(msg.MEASURE_ANSWERS_FORMAT)
    return tuple(int(p) for p in parts)


def check_answers(
    instrument_id: str, answers: tuple[int, ...], goals: tuple[str, ...] = ()
) -> tuple[int, ...]:
    """The answers when they fit the instrument; else InputError naming the item and its
    range (never the value typed)."""
    from backcare.domain.measures import answer_problem, instrument

    problem = answer_problem(instrument_id, answers, goals)
    if problem is None:
        return answers
    name = instrument(instrument_id).short
    if problem.kind == "goals":
        raise InputError(msg.MEASURE_NO_GOALS, msg.MEASURE_NO_GOALS_HINT)
    if problem.kind == "count":
        raise InputError(
            msg.MEASURE_ANSWER_COUNT.format(
                name=name,
                items=msg.count_of(problem.expected, "item", "items"),
                given=problem.given,
            ),
            msg.MEASURE_ANSWER_COUNT_HINT,
        )
    assert problem.item is not None
    item = problem.item
    raise InputError(
        msg.MEASURE_ANSWER_RANGE.format(name=name, number=item.number, low=item.low, high=item.high)
    )


def check_goal_text(text: str) -> str:
    """A PSFS activity: no control characters (domain/values, as import and `db check`),
    spaces folded, at most GOAL_TEXT_LIMIT characters."""
    limit = _limit(entries.GOAL, "text")
    if values.text_problem(text, len(text)) is not None:  # the rule import and db check use
        raise InputError(msg.GOAL_BAD_CHARS)
    cleaned = " ".join(text.split())  # a tab or newline folds to one space
    if not cleaned:
        raise InputError(msg.GOAL_EMPTY)
    if not values.visible(cleaned):  # U+200B, U+202E... alone: an empty “” in the report
        raise InputError(msg.GOAL_INVISIBLE)
    if len(cleaned) > limit:
        raise InputError(msg.GOAL_TOO_LONG.format(limit=limit))
    return cleaned
