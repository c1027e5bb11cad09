"""FHIR R4 export: a `Bundle` of type `collection` for a clinician's system.

Mapping (every resource is patient-reported; ids are the event uids, `fullUrl` urn:uuid:...):
- pain entry -> `Observation`, LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating
  [Score] - Reported", category `survey`, `valueQuantity` {score}; location as `bodySite`
  (text), radiation as a `component`, note as `note`.
- spasm count of a pain entry -> a second `Observation` (text code, `valueInteger`), id
  uuid5(entry uid, "spasms") so it is stable across exports. Written for every pain entry:
  0 is a recorded answer ("no spasms since the previous entry"), not a missing one.
- symptom report -> `Observation`, category `survey`, code text = the question asked,
  `valueBoolean` = present.
- medication dose -> `MedicationStatement`, status `completed`, category `patientspecified`,
  `informationSource` = the patient, drug as `medicationCodeableConcept.text`, with the
  RxNorm ingredient coding for the generics in `RXNORM_INGREDIENTS` (docs/codes.md), dose
  as `dosage.doseAndRate.doseQuantity` in UCUM mg; relief and the user's
  "muscle relaxant" mark as notes.
- ice, heat and other non-drug care -> `Procedure`, status `completed`, performer = the
  patient, `performedPeriod` [at, at + minutes] when minutes are known (the domain reads `at`
  as the start of an application) else `performedDateTime`, relief as `outcome`.
  Procedure rather than Observation: these are actions taken, not findings; Procedure has
  the fields they need (who performed it, for how long, with what outcome), and clinical
  systems list Procedures with the care given while Observations read as measurements.

- questionnaire (`backcare measure`, issue 16) -> a `QuestionnaireResponse` (status
  `completed`, id = the measure's uid, one item per question: linkId = the item number, the
  question as `text` (none for the retired PEG: backcare no longer holds its wording),
  `answer.valueInteger`; the instrument is named in its narrative
  `text`, and `questionnaire` is left out: no published canonical URL could be cited) plus
  an `Observation` of its score (id uuid5(uid, "score"), `derivedFrom` the response). The
  PEG mean (stored scores: PEG is no longer asked) carries LOINC 91147-9 "Mean score [PEG]"
  (a code, not the instrument's text); the other scores are code text only.
  One value form per instrument: a mean (PEG, PSFS) is `valueQuantity` {score}, even when
  whole; a count (Roland-Morris, STarT Back) is `valueInteger`.
  STarT Back adds the psychosocial subscale and the risk group as components.

Codes other than LOINC/UCUM and the HL7 category systems are text only (`CodeableConcept.text`):
backcare's vocabularies have no published code system, and a guessed code is worse than none.

The patient: with `patient_ref` (e.g. "Patient/123", an existing record in the receiving
system) every resource's subject references it and no Patient is written. Otherwise, with an
identity (`profile set --name ... [--date-of-birth D]`, passed as `patient`), a `Patient`
resource (id = the profile's uid, name as text, birthDate) comes first and every resource
references it by its fullUrl. With neither, `subject` is a display-only Reference (valid
FHIR; a receiving system links the bundle to its patient on import). Times are written in
`tz` (UTC when None), with their offset.

Bundle type: `collection` (default), or `transaction`, where every entry carries
`request: PUT <Type>/<id>`: an update-as-create by the stable ids (event uids, uuid5 for the
spasm observations, the profile uid for the Patient), so posting the same bundle twice
creates nothing twice (FHIR R4 RESTful API, "update as create"; the server must allow
client-assigned ids).

The shapes are validated in the tests against `fhir.resources.R4B` (fhir.resources 8 has no
plain-R4 package: its top level is R5; R4B is the R4 technical correction, and the elements
used here are identical in R4 and R4B).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from backcare import messages as msg
from backcare.domain import entries
from backcare.domain.model import Event, Measure, PainEntry, SymptomReport, Treatment
from backcare.domain.symptoms import SYMPTOM_QUESTIONS
from backcare.export.csv_export import format_number
from backcare.jsonfmt import JSONObject, JSONValue
from backcare.jsonfmt import dumps as json_dumps

LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
# RxNorm ingredient codes, only where a source was cited (docs/codes.md lists each with it);
# every other drug stays text only: a guessed code is worse than none.
RXNORM_INGREDIENTS: dict[str, tuple[str, str]] = {
    "ibuprofen": ("5640", "Ibuprofen"),
    "naproxen": ("7258", "Naproxen"),
    "diclofenac": ("3355", "Diclofenac"),
    "aspirin": ("1191", "Aspirin"),
    "acetaminophen": ("161", "Acetaminophen"),
}
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
MEDICATION_STATEMENT_CATEGORY = (
    "http://terminology.hl7.org/CodeSystem/medication-statement-category"
)

PAIN_LOINC = "72514-3"
PAIN_LOINC_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
SPASMS_TEXT = msg.FHIR_SPASMS_TEXT
RADIATES_TEXT = msg.FHIR_RADIATES_HEADING


def _survey() -> list[JSONObject]:
    # Fresh objects for every resource: a caller may edit one resource of the bundle.
    return [
        {
            "coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}],
            "text": "Survey",
        }
    ]


def _patient_specified() -> JSONObject:
    return {
        "coding": [
            {
                "system": MEDICATION_STATEMENT_CATEGORY,
                "code": "patientspecified",
                "display": "Patient Specified",
            }
        ]
    }


_LOCATION_TEXT = msg.FHIR_LOCATION_TEXT
_RADIATES_TEXT = msg.FHIR_RADIATES_TEXT
_CARE_TEXT = msg.FHIR_CARE_TEXT
DEFAULT_SUBJECT_DISPLAY = msg.FHIR_SUBJECT_DISPLAY


BUNDLE_TYPES = ("collection", "transaction")


@dataclass(frozen=True, slots=True)
class PatientIdentity:
    """The optional identity of the profile: the Patient resource's id, name and birth date."""

    uid: str
    name: str | None = None
    birth_date: date | None = None


