"""Commands that read and explain: check, rules."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, local_zone, rich_output, state
from backcare.errors import EXIT_FLAG

app = typer.Typer()

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="WHEN", help="Evaluate as of this time (default: now)."),
]


def as_of_time(text: str | None):  # noqa: ANN201
    from backcare.domain.when import parse_when

    now = local_now()
    return now if text is None else parse_when(text, now).astimezone(local_zone())


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 when a flag of level soon or above is found.")
    ] = False,
) -> None:
    """Check your log against every rule: red flags, your course, doses, routines."""
    from backcare import services
    from backcare.domain.model import at_or_above

    result = services.check(state(ctx).db_path, as_of=as_of_time(as_of))
    if as_json:
        episode = None
        if result.course is not None:
            episode = {
                "onset": result.course.onset.astimezone(local_zone()).isoformat(),
                "hours": round(result.course.age, 2),
            }
        payload = {
            "as_of": result.as_of.isoformat(),
            "episode": episode,
            "flags": [flag.as_dict() for flag in result.flags],
        }
        render.out(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        render.check(result, local_zone(), rich=rich_output())
    if strict and any(at_or_above(f.level, "soon") for f in result.flags):
        sys.stdout.flush()
        raise typer.Exit(EXIT_FLAG)


@app.command()
def rules() -> None:
    """The rule catalog: what backcare checks, how severe it is, and on whose advice."""
    from backcare.domain.rules import RULES

    render.rule_catalog(RULES, rich=rich_output())
    render.out(msg.DISCLAIMER)
