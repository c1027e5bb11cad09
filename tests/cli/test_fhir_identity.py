"""FHIR for a record system: optional identity -> Patient, --patient-ref, transaction bundles."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.conftest import Run, row_counts

LOG = (
    ("log", "6", "--spasms", "2", "--where", "lower", "--at", "2026-03-14 07:45"),
    ("treat", "ibuprofen", "--dose", "400", "--at", "2026-03-14 08:00"),
    ("treat", "ice", "--minutes", "15", "--at", "2026-03-14 09:00"),
    ("symptom", "fever", "--note", "38.2", "--at", "2026-03-14 10:00"),
)


def _export(run: Run, tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "fhir.json"
    result = run(
        "export",
        "fhir",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "-o",
        str(out),
        "--force",
        *args,
    )
    assert result.exit_code == 0, result.stderr
    bundle = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(bundle)  # the test suite's FHIR validator (R4B models)
    return bundle


def _references(resource: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("reference"), str):
                found.append(node["reference"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(resource)
    return found


@pytest.fixture
def logged(run: Run) -> None:
    for args in LOG:
        assert run(*args).exit_code == 0, args


class FhirStub:
    """An in-process FHIR server's transaction endpoint: resources keyed by PUT URL.

    Applies a transaction as FHIR R4 says for PUT: update-as-create (201 when the URL is new,
    200 when it exists); urn:uuid references are resolved to the URL of the entry whose
    fullUrl they name, and must resolve (to this bundle or to a stored resource).
    """

    def __init__(self) -> None:
        self.store: dict[str, dict[str, Any]] = {}

    def post(self, bundle: dict[str, Any]) -> list[str]:
        if bundle.get("type") != "transaction":
            raise ValueError("400: not a transaction")
        entries = bundle.get("entry", [])
        urls = {e["fullUrl"]: e["request"]["url"] for e in entries}
        statuses = []
        staged: dict[str, dict[str, Any]] = {}
        for entry in entries:
            request = entry["request"]
            if request["method"] != "PUT":
                raise ValueError("400: only PUT here")
            url = request["url"]
            resource = json.loads(json.dumps(entry["resource"]))
            kind, _, ident = url.partition("/")
            assert resource["resourceType"] == kind and resource["id"] == ident
            for ref in _references(resource):
                target = urls.get(ref, ref)
                if target not in urls.values() and target not in self.store:
                    raise ValueError(f"400: unresolved reference {ref}")
            staged[url] = resource
            statuses.append("200 OK" if url in self.store else "201 Created")
        self.store.update(staged)
        return statuses


def test_identity_becomes_a_patient_every_resource_references(
    run: Run, logged: None, tmp_path: Path
) -> None:
    result = run("profile", "set", "--name", "Ann  Example", "--date-of-birth", "1980-02-29")
    assert result.exit_code == 0, result.stderr
    bundle = _export(run, tmp_path)
    assert bundle["type"] == "collection"
    patient = bundle["entry"][0]["resource"]
    assert patient["resourceType"] == "Patient"
    assert patient["name"] == [{"text": "Ann Example"}] and patient["birthDate"] == "1980-02-29"
    own = bundle["entry"][0]["fullUrl"]
    assert own == f"urn:uuid:{patient['id']}"
    others = [e["resource"] for e in bundle["entry"][1:]]
    assert {r["resourceType"] for r in others} == {
        "Observation",
        "MedicationStatement",
        "Procedure",
    }
    for resource in others:
        refs = _references(resource)
        assert refs and set(refs) == {own}, resource
        assert "display" not in resource.get("subject", {})


def test_without_identity_there_is_no_patient_and_it_is_never_required(
    run: Run, logged: None, tmp_path: Path
) -> None:
    assert run("profile", "set", "--birth-year", "1980").exit_code == 0
    bundle = _export(run, tmp_path)
    assert "Patient" not in {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert all("display" in e["resource"]["subject"] for e in bundle["entry"])


def test_patient_ref_points_at_an_existing_record(run: Run, logged: None, tmp_path: Path) -> None:
    assert run("profile", "set", "--name", "Ann Example").exit_code == 0
    bundle = _export(run, tmp_path, "--patient-ref", "Patient/abc-123")
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert "Patient" not in kinds
    for entry in bundle["entry"]:
        assert set(_references(entry["resource"])) == {"Patient/abc-123"}


@pytest.mark.parametrize("ref", ["abc", "Patient/", "Patient/a b", "Observation/1", "urn:uuid:x"])
def test_a_bad_patient_ref_is_refused(run: Run, logged: None, tmp_path: Path, ref: str) -> None:
    out = tmp_path / "f.json"
    result = run("export", "fhir", "--patient-ref", ref, "-o", str(out))
    assert result.exit_code == 2 and "--patient-ref" in result.stderr
    assert not out.exists()


def test_a_transaction_posted_twice_creates_each_resource_once(
    run: Run, logged: None, tmp_path: Path
) -> None:
    assert run("profile", "set", "--name", "Ann Example").exit_code == 0
    bundle = _export(run, tmp_path, "--bundle", "transaction")
    assert bundle["type"] == "transaction"
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{resource['resourceType']}/{resource['id']}",
        }
    server = FhirStub()
    first = server.post(bundle)
    assert first == ["201 Created"] * len(bundle["entry"]) and len(bundle["entry"]) == 6
    assert len(server.store) == 6  # patient, pain, spasms, ibuprofen, ice, fever
    again = _export(run, tmp_path, "--bundle", "transaction")  # a new export of the same log
    assert server.post(again) == ["200 OK"] * 6
    assert len(server.store) == 6
    assert run("log", "3", "--spasms", "1", "--at", "2026-03-15 07:00").exit_code == 0
    third = server.post(_export(run, tmp_path, "--bundle", "transaction"))
    assert third.count("201 Created") == 2 and len(server.store) == 8  # pain + spasms
    with pytest.raises(ValueError, match="not a transaction"):
        server.post(_export(run, tmp_path))


def test_bad_bundle_type_is_refused(run: Run, logged: None) -> None:
    result = run("export", "fhir", "--bundle", "batch")
    assert result.exit_code == 2 and "collection or transaction" in result.stderr


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--date-of-birth", "1980-02-30"),
        ("--date-of-birth", "2099-01-01"),
        ("--date-of-birth", "29/02/1980"),
        ("--name", "x" * 201),
        ("--name", "a\x07b"),
    ],
)
def test_bad_identity_is_refused_and_nothing_stored(
    run: Run, db_path: Path, option: str, value: str
) -> None:
    result = run("profile", "set", option, value)
    assert result.exit_code == 2
    assert value not in result.stderr
    assert row_counts(db_path).get("profile", 0) == 0


def test_identity_shows_round_trips_through_json_and_clears(run: Run, tmp_path: Path) -> None:
    assert (
        run(
            "profile",
            "set",
            "--name",
            "Ann Example",
            "--date-of-birth",
            "1980-02-29",
            "--birth-year",
            "1980",
        ).exit_code
        == 0
    )
    shown = json.loads(run("profile", "show", "--json").stdout)
    assert shown["name"] == "Ann Example" and shown["date_of_birth"] == "1980-02-29"
    out = tmp_path / "all.json"
    assert run("export", "json", "-o", str(out)).exit_code == 0
    target = tmp_path / "t.db"
    assert run("import", str(out), db=target).exit_code == 0
    copied = json.loads(run("profile", "show", "--json", db=target).stdout)
    assert copied == shown
    assert run("profile", "set", "--name", "", "--date-of-birth", "").exit_code == 0
    cleared = json.loads(run("profile", "show", "--json").stdout)
    assert cleared["name"] is None and cleared["date_of_birth"] is None
    assert cleared["birth_year"] == 1980


CODED = {  # docs/codes.md gives each one's source
    "ibuprofen": ("5640", "Ibuprofen"),
    "naproxen": ("7258", "Naproxen"),
    "diclofenac": ("3355", "Diclofenac"),
    "aspirin": ("1191", "Aspirin"),
    "acetaminophen": ("161", "Acetaminophen"),
}
UNCODED = ("cyclobenzaprine", "methocarbamol", "carisoprodol", "tizanidine",
           "diazepam")  # fmt: skip


def test_rxnorm_codes_only_for_the_cited_generics(run: Run, tmp_path: Path) -> None:
    doses = {"ibuprofen": "400", "naproxen": "220", "diclofenac": "50", "aspirin": "325",
             "acetaminophen": "500", "cyclobenzaprine": "5", "methocarbamol": "500",
             "carisoprodol": "250", "tizanidine": "2", "diazepam": "2"}  # fmt: skip
    for hour, (drug, dose) in enumerate(doses.items(), start=6):
        at = f"2026-03-14 {hour:02d}:00"
        result = run("treat", "medication", "--drug", drug, "--dose", dose, "--at", at)
        assert result.exit_code == 0, (drug, result.stderr)
    assert run("treat", "ice", "--minutes", "10", "--at", "2026-03-14 17:00").exit_code == 0
    assert run("treat", "heat", "--minutes", "10", "--at", "2026-03-14 18:00").exit_code == 0
    bundle = _export(run, tmp_path)
    Bundle.model_validate(bundle)  # the suite's FHIR validator (R4B models), coded entries too
    by_drug = {
        e["resource"]["medicationCodeableConcept"]["text"]: e["resource"][
            "medicationCodeableConcept"
        ]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
    }
    assert set(by_drug) == set(doses)
    for drug, (code, display) in CODED.items():
        assert by_drug[drug]["coding"] == [
            {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": code,
             "display": display}
        ], drug  # fmt: skip
    for drug in UNCODED:
        assert "coding" not in by_drug[drug], drug
    for e in bundle["entry"]:
        for coding in e["resource"].get("medicationCodeableConcept", {}).get("coding", []):
            assert coding["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm"
    procedures = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Procedure"
    ]
    assert len(procedures) == 2
    for procedure in procedures:
        assert "coding" not in procedure["code"]  # no SNOMED code without a cited source


def test_every_code_is_listed_with_its_source_in_docs() -> None:
    from backcare.export.fhir import RXNORM_INGREDIENTS

    doc = (Path(__file__).parents[2] / "docs" / "codes.md").read_text("utf-8")
    for drug, (code, display) in RXNORM_INGREDIENTS.items():
        row = next(line for line in doc.splitlines() if line.startswith(f"| {drug} "))
        assert f"| {code} | {display} |" in row and "Source" not in row and "http" in row
