"""The one place that builds output: Rich renderables on a terminal, plain text otherwise.

Rich is imported inside the functions that draw with it, so piped and cron runs (and
`--help`) never pay for it. Plain output has no escape codes and fits 80 columns.

Text a person typed (notes, drug names) is shown, never interpreted (issue 14 case 5):
- The Rich console is made with `markup=False`: a note `[link=http://x]click[/link]` or a
  stray `[/]` is printed as typed (our own styles are Text objects, never markup strings).
- `shown` makes control and direction characters visible as escapes (ESC as `\x1b`, a
  carriage return as `\r`, U+202E as `\u202e`): an escape sequence cannot retitle the
  window or erase a line, and a leading `\r` cannot print "pain 1/10" over "pain 9/10".
  It is applied to every user text before Rich, and `out` (the plain path) applies it to
  every line it prints (newlines kept: they are ours), so nothing reaches a terminal raw.
"""

from __future__ import annotations

import os
import sys
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from backcare import messages as msg
from backcare.domain.acks import Acknowledgement
from backcare.domain.model import (
    LEVEL_RANK,
    CheckIn,
    Event,
    Flag,
    Goal,
    Measure,
    PainEntry,
    Prescription,
    Treatment,
)
from backcare.domain.numbers import mean_str, whole
from backcare.domain.values import DIRECTION_MARKS

if TYPE_CHECKING:  # types only: Rich, the services and these domain modules load lazily
    from rich.console import Console

    from backcare.domain.acks import Acknowledgement
    from backcare.domain.entries import Record, Value
    from backcare.domain.guide import Topic
    from backcare.domain.journal import JournalEntry
    from backcare.domain.outcomes import Change, Series
    from backcare.domain.rules import RuleSpec
    from backcare.domain.status import NextDose
    from backcare.domain.summary import DaySummary, Summary
    from backcare.domain.tips import Tip
    from backcare.services import CheckResult, StatusResult

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold red",
    "soon": "bold yellow",
    "routine": "cyan",
    "caution": "yellow",
    "info": "blue",
}
LEVEL_ACTION = msg.LEVEL_ACTION


_DIRECTION = DIRECTION_MARKS  # bidi overrides, isolates, marks (domain/values)
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _hidden(char: str) -> bool:
    if char in _DIRECTION:
        return True
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control/direction character shown as an escape (see the docstring)."""
    if text.isprintable() and "\u2028" not in text:  # the common case: nothing to do
        return text
    return "".join(
        _escape(c) if _hidden(c) and not (keep_newlines and c == "\n") else c for c in text
    )


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def out(line: str = "") -> None:
    sys.stdout.write(shown(line, keep_newlines=True) + "\n")


def new_screen() -> None:
    """A fresh screen for the next question (a questionnaire asks one a screen)."""
    if sys.stdout.isatty() and os.environ.get("TERM") != "dumb":
        sys.stdout.write("\x1b[H\x1b[2J")
    else:
        sys.stdout.write("\n")


plural = msg.plural  # the one plural helper lives with the words (messages.py)


def markdown(text: str, *, rich: bool) -> None:
    """Markdown drawn by Rich on a terminal; the Markdown text itself otherwise."""
    if not rich:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from rich.markdown import Markdown

    _console().print(Markdown(text))


def symptom_codes() -> None:
    """`symptom --list`: each code and its question (also cli.main's fast path, sans Typer)."""
    from backcare.domain.symptoms import SYMPTOM_QUESTIONS

    width = max(len(code) for code in SYMPTOM_QUESTIONS)
    for code, question in SYMPTOM_QUESTIONS.items():
        out(f"{code:<{width}}  {question}")


PROSE_MIN, PROSE_MAX = 80, 100  # prose fills the terminal from 80 up to 100 columns


def text_width() -> int:
    """The width prose wraps to: the terminal's (COLUMNS, else the tty's) between 80 and
    100; 80 when it cannot be known (pipes, cron), so plain output fits a standard terminal.
    A terminal narrower than 80 gets its own width (at least 40)."""
    import os
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and len(columns) <= 5:  # not "²", not 10**5000
        width = int(columns)
    elif sys.stdout.isatty():
        width = shutil.get_terminal_size((PROSE_MIN, 24)).columns
    else:
        width = PROSE_MIN
    return min(PROSE_MAX, width) if width >= PROSE_MIN else max(40, width)


def prose(
    text: str, *, indent: str = "", first: str | None = None, width: int | None = None
) -> None:
    """A paragraph wrapped to `text_width()` (80 to 100 columns) unless `width` is given."""
    import textwrap

    width = text_width() if width is None else width
    lead = indent if first is None else first
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=lead,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )
    for line in lines or [lead.rstrip()]:
        out(line)


