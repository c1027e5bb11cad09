"""`backcare remind [--as-of WHEN] [--notify] [--json]` and `remind install | show | uninstall`.

`remind` alone is the cron entry point: one plain line per due item on stdout, nothing when
nothing is due, exit 0 either way; errors go through the app's single exit point (stderr,
exit 1), which cron mails. Output here is always plain text (never Rich): it is read in a
cron mail or a script. No prompt, no terminal needed, no wait: an overlapping run (the
remind lock is held) exits 0 at once without a word.
"""

from __future__ import annotations

import sys
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import as_of_time, state
from backcare.cli.options import AsOfOption, JsonOption
from backcare.errors import InputError, StorageError
from backcare.jsonfmt import dumps as json_dumps

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject

app = typer.Typer(
    help="Reminders: what is due now (run from cron); install, show or remove the schedule.",
    no_args_is_help=False,
)

SYSTEMD_USER_DIR = "~/.config/systemd/user"


def _one_line(text: str) -> str:
    return " ".join(text.split())


@app.callback(invoke_without_command=True)
def remind(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    notify: Annotated[
        bool,
        typer.Option(
            "--notify", help="Also show a desktop notification (notify-send), when possible."
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """What is due now, one plain line per item; nothing when nothing is due.

    Items: follow-up (a flag of level soon or above), checkin-72h, log-today, reapply.
    """
    if ctx.invoked_subcommand is not None:
        if as_of is not None or notify or as_json:
            raise InputError(msg.REMIND_OPTIONS_WITH_COMMAND, msg.REMIND_OPTIONS_WITH_COMMAND_HINT)
        return
    from backcare.services import remind as service

    path = state(ctx).db_path
    when = as_of_time(as_of)
    with service.run_lock(path) as held:
        if not held:
            return  # another remind is running: it reports, this one stays silent
        items = service.due(path, as_of=when)
        if as_json:
            payload: JSONObject = {
                "as_of": when.isoformat(),
                "due": [item.as_dict() for item in items],
            }
            render.out(json_dumps(payload))
        else:
            for item in items:
                render.out(msg.REMIND_LINE.format(id=item.id, text=_one_line(item.text)))
        sys.stdout.flush()
        if notify and items:
            service.notify(items)


def _times(at: list[str] | None, path: Path) -> list[time]:
    from backcare.domain.inputs import check_remind_time
    from backcare.schedule import normalise_times
    from backcare.services import remind as service

    if not at:
        return normalise_times(service.remind_times(path))
    parsed = []
    for text in at:
        try:
            parsed.append(check_remind_time(text))
        except InputError:
            raise InputError(msg.REMIND_AT_INSTALL_BAD) from None
    return normalise_times(parsed)


@app.command()
def install(
    ctx: typer.Context,
    at: Annotated[
        list[str] | None,
        typer.Option(
            "--at",
            metavar="HH:MM",
            help="When to run (repeatable; default: your profile's reminder times, else 20:00).",
        ),
    ] = None,
    print_only: Annotated[
        bool,
        typer.Option(
            "--print", help="Print the crontab lines and a systemd user timer; change nothing."
        ),
    ] = False,
    notify: Annotated[
        bool, typer.Option("--notify", help="Run `remind --notify` (a desktop notification).")
    ] = False,
) -> None:
    """Add one crontab entry per time (running it again replaces ours, never duplicates)."""
    from backcare import schedule

    path = state(ctx).db_path
    times = _times(at, path)
    if print_only:
        render.out(msg.REMIND_PRINT_CRON)
        for line in schedule.cron_lines(times, path, notify=notify):
            render.out(line)
        render.out()
        render.out(msg.REMIND_PRINT_SYSTEMD)
        for name, text in schedule.systemd_units(times, path).items():
            render.out(f"# {SYSTEMD_USER_DIR}/{name}")
            render.out(text)
        render.out(msg.REMIND_PRINT_SYSTEMD_ENABLE)
        return
    lines = schedule.install(times, path, notify=notify)
    count = len(lines)
    render.out(
        msg.REMIND_INSTALLED.format(
            count=count,
            entries=render.plural(count, "entry", "entries"),
            them=render.plural(count, "it", "them"),
        )
    )
    for line in lines:
        render.out(f"  {line}")
    if at:
        _note_early(times, path)


def _note_early(times: list[time], path: Path) -> None:
    """Tell when an --at time comes before the first reminder time (log-today not yet due)."""
    from backcare.services import remind as service

    try:
        first = service.remind_times(path)[0]
    except StorageError:
        return
    early = [t for t in times if t < first]
    if early:
        render.out(
            msg.REMIND_INSTALL_EARLY.format(
                first=first.strftime("%H:%M"), at=", ".join(t.strftime("%H:%M") for t in early)
            )
        )


@app.command()
def show() -> None:
    """Show the crontab entries backcare installed."""
    from backcare import schedule

    lines = schedule.installed()
    if not lines:
        render.out(msg.REMIND_NONE_INSTALLED)
        return
    for line in lines:
        render.out(line)


@app.command()
def uninstall() -> None:
    """Remove backcare's crontab entries (only ours; every other entry is kept)."""
    from backcare import schedule

    removed = schedule.uninstall()
    if not removed:
        render.out(msg.REMIND_NONE_INSTALLED)
        return
    render.out(
        msg.REMIND_UNINSTALLED.format(
            count=removed, entries=render.plural(removed, "entry", "entries")
        )
    )
