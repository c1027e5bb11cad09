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


def status_text(run: Run, as_of: str) -> str:
    """`status` as plain text with line wrapping undone (lines wrap at 80 columns)."""
    result = run("status", "--as-of", as_of)
    assert result.exit_code == 0, result.stderr
    return " ".join(result.stdout.split())


def check_rules(run: Run, as_of: str) -> dict[str, dict]:
    result = run("check", "--json", "--as-of", as_of)
    assert result.exit_code in (0, 3), result.stderr
    return {f["rule"]: f for f in json.loads(result.stdout)["flags"]}


# --- The four failures of issue 12 ---------------------------------------------------------


def test_no_next_dose_offered_after_4000_mg_acetaminophen(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    out = status_text(run, f"{DAY} 19:00")
    assert "acetaminophen allowed now" not in out
    # 4000 of 3000 mg: over the maximum until the 06:00 dose leaves the window; one more
    # 1000 mg fits only when the 10:00 dose has left too (by hand: 14:00 + 18:00 + 1000).
    assert "over the 24 h maximum until 06:00" in out
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


# --- docs/rules.md v2 examples about medicines ---------------------------------------------


def test_example_ibuprofen_four_times_400_is_over_the_daily_max(run: Run) -> None:
    for hm in ("08:00", "12:30", "17:00", "21:00"):
        out = treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} {hm}")
    assert "med.daily-max" in out
    flags = check_rules(run, f"{DAY} 21:30")
    assert "ibuprofen 1600 mg" in flags["med.daily-max"]["evidence"][0]


def test_example_acetaminophen_five_times_1000(run: Run) -> None:
    for hour in ("06", "10", "14", "18", "22"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    flags = check_rules(run, f"{DAY} 23:00")
    assert flags["med.acetaminophen-overdose"]["level"] == "emergency"
    assert "med.daily-max" in flags
    out = status_text(run, f"{DAY} 23:00")
    assert "no more acetaminophen: see the emergency flag" in out
    assert "acetaminophen allowed" not in out


def test_example_low_dose_aspirin_then_ibuprofen(run: Run) -> None:
    treat(run, "aspirin", "--dose", "81", "--at", f"{DAY} 08:00")
    out = treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 08:15")
    assert "med.ibuprofen-with-aspirin" in out
    flags = check_rules(run, f"{DAY} 09:00")
    assert [r for r in flags if r.startswith("med.")] == ["med.ibuprofen-with-aspirin"]


def test_example_ibuprofen_one_hour_after_low_dose_aspirin_is_fine(run: Run) -> None:
    treat(run, "aspirin", "--dose", "81", "--at", f"{DAY} 08:00")
    treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 09:00")
    assert [r for r in check_rules(run, f"{DAY} 10:00") if r.startswith("med.")] == []


def test_low_dose_aspirin_daily_is_not_an_nsaid_run(run: Run) -> None:
    for day in range(1, 16):
        treat(run, "aspirin", "--dose", "81", "--at", f"2026-03-{day:02d} 08:00")
    assert [r for r in check_rules(run, "2026-03-15 09:00") if r.startswith("med.")] == []


# --- Next dose, checked by hand --------------------------------------------------------------


def next_dose(run: Run, as_of: str, drug: str) -> dict:
    [found] = [d for d in status_json(run, as_of)["due"]["next_doses"] if d["drug"] == drug]
    return found


def test_next_ibuprofen_by_hand(run: Run) -> None:
    # 400 at 08:00 and 12:00 and 16:00: 1200 of 1200 mg. One more 400 fits when the 08:00
    # dose has left the window: 08:00 tomorrow (interval 4 h: 20:00 is earlier).
    for hour in ("08", "12", "16"):
        treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} {hour}:00")
    dose = next_dose(run, f"{DAY} 17:00", "ibuprofen")
    assert dose["next_allowed_at"].startswith("2026-03-03T08:00")
    assert (dose["allowed"], dose["mg_24h"], dose["usual_mg"]) == (False, 1200, 400)
    assert dose["over_max_until"] is None
    early = next_dose(run, f"{DAY} 13:00", "ibuprofen")  # after two doses: 12:00 + 4 h
    assert early["next_allowed_at"].startswith(f"{DAY}T16:00")


