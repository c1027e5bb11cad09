"""Shell completion (`backcare --install-completion`): bash, zsh and fish.

Typer's own machinery answers the shell (commands and options come from the click tree).
The value completers here are attached to the parameters only when the shell asks
(`_BACKCARE_COMPLETE` set, see `cli.main`): declaring them with Typer's `autocompletion=`
would make Typer inspect every callback's signature while building the CLI for every
ordinary command (~14 signature inspections, measurable on `--help`). Entry IDs come from
the database only while completing, read-only, and never create it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from typer._click import Command, Context, Parameter
    from typer._click.shell_completion import CompletionItem

# A value completer: (the click context while completing, what is typed so far) -> the
# values, each alone or with its description for the shell.
Found: TypeAlias = list[str] | list[tuple[str, str]]
Completer: TypeAlias = Callable[["Context | None", str], Found]

ID_DAYS = 60  # IDs offered: entries of the last 60 days, newest first
ID_LIMIT = 40


def _starting(words: Iterable[str], incomplete: str) -> list[str]:
    typed = incomplete.lower()
    return [w for w in words if w.lower().startswith(typed)]


def treatments(ctx: Context | None, incomplete: str) -> list[str]:
    """KIND for `treat`: the kinds of care, every known drug, synonym and product."""
    from backcare.domain.drugs import drug_names
    from backcare.domain.model import CARE_KINDS

    return _starting([*CARE_KINDS, *drug_names()], incomplete)


def drugs(ctx: Context | None, incomplete: str) -> list[str]:
    from backcare.domain.drugs import drug_names

    return _starting(drug_names(), incomplete)


# (command path, parameter name) -> completer
COMPLETERS: dict[tuple[str, str], Completer] = {}


def symptoms(ctx: Context | None, incomplete: str) -> list[tuple[str, str]]:
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


def topics(ctx: Context | None, incomplete: str) -> list[tuple[str, str]]:
    from backcare.domain.guide import TOPICS

    typed = incomplete.lower()
    return [(name, page.title) for name, page in TOPICS.items() if name.startswith(typed)]


def instruments(ctx: Context | None, incomplete: str) -> list[str]:
    from backcare.domain.instruments import ASKED_IDS  # a retired one (PEG) is not offered

    return _starting(ASKED_IDS, incomplete)


def locations(ctx: Context | None, incomplete: str) -> list[str]:
    from backcare.domain.model import LOCATIONS

    return _starting(LOCATIONS, incomplete)


def radiates(ctx: Context | None, incomplete: str) -> list[str]:
    from backcare.domain.model import RADIATES

    return _starting(RADIATES, incomplete)


def _db_path(ctx: Context | None) -> Path:
    from backcare.cli.context import State

    given = ctx.find_root().params.get("db") if ctx is not None else None
    return State(db_option=Path(given) if given else None).db_path


def entry_ids(ctx: Context | None, incomplete: str) -> list[tuple[str, str]]:
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


COMPLETERS.update(
    {
        ("log", "symptom"): symptoms,
        ("log", "where"): locations,
        ("log", "radiates"): radiates,
        ("treat", "kind"): treatments,
        ("treat", "drug"): drugs,
        ("symptom", "codes"): symptoms,
        ("edit", "ref"): entry_ids,
        ("edit", "location"): locations,
        ("edit", "radiates"): radiates,
        ("delete", "refs"): entry_ids,
        ("guide", "topic"): topics,
        ("meds prescribe", "drug"): drugs,
        ("meds stop", "drug"): drugs,
        ("measure", "name"): instruments,
    }
)


def _items(
    completer: Completer,
) -> Callable[[Context, Parameter, str], list[CompletionItem]]:
    def shell_complete(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        from typer._click.shell_completion import CompletionItem

        found = completer(ctx, incomplete)
        return [
            CompletionItem(f[0], help=f[1]) if isinstance(f, tuple) else CompletionItem(f)
            for f in found
        ]

    return shell_complete


def attach(command: Command, path: str = "") -> Command:
    """Give the parameters in COMPLETERS their completer, through the whole command tree."""
    for param in command.params:
        completer = COMPLETERS.get((path, str(param.name)))
        if completer is not None:
            param._custom_shell_complete = _items(completer)
    for name, sub in getattr(command, "commands", {}).items():
        attach(sub, f"{path} {name}".strip())
    return command


def completing_command() -> Command:
    """The click command of the CLI with the value completers attached."""
    from typer.main import get_command

    from backcare.cli.app import app

    return attach(get_command(app))
