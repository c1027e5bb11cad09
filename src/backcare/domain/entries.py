"""What each kind of stored entry is, declared once (issue 19; docs/design.md "Data model").

Per kind: its ID letter, table, domain class, JSON place and its fields. Per field: the
domain attribute, its form (whole number, milligrams, text, choice, ...), bounds, allowed
values, whether it may be left unrecorded, whether `edit` may change it and with which
option, its table column, and its JSON and CSV names. Everything else is derived from
these declarations:

- the import checks (export/importer.py: one validator per form, the keys a JSON object
  may carry, the columns a CSV row may fill);
- the row <-> domain converters and the fields `edit` may change (store/repo.py);
- the table CHECKs (store/tables.py) and `db check`'s invariant SQL (store/maintenance.py);
- the JSON objects (export/json_export.py) and the CSV row functions (export/csv_export.py);
- the options of `backcare edit` and its --help (cli/records.py).

What a declaration cannot say stays a small block beside its kind: the rules across fields
(a treatment's drug only for a medication, a check-in's present codes among those asked)
and the CLI's own friendlier parsing of a value (`400mg`, `7/10`).

Adding a field: one `Field(...)` in its kind (plus the table column in a migration).
Adding a kind: one `Kind(...)` in `KINDS` (plus its table and migration); its JSON list,
import checks, converters, `db check` rules and edit options follow.

Pure: no clock, no store, no terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

from backcare.domain import values
from backcare.domain.acks import Acknowledgement
from backcare.domain.instruments import INSTRUMENT_IDS
from backcare.domain.measures import GOAL_TEXT_LIMIT, PSFS_MAX_GOALS
from backcare.domain.model import (
    CARE_KINDS,
    HISTORY_FLAGS,
    LOCATIONS,
    RADIATES,
    CheckIn,
    Event,
    Goal,
    Measure,
    PainEntry,
    Prescription,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.symptoms import SYMPTOM_CODES

if TYPE_CHECKING:
    from backcare.jsonfmt import JSONObject

# A stored record of any declared kind (the `model` classes of KINDS below).
Record: TypeAlias = Event | Prescription | CheckIn | Acknowledgement | Measure | Goal
# A field's value as the domain holds it, whatever its form (the forms below): what `edit`
# changes and what the action journal keeps before and after.
Value: TypeAlias = (
    int
    | float
    | str
    | bool
    | datetime
    | timedelta
    | tuple[int, ...]
    | tuple[str, ...]
    | frozenset[str]
    | None
)
# A record of a listed kind (not an event) with its row's bookkeeping, as the JSON export
# writes it and import reads it: (record, created_at, deleted_at).
Stored: TypeAlias = tuple[Record, datetime, datetime | None]
# A function `compile_function` built from source text: what it takes and returns is in
# that text, which the type checker cannot read; each caller states it in its own return
# type (store/declared, export/derive). tests/test_no_any.py allows Any here, once.
Compiled: TypeAlias = Callable[..., Any]  # type: ignore[explicit-any]
# A raw row as the bulk reads stream it (RAW_LEAD, then the kind's columns; see below). What
# each member is depends on its position and kind (SQLite's own values: text, integer, real,
# NULL), which a tuple type cannot say; sqlite3 itself types them Any. tests/test_no_any.py
# allows Any here, once.
RawRow: TypeAlias = tuple[Any, ...]  # type: ignore[explicit-any]

# Forms of a field: how a value is checked, stored and exported.
INT = "int"  # a whole number from `low` to `high`
MG = "mg"  # a positive number of milligrams, at most `high`
TEXT = "text"  # free text of at most `limit` characters (domain/values rules)
NAME = "name"  # one name (a drug, a rule ID): text with no surrounding spaces
CHOICE = "choice"  # one of `choices`
BOOL = "bool"
TIME = "time"  # an aware moment (stored as UTC text)
SPAN = "span"  # a timedelta, stored and exported as whole minutes from `low` to `high`
CODES = "codes"  # symptom codes, each once (stored comma-separated)
LINES = "lines"  # a set of text lines (stored as a JSON list; exported sorted)
ANSWERS = "answers"  # ordered whole numbers (stored "7,6,0"; JSON a list; CSV "7 6 0")
GOALS = "goals"  # ordered texts of at most `limit`, at most `high` (stored as a JSON list)


SPASMS_MAX = 100_000
MINUTES_MAX = 24 * 60
DOSE_MAX_MG = 100_000.0
EVERY_MINUTES_MAX = 7 * 24 * 60
RULE_ID_LIMIT = 100
EVIDENCE_LINES_MAX = 1000


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a kind. Names default to `name` (the domain attribute)."""

    name: str
    form: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    limit: int | None = None  # text: most characters
    required: bool = False  # must be recorded (an empty value is an error)
    editable: bool = False
    option: str | None = None  # the `edit` option, when editable (default --name)
    metavar: str | None = None  # what `edit --help` shows after the option (default: by form)
    column: str | None = None  # the table column
    export: str | None = None  # the JSON key (and CSV column unless `csv` says otherwise)
    csv: str | None = None  # the CSV column of an event kind
    check: str | None = None  # the table CHECK's name stem (a range or sign the DB keeps)
    scale: bool = False  # low..high is a hard scale the table CHECK keeps (0-10)
    omit_none: bool = False  # JSON: the key is written only when there is a value
    default: object = None
    noun: str = "name"  # NAME: what it must be ("a drug name")
    past: bool = False  # TIME: never after the clock (values.time_problem)

    @property
    def col(self) -> str:
        return self.column or self.name

    @property
    def key(self) -> str:
        return self.export or self.name

    @property
    def csv_name(self) -> str:
        return self.csv or self.key

    @property
    def flag(self) -> str:
        return self.option or "--" + self.name.replace("_", "-")

    @property
    def is_text(self) -> bool:
        return self.form in (TEXT, NAME)

    @property
    def placeholder(self) -> str | None:
        """The option's metavar in `edit --help` (None: a flag takes no value)."""
        if self.metavar is not None or self.form == BOOL:
            return self.metavar
        if self.form == INT and self.scale:
            return f"{self.low:g}-{self.high:g}"
        return _METAVARS.get(self.form, self.name.upper())


