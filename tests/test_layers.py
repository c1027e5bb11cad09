"""The layers as a contract, checked on the import graph of src/backcare (docs/design.md).

Every `import` in every module is read with `ast`: at module level, inside functions (the lazy
imports that keep `--help` fast) and under `if TYPE_CHECKING:` (a type is a dependency too).
The layer rules count all of them. Cycles are looked for among the imports that run (all but
the TYPE_CHECKING ones), lazy ones included: a cycle through a function-level import still
ties two modules together, it only fails later.

The rules:
- domain is pure: only the domain itself, `errors` and the standard library plus dateutil
  (today also `messages`, in the two modules listed in DOMAIN_MESSAGES; see its comment);
  under `if TYPE_CHECKING:` it may name jsonfmt's JSON types (`JSONObject` for the dicts its
  `*_as_dict` functions build): a type, never code that runs;
- only store imports sqlmodel, sqlalchemy, alembic or sqlite3;
- only cli imports typer; only cli/render imports rich (and the report writer in export/,
  should it ever draw with Rich);
- cli reaches the store only through services; services never import cli; store never
  imports services, cli or export; export (the file formats) never imports store, services
  or cli;
- `messages` and `errors` import nothing of backcare; the small top-level helpers (lock,
  schedule, ...) import no layer (only messages, errors and each other);
- no import cycles.

`test_the_checker_catches_each_kind_of_breach` runs the same checker over a small made-up
package with one breach of each kind, so this file cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "backcare"

STORE_ONLY = ("sqlmodel", "sqlalchemy", "alembic", "sqlite3")
DOMAIN_THIRD_PARTY = ("dateutil",)
# Domain modules that still read their user-facing words from messages.py. The project keeps
# every user-facing string there, and these two raise InputError / build reminder lines with
# them; moving the strings into the domain would split messages.py in two. messages.py is a
# leaf (no imports of backcare), so this does not make the domain impure. The list may only
# shrink: a new domain module that imports messages fails here.
# domain.when joined them with the time grammar: its errors repeat the time typed (issue 15).
DOMAIN_MESSAGES = frozenset(
    {"backcare.domain.inputs", "backcare.domain.reminders", "backcare.domain.when"}
)
RICH_ALLOWED = frozenset({"backcare.cli.render", "backcare.export.report"})
LEAVES = ("backcare.messages", "backcare.errors")


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, e.g. backcare.cli.db
    target: str  # the imported module, e.g. backcare.store.schema or sqlalchemy.orm
    line: int
    typing_only: bool  # under `if TYPE_CHECKING:`

    def __str__(self) -> str:
        return f"{self.source}:{self.line} imports {self.target}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, modules: set[str]) -> None:
        self.module, self.is_package, self.modules = module, is_package, modules
        self.found: list[Import] = []
        self._typing = 0

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            self._typing += 1
            for child in node.body:
                self.visit(child)
            self._typing -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def _add(self, target: str, line: int) -> None:
        self.found.append(Import(self.module, target, line, self._typing > 0))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.split(".")
            if not self.is_package:
                package.pop()
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            # `from backcare import messages` imports the module backcare.messages
            self._add(submodule if submodule in self.modules else base, node.lineno)


def import_graph(root: Path) -> list[Import]:
    """Every import of every module under `root` (a package directory)."""
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f, root) for f in files}
    found: list[Import] = []
    for file in files:
        collector = _Collector(module_name(file, root), file.name == "__init__.py", modules)
        collector.visit(ast.parse(file.read_text("utf-8"), filename=str(file)))
        found += collector.found
    return found


def _within(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _top(module: str) -> str:
    return module.split(".")[0]


def breaches(graph: Iterable[Import], package: str = "backcare") -> list[str]:
    """Every broken layer rule, one line each (empty when the contract holds)."""
    p = package
    domain, store, cli = f"{p}.domain", f"{p}.store", f"{p}.cli"
    services, export = f"{p}.services", f"{p}.export"
    layered = (domain, store, cli, services, export)
    leaves = tuple(leaf.replace("backcare", p, 1) for leaf in LEAVES)
    own_messages = f"{p}.messages"
    problems: list[str] = []
    for imp in graph:
        src, dst = imp.source, imp.target
        ours = _within(dst, p)
        if _within(src, domain):
            allowed_ours = (
                _within(dst, domain, f"{p}.errors")
                or (dst == own_messages and src.replace(p, "backcare", 1) in DOMAIN_MESSAGES)
                or (dst == f"{p}.jsonfmt" and imp.typing_only)  # the JSON types, no code
            )
            if ours and not allowed_ours:
                problems.append(f"domain is pure: {imp}")
            elif not ours and _top(dst) not in sys.stdlib_module_names | set(DOMAIN_THIRD_PARTY):
                problems.append(f"domain uses the standard library and dateutil only: {imp}")
        if _top(dst) in STORE_ONLY and not _within(src, store):
            problems.append(f"only store imports {_top(dst)}: {imp}")
        if _top(dst) == "typer" and not _within(src, cli):
            problems.append(f"only cli imports typer: {imp}")
        if _top(dst) == "rich" and src.replace(p, "backcare", 1) not in RICH_ALLOWED:
            problems.append(f"only cli/render imports rich: {imp}")
        if _within(src, cli) and _within(dst, store):
            problems.append(f"cli reaches the store only through services: {imp}")
        if _within(src, services) and _within(dst, cli):
            problems.append(f"services never import cli: {imp}")
        if _within(src, store) and _within(dst, services, cli, export):
            problems.append(f"store never imports services, cli or export: {imp}")
        if _within(src, export) and _within(dst, store, services, cli):
            problems.append(f"export never imports store, services or cli: {imp}")
        if src in leaves and ours:
            problems.append(f"{src} imports nothing of {p}: {imp}")
        helper = src.count(".") == 1 and not _within(src, *layered, *leaves)
        if helper and src not in (p, f"{p}.__main__") and _within(dst, *layered):
            problems.append(f"top-level helpers import no layer: {imp}")
    return problems


def cycles(graph: Iterable[Import]) -> list[list[str]]:
    """Import cycles among the modules of the graph (TYPE_CHECKING imports left out)."""
    modules = {imp.source for imp in graph}
    edges: dict[str, set[str]] = {m: set() for m in modules}
    for imp in graph:
        if not imp.typing_only and imp.target in modules and imp.target != imp.source:
            edges[imp.source].add(imp.target)
    # Tarjan's strongly connected components: any component of 2+ modules is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


# --- the contract, on the real code -------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> list[Import]:
    return import_graph(SRC)


def test_the_graph_is_read(graph: list[Import]) -> None:
    """A sanity check that the reader sees lazy and TYPE_CHECKING imports at all."""
    sources = {imp.source for imp in graph}
    assert {"backcare.cli.app", "backcare.store.engine", "backcare.domain.rules"} <= sources
    lazy = [
        i for i in graph if i.source == "backcare.store.engine" and i.target.endswith("migrate")
    ]
    assert lazy, "the lazy import of store.migrate in store.engine was not seen"
    assert any(i.typing_only for i in graph)


def test_layers_hold(graph: list[Import]) -> None:
    assert breaches(graph) == []


def test_no_import_cycles(graph: list[Import]) -> None:
    assert cycles(graph) == []


def test_grandfathered_domain_messages_imports_are_still_needed(graph: list[Import]) -> None:
    """DOMAIN_MESSAGES only lists modules that really import messages (it may only shrink)."""
    importing = {
        i.source
        for i in graph
        if i.target == "backcare.messages" and _within(i.source, "backcare.domain")
    }
    assert importing == DOMAIN_MESSAGES


# --- the checker itself -------------------------------------------------------------------

BREACHES = {
    "domain/__init__.py": "",
    "domain/pure.py": "from datetime import UTC\nfrom dateutil import tz\nfrom .. import errors\n",
    "domain/dbish.py": "import sqlmodel\n",
    "domain/lazy.py": "def f():\n    from demo.store import repo\n",
    "domain/typed.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from demo.services import x\n"
    ),
    "domain/msg.py": "from demo import messages\n",
    "domain/json_typed.py": (  # allowed: the JSON types, under TYPE_CHECKING only
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from demo.jsonfmt import JSONObject\n"
    ),
    "domain/json_run.py": "from demo.jsonfmt import dumps\n",
    "jsonfmt.py": "",
    "domain/http.py": "import requests\n",
    "store/__init__.py": "",
    "store/repo.py": "import sqlite3\nfrom demo.store import engine\n",
    "store/engine.py": "def f():\n    from demo.store import repo\n",
    "store/up.py": "from demo.services import x\n",
    "services/__init__.py": "",
    "services/x.py": "import sqlite3\nfrom demo.store import repo\nimport typer\n",
    "cli/__init__.py": "",
    "cli/db.py": "def f():\n    from demo.store.engine import open_store\n",
    "cli/table.py": "from rich.table import Table\n",
    "cli/render.py": "from rich.console import Console\nimport typer\n",
    "export/__init__.py": "",
    "export/csv.py": "from demo.store import repo\n",
    "messages.py": "from demo.domain import pure\n",
    "errors.py": "",
    "lock.py": "from demo import errors\nfrom demo import schedule\nfrom demo.store import repo\n",
    "schedule.py": "from demo import messages\n",
}


def test_the_checker_catches_each_kind_of_breach(tmp_path: Path) -> None:
    root = tmp_path / "demo"
    for name, text in BREACHES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    graph = import_graph(root)
    found = breaches(graph, "demo")
    expected = [
        "cli reaches the store only through services: demo.cli.db:2 imports demo.store.engine",
        "only cli/render imports rich: demo.cli.table:1 imports rich.table",
        "domain is pure: demo.domain.lazy:2 imports demo.store.repo",
        "domain is pure: demo.domain.msg:1 imports demo.messages",
        "domain is pure: demo.domain.json_run:1 imports demo.jsonfmt",
        "domain is pure: demo.domain.typed:3 imports demo.services.x",
        "domain uses the standard library and dateutil only: demo.domain.http:1 imports requests",
        "domain uses the standard library and dateutil only: demo.domain.dbish:1 imports sqlmodel",
        "export never imports store, services or cli: demo.export.csv:1 imports demo.store.repo",
        "demo.messages imports nothing of demo: demo.messages:1 imports demo.domain.pure",
        "only store imports sqlmodel: demo.domain.dbish:1 imports sqlmodel",
        "only store imports sqlite3: demo.services.x:1 imports sqlite3",
        "only cli imports typer: demo.services.x:3 imports typer",
        "store never imports services, cli or export: demo.store.up:1 imports demo.services.x",
        "top-level helpers import no layer: demo.lock:3 imports demo.store.repo",
    ]
    assert sorted(found) == sorted(expected)
    assert cycles(graph) == [["demo.store.engine", "demo.store.repo"]]
