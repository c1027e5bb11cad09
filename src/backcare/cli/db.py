"""`backcare db ...`: where the database is, and looking after it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import interactive, local_now, state
from backcare.cli.options import JsonOption, YesOption
from backcare.errors import InputError, StorageError
from backcare.jsonfmt import dumps as json_dumps

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject
    from backcare.services.maintenance import FileReport

app = typer.Typer(help="The database file: path, backup, restore, check, upgrade, purge.")


def _entries(n: int | None) -> str:
    if n is None:
        return msg.DB_NO_ENTRIES
    return msg.ENTRIES[0 if n == 1 else 1].format(n=n)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database path in use (from --db, $BACKCARE_DB or the default)."""
    render.out(str(state(ctx).db_path))


def _report_lines(report: FileReport) -> list[str]:
    from backcare.services.maintenance import HEAD, REVISIONS

    mode = "integrity_check" if report.full else "quick_check"
    lines = []
    if not report.integrity_ok:
        lines += [
            d if d == msg.DB_CHECK_TORN else msg.DB_CHECK_INTEGRITY.format(mode=mode, detail=d)
            for d in report.integrity
        ]
    for finding in report.findings:
        if finding.count == 0:
            lines.append(msg.DB_CHECK_TABLE.format(table=finding.table, what=finding.what))
            continue
        shown = [str(i) for i in finding.ids]
        if finding.count > len(shown):
            shown.append("...")
        lines.append(
            msg.DB_CHECK_FINDING.format(
                table=finding.table,
                count=finding.count,
                rows=msg.DB_CHECK_ROWS[0 if finding.count == 1 else 1],
                what=finding.what,
                ids=msg.DB_CHECK_IDS.format(ids=", ".join(shown)) if shown else "",
            )
        )
    if report.revision in REVISIONS and report.revision != HEAD:
        lines.append(msg.DB_CHECK_OLDER.format(revision=report.revision, head=HEAD))
    return lines


def _check_hint(report: FileReport) -> str:
    """Point to a restore only when SQLite found the file damaged. Times after now on a
    sound file mostly mean a clock set back (restoring would lose entries, not fix it);
    other rule findings are rows to look at, in a file that still exports whole."""
    if not report.integrity_ok:
        return msg.DB_CHECK_FAILED_HINT
    future = {msg.CHECK_TIME_FUTURE.format(column=c) for c in ("at", "created_at", "deleted_at")}
    if all(f.what in future for f in report.findings):
        return msg.DB_CHECK_CLOCK_HINT
    return msg.DB_CHECK_VALUES_HINT


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
    from backcare.services import maintenance

    db = state(ctx).db_path
    report = maintenance.check(db, full=full, now=local_now())
    entries = sum(report.counts.get(t, 0) for t in ("pain_entry", "treatment", "symptom_report"))
    if as_json:
        data: JSONObject = {
            "path": str(report.path),
            "sound": report.sound,
            "check": "integrity_check" if full else "quick_check",
            "integrity": list(report.integrity),
            "revision": report.revision,
            "counts": report.counts,
            "findings": [
                {"table": f.table, "problem": f.what, "count": f.count, "ids": list(f.ids)}
                for f in report.findings
            ],
        }
        render.out(json_dumps(data))
    lines = _report_lines(report)
    if not report.sound:
        if not as_json:
            for line in lines:
                render.out(line)
        problems = len(report.findings) + (0 if report.integrity_ok else 1)
        raise StorageError(
            msg.DB_CHECK_FAILED.format(
                path=db, problems=f"{problems} problem{'s' if problems != 1 else ''}"
            ),
            _check_hint(report),
        )
    if not as_json:
        mode = "integrity_check" if full else "quick_check"
        render.out(
            msg.DB_CHECK_OK.format(
                path=db, mode=mode, revision=report.revision, entries=_entries(entries)
            )
        )
        for line in lines:
            render.out(line)


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