def test_next_naproxen_by_hand_with_the_first_dose_allowance(run: Run) -> None:
    # 220 at 08:00 and 220 at 08:45: the label's second dose within 1 h of the day's first
    # is allowed (no med.too-soon). Next: 08:45 + 8 h = 16:45; 440 + 220 = 660 <= 660.
    treat(run, "Aleve", "--tablets", "1", "--at", f"{DAY} 08:00")
    out = treat(run, "Aleve", "--tablets", "1", "--at", f"{DAY} 08:45")
    assert "med.too-soon" not in out
    dose = next_dose(run, f"{DAY} 09:00", "naproxen")
    assert dose["next_allowed_at"].startswith(f"{DAY}T16:45")
    assert (dose["mg_24h"], dose["daily_max_mg"]) == (440, 660)
    # One more at 16:45 makes 660: the next fits only when 08:00 leaves (08:00 tomorrow),
    # and 16:45 + 8 h = 00:45 is earlier.
    treat(run, "Aleve", "--tablets", "1", "--at", f"{DAY} 16:45")
    assert next_dose(run, f"{DAY} 17:00", "naproxen")["next_allowed_at"].startswith(
        "2026-03-03T08:00"
    )


def test_next_acetaminophen_by_hand(run: Run) -> None:
    # 1000 at 06:00, 10:00, 14:00: 3000 of 3000. One more 1000 fits at 06:00 tomorrow.
    for hour in ("06", "10", "14"):
        treat(run, "Tylenol Extra Strength", "--tablets", "2", "--at", f"{DAY} {hour}:00")
    dose = next_dose(run, f"{DAY} 15:00", "acetaminophen")
    assert dose["next_allowed_at"].startswith("2026-03-03T06:00")
    assert dose["allowed"] is False
    out = status_text(run, f"{DAY} 15:00")
    assert "next acetaminophen allowed 06:00 tomorrow (3000 of 3000 mg in 24 h, the label)" in out


def test_next_dose_under_a_prescription_by_hand(run: Run) -> None:
    # Prescription: naproxen 500 every 12 h, at most 1000 in 24 h (not the label's 660).
    run("meds", "prescribe", "naproxen", "--dose", "500", "--every", "12", "--max-daily",
        "1000", "--from", "2026-03-01 08:00", "--days", "14")  # fmt: skip
    out = treat(run, "naproxen", "--dose", "500", "--at", f"{DAY} 08:00")
    assert "med.large-dose" not in out  # 500 is the prescribed dose
    dose = next_dose(run, f"{DAY} 09:00", "naproxen")
    assert dose["next_allowed_at"].startswith(f"{DAY}T20:00")  # 08:00 + 12 h
    assert (dose["daily_max_mg"], dose["limits_from"]) == (1000, "prescription")
    treat(run, "naproxen", "--dose", "500", "--at", f"{DAY} 20:00")
    assert "med.daily-max" not in check_rules(run, f"{DAY} 21:00")  # 1000 of 1000
    # 1000 of 1000: the next fits when 08:00 leaves, 08:00 tomorrow (20:00 + 12 h = 08:00).
    assert next_dose(run, f"{DAY} 21:00", "naproxen")["next_allowed_at"].startswith(
        "2026-03-03T08:00"
    )


# --- Every write tells what it changed ---------------------------------------------------------


def test_edit_to_5000_mg_announces_the_overdose(run: Run) -> None:
    treat(run, "acetaminophen", "--dose", "500", "--at", f"{DAY} 08:00")
    result = run("edit", "t1", "--dose", "5000")
    assert result.exit_code == 0, result.stderr
    assert "med.acetaminophen-overdose" in result.stdout
    assert "!!" in result.stdout  # the emergency banner
    undone = run("undo", "--yes")
    assert undone.exit_code == 0 and "med." not in undone.stdout  # nothing new after undo


def test_edit_to_an_implausible_dose_is_refused(run: Run) -> None:
    treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 08:00")
    result = run("edit", "t1", "--dose", "40000")
    assert result.exit_code == 2 and "is that mg?" in result.stderr
    assert doses_logged(run) == [("ibuprofen", 400, None)]