def patient_resource(patient: PatientIdentity) -> JSONObject:
    resource: JSONObject = {"resourceType": "Patient", "id": patient.uid}
    if patient.name:
        resource["name"] = [{"text": patient.name}]
    if patient.birth_date is not None:
        resource["birthDate"] = patient.birth_date.isoformat()
    return resource


def _entry(resource: JSONObject, transaction: bool) -> JSONObject:
    entry: JSONObject = {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}
    if transaction:
        entry["request"] = {"method": "PUT", "url": f"{resource['resourceType']}/{resource['id']}"}
    return entry


def fhir_bundle(
    events: Iterable[Event | Measure],
    tz: tzinfo | None = None,
    patient_ref: str | None = None,
    *,
    timestamp: datetime | None = None,
    patient: PatientIdentity | None = None,
    bundle_type: str = "collection",
) -> JSONObject:
    """A FHIR R4 Bundle (`bundle_type` collection or transaction) of `events`, as a dict.

    `events` should be live (not soft-deleted) and carry their uids; `timestamp`, when given,
    becomes `Bundle.timestamp` (there is no clock in here). `patient_ref` wins over `patient`.
    `iter_fhir` writes the same Bundle as streamed JSON text.
    """
    bundle = _bundle_head(tz, timestamp, bundle_type)
    entries = list(_entries(events, tz or UTC, patient_ref, patient, bundle_type))
    if entries:
        bundle["entry"] = entries
    return bundle


_CHUNK_ENTRIES = 1000


def iter_fhir(
    events: Iterable[Event | Measure],
    tz: tzinfo | None = None,
    patient_ref: str | None = None,
    *,
    timestamp: datetime | None = None,
    patient: PatientIdentity | None = None,
    bundle_type: str = "collection",
) -> Iterator[str]:
    """`fhir_bundle` as compact JSON text chunks; `events` is consumed lazily.

    Memory stays flat however long the log is: entries are encoded `_CHUNK_ENTRIES` at a
    time, one per line, with compact separators (Python's C encoder path).
    """
    head = _compact(_bundle_head(tz, timestamp, bundle_type))
    entries = _entries(events, tz or UTC, patient_ref, patient, bundle_type)
    first = next(entries, None)
    if first is None:
        yield head + "\n"
        return
    yield head[:-1] + ',"entry":[\n' + _compact(first)
    lines: list[str] = []
    for entry in entries:
        lines.append(",\n" + _compact(entry))
        if len(lines) >= _CHUNK_ENTRIES:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + "\n]}\n"


def _compact(value: JSONValue) -> str:
    return json_dumps(value)  # the one JSON format (backcare/jsonfmt.py)


def _bundle_head(tz: tzinfo | None, timestamp: datetime | None, bundle_type: str) -> JSONObject:
    if bundle_type not in BUNDLE_TYPES:
        raise ValueError(f"bundle type must be one of {BUNDLE_TYPES}")
    bundle: JSONObject = {"resourceType": "Bundle", "type": bundle_type}
    if timestamp is not None:
        bundle["timestamp"] = timestamp.astimezone(tz or UTC).isoformat()
    return bundle


