"""Symptom codes and the plain-language questions `checkin` asks (the catalog's table,
docs/rules.md "Symptom codes"), in the order `checkin` asks them."""

from __future__ import annotations

SYMPTOM_QUESTIONS: dict[str, str] = {
    "bladder": "New trouble passing urine, or loss of bladder control?",
    "bowel": "Loss of bowel control?",
    "saddle-numbness": "Numbness around the genitals, buttocks or inner thighs?",
    "both-legs": "Pain, tingling, numbness or weakness in both legs?",
    "sexual-dysfunction": "New problems with sexual function?",
    "chest-pain": "Chest pain?",
    "one-side-numbness": "Sudden numbness or weakness on one side of the body (face, arm or leg)?",
    "balance": "Sudden trouble with balance, coordination or speech?",
    "faintness": "Feeling faint, dizzy, pale, sweaty or clammy with the pain?",
    "gi-bleeding": "Black or bloody stools, or vomiting blood?",
    "major-trauma": "Did the pain start after a serious accident (car crash, fall from a height)?",
    "fall-or-blow": "Did it start after a fall or a blow to the back?",
    "fever": "Fever (38 °C / 100.4 °F or higher)?",
    "abdominal-pain": "Throbbing or pain in the abdomen?",
    "limb-weakness": "Arm or leg muscle weakness?",
    "walking-difficulty": "New difficulty walking, or legs giving way?",
    "sensation-loss": "Loss of feeling in an arm or a leg?",
    "leg-numbness": "Numbness, tingling or weakness in one leg?",
    "below-knee": "Pain spreading down a leg below the knee?",
    "night-pain": "Intense or constant pain, worse at night or lying down, not eased by rest?",
    "cough-sneeze": "Pain made worse by coughing, sneezing or straining on the toilet?",
    "upper-back": "Pain between the shoulder blades?",
    "redness-swelling": "A lump, swelling, redness or change in the shape of your back?",
    "weight-loss": "Weight loss you cannot explain?",
}

SYMPTOM_CODES: tuple[str, ...] = tuple(SYMPTOM_QUESTIONS)

# A report stays active until a later report of the same code says it is gone, or this long.
SYMPTOM_ACTIVE_DAYS = 14

# Plain words people type for a code (`symptom tingling`): each maps to one code. Words that
# could mean a red flag or a lesser code map to the lesser one only when it is unambiguous;
# `numb` alone is left out (one leg, both legs or the saddle area differ in urgency), and so
# are words that do not say which symptom (`sciatica`: below the knee or not; `weight`).
SYMPTOM_SYNONYMS: dict[str, str] = {
    "tingling": "leg-numbness",
    "tingling leg": "leg-numbness",
    "numb leg": "leg-numbness",
    "leg numb": "leg-numbness",
    "pins and needles": "leg-numbness",
    "pins-and-needles": "leg-numbness",
    "numb legs": "both-legs",
    "both legs numb": "both-legs",
    "incontinence": "bladder",
    "cant pee": "bladder",
    "can't pee": "bladder",
    "numb groin": "saddle-numbness",
    "saddle": "saddle-numbness",
    "temperature": "fever",
    "high temperature": "fever",
    "dizzy": "faintness",
    "dizziness": "faintness",
    "faint": "faintness",
    "weak leg": "limb-weakness",
    "weakness": "limb-weakness",
    "weak arm": "limb-weakness",
    "swelling": "redness-swelling",
    "redness": "redness-swelling",
    "fall": "fall-or-blow",
    "accident": "major-trauma",
    "car crash": "major-trauma",
    "stomach pain": "abdominal-pain",
    "belly pain": "abdominal-pain",
    "unsteady": "balance",
    "pain at night": "night-pain",
}
