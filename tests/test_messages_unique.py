"""messages.py names each text once: a second assignment to a name silently replaces the
first, so one of two features would show the other's words (it happened at a merge:
REPORT_NO_EPISODE meant "No active episode" in one block and "outside any episode" in
another)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

MESSAGES = Path(__file__).resolve().parents[1] / "src" / "backcare" / "messages.py"


def assigned_names(source: str) -> Counter[str]:
    names: Counter[str] = Counter()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                names[target.id] += 1
    return names


def test_every_message_name_is_assigned_once() -> None:
    twice = sorted(n for n, k in assigned_names(MESSAGES.read_text()).items() if k > 1)
    assert twice == []


def test_the_check_sees_a_second_assignment() -> None:
    assert assigned_names('A = "one"\nB = "x"\nA = "two"\n')["A"] == 2
