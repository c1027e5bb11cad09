"""`backcare profile show | set`: age, earlier back pain, history flags, reminder times."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, state
from backcare.cli.options import JsonOption, declared_option
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
        from backcare.domain.entries import profile_json

        render.out(json_dumps(profile_json(profile, every=True)))
        return
    for line in _lines(profile):
        render.out(line)


def _set_signature() -> inspect.Signature:
    """`profile set`'s options: one per profile field (domain/entries PROFILE), named as the
    field, with its declared option and metavar; a list of times repeats its option."""
    from backcare.domain import entries

    parameters = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    ]
    for spec in entries.PROFILE:
        value = list[str] | None if spec.form == entries.CLOCKS else str | None
        words = msg.PROFILE_SET_HELP.get(spec.name)
        words = None if words is None else words.format(choices=", ".join(spec.choices))
        option = typer.Option(spec.option, metavar=spec.metavar, help=words)
        parameters.append(declared_option(spec.name, value, option))
    return inspect.Signature(parameters)


@app.command("set")
def set_(ctx: typer.Context, **typed: str | list[str] | None) -> None:
    """Set profile fields; the ones not given stay as they are."""
    from backcare import services
    from backcare.domain import entries, inputs

    now = local_now()
    changes: dict[str, entries.ProfileValue] = {}
    for spec in entries.PROFILE:
        given = typed.get(spec.name)
        if given is not None:
            changes[spec.name] = inputs.check_profile(spec, given, today=now.date())
    profile = services.profile_set(state(ctx).db_path, now=now, changes=changes)
    render.out(msg.PROFILE_SAVED)
    for line in _lines(profile):
        render.out(line)


set_.__signature__ = _set_signature()  # type: ignore[attr-defined]
