"""docs/rules.md is the code's catalog: generated from it, and this test fails when stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backcare.domain.catalog_doc import render
from backcare.domain.rules import RETIRED, RULES
from backcare.domain.symptoms import SYMPTOM_QUESTIONS

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
REGENERATE = "python -m backcare.domain.catalog_doc > docs/rules.md"


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), f"docs/rules.md is stale: run {REGENERATE}"


def test_the_doc_names_every_rule_symptom_and_retired_id() -> None:
    text = render()
    for rule in RULES:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{rule.id}` |"))
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells == [f"`{rule.id}`", rule.level, rule.trigger, rule.advice, rule.source]
    for code, question in SYMPTOM_QUESTIONS.items():
        assert f"| `{code}` | {question} |" in text
    for rule_id in RETIRED:
        assert f"- `{rule_id}`:" in text


def test_the_module_command_prints_the_doc(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "backcare.domain.catalog_doc"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert result.stdout == render()
