"""Every user-facing string lives in messages.py (docs/design.md, "Words").

An `ast` scan over src/backcare finds every string literal that reads like prose (two words
or more) and fails on one outside the places where words may live:

- `messages.py`, the one reviewable module of what backcare says;
- the medical texts that live with their rules (MEDICAL_TEXTS: the rule catalog, the guide's
  pages, the symptom questions, the medicines table, the tips and the generator of
  docs/rules.md); the instrument .toml files are not Python and are not scanned;
- docstrings, and help texts: a Typer `help=` (and the command table's help column in
  cli/app.py) stays beside its option, as in Typer's own documentation;
- what no person reads as backcare's words: SQL (fragments of derived SQL too), HTML/SVG/CSS
  markup without prose between tags (also a tag or attribute cut where an f-string inserts a
  value), Rich style names, programmer errors (`raise ValueError/TypeError/...`, `assert`);
- ALLOWED: a few exact literals per file, each group with its reason (data, not words: input
  synonyms, command names in the action journal, code-system display names, demo data).

Nothing is left outside: the importer's error wording (and domain/values' problem codes,
which it words) moved to messages.py in issue 19, and the list of literals not moved yet
(tests/messages_known_left.json) went with the last of them. The visit report's template,
the workbook's headers, `db check`'s texts and summary's caveat are in messages.py. An
ALLOWED literal that no longer occurs fails too, so that list stays true.

`test_the_scan_catches_a_breach` runs the same scan over a made-up module, so this file
cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "backcare"

HOME = "messages.py"
MEDICAL_TEXTS = frozenset(
    {
        "domain/rules.py",
        "domain/guide.py",
        "domain/symptoms.py",
        "domain/drugs.py",
        "domain/tips.py",
        "domain/catalog_doc.py",
    }
)
# Modules whose literals are Python source compiled once per declared kind (the row
# converters and writers of docs/design.md "Data model"): code, never shown to a person.
GENERATED_SOURCE = frozenset({"export/derive.py", "store/declared.py", "export/import_checks.py"})
HELP_KEYWORDS = frozenset({"help", "short_help", "epilog", "rich_help_panel"})
PROGRAMMER_ERRORS = frozenset(
    {"ValueError", "TypeError", "AssertionError", "RuntimeError", "KeyError", "NotImplementedError"}
)

PROSE = re.compile(r"[A-Za-z]{2,}[,.:;!?)'\"]*\s+[('\"`]*[A-Za-z]{2,}")
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA|DROP|ALTER|WITH|BEGIN|VACUUM)\b"
    r"|\b(FROM|WHERE|JOIN|VALUES|ORDER BY|GROUP BY|IS NULL|IS NOT NULL|BETWEEN|GLOB)\b"
    r"|\b(IF EXISTS|CASE WHEN|NOT IN)\b|^\s*OR\b|\bOR\s*$"  # fragments of derived SQL
    r"|^\w+ IN \($"
)
TAG = re.compile(r"<[^>]*>")
# Markup cut where an f-string inserts a value: a tag left open at the end ('<circle cx="'),
# and attributes, whole or cut ('" fill="none" stroke-width="1.8"/>', 'transform="rotate(').
CUT_TAG = re.compile(r"<[A-Za-z!][^<>]*$")
ATTRIBUTE = re.compile(r'[A-Za-z][\w:-]*="[^"]*("|$)')
STYLE_WORDS = frozenset(
    {
        "bold",
        "italic",
        "dim",
        "underline",
        "reverse",
        "on",
        "white",
        "black",
        "red",
        "yellow",
        "green",
        "cyan",
        "blue",
        "magenta",
    }
)


def is_prose(text: str) -> bool:
    """Words a person reads: two words or more, once SQL, markup and style names are set
    aside."""
    if SQL.search(text):
        return False
    outside_tags = ATTRIBUTE.sub(" ", CUT_TAG.sub(" ", TAG.sub(" ", text)))
    if not PROSE.search(outside_tags):
        return False
    if "{" in outside_tags and ";" in outside_tags and ":" in outside_tags:
        return False  # CSS
    words = set(outside_tags.split())
    return not words <= STYLE_WORDS


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """Docstrings, help texts and programmer errors: literals that are not backcare's words."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        elif isinstance(node, ast.keyword) and node.arg in HELP_KEYWORDS:
            skip.update(id(n) for n in ast.walk(node.value))
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if isinstance(func, ast.Name) and func.id in PROGRAMMER_ERRORS:
                skip.update(id(n) for n in ast.walk(node.exc))
        elif isinstance(node, ast.Assert) and node.msg is not None:
            skip.update(id(n) for n in ast.walk(node.msg))
        elif isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "COMMANDS" for t in targets):
                skip.update(id(n) for n in ast.walk(node))  # cli/app.py: the help column
    return skip


