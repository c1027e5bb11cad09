"""`backcare measure NAME` (a questionnaire) and `backcare goals` (PSFS activities), issue 16.

On a terminal a questionnaire is asked one question a screen (`<` goes back, Ctrl-C stops
with nothing stored); `--answers 1,0,...` gives the answers from scripts. The answers are
checked against the instrument (domain/measures.py) before anything is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from backcare import messages as msg
from backcare.cli import render
from backcare.cli.context import interactive, local_now, local_zone, state
from backcare.cli.options import JsonOption
from backcare.errors import InputError

if TYPE_CHECKING:
    from backcare.domain.measures import Item

app = typer.Typer()
goals_app = typer.Typer(help="Your activities for the Patient-Specific Functional Scale (up to 3).")

BACK = "<"


def _ask(instrument_id: str, items: Sequence[Item]) -> tuple[int, ...]:
    """Each item on its own screen; `<` goes back one; a reply out of range is asked again."""
    from backcare.domain.measures import instrument

    inst = instrument(instrument_id)
    answers: list[int | None] = [None] * len(items)
    index = 0
    while index < len(items):
        item = items[index]
        render.new_screen()
        render.prose(msg.MEASURE_INTRO.format(name=inst.name, intro=inst.intro))
        render.prose(msg.MEASURE_COPYRIGHT.format(copyright=inst.copyright))
        render.out("")
        render.prose(
            msg.MEASURE_QUESTION.format(
                number=item.number, count=len(items), text=render.shown(item.text)
            )
        )
        if item.options:
            for value, word in enumerate(item.options, start=item.low):
                render.out(msg.MEASURE_OPTION.format(value=value, word=word))
        else:
            render.prose(
                msg.MEASURE_SCALE.format(
                    low=item.low, low_word=item.low_word, high=item.high, high_word=item.high_word
                ),
                indent="   ",
            )
        prompt = msg.MEASURE_PROMPT.format(low=item.low, high=item.high)
        while True:
            reply = typer.prompt(prompt, default="", show_default=False).strip()
            if reply == BACK:
                index = max(0, index - 1)
                break
            # ASCII digits only, as --answers: "²" passes str.isdigit() but not int().
            number = reply.isascii() and reply.isdigit() and len(reply) <= 2
            if number and item.low <= int(reply) <= item.high:
                answers[index] = int(reply)
                index += 1
                break
            render.out(msg.MEASURE_PROMPT_AGAIN.format(low=item.low, high=item.high))
    return tuple(a for a in answers if a is not None)


@app.command()
def measure(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help="startback (STarT Back), rmdq (Roland-Morris), psfs (your goals).",
        ),
    ],
    answers: Annotated[
        str | None,
        typer.Option(
            "--answers",
            metavar="A,B,...",
            help="The answers in the items' order, comma-separated (for scripts).",
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", metavar="WHEN", help="When you answered (default now).")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="A short note.")
    ] = None,
) -> None:
    """Answer a questionnaire (STarT Back, Roland-Morris, PSFS) and see its score."""
    from backcare.cli.entries import announce, event_time, say_notes
    from backcare.domain import measures
    from backcare.domain.inputs import check_instrument, check_note, parse_answers
    from backcare.services import measures as measure_services

    instrument_id = check_instrument(name)
    now = local_now()
    when = event_time(at, now)
    checked_note = check_note(note)
    path = state(ctx).db_path
    if answers is not None:
        given = parse_answers(answers)
    else:
        if not interactive():
            raise InputError(
                msg.MEASURE_NEEDS_ANSWERS.format(name=instrument_id), msg.MEASURE_NEEDS_ANSWERS_HINT
            )
        goals = tuple(g.text for g in measure_services.active_goals(path, at=when))
        if instrument_id == measures.PSFS and not goals:
            raise InputError(msg.MEASURE_NO_GOALS, msg.MEASURE_NO_GOALS_HINT)
        given = _ask(instrument_id, measures.items_for(instrument_id, goals))
    logged = measure_services.record_measure(
        path, instrument=instrument_id, answers=given, at=when, note=checked_note, now=now
    )
    (record,) = logged.events
    render.out(msg.MEASURE_RECORDED.format(ref=record.ref, what=render.describe(record)))
    if instrument_id == measures.STARTBACK:
        render.prose(measures.instrument(instrument_id).copyright)
    say_notes()
    announce(logged.new_flags)


@goals_app.command("add")
def goals_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="ACTIVITY", help='e.g. "walk the dog".')],
    at: Annotated[
        str | None, typer.Option("--at", metavar="WHEN", help="Since when (default now).")
    ] = None,
) -> None:
    """Add an activity you find hard because of your back (at most 3 at once)."""
    from backcare.cli.entries import event_time, say_notes
    from backcare.services import measures as measure_services

    now = local_now()
    when = event_time(at, now)
    goal = measure_services.add_goal(state(ctx).db_path, text=text, at=when, now=now)
    say_notes()
    render.out(msg.GOAL_ADDED.format(ref=goal.ref))


@goals_app.command("list")
def goals_list(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """The activities `backcare measure psfs` asks about."""
    from backcare.services import measures as measure_services

    goals = measure_services.list_goals(state(ctx).db_path, at=local_now())
    if as_json:
        # the same activities as the text: those asked now (removed ones are in the export)
        from backcare.jsonfmt import dumps as json_dumps

        render.out(
            json_dumps(
                [
                    {"id": g.ref, "text": g.text, "at": g.at.astimezone(local_zone()).isoformat()}
                    for g in goals
                ]
            )
        )
        return
    if not goals:
        render.out(msg.GOAL_NONE)
        return
    zone = local_zone()
    for goal in goals:
        since = render.local(goal.at, zone)
        render.out(msg.GOAL_LINE.format(ref=goal.ref, text=render.shown(goal.text), since=since))


@goals_app.command("remove")
def goals_remove(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help="g2, as `goals list` shows.")],
) -> None:
    """Stop asking about an activity (`backcare undo` brings it back)."""
    from backcare.domain.inputs import parse_ref
    from backcare.services import measures as measure_services

    letter, number = parse_ref(ref)
    if letter != "g":
        raise InputError(msg.GOAL_NOT_GOAL.format(ref=f"{letter}{number}"))
    goal = measure_services.remove_goal(state(ctx).db_path, number=number, now=local_now())
    render.out(msg.GOAL_REMOVED.format(ref=goal.ref))
