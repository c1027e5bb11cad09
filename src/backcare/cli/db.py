"""`backcare db ...`: where the database is, and looking after it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.checking import entries_text as _entries
from backcare.cli.context import interactive, local_now, state
from backcare.cli.options import JsonOption, YesOption
from backcare.errors import InputError

app = typer.Typer(help="The database file: path, backup, restore, check, upgrade, purge.")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database path in use (from --db, $BACKCARE_DB or the default)."""
    render.out(str(state(ctx).db_path))


@app.command("check")
def check(
    ctx: typer.Context,
    full: Annotated[
        bool, typer.Option("--full", help="integrity_check (indexes too) instead of quick_check.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check the file: SQLite's own check plus backcare's rules (no future times, doses > 0...).

    Exit 0 when sound, 1 with a report when not. Read-only: it never changes the file.
    """
    from backcare.cli.checking import check_file

    check_file(state(ctx).db_path, full=full, as_json=as_json)


@app.command("backup")
def backup(
    ctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="[FILE]",
            help="Where to write it (a new file); default: beside the database, dated.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Copy the database to a new file: consistent even while backcare writes, verified, 0600."""
    from backcare.services import maintenance

    db = state(ctx).db_path
    info = maintenance.backup(db, target=file, now=local_now())
    render.out(msg.DB_BACKUP_DONE.format(path=db, target=info.path, entries=_entries(info.entries)))


@app.command("restore")
def restore(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A backup to put back.")],
    yes: YesOption = False,
) -> None:
    """Replace the database with a backup (verified first; the current file is kept)."""
    from backcare.services import maintenance
    from backcare.services.maintenance import HEAD

    db = state(ctx).db_path
    info = maintenance.describe(file)
    if not yes:
        if not interactive():
            raise InputError(msg.DB_RESTORE_NEEDS_YES, msg.DB_RESTORE_NEEDS_YES_HINT)
        current = maintenance.entry_count(db)
        question = msg.DB_RESTORE_CONFIRM.format(
            path=db,
            current=_entries(current),
            backup=file,
            entries=_entries(info.entries),
        )
        if not typer.confirm(question):
            render.out(msg.DB_NOT_RESTORED)
            raise typer.Exit(1)  # declined: not done, so not success
    done = maintenance.restore(db, backup_file=file, now=local_now())
    render.out(
        msg.DB_RESTORE_DONE.format(path=db, backup=file, entries=_entries(done.info.entries))
    )
    if done.kept is not None:
        render.out(msg.DB_RESTORE_KEPT.format(copy=done.kept))
    if done.info.revision != HEAD:
        render.out(msg.DB_RESTORE_UPGRADE.format(revision=done.info.revision))


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Run pending schema migrations now (a backup copy is written first)."""
    from backcare.services import maintenance

    db = state(ctx).db_path
    result = maintenance.upgrade(db)
    if result.old == result.new:
        render.out(msg.DB_UPGRADE_CURRENT.format(path=db, revision=result.new))
        return
    render.out(
        msg.DB_UPGRADED.format(path=db, old=result.old, new=result.new, backup=result.backup)
    )


@app.command("purge")
def purge(ctx: typer.Context, yes: YesOption = False) -> None:
    """Remove deleted entries for good (the only hard delete); undo cannot reach past it."""
    from backcare.services import maintenance

    db = state(ctx).db_path
    if not yes:
        if not interactive():
            raise InputError(msg.DB_PURGE_NEEDS_YES, msg.DB_PURGE_NEEDS_YES_HINT)
        count = maintenance.deleted_count(db)
        if count == 0:
            render.out(msg.DB_PURGE_NONE)
            return
        if not typer.confirm(msg.DB_PURGE_CONFIRM.format(entries=_entries(count))):
            render.out(msg.DB_NOT_PURGED)
            raise typer.Exit(1)  # declined: not done, so not success
    removed = maintenance.purge(db)
    render.out(msg.DB_PURGED.format(entries=_entries(removed)) if removed else msg.DB_PURGE_NONE)
