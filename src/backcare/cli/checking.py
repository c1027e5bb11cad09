"""`backcare db check`, without Typer: the Typer command (cli/db.py) and the fast path of
`run` (`fast_db_check`) both call `check_file`.

`db check --full` is judged against SQLite's integrity_check alone (issue 18: <= 1.5x), and
importing Typer (with pydantic) costs about as much as the check of a 10-year file leaves;
so `run` answers the plain forms (`[--db PATH] db check [--full] [--json]`) here, before
Typer is imported, with the same output, errors and exit codes (tests/cli/test_db_fast.py).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from backcare import messages as msg

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject
    from backcare.services.maintenance import FileReport, Pending


def entries_text(n: int | None) -> str:
    if n is None:
        return msg.DB_NO_ENTRIES
    return msg.ENTRIES[0 if n == 1 else 1].format(n=n)


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


def check_file(db: Path, *, full: bool, as_json: bool, started: Pending | None = None) -> None:
    """Check `db` and print the report; StorageError (exit 1) when it is not sound.
    `started`: SQLite's check of `db` already running (`fast_db_check`)."""
    from backcare.cli import render
    from backcare.cli.context import local_now
    from backcare.errors import StorageError
    from backcare.services import maintenance

    report = maintenance.check(db, full=full, now=local_now(), started=started)
    entries = sum(report.counts.get(t, 0) for t in ("pain_entry", "treatment", "symptom_report"))
    if as_json:
        from backcare.jsonfmt import dumps as json_dumps

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
                path=db, mode=mode, revision=report.revision, entries=entries_text(entries)
            )
        )
        for line in lines:
            render.out(line)


def fast_args(args: list[str]) -> tuple[str | None, bool, bool] | None:
    """(--db, --full, --json) of a plain `[--db PATH] db check [--full] [--json]`; None for
    anything else (help, a typo, another option), which Typer answers as always. --db is
    as given (an empty one is refused as Typer's way refuses it: context.db_option)."""
    db: str | None = None
    if args[:1] == ["--db"] and len(args) > 1 and not args[1].startswith("-"):
        db, args = args[1], args[2:]
    elif args[:1] and args[0].startswith("--db="):
        db, args = args[0][len("--db=") :], args[1:]
    if args[:2] != ["db", "check"]:
        return None
    options = args[2:]
    if len(set(options)) != len(options) or not set(options) <= {"--full", "--json"}:
        return None
    return db, "--full" in options, "--json" in options


def fast_db_check(db: str | None, *, full: bool, as_json: bool) -> int:
    """`db check` as the Typer command runs it (the exit point's error handling included).

    SQLite's check starts first, in a thread, and the rest of the command is imported (and
    the rows scanned) while it reads the file (issue 18: `db check --full`)."""
    try:
        from backcare.cli.context import State, db_option
        from backcare.services import maintenance

        path = State(db_option=db_option(db)).db_path
        started = maintenance.start_check(path, full=full)
        check_file(path, full=full, as_json=as_json, started=started)
        sys.stdout.flush()
    except (Exception, KeyboardInterrupt) as exc:
        from backcare.cli.failing import exit_code_of

        code = exit_code_of(exc)
        if code is None:
            raise
        return code
    return 0
