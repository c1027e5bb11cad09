"""`backcare profile show | set`: age, earlier back pain, history flags, reminder times."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, state
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
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show your profile."""
    from backcare import services

    profile = services.profile_show(state(ctx).db_path)
    if as_json:
        from backcare.domain.entries import profile_json

        render.out(json_dumps(profile_json(profile, every=True)))
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
    from backcare.domain import entries, inputs

    # The options are named as the fields they set (domain/entries PROFILE; a test ties
    # them), so each value is read and checked by its declaration.
    now = local_now()
    changes: dict[str, entries.ProfileValue] = {}
    for spec in entries.PROFILE:
        typed = ctx.params.get(spec.name)
        if typed is not None:
            changes[spec.name] = inputs.check_profile(spec, typed, today=now.date())
    profile = services.profile_set(state(ctx).db_path, now=now, changes=changes)
    render.out(msg.PROFILE_SAVED)
    for line in _lines(profile):
        render.out(line)