def prose_literals(source: str) -> list[tuple[int, str]]:
    """(line, text) of every prose literal in `source` outside docstrings and help texts."""
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and is_prose(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(found)


def scan(root: Path) -> dict[str, set[str]]:
    """Prose literals per module (path relative to root), outside the home and medical
    texts."""
    result: dict[str, set[str]] = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == HOME or rel in MEDICAL_TEXTS or rel in GENERATED_SOURCE:
            continue
        texts = {text for _, text in prose_literals(path.read_text(encoding="utf-8"))}
        if texts:
            result[rel] = texts
    return result


# Exact literals that are not backcare's words, by module, each group with its reason.
ALLOWED: dict[str, frozenset[str]] = {
    # Typed input that is matched, not shown: synonyms of treatment kinds.
    "domain/inputs.py": frozenset(
        {
            "cold pack",
            "heat pack",
            "heating pad",
            "hot water bottle",
            "ice pack",
            "physical therapy",
        }
    ),
    # Typed input of the time grammar, matched, not shown.
    "domain/when.py": frozenset({"just now"}),
    # A pattern over the evidence lines (rules.py words), not a text of its own.
    "domain/acks.py": frozenset({r"^(episode (?:onset|active since) \d{4}-\d\d-\d\d \d\d:\d\d)"}),
    # Demo data: the onset note of the sample fortnight, stored like a note the person typed.
    "domain/demo.py": frozenset({"lifted a heavy box"}),
    # Citations of the thresholds' sources (docs/sources.md), data of the measures table.
    "domain/outcomes.py": frozenset(
        {"Farrar et al. 2001; Ostelo et al. 2008", "Ostelo et al. 2008"}
    ),
    # Command names recorded in the action journal and matched by undo/redo/completion.
    "cli/complete.py": frozenset({"meds prescribe", "meds stop"}),
    "services/__init__.py": frozenset({"meds prescribe", "meds stop"}),
    "services/measures.py": frozenset({"goals add", "goals remove"}),
    # SQLite's own error texts, matched to classify an OperationalError.
    "store/errors.py": frozenset({"disk is full", "unable to open"}),
    # The json module's own error texts, raised by the streamed decode where json.loads would
    # raise them (issue 18).
    "export/importer.py": frozenset({"Expecting property name", "Extra data"}),
    # A SQL fragment of the raw CSV read.
    "store/rows.py": frozenset({", id, uid, "}),
    # A systemd unit file's syntax.
    "schedule.py": frozenset({"\n\n[Service]\nType=oneshot\nEnvironment="}),
    # The nouns a declared field's import error names ("must be a drug name"): data of the
    # declaration, and domain/entries.py may not import messages (tests/test_layers.py).
    "domain/entries.py": frozenset({"drug name", "rule ID"}),
    # The report page's Content-Security-Policy: HTTP header syntax, not words.
    "export/report.py": frozenset({"default-src 'none'; style-src 'unsafe-inline'; img-src data:"}),
    # Code-system data: the display names LOINC and HL7 give their codes, and XHTML markup.
    "export/fhir.py": frozenset(
        {
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            "Mean score [PEG]",
            "Patient Specified",
        }
    ),
}


def breaches(found: dict[str, set[str]]) -> dict[str, set[str]]:
    """Prose literals not allowed."""
    result = {}
    for rel, texts in found.items():
        new = texts - ALLOWED.get(rel, frozenset())
        if new:
            result[rel] = new
    return result


def test_every_user_facing_string_lives_in_messages() -> None:
    found = breaches(scan(SRC))
    assert not found, (
        "user-facing words outside messages.py (move them there; see the module docstring): "
        + "; ".join(f"{rel}: {sorted(texts)}" for rel, texts in found.items())
    )


def test_the_allowed_list_only_shrinks() -> None:
    """An entry of ALLOWED that no longer occurs must be struck out."""
    found = scan(SRC)
    stale = {rel: texts - found.get(rel, set()) for rel, texts in ALLOWED.items()}
    stale = {rel: texts for rel, texts in stale.items() if texts}
    assert not stale, f"moved or gone, strike them from the lists: {stale}"


def test_the_scan_catches_a_breach(tmp_path: Path) -> None:
    """The same scan over a made-up package: each kind of literal it must see, and each it
    must leave alone."""
    pkg = tmp_path / "pkg"
    (pkg / "cli").mkdir(parents=True)
    (pkg / "domain").mkdir()
    (pkg / "messages.py").write_text('OK = "Saved your entry."\n')
    (pkg / "domain" / "rules.py").write_text('ADVICE = "See a doctor today."\n')
    (pkg / "cli" / "render.py").write_text(
        '''"""A docstring with words."""
import typer
from pkg import messages as msg

def status(x: int, opt: bool = typer.Option(False, help="Print it as JSON.")) -> None:
    """Show the status line."""
    assert x >= 0, "x must not be negative"
    if x > 9:
        raise ValueError("naive datetime: every datetime must be aware")
    print(msg.OK)
    print("SELECT pain FROM pain WHERE deleted_at IS NULL")
    print("<tr><td>")
    print('<circle cx="' + str(x) + '" fill="none" stroke-width="1.8" transform="rotate(')
    print(" AND pain NOT IN (0, 1) OR ")
    print(f"Latest pain: {x}/10 at noon.")
    print("No open flags.")
    style = "bold white on red"
'''
    )
    found = scan(pkg)
    assert found == {"cli/render.py": {"Latest pain: ", "/10 at noon.", "No open flags."}}
    assert breaches(found) == found
    # And over the real source: a literal added to cli/render.py is reported.
    real = (SRC / "cli" / "render.py").read_text(encoding="utf-8")
    breached = real + '\n\ndef extra() -> str:\n    return "Your pain is worse today."\n'
    texts = {text for _, text in prose_literals(breached)}
    assert "Your pain is worse today." in texts
    assert "Your pain is worse today." not in ALLOWED.get("cli/render.py", frozenset())


def _dump() -> None:  # pragma: no cover - a maintainer's helper: python tests/test_messages_home.py
    for rel, texts in scan(SRC).items():
        for text in sorted(texts):
            print(f"{rel}: {text!r}")


if __name__ == "__main__":
    _dump()
