"""Commands that record what happened: log, treat, symptom, checkin."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperArgument, TyperCommand, TyperOption

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import interactive, local_now, local_zone, rich_output, state
from backcare.cli.options import NoteOption
from backcare.errors import InputError

if TYPE_CHECKING:  # types only: services and the domain load when a command runs
    from typer._click import Context, HelpFormatter

    from backcare.domain.model import Flag
    from backcare.services import Logged

app = typer.Typer()


def _or(choices: Sequence[str]) -> str:
    return msg.LIST_OR.format(first=", ".join(choices[:-1]), last=choices[-1])


def declared_help(command: str, param: str) -> str | None:
    """The help of a parameter that lists what backcare accepts, from the declarations
    (domain/entries; the medicines of domain/drugs): never a second, hand-kept list."""
    from backcare.domain import entries
    from backcare.domain.drugs import KNOWN_DRUGS

    if (command, param) == ("log", "where"):
        return _or(entries.PAIN.field("location").choices) + "."
    if (command, param) == ("log", "radiates"):
        return _or(entries.PAIN.field("radiates").choices) + "."
    if (command, param) == ("treat", "kind"):
        care = [k for k in entries.TREATMENT.field("kind").choices if k != "medication"]
        return msg.TREAT_KIND_HELP.format(care=", ".join(care), drugs=", ".join(KNOWN_DRUGS))
    return None


class _DeclaredHelp(TyperCommand):
    """A command whose --help lists the values the declarations accept (`declared_help`),
    built only when the help is shown: start-up stays light and the list cannot go stale."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        for param in self.params:
            words = declared_help(str(self.name), str(param.name))
            if words is not None and isinstance(param, TyperArgument | TyperOption):
                param.help = words
        super().format_help(ctx, formatter)


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="WHEN",
        help="When it happened (default now): 8am, 9.30pm, -2h, 2h ago, this morning, "
        "last night, yesterday 21:30, monday 18:00, 20 Nov 09:00, ISO. `yesterday` alone is "
        "yesterday at this time of day, as `today` is now. See `backcare --help`.",
    ),
]


def event_time(at: str | None, now: datetime) -> datetime:
    """--at as a time; a note about a repeated hour is said after the confirmation."""
    from backcare.domain.when import resolve_event_time

    _notes.clear()
    when = resolve_event_time(at, now)
    if when.note:
        _notes.append(when.note)
    return when.at


_notes: list[str] = []


def say_notes() -> None:
    """The notes about how a typed time was read (one process runs one command)."""
    while _notes:
        render.prose(_notes.pop(0))


def _show(logged: Logged, *, tip: bool = False) -> None:
    """What was stored, then every flag at caution or above the entry changed, then a tip."""
    render.logged(logged.events, local_zone())
    say_notes()
    announce(logged.new_flags)
    if tip:
        render.render_tip(logged.tip)


def announce(changed: Sequence[Flag]) -> None:
    """Flags at caution or above that a write made new or gave new evidence (an emergency
    opens with its banner); the evidence shown is what is new."""
    from backcare.domain.model import at_or_above

    raised = [f for f in changed if at_or_above(f.level, "caution")]
    if raised:
        render.flags(raised, rich=rich_output(), heading=msg.WRITE_RAISED)
        render.prose(f"{msg.WRITE_SEE_CHECK} {msg.DISCLAIMER}")