def test_backdated_entry_is_judged_at_its_own_time(run: Run) -> None:
    # More than 7 days before now (and before the real clock): still announced.
    treat(run, "ibuprofen", "--dose", "800", "--at", "2025-01-10 08:00")
    out = treat(run, "ibuprofen", "--dose", "800", "--at", "2025-01-10 10:00")
    assert "med.daily-max" in out and "med.too-soon" in out


def test_deleting_a_dose_then_undo_announces_again(run: Run) -> None:
    treat(run, "ibuprofen", "--dose", "800", "--at", f"{DAY} 08:00")
    treat(run, "ibuprofen", "--dose", "800", "--at", f"{DAY} 13:00")
    assert run("delete", "t2", "--yes").exit_code == 0
    undone = run("undo", "--yes")
    assert undone.exit_code == 0 and "med.daily-max" in undone.stdout


# --- Profile history and the risk rules -------------------------------------------------------


def test_new_history_items_and_the_risk_rules(run: Run) -> None:
    result = run("profile", "set", "--history", "stomach-ulcer,liver-disease")
    assert result.exit_code == 0, result.stderr
    bad = run("profile", "set", "--history", "ulcer")
    assert bad.exit_code == 2 and "kidney-disease" in bad.stderr and "alcohol" in bad.stderr
    out = treat(run, "ibuprofen", "--dose", "200", "--at", f"{DAY} 08:00")
    assert "med.nsaid-risk" in out
    out = treat(run, "acetaminophen", "--dose", "500", "--at", f"{DAY} 09:00")
    assert "med.acetaminophen-liver" in out


def test_nsaid_risk_from_age_60(run: Run) -> None:
    assert run("profile", "set", "--birth-year", "1966").exit_code == 0
    flags = check_rules(run, f"{DAY} 09:00")
    assert "med.nsaid-risk" not in flags
    treat(run, "ibuprofen", "--dose", "200", "--at", f"{DAY} 08:00")
    assert "age 60" in check_rules(run, f"{DAY} 09:00")["med.nsaid-risk"]["evidence"][0]


# --- Prescriptions ------------------------------------------------------------------------


BAD_PRESCRIPTIONS = [
    ("every 0", ("prescribe", "ibuprofen", "--every", "0"), "--every"),
    ("max below dose", ("prescribe", "ibuprofen", "--dose", "800", "--max-daily", "400"),
     "at least --dose"),
    ("days and until", ("prescribe", "ibuprofen", "--days", "3", "--until", "2026-04-01"),
     "not both"),
    ("a near miss", ("prescribe", "ibuprofin"), "Did you mean ibuprofen?"),
    ("stop with none", ("stop", "ibuprofen"), "no prescription"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "says"), [c[1:] for c in BAD_PRESCRIPTIONS], ids=[c[0] for c in BAD_PRESCRIPTIONS]
)
def test_bad_prescriptions_exit_2(run: Run, db_path: Path, args: tuple, says: str) -> None:
    assert run("log", "3", "--at", f"{DAY} 08:00").exit_code == 0  # the database exists
    result = run("meds", *args)
    assert result.exit_code == 2
    assert says in result.stderr
    assert row_counts(db_path).get("prescription", 0) == 0


def test_prescription_list_stop_undo(run: Run) -> None:
    run("meds", "prescribe", "cyclobenzaprine", "--dose", "10", "--from", "2026-03-01 20:00",
        "--days", "10", "--note", "GP")  # fmt: skip
    [p] = json.loads(run("meds", "list", "--json").stdout)
    assert (p["id"], p["drug"], p["dose_mg"], p["note"]) == ("r1", "cyclobenzaprine", 10, "GP")
    assert p["until"].startswith("2026-03-11T20:00")
    # The 72 h tip is silent under a prescription; doses past its course are flagged.
    for day in range(1, 14):
        treat(run, "cyclobenzaprine", "--dose", "10", "--at", f"2026-03-{day:02d} 21:00")
    flags = check_rules(run, "2026-03-13 22:00")
    assert "med.muscle-relaxant-72h" not in flags
    assert "after r1 ended" in " ".join(flags["med.muscle-relaxant-3-weeks"]["evidence"])
    assert run("meds", "stop", "cyclobenzaprine", "--at", "2026-03-05 08:00").exit_code == 0
    [p] = json.loads(run("meds", "list", "--json").stdout)
    assert p["stopped_at"].startswith("2026-03-05T08:00")
    assert run("undo", "--yes").exit_code == 0
    [p] = json.loads(run("meds", "list", "--json").stdout)
    assert p["stopped_at"] is None


