"""The medicines table: generics, the products people buy, and recognition of what they type.

Pure data and pure functions (stdlib only). Dose limits, intervals and the largest single
doses are rule thresholds and live in `thresholds.py` (`DRUG_LIMITS`,
`PRESCRIPTION_SINGLE_MAX_MG`); `GENERICS` reads them from there, so each figure is stated
once.

Products (45 rows). Each row names its country, its ingredients with their strength in mg
per tablet or capsule, and the source of that strength (a label or a national formulary:
DailyMed / FDA label, the UK SmPC on medicines.org.uk, Health Canada DPD product monograph,
the Australian TGA product information / NPS CMI, or the prescribing information). Every
strength given was checked against such a label (Dec 2026); a strength that could not be
confirmed is left out (`None`: Disprin, Naprogesic, Robaxacet, Nurofen Express, brands sold
in several strengths): the person then gives `--dose MG` or `--strength MG`, and backcare
never guesses.

Recognition (`recognise`), in this order:
1. the whole name, case-, space- and hyphen-insensitive ("Motrin-IB" = "motrin ib");
2. a known name followed by a strength ("ibuprofen 200mg", "Tylenol 500", "advil 200 mg");
   a strength in the name replaces the product's own (Canada's Advil Extra Strength is
   400 mg) and is refused for a combination product (which ingredient would it be?);
3. otherwise the name is unknown; `suggest` finds the closest known name (difflib ratio on
   the compact key, deterministic: ties go to the name listed first) at `SUGGEST_CUTOFF` or
   above, and the CLI refuses the entry with "Did you mean ...?".

Choices (the safer reading where the spec is silent):
- "Excedrin" alone is read as Excedrin Extra Strength / Migraine (acetaminophen 250 +
  aspirin 250 + caffeine 65), the form named in the issue.
- Caffeine and codeine are recorded nowhere: backcare has no dose rules for them. A product
  that contains them is recorded by its other ingredients, and the product name is kept.
- Naproxen is counted in the label's unit, naproxen sodium (Aleve 220 mg).
- Brand names with many strengths (Naprosyn, Voltaren, Robaxin, Soma, Valium...) map to
  their generic without a strength.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import timedelta

from backcare.domain import values
from backcare.domain.thresholds import DRUG_LIMITS, PRESCRIPTION_SINGLE_MAX_MG

NSAID = "nsaid"
ANALGESIC = "analgesic"
MUSCLE_RELAXANT = "muscle-relaxant"

# Sources, as each row names them.
_DAILYMED = "US label (DailyMed)"
_UK = "UK SmPC (medicines.org.uk)"
_CA = "Health Canada DPD"
_AU = "Australian TGA (ARTG)"
_RX = "prescribing information"


@dataclass(frozen=True, slots=True)
class Generic:
    """One generic: its class and the limits the rules use (None when no label gives one)."""

    name: str
    drug_class: str
    daily_max_mg: float | None
    interval: timedelta | None
    first_dose_grace: timedelta | None
    largest_single_mg: float
    source: str


def _generic(name: str, drug_class: str) -> Generic:
    limit = DRUG_LIMITS.get(name)
    if limit is not None:
        return Generic(
            name,
            drug_class,
            limit.daily_max_mg,
            limit.min_interval,
            limit.first_dose_grace,
            limit.largest_single_mg,
            "US OTC Drug Facts labels",
        )
    return Generic(name, drug_class, None, None, None, PRESCRIPTION_SINGLE_MAX_MG[name], _RX)


GENERICS: dict[str, Generic] = {
    g.name: g
    for g in (
        _generic("ibuprofen", NSAID),
        _generic("naproxen", NSAID),
        _generic("aspirin", NSAID),
        _generic("diclofenac", NSAID),
        _generic("acetaminophen", ANALGESIC),
        _generic("cyclobenzaprine", MUSCLE_RELAXANT),
        _generic("methocarbamol", MUSCLE_RELAXANT),
        _generic("carisoprodol", MUSCLE_RELAXANT),
        _generic("tizanidine", MUSCLE_RELAXANT),
        _generic("diazepam", MUSCLE_RELAXANT),
    )
}
# The generics backcare knows, with their class. `treat KIND` accepts these names directly.
KNOWN_DRUGS: dict[str, str] = {name: g.drug_class for name, g in GENERICS.items()}

# Other names of a generic itself (no strength implied).
SYNONYMS: dict[str, str] = {
    "paracetamol": "acetaminophen",
    "apap": "acetaminophen",
    "naproxen sodium": "naproxen",
    "asa": "aspirin",
    "acetylsalicylic acid": "aspirin",
    "diclofenac sodium": "diclofenac",
    "diclofenac potassium": "diclofenac",
}


@dataclass(frozen=True, slots=True)
class Product:
    """A product as sold: its ingredients, each with mg per tablet (None: not confirmed)."""

    name: str
    country: str
    ingredients: tuple[tuple[str, float | None], ...]
    source: str

    @property
    def combination(self) -> bool:
        return len(self.ingredients) > 1


_CAFFEINE = "caffeine"  # listed for the record, never tracked (see the module docstring)
_CODEINE = "codeine"
UNTRACKED: frozenset[str] = frozenset((_CAFFEINE, _CODEINE))


def _p(name: str, country: str, source: str, *ingredients: tuple[str, float | None]) -> Product:
    return Product(name, country, ingredients, source)


PRODUCTS: tuple[Product, ...] = (
    # --- United States ---
    _p("Tylenol", "US/CA", _DAILYMED, ("acetaminophen", None)),
    _p("Tylenol Regular Strength", "US/CA", _DAILYMED, ("acetaminophen", 325)),
    _p("Tylenol Extra Strength", "US/CA", _DAILYMED, ("acetaminophen", 500)),
    _p("Tylenol 8 HR Arthritis Pain", "US", _DAILYMED, ("acetaminophen", 650)),
    _p("Advil", "US/CA", _CA, ("ibuprofen", 200)),
    _p("Advil Liqui-Gels", "US/CA", _CA, ("ibuprofen", 200)),
    _p("Advil Dual Action", "US", _DAILYMED, ("ibuprofen", 125), ("acetaminophen", 250)),
    _p("Motrin", "US", _DAILYMED, ("ibuprofen", None)),
    _p("Motrin IB", "US/CA", _DAILYMED, ("ibuprofen", 200)),
    _p("Aleve", "US/CA", _DAILYMED, ("naproxen", 220)),
    _p("Naprosyn", "US/CA/AU", _RX, ("naproxen", None)),
    _p("Bayer", "US/CA", _DAILYMED, ("aspirin", None)),
    _p("Bayer Genuine Aspirin", "US", _DAILYMED, ("aspirin", 325)),
    _p("Bayer Low Dose", "US", _DAILYMED, ("aspirin", 81)),
    _p("Ecotrin", "US", _DAILYMED, ("aspirin", None)),  # 81 and 325 mg under one name
    _p("Ecotrin Low Strength", "US", _DAILYMED, ("aspirin", 81)),
    _p(
        "Excedrin",
        "US",
        _DAILYMED,
        ("acetaminophen", 250),
        ("aspirin", 250),
        (_CAFFEINE, 65),
    ),
    _p(
        "Excedrin Extra Strength",
        "US",
        _DAILYMED,
        ("acetaminophen", 250),
        ("aspirin", 250),
        (_CAFFEINE, 65),
    ),
    _p(
        "Excedrin Migraine",
        "US",
        _DAILYMED,
        ("acetaminophen", 250),
        ("aspirin", 250),
        (_CAFFEINE, 65),
    ),
    _p("Robaxisal", "US", _RX, ("methocarbamol", 400), ("aspirin", 325)),
    _p("Voltaren", "US/UK/CA/AU", _RX, ("diclofenac", None)),
    _p("Flexeril", "US/CA", _RX, ("cyclobenzaprine", None)),
    _p("Amrix", "US", _RX, ("cyclobenzaprine", None)),
    _p("Robaxin", "US/UK/CA", _RX, ("methocarbamol", None)),
    _p("Soma", "US", _RX, ("carisoprodol", None)),
    _p("Zanaflex", "US/CA", _RX, ("tizanidine", None)),
    _p("Valium", "US/UK/CA/AU", _RX, ("diazepam", None)),
    # --- United Kingdom ---
    _p("Panadol", "UK/AU", _AU, ("acetaminophen", 500)),
    _p("Panadol Extra", "UK/AU", _UK, ("acetaminophen", 500), (_CAFFEINE, 65)),
    _p("Calpol", "UK", _UK, ("acetaminophen", None)),
    _p("Nurofen", "UK/AU", _UK, ("ibuprofen", 200)),
    _p("Nurofen Express", "UK/AU", _UK, ("ibuprofen", None)),
    _p("Nuromol", "UK", _UK, ("ibuprofen", 200), ("acetaminophen", 500)),
    _p(
        "Anadin Extra",
        "UK",
        _UK,
        ("aspirin", 300),
        ("acetaminophen", 200),
        (_CAFFEINE, 45),
    ),
    _p("Disprin", "UK/AU", _UK, ("aspirin", None)),  # strength not confirmed
    _p("Co-codamol", "UK", _UK, ("acetaminophen", 500), (_CODEINE, None)),
    # --- Canada ---
    _p("Robaxacet", "CA", _CA, ("methocarbamol", None), ("acetaminophen", None)),
    _p("Entrophen", "CA", _CA, ("aspirin", None)),
    # --- Australia ---
    _p("Panamax", "AU", _AU, ("acetaminophen", 500)),
    _p("Panadol Osteo", "AU", _AU, ("acetaminophen", 665)),
    _p("Naprogesic", "AU", _AU, ("naproxen", None)),  # strength not confirmed
    _p("Maxigesic", "AU", _AU, ("acetaminophen", 500), ("ibuprofen", 150)),
    _p("Cartia", "AU", _AU, ("aspirin", 100)),
    _p("Astrix", "AU", _AU, ("aspirin", 100)),
    _p("Voltaren Rapid", "AU", _AU, ("diclofenac", None)),
)

# Every other name of one generic, lower-case: synonyms and one-ingredient products.
ALIASES: dict[str, str] = {
    **SYNONYMS,
    **{
        p.name.lower(): tracked[0][0]
        for p in PRODUCTS
        if len(tracked := [i for i in p.ingredients if i[0] not in UNTRACKED]) == 1
    },
}

_MAX_NAME = values.DRUG_NAME_LIMIT
SUGGEST_CUTOFF = 0.75  # difflib ratio on the compact key


def _key(name: str) -> str:
    """The comparison key: lower-case letters and digits only ("Motrin-IB" -> "motrinib")."""
    return "".join(c for c in name.lower() if c.isalnum() or c == ".")


def _clean(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").split())


def _generic_product(name: str) -> Product:
    return Product(name, "", ((name, None),), GENERICS[name].source)


# Every name recognised, by key: generics, their synonyms, products.
_BY_KEY: dict[str, Product] = {}
for _name in GENERICS:
    _BY_KEY[_key(_name)] = _generic_product(_name)
for _syn, _name in SYNONYMS.items():
    _BY_KEY[_key(_syn)] = _generic_product(_name)
for _product in PRODUCTS:
    _BY_KEY[_key(_product.name)] = _product
_NAMES: tuple[str, ...] = (
    *GENERICS,
    *SYNONYMS,
    *(p.name for p in PRODUCTS),
)
_KEYS: tuple[str, ...] = tuple(_key(n) for n in _NAMES)

_STRENGTH = re.compile(r"^(?P<name>.*?[a-z].*?)[\s-]*(?P<mg>[0-9]+(?:\.[0-9]+)?)\s*(?:mg)?$")


@dataclass(frozen=True, slots=True)
class Recognised:
    """What a typed name means: the product (a generic is a one-ingredient product) and any
    strength given in the name."""

    product: Product
    strength_mg: float | None = None  # from the name, e.g. "Tylenol 500"

    @property
    def ingredients(self) -> tuple[tuple[str, float | None], ...]:
        """Tracked ingredients with their mg per tablet (the name's strength first)."""
        tracked = [(g, mg) for g, mg in self.product.ingredients if g not in UNTRACKED]
        if self.strength_mg is not None and len(tracked) == 1:
            return ((tracked[0][0], self.strength_mg),)
        return tuple(tracked)

    @property
    def is_generic(self) -> bool:
        return self.product.name in GENERICS


def recognise(name: str) -> Recognised | None:
    """The product a typed name means, or None (see the module docstring)."""
    cleaned = _clean(name)
    found = _BY_KEY.get(_key(cleaned))
    if found is not None:
        return Recognised(found)
    match = _STRENGTH.match(cleaned)
    if match is None:
        return None
    base = _BY_KEY.get(_key(match.group("name")))
    if base is None:
        return None
    tracked = [g for g, _ in base.ingredients if g not in UNTRACKED]
    if len(tracked) != 1:
        return None
    mg = float(match.group("mg"))
    if mg <= 0:
        return None
    return Recognised(base, int(mg) if mg.is_integer() else mg)


def suggest(name: str) -> str | None:
    """The known name closest to an unknown one, or None when nothing is close."""
    cleaned = _clean(name)
    match = _STRENGTH.match(cleaned)
    key = _key(match.group("name") if match else cleaned)
    if not key:
        return None
    best: tuple[float, str] | None = None
    for known_key, known_name in zip(_KEYS, _NAMES, strict=True):
        ratio = difflib.SequenceMatcher(None, key, known_key, autojunk=False).ratio()
        if ratio >= SUGGEST_CUTOFF and (best is None or ratio > best[0]):
            best = (ratio, known_name)
    return None if best is None else best[1]


def check_name(name: str) -> str:
    """A cleaned free-text drug name; ValueError for an empty or unreasonably long one, or
    one holding control characters (domain/values: the rule of import and db check too)."""
    cleaned = _clean(name)
    if (
        not cleaned
        or values.text_problem(name, len(name)) is not None  # as typed: a CR is refused
        or values.text_problem(cleaned, _MAX_NAME) is not None
        or not any(c.isalpha() for c in cleaned)
    ):
        raise ValueError("drug name")
    return cleaned


def normalise_drug(name: str) -> str | None:
    """The generic name for a known generic or synonym, else None (products excluded)."""
    cleaned = _clean(name)
    if cleaned in GENERICS:
        return cleaned
    return SYNONYMS.get(cleaned)


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


def largest_single_mg(generic: str) -> float | None:
    found = GENERICS.get(generic)
    return None if found is None else found.largest_single_mg


def drug_names() -> tuple[str, ...]:
    """Every name `treat` recognises: generics, synonyms and products (for completion)."""
    return _NAMES
