"""The specification lives in the repository: code, tests and docs cite docs/, nothing outside.

docs/design.md (architecture, data model, CLI contract), docs/rules.md (the rule catalog,
generated from the code) and docs/sources.md (the articles and guidelines) are the project's
own copies. A citation of the original planning files or the seed article folder would send
a reader to files that are not in the repository; this test fails on any.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "tests", "benchmarks", "migrations", "docs", ".ci")
TOP_FILES = ("README.md", "pyproject.toml", "alembic.ini")
SUFFIXES = {".py", ".md", ".toml", ".ini", ".txt", ".mako", ".cfg", ".json", ".html", ""}

# Spelled in pieces so that this file does not cite what it forbids.
_UPPER_DOCS = "|".join(name + r"\.md" for name in ("RULES", "DESIGN"))
OUTSIDE = re.compile(
    rf"(?<![\w/])(?:{_UPPER_DOCS})\b"  # the planning files (the repo's own are docs/*.md)
    r"|\bseeds/"  # the seed article folder (summarised in docs/sources.md)
    r"|\.\./shared\b|/work/" + "shared\\b"  # the folder they came from
)


def outside_citations(root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> list[str]:
    """`path:line: text` for every line under `root` that cites a file outside the repo."""
    paths = [root / f for f in files if (root / f).is_file()]
    for folder in folders:
        base = root / folder
        if base.is_dir():
            paths += sorted(
                p
                for p in base.rglob("*")
                if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts
            )
    found = []
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_nothing_cites_files_outside_the_repository() -> None:
    assert outside_citations(ROOT, SCANNED, TOP_FILES) == []


def test_the_design_and_sources_are_in_the_repository() -> None:
    for name in ("design.md", "sources.md"):
        text = (ROOT / "docs" / name).read_text("utf-8")
        assert text.startswith("# backcare: "), name


def test_the_check_finds_each_kind_of_outside_citation(tmp_path: Path) -> None:
    cases = {
        "a.py": '"""Levels as in ' + "RULES" + '.md."""',
        "b.py": "# see " + "DESIGN" + ".md, Budgets",
        "c.md": "the questions of " + "seeds" + "/003_x.txt",
        "d.py": 'OPEN = "../' + 'shared/RULES.txt"',
        "e.txt": "read /work/" + "shared/notes",
        "fine.py": '"""Levels as in docs/rules.md; design in docs/design.md; seed 003."""',
    }
    (tmp_path / "src").mkdir()
    for name, text in cases.items():
        (tmp_path / "src" / name).write_text(text + "\n")
    found = outside_citations(tmp_path, ("src",), ())
    assert [line.split(":")[0] for line in found] == [
        f"src/{name}" for name in ("a.py", "b.py", "c.md", "d.py", "e.txt")
    ]