def _entries(
    events: Iterable[Event | Measure],
    zone: tzinfo,
    patient_ref: str | None,
    patient: PatientIdentity | None,
    bundle_type: str,
) -> Iterator[JSONObject]:
    """The Bundle's entries, lazily: the Patient first (when one is written), then each
    event's resources."""
    transaction = bundle_type == "transaction"
    if patient_ref:
        subject: dict[str, str] = {"reference": patient_ref}
    elif patient is not None:
        subject = {"reference": f"urn:uuid:{patient.uid}"}
        yield _entry(patient_resource(patient), transaction)
    else:
        subject = {"display": DEFAULT_SUBJECT_DISPLAY}
    for event in events:
        if not event.uid:
            raise ValueError("an event without a uid cannot be exported to FHIR")
        for resource in _resources(event, zone, subject):
            yield _entry(resource, transaction)


def _treatment(t: Treatment, when: str, zone: tzinfo, subject: dict[str, str]) -> list[JSONObject]:
    return [
        _medication(t, when, subject) if t.kind == "medication" else _procedure(t, zone, subject)
    ]


# FHIR's own mapping of each kind, keyed by the declared event kinds (domain/entries.py);
# tests/domain/test_entries.py checks every declared event kind has one.
MAPPINGS: dict[str, Callable[[Any, str, tzinfo, dict[str, str]], list[JSONObject]]] = {
    "p": lambda e, when, zone, subject: _pain(e, when, subject),
    "t": _treatment,
    "s": lambda e, when, zone, subject: [_symptom(e, when, subject)],
}


def _resources(event: Event | Measure, zone: tzinfo, subject: dict[str, str]) -> list[JSONObject]:
    when = event.at.astimezone(zone).isoformat()
    if isinstance(event, Measure):  # not a declared event kind yet: its own list
        return measure_resources(event, when, subject)
    mapping = MAPPINGS.get(entries.kind_of(event).letter)
    if mapping is None:
        raise TypeError(f"not an event: {type(event).__name__}")
    return mapping(event, when, zone, subject)


def _notes(*texts: str | None) -> list[dict[str, str]]:
    return [{"text": text} for text in texts if text]


def _observation(uid: str, code: JSONObject, when: str, subject: dict[str, str]) -> JSONObject:
    return {
        "resourceType": "Observation",
        "id": uid,
        "status": "final",
        "category": _survey(),
        "code": code,
        "subject": dict(subject),
        "effectiveDateTime": when,
        "performer": [dict(subject)],
    }


