"""`backcare profile show | set`: age, earlier back pain, history flags, reminder times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, state
from backcare.cli.options import JsonOption
from backcare.jsonfmt import dumps as json_dumps

if TYPE_CHECKING:
    from backcare.domain.model import Profile

app = typer.Typer(help="Your profile: birth year, earlier back pain, history, reminder times.")


def _lines(profile: Profile) -> list[str]:
    from backcare.domain.reminders import DEFAULT_REMIND_AT

    unset = msg.PROFILE_NOT_SET
    values = {
        "birth_year": profile.birth_year or unset,
        "prior": msg.PROFILE_PRIOR[profile.prior_back_pain],
        "history": ", ".join(sorted(profile.history)) or msg.PROFILE_NONE,
        "remind_at": ", ".join(t.strftime("%H:%M") for t in profile.remind_at)
        or msg.PROFILE_REMIND_DEFAULT.format(default=DEFAULT_REMIND_AT.strftime("%H:%M")),
        "name": profile.name or unset,
        "date_of_birth": profile.date_of_birth.isoformat() if profile.date_of_birth else unset,
    }
    return [line.format(**values) for line in msg.PROFILE_LINES]


@app.command("show")
def show(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show your profile."""
    from backcare import services

    profile = services.profile_show(state(ctx).db_path)
    if as_json:
        render.out(
            json_dumps(
                {
                    "birth_year": profile.birth_year,
                    "prior_back_pain": profile.prior_back_pain,
                    "history": sorted(profile.history),
                    "remind_at": [t.strftime("%H:%M") for t in profile.remind_at],
                    "name": profile.name,
                    "date_of_birth": profile.date_of_birth.isoformat()
                    if profile.date_of_birth
                    else None,
                }
            )
        )
        return
    for line in _lines(profile):
        render.out(line)


@app.command("set")
def set_(
    ctx: typer.Context,
    birth_year: Annotated[str | None, typer.Option("--birth-year", metavar="Y")] = None,
    prior_back_pain: Annotated[
        str | None,
        typer.Option("--prior-back-pain", metavar="yes|no", help="Back pain before this episode?"),
    ] = None,
    history: Annotated[
        str | None,
        typer.Option(
            "--history",
            metavar="a,b",
            help="osteoporosis, cancer, steroid-use, substance-misuse, immunosuppressed, "
            "blood-thinners (or none).",
        ),
    ] = None,
    remind_at: Annotated[
        list[str] | None,
        typer.Option("--remind-at", metavar="HH:MM", help="Reminder time (repeatable)."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="TEXT",
            help='Your name, for the FHIR export\'s Patient (optional; "" clears it).',
        ),
    ] = None,
    date_of_birth: Annotated[
        str | None,
        typer.Option(
            "--date-of-birth",
            metavar="D",
            help='Your date of birth YYYY-MM-DD, for the FHIR Patient (optional; "" clears it).',
        ),
    ] = None,
) -> None:
    """Set profile fields; the ones not given stay as they are."""
    from backcare import services
    from backcare.domain import inputs

    now = local_now()
    identity: dict[str, object] = {}
    if name is not None:
        identity["name"] = inputs.check_person_name(name)
    if date_of_birth is not None:
        identity["date_of_birth"] = inputs.check_date_of_birth(date_of_birth, today=now.date())
    year = None
    if birth_year is not None:
        year = inputs.check_birth_year(birth_year, this_year=now.year)
    profile = services.profile_set(
        state(ctx).db_path,
        now=now,
        birth_year=year,
        prior_back_pain=None
        if prior_back_pain is None
        else inputs.check_yes_no(prior_back_pain, "--prior-back-pain"),
        history=None if history is None else inputs.check_history_flags(history),
        remind_at=None
        if remind_at is None
        else tuple(sorted(inputs.check_remind_time(t) for t in remind_at)),
        identity=identity,
    )
    render.out(msg.PROFILE_SAVED)
    for line in _lines(profile):
        render.out(line)
