"""The questionnaires backcare asks (issue 16): one data file per instrument, `ID.toml`,
with its wording, answer ranges, citation, copyright and terms (README "Questionnaire
texts": these texts are not under backcare's licence).

Only the ids live here, so the store can name them in its CHECK without importing the
scoring (`domain/measures.py` reads the files and scores the answers).
"""

from __future__ import annotations

INSTRUMENT_IDS: tuple[str, ...] = ("peg", "startback", "rmdq", "psfs")