_METAVARS = {INT: "N", MG: "MG", TEXT: "TEXT", NAME: "NAME", TIME: "WHEN", ANSWERS: "A,B,..."}


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of entry: `letter` (the ID prefix), its table, domain class and fields.

    `event`: one of the events of the export's "events" list (and the CSV); otherwise its
    JSON list is `plural` at the top level of the JSON export. `csv`: not an event, yet a
    row of the event CSV too (a questionnaire). `label` is the word `type` carries in
    JSON/CSV and that messages use.
    """

    letter: str
    label: str
    table: str
    model: type
    fields: tuple[Field, ...]
    plural: str
    event: bool = False
    csv: bool = False

    def field(self, name: str) -> Field:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(name)

    @property
    def editable(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.editable)

    @property
    def texts(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.is_text)


def _at(*, editable: bool = True, past: bool = False) -> Field:
    return Field("at", TIME, required=True, editable=editable, csv="timestamp", past=past)


def _note() -> Field:
    return Field("note", TEXT, limit=values.NOTE_LIMIT, editable=True)


def _score(name: str, **extra: object) -> Field:
    return Field(name, INT, low=0, high=10, scale=True, check=name, **extra)  # type: ignore[arg-type]


def _mg(name: str, check: str, **extra: object) -> Field:
    return Field(name, MG, low=0, high=DOSE_MAX_MG, check=check, **extra)  # type: ignore[arg-type]


PAIN = Kind(
    letter="p",
    label="pain",
    table="pain_entry",
    model=PainEntry,
    plural="events",
    event=True,
    fields=(
        _at(past=True),
        _score("pain", required=True, editable=True),
        Field("spasms", INT, low=0, high=SPASMS_MAX, check="spasms", editable=True),
        Field("location", CHOICE, choices=LOCATIONS, editable=True, option="--where", metavar="W"),
        Field("radiates", CHOICE, choices=RADIATES, editable=True, metavar="R"),
        _note(),
    ),
)

TREATMENT = Kind(
    letter="t",
    label="treatment",
    table="treatment",
    model=Treatment,
    plural="events",
    event=True,
    fields=(
        _at(past=True),
        Field("kind", CHOICE, choices=CARE_KINDS, required=True, csv="treatment"),
        Field("drug", NAME, limit=values.DRUG_NAME_LIMIT, noun="drug name"),
        _mg("dose_mg", "dose", editable=True, option="--dose"),
        Field("minutes", INT, low=1, high=MINUTES_MAX, check="minutes", editable=True),
        _score("relief", editable=True),
        Field("relaxant", BOOL, default=False),
        Field("product", NAME, limit=values.DRUG_NAME_LIMIT, noun="drug name", omit_none=True),
        _note(),
    ),
)

SYMPTOM = Kind(
    letter="s",
    label="symptom",
    table="symptom_report",
    model=SymptomReport,
    plural="events",
    event=True,
    fields=(
        _at(past=True),
        Field("code", CHOICE, choices=SYMPTOM_CODES, required=True, csv="symptom"),
        Field("present", BOOL, required=True, editable=True, option="--gone/--present"),
        _note(),
    ),
)

PRESCRIPTION = Kind(
    letter="r",
    label="prescription",
    table="prescription",
    model=Prescription,
    plural="prescriptions",
    fields=(
        _at(),
        Field("drug", NAME, limit=values.DRUG_NAME_LIMIT, noun="drug name", required=True),
        _mg("dose_mg", "dose", editable=True, option="--dose"),
        Field(
            "every",
            SPAN,
            low=1,
            high=EVERY_MINUTES_MAX,
            column="every_minutes",
            export="every_minutes",
            check="every",
        ),
        _mg("max_daily_mg", "max_daily"),
        Field("until", TIME),
        Field("stopped_at", TIME),
        Field("relaxant", BOOL, default=False),
        _note(),
    ),
)

CHECKIN = Kind(
    letter="c",
    label="check-in",
    table="checkin",
    model=CheckIn,
    plural="checkins",
    fields=(
        _at(editable=False),
        Field("asked", CODES, choices=SYMPTOM_CODES, required=True),
        Field("present", CODES, choices=SYMPTOM_CODES, required=True),
        Field("note", TEXT, limit=values.NOTE_LIMIT),
    ),
)

ACK = Kind(
    letter="a",
    label="acknowledgement",
    table="acknowledgement",
    model=Acknowledgement,
    plural="acknowledgements",
    fields=(
        Field("rule", NAME, limit=RULE_ID_LIMIT, noun="rule ID", required=True),
        _at(editable=False),
        Field(
            "keys",
            LINES,
            high=EVIDENCE_LINES_MAX,
            limit=values.NOTE_LIMIT,
            column="evidence",
            export="evidence",
        ),
        Field("note", TEXT, limit=values.NOTE_LIMIT),
        Field("sought_care", BOOL, default=False),
    ),
)

# A questionnaire (`backcare measure`, issue 16): the answers in the instrument's item order;
# the score is derived (domain/measures.py), never stored. Whether the answers fit the
# instrument, and a PSFS's goals, is a rule across fields (beside the importer's checks).
MEASURE = Kind(
    letter="m",
    label="measure",
    table="measure",
    model=Measure,
    plural="measures",
    csv=True,
    fields=(
        _at(past=True),
        Field("instrument", CHOICE, choices=INSTRUMENT_IDS, required=True, check="instrument"),
        Field("answers", ANSWERS, required=True, editable=True, check="answers"),
        Field("goals", GOALS, high=PSFS_MAX_GOALS, limit=GOAL_TEXT_LIMIT, default=()),
        _note(),
    ),
)

# A PSFS activity (`backcare goals add`); `goals remove` sets `ended_at`.
GOAL = Kind(
    letter="g",
    label="goal",
    table="goal",
    model=Goal,
    plural="goals",
    fields=(
        _at(editable=False, past=True),
        Field("text", TEXT, limit=GOAL_TEXT_LIMIT, required=True),
        Field("ended_at", TIME, past=True),  # set to now by `goals remove`; never ahead
    ),
)

KINDS: tuple[Kind, ...] = (PAIN, TREATMENT, SYMPTOM, PRESCRIPTION, CHECKIN, ACK, MEASURE, GOAL)
BY_LETTER: dict[str, Kind] = {kind.letter: kind for kind in KINDS}
EVENT_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.event)
BY_LABEL: dict[str, Kind] = {kind.label: kind for kind in EVENT_KINDS}
CSV_KINDS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.event or kind.csv)
# The row bookkeeping every kind's table and JSON object has beside its fields.
STAMPS = ("created_at", "deleted_at")


def kind_of(entry: object) -> Kind:
    """The declaration of a domain record (a CheckinAnswer is a symptom report)."""
    for kind in KINDS:
        if type(entry) is kind.model:
            return kind
    for kind in KINDS:
        if isinstance(entry, kind.model):
            return kind
    raise TypeError(f"not a declared entry: {type(entry).__name__}")


def option_for(name: str) -> str:
    """The `edit` option that sets the field `name` (of whichever kind declares it)."""
    for kind in KINDS:
        for spec in kind.editable:
            if spec.name == name:
                return spec.flag.split("/")[0]
    return "--" + name.replace("_", "-")


def json_keys(kind: Kind) -> tuple[str, ...]:
    """The keys of a kind's JSON object, in order: "type" (events), "uid", then the fields,
    the row's stamps right after `at`."""
    keys = ["type"] if kind.event else []
    keys.append("uid")
    for item in kind.fields:
        keys.append(item.key)
        if item.name == "at":
            keys.extend(STAMPS)
    return tuple(keys)


