"""Did you mean: an unknown option becomes one line naming the closest real one.

Typer already suggests commands ("No such command 'lg'. Did you mean 'log'?"). Options get
the same here, and two common slips get their own answer: a value written as an option
(`log --pain 6`: PAIN has no option name) and a negative number (`log -1`).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from backcare import messages as msg
from backcare.errors import InputError

if TYPE_CHECKING:
    from typer._click import Context, Parameter

_NEGATIVE = re.compile(r"-\d+(?:[.,]\d+)?")


def _echo(text: str) -> str:
    cleaned = "".join(c if c.isprintable() else "?" for c in text)
    return cleaned[:40]


def closest(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (prefixes count), or None when nothing is close."""
    if not word:
        return None
    starting = [c for c in choices if c.startswith(word) or word.startswith(c)]
    if len(starting) == 1:
        return starting[0]
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


def _metavar(argument: Parameter) -> str:
    return str(getattr(argument, "metavar", None) or str(argument.name).upper()).rstrip(".")


def unknown_option(option: str, ctx: Context | None) -> InputError:
    """The error for `option` given to ctx's command, with the best suggestion."""
    command = ctx.command_path if ctx is not None else "backcare"
    params = list(ctx.command.get_params(ctx)) if ctx is not None else []
    arguments = [p for p in params if getattr(p, "param_type_name", "") == "argument"]
    if _NEGATIVE.fullmatch(option) and arguments:
        metavar = _metavar(arguments[0])
        if metavar == "PAIN":
            return InputError(msg.PAIN_RANGE)
        return InputError(msg.NEGATIVE_VALUE.format(metavar=metavar))
    bare = option.lstrip("-").split("=", 1)[0].lower()
    for argument in arguments:
        metavar = _metavar(argument)
        if bare in (str(argument.name).lower(), metavar.lower()):
            return InputError(
                msg.ARGUMENT_NOT_OPTION.format(metavar=metavar),
                msg.ARGUMENT_NOT_OPTION_HINT.format(command=command, metavar=metavar),
            )
    names = [
        name
        for p in params
        if getattr(p, "param_type_name", "") == "option"
        for name in (*p.opts, *p.secondary_opts)
    ]
    typed = option.split("=", 1)[0]
    best = closest(typed.lower(), names) if typed.startswith("--") else None
    if best is None and typed.startswith("--"):
        best = closest(typed.lower(), names, cutoff=0.5)
    message = msg.NO_SUCH_OPTION.format(command=command, option=_echo(typed))
    if best is None:
        return InputError(message, msg.SEE_OPTIONS.format(command=command))
    return InputError(message, msg.OPTION_DID_YOU_MEAN.format(suggestion=best, command=command))


def unknown_root_option(option: str, ctx: Context, args: list[str]) -> InputError:
    """An unknown option before the command: a command's own option written too early gets
    "write it after the command", anything else the root's did-you-mean."""
    typed = option.split("=", 1)[0]
    commands = getattr(ctx.command, "commands", {})
    name = next((a for a in args if a in commands), None)
    if name is not None:
        command = commands[name]
        names = [n for p in command.params for n in getattr(p, "opts", ())]
        if typed in names:
            return InputError(
                msg.NO_SUCH_OPTION.format(command=ctx.command_path, option=_echo(typed)),
                msg.OPTION_AFTER_COMMAND.format(command=f"{ctx.command_path} {name}", option=typed),
            )
    return unknown_option(option, ctx)
