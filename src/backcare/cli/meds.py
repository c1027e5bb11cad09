"""`backcare meds prescribe | list | stop`: prescriptions, whose limits replace the label's."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import local_now, local_zone, state
from backcare.cli.options import JsonOption, NoteOption
from backcare.jsonfmt import dumps as json_dumps

if TYPE_CHECKING:
    from backcare.domain.model import Prescription
    from backcare.jsonfmt import JSONObject

app = typer.Typer(help="Your prescriptions: dose, interval, daily maximum and course.")


def describe(p: Prescription, zone: tzinfo | None) -> str:
    """One line for a prescription: what it says, and when it is in force."""
    text = render.describe(p).removeprefix("prescription: ") + msg.RX_FROM.format(
        at=render.local(p.at, zone)
    )
    if p.ends is not None:
        text += msg.RX_UNTIL.format(at=render.local(p.ends, zone))
    return text


def as_json(p: Prescription, zone: tzinfo | None, now: datetime) -> JSONObject:
    def iso(dt: datetime | None) -> str | None:
        return None if dt is None else dt.astimezone(zone).isoformat()

    return {
        "id": p.ref,
        "uid": p.uid,
        "drug": p.drug,
        "dose_mg": p.dose_mg,
        "every_hours": None if p.every is None else p.every.total_seconds() / 3600,
        "max_daily_mg": p.max_daily_mg,
        "from": iso(p.at),
        "until": iso(p.until),
        "stopped_at": iso(p.stopped_at),
        "in_force": p.in_force(now),
        "relaxant": p.relaxant,
        "note": p.note,
    }


@app.command()
def prescribe(
    ctx: typer.Context,
    drug: Annotated[
        str,
        typer.Argument(metavar="DRUG", help="The medicine, e.g. naproxen."),
    ],
    dose: Annotated[str | None, typer.Option("--dose", metavar="MG", help="Each dose.")] = None,
    every: Annotated[
        str | None, typer.Option("--every", metavar="HOURS", help="Hours between doses.")
    ] = None,
    max_daily: Annotated[
        str | None, typer.Option("--max-daily", metavar="MG", help="At most this in 24 h.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="WHEN", help="In force from (default: now).")
    ] = None,
    days: Annotated[
        str | None, typer.Option("--days", metavar="N", help="The course lasts N days.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="The course ends then.")
    ] = None,
    relaxant: Annotated[
        bool, typer.Option("--relaxant", help="A muscle relaxant backcare does not know.")
    ] = False,
    note: NoteOption = None,
) -> None:
    """Record a prescription: backcare then checks doses against it instead of the label."""
    from backcare import services
    from backcare.cli.entries import announce
    from backcare.domain.inputs import new_prescription
    from backcare.domain.when import parse_when

    now = local_now()
    entry = new_prescription(
        drug=drug,
        start=now if start is None else parse_when(start, now),
        dose=dose,
        every=every,
        max_daily=max_daily,
        days=days,
        until=None if until is None else parse_when(until, now),
        relaxant=relaxant,
        note=note,
    )
    changed = services.prescribe(state(ctx).db_path, entry=entry, now=now)
    p = changed.event
    render.out(msg.PRESCRIBED.format(ref=p.ref, what=describe(p, local_zone())))
    announce(changed.new_flags)


@app.command("list")
def list_(
    ctx: typer.Context,
    as_json_: JsonOption = False,
) -> None:
    """List your prescriptions (in force or ended)."""
    from backcare import services
    from backcare.cli.context import first_run

    if first_run(ctx, to_stderr=as_json_):
        return
    zone, now = local_zone(), local_now()
    found = services.prescriptions(state(ctx).db_path)
    if as_json_:
        render.out(json_dumps([as_json(p, zone, now) for p in found]))
        return
    if not found:
        render.out(msg.NO_PRESCRIPTIONS)
    for p in found:
        status = msg.PRESCRIPTION_IN_FORCE if p.in_force(now) else msg.PRESCRIPTION_ENDED
        render.out(f"{p.ref}: {describe(p, zone)} ({status})")


@app.command()
def stop(
    ctx: typer.Context,
    drug: Annotated[str, typer.Argument(metavar="DRUG", help="The medicine.")],
    at: Annotated[
        str | None, typer.Option("--at", metavar="WHEN", help="When it ended (default: now).")
    ] = None,
) -> None:
    """End the prescription for DRUG (kept in the record; `backcare undo` reverts it)."""
    from backcare import services
    from backcare.cli.entries import announce
    from backcare.domain.inputs import prescription_drug
    from backcare.domain.when import parse_event_time

    now = local_now()
    generic = prescription_drug(drug, relaxant=False) if drug else drug
    changed = services.stop_prescription(
        state(ctx).db_path, drug=generic, at=parse_event_time(at, now), now=now
    )
    render.out(
        msg.STOPPED.format(ref=changed.event.ref, what=describe(changed.event, local_zone()))
    )
    announce(changed.new_flags)
