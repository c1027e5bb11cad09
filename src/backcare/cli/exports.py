"""`export csv|xlsx|json|fhir` and `import`: parse options -> services.exports -> write.

The services return text chunks; cli/write.py writes them as they come, to `-o FILE` or to
standard output. Heavy modules are imported inside the commands, so `backcare --help` stays
fast.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import first_run, local_now, local_zone, state
from backcare.cli.options import ForceOption, FromOption, OutputOption, ToOption
from backcare.cli.write import STDIO, check_output, emit, os_reason, to_stdout, write_file
from backcare.errors import InputError, NotFoundError, StorageError

if TYPE_CHECKING:
    from backcare.services.exports import ImportResult

app = typer.Typer()
export_app = typer.Typer(help=msg.EXPORT_HELP, no_args_is_help=True)

FHIR_BUNDLES = ("collection", "transaction")
# A FHIR Reference.reference to a Patient: relative (Patient/ID), absolute, or urn:uuid.
PATIENT_REF = re.compile(
    r"(?:https?://[^\s/]+(?:/[^\s/]+)*/)?Patient/[A-Za-z0-9\-.]{1,64}"
    r"|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def _range(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """(since, until) for --from/--to, either optional; (None, None) for everything."""
    from backcare.cli.context import date_range
    from backcare.services import day_bounds

    if not start and not end:
        return None, None
    first, last = date_range(None, start, end, default_days=1)
    since, until = day_bounds(first, last, local_zone())
    return (since if start else None), until


# --- export ------------------------------------------------------------------------------


@export_app.command("csv")
def export_csv(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    daily: Annotated[
        bool, typer.Option("--daily", help="One row per day (totals) instead of one per entry.")
    ] = False,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """A CSV for spreadsheets: one row per entry (or per day), UTF-8 with BOM, CRLF."""
    from backcare.services import exports

    db_path = state(ctx).db_path
    target = check_output(output, db_path, force=force)
    since, until = _range(start, end)
    if first_run(ctx, to_stderr=True):
        return
    chunks = exports.export_csv(db_path, since=since, until=until, tz=local_zone(), daily=daily)
    emit(chunks, target)


@export_app.command("xlsx")
def export_xlsx(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    output: Annotated[
        Path,
        typer.Option(
            "-o",
            "--output",
            metavar="FILE",
            help="Write the workbook to FILE (created readable only by you).",
        ),
    ] = ...,  # type: ignore[assignment]
    force: ForceOption = False,
) -> None:
    """A spreadsheet (.xlsx): entries and days, real dates and numbers. `import` reads it."""
    from backcare.services import exports

    db_path = state(ctx).db_path
    if to_stdout(output):
        raise InputError(msg.XLSX_NEEDS_FILE)
    target = check_output(output, db_path, force=force)
    assert target is not None
    since, until = _range(start, end)
    data = exports.export_xlsx(db_path, since=since, until=until, tz=local_zone())
    write_file(target, [data])
    sys.stdout.write(msg.EXPORT_WROTE.format(path=target) + "\n")


@export_app.command("json")
def export_json(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Everything, lossless: every field, uids, deleted entries, the profile. `import` reads it."""
    from backcare.services import exports

    db_path = state(ctx).db_path
    target = check_output(output, db_path, force=force)
    since, until = _range(start, end)
    if first_run(ctx, to_stderr=True):
        return
    chunks = exports.export_json(db_path, now=local_now(), since=since, until=until)
    emit(chunks, target)


@export_app.command("fhir")
def export_fhir(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
    patient_ref: Annotated[
        str | None,
        typer.Option(
            "--patient-ref",
            metavar="REF",
            help="Reference an existing patient record (Patient/ID) instead of your profile.",
        ),
    ] = None,
    bundle: Annotated[
        str,
        typer.Option(
            "--bundle",
            metavar="collection|transaction",
            help="collection (default) or transaction (PUT by id: posting twice adds nothing).",
        ),
    ] = "collection",
) -> None:
    """A FHIR R4 Bundle (JSON) of your entries, for a clinician's system."""
    from backcare.services import exports

    kind = bundle.strip().lower()
    if kind not in FHIR_BUNDLES:
        raise InputError(msg.FHIR_BUNDLE_CHOICES)
    ref = None
    if patient_ref is not None:
        ref = patient_ref.strip()
        if not PATIENT_REF.fullmatch(ref):
            raise InputError(msg.FHIR_PATIENT_REF_INVALID, msg.FHIR_PATIENT_REF_HINT)
    db_path = state(ctx).db_path
    target = check_output(output, db_path, force=force)
    since, until = _range(start, end)
    if first_run(ctx, to_stderr=True):
        return
    chunks = exports.export_fhir(
        db_path,
        since=since,
        until=until,
        tz=local_zone(),
        now=local_now(),
        patient_ref=ref,
        bundle_type=kind,
    )
    emit(chunks, target)