def local(at: datetime, zone: tzinfo | None) -> str:
    return at.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def number(value: float) -> str:
    return _num(value)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def describe(event: Event | Prescription | CheckIn | Acknowledgement | Measure | Goal) -> str:
    """One short line of what an event says (no time, no id)."""
    if isinstance(event, Measure):
        return measure_summary(event)
    if isinstance(event, Goal):
        ended = msg.GOAL_DESCRIBED_ENDED if event.ended_at else msg.GOAL_DESCRIBED
        return ended.format(text=shown(event.text))
    if isinstance(event, CheckIn):
        return checkin_summary(event)
    if isinstance(event, Acknowledgement):
        return msg.ACK_DESCRIBED.format(rule=event.rule)
    if isinstance(event, Prescription):
        parts = ["prescription:", event.drug]
        if event.dose_mg is not None:
            parts.append(f"{_num(event.dose_mg)} mg")
        if event.every is not None:
            parts.append(f"every {_num(event.every.total_seconds() / 3600)} h")
        if event.max_daily_mg is not None:
            parts.append(msg.RX_DAILY_MAX.format(mg=_num(event.max_daily_mg)))
        if event.relaxant:
            parts.append(msg.RELAXANT_MARK)
        return " ".join(parts)
    if isinstance(event, PainEntry):
        parts = [f"pain {event.pain}/10"]
        if event.spasms:
            parts.append(f"{event.spasms} spasm{'s' if event.spasms != 1 else ''}")
        if event.location:
            parts.append(event.location)
        if event.radiates not in (None, "none"):
            parts.append(f"radiates {event.radiates}")
        return ", ".join(parts)
    if isinstance(event, Treatment):
        what = shown(event.drug) if event.kind == "medication" and event.drug else event.kind
        parts = [what]
        if event.dose_mg is not None:
            parts.append(f"{_num(event.dose_mg)} mg")
        if event.product:
            parts.append(f"({event.product})")
        if event.relaxant:
            parts.append(msg.RELAXANT_MARK)
        if event.minutes is not None:
            parts.append(f"{event.minutes} min")
        text = " ".join(parts)
        if event.relief is not None:
            text += f", relief {event.relief}/10"
        return text
    return f"{event.code} {'present' if event.present else 'gone'}"


def checkin_summary(c: CheckIn) -> str:
    """'24 questions asked, none present' / '24 asked, present: fever, bladder'."""
    asked = msg.CHECKIN_ASKED.format(questions=msg.count_of(len(c.asked), "question", "questions"))
    if not c.present:
        return f"{asked}, {msg.CHECKIN_NONE_PRESENT}"
    return f"{asked}, " + msg.CHECKIN_PRESENT.format(codes=", ".join(c.present))


def measure_summary(m: Measure) -> str:
    """'PSFS score 4.3 of 10' / 'STarT Back total 5 of 9, psychosocial subscale 4 of 5: high
    risk' (the published scoring, domain/measures.py)."""
    from backcare.domain import measures

    score = measures.score(m)
    inst = measures.instrument(m.instrument)
    name = inst.short if inst.asked else msg.MEASURE_RETIRED_NAME.format(name=inst.short)
    value = measures.score_text(score.value)
    if score.risk is not None:
        return msg.MEASURE_SCORE_STARTBACK.format(
            name=name,
            score=value,
            maximum=score.maximum,
            subscale=score.subscale,
            risk=msg.MEASURE_RISK_WORDS[score.risk],
        )
    return msg.MEASURE_SCORE.format(name=name, score=value, maximum=score.maximum)


def kind_of(event: Event | CheckIn | Measure | Goal) -> str:
    if isinstance(event, Measure):
        return "measure"
    if isinstance(event, Goal):
        return "goal"
    if isinstance(event, CheckIn):
        return "checkin"
    if isinstance(event, PainEntry):
        return "pain"
    if isinstance(event, Treatment):
        return "treatment"
    return "symptom"


def logged(
    events: Sequence[Event | Prescription | CheckIn | Acknowledgement | Measure | Goal],
    zone: tzinfo | None,
) -> None:
    for event in events:
        text = getattr(event, "note", None)  # a Goal has no note (its text is what it says)
        note = f" ({shown(text)})" if text else ""
        out(
            msg.LOGGED.format(
                ref=event.ref, what=describe(event), at=local(event.at, zone), note=note
            )
        )


# --- flags -------------------------------------------------------------------------------


def _sorted(flags: Iterable[Flag]) -> list[Flag]:
    return sorted(flags, key=lambda f: LEVEL_RANK[f.level])


