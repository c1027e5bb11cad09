"""Acknowledged flags (docs/rules.md "Acknowledging a flag"): which flags are repeated.

A person can acknowledge a flag (`backcare ack RULE`): `status`, `remind` and the output
after an entry then leave it out, while `check` still shows it with the acknowledgement.
It comes back when new evidence arrives (a later dose, a new symptom report, a new episode).

Pure: no clock, no store. The services load the acknowledgements and call `visible_flags`.

How "new evidence" is decided (the safer reading: anything that may be new brings it back):
- A flag's evidence keys (`evidence_keys`) are, per evidence line, the entry it names when
  it starts with an entry ID (`p12`, `t7`, `s3`, `c2`), the episode's onset for the episode
  lines ("episode onset ...", "episode active since ..."), and otherwise the whole line
  (profile history, age, runs of days). Only the course measurement ("baseline ... vs
  current ...") is left out: it changes with every entry, and the course flags fire again
  anyway while it holds.
- An acknowledgement stores the keys the flag had. A flag stays hidden only while every key
  of its evidence now was acknowledged for that rule; one new key (a new report, dose,
  episode, history item) and it is shown again.
- Emergency and urgent flags may be acknowledged only as "I have sought care"
  (`SOUGHT_CARE_LEVELS`); the CLI asks for `--sought-care`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from backcare.domain.model import Flag

SOUGHT_CARE_LEVELS: frozenset[str] = frozenset({"emergency", "urgent"})

_REF = re.compile(r"^([a-z]\d+)\b")
_EPISODE = re.compile(r"^(episode (?:onset|active since) \d{4}-\d\d-\d\d \d\d:\d\d)")
_MEASUREMENT = "baseline "


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    rule: str
    at: datetime  # when it was acknowledged
    keys: frozenset[str]  # the flag's evidence keys then
    note: str | None = None
    sought_care: bool = False
    id: int | None = None
    uid: str = ""

    @property
    def ref(self) -> str:
        return f"a{self.id}" if self.id is not None else "a?"


@dataclass(frozen=True, slots=True)
class StoredAck:
    """An acknowledgement with its row's bookkeeping (the lossless JSON export, import)."""

    ack: Acknowledgement
    created_at: datetime
    deleted_at: datetime | None = None


def is_measurement(line: str) -> bool:
    """An evidence line that restates a measurement ("baseline 7.0 ... vs current 6.0"): it
    changes with every entry, so it is never news on its own."""
    return line.startswith(_MEASUREMENT)


def evidence_keys(flag: Flag) -> frozenset[str]:
    """What the flag's evidence is about, without the parts that change by themselves."""
    keys = set()
    for line in flag.evidence:
        if is_measurement(line):
            continue
        ref = _REF.match(line)
        episode = _EPISODE.match(line)
        keys.add(ref.group(1) if ref else episode.group(1) if episode else line)
    return frozenset(keys)


def covering(flag: Flag, acks: Iterable[Acknowledgement]) -> Acknowledgement | None:
    """The latest acknowledgement of this flag that covers all its evidence now, if any."""
    keys = evidence_keys(flag)
    found = [a for a in acks if a.rule == flag.rule and keys <= a.keys]
    return max(found, key=lambda a: (a.at, a.id or 0)) if found else None


def visible_flags(flags: Sequence[Flag], acks: Iterable[Acknowledgement]) -> list[Flag]:
    """The flags `status`, `remind` and the after-entry output show: not acknowledged."""
    acks = tuple(acks)
    return [flag for flag in flags if covering(flag, acks) is None]


def needs_sought_care(level: str) -> bool:
    return level in SOUGHT_CARE_LEVELS