# --- import ------------------------------------------------------------------------------


def _read_export(file: Path) -> tuple[str | bytes, str]:
    """(text, how to name the source) of FILE, or of standard input for "-".

    An xlsx workbook (a zip: `PK` first) is returned as bytes, anything else decoded."""
    from backcare.export.importer import (
        NOT_AN_EXPORT,
        NOT_AN_EXPORT_HINT,
        XLSX_MAGIC,
        ImportFormatError,
    )

    if str(file) == STDIO:
        data = sys.stdin.buffer.read()
        source = msg.IMPORT_STDIN
    else:
        path = file.expanduser()
        source = str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(
                msg.IMPORT_FILE_MISSING.format(path=path), msg.IMPORT_FILE_MISSING_HINT
            ) from None
        except IsADirectoryError:
            raise InputError(msg.IMPORT_FILE_NOT_FILE.format(path=path)) from None
        except OSError as exc:
            raise StorageError(
                msg.IMPORT_FILE_UNREADABLE.format(path=path, reason=os_reason(exc))
            ) from None
    if data.startswith(XLSX_MAGIC):
        return data, source
    try:
        return data.decode("utf-8"), source
    except UnicodeDecodeError:
        raise ImportFormatError(
            f"{NOT_AN_EXPORT} {msg.IMPORT_NOT_TEXT}", NOT_AN_EXPORT_HINT
        ) from None


def _what(added: dict[str, int]) -> str:
    names = msg.IMPORT_KIND_WORDS
    parts = [
        f"{added[kind]} {render.plural(added[kind], *names[kind])}"
        for kind in names
        if added.get(kind)
    ]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else "nothing"


def import_lines(result: ImportResult, source: str) -> list[str]:
    """What an import did (or, dry-run, would do), as lines for the person."""
    from backcare.cli.render import local
    from backcare.services.exports import PROFILE_APPLIED, PROFILE_KEPT

    zone = local_zone()
    lines: list[str] = []
    if result.total:
        template = msg.IMPORT_DRY_RUN if result.dry_run else msg.IMPORT_DONE
        lines.append(template.format(what=_what(result.added), source=source))
        if result.first is not None and result.last is not None:
            first, last = local(result.first, zone), local(result.last, zone)
            lines.append(msg.IMPORT_SPAN.format(first=first, last=last))
        if result.deleted:
            lines.append(
                msg.IMPORT_DELETED.format(
                    count=result.deleted,
                    are="is" if result.deleted == 1 else "are",
                    stay=msg.IMPORT_WOULD_STAY
                    if result.dry_run
                    else msg.IMPORT_STAYS[result.deleted != 1],
                )
            )
        if result.skipped_existing:
            lines.append(msg.IMPORT_SKIPPED.format(count=result.skipped_existing))
    elif result.skipped_existing:
        skipped = result.skipped_existing
        count = f"{skipped} {render.plural(skipped, 'entry', 'entries')}"
        lines.append(msg.IMPORT_NOTHING.format(source=source, count=count))
    else:
        lines.append(msg.IMPORT_EMPTY.format(source=source))
    if result.profile == PROFILE_APPLIED:
        lines.append(
            msg.IMPORT_PROFILE_APPLIED.format(verb=msg.IMPORT_PROFILE_VERBS[not result.dry_run])
        )
    elif result.profile == PROFILE_KEPT:
        lines.append(msg.IMPORT_PROFILE_KEPT)
    if result.dry_run and not result.total:
        lines.append(msg.IMPORT_DRY_RUN_NOTHING)
    return lines


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A JSON, CSV or xlsx written by `backcare export` (- for stdin)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
) -> None:
    """Import a JSON, CSV or xlsx export. All or nothing; entries already here are skipped."""
    from backcare.services import exports

    text, source = _read_export(file)
    result = exports.import_file(
        state(ctx).db_path, text=text, now=local_now(), dry_run=dry_run, tz=local_zone()
    )
    for line in import_lines(result, source):
        render.prose(line)
    from backcare.cli.entries import announce

    announce(result.new_flags)
