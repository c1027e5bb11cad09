"""`backcare guide`: every topic renders piped in 80 columns, without escape codes."""

from __future__ import annotations

import re

import pytest

from backcare.domain.guide import TOPICS
from tests.conftest import Run


def test_index_lists_every_topic(run: Run) -> None:
    result = run("guide")
    assert result.exit_code == 0
    for name, topic in TOPICS.items():
        assert name in result.stdout and topic.summary in result.stdout


@pytest.mark.parametrize("name", list(TOPICS))
def test_topic_plain_80_columns_with_sources(run: Run, name: str) -> None:
    result = run("guide", name)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert TOPICS[name].title in out
    assert "Sources:" in out
    assert not re.search(r"\x1b\[", out)
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("name", list(TOPICS))
def test_topic_rich_fits_80_columns(name: str, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from backcare.cli import render

    monkeypatch.setenv("COLUMNS", "80")
    render.guide_page(TOPICS[name], rich=True)
    out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Sources:" in out


def test_unknown_topic(run: Run) -> None:
    result = run("guide", "yoga")
    assert result.exit_code == 2 and "first-aid" in result.stderr


def test_tip_after_log(run: Run) -> None:
    result = run("log", "6")
    assert "Tip:" in result.stdout and "backcare guide ice-heat" in result.stdout
