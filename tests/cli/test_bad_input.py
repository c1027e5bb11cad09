"""Bad input: a clear error, exit 2 (input) or 1 (storage), and the database unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Run, file_digest, row_counts

BAD_INPUT = [
    (("log", "11"), "PAIN must be a whole number from 0"),
    (("log", "six"), "PAIN must be a whole number from 0"),
    (("log", "-1"), "PAIN must be a whole number from 0"),
    (("log", "5.5"), "PAIN must be a whole number from 0"),
    (("log", "5", "--spasms", "-2"), "--spasms must be a whole number"),
    (("log", "5", "--at", "+2h"), '"+2h" is not a time backcare understands'),
    (("log", "5", "--at", "2099-01-01 08:00"), '--at "2099-01-01 08:00" is in the future'),
    (("log", "5", "--at", "2026-13-45"), '"2026-13-45": not a valid date'),
    (("log", "5", "--where", "knee"), "--where must be one of: lower, middle, upper, neck"),
    (("log", "5", "--radiates", "toe"), "--radiates must be one of"),
    (("log", "5", "--symptom", "headache"), "unknown symptom code"),
    (("treat", "unicorn"), "unknown treatment"),
    (("treat", "ibuprofen", "--dose", "-5"), "--dose must be a number of milligrams above 0"),
    (("treat", "ibuprofen", "--dose", "0"), "--dose must be a number of milligrams above 0"),
    (("treat", "ibuprofen", "--dose", "nan"), "--dose must be a number of milligrams above 0"),
    (("treat", "ice", "--minutes", "0"), "--minutes must be a whole number of minutes above 0"),
    (("treat", "ice", "--dose", "400"), "--dose goes with a medicine"),
    (("treat", "ice", "--relief", "12"), "--relief must be a whole number from 0"),
    (("treat", "medication"), "needs --drug NAME"),
    (("symptom", "headache"), "unknown symptom code"),
    (("symptom",), "name at least one symptom CODE"),
    (("edit", "x12", "--pain", "3"), "not an entry id"),
    (("edit", "p1", "--pain", "11"), "PAIN must be a whole number"),
    (("profile", "set", "--birth-year", "1800"), "--birth-year must be a year"),
    (("profile", "set", "--history", "gout"), "--history takes a comma-separated list"),
    (("profile", "set", "--remind-at", "25:00"), "--remind-at must be a time of day"),
    (("history", "--days", "0"), "--days must be a whole number of days"),
    (("history", "--from", "2026-03-05", "--to", "2026-03-01"), "--from must be on or before"),
]


@pytest.fixture
def seeded(run: Run, db_path: Path) -> dict[str, int]:
    assert run("log", "5", "--at", "-1h").exit_code == 0
    assert run("treat", "ice", "--minutes", "20").exit_code == 0
    return row_counts(db_path)


@pytest.mark.parametrize(("args", "message"), BAD_INPUT, ids=[" ".join(a) for a, _ in BAD_INPUT])
def test_bad_input_exits_2_and_changes_nothing(
    run: Run, db_path: Path, seeded: dict[str, int], args: tuple[str, ...], message: str
) -> None:
    before = file_digest(db_path)
    result = run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) <= 2
    assert row_counts(db_path) == seeded
    assert file_digest(db_path) == before


def test_unknown_treatment_lists_what_is_accepted(run: Run) -> None:
    result = run("treat", "unicorn")
    assert "ice" in result.stderr and "ibuprofen" in result.stderr
    assert "medication --drug NAME" in result.stderr


def test_unknown_symptom_lists_the_codes(run: Run) -> None:
    result = run("symptom", "headache")
    assert "saddle-numbness" in result.stderr and "--list" in result.stderr


def test_errors_do_not_echo_health_data(run: Run, seeded: dict[str, int]) -> None:
    result = run("log", "11", "--note", "private words")
    assert "11" not in result.stderr and "private" not in result.stderr


def test_pain_missing_without_terminal_is_a_usage_error(run: Run, db_path: Path) -> None:
    result = run("log")
    assert result.exit_code == 2
    assert "PAIN is missing" in result.stderr
    assert not db_path.exists()


@pytest.mark.parametrize("content", [b"hello, I am not a database\n" * 10, b"\x00" * 4096])
def test_garbage_db_file_exit_1_untouched(run: Run, tmp_path: Path, content: bytes) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(content)
    for args in (("log", "5"), ("history",), ("treat", "ice")):
        result = run(*args, db=garbage)
        assert result.exit_code == 1, result.stderr
        assert str(garbage) in result.stderr
        assert "not a backcare database" in result.stderr
        assert garbage.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["garbage.db", "home"]


def test_foreign_sqlite_file_is_refused_untouched(run: Run, tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    before = file_digest(other)
    result = run("log", "5", db=other)
    assert result.exit_code == 1
    assert "not a backcare database" in result.stderr
    assert file_digest(other) == before


@pytest.mark.parametrize(
    "args",
    [("history",), ("check",), ("profile", "show"), ("undo", "--yes"), ("delete", "p1", "--yes")],
)
def test_read_commands_on_missing_db_name_the_path_and_create_nothing(
    run: Run, tmp_path: Path, args: tuple[str, ...]
) -> None:
    missing = tmp_path / "typo" / "backcare.db"
    result = run(*args, db=missing)
    assert result.exit_code == 1
    assert str(missing) in result.stderr
    assert not missing.exists() and not missing.parent.exists()


def test_directory_as_db(run: Run, tmp_path: Path) -> None:
    result = run("log", "5", db=tmp_path)
    assert result.exit_code == 1
    assert str(tmp_path) in result.stderr


def test_a_bug_is_one_line_naming_its_type_never_its_text(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception backcare did not expect: exit 1, no traceback, and no health data (an
    exception's text may quote the entry); BACKCARE_DEBUG=1 lets it through for a developer."""
    import backcare.domain.rules as rules

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise ValueError("pain 9 with numb saddle at 03:00")

    assert run("log", "3").exit_code == 0
    monkeypatch.setattr(rules, "evaluate", broken)
    result = run("log", "9")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "backcare: error: backcare hit an unexpected problem (ValueError); nothing was half-written"
    )
    assert "pain 9" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr

    monkeypatch.setenv("BACKCARE_DEBUG", "1")
    with pytest.raises(ValueError, match="numb saddle"):
        run("log", "9")
