"""Commands over stored entries: history, edit, delete, undo, redo."""

from __future__ import annotations

import inspect
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated

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
from backcare.cli.options import FromOption, JsonOption, ToOption, YesOption, declared_option
from backcare.errors import InputError
from backcare.jsonfmt import json_list

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter

    from backcare.domain.entries import Field, Value
    from backcare.jsonfmt import JSONObject
    from backcare.services import HistoryItem

app = typer.Typer()

DaysOption = Annotated[
    int | None, typer.Option("--days", metavar="N", help="The last N days (today included).")
]


def event_json(event: HistoryItem, zone: tzinfo | None) -> JSONObject:
    data: JSONObject = {
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
    as_json: JsonOption = False,
) -> None:
    """List what you logged, oldest first (default: the last 14 days)."""
    from backcare import services

    first, last = date_range(days, start, end, default_days=14)
    if first_run(ctx, to_stderr=as_json):
        return
    zone = local_zone()
    since, until = services.day_bounds(first, last, zone)
    if as_json:
        from backcare.cli.write import write_stdout

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
    (domain/entries), worded only when the help is shown. Its options are built from the
    same declarations when this module loads (`_edit_signature`): every command of this
    module reads domain/entries anyway, and none is on the start-up path of --help."""

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        from backcare.domain.entries import editable_help

        self.help = msg.EDIT_HELP.format(fields=editable_help())
        super().format_help(ctx, formatter)


def _edit_signature() -> inspect.Signature:
    """`edit`'s parameters: the ID, then one option per editable field of domain/entries
    (`edit_fields`: its option, its metavar, a flag for a yes/no field), named as the field.
    Adding an editable field to a kind adds its option here, in --help and in `edit`."""
    from backcare.domain import entries

    plain = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [
        inspect.Parameter("ctx", plain, annotation=typer.Context),
        inspect.Parameter(
            "ref",
            plain,
            annotation=Annotated[
                str, typer.Argument(metavar="ID", help="p12, t7, s3 or r2, as history shows.")
            ],
        ),
    ]
    for spec in entries.edit_fields():
        value = bool | None if spec.form == entries.BOOL else str | None
        option = typer.Option(spec.flag, metavar=spec.placeholder)
        parameters.append(declared_option(spec.name, value, option))
    return inspect.Signature(parameters)


def _flag_value(spec: Field, given: bool) -> bool:
    """A yes/no field set by a flag pair: `--gone/--present` sets `present` False with the
    first flag (the field is true when the flag named after it is given)."""
    return given if spec.flag.split("/")[0] == "--" + spec.name.replace("_", "-") else not given


@app.command(cls=_EditCommand)
def edit(ctx: typer.Context, ref: str, **typed: str | bool | None) -> None:
    """Correct an entry. `backcare undo` restores the previous values."""
    from backcare import services
    from backcare.cli.entries import event_time, say_notes
    from backcare.domain import entries, inputs

    target = inputs.parse_ref(ref)
    now = local_now()
    changes: dict[str, Value] = {}
    for spec in entries.edit_fields():
        given = typed.get(spec.name)
        if given is None:
            continue
        if spec.name == "at":
            changes["at"] = event_time(str(given), now)
        elif isinstance(given, bool):
            changes[spec.name] = _flag_value(spec, given)
        else:
            changes[spec.name] = inputs.EDIT_CHECKS[spec.name](given)
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


edit.__signature__ = _edit_signature()  # type: ignore[attr-defined]


@app.command()
def delete(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="p12, t7 or s3, as history shows; several are all or nothing."
        ),
    ],
    yes: YesOption = False,
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
    yes: YesOption = False,
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
