"""FHIR export, validated with fhir.resources' R4B models.

fhir.resources 8 ships R5 at its top level and R4B / STU3 as sub-packages; there is no plain
R4 package. R4B is the R4 technical correction: Observation, MedicationStatement, Procedure
and Bundle are unchanged from R4 in the elements used here.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure

from backcare.domain.model import Event, PainEntry, Treatment
from backcare.domain.symptoms import SYMPTOM_QUESTIONS
from backcare.export.fhir import PAIN_LOINC, PAIN_LOINC_DISPLAY, SPASMS_TEXT, fhir_bundle

from .conftest import BERLIN, uid

MODELS: dict[str, Any] = {
    "Observation": Observation,
    "MedicationStatement": MedicationStatement,
    "Procedure": Procedure,
}


def by_id(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["resource"]["id"]: entry["resource"] for entry in bundle["entry"]}


def test_bundle_and_every_resource_validate_as_r4b(events: list[Event]) -> None:
    bundle = fhir_bundle(events, BERLIN, timestamp=datetime(2026, 4, 1, 18, 0, tzinfo=UTC))
    parsed = Bundle.model_validate(json.loads(json.dumps(bundle)))  # JSON-ready, too
    assert parsed.type == "collection"
    assert parsed.entry is not None
    assert len(parsed.entry) == len(bundle["entry"])
    for entry, model_entry in zip(bundle["entry"], parsed.entry, strict=True):
        resource = entry["resource"]
        model = MODELS[resource["resourceType"]]
        model.model_validate(resource)
        assert isinstance(model_entry.resource, model)
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
    ids = [entry["resource"]["id"] for entry in bundle["entry"]]
    assert len(ids) == len(set(ids))
    assert bundle["timestamp"] == "2026-04-01T20:00:00+02:00"


def test_pain_observation(events: list[Event]) -> None:
    resources = by_id(fhir_bundle(events, BERLIN))
    pain = resources[uid(1)]
    assert pain["resourceType"] == "Observation" and pain["status"] == "final"
    assert pain["code"]["coding"] == [
        {"system": "http://loinc.org", "code": PAIN_LOINC, "display": PAIN_LOINC_DISPLAY}
    ]
    assert PAIN_LOINC == "72514-3"
    assert PAIN_LOINC_DISPLAY == "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
    category = pain["category"][0]["coding"][0]
    assert (category["code"], category["system"]) == (
        "survey",
        "http://terminology.hl7.org/CodeSystem/observation-category",
    )
    assert pain["valueQuantity"]["value"] == 7
    assert pain["effectiveDateTime"] == "2026-03-28T08:15:00+01:00"
    assert pain["bodySite"] == {"text": "Lower back"}
    assert pain["component"][0]["valueCodeableConcept"] == {"text": "Thigh"}

    spasm_id = str(uuid.uuid5(uuid.UUID(uid(1)), "spasms"))
    spasms = resources[spasm_id]
    assert spasms["code"] == {"text": SPASMS_TEXT}
    assert spasms["valueInteger"] == 3
    # stable across exports
    assert spasm_id in by_id(fhir_bundle(events, BERLIN))


def test_medication_statement(events: list[Event]) -> None:
    resources = by_id(fhir_bundle(events, BERLIN, patient_ref="Patient/42"))
    dose = resources[uid(2)]
    assert dose["resourceType"] == "MedicationStatement"
    assert dose["status"] == "completed"
    assert dose["category"]["coding"][0]["code"] == "patientspecified"
    assert dose["medicationCodeableConcept"] == {
        "text": "ibuprofen",
        "coding": [
            {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "5640",
             "display": "Ibuprofen"}
        ],
    }  # fmt: skip
    assert dose["subject"] == {"reference": "Patient/42"}
    assert dose["informationSource"] == {"reference": "Patient/42"}
    quantity = dose["dosage"][0]["doseAndRate"][0]["doseQuantity"]
    assert quantity == {
        "value": 400,
        "unit": "mg",
        "system": "http://unitsofmeasure.org",
        "code": "mg",
    }
    assert {"text": "with food"} in dose["note"]
    relaxant = resources[uid(3)]
    assert relaxant["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 7.5
    assert any("muscle relaxant" in note["text"] for note in relaxant["note"])


def test_care_is_a_procedure_with_a_dst_correct_period() -> None:
    at = datetime(2026, 3, 29, 0, 50, tzinfo=UTC)  # 01:50 CET, 10 minutes before the change
    events: list[Event] = [
        Treatment(at=at, kind="ice", minutes=20, relief=6, note="helped", uid=uid(1)),
        Treatment(at=at, kind="walking", uid=uid(2)),
    ]
    bundle = fhir_bundle(events, BERLIN)
    Bundle.model_validate(bundle)
    ice, walk = (entry["resource"] for entry in bundle["entry"])
    Procedure.model_validate(ice)
    assert ice["resourceType"] == "Procedure" and ice["status"] == "completed"
    assert ice["performedPeriod"] == {
        "start": "2026-03-29T01:50:00+01:00",
        "end": "2026-03-29T03:10:00+02:00",  # 20 real minutes later
    }
    assert ice["outcome"]["text"].endswith("6/10")
    assert ice["code"]["text"].startswith("Ice")
    assert walk["performedDateTime"] == "2026-03-29T01:50:00+01:00"
    assert "outcome" not in walk and "note" not in walk


def test_symptom_observation(events: list[Event]) -> None:
    resources = by_id(fhir_bundle(events))
    present, gone = resources[uid(5)], resources[uid(6)]
    assert present["code"] == {"text": SYMPTOM_QUESTIONS["fever"]}
    assert present["valueBoolean"] is True and gone["valueBoolean"] is False
    assert gone["note"] == [{"text": "gone"}]
    assert present["effectiveDateTime"].endswith("+00:00")  # no tz: UTC


def test_empty_bundle_validates() -> None:
    bundle = fhir_bundle([])
    assert bundle == {"resourceType": "Bundle", "type": "collection"}
    Bundle.model_validate(bundle)


def test_event_without_uid_is_refused() -> None:
    with pytest.raises(ValueError):
        fhir_bundle([PainEntry(at=datetime(2026, 1, 1, tzinfo=UTC), pain=1)])


def test_resources_do_not_share_objects(events: list[Event]) -> None:
    bundle = fhir_bundle(events)
    first, second = bundle["entry"][0]["resource"], bundle["entry"][1]["resource"]
    first["category"][0]["text"] = "changed"
    first["subject"]["display"] = "changed"
    assert second["category"][0]["text"] == "Survey"
    assert second["subject"]["display"] != "changed"
