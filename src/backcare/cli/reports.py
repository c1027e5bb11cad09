"""Commands that read and explain: check, rules, status, summary, guide, demo, report."""

from __future__ import annotations

import sys
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import (
    as_of_time,
    date_range,
    first_run,
    local_now,
    local_zone,
    rich_output,
    state,
)
from backcare.cli.options import (
    AsOfOption,
    ForceOption,
    FromOption,
    JsonOption,
    OutputOption,
    ToOption,
)
from backcare.cli.write import check_output, emit, to_stdout, write_stdout
from backcare.errors import EXIT_FLAG, InputError
from backcare.jsonfmt import dumps as json_dumps

if TYPE_CHECKING:
    from backcare.domain.acks import Acknowledgement
    from backcare.jsonfmt import JSONObject

app = typer.Typer()

REPORT_DAYS_DEFAULT = 30
REPORT_DAYS_MAX = 366 * 10
FORMATS = ("html", "md")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 when a flag of level soon or above is found.")
    ] = False,
) -> None:
    """Check your log against every rule: red flags, your course, doses, routines."""
    from backcare import services
    from backcare.domain.episodes import episode_day
    from backcare.domain.model import at_or_above

    at = as_of_time(as_of)
    if first_run(ctx, to_stderr=as_json):
        return
    result = services.check(state(ctx).db_path, as_of=at)
    if as_json:
        episode = None
        if result.course is not None:
            episode = {
                "onset": result.course.onset.astimezone(local_zone()).isoformat(),
                "day": episode_day(result.course.onset, result.as_of, local_zone()),
                "hours": round(result.course.age, 2),
            }
        payload: JSONObject = {
            "as_of": result.as_of.isoformat(),
            "episode": episode,
            "flags": [
                flag.as_dict()
                | {"acknowledged": ack_json(result.acknowledged.get(flag.rule), local_zone())}
                for flag in result.flags
            ],
        }
        render.out(json_dumps(payload))
    else:
        render.check(result, local_zone(), rich=rich_output())
    if strict and any(at_or_above(f.level, "soon") for f in result.flags):
        sys.stdout.flush()
        raise typer.Exit(EXIT_FLAG)


def ack_json(ack: Acknowledgement | None, zone: tzinfo | None) -> JSONObject | None:
    if ack is None:
        return None
    return {
        "id": ack.ref,
        "at": ack.at.astimezone(zone).isoformat(),
        "note": ack.note,
        "sought_care": ack.sought_care,
    }


@app.command()
def rules() -> None:
    """The rule catalog: what backcare checks, how severe it is, and on whose advice."""
    from backcare.domain.rules import RETIRED, RULES

    render.rule_catalog(RULES, RETIRED, rich=rich_output())
    render.out(msg.DISCLAIMER)


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """One screen: episode day, today's pain and trend, open flags, what is due, 14 days."""
    from backcare import services

    at = as_of_time(as_of)
    if first_run(ctx, to_stderr=as_json):
        return
    result = services.status(state(ctx).db_path, as_of=at)
    if as_json:
        from backcare.domain.status import status_as_dict

        render.out(json_dumps(status_as_dict(result.view, result.tip)))
        return
    render.status(result, local_zone(), rich=rich_output())