def edit_fields() -> tuple[Field, ...]:
    """Every editable field once, in the order `edit` takes and lists their options: as the
    kinds declare them (KINDS order), a field several kinds share (at, note, dose_mg) where
    it first appears. A name is one option in every kind that declares it (ValueError if
    two kinds disagree: `edit` could not tell which they mean)."""
    found: dict[str, Field] = {}
    for kind in KINDS:
        for spec in kind.editable:
            seen = found.setdefault(spec.name, spec)
            if (seen.flag, seen.form, seen.placeholder) != (spec.flag, spec.form, spec.placeholder):
                raise ValueError(f"{spec.name}: one edit option, declared two ways")
    return tuple(found.values())


def editable_help() -> str:
    """What `edit` may change, per kind (for `edit --help`)."""
    parts = []
    for kind in KINDS:
        flags = [f.flag for f in kind.editable]
        if flags:
            parts.append(f"{kind.label} ({kind.letter}): " + ", ".join(flags))
    return "; ".join(parts)


def compile_function(name: str, source: str, env: dict[str, object]) -> Compiled:
    """The function `name` defined by `source`, compiled once (as `dataclasses` builds
    `__init__`): the converters and row writers derived from the declarations, as fast as
    hand-written ones. Only declared names (identifiers, checked here) reach `source`."""
    for kind in KINDS:
        for spec in kind.fields:
            if not (spec.name.isidentifier() and spec.col.isidentifier()):
                raise ValueError(f"not an identifier: {kind.letter}.{spec.name}")
    scope = dict(env)
    exec(compile(source, f"<derived {name}>", "exec"), scope)
    function: Compiled = scope[name]  # type: ignore[assignment]
    return function


