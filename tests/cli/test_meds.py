"""Medicines through the real CLI and a real SQLite file (issue 12).

Every time is fixed (`--at`, `--as-of`): a write is judged at its own time as well as now,
so the flags these tests expect do not depend on the real clock.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backcare.domain import drugs
from tests.conftest import Run, row_counts

DAY = "2026-03-02"


def treat(run: Run, *args: str) -> str:
    result = run("treat", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def status_json(run: Run, as_of: str) -> dict:
    result = run("status", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def check_rules(run: Run, as_of: str) -> dict[str, dict]:
    result = run("check", "--json", "--as-of", as_of)
    assert result.exit_code in (0, 3), result.stderr
    return {f["rule"]: f for f in json.loads(result.stdout)["flags"]}


# --- The four failures of issue 12 ---------------------------------------------------------


def test_no_next_dose_offered_after_4000_mg_acetaminophen(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    result = run("status", "--as-of", f"{DAY} 19:00")
    assert result.exit_code == 0, result.stderr
    assert "acetaminophen allowed now" not in result.stdout
    # 4000 of 3000 mg: over the maximum until the 06:00 dose leaves the window; one more
    # 1000 mg fits only when the 10:00 dose has left too (by hand: 14:00 + 18:00 + 1000).
    assert "over the 24 h maximum until 06:00" in result.stdout
    [dose] = status_json(run, f"{DAY} 19:00")["due"]["next_doses"]
    assert dose["drug"] == "acetaminophen"
    assert dose["allowed"] is False
    assert dose["next_allowed_at"].startswith("2026-03-03T10:00")
    assert dose["mg_24h"] == 4000


def test_tylenol_extra_strength_5_x_1000_raises_the_overdose_emergency(run: Run) -> None:
    outputs = [
        treat(
            run,
            "medication",
            "--drug",
            "Tylenol Extra Strength",
            "--dose",
            "1000",
            "--at",
            f"{DAY} {hour}:00",
        )
        for hour in ("06", "10", "14", "18", "22")
    ]
    assert "acetaminophen" in outputs[0]
    assert "med.acetaminophen-overdose" in outputs[-1]
    assert "!!" in outputs[-1]  # the emergency banner
    flags = check_rules(run, f"{DAY} 23:00")
    assert flags["med.acetaminophen-overdose"]["level"] == "emergency"
    assert "med.daily-max" in flags
    [dose] = status_json(run, f"{DAY} 23:00")["due"]["next_doses"]
    assert dose["allowed"] is False and dose["next_allowed_at"] is None


def test_100000_mg_is_refused_and_nothing_stored(run: Run, db_path: Path) -> None:
    result = run("treat", "ibuprofen", "--dose", "100000", "--at", f"{DAY} 08:00")
    assert result.exit_code == 2
    assert "is that mg?" in result.stderr
    assert "Poison Control" in result.stderr
    assert "100000" not in result.stderr  # no health data echoed
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path).get("treatment", 0) == 0


def test_second_drug_overdose_announced_when_daily_max_already_open(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    assert "med.daily-max" in check_rules(run, f"{DAY} 19:00")
    out = treat(run, "ibuprofen", "--dose", "2400", "--at", f"{DAY} 19:00")
    assert "med.daily-max" in out
    assert "ibuprofen 2400 mg" in out  # the new evidence is named


# --- Recognition: the whole medicines table ------------------------------------------------


SOURCES = {
    "US label (DailyMed)",
    "UK SmPC (medicines.org.uk)",
    "Health Canada DPD",
    "Australian TGA (ARTG)",
    "prescribing information",
}


def variants(name: str) -> list[str]:
    return [name, name.upper(), name.lower().replace(" ", "-"), f"  {name.replace(' ', '  ')} "]


def test_every_product_maps_to_its_ingredients_and_names_its_source() -> None:
    assert len(drugs.PRODUCTS) >= 40
    countries = {c for p in drugs.PRODUCTS for c in p.country.split("/")}
    assert countries == {"US", "UK", "CA", "AU"}
    for product in drugs.PRODUCTS:
        assert product.source in SOURCES, product.name
        for generic, mg in product.ingredients:
            assert generic in drugs.GENERICS or generic in drugs.UNTRACKED
            assert mg is None or mg > 0
        tracked = tuple((g, mg) for g, mg in product.ingredients if g not in drugs.UNTRACKED)
        for typed in variants(product.name):
            found = drugs.recognise(typed)
            assert found is not None and found.product == product, typed
            assert found.ingredients == tracked


def test_generics_and_synonyms_and_strength_in_the_name() -> None:
    for name in drugs.GENERICS:
        found = drugs.recognise(name.upper())
        assert found is not None and found.ingredients == ((name, None),)
    for synonym, generic in drugs.SYNONYMS.items():
        found = drugs.recognise(synonym)
        assert found is not None and found.ingredients == ((generic, None),)
    cases = {
        "ibuprofen 200mg": ("ibuprofen", 200),
        "Ibuprofen 200 mg": ("ibuprofen", 200),
        "Tylenol 500": ("acetaminophen", 500),
        "Advil 400": ("ibuprofen", 400),
        "paracetamol-500mg": ("acetaminophen", 500),
        "aspirin 81": ("aspirin", 81),
        "Voltaren Rapid 12.5": ("diclofenac", 12.5),
    }
    for typed, expected in cases.items():
        found = drugs.recognise(typed)
        assert found is not None and found.ingredients == (expected,), typed
    assert drugs.recognise("Excedrin 500") is None  # which ingredient would 500 be?


MISSPELLINGS = {
    "ibuprofin": "ibuprofen",
    "ibuprophen": "ibuprofen",
    "iboprofen": "ibuprofen",
    "ibuprofren": "ibuprofen",
    "acetaminophin": "acetaminophen",
    "acetominophen": "acetaminophen",
    "acetamenophen": "acetaminophen",
    "paracetemol": "paracetamol",
    "parecetamol": "paracetamol",
    "paracetamole": "paracetamol",
    "tylenal": "Tylenol",
    "naproxin": "naproxen",
    "naproxyn": "naproxen",
    "advill": "Advil",
    "asprin": "aspirin",
    "aspirine": "aspirin",
    "nurofin": "Nurofen",
    "diclofenak": "diclofenac",
    "methocarbomol": "methocarbamol",
    "tizanadine": "tizanidine",
    "cyclobenzaprin": "cyclobenzaprine",
    "aleev": "Aleve",
}


def test_twenty_real_misspellings_get_the_right_suggestion() -> None:
    assert len(MISSPELLINGS) >= 20
    for typed, expected in MISSPELLINGS.items():
        assert drugs.recognise(typed) is None
        assert drugs.suggest(typed) == expected, typed
    for far in ("gabapentin", "tramadol", "meloxicam", "celecoxib", "codeine"):
        assert drugs.suggest(far) is None, far


def test_misspelling_refused_with_did_you_mean_both_ways(run: Run, db_path: Path) -> None:
    for args in (("ibuprofin",), ("medication", "--drug", "ibuprofin")):
        result = run("treat", *args, "--dose", "400", "--at", f"{DAY} 08:00")
        assert result.exit_code == 2
        assert "Did you mean ibuprofen?" in result.stderr
    assert row_counts(db_path).get("treatment", 0) == 0


def test_unknown_name_is_recorded_unchecked_and_says_so(run: Run) -> None:
    out = treat(run, "medication", "--drug", "gabapentin", "--dose", "300", "--at", f"{DAY} 08:00")
    assert "Logged t1: gabapentin 300 mg" in out
    assert "cannot check its doses" in out


def test_unlisted_records_a_near_miss_on_purpose(run: Run) -> None:
    out = treat(run, "medication", "--drug", "dexibuprofen", "--unlisted", "--dose", "300",
                "--at", f"{DAY} 08:00")  # fmt: skip
    assert "dexibuprofen 300 mg" in out and "cannot check its doses" in out


# --- Doses as people give them ----------------------------------------------------------------


def doses_logged(run: Run) -> list[tuple[str, float | None, str | None]]:
    result = run("history", "--json", "--from", "2026-03-01", "--to", "2026-03-03")
    assert result.exit_code == 0, result.stderr
    return [(e["drug"], e["dose_mg"], e["product"]) for e in json.loads(result.stdout)]


def test_doses_in_the_forms_people_use(run: Run) -> None:
    treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 06:00")
    treat(run, "ibuprofen", "--dose", "400mg", "--at", f"{DAY} 07:00")
    treat(run, "acetaminophen", "--dose", "0.5g", "--at", f"{DAY} 08:00")
    treat(run, "ibuprofen", "--dose", "2x200", "--at", f"{DAY} 09:00")
    treat(run, "Advil", "--tablets", "2", "--at", f"{DAY} 10:00")
    treat(run, "medication", "--drug", "Tylenol 500", "--tablets", "2", "--at", f"{DAY} 11:00")
    treat(run, "aspirin", "--tablets", "3", "--strength", "81", "--at", f"{DAY} 12:00")
    out = treat(run, "medication", "--drug", "ibuprofen 200mg", "--at", f"{DAY} 13:00")
    assert "Counted as one tablet (200 mg)" in out
    assert doses_logged(run) == [
        ("ibuprofen", 400, None),
        ("ibuprofen", 400, None),
        ("acetaminophen", 500, None),
        ("ibuprofen", 400, None),
        ("ibuprofen", 400, "Advil"),
        ("acetaminophen", 1000, "Tylenol"),
        ("aspirin", 243, None),
        ("ibuprofen", 200, None),
    ]


def test_combination_products_are_recorded_per_ingredient(run: Run) -> None:
    out = treat(run, "Excedrin", "--tablets", "2", "--at", f"{DAY} 08:00")
    assert "acetaminophen 500 mg (Excedrin)" in out and "aspirin 500 mg (Excedrin)" in out
    treat(
        run, "medication", "--drug", "Advil Dual Action", "--tablets", "2", "--at", f"{DAY} 12:00"
    )
    assert doses_logged(run) == [
        ("acetaminophen", 500, "Excedrin"),
        ("aspirin", 500, "Excedrin"),
        ("ibuprofen", 250, "Advil Dual Action"),
        ("acetaminophen", 500, "Advil Dual Action"),
    ]
    # Each ingredient's totals count them: 1000 mg acetaminophen so far.
    [apap] = [d for d in status_json(run, f"{DAY} 13:00")["due"]["next_doses"]
              if d["drug"] == "acetaminophen"]  # fmt: skip
    assert apap["mg_24h"] == 1000


BAD_DOSES = [
    ("unknown unit", ("ibuprofen", "--dose", "400ml"), "milligrams or grams"),
    ("zero", ("ibuprofen", "--dose", "0"), "above 0"),
    ("ten times the largest dose", ("acetaminophen", "--dose", "13001"), "is that mg?"),
    ("a typo in grams", ("naproxen", "--dose", "6g"), "is that mg?"),
    ("zero tablets", ("Advil", "--tablets", "0"), "--tablets"),
    ("tablets without a strength", ("ibuprofen", "--tablets", "2"), "--strength"),
    ("dose and tablets", ("Advil", "--dose", "400", "--tablets", "2"), "not both"),
    ("dose of a combination", ("Excedrin", "--dose", "500"), "--tablets"),
    ("strength of a combination", ("medication", "--drug", "Excedrin 500"), "--tablets"),
    ("a near miss", ("medication", "--drug", "advill"), "Did you mean Advil?"),
]


@pytest.mark.parametrize(
    ("args", "says"), [c[1:] for c in BAD_DOSES], ids=[c[0] for c in BAD_DOSES]
)
def test_bad_doses_exit_2_and_store_nothing(
    run: Run, db_path: Path, args: tuple, says: str
) -> None:
    result = run("treat", *args, "--at", f"{DAY} 08:00")
    assert result.exit_code == 2, result.stdout
    assert says in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path).get("treatment", 0) == 0


def test_a_dose_above_the_largest_single_dose_is_accepted_and_flagged(run: Run) -> None:
    out = treat(run, "ibuprofen", "--dose", "1000", "--at", f"{DAY} 08:00")
    assert "med.large-dose" in out
    assert "more than the largest single dose, 800 mg" in " ".join(out.split())