@app.command()
def summary(
    ctx: typer.Context,
    days: Annotated[
        int | None, typer.Option("--days", metavar="N", help="The last N days (default 14).")
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    as_json: JsonOption = False,
) -> None:
    """Per-day table, charts of pain and spasms, a heat map, and what seemed to help."""
    from backcare import services
    from backcare.domain.summary import summary_as_dict

    first, last = date_range(days, start, end, default_days=14)
    if first_run(ctx, to_stderr=as_json):
        return
    result = services.summary(
        state(ctx).db_path, start=first, end=last, tz=local_zone(), now=local_now()
    )
    if as_json:
        render.out(json_dumps(summary_as_dict(result, caveat=msg.ASSOCIATION_CAVEAT)))
        return
    render.summary(result, rich=rich_output())


@app.command()
def guide(
    ctx: typer.Context,
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC", help="A topic (ice, ice-heat, medicines...); without it, the list."
        ),
    ] = None,
    as_of: AsOfOption = None,
) -> None:
    """Self-care guidance from the articles backcare is built on, with sources."""
    from backcare import services
    from backcare.domain import guide as pages
    from backcare.errors import InputError

    if topic is None:
        # the list follows the phase of the episode (issue 16); no database: the usual order
        phase = services.episode_phase_at(state(ctx).db_path, as_of=as_of_time(as_of))
        render.guide_index(pages.topics_for_phase(phase), phase)
        return
    try:
        page = pages.topic(topic)
    except KeyError:
        near = pages.suggest_topic(topic)
        topics = ", ".join(pages.TOPICS)
        hint = msg.UNKNOWN_TOPIC_HINT.format(topics=topics)
        if near is not None:
            hint = msg.UNKNOWN_TOPIC_SUGGEST.format(topic=near, topics=topics)
        raise InputError(msg.UNKNOWN_TOPIC, hint) from None
    render.guide_page(page, rich=rich_output())


@app.command()
def demo() -> None:
    """A sample fortnight in a throw-away database, then its status. Your data is untouched."""
    import shutil
    import tempfile
    from pathlib import Path

    from backcare import services

    folder = Path(tempfile.mkdtemp(prefix="backcare-demo-"))
    try:
        path = folder / "demo.db"
        render.prose(msg.DEMO_INTRO.format(path=path))
        result = services.demo(path, now=local_now())
        render.out()
        render.status(result, local_zone(), rich=rich_output())
        render.out()
        render.prose(msg.DEMO_NEXT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- report ------------------------------------------------------------------------------


def _report_format(fmt: str | None, target: Path | None) -> str:
    """html or md: from --format, else from -o's extension (.html/.htm, .md/.markdown); a
    .pdf is refused with the way to get one; without -o, md on a terminal, html piped."""
    chosen = None
    if fmt is not None:
        chosen = fmt.strip().lower()
        if chosen not in FORMATS:
            raise InputError(msg.REPORT_FORMAT_CHOICES)
    if target is None:
        return chosen or ("md" if rich_output() else "html")
    suffix = target.suffix.lower()
    if suffix == ".pdf":
        raise InputError(msg.REPORT_PDF, msg.REPORT_PDF_HINT.format(stem=target.stem or "visit"))
    by_name = "md" if suffix in MARKDOWN_SUFFIXES else "html" if suffix in HTML_SUFFIXES else None
    if chosen is None:
        if by_name is None:
            raise InputError(msg.REPORT_SUFFIX.format(name=target.name), msg.REPORT_SUFFIX_HINT)
        return by_name
    if by_name is not None and by_name != chosen:
        raise InputError(msg.REPORT_FORMAT_MISMATCH.format(fmt=chosen, name=target.name))
    return chosen


@app.command()
def report(
    ctx: typer.Context,
    days: Annotated[
        int,
        typer.Option("--days", metavar="N", help="The last N days, today included."),
    ] = REPORT_DAYS_DEFAULT,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="html|md",
            help="html (one printable page) or md. Default: from -o's extension; else md "
            "on a terminal, html when piped.",
        ),
    ] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="WHEN", help="Report as of this time (default: now)."),
    ] = None,
) -> None:
    """A visit summary for your doctor: course, chart, flags, symptoms, medicines, answers."""
    from backcare.export.report import render_html, render_markdown
    from backcare.services import exports

    if days < 1 or days > REPORT_DAYS_MAX:
        raise InputError(msg.REPORT_DAYS_RANGE.format(limit=REPORT_DAYS_MAX))
    db_path = state(ctx).db_path
    chosen = _report_format(fmt, output if not to_stdout(output) else None)
    target = check_output(output, db_path, force=force)
    at = as_of_time(as_of)
    if first_run(ctx, to_stderr=target is not None):
        return
    data = exports.report(db_path, days=days, as_of=at, tz=local_zone())
    text = render_html(data) if chosen == "html" else render_markdown(data)
    if target is not None:
        emit([text], target, msg.REPORT_WROTE)
    elif chosen == "md":
        render.markdown(text, rich=rich_output())
    else:
        write_stdout([text])