def _pain(entry: PainEntry, when: str, subject: dict[str, str]) -> list[JSONObject]:
    pain = _observation(
        entry.uid,
        {
            "coding": [{"system": LOINC, "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY}],
            "text": msg.FHIR_PAIN_TEXT,
        },
        when,
        subject,
    )
    pain["valueQuantity"] = {
        "value": entry.pain,
        "unit": "{score}",
        "system": UCUM,
        "code": "{score}",
    }
    body_site = None
    if entry.location is not None:
        body_site = {"text": _LOCATION_TEXT.get(entry.location, entry.location)}
        pain["bodySite"] = body_site
    if entry.radiates is not None:  # not recorded: no component (never "none")
        pain["component"] = [
            {
                "code": {"text": RADIATES_TEXT},
                "valueCodeableConcept": {
                    "text": _RADIATES_TEXT.get(entry.radiates, entry.radiates)
                },
            }
        ]
    if entry.note:
        pain["note"] = _notes(entry.note)
    if entry.spasms is None:  # not recorded: no spasm Observation (never a 0)
        return [pain]
    spasms = _observation(
        str(uuid.uuid5(uuid.UUID(entry.uid), "spasms")), {"text": SPASMS_TEXT}, when, subject
    )
    spasms["valueInteger"] = entry.spasms
    if body_site is not None:
        spasms["bodySite"] = dict(body_site)
    return [pain, spasms]


def _symptom(report: SymptomReport, when: str, subject: dict[str, str]) -> JSONObject:
    question = SYMPTOM_QUESTIONS.get(report.code, report.code)
    observation = _observation(report.uid, {"text": question}, when, subject)
    observation["valueBoolean"] = report.present
    if report.note:
        observation["note"] = _notes(report.note)
    return observation


def _relief(relief: int | None) -> str | None:
    return None if relief is None else msg.FHIR_RELIEF_NOTE.format(relief=relief)


def _drug_concept(drug: str | None) -> JSONObject:
    concept: JSONObject = {"text": drug or msg.FHIR_UNSPECIFIED_DRUG}
    coded = RXNORM_INGREDIENTS.get(drug or "")
    if coded is not None:
        concept["coding"] = [{"system": RXNORM, "code": coded[0], "display": coded[1]}]
    return concept


def _medication(treatment: Treatment, when: str, subject: dict[str, str]) -> JSONObject:
    statement: JSONObject = {
        "resourceType": "MedicationStatement",
        "id": treatment.uid,
        "status": "completed",
        "category": _patient_specified(),
        "medicationCodeableConcept": _drug_concept(treatment.drug),
        "effectiveDateTime": when,
        "subject": dict(subject),
        "informationSource": dict(subject),
    }
    dose = format_number(treatment.dose_mg)
    if dose is not None:
        statement["dosage"] = [
            {
                "text": f"{dose} mg",
                "doseAndRate": [
                    {"doseQuantity": {"value": dose, "unit": "mg", "system": UCUM, "code": "mg"}}
                ],
            }
        ]
    notes = _notes(
        treatment.note,
        _relief(treatment.relief),
        msg.FHIR_RELAXANT_NOTE if treatment.relaxant else None,
        msg.FHIR_DURATION_NOTE.format(minutes=treatment.minutes) if treatment.minutes else None,
    )
    if notes:
        statement["note"] = notes
    return statement


def _procedure(treatment: Treatment, zone: tzinfo, subject: dict[str, str]) -> JSONObject:
    start = treatment.at.astimezone(UTC)
    procedure: JSONObject = {
        "resourceType": "Procedure",
        "id": treatment.uid,
        "status": "completed",
        "code": {"text": _CARE_TEXT.get(treatment.kind, treatment.kind)},
        "subject": dict(subject),
        "performer": [{"actor": dict(subject)}],
    }
    if treatment.minutes:
        end = start + timedelta(minutes=treatment.minutes)  # real minutes, across DST too
        procedure["performedPeriod"] = {
            "start": start.astimezone(zone).isoformat(),
            "end": end.astimezone(zone).isoformat(),
        }
    else:
        procedure["performedDateTime"] = start.astimezone(zone).isoformat()
    relief = _relief(treatment.relief)
    if relief is not None:
        procedure["outcome"] = {"text": relief}
    if treatment.note:
        procedure["note"] = _notes(treatment.note)
    return procedure


# --- questionnaires (issue 16): QuestionnaireResponse + the score's Observation ---------------

PEG_LOINC = "91147-9"  # LOINC "Mean score [PEG]" (docs/sources.md, "Questionnaires")
PEG_LOINC_DISPLAY = "Mean score [PEG]"
XHTML = "http://www.w3.org/1999/xhtml"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def measure_resources(measure: Measure, when: str, subject: dict[str, str]) -> list[JSONObject]:
    """The QuestionnaireResponse of a completed questionnaire and the Observation of its
    score (the published scoring, domain/measures.py)."""
    from fractions import Fraction

    from backcare.domain.measures import instrument, items_for, score

    inst = instrument(measure.instrument)
    items = items_for(measure.instrument, measure.goals)
    named = f"{inst.name}. {inst.copyright}" if inst.copyright else inst.name
    response: JSONObject = {
        "resourceType": "QuestionnaireResponse",
        "id": measure.uid,
        "text": {"status": "generated", "div": f'<div xmlns="{XHTML}">{_escape(named)}</div>'},
        "status": "completed",
        "subject": dict(subject),
        "authored": when,
        "author": dict(subject),
        "source": dict(subject),
        # a retired instrument (PEG) has no wording here: its items are numbers only
        "item": [
            {"linkId": str(item.number)}
            | ({"text": item.text} if item.text else {})
            | {"answer": [{"valueInteger": answer}]}
            for item, answer in zip(items, measure.answers, strict=True)
        ],
    }
    result = score(measure)
    code: JSONObject = {"text": f"{inst.name} score"}
    if measure.instrument == "peg":
        code["coding"] = [{"system": LOINC, "code": PEG_LOINC, "display": PEG_LOINC_DISPLAY}]
    observation = _observation(
        str(uuid.uuid5(uuid.UUID(measure.uid), "score")), code, when, subject
    )
    if isinstance(result.value, Fraction):  # a mean (PEG, PSFS): a decimal quantity, even 4.0
        observation["valueQuantity"] = {
            "value": round(float(result.value), 2),
            "unit": "{score}",
            "system": UCUM,
            "code": "{score}",
        }
    else:
        observation["valueInteger"] = int(result.value)
    if result.subscale is not None and result.risk is not None:
        observation["component"] = [
            {
                "code": {"text": msg.FHIR_STARTBACK_SUBSCALE},
                "valueInteger": result.subscale,
            },
            {
                "code": {"text": msg.FHIR_STARTBACK_RISK},
                "valueCodeableConcept": {"text": result.risk},
            },
        ]
    observation["derivedFrom"] = [{"reference": f"urn:uuid:{measure.uid}"}]
    if measure.note:
        observation["note"] = _notes(measure.note)
    return [response, observation]