def banner(found: Sequence[Flag], *, rich: bool) -> None:
    """For an emergency or urgent flag: one line saying what to do now, impossible to miss."""
    ordered = _sorted(found)
    if not ordered or ordered[0].level not in ("emergency", "urgent"):
        return
    action = LEVEL_ACTION[ordered[0].level]
    if not rich:
        prose(f"!! {action}", indent="   ", first="")
        return
    from rich.panel import Panel
    from rich.text import Text

    text = Text(action, style=LEVEL_STYLE[ordered[0].level], justify="center")
    _console().print(Panel(text, border_style="red", expand=True))


def acknowledgement_line(ack: Acknowledgement, zone: tzinfo | None) -> str:
    """'Acknowledged 2026-03-02 09:00: I have sought care; seen by my GP' (check)."""
    parts = [msg.SOUGHT_CARE] if ack.sought_care else []
    if ack.note:
        parts.append(ack.note)
    line = msg.ACKNOWLEDGED.format(when=local(ack.at, zone))
    return f"{line}: {'; '.join(parts)}" if parts else line


def flags(
    found: Sequence[Flag],
    *,
    rich: bool,
    heading: str | None = None,
    evidence: bool = True,
    with_banner: bool = True,
    acknowledged: dict[str, Acknowledgement] | None = None,
    zone: tzinfo | None = None,
) -> None:
    """Flags worst first; emergency/urgent open with a banner that says what to do now.

    `acknowledged` (rule ID -> acknowledgement): `check` shows them with the flag.
    """
    ordered = _sorted(found)
    if not ordered:
        return
    acks = acknowledged or {}
    if with_banner:
        banner(ordered, rich=rich)
    if rich:
        _rich_flags(ordered, heading=heading, evidence=evidence, acks=acks, zone=zone)
        return
    if heading:
        out(heading)
    for flag in ordered:
        prose(f"[{flag.level}] {flag.title} ({flag.rule})", indent="  ")
        prose(f"{msg.FLAG_WHAT_TO_DO} {flag.advice}", indent="    ", first="  ")
        if evidence:
            for item in flag.evidence:
                prose(item, indent="      ", first="    - ")
        prose(msg.FLAG_SOURCE.format(source=flag.source), indent="    ", first="  ")
        if flag.rule in acks:
            prose(acknowledgement_line(acks[flag.rule], zone), indent="    ", first="  ")


def _rich_flags(
    ordered: list[Flag],
    *,
    heading: str | None,
    evidence: bool,
    acks: dict[str, Acknowledgement],
    zone: tzinfo | None,
) -> None:
    from rich.panel import Panel
    from rich.text import Text

    console = _console()
    if heading:
        console.print(Text(heading, style="bold"))
    for flag in ordered:
        body = Text()
        body.append(msg.FLAG_WHAT_TO_DO + " ", style="bold")
        body.append(flag.advice + "\n")
        if evidence and flag.evidence:
            for item in flag.evidence:
                body.append(f"• {shown(item)}\n", style="dim")
        body.append(msg.FLAG_SOURCE.format(source=flag.source), style="italic")
        if flag.rule in acks:
            body.append("\n" + acknowledgement_line(acks[flag.rule], zone), style="bold")
        title = Text(f"{flag.level.upper()}  {flag.title}", style=LEVEL_STYLE[flag.level])
        console.print(
            Panel(
                body,
                title=title,
                title_align="left",
                subtitle=flag.rule,
                subtitle_align="right",
                border_style=LEVEL_STYLE[flag.level].split()[-1],
            )
        )


# --- history -------------------------------------------------------------------------------


def history(
    events: Sequence[Event | CheckIn | Measure], zone: tzinfo | None, *, rich: bool
) -> None:
    if not events:
        out(msg.NO_ENTRIES)
        return
    if rich:
        from rich.table import Table

        table = Table(show_edge=False, header_style="bold")
        for column in ("id", "when", "type", "what", "note"):
            # IDs and times never break; the text columns fold.
            table.add_column(column, overflow="fold", no_wrap=column in ("id", "when"))
        for event in events:
            table.add_row(
                event.ref,
                local(event.at, zone),
                kind_of(event),
                describe(event),
                shown(event.note or ""),
            )
        _console().print(table)
        return
    width = text_width()
    for event in events:
        note = f"  {shown(event.note)}" if event.note else ""
        head = f"{event.ref:<7} {local(event.at, zone)}  {kind_of(event):<9} "
        line = head + describe(event) + note
        if len(line) <= width:
            out(line)
            continue
        # List layout for a row too wide: the ID line, then the text wrapped beneath it.
        out(head.rstrip())
        prose(describe(event), indent=" " * 8, width=width)
        if event.note:
            prose(shown(event.note), first=" " * 8 + "note: ", indent=" " * 14, width=width)


# --- check and rules -------------------------------------------------------------------------


