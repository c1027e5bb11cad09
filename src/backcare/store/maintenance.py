"""SQLite-level care of the file: checks, invariants, online backups, restore.

The file is handled with `sqlite3` alone (only `deleted_entries` takes an open Store's
session): a damaged file must be examinable without the ORM, and nothing here migrates.
Reads use read-only connections (`mode=ro`), so `db check` never writes.
Files we create are 0600, made with O_EXCL|O_NOFOLLOW (never through a planted symlink),
written to a temporary name in the same folder, fsynced, verified, then published.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from backcare import messages as msg
from backcare.domain import entries
from backcare.errors import InputError, NotFoundError, StorageError
from backcare.store.integrity import (
    BUSY_TIMEOUT_S,
    Pending,
    connect_ro,
    has_sqlite_header,
    sqlite_check,
)
from backcare.store.integrity import is_busy as _is_busy
from backcare.store.integrity import start as start_integrity
from backcare.store.locking import begin_immediate
from backcare.store.schema import REVISIONS, UTC_GLOB

if TYPE_CHECKING:
    from backcare.store.engine import Session

EVENT_TABLES = ("pain_entry", "treatment", "symptom_report", "episode")
OUR_TABLES = (*EVENT_TABLES, "profile", "alembic_version")  # later tables: by revision
ENTRY_TABLES = ("pain_entry", "treatment", "symptom_report")
IDS_SHOWN = 10
TEXT_OK_SQL = "backcare_text_ok"  # values.text_problem as a SQL function (invariant_findings)
VISIBLE_SQL = "backcare_visible"  # values.visible as a SQL function (a required TEXT)
LIST_OK_SQL = "backcare_list_ok"  # a declared list field's check (`_list_ok`)
PROFILE_LIST_OK_SQL = "backcare_profile_list_ok"  # a profile list field's (`_profile_list_ok`)
# A uid as stored (str(uuid.UUID)): 8-4-4-4-12 hex digits. A pattern anchored at every
# position costs half of the `*[^hex-]*` scan it replaced (issue 18: `db check --full`).
_HEX = "[0-9a-fA-F]"
UUID_GLOB = "-".join(_HEX * n for n in (8, 4, 4, 4, 12))


@dataclass(frozen=True)
class Finding:
    """One broken invariant: which table, what is wrong, how many rows, their ids."""

    table: str
    what: str
    count: int
    ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class FileReport:
    """What `db check` found. `sound` when SQLite's check passed and no invariant broke."""

    path: Path
    full: bool
    integrity: tuple[str, ...]  # ("ok",) when SQLite found nothing
    revision: str | None
    findings: tuple[Finding, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def integrity_ok(self) -> bool:
        return self.integrity == ("ok",)

    @property
    def sound(self) -> bool:
        return self.integrity_ok and not self.findings


@dataclass(frozen=True)
class BackupInfo:
    """A verified backcare file: its schema revision and rows per table."""

    path: Path
    revision: str
    counts: dict[str, int]

    @property
    def entries(self) -> int:
        return sum(self.counts.get(t, 0) for t in ENTRY_TABLES)


# --- connections and small reads ---------------------------------------------------------


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def read_revision(conn: sqlite3.Connection) -> str | None:
    if "alembic_version" not in tables(conn):
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table of ours that exists (soft-deleted rows included)."""
    present = tables(conn)
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in (*EVENT_TABLES, "profile")
        if t in present
    }


def quick_check_ok(path: Path) -> bool:
    """True when `PRAGMA quick_check` passes (used before migrating a file).

    Only damage is False: a file that cannot be opened or read for another reason (a lock,
    permissions, I/O) raises, and the caller's translate_errors says what it is.
    """
    try:
        with closing(connect_ro(path)) as conn:
            rows = conn.execute("PRAGMA quick_check(1)").fetchall()
            return [tuple(r) for r in rows] == [("ok",)]
    except sqlite3.DatabaseError as exc:
        text = str(exc).lower()
        if any(t in text for t in ("not a database", "malformed", "corrupt")):
            return False
        raise


# --- invariants: what SQLite cannot know -------------------------------------------------


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _not_one_of(column: str, values: tuple[str, ...] | tuple[int, ...]) -> str:
    """`column NOT IN (values)`, written as equalities: SQLite tests a short list of
    equalities in half the time of an IN list (issue 18)."""
    literal = [str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'" for v in values]
    return "NOT (" + " OR ".join(f"{column} = {v}" for v in literal) + ")"


class Rule(NamedTuple):
    """One invariant: what is wrong, the SQL condition matching the bad rows, and (for the
    rules whose condition is a pattern match, the costly part of a scan) a `Screen` that
    proves in bulk that no row matches (issue 18: `db check --full`)."""

    what: str
    condition: str
    screen: Screen | None = None


class Screen(NamedTuple):
    """A bulk test that no row of a table matches a rule; when it cannot prove that, the
    rule's own condition runs. `kind`: FORMAT (every row's value of `column` is set and has
    `form`), or ABOVE / BELOW (no value of `column` is above / below `bound`: the bound
    alone, a superset of the rule, in the scan's ORed condition)."""

    kind: str
    column: str
    form: Form | None = None
    bound: str = ""


FORMAT, ABOVE, BELOW = "format", "above", "below"


class Form(NamedTuple):
    """A fixed-width ASCII text: `fixed` characters at their places, every other place one
    of `alphabet` (a GLOB of character classes, tested without one, see `_all_of_form`)."""

    width: int
    fixed: tuple[tuple[int, bytes], ...]
    alphabet: bytes


_DIGITS = b"0123456789"
STAMP_FORM = Form(
    27, ((4, b"-"), (7, b"-"), (10, b"T"), (13, b":"), (16, b":"), (19, b"."), (26, b"Z")), _DIGITS
)
UUID_FORM = Form(36, ((8, b"-"), (13, b"-"), (18, b"-"), (23, b"-")), _DIGITS + b"abcdefABCDEF")


def _all_of_form(joined: bytes | None, count: int, form: Form) -> bool:
    """Whether `joined` (`count` values joined by newlines, as SQLite's group_concat gives
    them) is `count` values each of `form`: exactly what the form's GLOB accepts of each.

    Exact, not a sample: the length is count * (width + 1) - 1; every fixed place (and every
    newline place) holds its character (a strided slice per place); and deleting the
    alphabet leaves exactly those characters, so every other place is in the alphabet and
    no value holds a newline of its own.
    """
    if count == 0:
        return joined is None or joined == b""
    if joined is None:
        return False
    stride = form.width + 1
    if len(joined) != count * stride - 1:
        return False
    marks = (*form.fixed, (form.width, b"\n"))
    skeleton = b"".join(char for _, char in marks)
    if joined.translate(None, form.alphabet) != (skeleton * count)[:-1]:
        return False
    return all(
        joined[place::stride] == char * (count if place < form.width else count - 1)
        for place, char in marks
    )


def _rules(now: datetime, columns: dict[str, set[str]] | None = None) -> dict[str, list[Rule]]:
    """table -> [Rule(what is wrong, SQL condition matching the bad rows, screen)].

    `columns`: each table's columns in the file; a declared field whose column an older
    revision lacks has no rule there (the file is upgraded before it is written to)."""
    from backcare.domain import values

    soon = _stamp(now + values.FUTURE_SKEW)
    earliest = _stamp(values.EARLIEST)

    def stamp(column: str, *, nullable: bool = False) -> Rule:
        """A column that may be NULL (deleted_at: set on few rows) keeps its GLOB, run on
        the set values only; a required one is screened by its form."""
        bad = f"{column} NOT GLOB '{UTC_GLOB}'"
        if nullable:
            return Rule(msg.CHECK_TIME_MALFORMED.format(column=column), bad)
        return Rule(
            msg.CHECK_TIME_MALFORMED.format(column=column),
            f"{column} IS NULL OR {bad}",
            Screen(FORMAT, column, STAMP_FORM),
        )

    # The comparison before the GLOB: SQLite stops at a false AND, so a sound row costs
    # one text comparison per rule, not a pattern match (issue 18).
    def future(column: str) -> Rule:
        return Rule(
            msg.CHECK_TIME_FUTURE.format(column=column),
            f"{column} > '{soon}' AND {column} GLOB '{UTC_GLOB}'",
            Screen(ABOVE, column, bound=soon),
        )

    def early(column: str) -> Rule:
        return Rule(
            msg.CHECK_TIME_EARLY.format(column=column, year=values.EARLIEST_YEAR),
            f"{column} < '{earliest}' AND {column} GLOB '{UTC_GLOB}'",
            Screen(BELOW, column, bound=earliest),
        )

    def text(column: str, limit: int) -> Rule:
        return Rule(
            msg.CHECK_TEXT.format(column=column, limit=limit),
            f"{column} IS NOT NULL AND NOT {TEXT_OK_SQL}({column}, {limit})",
        )

    uid = Rule(
        msg.CHECK_UID,
        f"uid IS NULL OR uid NOT GLOB '{UUID_GLOB}'",
        Screen(FORMAT, "uid", UUID_FORM),
    )

    def time(column: str, *, nullable: bool = False, past: bool = True) -> list[Rule]:
        return [
            stamp(column, nullable=nullable),
            *((future(column), early(column)) if past else ()),
        ]

    def rule_of(kind: entries.Kind, spec: entries.Field) -> list[Rule]:
        """The value rule of one declared field (domain/entries), by its form."""
        col, form = spec.col, spec.form
        unset = f"{col} IS NULL OR " if spec.required else f"{col} IS NOT NULL AND "
        if form == entries.TIME:
            return time(col, nullable=not spec.required, past=spec.past)
        if form in (entries.INT, entries.SPAN):
            low, high = f"{spec.low:g}", f"{spec.high:g}"
            bad = f"typeof({col}) != 'integer' OR {col} NOT BETWEEN {low} AND {high}"
            problem = msg.CHECK_RANGE.format(column=col, low=low, high=high)
            return [
                Rule(problem, f"{col} IS NULL OR {bad}" if spec.required else f"{unset}({bad})")
            ]
        if form == entries.MG:
            bad = f"NOT ({col} > 0 AND {col} <= {spec.high:g})"
            return [Rule(msg.CHECK_MG.format(column=col, high=f"{spec.high:g}"), unset + bad)]
        if form == entries.CHOICE:
            bad = _not_one_of(col, spec.choices)
            return [Rule(msg.CHECK_CHOICE.format(column=col), unset + bad)]
        if form == entries.BOOL:
            bad = _not_one_of(col, (0, 1))
            return [Rule(msg.CHECK_BOOLEAN.format(column=col), f"{col} IS NULL OR {bad}")]
        if form in (entries.TEXT, entries.NAME):
            rules = [text(col, spec.limit or 0)]
            if spec.required:
                # a required TEXT (a PSFS activity) must draw something, as `goals add`
                # and import hold it (values.visible); a NAME, a non-blank value
                blank = f"NOT {VISIBLE_SQL}({col})" if form == entries.TEXT else f"trim({col}) = ''"
                rules.append(
                    Rule(msg.CHECK_MISSING.format(column=col), f"{col} IS NULL OR {blank}")
                )
            return rules
        if form == entries.ANSWERS:
            bad = f"{col} = '' OR {col} GLOB '*[^0-9,]*'"
            return [Rule(msg.CHECK_NUMBERS.format(column=col), unset + bad)]
        # lists (CODES, LINES, GOALS): the importer's own check, as a SQL function
        bad = f"NOT {LIST_OK_SQL}('{kind.letter}', '{spec.name}', {col})"
        return [Rule(msg.CHECK_LIST.format(column=col), bad)]

    def declared(kind: entries.Kind) -> list[Rule]:
        rules = [uid, *time("created_at"), *time("deleted_at", nullable=True)]
        present = None if columns is None else columns.get(kind.table)
        for spec in kind.fields:
            if present is None or spec.col in present:
                rules += rule_of(kind, spec)
        return rules + _CROSS_RULES.get(kind.letter, [])

    def profile_rule(spec: entries.ProfileField) -> list[Rule]:
        """The value rule of one declared profile field (domain/entries PROFILE), by its
        form; yes/no is the table's CHECK, the lists are read leniently by the store."""
        col, present = spec.name, None if columns is None else columns.get("profile")
        if present is not None and col not in present:  # an older revision (identity: 0006)
            return []
        if spec.form == entries.YEAR:
            low, high = values.EARLIEST_YEAR, now.year
            bad = f"typeof({col}) != 'integer' OR {col} NOT BETWEEN {low} AND {high}"
            return [Rule(msg.CHECK_BIRTH_YEAR, f"{col} IS NOT NULL AND ({bad})")]
        if spec.form == entries.DAY:
            first, last = values.EARLIEST.date().isoformat(), now.date().isoformat()
            # julianday normalises ('1970-02-31' comes back as '1970-03-03'); not a date: NULL
            same = f"coalesce(date(julianday({col})), '')"
            bad = f"{col} NOT BETWEEN '{first}' AND '{last}' OR {col} != {same}"
            return [Rule(msg.CHECK_DATE_OF_BIRTH, f"{col} IS NOT NULL AND ({bad})")]
        if spec.form == entries.PERSON:
            return [text(col, spec.limit or 0)]
        if spec.form in (entries.CLOCKS, entries.FLAGS):  # what the store's reader can read
            what = msg.CHECK_REMIND_AT if spec.form == entries.CLOCKS else msg.CHECK_HISTORY
            return [Rule(what, f"NOT {PROFILE_LIST_OK_SQL}('{col}', {col})")]
        return []

    event = [uid, *time("at"), *time("created_at"), *time("deleted_at", nullable=True)]
    return {
        **{kind.table: declared(kind) for kind in entries.KINDS},
        "episode": [*event, text("note", values.NOTE_LIMIT)],
        "profile": [
            Rule(msg.CHECK_PROFILE_ID, "id != 1"),
            stamp("created_at"),
            stamp("updated_at"),
            *(rule for spec in entries.PROFILE for rule in profile_rule(spec)),
        ],
        "action_journal": [  # revision 0007_action_journal
            stamp("at"),
            stamp("undone_at", nullable=True),
        ],
    }


# Rules across fields (what a declaration cannot say), by kind letter.
_CROSS_RULES: dict[str, list[Rule]] = {
    "t": [
        Rule(msg.CHECK_NO_DRUG, "kind = 'medication' AND (drug IS NULL OR drug = '')"),
        Rule(
            msg.CHECK_DRUG_NOT_MEDICATION,
            "kind != 'medication' AND (drug IS NOT NULL OR dose_mg IS NOT NULL)",
        ),
    ],
}


def _list_ok(letter: str, name: str, value: object) -> int:
    """A stored list field (check-in codes, evidence lines, a PSFS's activities) as the
    importer would take it."""
    from backcare.domain import values

    spec = entries.BY_LETTER[letter].field(name)
    if not isinstance(value, str):
        return 0
    if spec.form == entries.CODES:
        codes = [c for c in value.split(",") if c]
        return int(len(set(codes)) == len(codes) and all(c in spec.choices for c in codes))
    try:
        lines = json.loads(value)
    except ValueError:
        return 0
    # a PSFS's activity must draw something, as import holds it (values.visible)
    shown = values.visible if spec.form == entries.GOALS else (lambda x: True)
    return int(
        isinstance(lines, list)
        and len(lines) <= (spec.high or 0)
        and all(
            isinstance(x, str) and not values.text_problem(x, spec.limit or 0) and shown(x)
            for x in lines
        )
    )


_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _profile_list_ok(name: str, value: object) -> int:
    """A profile list field as the store writes it (repo.save_profile): reminder times
    "HH:MM" and history items of the declared choices, comma-separated."""
    spec = next(spec for spec in entries.PROFILE if spec.name == name)
    if not isinstance(value, str):
        return 0
    items = [item for item in value.split(",") if item]
    if spec.form == entries.CLOCKS:
        return int(all(_CLOCK.fullmatch(item) for item in items))
    return int(all(item in spec.choices for item in items))


def invariant_findings(conn: sqlite3.Connection, *, now: datetime) -> list[Finding]:
    """Our own rules over every row: well-formed UTC times, none in the future, values in range.

    The value rules are domain/values' (as for the CLI and import): text through a SQL
    function made from `values.text_problem`, times and years from its constants.
    """
    from backcare.domain import values

    def text_ok(value: object, limit: int) -> int:
        return int(isinstance(value, str) and values.text_problem(value, limit) is None)

    conn.create_function(TEXT_OK_SQL, 2, text_ok, deterministic=True)
    conn.create_function(
        VISIBLE_SQL, 1, lambda v: int(isinstance(v, str) and values.visible(v)), deterministic=True
    )
    conn.create_function(LIST_OK_SQL, 3, _list_ok, deterministic=True)
    conn.create_function(PROFILE_LIST_OK_SQL, 2, _profile_list_ok, deterministic=True)
    present = tables(conn)
    findings = [
        Finding(table, msg.CHECK_TABLE_MISSING, 0) for table in OUR_TABLES if table not in present
    ]
    if "alembic_version" in present:
        versions = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        if len(versions) != 1:
            findings.append(Finding("alembic_version", msg.CHECK_VERSION_ROWS, len(versions)))
        elif versions[0] not in REVISIONS:
            findings.append(Finding("alembic_version", msg.CHECK_VERSION_UNKNOWN, 1))
    columns = {
        table: {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        for table in present
    }
    for table, rules in _rules(now, columns).items():
        if table not in present:
            continue
        for rule in _suspect_rules(conn, table, rules):
            query = f'SELECT id FROM "{table}" WHERE {rule.condition} ORDER BY id'
            ids = [r[0] for r in conn.execute(query)]
            if ids:
                findings.append(Finding(table, rule.what, len(ids), tuple(ids[:IDS_SHOWN])))
    return findings


def _suspect_rules(conn: sqlite3.Connection, table: str, rules: list[Rule]) -> list[Rule]:
    """The rules that may have bad rows in `table`, from one scan of it (a sound 10-year
    file costs one pass per table, not one per rule); the caller fetches their ids.

    Every rule runs, the schema's CHECKs notwithstanding: SQLite's quick_check and
    integrity_check do not verify CHECK constraints on a read-only connection. The scan
    (issue 18: `db check --full`, where GLOBs of character classes were two thirds of the
    time and one SUM per rule most of the rest):
    - the rules without a screen, and the time bounds (the bound alone, a superset of the
      rule), are one condition ORed together: a row that matches none clears them all;
    - the required columns with a form (uid, the times) come back joined (group_concat,
      side by side in one value per row) and `_all_of_form` tests every value at once.
    Whatever is not cleared is suspect, and its own condition decides.
    """
    formed: dict[bytes, list[Screen]] = {}  # by alphabet: a uid's hex letters must not
    others = []  # pass in a time's digits
    for rule in rules:
        screen = rule.screen
        if screen is None:
            others.append(rule.condition)
        elif screen.kind == FORMAT:
            assert screen.form is not None
            group = formed.setdefault(screen.form.alphabet, [])
            if screen not in group:
                group.append(screen)
        else:
            op = ">" if screen.kind == ABOVE else "<"
            others.append(f"\"{screen.column}\" {op} '{screen.bound}'")
    parts = ["count(*)"]
    if others:
        any_bad = " OR ".join(f"({c})" for c in others)
        parts.append(f"sum(CASE WHEN {any_bad} THEN 1 ELSE 0 END)")
    for group in formed.values():
        side_by_side = " || ".join(f'"{s.column}"' for s in group)
        parts.append(f"group_concat({side_by_side}, char(10))")
    factory = conn.text_factory
    conn.text_factory = bytes  # the joined values as bytes: no decoding, no UTF-8 errors
    try:
        row = list(conn.execute(f'SELECT {", ".join(parts)} FROM "{table}"').fetchone())
    except (sqlite3.DataError, sqlite3.OperationalError):
        _raise_ctrl_c()
        # A table too big to join into one value (SQLite's string limit): every rule runs
        # on its own, as before the screens. Damage is not hidden: it fails those too.
        return list(rules)
    finally:
        conn.text_factory = factory
    total = row.pop(0)
    others_clear = not others or not row.pop(0)
    # A NULL in any column of a group leaves its row out of the joined value: not cleared.
    formed_clear = all(
        [  # a list: every group's value is taken from the row, whatever the first says
            _all_of_form(row.pop(0), total, _side_by_side([s.form for s in group if s.form]))
            for group in formed.values()
        ]
    )
    return [
        rule
        for rule in rules
        if not (formed_clear if rule.screen and rule.screen.kind == FORMAT else others_clear)
    ]


def _side_by_side(forms: list[Form]) -> Form:
    """The form of values of `forms` (of one alphabet) written one after the other."""
    fixed: list[tuple[int, bytes]] = []
    width = 0
    for form in forms:
        fixed += [(width + place, char) for place, char in form.fixed]
        width += form.width
    return Form(width, tuple(fixed), forms[0].alphabet)


def check_file(
    path: Path, *, full: bool, now: datetime, integrity_of: Pending | None = None
) -> FileReport:
    """SQLite's check plus our invariants, read-only. StorageError if it is not SQLite at all.

    Also the test every command makes when it opens the file (store.engine): a file cut
    short mid-page is damaged even where SQLite's check does not look.

    SQLite's check runs on a connection of its own in a second thread while this one scans
    the rows (sqlite3 lets go of the GIL inside SQLite): the two read the file side by side,
    so on a machine with a spare core the command takes about as long as the longer of the
    two (issue 18: `db check --full` <= 1.5x integrity_check alone). `integrity_of`: that
    check already started (store.integrity.start, before the command's imports).
    """
    from backcare.store.pages import torn as file_torn

    with path.open("rb") as handle:
        torn = file_torn(path, handle.read(100))
    with closing(connect_ro(path)) as conn, _ctrl_c_noted():
        if integrity_of is None:
            integrity_of = start_integrity(path, full=full)
        try:
            revision = read_revision(conn)
            findings = invariant_findings(conn, now=now)
            rows = counts(conn)
            failed = None
        except sqlite3.DatabaseError as exc:
            _raise_ctrl_c()
            failed = exc
        _raise_ctrl_c()
        integrity = integrity_of()
        if torn:
            integrity = (msg.DB_CHECK_TORN, *(() if integrity == ("ok",) else integrity))
        if failed is not None:
            if integrity == ("ok",):
                raise failed
            revision, findings, rows = None, [], {}  # too damaged to read: integrity says why
    return FileReport(path, full, integrity, revision, tuple(findings), rows)


# A Ctrl-C that lands while SQLite runs one of our SQL functions (the text rules) is raised
# inside it, and sqlite3 turns it into "user-defined function raised exception": the check
# went on (the screen's fallback) and said "sound", or called the file unreadable. While a
# check runs, Ctrl-C is noted here too, and raised again where a query failed or at the end
# of the scan (review s5).
_CTRL_C: list[bool] = []


@contextmanager
def _ctrl_c_noted() -> Iterator[None]:
    import signal
    import threading

    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield  # Ctrl-C ignored (a background job) or handled by someone else
        return

    def noted(signum: int, frame: object) -> None:
        _CTRL_C.append(True)
        raise KeyboardInterrupt

    _CTRL_C.clear()
    signal.signal(signal.SIGINT, noted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _CTRL_C.clear()


def _raise_ctrl_c() -> None:
    if _CTRL_C:
        _CTRL_C.clear()
        raise KeyboardInterrupt


# --- files: private temp files, fsync, publishing ----------------------------------------


def _private_temp(folder: Path, stem: str) -> Path:
    """A new empty 0600 file in `folder` (safefile: O_EXCL|O_NOFOLLOW, never a link)."""
    from backcare import safefile  # here, not above: `db check` never writes (issue 18)

    try:
        return safefile.private_temp(folder, stem)
    except FileExistsError:
        raise StorageError(msg.FILE_WRITE_FAILED.format(path=folder)) from None


def _fsync(path: Path) -> None:
    from backcare import safefile

    safefile.fsync_path(path)


def _fsync_dir(path: Path) -> None:
    from backcare import safefile

    safefile.fsync_dir(path)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _publish(temp: Path, target: Path) -> None:
    """Give `temp` the name `target`, atomically and never over an existing file or link."""
    try:
        os.link(temp, target, follow_symlinks=False)
    except FileExistsError:
        raise InputError(
            msg.DB_BACKUP_EXISTS.format(path=target), msg.DB_BACKUP_EXISTS_HINT
        ) from None
    except OSError:  # no hard links here (some mounts): check, then rename
        if os.path.lexists(target):
            raise InputError(
                msg.DB_BACKUP_EXISTS.format(path=target), msg.DB_BACKUP_EXISTS_HINT
            ) from None
        os.replace(temp, target)
    else:
        os.unlink(temp)
    _fsync_dir(target.parent)


@contextmanager
def _temp_in(folder: Path, stem: str) -> Iterator[Path]:
    """A private temp file that is removed (with any side files) unless it was published."""
    temp = _private_temp(folder, stem)
    try:
        yield temp
    finally:
        _remove(temp)


def _copy_with_backup_api(source: Path, dest: Path, *, journal: str) -> None:
    """A consistent snapshot of `source` (other processes may be writing) into `dest`.

    One backup step copies every page inside one read transaction, so the copy is the
    database as of one commit. `journal`: DELETE for a standalone backup file, WAL for a
    file that becomes the live database.
    """
    with closing(connect_ro(source)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)
        dst.execute(f"PRAGMA journal_mode={journal}").fetchone()
        if journal == "WAL":
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    _fsync(dest)


# --- verification, backup, restore -------------------------------------------------------


def verify(path: Path) -> BackupInfo:
    """A file fit to restore: SQLite header, integrity_check ok, a revision this code knows."""
    if not path.exists():
        raise NotFoundError(msg.DB_RESTORE_MISSING.format(path=path), msg.DB_RESTORE_MISSING_HINT)
    if path.is_dir() or not has_sqlite_header(path):
        raise InputError(
            msg.DB_RESTORE_NOT_BACKUP.format(path=path), msg.DB_RESTORE_NOT_BACKUP_HINT
        )
    try:
        with closing(connect_ro(path)) as conn:
            if sqlite_check(conn, full=True, limit=1) != ("ok",):
                raise StorageError(
                    msg.DB_RESTORE_DAMAGED.format(path=path), msg.DB_RESTORE_DAMAGED_HINT
                )
            revision = read_revision(conn)
            rows = counts(conn)
            missing = set(OUR_TABLES) - tables(conn)
    except sqlite3.DatabaseError:
        raise StorageError(
            msg.DB_RESTORE_DAMAGED.format(path=path), msg.DB_RESTORE_DAMAGED_HINT
        ) from None
    if revision is None or missing:
        raise InputError(
            msg.DB_RESTORE_NOT_BACKUP.format(path=path), msg.DB_RESTORE_NOT_BACKUP_HINT
        )
    if revision not in REVISIONS:
        raise InputError(msg.DB_RESTORE_TOO_NEW.format(path=path), msg.DB_TOO_NEW_HINT)
    return BackupInfo(path, revision, rows)


def backup(db: Path, target: Path) -> BackupInfo:
    """Copy the live DB to a new file `target` (0600) with the online backup API, verified."""
    if os.path.lexists(target):
        raise InputError(msg.DB_BACKUP_EXISTS.format(path=target), msg.DB_BACKUP_EXISTS_HINT)
    folder = target.parent
    if not folder.is_dir():
        raise StorageError(msg.DB_BACKUP_NO_DIR.format(path=target))
    with _temp_in(folder, target.name) as temp:
        _copy_with_backup_api(db, temp, journal="DELETE")
        try:
            info = verify(temp)
        except (InputError, StorageError):  # the copy is what SQLite read from the DB
            raise StorageError(msg.DB_DAMAGED.format(path=db), msg.DB_DAMAGED_HINT) from None
        _publish(temp, target)
    return BackupInfo(target, info.revision, info.counts)


def keep_copy(db: Path, stamp: str) -> Path:
    """`<db>.before-restore.<stamp>.bak` (0600): a snapshot, or the raw bytes if damaged.

    Called while `restore` holds the DB's write lock: the snapshot (a new read transaction)
    is then the last committed state, the very one the restore replaces.
    """
    target = db.with_name(f"{db.name}.before-restore.{stamp}.bak")
    with _temp_in(db.parent, target.name) as temp:
        try:
            _copy_with_backup_api(db, temp, journal="DELETE")
        except sqlite3.DatabaseError:
            # Too damaged for SQLite to read: keep the bytes as they are, WAL beside them
            # under the name SQLite looks for, so opening the copy sees what the DB saw.
            import shutil

            with db.open("rb") as src, temp.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            _fsync(temp)
            wal = Path(f"{db}-wal")
            if wal.exists() and wal.stat().st_size:
                with _temp_in(db.parent, target.name + "-wal") as wal_temp:
                    with wal.open("rb") as src, wal_temp.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                    _fsync(wal_temp)
                    _publish(wal_temp, Path(f"{target}-wal"))
        _publish(temp, target)
    return target


@contextmanager
def _write_lock(db: Path) -> Iterator[sqlite3.Connection | None]:
    """A connection holding the live DB's write lock (BEGIN IMMEDIATE), rolled back on exit
    unless committed; None when the file is too damaged to take a transaction.

    While it is held no other backcare can commit: what a reader sees is what is replaced.
    """
    conn = sqlite3.connect(db, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA foreign_keys=OFF")
            begin_immediate(conn, busy_timeout_ms=int(BUSY_TIMEOUT_S * 1000))
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StorageError(msg.DB_LOCKED.format(path=db), msg.DB_LOCKED_HINT) from None
            yield None
            return
        except sqlite3.DatabaseError:
            yield None
            return
        yield conn
    finally:
        with suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute("ROLLBACK")
        conn.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _restore_in_place(candidate: Path, live: sqlite3.Connection, db: Path) -> bool:
    """Make the live DB (whose write lock `live` holds) a copy of the candidate, in that one
    write transaction: every schema object dropped, the candidate's recreated, its rows
    copied. Other processes see the old or the new database, never a mix, and a crash (or
    an error) leaves the old one. Not the backup API: it cannot write through a connection
    that holds a transaction, and taking the lock only when it copies left a window in
    which a commit landed in neither the kept copy nor the restored file.

    False when the live file cannot take it (damaged pages); the transaction is left to
    the caller to roll back.
    """
    try:
        with closing(connect_ro(candidate)) as src:
            schema = src.execute(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            ).fetchall()
            old = live.execute(
                "SELECT type, name FROM sqlite_master "
                "WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
            for kind, name in sorted(old, key=lambda row: row[0] != "view"):
                live.execute(f"DROP {kind.upper()} IF EXISTS {_quoted(name)}")
            for kind, name, sql in schema:
                if kind == "table":
                    live.execute(sql)
                    cursor = src.execute(f"SELECT * FROM {_quoted(name)}")
                    marks = ", ".join("?" for _ in cursor.description)
                    live.executemany(f"INSERT INTO {_quoted(name)} VALUES ({marks})", cursor)
            for kind, _name, sql in schema:
                if kind != "table":
                    live.execute(sql)
            has_sequence = live.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
            ).fetchone()
            if has_sequence:
                live.execute("DELETE FROM sqlite_sequence")
                if src.execute(
                    "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'"
                ).fetchone():
                    live.executemany(
                        "INSERT INTO sqlite_sequence VALUES (?, ?)",
                        src.execute("SELECT name, seq FROM sqlite_sequence"),
                    )
            version = src.execute("PRAGMA user_version").fetchone()[0]
            live.execute(f"PRAGMA user_version = {int(version)}")
            clear_journal(live)
    except sqlite3.OperationalError as exc:
        if _is_busy(exc):
            raise StorageError(msg.DB_LOCKED.format(path=db), msg.DB_LOCKED_HINT) from None
        return False
    except sqlite3.DatabaseError:
        return False
    return True


def clear_journal(conn: sqlite3.Connection) -> None:
    """A restored database starts with nothing to undo: undo never reaches past a restore
    (the action journal, or an older file's change_log, is emptied)."""
    present = tables(conn)
    for table in ("action_journal", "change_log"):
        if table in present:
            conn.execute(f"DELETE FROM {table}")


def _restore_by_replace(candidate: Path, db: Path) -> None:
    """For a missing or unreadable DB: build the new file beside it, then rename it over.

    The old file's -wal/-shm go first: SQLite would replay a stale WAL into the new file.
    (The damaged file, WAL included, is already kept by `keep_copy`.) A DB path that is a
    symlink keeps pointing where it did: the file it points to is the one replaced.
    """
    target = Path(os.path.realpath(db)) if db.is_symlink() else db
    with _temp_in(target.parent, target.name + ".restore") as temp:
        _copy_with_backup_api(candidate, temp, journal="WAL")
        with closing(sqlite3.connect(temp, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            clear_journal(conn)
            conn.execute("COMMIT")
        for suffix in ("-wal", "-shm", "-journal"):
            with suppress(FileNotFoundError):
                os.unlink(f"{target}{suffix}")
        os.replace(temp, target)
        _fsync_dir(target.parent)


def _check_target(db: Path) -> None:
    """Refuse to put a backup over a file that is not (even a damaged) backcare database:
    a typo in --db must not replace someone's other file."""
    if not db.exists():
        return
    if not db.is_file() or (db.stat().st_size and not has_sqlite_header(db)):
        raise StorageError(msg.DB_NOT_SQLITE.format(path=db), msg.DB_NOT_SQLITE_HINT)
    try:
        with closing(connect_ro(db)) as conn:
            present = tables(conn)
    except sqlite3.DatabaseError:
        return  # damaged: restoring is what it needs
    if present and "alembic_version" not in present:
        raise StorageError(msg.DB_NOT_OURS.format(path=db), msg.DB_NOT_SQLITE_HINT)


def restore(candidate: Path, db: Path, *, stamp: str) -> tuple[BackupInfo, Path | None]:
    """Put a verified backup in place of the DB, keeping a copy of the DB first.

    Returns what was restored (revision, counts) and the path of the kept copy (None when
    there was no DB). A backup at an older revision is upgraded on the next open.
    """
    info = verify(candidate)
    _check_target(db)
    exists = db.exists() and db.stat().st_size > 0
    if exists and os.path.samefile(candidate, db):
        raise InputError(msg.DB_RESTORE_SAME.format(path=candidate))
    kept = None
    done = False
    if exists:
        # The write lock first, then the copy, held through the swap: a commit by another
        # process lands before (in the kept copy) or after (on the restored file).
        with _write_lock(db) as live:
            kept = keep_copy(db, stamp)
            if live is not None and _restore_in_place(candidate, live, db):
                live.execute("COMMIT")
                done = True
    if not done:
        if not db.parent.is_dir():
            db.parent.mkdir(parents=True, mode=0o700)
        _restore_by_replace(candidate, db)
    with suppress(OSError):
        os.chmod(db, 0o600)
    try:
        with closing(connect_ro(db)) as conn:
            ok = sqlite_check(conn, full=False, limit=1) == ("ok",)
    except sqlite3.DatabaseError:
        ok = False
    if not ok:  # never expected: the candidate verified; say so plainly, the copy is kept
        raise StorageError(msg.DB_DAMAGED.format(path=db), msg.DB_DAMAGED_HINT)
    return info, kept


def deleted_entries(session: Session) -> int:
    """Soft-deleted entries, through an open store's session (what `db purge` removes)."""
    from sqlalchemy import text

    connection = session.connection()
    return sum(
        connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE deleted_at IS NOT NULL")
        ).scalar_one()
        for table in (*ENTRY_TABLES, "measure", "goal")  # measures, goals: issue 16
    )


def stored_uids_and_profile(path: Path) -> tuple[frozenset[str], bool] | None:
    """Every uid in a table of a declared kind (deleted rows too) and whether a profile was
    saved, read from the file with sqlite3 alone; None unless the file is whole and at this
    code's schema (HEAD), when the store must open it (and migrate, or say what is wrong).

    What `import` needs to decide that a file adds nothing (issue 18: without importing the
    ORM, a re-import is a fraction of a fresh one); export_queries.stored_uids and
    stored_profile read the same through an open store.
    """
    from backcare.store.pages import torn as file_torn
    from backcare.store.schema import HEAD

    try:
        if not has_sqlite_header(path):
            return None
        with path.open("rb") as handle:
            if file_torn(path, handle.read(100)):
                return None
        with closing(connect_ro(path)) as conn:
            if read_revision(conn) != HEAD:
                return None
            found: set[str] = set()
            for kind in entries.KINDS:
                found.update(uid for (uid,) in conn.execute(f'SELECT uid FROM "{kind.table}"'))
            profile = conn.execute("SELECT 1 FROM profile WHERE id = 1").fetchone() is not None
    except (OSError, sqlite3.Error):
        return None
    return frozenset(found), profile


def revision_of(path: Path) -> str | None:
    with closing(connect_ro(path)) as conn:
        return read_revision(conn)


def readable_revision(path: Path) -> str | None:
    """`revision_of`, or None when SQLite cannot read the file (opening it then says why)."""
    try:
        return revision_of(path)
    except sqlite3.DatabaseError:
        return None


def entry_count(path: Path) -> int | None:
    """Entries in the file (deleted ones too); None if it is missing, not SQLite or unreadable."""
    if not path.exists() or not has_sqlite_header(path):
        return None
    try:
        with closing(connect_ro(path)) as conn:
            rows = counts(conn)
    except sqlite3.DatabaseError:
        return None
    return sum(rows.get(t, 0) for t in ENTRY_TABLES)
