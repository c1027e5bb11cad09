"""Acknowledging flags: ack, unack (a flag acknowledged stops being repeated until new
evidence arrives; `check` still shows it)."""

from __future__ import annotations

from typing import Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, local_zone, state
from backcare.errors import InputError

app = typer.Typer()


@app.command()
def ack(
    ctx: typer.Context,
    rule: Annotated[
        str | None, typer.Argument(metavar="RULE", help="The rule ID, as `check` shows it.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", metavar="TEXT", help='e.g. "prescribed by my GP".'),
    ] = None,
    sought_care: Annotated[
        bool,
        typer.Option(
            "--sought-care",
            help="You have contacted a doctor, urgent care or the emergency services about it "
            "(required for emergency and urgent flags).",
        ),
    ] = False,
    list_acks: Annotated[bool, typer.Option("--list", help="List the acknowledged flags.")] = False,
) -> None:
    """Acknowledge a flag: status, remind and new entries stop repeating it until new
    evidence arrives; `check` still shows it."""
    from backcare import services
    from backcare.domain.inputs import check_note

    path = state(ctx).db_path
    zone = local_zone()
    if list_acks:
        found = services.acknowledgements(path) if path.exists() else []
        if not found:
            render.out(msg.ACK_LIST_NONE)
        for a in found:
            render.out(f"{a.ref}  {a.rule}  {render.acknowledgement_line(a, zone)}")
        return
    if rule is None:
        raise InputError(msg.ACK_RULE_REQUIRED, msg.ACK_SEE_CHECK)
    done = services.acknowledge(
        path, rule=rule.strip(), note=check_note(note), sought_care=sought_care, now=local_now()
    )
    render.prose(msg.ACK_DONE.format(rule=done.rule, ref=done.ref))


@app.command()
def unack(
    ctx: typer.Context,
    rule: Annotated[str, typer.Argument(metavar="RULE", help="The rule ID to show again.")],
) -> None:
    """Withdraw an acknowledgement: the flag shows again wherever it holds."""
    from backcare import services

    withdrawn = services.unacknowledge(state(ctx).db_path, rule=rule.strip(), now=local_now())
    count = len(withdrawn)
    render.out(msg.UNACK_DONE.format(count=count, s="" if count == 1 else "s", rule=rule.strip()))
