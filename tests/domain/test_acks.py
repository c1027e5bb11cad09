"""domain/acks.py: which flags an acknowledgement hides, and when new evidence shows them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backcare.domain.acks import Acknowledgement, evidence_keys, needs_sought_care, visible_flags
from backcare.domain.model import Flag

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def flag(rule: str, *evidence: str, level: str = "soon") -> Flag:
    return Flag(rule, level, "title", "advice", "source", evidence)


def ack(rule: str, *keys: str) -> Acknowledgement:
    return Acknowledgement(rule=rule, at=AT, keys=frozenset(keys))


KEY_CASES = [
    ("entry ids", ("s3 fever reported 2026-03-02 08:00",), {"s3"}),
    (
        "a dose line names the later dose",
        ("t7 ibuprofen 400 mg at 2026-03-02 12:30, 2 h after t6 ibuprofen 400 mg at ...",),
        {"t7"},
    ),
    (
        "episode lines keep the onset, not the age",
        ("episode onset 2026-03-02 08:00, 3 d 2 h ago", "baseline 7.0 (first 24 h) vs current 6.0"),
        {"episode onset 2026-03-02 08:00"},
    ),
    (
        "profile lines stay whole",
        ("episode active since 2026-03-02 08:00", "profile history: cancer"),
        {"episode active since 2026-03-02 08:00", "profile history: cancer"},
    ),
]


@pytest.mark.parametrize(
    ("evidence", "keys"), [c[1:] for c in KEY_CASES], ids=[c[0] for c in KEY_CASES]
)
def test_evidence_keys(evidence: tuple[str, ...], keys: set[str]) -> None:
    assert evidence_keys(flag("r", *evidence)) == keys


VISIBLE_CASES = [
    # (id, flag evidence, acknowledgements, visible?)
    ("not acknowledged", ("s3 x",), [], True),
    ("acknowledged with the same evidence", ("s3 x",), [ack("r", "s3")], False),
    ("a new report", ("s3 x", "s9 x"), [ack("r", "s3")], True),
    ("fewer lines than acknowledged", ("s9 x",), [ack("r", "s3", "s9")], False),
    ("another rule's acknowledgement", ("s3 x",), [ack("other", "s3")], True),
    (
        "the age of the episode changes, the onset does not",
        ("episode onset 2026-03-02 08:00, 4 d 0 h ago", "baseline 7.0 vs current 7.0"),
        [ack("r", "episode onset 2026-03-02 08:00")],
        False,
    ),
    (
        "a new episode",
        ("episode onset 2026-04-10 08:00, 3 d 0 h ago",),
        [ack("r", "episode onset 2026-03-02 08:00")],
        True,
    ),
]


@pytest.mark.parametrize(
    ("evidence", "acks", "visible"),
    [c[1:] for c in VISIBLE_CASES],
    ids=[c[0] for c in VISIBLE_CASES],
)
def test_visible_flags(
    evidence: tuple[str, ...], acks: list[Acknowledgement], visible: bool
) -> None:
    f = flag("r", *evidence)
    assert (visible_flags([f], acks) == [f]) is visible


@pytest.mark.parametrize(
    ("level", "needed"),
    [("emergency", True), ("urgent", True), ("soon", False), ("caution", False), ("info", False)],
)
def test_sought_care_levels(level: str, needed: bool) -> None:
    assert needs_sought_care(level) is needed
