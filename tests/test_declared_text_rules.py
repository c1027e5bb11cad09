"""The note-length and control-character rules are one rule on every path (issue 19): for
every text field every kind declares (domain/entries.py), the CLI, `import` of a JSON
export, `import` of a CSV export and `db check` accept and refuse the same values.

The values, per field: its limit exactly (accepted) and one character more (refused); tab
and newline inside a note (accepted); ESC, CR, DEL and a C1 control (refused everywhere).
The fields and limits come from the declarations; `CLI` says which command sets each one,
and `NO_OPTION` lists those no command sets (a new text field must join one of the two).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from backcare import messages as msg
from backcare.domain import entries
from tests.conftest import Run
from tests.test_declared_roundtrip import _CSV_KINDS, _log_one_of_everything

TEXT_FIELDS = [(k, s) for k in entries.KINDS for s in k.fields if s.is_text]
BAD = ("a\x1bb", "a\rb", "a\x7fb", "a\x85b")  # ESC, CR, DEL, C1 (NEL)

# (kind letter, field) -> the command that sets it, V standing for the value.
CLI: dict[tuple[str, str], tuple[str, ...]] = {
    ("p", "note"): ("log", "5", "--note", "V", "--at", "2026-03-16 08:00"),
    ("t", "drug"): ("treat", "medication", "--drug", "V", "--unlisted", "--at", "2026-03-16 08:00"),
    ("t", "note"): ("treat", "ice", "--note", "V", "--at", "2026-03-16 08:00"),
    ("s", "note"): ("symptom", "fever", "--note", "V", "--at", "2026-03-16 08:00"),
    ("r", "drug"): ("meds", "prescribe", "V", "--dose", "10", "--from", "2026-03-16 08:00"),
    ("r", "note"): ("meds", "prescribe", "ibuprofen", "--note", "V", "--from", "2026-03-16 08:00"),
    ("m", "note"): ("measure", "startback", "--answers", "0,0,0,0,0,0,0,0,0", "--note", "V",
                    "--at", "2026-03-16 08:00"),
    ("g", "text"): ("goals", "add", "V", "--at", "2026-03-16 08:00"),
}  # fmt: skip
# Set by no command: a product name comes from the medicines table, a rule ID from the
# catalog, and a check-in has no note option; import and db check still hold them to it.
NO_OPTION = {("t", "product"), ("c", "note"), ("a", "rule"), ("a", "note")}


def _values(spec: entries.Field) -> list[tuple[str, bool]]:
    """(value, accepted) for a field: the limit, one over, and control characters."""
    limit = spec.limit or 0
    cases = [("a" * limit, True), ("a" * (limit + 1), False)]
    if spec.form == entries.TEXT:
        cases += [("a\tb", True), ("a\nb", True)]
    return cases + [(bad, False) for bad in BAD]


def _ids(case: tuple[entries.Kind, entries.Field]) -> str:
    return f"{case[0].letter}.{case[1].name}"


def test_every_text_field_has_its_cli_path_or_none() -> None:
    declared = {(k.letter, s.name) for k, s in TEXT_FIELDS}
    assert declared == set(CLI) | NO_OPTION
    assert not set(CLI) & NO_OPTION


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One of every kind logged through the CLI, its JSON and CSV exports and its file."""
    from typer.testing import CliRunner

    from backcare.cli.app import app

    folder = tmp_path_factory.mktemp("text-rules")
    db = folder / "base.db"
    runner = CliRunner()

    def run(*args: str, db: Path = db) -> object:
        return runner.invoke(app, ["--db", str(db), *args], catch_exceptions=False)

    _log_one_of_everything(run, db)  # type: ignore[arg-type]
    run("export", "json", "-o", str(folder / "a.json"))
    run("export", "csv", "--from", "2026-03-01", "-o", str(folder / "a.csv"))
    return {
        "db": db,
        "json": json.loads((folder / "a.json").read_text(encoding="utf-8")),
        "csv": (folder / "a.csv").read_text(encoding="utf-8-sig"),
    }


def _outcomes(run: Run, tmp_path: Path, kind: entries.Kind, spec: entries.Field,
              exports: dict[str, object], value: str) -> dict[str, bool]:  # fmt: skip
    """path -> whether it accepted `value` in `spec` (each path on its own fresh file)."""
    seen: dict[str, bool] = {}
    if (kind.letter, spec.name) in CLI:
        command = [value if part == "V" else part for part in CLI[(kind.letter, spec.name)]]
        result = run(*command, db=tmp_path / "cli.db")
        assert result.exit_code in (0, 2), result.stderr
        seen["cli"] = result.exit_code == 0

    data = json.loads(json.dumps(exports["json"]))
    items = data["events"] if kind.event else data[kind.plural]
    item = next(i for i in items if not kind.event or i["type"] == kind.label)
    item[spec.key] = value
    (tmp_path / "in.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("import", str(tmp_path / "in.json"), db=tmp_path / "json.db")
    assert result.exit_code in (0, 2), result.stderr
    seen["import json"] = result.exit_code == 0

    if kind in _CSV_KINDS:
        rows = list(csv.reader(io.StringIO(str(exports["csv"]), newline="")))
        header = rows[0]
        row = next(r for r in rows[1:] if r[header.index("type")] == kind.label)
        row[header.index(spec.csv_name)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, row])
        (tmp_path / "in.csv").write_text(out.getvalue(), encoding="utf-8")
        result = run("import", str(tmp_path / "in.csv"), db=tmp_path / "csv.db")
        assert result.exit_code in (0, 2), result.stderr
        seen["import csv"] = result.exit_code == 0

    checked = tmp_path / "check.db"
    shutil.copy(Path(str(exports["db"])), checked)
    conn = sqlite3.connect(checked)
    with conn:
        conn.execute(
            f"UPDATE {kind.table} SET {spec.col} = ? WHERE id = (SELECT min(id) FROM {kind.table})",
            (value,),
        )
    conn.close()
    result = run("db", "check", "--json", db=checked)
    found = json.loads(result.stdout)["findings"]
    problem = msg.CHECK_TEXT.format(column=spec.col, limit=spec.limit)
    seen["db check"] = not any(f["table"] == kind.table and f["problem"] == problem for f in found)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("case", TEXT_FIELDS, ids=_ids)
def test_text_rules_are_equal_on_every_path(
    case: tuple[entries.Kind, entries.Field],
    run: Run,
    tmp_path: Path,
    exports: dict[str, object],
) -> None:
    kind, spec = case
    for value, accepted in _values(spec):
        seen = _outcomes(run, tmp_path, kind, spec, exports, value)
        label = f"{len(value)} chars" if len(value) > 9 else repr(value)
        assert seen == dict.fromkeys(seen, accepted), label
        for db in tmp_path.glob("*.db*"):
            db.unlink()
