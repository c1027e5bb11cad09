"""The options several commands share, declared once (issue 19: "shared options in one
module").

Each is an `Annotated` type a command names as a parameter's annotation (`as_json:
JsonOption = False`), so the option's name, metavar and help text are written here once
and read the same in every `--help`. An option that only one command has (or whose help
says something of that command) stays beside that command.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A short note.")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="WHEN",
        help="Evaluate as of this time (default now): yesterday 9pm, monday, -2d, ISO...",
    ),
]
# A period of days (`history`, `summary`, `export ...`).
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", metavar="DAY", help="From this day: 2026-03-01, 20 Nov, monday, yesterday, -7d."
    ),
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="DAY", help="To this day (default today).")
]
# Where a command writes its file (`export ...`, `report`): cli/write.py.
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        metavar="FILE",
        help="Write to FILE (created readable only by you) instead of standard output.",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace the -o FILE if it exists (never a symlink).")
]


def declared_option(name: str, value: object, option: object) -> inspect.Parameter:
    """A keyword parameter `name` of type `value` with the Typer `option`: one option of a
    command whose signature is built from declarations (`edit`, `profile set`)."""
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[value, option]
    )
