"""What the action journal tells `undo`, `redo` and `undo --list` (pure data).

One `JournalEntry` per command that changed entries (docs/design.md "Data model"): the
records it created and the stored records it changed, with the fields before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backcare.domain.entries import Record, Value

CREATED_SHOWN = 5  # created records carried for display; `created_total` counts them all


@dataclass(frozen=True)
class Change:
    """A stored record a command changed: the record as it is now, its fields before and
    after the command (delete: `deleted_at` None -> a time)."""

    record: Record
    before: dict[str, Value]
    after: dict[str, Value]


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: datetime  # when the command ran
    command: str  # "log", "treat", "symptom", "checkin", "edit", "delete", "import", ...
    undone: bool
    created: tuple[Record, ...]  # the first CREATED_SHOWN records it created, as stored now
    created_total: int
    changed: tuple[Change, ...]

    @property
    def records(self) -> tuple[Record, ...]:
        return self.created + tuple(c.record for c in self.changed)