# A negative PAIN ("log -1") gets the pain-range message from cli/suggest.py.
@app.command(cls=_DeclaredHelp)
def log(
    ctx: typer.Context,
    pain: Annotated[
        str | None, typer.Argument(metavar="PAIN", help="Pain now, 0 (none) to 10 (worst).")
    ] = None,
    spasms: Annotated[
        str | None,
        typer.Option(
            "--spasms", metavar="N", help="Spasms since your last entry (left out: not recorded)."
        ),
    ] = None,
    where: Annotated[
        str | None,
        typer.Option("--where", metavar="W"),  # help: declared_help
    ] = None,
    radiates: Annotated[
        str | None,
        typer.Option("--radiates", metavar="R"),  # help: declared_help
    ] = None,
    symptom: Annotated[
        list[str] | None,
        typer.Option("--symptom", metavar="CODE", help="A symptom to report (repeatable)."),
    ] = None,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """Log your pain now (0-10), with spasms, where it hurts and where it spreads."""
    from backcare import services
    from backcare.domain.inputs import NewSymptom, check_symptom, new_pain

    now = local_now()
    when = event_time(at, now)
    if pain is None:
        if not interactive():
            raise InputError(msg.PAIN_REQUIRED, msg.PAIN_REQUIRED_HINT)
        pain = typer.prompt(msg.PAIN_PROMPT)
    entry = new_pain(at=when, pain=pain, spasms=spasms, where=where, radiates=radiates, note=note)
    symptoms = [NewSymptom(at=when, code=check_symptom(code)) for code in symptom or []]
    _show(services.log_pain(state(ctx).db_path, entry=entry, symptoms=symptoms, now=now), tip=True)


@app.command(cls=_DeclaredHelp)
def treat(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(metavar="KIND"),  # help: declared_help
    ],
    dose: Annotated[
        str | None,
        typer.Option(
            "--dose", metavar="MG", help="Dose: 400, 400mg, 0.5g or 2x200 (tablets x mg)."
        ),
    ] = None,
    tablets: Annotated[
        str | None,
        typer.Option("--tablets", metavar="N", help="Tablets taken (strength from the name)."),
    ] = None,
    strength: Annotated[
        str | None,
        typer.Option("--strength", metavar="MG", help="With --tablets: mg in one tablet."),
    ] = None,
    minutes: Annotated[
        str | None, typer.Option("--minutes", metavar="N", help="How long (ice, heat, rest...).")
    ] = None,
    relief: Annotated[
        str | None, typer.Option("--relief", metavar="0-10", help="How much it helped.")
    ] = None,
    drug: Annotated[
        str | None,
        typer.Option("--drug", metavar="NAME", help="With `medication`: the drug."),
    ] = None,
    relaxant: Annotated[
        bool,
        typer.Option("--relaxant", help="With `medication --drug`: it is a muscle relaxant."),
    ] = False,
    unlisted: Annotated[
        bool,
        typer.Option(
            "--unlisted", help="With `medication --drug`: record a name backcare does not know."
        ),
    ] = False,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """Log a treatment: ice, heat, a medicine and its dose, stretching, rest..."""
    from backcare import services
    from backcare.domain.inputs import new_treatments

    now = local_now()
    entry = new_treatments(
        at=event_time(at, now),
        kind=kind,
        drug=drug,
        dose=dose,
        tablets=tablets,
        strength=strength,
        minutes=minutes,
        relief=relief,
        relaxant=relaxant,
        unlisted=unlisted,
        note=note,
    )
    logged = services.log_treatments(state(ctx).db_path, entries=entry.rows, now=now)
    render.logged(logged.events, local_zone())
    say_notes()
    if entry.unchecked:
        render.prose(msg.UNCHECKED_DRUG)
    if entry.assumed_one_tablet:
        for event in logged.events:
            dose_mg = getattr(event, "dose_mg", None)
            if dose_mg is not None:
                render.prose(
                    msg.ASSUMED_ONE_TABLET.format(mg=render.number(dose_mg), ref=event.ref)
                )
    announce(logged.new_flags)


@app.command()
def symptom(
    ctx: typer.Context,
    codes: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="CODE...",
            help="Symptom codes (see --list) or plain words: tingling, numb leg...",
        ),
    ] = None,
    gone: Annotated[
        bool, typer.Option("--gone", help="Record that these symptoms are no longer there.")
    ] = False,
    list_codes: Annotated[
        bool, typer.Option("--list", help="List the symptom codes and their questions.")
    ] = False,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """Report symptoms (red flags among them), or that they are gone."""
    if list_codes:
        render.symptom_codes()
        return
    if not codes:
        raise InputError(msg.SYMPTOM_REQUIRED)
    from backcare import services
    from backcare.domain.inputs import NewSymptom, check_note, check_symptom

    now = local_now()
    when = event_time(at, now)
    checked_note = check_note(note)
    entries = [
        NewSymptom(at=when, code=check_symptom(code), present=not gone, note=checked_note)
        for code in codes
    ]
    _show(services.log_symptoms(state(ctx).db_path, entries=entries, now=now))


@app.command()
def checkin(ctx: typer.Context) -> None:
    """Answer the red-flag questions one by one (needs a terminal); prints what they mean.

    The answers are stored as ONE check-in record (the codes asked, those present); a
    present answer counts as a report of that symptom. When the profile lacks it and the
    person is over 50 or under 20, it first asks whether they had back pain before.
    """
    from backcare import services
    from backcare.domain.model import Profile
    from backcare.domain.status import asks_prior_back_pain
    from backcare.domain.symptoms import SYMPTOM_QUESTIONS
    from backcare.domain.when import parse_event_time

    if not interactive():
        raise InputError(msg.NEEDS_TERMINAL.format(command="checkin"), msg.NEEDS_TERMINAL_HINT)
    path = state(ctx).db_path
    now = local_now()
    profile = services.profile_show(path) if path.exists() else Profile()
    prior = ask_yes_no(msg.PRIOR_BACK_PAIN_QUESTION) if asks_prior_back_pain(profile, now) else None
    answers = ask_symptoms(SYMPTOM_QUESTIONS)
    if not answers:
        if prior is not None:
            services.profile_set(path, now=now, changes={"prior_back_pain": prior})
            render.out(msg.PRIOR_BACK_PAIN_SAVED)
        else:
            render.out(msg.CHECKIN_NONE)
        return
    logged = services.log_checkin(
        path,
        at=parse_event_time(None, now),
        asked=[code for code, _ in answers],
        present=[code for code, present in answers if present],
        now=now,
        prior_back_pain=prior,
    )
    (record,) = logged.events
    render.out(msg.CHECKIN_RECORDED.format(ref=record.ref, what=render.describe(record)))
    if prior is not None:
        render.out(msg.PRIOR_BACK_PAIN_SAVED)
    result = services.check(path, as_of=now)
    render.check(result, local_zone(), rich=rich_output())


def ask_yes_no(question: str) -> bool | None:
    """y = True, n = False, s/empty = None (skipped). Re-asks on other input."""
    while True:
        reply = typer.prompt(question, default="s", show_default=False).strip().lower()
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no"):
            return False
        if reply in ("s", "skip", ""):
            return None


def ask_symptoms(questions: dict[str, str]) -> list[tuple[str, bool]]:
    """Ask each question; y = present, n = gone, s/empty = skip. Re-asks on other input."""
    render.prose(msg.CHECKIN_INTRO)
    answers: list[tuple[str, bool]] = []
    for code, question in questions.items():
        reply = ask_yes_no(msg.CHECKIN_PROMPT.format(question=question))
        if reply is not None:
            answers.append((code, reply))
    return answers
