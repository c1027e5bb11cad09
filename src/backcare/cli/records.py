"""Commands over stored entries: history, edit, delete, undo, redo."""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import (
    date_range,
    first_run,
    interactive,
    local_now,
    local_zone,
    rich_output,
    state,
)
from backcare.cli.entries import announce
from backcare.errors import InputError
from backcare.jsonfmt import json_list

if TYPE_CHECKING:
    from backcare.services import HistoryItem

app = typer.Typer()

DaysOption = Annotated[
    int | None, typer.Option("--days", metavar="N", help="The last N days (today included).")
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="DAY", help="From this day: 2026-03-01, 20 Nov, monday, yesterday, -7d."
    ),
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="DAY", help="To this day (default today).")
]


def event_json(event: HistoryItem, zone: tzinfo | None) -> dict[str, Any]:
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
    if first_run(ctx, to_stderr=as_json):
        return
    zone = local_zone()
    since, until = services.day_bounds(first, last, zone)
    if as_json:
        from backcare.cli.exports import write_stdout

        items = services.iter_history_json(
            state(ctx).db_path,
            since=since,
            until=until,
            zone=zone,
            record_json=lambda record: event_json(record, zone),
        )
        write_stdout(json_list(items))
        return
    events = services.history(state(ctx).db_path, since=since, until=until)
    render.history(events, zone, rich=rich_output())


class _EditCommand(TyperCommand):
    """`edit`, whose --help lists what each kind lets you change, from the declarations
    (domain/entries), read only when the help is shown (start-up stays light)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from backcare.domain.entries import editable_help

        self.help = msg.EDIT_HELP.format(fields=editable_help())
        super().format_help(ctx, formatter)


# The `edit` option -> the declared field it sets (domain/entries `option`/`flag`).
# tests/domain/test_entries.py checks that every editable field has its option here.
EDIT_OPTIONS = {
    "--at": "at",
    "--pain": "pain",
    "--spasms": "spasms",
    "--where": "location",
    "--radiates": "radiates",
    "--dose": "dose_mg",
    "--minutes": "minutes",
    "--relief": "relief",
    "--gone/--present": "present",
    "--note": "note",
    "--answers": "answers",
}


@app.command(cls=_EditCommand)
def edit(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(metavar="ID", help="p12, t7, s3 or r2, as history shows."),
    ],
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
    answers: Annotated[str | None, typer.Option("--answers", metavar="A,B,...")] = None,
) -> None:
    """Correct an entry. `backcare undo` restores the previous values."""
    from backcare import services
    from backcare.cli.entries import event_time, say_notes
    from backcare.domain import inputs

    target = inputs.parse_ref(ref)
    now = local_now()
    typed: dict[str, Any] = {
        "--pain": pain,
        "--spasms": spasms,
        "--where": where,
        "--radiates": radiates,
        "--dose": dose,
        "--minutes": minutes,
        "--relief": relief,
        "--gone/--present": None if gone is None else not gone,
        "--note": note,
        "--answers": answers,
    }
    changes: dict[str, Any] = {}
    if at is not None:
        changes["at"] = event_time(at, now)
    for option, value in typed.items():
        if value is not None:
            field = EDIT_OPTIONS[option]
            changes[field] = inputs.EDIT_CHECKS[field](value)
    if not changes:
        raise InputError(msg.EDIT_NOTHING, msg.EDIT_NOTHING_HINT)
    changed = services.edit_event(state(ctx).db_path, ref=target, changes=changes, now=now)
    event = changed.event
    render.out(msg.EDITED.format(ref=event.ref))
    render.out(
        "  "
        + msg.ENTRY_AT.format(
            ref=event.ref, what=render.describe(event), at=render.local(event.at, local_zone())
        )
    )
    say_notes()
    announce(changed.new_flags)


@app.command()
def delete(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="p12, t7 or s3, as history shows; several are all or nothing."
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Delete entries (soft: `backcare undo` brings them back). Declining exits 1."""
    from backcare import services
    from backcare.domain.inputs import parse_ref
    from backcare.errors import EXIT_RUNTIME

    targets = list(dict.fromkeys(parse_ref(ref) for ref in refs))
    path = state(ctx).db_path
    if not yes:
        if not interactive():
            raise InputError(msg.DELETE_NEEDS_YES, msg.DELETE_NEEDS_YES_HINT)
        events = [services.get_event(path, ref=target) for target in targets]
        summaries = [
            (e.ref, f"{render.describe(e)} at {render.local(e.at, local_zone())}") for e in events
        ]
        if len(summaries) == 1:
            question = msg.DELETE_CONFIRM.format(ref=summaries[0][0], summary=summaries[0][1])
        else:
            for ref, summary in summaries:
                render.out(f"  {ref}: {summary}")
            question = msg.DELETE_CONFIRM_MANY.format(count=len(summaries))
        if not typer.confirm(question):
            render.out(msg.NOT_DELETED)
            raise typer.Exit(EXIT_RUNTIME)
    deleted = services.delete_events(path, refs=targets, now=local_now())
    if len(deleted.events) == 1:
        render.out(msg.DELETED.format(ref=deleted.events[0].ref))
    else:
        render.out(msg.DELETED_MANY.format(refs=", ".join(e.ref for e in deleted.events)))
    announce(deleted.new_flags)


UNDO_LIST_LIMIT = 10


@app.command()
def undo(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
    list_actions: Annotated[
        bool, typer.Option("--list", help="Show the recent actions, newest first.")
    ] = False,
) -> None:
    """Undo the last command that changed entries: log, treat, symptom, checkin, edit,
    delete (all its IDs), import (what it added), meds prescribe/stop, ack, unack, measure,
    goals add/remove.

    Shows what it will revert and asks (needs --yes off a terminal; declining exits 1).
    Repeat to go further back; `backcare redo` re-applies what undo reverted until something
    new is recorded. `db purge` and `db restore` clear the list: undo never reaches past
    them. Profile settings are not entries and are not undone.
    """
    from backcare import services
    from backcare.errors import EXIT_RUNTIME

    path = state(ctx).db_path
    zone = local_zone()
    if list_actions:
        if first_run(ctx):
            return
        render.journal(services.recent_actions(path, limit=UNDO_LIST_LIMIT), zone)
        return
    if not yes and not interactive():
        raise InputError(msg.UNDO_NEEDS_YES, msg.UNDO_NEEDS_YES_HINT)
    entry = services.next_action(path)
    if entry is None:
        raise InputError(msg.NOTHING_TO_UNDO, msg.NOTHING_TO_UNDO_HINT)
    if not yes:
        render.reverted(msg.UNDO_SHOW, entry, zone)
        if not typer.confirm(msg.UNDO_CONFIRM):
            render.out(msg.NOT_UNDONE)
            raise typer.Exit(EXIT_RUNTIME)
    done = services.undo(path, now=local_now(), expect=entry.id)
    render.reverted(msg.UNDONE, done.entry, zone)
    announce(done.new_flags)


@app.command()
def redo(ctx: typer.Context) -> None:
    """Re-apply what `backcare undo` reverted last (while nothing new was recorded since)."""
    from backcare import services

    done = services.redo(state(ctx).db_path, now=local_now())
    render.reverted(msg.REDONE, done.entry, local_zone())
    announce(done.new_flags)