def check(result: CheckResult, zone: tzinfo | None, *, rich: bool) -> None:
    """`backcare check`: the episode line, the flags worst first, the disclaimer once."""
    course = result.course
    banner(result.flags, rich=rich)
    if course is None:
        out(msg.NO_ACTIVE_EPISODE)
    else:
        line = msg.CHECK_EPISODE.format(onset=local(course.onset, zone), days=course.age / 24)
        if course.baseline is not None and course.current is not None:
            line += " " + msg.CHECK_COURSE.format(
                baseline=mean_str(course.baseline), current=mean_str(course.current)
            )
        prose(line)
    if result.flags:
        flags(
            result.flags,
            rich=rich,
            with_banner=False,
            acknowledged=result.acknowledged,
            zone=zone,
        )
    else:
        out(msg.NOTHING_TO_FLAG)
    prose(msg.DISCLAIMER)


def rule_catalog(rules: Sequence[RuleSpec], retired: dict[str, str], *, rich: bool) -> None:
    """`backcare rules`: every rule (ID, level, trigger, advice, source), then retired IDs."""
    if rich:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_lines=True, header_style="bold")
        for column in msg.RULE_COLUMNS:
            table.add_column(column, overflow="fold")
        for rule in rules:
            level = Text(rule.level, style=LEVEL_STYLE[rule.level])
            table.add_row(rule.id, level, rule.trigger, rule.advice, rule.source)
        _console().print(table)
    else:
        for rule in rules:
            out(f"{rule.id} [{rule.level}]")
            # Wrapped to the width, continuation lines indented under the text.
            prose(rule.trigger, first=f"  {msg.RULE_FIRES_WHEN} ", indent="    ")
            prose(rule.advice, first=f"  {msg.RULE_ADVICE} ", indent="    ")
            prose(rule.source, first=f"  {msg.RULE_SOURCE} ", indent="    ")
    for rule_id, why in retired.items():
        out(f"{rule_id} [{msg.RULE_RETIRED}]")
        prose(why, indent="  ")


# --- pictures: pain bands, sparkline, charts, heat map ----------------------------------------

SPARK = "▁▂▃▄▅▆▇█"
NO_DATA = "–"  # a day without an entry, in every table, heat map and sparkline: not 0


def pain_band(value: float | None) -> str:
    """Rich style of a pain value: green 0-3, yellow 4-6, red 7-10."""
    if value is None:
        return "dim"
    if value < 3.5:
        return "green"
    if value < 6.5:
        return "yellow"
    return "red"


def sparkline(values: Sequence[float | None]) -> str:
    return "".join(
        NO_DATA if v is None else SPARK[min(len(SPARK) - 1, whole(v / 10 * (len(SPARK) - 1)))]
        for v in values
    )


def _styled_lines(lines: Sequence[tuple[str, str | None]], *, rich: bool) -> None:
    """Print (text, style) lines: styled on a terminal, plain otherwise."""
    if not rich:
        for text, _style in lines:
            out(text)
        return
    from rich.text import Text

    console = _console()
    for text, style in lines:
        console.print(Text(shown(text), style=style or ""))


