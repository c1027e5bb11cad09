"""No bare `Any` in src/backcare outside a short, reasoned allow-list (issue 19, "Types").

A lazy import (kept off the start-up path of `--help`) used to erase a type to `Any`: a
Session, a click Context, a domain record. Those are now `TYPE_CHECKING` imports of the real
type, or a precise alias declared once (jsonfmt.JSONValue, domain/entries Record, Value,
Stored, RawRow). What stays is listed in ALLOWED with the count per file and why; the count
must match exactly, so the list shrinks with every `Any` removed and a new one fails here.

Every use is counted from the syntax tree: `Any` as a name, `typing.Any`, and `Any` inside a
string annotation or a string type alias (`"list[Any]"`). The checker is run over a made-up
breach too, so this file cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "backcare"

# path under src/backcare -> (uses of Any, why they stay)
ALLOWED: dict[str, tuple[int, str]] = {
    "jsonfmt.py": (1, "JSONObject: a JSON object's members are typed by key (as json.loads's)"),
    "domain/entries.py": (
        2,
        "Compiled: a function compiled from source text; RawRow: SQLite values by position",
    ),
    "cli/app.py": (1, "BackcareGroup.__init__ forwards click's keyword arguments unchanged"),
    "export/fhir.py": (
        1,
        "MAPPINGS: each mapping takes its own event class, which one Callable cannot say",
    ),
}


def any_lines(text: str) -> list[int]:
    """The line of every use of `Any` in a module's source."""
    found: list[int] = []

    def visit(node: ast.AST, line_offset: int = 0) -> None:
        for sub in ast.walk(node):
            named = isinstance(sub, ast.Name) and sub.id == "Any"
            if named or (isinstance(sub, ast.Attribute) and sub.attr == "Any"):
                found.append(getattr(sub, "lineno", 0) + line_offset)
            elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                if "Any" not in sub.value:
                    continue
                try:  # a string annotation or alias: "dict[str, Any]"
                    inner = ast.parse(sub.value, mode="eval")
                except SyntaxError:
                    continue  # prose, a message
                visit(inner, sub.lineno - 1 + line_offset)

    visit(ast.parse(text))
    return sorted(found)


def test_no_bare_any_outside_the_allow_list() -> None:
    wrong: list[str] = []
    seen: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        lines = any_lines(path.read_text(encoding="utf-8"))
        allowed = ALLOWED.get(name, (0, ""))[0]
        if lines:
            seen.add(name)
        if len(lines) != allowed:
            wrong.append(f"{name}: {len(lines)} Any (allowed {allowed}) at lines {lines}")
    assert wrong == [], "\n".join(wrong)
    assert set(ALLOWED) == seen, "ALLOWED lists a file with no Any left: remove it"


def test_the_checker_finds_each_spelling(tmp_path: Path) -> None:
    text = (
        "import typing\n"
        "from typing import Any\n"
        "def f(x: Any) -> 'list[Any]':\n"
        "    y: typing.Any = x\n"
        "    return [y]\n"
        'MESSAGE = "Any stiffness?"\n'
    )
    assert any_lines(text) == [3, 3, 4]


def test_every_allowance_says_why() -> None:
    assert all(count > 0 and len(why) > 20 for count, why in ALLOWED.values())
