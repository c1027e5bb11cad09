"""Drug names: normalisation of what people type, and the class each generic belongs to.

Dose limits and intervals are rule thresholds and live in the rules table, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

NSAID = "nsaid"
ANALGESIC = "analgesic"
MUSCLE_RELAXANT = "muscle-relaxant"


@dataclass(frozen=True, slots=True)
class Drug:
    name: str  # normalised generic name, as stored
    drug_class: str | None  # NSAID, ANALGESIC, MUSCLE_RELAXANT, or None when unknown


# The generics backcare knows, with their class. `treat KIND` accepts these names directly.
KNOWN_DRUGS: dict[str, str] = {
    "ibuprofen": NSAID,
    "naproxen": NSAID,
    "aspirin": NSAID,
    "diclofenac": NSAID,
    "acetaminophen": ANALGESIC,
    "cyclobenzaprine": MUSCLE_RELAXANT,
    "methocarbamol": MUSCLE_RELAXANT,
    "carisoprodol": MUSCLE_RELAXANT,
    "tizanidine": MUSCLE_RELAXANT,
    "diazepam": MUSCLE_RELAXANT,
}

# Other names people type for the same generic (lower-case).
ALIASES: dict[str, str] = {
    "paracetamol": "acetaminophen",
    "tylenol": "acetaminophen",
    "panadol": "acetaminophen",
    "apap": "acetaminophen",
    "advil": "ibuprofen",
    "motrin": "ibuprofen",
    "nurofen": "ibuprofen",
    "aleve": "naproxen",
    "naprosyn": "naproxen",
    "naproxen sodium": "naproxen",
    "asa": "aspirin",
    "acetylsalicylic acid": "aspirin",
    "voltaren": "diclofenac",
    "flexeril": "cyclobenzaprine",
    "amrix": "cyclobenzaprine",
    "robaxin": "methocarbamol",
    "soma": "carisoprodol",
    "zanaflex": "tizanidine",
    "valium": "diazepam",
}

# Characters allowed in a drug name the user types with `medication --drug NAME`.
_MAX_NAME = 60


def _clean(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def normalise_drug(name: str) -> str | None:
    """The generic name for a known drug or alias, else None."""
    cleaned = _clean(name)
    if cleaned in KNOWN_DRUGS:
        return cleaned
    return ALIASES.get(cleaned)


def drug_for(name: str) -> Drug:
    """A drug for `medication --drug NAME`: known names normalised, others kept as typed.

    Raises ValueError for an empty or unreasonably long name.
    """
    cleaned = _clean(name)
    if not cleaned or len(cleaned) > _MAX_NAME or not any(c.isalpha() for c in cleaned):
        raise ValueError("drug name")
    generic = normalise_drug(cleaned)
    if generic is not None:
        return Drug(generic, KNOWN_DRUGS[generic])
    return Drug(cleaned, None)


def drug_class(name: str | None, *, relaxant: bool = False) -> str | None:
    """The class of a stored drug name; a user-marked relaxant counts as a muscle relaxant."""
    if relaxant:
        return MUSCLE_RELAXANT
    if name is None:
        return None
    return KNOWN_DRUGS.get(name)


def is_muscle_relaxant(name: str | None, *, relaxant: bool = False) -> bool:
    return drug_class(name, relaxant=relaxant) == MUSCLE_RELAXANT


def is_nsaid(name: str | None) -> bool:
    return drug_class(name) == NSAID
