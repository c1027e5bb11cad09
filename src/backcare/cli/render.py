"""The one place that builds output: Rich renderables on a terminal, plain text otherwise.

Rich is imported inside the functions that draw with it, so piped and cron runs (and
`--help`) never pay for it. Plain output has no escape codes and fits 80 columns.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import Any

from backcare import messages as msg
from backcare.domain.model import LEVEL_RANK, Flag, PainEntry, SymptomReport, Treatment

Event = PainEntry | Treatment | SymptomReport

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "cyan",
    "caution": "yellow",
    "info": "blue",
}
LEVEL_ACTION = {
    "emergency": "EMERGENCY: call the emergency number or go to an emergency department now.",
    "urgent": "URGENT: contact a doctor or urgent care today.",
    "soon": "Book a doctor's appointment in the next days.",
    "routine": "Mention it at your next visit.",
    "caution": "Caution.",
    "info": "Tip.",
}


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def local(at: datetime, zone: tzinfo | None) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(event: Event) -> str:
    """One short line of what an event says (no time, no id)."""
    if isinstance(event, PainEntry):
        parts = [f"pain {event.pain}/10"]
        if event.spasms:
            parts.append(f"{event.spasms} spasm{'s' if event.spasms != 1 else ''}")
        if event.location:
            parts.append(event.location)
        if event.radiates != "none":
            parts.append(f"radiates {event.radiates}")
        return ", ".join(parts)
    if isinstance(event, Treatment):
        what = event.drug if event.kind == "medication" and event.drug else event.kind
        parts = [what]
        if event.dose_mg is not None:
            parts.append(f"{_num(event.dose_mg)} mg")
        if event.relaxant:
            parts.append("(muscle relaxant)")
        if event.minutes is not None:
            parts.append(f"{event.minutes} min")
        text = " ".join(parts)
        if event.relief is not None:
            text += f", relief {event.relief}/10"
        return text
    return f"{event.code} {'present' if event.present else 'gone'}"


def kind_of(event: Event) -> str:
    if isinstance(event, PainEntry):
        return "pain"
    if isinstance(event, Treatment):
        return "treatment"
    return "symptom"


def logged(events: Sequence[Event], zone: tzinfo | None) -> None:
    for event in events:
        note = f" ({event.note})" if event.note else ""
        out(f"Logged {event.ref}: {describe(event)} at {local(event.at, zone)}.{note}")


# --- flags -------------------------------------------------------------------------------


def _sorted(flags: Iterable[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: LEVEL_RANK[f.level])


def flags(
    found: Sequence[Flag], *, rich: bool, heading: str | None = None, evidence: bool = True
) -> None:
    """Flags worst first; emergency/urgent open with a banner that says what to do now."""
    ordered = _sorted(found)
    if not ordered:
        return
    worst = ordered[0].level
    if rich:
        _rich_flags(ordered, heading=heading, evidence=evidence)
        return
    if worst in ("emergency", "urgent"):
        out(f"!! {LEVEL_ACTION[worst]}")
    if heading:
        out(heading)
    for flag in ordered:
        out(f"[{flag.level}] {flag.title} ({flag.rule})")
        out(f"  What to do: {flag.advice}")
        if evidence:
            for item in flag.evidence:
                out(f"  - {item}")
        out(f"  Source: {flag.source}")


def _rich_flags(ordered: list[Flag], *, heading: str | None, evidence: bool) -> None:
    from rich.panel import Panel
    from rich.text import Text

    console = _console()
    worst = ordered[0]
    if worst.level in ("emergency", "urgent"):
        banner = Text(LEVEL_ACTION[worst.level], style=LEVEL_STYLE[worst.level], justify="center")
        console.print(Panel(banner, border_style="red", expand=True))
    if heading:
        console.print(Text(heading, style="bold"))
    for flag in ordered:
        body = Text()
        body.append("What to do: ", style="bold")
        body.append(flag.advice + "\n")
        if evidence and flag.evidence:
            for item in flag.evidence:
                body.append(f"• {item}\n", style="dim")
        body.append(f"Source: {flag.source}", style="italic")
        title = Text(f"{flag.level.upper()}  {flag.title}", style=LEVEL_STYLE[flag.level])
        console.print(Panel(body, title=title, title_align="left", subtitle=flag.rule,
                            subtitle_align="right", border_style=LEVEL_STYLE[flag.level].split()[-1]))


# --- history -------------------------------------------------------------------------------


def history(events: Sequence[Event], zone: tzinfo | None, *, rich: bool) -> None:
    if not events:
        out(msg.NO_ENTRIES)
        return
    if rich:
        from rich.table import Table

        table = Table(show_edge=False, header_style="bold")
        for column in ("id", "when", "type", "what", "note"):
            table.add_column(column, overflow="fold")
        for event in events:
            table.add_row(event.ref, local(event.at, zone), kind_of(event), describe(event),
                          event.note or "")
        _console().print(table)
        return
    for event in events:
        note = f"  {event.note}" if event.note else ""
        out(f"{event.ref:<7} {local(event.at, zone)}  {kind_of(event):<9} {describe(event)}{note}")


def plain_or_rich_lines(lines: Iterable[str], *, rich: bool) -> None:
    if rich:
        console = _console()
        for line in lines:
            console.print(line, markup=False)
        return
    for line in lines:
        out(line)


# --- check and rules -------------------------------------------------------------------------


def check(result: Any, zone: tzinfo | None, *, rich: bool) -> None:
    """`backcare check`: the episode line, the flags worst first, the disclaimer once."""
    course = result.course
    if course is None:
        out("No active episode (no pain above 0 in the last 7 days).")
    else:
        line = f"Episode since {local(course.onset, zone)} ({course.age / 24:.1f} days)."
        if course.baseline is not None and course.current is not None:
            line += f" Pain: {course.baseline:.1f} at the start, {course.current:.1f} in the last 24 h."
        out(line)
    if result.flags:
        flags(result.flags, rich=rich)
    else:
        out("Nothing to flag.")
    out(msg.DISCLAIMER)


def rule_catalog(rules: Sequence[Any], *, rich: bool) -> None:
    if rich:
        from rich.table import Table

        table = Table(show_lines=True, header_style="bold")
        for column in ("rule", "level", "fires when", "source"):
            table.add_column(column, overflow="fold")
        for rule in rules:
            table.add_row(rule.id, f"[{LEVEL_STYLE[rule.level]}]{rule.level}[/]", rule.trigger,
                          rule.source)
        _console().print(table)
        return
    for rule in rules:
        out(f"{rule.id} [{rule.level}]")
        out(f"  fires when: {rule.trigger}")
        out(f"  source: {rule.source}")