# A raw event row, as the bulk reads stream it (store/export_queries.iter_event_rows) and the
# derived CSV row functions read it (export/derive.csv_raw_writer): `at` (the stored UTC
# text), the kind's index in EVENT_KINDS, the row id, the uid, then the kind's field columns
# in declared order. Tuples in this layout sort in export order (time, kind, id).
RAW_LEAD = ("at", "kind", "id", "uid")
# The bookkeeping columns after the fields in a raw row of every stored event (store/rows.py).
RAW_TAIL = ("created_at", "deleted_at")


def raw_columns(kind: Kind) -> tuple[str, ...]:
    """The columns after RAW_LEAD in a raw row of `kind`: its fields' columns, in order."""
    return tuple(spec.col for spec in kind.fields)


# --- the profile ----------------------------------------------------------------------------
# Not an entry (one per database, never undone), but declared the same way: each field once,
# with its form and its `profile set` option. Derived from it: the options of `profile set`
# (cli/profile), their checks (domain/inputs.check_profile), what `profile set` may change
# (services.profile_set), the JSON of `profile show --json` and of the export
# (`profile_json`); a test ties the Profile dataclass, the import's keys and the table to it.

YEAR = "year"  # a birth year from values.EARLIEST_YEAR to the current year
YES_NO = "yes-no"  # true or false; None: not answered
FLAGS = "flags"  # a set of `choices` (stored comma-separated; JSON a sorted list)
CLOCKS = "clocks"  # times of day (stored comma-separated; JSON "HH:MM" texts, in order)
PERSON = "person"  # a name on one line, at most `limit` characters
DAY = "day"  # a date YYYY-MM-DD from 1900-01-01 to today

