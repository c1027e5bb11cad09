"""The questionnaires backcare asks (issue 16): one data file per instrument, `ID.toml`,
with its wording, answer ranges, citation, copyright and terms (README "Questionnaire
texts": these texts are not under backcare's licence).

Only the ids and the retired instrument's declaration live here, so the store can name them
in its CHECK without importing the scoring (`domain/measures.py` reads the files and scores
the answers).

A retired instrument is no longer asked (no data file, no wording, never scheduled), but the
scores people stored with an earlier version stay theirs: its id stays valid in stored data
(the CHECK, imports), and what its scoring needs is declared here, once.
"""

from __future__ import annotations

# Every id stored data may hold (the table's CHECK, imports, exports); shown in this order.
INSTRUMENT_IDS: tuple[str, ...] = ("peg", "startback", "rmdq", "psfs")


class Retired:
    """An instrument backcare asked once and no longer asks (`asked` is always False).

    A plain class with slots: the store imports this module on every start, where a
    dataclass cost 0.5 ms more and a NamedTuple 0.1 ms more (`python -X importtime`)."""

    __slots__ = ("asked", "high", "id", "items", "low", "short")

    def __init__(self, *, id: str, short: str, items: int, low: int, high: int) -> None:
        self.id = id
        self.short = short  # its name where shown (the label "no longer asked": messages.py)
        self.items = items  # its item count, each answered low-high
        self.low = low
        self.high = high
        self.asked = False


# PEG (asked by backcare until issue 16's last point): its terms of use could not be
# confirmed. Its items are Figure 1 of an open-access article and it derives from the
# copyrighted Brief Pain Inventory, and no statement by the authors, the journal or the VA
# was found (third-party "free to use" listings only): docs/sources.md (Krebs et al. 2009).
# The wording is gone from backcare; stored scores keep the published scoring: 3 items
# 0-10, score = the mean.
RETIRED: dict[str, Retired] = {
    "peg": Retired(
        id="peg",
        short="PEG",
        items=3,
        low=0,
        high=10,
    ),
}

# The ids `backcare measure` asks, completes, schedules and names.
ASKED_IDS: tuple[str, ...] = tuple(i for i in INSTRUMENT_IDS if i not in RETIRED)
