"""Shell completion callbacks (`backcare --install-completion`): bash, zsh and fish.

Typer calls these only when the shell asks for completions (`_BACKCARE_COMPLETE` set), so
every import is inside the function: an ordinary command never pays for them. Entry IDs
come from the database only then, read-only, and never create it.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

ID_DAYS = 60  # IDs offered: entries of the last 60 days, newest first
ID_LIMIT = 40


def _starting(words: Any, incomplete: str) -> list[str]:
    typed = incomplete.lower()
    return [w for w in words if w.lower().startswith(typed)]


def treatments(incomplete: str) -> list[str]:
    """KIND for `treat`: the kinds of care, every known drug, synonym and product."""
    from backcare.domain.drugs import drug_names
    from backcare.domain.model import CARE_KINDS

    return _starting([*CARE_KINDS, *drug_names()], incomplete)


def drugs(incomplete: str) -> list[str]:
    from backcare.domain.drugs import drug_names

    return _starting(drug_names(), incomplete)


def symptoms(incomplete: str) -> list[tuple[str, str]]:
    """Symptom codes with their question as the shell's description."""
    from backcare.domain.symptoms import SYMPTOM_QUESTIONS, SYMPTOM_SYNONYMS

    typed = incomplete.lower()
    found = [(code, q) for code, q in SYMPTOM_QUESTIONS.items() if code.startswith(typed)]
    if typed:  # plain one-word synonyms (`tingling`) once something is typed
        found += [
            (word, code)
            for word, code in SYMPTOM_SYNONYMS.items()
            if word.startswith(typed) and " " not in word and "'" not in word
        ]
    return found


def topics(incomplete: str) -> list[tuple[str, str]]:
    from backcare.domain.guide import TOPICS

    typed = incomplete.lower()
    return [(name, page.title) for name, page in TOPICS.items() if name.startswith(typed)]


def locations(incomplete: str) -> list[str]:
    from backcare.domain.model import LOCATIONS

    return _starting(LOCATIONS, incomplete)


def radiates(incomplete: str) -> list[str]:
    from backcare.domain.model import RADIATES

    return _starting(RADIATES, incomplete)


def _db_path(ctx: Any) -> Path:
    from backcare.cli.context import State

    given = ctx.find_root().params.get("db") if ctx is not None else None
    return State(db_option=Path(given) if given else None).db_path


def entry_ids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """Recent entry IDs (newest first) with kind and local time; [] when there is no DB."""
    path = _db_path(ctx)
    if not path.is_file():
        return []
    try:
        from backcare import services
        from backcare.cli.context import local_now, local_zone
        from backcare.cli.render import kind_of

        now = local_now()
        events = services.history(path, since=now - timedelta(days=ID_DAYS), until=None)
    except Exception:  # completion must never print a traceback into the shell
        return []
    zone = local_zone()
    typed = incomplete.lower()
    found = [
        (e.ref, f"{kind_of(e)} {e.at.astimezone(zone):%Y-%m-%d %H:%M}")
        for e in reversed(events)
        if e.ref.startswith(typed)
    ]
    return found[:ID_LIMIT]