def bar_chart(
    values: Sequence[float | None], labels: Sequence[str], *, top: float, title: str, unit: str
) -> list[str]:
    """A vertical bar chart as text: y axis 0..top on the left, one column per value,
    x labels (first, middle, last) underneath. Fits 80 columns for up to 70 values."""
    height = 10
    width = 2 if len(values) <= 35 else 1
    top = max(top, 1.0)
    lines = [f"{title} ({unit})"]
    for row in range(height, 0, -1):
        level = top * row / height
        axis = f"{_num(round(level, 1)):>4} |" if row in (height, height // 2) else "     |"
        cells = []
        for value in values:
            filled = value is not None and value >= level - top / (2 * height)
            cells.append(("█" if filled else " ") * width)
        lines.append(axis + "".join(cells).rstrip())
    lines.append("   0 +" + "-" * (len(values) * width))
    if labels:
        span = len(values) * width
        axis_labels = [" "] * (span + 1)
        for index in sorted({0, len(labels) // 2, len(labels) - 1}):
            text = labels[index]
            pos = min(index * width, max(0, span - len(text)))
            if all(c == " " for c in axis_labels[pos : pos + len(text)]):
                axis_labels[pos : pos + len(text)] = list(text)
        lines.append("      " + "".join(axis_labels).rstrip())
    return lines


MEASURE_BAR = 40  # columns for a full-scale score in the questionnaire charts


def measure_chart(series: Series) -> list[str]:
    """One questionnaire over the weeks (domain.outcomes.Series): a row per week, a bar for
    its latest score, `|` where the change from the first score becomes meaningful."""
    from backcare.domain.numbers import whole
    from backcare.domain.outcomes import LOWER_IS_BETTER, SCALE_MAX, STARTBACK, score_str

    instrument, top = series.instrument, SCALE_MAX[series.instrument]
    lower = LOWER_IS_BETTER[instrument]
    lines = [
        msg.CHART_MEASURE_TITLE.format(
            name=msg.MEASURE_NAMES[instrument],
            top=top,
            direction=msg.CHART_LOWER_BETTER if lower else msg.CHART_HIGHER_BETTER,
        )
    ]
    mark = None
    if instrument == STARTBACK:
        lines.append(msg.CHART_STARTBACK_NOTE)
    elif series.target is None:
        lines.append(msg.CHART_NO_MARK)
    else:
        template = msg.CHART_MARK_LOWER if lower else msg.CHART_MARK_HIGHER
        first, target = score_str(series.first.score), score_str(series.target)
        lines.append(template.format(first=first, target=target))
        mark = whole(float(series.target) / top * MEASURE_BAR)
    for week, found in zip(series.weeks, series.scores, strict=True):
        cells = [" "] * (MEASURE_BAR + 1)
        value = NO_DATA
        if found is not None:
            filled = whole(float(found.score) / top * MEASURE_BAR)
            cells[:filled] = ["█"] * filled
            value = score_str(found.score)
            if found.risk is not None:
                value += f" ({found.risk})"
        if mark is not None:
            cells[mark] = "|"
        lines.append(f"  {week.strftime('%m-%d')}  {''.join(cells)} {value}".rstrip())
    return lines


def heat_map(weeks: Sequence[Sequence[DaySummary | None]], *, rich: bool) -> None:
    """Calendar heat map: one row per week (Mon..Sun), each day its mean pain (rounded)."""
    header = msg.HEAT_MAP_HEADER
    if not rich:
        out(header)
        for week in weeks:
            first = next(d for d in week if d is not None)
            cells = []
            for day in week:
                if day is None:
                    cells.append("  ")
                elif day.mean_pain is None:
                    cells.append(" " + NO_DATA)
                else:
                    cells.append(f"{whole(day.mean_pain):>2}")
            out(f"{first.day.isoformat()}   " + " ".join(cells))
        out(msg.HEAT_MAP_KEY.format(no_data=NO_DATA))
        return
    from rich.text import Text

    console = _console()
    console.print(Text(header, style="bold"))
    for week in weeks:
        first = next(d for d in week if d is not None)
        line = Text(f"{first.day.isoformat()}   ")
        for day in week:
            if day is None:
                line.append("   ")
            elif day.mean_pain is None:
                line.append(f" {NO_DATA} ", style="dim")
            else:
                line.append(f"{whole(day.mean_pain):>2}", style=f"bold {pain_band(day.mean_pain)}")
                line.append(" ")
        console.print(line)
    console.print(Text(msg.HEAT_MAP_KEY.format(no_data=NO_DATA), style="dim"))


# --- status ---------------------------------------------------------------------------------


def next_dose_line(dose: NextDose, as_of: datetime, zone: tzinfo | None) -> str:
    """One due line for a drug (the text is the domain's, shared with `remind`)."""
    from backcare.domain.reminders import next_dose_text

    return next_dose_text(dose, as_of.astimezone(zone))


def _arrow(direction: str) -> str:
    return msg.TREND_WORDS.get(direction, "")


def status(result: StatusResult, zone: tzinfo | None, *, rich: bool) -> None:
    """`backcare status`: one screen, plain lines with styles on a terminal."""
    view, tip = result.view, result.tip
    banner(view.flags, rich=rich)
    lines: list[tuple[str, str | None]] = []
    add = lines.append
    add((msg.STATUS_TITLE.format(at=local(view.as_of, zone)), "bold"))
    if view.episode is None:
        add((msg.NO_ACTIVE_EPISODE, None))
    else:
        add(
            (
                msg.STATUS_EPISODE.format(
                    day=view.episode.day, onset=local(view.episode.onset, zone)
                ),
                None,
            )
        )
        if view.phase is not None:
            add((msg.STATUS_PHASE.format(phase=msg.PHASE_NAMES[view.phase]), None))
    if view.today_pain:
        values = [e.pain for e in view.today_pain]
        add(
            (
                msg.STATUS_TODAY.format(
                    entries=msg.count_of(len(values), "entry", "entries"),
                    mean=mean_str(sum(values) / len(values)),
                    max=max(values),
                    spasms=_spasms_text(view.spasms_today),
                ),
                pain_band(max(values)),
            )
        )
    if view.latest_pain is not None:
        latest = view.latest_pain
        add(
            (
                msg.STATUS_LATEST.format(pain=latest.pain, at=local(latest.at, zone)),
                pain_band(latest.pain),
            )
        )
    if view.trend is not None:
        t = view.trend
        add(
            (
                msg.STATUS_TREND.format(
                    current=mean_str(t.current),
                    baseline=mean_str(t.baseline),
                    change=t.change,
                    arrow=_arrow(t.direction),
                ),
                None,
            )
        )
    if view.treatments_today:
        add(
            (
                msg.STATUS_TREATMENTS.format(
                    items="; ".join(
                        f"{describe(t)} {t.at.astimezone(zone).strftime('%H:%M')}"
                        for t in view.treatments_today
                    )
                ),
                None,
            )
        )
    spark = sparkline([d.mean_pain for d in view.last14])
    add((msg.STATUS_LAST_14.format(spark=spark, no_data=NO_DATA), None))
    if view.outcomes:
        import textwrap

        add((msg.STATUS_MEASURES, None))
        for change in view.outcomes:  # wrapped at 80 columns like the due items
            wrapped = textwrap.wrap(describe_change(change, zone), width=76) or [""]
            lines.append((f"  - {wrapped[0]}", None))
            lines.extend((f"    {rest}", None) for rest in wrapped[1:])
    due: list[str] = []
    if view.today_not_logged:
        due.append(msg.STATUS_LOG_TODAY)
    if view.ask_prior_back_pain:
        due.append(msg.PRIOR_BACK_PAIN_DUE)
    if view.measures_due:
        from backcare.domain.reminders import measures_due_commands, measures_due_text

        due.append(
            msg.STATUS_MEASURES_DUE.format(
                due=measures_due_text(view.measures_due),
                commands=measures_due_commands(view.measures_due),
            )
        )
    for dose in view.next_doses:
        due.append(next_dose_line(dose, view.as_of, zone))
    if view.reapply is not None:
        r = view.reapply
        when = "now" if r.open else r.opens_at.astimezone(zone).strftime("%H:%M")
        due.append(msg.STATUS_REAPPLY.format(kind=r.kind, when=when))
    if due:
        add(("Due:", "bold"))
        import textwrap

        for item in due:  # long next-dose lines wrap at 80 columns
            wrapped = textwrap.wrap(item, width=76, break_on_hyphens=False) or [""]
            lines.append((f"  - {wrapped[0]}", None))
            lines.extend((f"    {rest}", None) for rest in wrapped[1:])
    _styled_lines(lines, rich=rich)
    if view.flags:
        flag_lines = [f"[{f.level}] {f.title} ({f.rule})" for f in _sorted(view.flags)]
        if rich:
            _styled_lines([(msg.STATUS_OPEN_FLAGS, "bold")], rich=True)
            styles = [LEVEL_STYLE[f.level] for f in _sorted(view.flags)]
            _styled_lines(
                [("  " + t, st) for t, st in zip(flag_lines, styles, strict=True)], rich=True
            )
        else:
            out(msg.STATUS_OPEN_FLAGS)
            for text in flag_lines:
                prose(text, indent="      ", first="  ")
    else:
        out(msg.STATUS_NO_OPEN_FLAGS)
    if view.acknowledged:
        count = view.acknowledged
        out(msg.STATUS_ACKNOWLEDGED.format(count=count, s="" if count == 1 else "s"))
    render_tip(tip)
    prose(msg.DISCLAIMER)


def describe_change(change: Change, tz: tzinfo | None = None) -> str:
    """`status`: one line about a questionnaire in the episode (domain.outcomes.Change):
    its latest score and the change since the first, with the verdict (dates in `tz`)."""
    from datetime import UTC

    from backcare.domain.outcomes import STARTBACK, delta_str, score_str

    latest = change.latest
    name = msg.MEASURE_NAMES[change.instrument]
    zone = tz if tz is not None else UTC
    date = latest.at.astimezone(zone).strftime("%Y-%m-%d")
    if change.instrument == STARTBACK:
        return msg.CHANGE_STARTBACK.format(
            name=name,
            date=date,
            risk=latest.risk,
            total=score_str(latest.score),
            sub=latest.subscale,
        )
    score = score_str(latest.score)
    if change.count < 2:
        return msg.CHANGE_ONE_SCORE.format(name=name, score=score, date=date)
    first, delta = score_str(change.first.score), delta_str(change.delta)
    if change.verdict is None:
        words = msg.CHANGE_NO_VERDICT if change.same_activities else msg.CHANGE_OTHER_ACTIVITIES
        return words.format(name=name, score=score, date=date, first=first, delta=delta)
    return msg.CHANGE_VERDICT.format(
        name=name,
        score=score,
        date=date,
        verdict=msg.VERDICT_WORDS[change.verdict],
        first=first,
        delta=delta,
    )


def render_tip(found: Tip | None) -> None:
    if found is not None:
        prose(msg.TIP_LINE.format(text=found.text, topic=found.topic), indent="  ")


# --- summary --------------------------------------------------------------------------------


def _doses(doses: dict[str, float]) -> str:
    return ", ".join(f"{shown(drug)} {_num(mg)} mg" for drug, mg in sorted(doses.items()))


def _uses(treatments: dict[str, int]) -> str:
    return ", ".join(f"{key} x{count}" for key, count in sorted(treatments.items()))


def _spasms_text(count: int | None) -> str:
    """ "3 spasms", "1 spasm"; "spasms not recorded" when no count was given (not 0)."""
    if count is None:
        return msg.SPASMS_NOT_RECORDED
    return msg.count_of(count, "spasm", "spasms")


def summary(result: Summary, *, rich: bool) -> None:
    from backcare.domain.summary import calendar_weeks

    s = result
    out(
        msg.SUMMARY_TITLE.format(
            start=s.start.isoformat(),
            end=s.end.isoformat(),
            days=msg.count_of(len(s.days), "day", "days"),
            logged=s.days_logged,
        )
    )
    if s.episode_day is not None and s.episode_onset is not None:  # set together
        onset = s.episode_onset
        out(msg.SUMMARY_EPISODE_DAY.format(day=s.episode_day, onset=local(onset, onset.tzinfo)))
    if s.mean_pain is not None:
        out(
            msg.SUMMARY_PAIN.format(
                mean=mean_str(s.mean_pain), max=s.max_pain, spasms=_spasms_text(s.spasms)
            )
        )
    days = list(s.days)
    logged = [d for d in days if d.entries or d.treatments or d.symptoms]
    if rich:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=msg.SUMMARY_PER_DAY, header_style="bold", show_edge=False)
        for column, justify in (
            ("day", "left"),
            ("mean", "right"),
            ("max", "right"),
            ("spasms", "right"),
            ("treatments", "left"),
            ("doses", "left"),
        ):
            table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for d in logged:
            cell_mean = (
                Text(NO_DATA)
                if d.mean_pain is None
                else Text(mean_str(d.mean_pain), pain_band(d.mean_pain))
            )
            cell_max = (
                Text(NO_DATA)
                if d.max_pain is None
                else Text(f"{d.max_pain}", pain_band(d.max_pain))
            )
            spasms = NO_DATA if d.spasms is None else str(d.spasms)
            table.add_row(
                d.day.isoformat(),
                cell_mean,
                cell_max,
                spasms,
                _uses(d.treatments),
                _doses(d.doses_mg),
            )
        _console().print(table)
    else:
        out()
        out(f"{'day':<10} {'mean':>5} {'max':>4} {'spasms':>6}  treatments / doses")
        for d in logged:
            mean = NO_DATA if d.mean_pain is None else mean_str(d.mean_pain)
            top = NO_DATA if d.max_pain is None else str(d.max_pain)
            spasms = NO_DATA if d.spasms is None else str(d.spasms)
            extra = "; ".join(x for x in (_uses(d.treatments), _doses(d.doses_mg)) if x)
            row = f"{d.day.isoformat():<10} {mean:>5} {top:>4} {spasms:>6}  "
            # treatments and doses wrap under their own column, never past the width
            glued = extra.replace(" mg", "\u00a0mg")  # a dose never breaks from its unit
            parts = textwrap.wrap(glued, max(20, text_width() - len(row))) or [""]
            parts = [part.replace("\u00a0", " ") for part in parts]
            out((row + parts[0]).rstrip())
            for part in parts[1:]:
                out(" " * len(row) + part)
    out()
    chart_days = days[-70:]
    labels = [d.day.strftime("%m-%d") for d in chart_days]
    pain_lines = bar_chart(
        [d.mean_pain for d in chart_days], labels, top=10, title=msg.CHART_PAIN_TITLE, unit="0-10"
    )
    top_spasms = max((d.spasms or 0 for d in chart_days), default=0)
    spasm_lines = bar_chart(
        [None if d.spasms is None else float(d.spasms) for d in chart_days],
        labels,
        top=float(max(top_spasms, 1)),
        title=msg.CHART_SPASMS_TITLE,
        unit=f"0-{max(top_spasms, 1)}",
    )
    _styled_lines([(line, None) for line in pain_lines], rich=rich)
    out()
    _styled_lines([(line, None) for line in spasm_lines], rich=rich)
    if s.show_heatmap:
        out()
        heat_map(calendar_weeks(days), rich=rich)
    if s.measures:
        out()
        out(msg.SUMMARY_MEASURES)
        for series in s.measures:
            _styled_lines([(line, None) for line in measure_chart(series)], rich=rich)
    out()
    out(msg.SUMMARY_HELPED)
    if not s.responses:
        out("  " + msg.SUMMARY_NOTHING_HELPED)
    for r in s.responses:
        change = (
            f"{r.mean_change:+.1f} points"
            if r.enough and r.mean_change is not None
            else msg.NOT_ENOUGH_DATA
        )
        relief = f", relief {mean_str(r.mean_relief)}/10" if r.mean_relief is not None else ""
        pairs = msg.count_of(r.pairs, "pair", "pairs")
        out(
            msg.SUMMARY_RESPONSE.format(
                key=r.key, uses=r.uses, pairs=pairs, change=change, relief=relief
            )
        )
    prose(msg.ASSOCIATION_CAVEAT)


# --- guide ----------------------------------------------------------------------------------


def guide_index(topics: dict[str, Topic], phase: str | None = None) -> None:
    out(msg.GUIDE_INDEX)
    if phase is not None:
        out(msg.GUIDE_PHASE.format(phase=msg.PHASE_NAMES[phase]))
    width = max(len(name) for name in topics)
    for name, page in topics.items():
        out(f"  {name:<{width}}  {page.summary}")
    out(msg.DISCLAIMER)


def guide_page(page: Topic, *, rich: bool, width: int = 80) -> None:
    import textwrap

    if rich:
        from rich.markdown import Markdown

        parts = [f"# {page.title}", ""]
        for section in page.sections:
            if section.heading:
                parts += [f"## {section.heading}", ""]
            parts += [p + "\n" for p in section.paragraphs]
            parts += [f"- {b}" for b in section.bullets]
            parts.append("")
        parts += ["---", "Sources: " + "; ".join(page.sources)]
        _console().print(Markdown("\n".join(parts)))
        out(msg.DISCLAIMER)
        return
    bullet = textwrap.TextWrapper(width=width, initial_indent="  - ", subsequent_indent="    ")
    out(page.title)
    out("=" * min(width, len(page.title)))
    for section in page.sections:
        out()
        if section.heading:
            out(section.heading)
            out("-" * min(width, len(section.heading)))
        for paragraph in section.paragraphs:
            prose(paragraph, width=width)
            out()
        for item in section.bullets:
            for line in bullet.wrap(item):
                out(line)
    out()
    for line in textwrap.wrap("Sources: " + "; ".join(page.sources), width=width):
        out(line)
    out(msg.DISCLAIMER)


# --- undo, redo, undo --list (issue 15) ----------------------------------------------------

_FIELD_NAMES = {"dose_mg": "dose", "location": "where", "stopped_at": "stopped"}


def _field_value(value: Value, zone: tzinfo | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return local(value, zone)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return _num(value)
    text = shown(str(value))
    return text if len(text) <= 30 else text[:29] + "…"


def action_lines(entry: JournalEntry, zone: tzinfo | None) -> list[str]:
    """A journal entry in plain words: `log p12 pain 6/10 at 2026-11-20 08:00`, an edit
    with its fields before -> after, several records as one line each under a count."""
    records = entry.records
    total = entry.created_total + len(entry.changed)

    def one(record: Record) -> str:
        return f"{record.ref} {describe(record)} at {local(record.at, zone)}"

    if total == 1 and records:
        detail = ""
        if entry.changed and "deleted_at" not in entry.changed[0].before:
            change = entry.changed[0]
            detail = (
                " ("
                + ", ".join(
                    f"{_FIELD_NAMES.get(field, field)} {_field_value(change.before[field], zone)}"
                    f" -> {_field_value(change.after.get(field), zone)}"
                    for field in change.before
                )
                + ")"
            )
        return [f"{entry.command} {one(records[0])}{detail}"]
    lines = [f"{entry.command} " + msg.UNDO_ENTRIES.format(count=total)]
    lines += [f"  {one(record)}" for record in records]
    if total > len(records):
        lines.append("  " + msg.UNDO_MORE.format(count=total - len(records)))
    return lines


def reverted(template: str, entry: JournalEntry, zone: tzinfo | None) -> None:
    """`Undo: ...`, `Undone: ...` or `Redone: ...` and the entry's lines."""
    first, *rest = action_lines(entry, zone)
    out(template.format(what=first))
    for line in rest:
        out(line)


def journal(entries: Sequence[JournalEntry], zone: tzinfo | None) -> None:
    """`undo --list`: one line per action, newest first, the undone ones marked."""
    if not entries:
        out(msg.UNDO_LIST_EMPTY)
        return
    width = text_width()
    for entry in entries:
        mark = f"  {msg.UNDO_LIST_UNDONE}" if entry.undone else ""
        what = action_lines(entry, zone)[0]
        room = width - len(mark) - 18  # "YYYY-MM-DD HH:MM  "
        if len(what) > room:
            what = what[: room - 1] + "…"
        out(f"{local(entry.at, zone)}  {what}{mark}")
