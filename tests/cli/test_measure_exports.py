"""Questionnaires and goals move like entries: CSV, JSON (lossless), import, FHIR (issue 16)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import uuid
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from tests.conftest import Run, row_counts

RMDQ = ",".join(["1"] * 7 + ["0"] * 17)  # score 7 of 24


def _fill(run: Run) -> None:
    assert run("log", "5", "--at", "2026-11-01 08:00").exit_code == 0
    assert run("measure", "rmdq", "--answers", RMDQ, "--at", "2026-11-02 09:00").exit_code == 0
    startback = "1,0,0,0,1,1,1,0,4"
    assert (
        run("measure", "startback", "--answers", startback, "--at", "2026-11-02 09:05").exit_code
        == 0
    )
    assert run("goals", "add", "walk the dog", "--at", "2026-11-01 09:00").exit_code == 0
    # a formula-looking activity
    assert run("goals", "add", "=SUM(A1)", "--at", "2026-11-01 09:00").exit_code == 0
    assert (
        run(
            "measure", "psfs", "--answers", "4,7", "--at", "2026-11-03 07:00", "--note", "ok"
        ).exit_code
        == 0
    )


def _measures(db: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT uid, at, instrument, answers, goals, note, deleted_at FROM measure ORDER BY uid"
        ).fetchall()
    finally:
        conn.close()


def _without_stamp(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if "exported_at" not in line]


def test_json_round_trip_is_lossless_and_import_is_idempotent(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    _fill(run)
    assert run("delete", "m1", "--yes").exit_code == 0  # a soft-deleted measure is kept too
    assert run("goals", "remove", "g1").exit_code == 0
    first = tmp_path / "a.json"
    assert run("export", "json", "-o", str(first)).exit_code == 0
    data = json.loads(first.read_text("utf-8"))
    assert [m["instrument"] for m in data["measures"]] == ["rmdq", "startback", "psfs"]
    assert data["measures"][0]["deleted_at"] is not None
    assert data["measures"][2]["goals"] == ["walk the dog", "=SUM(A1)"]
    assert [g["ended_at"] is not None for g in data["goals"]] == [True, False]

    other = tmp_path / "other.db"
    imported = run("import", str(first), db=other)
    assert imported.exit_code == 0, imported.stderr
    assert "3 questionnaires and 2 activities" in imported.stdout
    again = run("import", str(first), db=other)
    assert again.exit_code == 0
    assert row_counts(other)["measure"] == 3 and row_counts(other)["goal"] == 2
    assert _measures(other) == _measures(db_path)
    second = tmp_path / "b.json"
    assert run("export", "json", "-o", str(second), db=other).exit_code == 0
    assert _without_stamp(second) == _without_stamp(first)


def test_a_bad_measure_in_a_file_imports_nothing(run: Run, tmp_path: Path) -> None:
    _fill(run)
    out = tmp_path / "a.json"
    run("export", "json", "-o", str(out))
    data = json.loads(out.read_text("utf-8"))
    data["measures"][1]["answers"][8] = 5  # STarT Back item 9 has 5 options: 0-4
    out.write_text(json.dumps(data), "utf-8")
    other = tmp_path / "other.db"
    result = run("import", str(out), db=other)
    assert result.exit_code == 2
    assert "STarT Back item 9" in result.stderr and "0-4" in result.stderr
    assert row_counts(other).get("measure", 0) == 0 and row_counts(other).get("pain_entry", 0) == 0


def test_csv_has_one_row_per_measure_and_imports_back(
    run: Run, db_path: Path, tmp_path: Path
) -> None:
    _fill(run)
    out = tmp_path / "a.csv"
    assert run("export", "csv", "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    measures = [r for r in rows if r["type"] == "measure"]
    assert [(r["instrument"], r["score"], r["answers"]) for r in measures] == [
        ("rmdq", "7", RMDQ.replace(",", " ")),
        ("startback", "5", "1 0 0 0 1 1 1 0 4"),
        ("psfs", "5.5", "4 7"),
    ]
    assert measures[2]["goals"] == '["walk the dog", "=SUM(A1)"]'
    assert measures[2]["note"] == "ok"
    assert all(r["pain"] == "" for r in measures)

    other = tmp_path / "other.db"
    imported = run("import", str(out), db=other)
    assert imported.exit_code == 0, imported.stderr
    assert "3 questionnaires" in imported.stdout
    keep = lambda rows: [(r[0], r[2], r[3], r[4], r[5]) for r in rows]  # noqa: E731
    assert keep(_measures(other)) == keep(_measures(db_path))
    # A wrong answer in the CSV: exit 2 naming the item, nothing imported.
    text = out.read_text("utf-8-sig").replace(RMDQ.replace(",", " "), "1 " * 23 + "2")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, "utf-8")
    third = tmp_path / "third.db"
    result = run("import", str(bad), db=third)
    assert result.exit_code == 2 and "Roland-Morris item 24" in result.stderr
    assert row_counts(third).get("measure", 0) == 0


def test_fhir_questionnaire_response_and_score_observation_validate(
    run: Run, tmp_path: Path
) -> None:
    _fill(run)
    out = tmp_path / "b.json"
    assert run("export", "fhir", "-o", str(out)).exit_code == 0
    bundle = json.loads(out.read_text("utf-8"))
    Bundle.model_validate(bundle)
    resources = [e["resource"] for e in bundle["entry"]]
    responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
    assert len(responses) == 3
    for response in responses:
        QuestionnaireResponse.model_validate(response)
        assert response["status"] == "completed" and "questionnaire" not in response
    rmdq = responses[0]
    assert "Roland-Morris" in rmdq["text"]["div"]
    assert [(i["linkId"], i["answer"][0]["valueInteger"]) for i in rmdq["item"]][:8] == [
        *((str(n), 1) for n in range(1, 8)),
        ("8", 0),
    ]
    assert rmdq["item"][0]["text"] == "I stay at home most of the time because of my back."
    by_id = {r["id"]: r for r in resources}
    score = by_id[str(uuid.uuid5(uuid.UUID(rmdq["id"]), "score"))]
    Observation.model_validate(score)
    assert "coding" not in score["code"]  # no code could be cited: text only
    assert score["valueInteger"] == 7
    assert score["derivedFrom"] == [{"reference": f"urn:uuid:{rmdq['id']}"}]
    startback = by_id[str(uuid.uuid5(uuid.UUID(responses[1]["id"]), "score"))]
    assert "coding" not in startback["code"]  # no code could be cited: text only
    assert startback["valueInteger"] == 5
    assert startback["component"][1]["valueCodeableConcept"] == {"text": "high"}
    psfs = responses[2]
    assert [i["text"] for i in psfs["item"]] == ["walk the dog", "=SUM(A1)"]
