"""Commands over stored entries: history, edit, delete, undo."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import (
    date_range,
    interactive,
    local_now,
    local_zone,
    rich_output,
    state,
)
from backcare.cli.entries import announce
from backcare.errors import InputError

app = typer.Typer()

DaysOption = Annotated[
    int | None, typer.Option("--days", metavar="N", help="The last N days (today included).")
]
FromOption = Annotated[str | None, typer.Option("--from", metavar="D", help="From date (ISO).")]
ToOption = Annotated[str | None, typer.Option("--to", metavar="D", help="To date (ISO).")]


def event_json(event: Any, zone: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.ref,
        "uid": event.uid,
        "type": render.kind_of(event),
        "at": event.at.astimezone(zone).isoformat(),
    }
    for field in event.__dataclass_fields__:
        if field not in ("id", "uid", "at"):
            data[field] = getattr(event, field)
    return data


def iter_json_list(items: Iterable[dict[str, Any]], chunk: int = 1000) -> Iterator[str]:
    """A JSON list, one compact object per line, as text chunks (never all in memory)."""
    lines: list[str] = []
    separator = "[\n"
    for item in items:
        lines.append(separator + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        separator = ",\n"
        if len(lines) >= chunk:
            yield "".join(lines)
            lines.clear()
    yield "".join(lines) + ("[]\n" if separator == "[\n" else "\n]\n")


@app.command()
def history(
    ctx: typer.Context,
    days: DaysOption = None,
    start: FromOption = None,
    end: ToOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List what you logged, oldest first (default: the last 14 days)."""
    from backcare import services

    first, last = date_range(days, start, end, default_days=14)
    zone = local_zone()
    since, until = services.day_bounds(first, last, zone)
    if as_json:
        from backcare.cli.exports import write_stdout

        entries = services.iter_history(state(ctx).db_path, since=since, until=until)
        write_stdout(iter_json_list(event_json(e, zone) for e in entries))
        return
    events = services.history(state(ctx).db_path, since=since, until=until)
    render.history(events, zone, rich=rich_output())


@app.command()
def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="p12, t7 or s3, as history shows.")],
    pain: Annotated[str | None, typer.Option("--pain", metavar="0-10")] = None,
    spasms: Annotated[str | None, typer.Option("--spasms", metavar="N")] = None,
    where: Annotated[str | None, typer.Option("--where", metavar="W")] = None,
    radiates: Annotated[str | None, typer.Option("--radiates", metavar="R")] = None,
    dose: Annotated[str | None, typer.Option("--dose", metavar="MG")] = None,
    minutes: Annotated[str | None, typer.Option("--minutes", metavar="N")] = None,
    relief: Annotated[str | None, typer.Option("--relief", metavar="0-10")] = None,
    gone: Annotated[bool | None, typer.Option("--gone/--present")] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="TEXT")] = None,
    at: Annotated[str | None, typer.Option("--at", metavar="WHEN")] = None,
) -> None:
    """Correct an entry. `backcare undo` restores the previous values."""
    from backcare import services
    from backcare.domain import inputs
    from backcare.domain.model import LOCATIONS, RADIATES
    from backcare.domain.when import parse_event_time

    target = inputs.parse_ref(ref)
    now = local_now()
    changes: dict[str, Any] = {}
    if at is not None:
        changes["at"] = parse_event_time(at, now)
    if pain is not None:
        changes["pain"] = inputs.check_pain(pain)
    if spasms is not None:
        changes["spasms"] = inputs.check_spasms(spasms)
    if where is not None:
        changes["location"] = inputs.check_choice(where, LOCATIONS, msg.WHERE_CHOICES)
    if radiates is not None:
        changes["radiates"] = inputs.check_choice(radiates, RADIATES, msg.RADIATES_CHOICES)
    if dose is not None:
        changes["dose_mg"] = inputs.check_dose(dose)
    if minutes is not None:
        changes["minutes"] = inputs.check_minutes(minutes)
    if relief is not None:
        changes["relief"] = inputs.check_relief(relief)
    if gone is not None:
        changes["present"] = not gone
    if note is not None:
        changes["note"] = inputs.check_note(note)
    if not changes:
        raise InputError(msg.EDIT_NOTHING, msg.EDIT_NOTHING_HINT)
    changed = services.edit_event(state(ctx).db_path, ref=target, changes=changes, now=now)
    event = changed.event
    render.out(msg.EDITED.format(ref=event.ref))
    render.out(f"  {event.ref}: {render.describe(event)} at {render.local(event.at, local_zone())}")
    announce(changed.new_flags)


@app.command()
def delete(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="p12, t7 or s3, as history shows.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete an entry (soft: `backcare undo` brings it back)."""
    from backcare import services
    from backcare.domain.inputs import parse_ref

    target = parse_ref(ref)
    path = state(ctx).db_path
    if not yes:
        if not interactive():
            raise InputError(
                f"delete {ref} needs confirmation", "add --yes to delete without asking"
            )
        event = services.get_event(path, ref=target)
        summary = f"{render.describe(event)} at {render.local(event.at, local_zone())}"
        if not typer.confirm(msg.DELETE_CONFIRM.format(ref=event.ref, summary=summary)):
            render.out(msg.NOT_DELETED)
            return
    changed = services.delete_event(path, ref=target, now=local_now())
    render.out(msg.DELETED.format(ref=changed.event.ref))
    announce(changed.new_flags)


@app.command()
def undo(ctx: typer.Context) -> None:
    """Undo the last delete or edit."""
    from backcare import services

    changed = services.undo(state(ctx).db_path, now=local_now())
    template = msg.UNDONE_DELETE if changed.action == "delete" else msg.UNDONE_EDIT
    render.out(template.format(ref=changed.event.ref))
    announce(changed.new_flags)