def test_muscle_relaxant_72h_is_an_info_tip_without_a_prescription(run: Run) -> None:
    for day in (1, 2, 3, 4):  # exactly 72 h: not more than 72 h
        treat(run, "cyclobenzaprine", "--dose", "10", "--at", f"2026-03-{day:02d} 21:00")
    assert "med.muscle-relaxant-72h" not in check_rules(run, "2026-03-04 22:00")
    treat(run, "cyclobenzaprine", "--dose", "10", "--at", "2026-03-05 21:00")
    assert check_rules(run, "2026-03-05 22:00")["med.muscle-relaxant-72h"]["level"] == "info"


def test_nsaid_10_days_not_flagged_under_a_prescription(run: Run) -> None:
    run("meds", "prescribe", "naproxen", "--dose", "500", "--from", "2026-03-01 00:00")
    for day in range(1, 13):
        treat(run, "naproxen", "--dose", "500", "--at", f"2026-03-{day:02d} 08:00")
    assert "med.nsaid-10-days" not in check_rules(run, "2026-03-12 09:00")


# --- Export and import: lossless by uid ---------------------------------------------------------


def test_json_export_import_keeps_products_and_prescriptions(
    run: Run, tmp_path: Path, db_path: Path
) -> None:
    treat(run, "Excedrin", "--tablets", "2", "--at", f"{DAY} 08:00")
    run("meds", "prescribe", "naproxen", "--dose", "500", "--every", "12", "--max-daily", "1000",
        "--from", "2026-03-01 08:00", "--until", "2026-03-20 08:00", "--note", "Dr K")  # fmt: skip
    run("meds", "stop", "naproxen", "--at", "2026-03-10 08:00")
    first = tmp_path / "first.json"
    assert run("export", "json", "-o", str(first)).exit_code == 0
    data = json.loads(first.read_text())
    assert [e.get("product") for e in data["events"]] == ["Excedrin", "Excedrin"]
    [p] = data["prescriptions"]
    assert (p["drug"], p["dose_mg"], p["every_minutes"], p["max_daily_mg"]) == (
        "naproxen", 500, 720, 1000
    )  # fmt: skip
    other = tmp_path / "other.db"
    assert run("import", str(first), db=other).exit_code == 0
    again = run("import", str(first), db=other)  # idempotent by uid
    assert again.exit_code == 0
    assert row_counts(other)["prescription"] == 1 and row_counts(other)["treatment"] == 2
    second = tmp_path / "second.json"
    assert run("export", "json", "-o", str(second), db=other).exit_code == 0
    strip = lambda d: {k: v for k, v in d.items() if k != "exported_at"}  # noqa: E731
    assert strip(json.loads(second.read_text())) == strip(data)


def test_import_announces_what_it_raised(run: Run, tmp_path: Path) -> None:
    # Relative times (an import is judged at now): 5 x 1000 mg in the last 20 hours.
    for hours in (20, 16, 12, 8, 4):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"-{hours}h")
    exported = tmp_path / "e.json"
    assert run("export", "json", "-o", str(exported)).exit_code == 0
    result = run("import", str(exported), db=tmp_path / "fresh.db")
    assert result.exit_code == 0
    assert "med.acetaminophen-overdose" in result.stdout and "!!" in result.stdout
    again = run("import", str(exported), db=tmp_path / "fresh.db")
    assert "med.acetaminophen-overdose" not in again.stdout  # nothing new the second time


def test_remind_shows_the_next_dose_line(run: Run) -> None:
    for hour in ("06", "10", "14", "18"):
        treat(run, "acetaminophen", "--dose", "1000", "--at", f"{DAY} {hour}:00")
    result = run("remind", "--as-of", f"{DAY} 19:00", "--json")
    assert result.exit_code == 0, result.stderr
    [item] = [i for i in json.loads(result.stdout)["due"] if i["id"] == "next-dose"]
    assert item["text"] == (
        "next acetaminophen not before 10:00 tomorrow: over the 24 h maximum until "
        "06:00 tomorrow (4000 of 3000 mg in 24 h, the label)"
    )