PERSON_NAME_LIMIT = 200

# A profile field's value, whatever its form.
ProfileValue: TypeAlias = int | bool | frozenset[str] | tuple[time, ...] | str | date | None


@dataclass(frozen=True, slots=True)
class ProfileField:
    """One field of the profile: the Profile attribute, table column and JSON key `name`."""

    name: str
    form: str
    option: str  # its `profile set` option
    metavar: str  # what `profile set --help` shows after the option
    choices: tuple[str, ...] = ()
    limit: int | None = None
    identity: bool = False  # the optional identity (FHIR Patient): exported only when set


PROFILE: tuple[ProfileField, ...] = (
    ProfileField("birth_year", YEAR, "--birth-year", "Y"),
    ProfileField("prior_back_pain", YES_NO, "--prior-back-pain", "yes|no"),
    ProfileField("history", FLAGS, "--history", "a,b", choices=HISTORY_FLAGS),
    ProfileField("remind_at", CLOCKS, "--remind-at", "HH:MM"),
    ProfileField("name", PERSON, "--name", "TEXT", limit=PERSON_NAME_LIMIT, identity=True),
    ProfileField("date_of_birth", DAY, "--date-of-birth", "D", identity=True),
)
PROFILE_KEYS: frozenset[str] = frozenset(spec.name for spec in PROFILE)


def clock_text(moment: time) -> str:
    """A reminder time as "HH:MM" (or "HH:MM:SS[.ffffff]" when it has seconds)."""
    if moment.second == 0 and moment.microsecond == 0:
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


def _profile_json_value(value: ProfileValue) -> object:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, tuple):
        return [clock_text(t) for t in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def profile_json(profile: Profile, *, every: bool = False) -> JSONObject:
    """The profile as JSON, its fields in declared order. An identity field left unset is
    left out (the export) unless `every` (`profile show --json`: null)."""
    out: JSONObject = {}
    for spec in PROFILE:
        value: ProfileValue = getattr(profile, spec.name)
        if value is None and spec.identity and not every:
            continue
        out[spec.name] = _profile_json_value(value)
    return out


def changed_profile(profile: Profile, changes: Mapping[str, ProfileValue]) -> Profile:
    """`profile` with the declared fields in `changes` set (checked values: domain/inputs
    check_profile); KeyError for a name the profile does not declare."""
    unknown = set(changes) - PROFILE_KEYS
    if unknown:
        raise KeyError(sorted(unknown))
    # Each value was checked for its field's form (inputs.check_profile); a mapping cannot
    # say which type goes with which key, so mypy cannot match them to Profile's fields.
    return replace(profile, **changes)  # type: ignore[arg-type]