def test_prescription_edit_delete_undo_like_any_entry(run: Run) -> None:
    run("meds", "prescribe", "ibuprofen", "--dose", "400", "--every", "6",
        "--from", "2026-03-01 08:00")  # fmt: skip
    edited = run("edit", "r1", "--note", "Dr A", "--dose", "600")
    assert edited.exit_code == 0 and "r1: prescription: ibuprofen 600 mg every 6 h" in edited.stdout
    assert run("edit", "r1", "--dose", "9000").exit_code == 2  # over 10 x 800: is that mg?
    assert run("delete", "r1", "--yes").exit_code == 0
    assert json.loads(run("meds", "list", "--json").stdout) == []
    assert run("undo", "--yes").exit_code == 0
    [p] = json.loads(run("meds", "list", "--json").stdout)
    assert (p["id"], p["note"], p["every_hours"], p["dose_mg"]) == ("r1", "Dr A", 6, 600)
    # Under it, 6 h is the interval: a dose 5 h after the last is too soon.
    treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 08:00")
    out = treat(run, "ibuprofen", "--dose", "400", "--at", f"{DAY} 13:00")
    assert "med.too-soon" in out and "prescription interval 6 h" in out


def test_no_next_nsaid_time_when_a_dose_would_make_more_than_10_days(run: Run) -> None:
    # Ibuprofen once a day on 1..10 March: a dose on the 11th would make 11 days in a row.
    for day in range(1, 11):
        treat(run, "ibuprofen", "--dose", "200", "--at", f"2026-03-{day:02d} 08:00")
    on_day_10 = next_dose(run, "2026-03-10 20:00", "ibuprofen")  # today is already in the run
    assert on_day_10["allowed"] is True
    day_11 = next_dose(run, "2026-03-11 07:00", "ibuprofen")
    assert (day_11["allowed"], day_11["next_allowed_at"], day_11["nsaid_days_over"]) == (
        False, None, True
    )  # fmt: skip
    out = status_text(run, "2026-03-11 07:00")
    assert "no next ibuprofen without a doctor: NSAIDs on more than 10 days" in out


def test_db_check_knows_prescriptions_and_their_undo(run: Run) -> None:
    run("meds", "prescribe", "naproxen", "--dose", "500", "--from", "2026-03-01 08:00")
    assert run("meds", "stop", "naproxen", "--at", "2026-03-05 08:00").exit_code == 0
    treat(run, "Excedrin", "--tablets", "2", "--at", f"{DAY} 08:00")
    result = run("db", "check", "--full")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "sound" in result.stdout


def test_next_dose_is_for_a_dose_no_larger_than_the_largest_single_dose(run: Run) -> None:
    # Last dose 1000 mg (over 800): the time is for 800 mg. By hand: 1000 + 800 <= 1200?
    # No: 1800 > 1200, so the next fits when the 08:00 dose leaves, 08:00 tomorrow.
    treat(run, "ibuprofen", "--dose", "1000", "--at", f"{DAY} 08:00")
    dose = next_dose(run, f"{DAY} 13:00", "ibuprofen")
    assert dose["usual_mg"] == 800
    assert dose["next_allowed_at"].startswith("2026-03-03T08:00")


def test_csv_round_trip_keeps_the_product(run: Run, tmp_path: Path) -> None:
    treat(run, "Advil Dual Action", "--tablets", "2", "--at", f"{DAY} 08:00")
    exported = tmp_path / "e.csv"
    assert run("export", "csv", "-o", str(exported)).exit_code == 0
    other = tmp_path / "other.db"
    assert run("import", str(exported), db=other).exit_code == 0
    result = run("history", "--json", "--from", "2026-03-01", "--to", "2026-03-03", db=other)
    assert [(e["drug"], e["dose_mg"], e["product"]) for e in json.loads(result.stdout)] == [
        ("ibuprofen", 250, "Advil Dual Action"),
        ("acetaminophen", 500, "Advil Dual Action"),
    ]


def test_db_purge_removes_a_deleted_prescription(run: Run, db_path: Path) -> None:
    run("meds", "prescribe", "ibuprofen", "--dose", "400", "--from", "2026-03-01 08:00")
    assert run("delete", "r1", "--yes").exit_code == 0
    assert run("db", "purge", "--yes").exit_code == 0
    assert row_counts(db_path)["prescription"] == 0
    assert run("db", "check").exit_code == 0
