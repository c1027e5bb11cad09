"""Every user-facing string of the CLI, in one module to review.

Medical advice texts live with their rules (domain/rules.py) and the guide (domain/guide.py);
this module holds the interface's own words: errors, confirmations, headings.
Error messages never include health data (pain, doses, notes): only what kind of input was
wrong, what is accepted, and file paths.
"""

from __future__ import annotations


def plural(count: int, one: str, many: str) -> str:
    """The word for `count` things: plural(1, "entry", "entries") == "entry".

    The one plural helper: the CLI (cli/render.py) and the report (export/report.py) use it.
    """
    return one if count == 1 else many


def count_of(count: int, one: str, many: str) -> str:
    """ "1 pair", "3 pairs": the count and its word."""
    return f"{count} {plural(count, one, many)}"


NOT_RECORDED = "not recorded"
SPASMS_NOT_RECORDED = "spasms not recorded"

DISCLAIMER = "backcare informs, it does not diagnose. If in doubt, ask a doctor or pharmacist."

# `backcare rules` (piped form)
RULE_FIRES_WHEN = "fires when:"
RULE_ADVICE = "advice:"
RULE_SOURCE = "source:"
RULE_RETIRED = "retired"

# `backcare ack` / `unack`
ACK_UNKNOWN_RULE = "no such rule"
ACK_NOT_ACTIVE = "that rule has no active flag to acknowledge"
ACK_SEE_CHECK = "`backcare check` lists the active flags with their rule IDs"
ACK_NEEDS_SOUGHT_CARE = (
    "an emergency or urgent flag can be acknowledged only once you have sought care"
)
ACK_NEEDS_SOUGHT_CARE_HINT = (
    "if you have contacted a doctor, urgent care or the emergency services about it, add "
    "--sought-care; otherwise please do so now"
)
ACK_DONE = (
    "Acknowledged {rule} ({ref}). status, remind and new entries will not repeat it until new "
    "evidence arrives; `backcare check` still shows it."
)
UNACK_NONE = "that rule is not acknowledged"
UNACK_NONE_HINT = "`backcare ack --list` shows the acknowledged flags"
UNACK_DONE = "Withdrew {count} acknowledgement{s} of {rule}: it shows again while it holds."
ACK_LIST_NONE = "No acknowledged flags."
STATUS_ACKNOWLEDGED = (
    "{count} acknowledged flag{s} not repeated here (`backcare check` shows them)."
)
ACK_RULE_REQUIRED = "name the RULE to acknowledge, or use --list"
SOUGHT_CARE = "I have sought care"
ACKNOWLEDGED = "Acknowledged {when}"

# The prior-back-pain question (status due item, checkin)
PRIOR_BACK_PAIN_DUE = (
    "tell backcare whether you had back pain before: backcare profile set --prior-back-pain yes|no"
)
CHECKIN_NONE_PRESENT = "none present"
CHECKIN_RECORDED = "Recorded check-in {ref}: {what}."
PRIOR_BACK_PAIN_SAVED = "Saved your answer about earlier back pain in your profile."
PRIOR_BACK_PAIN_QUESTION = "Have you had back pain before this episode? [y/n/s]"

# --- storage ---------------------------------------------------------------------------
DB_MISSING = "no backcare database at {path}"
DB_MISSING_HINT = "check --db / $BACKCARE_DB for a typo; log something first to create the database"
DB_NOT_SQLITE = "{path} is not a backcare database (not a SQLite file); it was left untouched"
DB_NOT_SQLITE_HINT = "point --db (or $BACKCARE_DB) at your backcare database"
DB_NOT_OURS = "{path} is a SQLite file but not a backcare database; it was left untouched"
DB_TOO_NEW = "{path} was written by a newer backcare than this one"
DB_TOO_NEW_HINT = "upgrade backcare (pip install -U backcare); the file was left untouched"
DB_LOCKED = "the database {path} is busy (another backcare or program has it); nothing was saved"
DB_LOCKED_HINT = "try again in a moment"
DISK_FULL = "the disk holding {path} is full; nothing was saved"
DISK_FULL_HINT = "free some space and try again; what was stored before is intact"
DB_READONLY = "cannot write to {path} (read-only or no permission); nothing was saved"
DB_READONLY_HINT = "check the file's permissions"
DB_DAMAGED = "the database {path} is damaged or truncated"
DB_DAMAGED_NO_WRITE = "the database {path} is damaged; nothing was saved"
DB_DAMAGED_HINT = "run `backcare db check`, or `backcare db restore FILE` from a backup"
DB_CANNOT_OPEN = "cannot open {path}"
DB_CANNOT_OPEN_HINT = "check that the folder exists and is writable"
DB_ERROR = "the database {path} could not be read or written"
DB_ERROR_HINT = "try again; `backcare db check` tells whether the file itself is sound"
DB_IO_ERROR = "the system refused to read or write {path} (a disk problem or a file-size limit)"
DB_IO_ERROR_HINT = "nothing was saved and what was stored before is intact; check the disk"
FILE_WRITE_FAILED = "could not write {path}"

# --- input -----------------------------------------------------------------------------
PAIN_RANGE = "PAIN must be a whole number from 0 (none) to 10 (worst imaginable)"
PAIN_REQUIRED = "PAIN is missing"
PAIN_REQUIRED_HINT = "give it as a number, e.g. `backcare log 6` (no terminal to ask on)"
PAIN_PROMPT = "Pain now, 0 (none) to 10 (worst imaginable)"
SPASMS_RANGE = "--spasms must be a whole number, 0 or more"
RELIEF_RANGE = "--relief must be a whole number from 0 (no help) to 10 (gone)"
WHERE_CHOICES = "--where must be one of: {choices}"
RADIATES_CHOICES = "--radiates must be one of: {choices}"
DOSE_POSITIVE = "--dose must be a number of milligrams above 0, e.g. --dose 400"
MINUTES_POSITIVE = "--minutes must be a whole number of minutes above 0, e.g. --minutes 20"
DOSE_NEEDS_DRUG = "--dose goes with a medicine, e.g. `backcare treat ibuprofen --dose 400`"
UNKNOWN_KIND = "unknown treatment"
UNKNOWN_KIND_HINT = "kinds: {kinds}; drugs: {drugs}; or `medication --drug NAME`"
DRUG_REQUIRED = "`treat medication` needs --drug NAME, e.g. --drug ibuprofen"
DRUG_NAME_BAD = "--drug must be a medicine name (letters, up to 60 characters)"
DRUG_WITH_KIND = "--drug goes with `treat medication`; for a known drug, `treat NAME` works too"
RELAXANT_NEEDS_MEDICATION = "--relaxant marks a `medication --drug NAME` as a muscle relaxant"
# --- medicines (issue 12) ---------------------------------------------------------------
DOSE_UNIT = "--dose must be milligrams or grams: 400, 400mg, 0.5g or 2x200 (2 tablets of 200 mg)"
DOSE_TYPO = (
    "that dose is more than {factor} times the largest single dose of this medicine: is that mg?"
)
DOSE_TYPO_HINT = (
    "if you really took this much, call Poison Control or the emergency number now; "
    "otherwise give the dose in mg, e.g. --dose 400"
)
DOSE_OR_TABLETS = "give either --dose or --tablets, not both"
TABLETS_RANGE = "--tablets must be a whole number from 1 to 100"
STRENGTH_POSITIVE = "--strength must be the milligrams in one tablet, above 0, e.g. --strength 200"
TABLETS_NEED_STRENGTH = "--tablets needs the strength of one tablet: add --strength MG"
STRENGTH_NEEDS_TABLETS = "--strength goes with --tablets N"
COMBINATION_DOSE = "{product} combines several medicines: give --tablets N instead of --dose"
COMBINATION_NO_STRENGTH = (
    "backcare does not know the strengths in {product}: log each medicine in it with its "
    "own --dose (the label lists them)"
)
COMBINATION_STRENGTH = "{product} combines several medicines: give --tablets N, not a strength"
DID_YOU_MEAN = "unknown medicine. Did you mean {name}?"
DID_YOU_MEAN_HINT = (
    "if the name is right, `treat medication --drug NAME --unlisted` records it unchecked"
)
UNCHECKED_DRUG = (
    "backcare does not know this medicine, so it cannot check its doses; ask a pharmacist "
    "about its limits"
)
ASSUMED_ONE_TABLET = (
    "Counted as one tablet ({mg} mg); if you took more, fix it with `backcare edit {ref} "
    "--dose MG` or log with --tablets N."
)
PRESCRIBE_COMBINATION = "{product} combines several medicines: prescribe each one by its name"
EVERY_RANGE = "--every must be hours between doses, above 0 and at most 168, e.g. --every 8"
MAX_DAILY_POSITIVE = "--max-daily must be milligrams above 0, e.g. --max-daily 2400"
MAX_DAILY_BELOW_DOSE = "--max-daily must be at least --dose"
DAYS_OR_UNTIL = "give either --days or --until, not both"
COURSE_DAYS_RANGE = "--days must be a whole number of days from 1 to 366"
UNTIL_BEFORE_FROM = "the prescription must end after it starts (--until after --from)"
NO_PRESCRIPTION = "no prescription in force for that medicine"
NO_PRESCRIPTION_HINT = "`backcare meds list` shows your prescriptions"
PRESCRIBED = "Recorded {ref}: {what}."
STOPPED = "Stopped {ref}: {what}."
NO_PRESCRIPTIONS = "No prescriptions recorded."
# next-dose lines (`status`, `remind`)
DOSE_AMOUNTS = "{mg} of {max} mg in 24 h, {whose}"
DOSE_AMOUNTS_NO_MAX = "{mg} mg in 24 h, {whose}"
WHOSE_PRESCRIPTION = "your prescription"
WHOSE_LABEL = "the label"
NEXT_DOSE_ALLOWED = "next {drug} allowed {when} ({amounts})"
NEXT_DOSE_OVER_MAX = (
    "next {drug} not before {when}: over the 24 h maximum until {until} ({amounts})"
)
NEXT_DOSE_OVERDOSE = "no more {drug}: see the emergency flag ({amounts})"
NEXT_DOSE_NONE = "no next {drug} dose: one usual dose is over the maximum ({amounts})"
NEXT_DOSE_TEN_DAYS = "no next {drug} without a doctor: NSAIDs on more than {days} days ({amounts})"
NEXT_DOSE_NOW = "now"
NEXT_DOSE_TOMORROW = "{time} tomorrow"
PRESCRIPTION_IN_FORCE = "in force"
PRESCRIPTION_ENDED = "ended"
WRITE_RAISED = "This change raised:"
RELAXANT_KNOWN = "--relaxant is for a medicine backcare does not know; {name} is known"
UNKNOWN_SYMPTOM = "unknown symptom code"
UNKNOWN_SYMPTOM_HINT = "codes: {codes} (`backcare symptom --list` shows the questions)"
SYMPTOM_REQUIRED = "name at least one symptom CODE, or use --list"
NOTE_TOO_LONG = "--note is too long (at most {limit} characters)"
NOTE_BAD_CHARS = "--note contains control characters"
BAD_ID = "not an entry id"
BAD_ID_HINT = (
    "use the id history shows: p12 (pain), t7 (treatment), s3 (symptom), c2 (check-in); "
    "r2 (prescription, `meds list`) or a1 (acknowledgement, `ack --list`)"
)
NO_SUCH_ID = "no entry {ref}"
NO_SUCH_ID_HINT = "`backcare history` lists the ids"
EDIT_NOTHING = "nothing to change"
EDIT_NOTHING_HINT = "give the fields to change, e.g. `backcare edit p12 --pain 5`"
EDIT_FIELD_NOT_FOR = "{option} does not apply to {kind} entries"
NOTHING_TO_UNDO = "nothing to undo"
BIRTH_YEAR_RANGE = "--birth-year must be a year between 1900 and this year"
NAME_INVALID = "--name must be one line of at most {limit} printable characters"
DATE_OF_BIRTH_INVALID = (
    '--date-of-birth must be a date YYYY-MM-DD between 1900-01-01 and today ("" clears it)'
)
HISTORY_CHOICES = "--history takes a comma-separated list of: {choices} (or none)"
YES_NO = "{option} must be yes or no"
REMIND_AT_BAD = "--remind-at must be a time of day as HH:MM, e.g. 20:00"
DAYS_POSITIVE = "--days must be a whole number of days, 1 or more"
RANGE_ORDER = "--from must be on or before --to"
RANGE_EXCLUSIVE = "use either --days or --from/--to, not both"
NEEDS_TERMINAL = "`backcare {command}` asks questions and needs a terminal"
NEEDS_TERMINAL_HINT = "use `backcare symptom CODE` (or --gone) from scripts"
INTERRUPTED = "interrupted; nothing was half-written"
# Only the exception's type is named: its text may quote SQL parameters (health data).
UNEXPECTED = "backcare hit an unexpected problem ({kind}); nothing was half-written"
UNEXPECTED_HINT = "set BACKCARE_DEBUG=1 to see the details, and please report it"

# --- confirmations ---------------------------------------------------------------------
DELETE_CONFIRM = "Delete {ref} ({summary})?"
DELETED = "Deleted {ref}. `backcare undo` brings it back."
NOT_DELETED = "Nothing deleted."
EDITED = "Updated {ref}. `backcare undo` restores the previous values."
PROFILE_SAVED = "Profile saved."
NO_ENTRIES = "No entries in this period."
DEMO_INTRO = "A sample fortnight in a throw-away database ({path}); your own data is untouched."
RANGE_TOO_LONG = "that period is too long (20 years at most)"
UNKNOWN_TOPIC = "unknown guide topic"
UNKNOWN_TOPIC_HINT = "topics: {topics}"
CHECKIN_INTRO = (
    "Answer each question y (yes), n (no) or s (skip). The answers are saved as one "
    "check-in; a yes counts as reporting that symptom. A no does not withdraw an earlier "
    "report: `backcare symptom CODE --gone` does."
)
CHECKIN_PROMPT = "{question} [y/n/s]"
CHECKIN_NONE = "Nothing recorded."

# --- reminders (backcare remind; domain/reminders.py, schedule.py, cli/remind.py) -------
REMIND_LINE = "backcare: {id}: {text}"
REMIND_LOG_TODAY = "you have not logged your pain today (backcare log PAIN)"
REMIND_CHECKIN_72H = (
    "your episode is {hours} h old and no pain was logged in the last 24 h: log your pain "
    "now so backcare can check whether self-care is working (backcare log PAIN)"
)
REMIND_FOLLOW_UP = "{level}: {title}. {advice} (see backcare check)"  # level: "urgent", …
REMIND_REAPPLY = (
    "your last {kind} application ended at {ended}: you can apply {kind} again now if it "
    "helps (up to {minutes} minutes)"
)
REMIND_NOTIFY_TITLE = "backcare"
REMIND_OPTIONS_WITH_COMMAND = "--as-of, --notify and --json go with `backcare remind` alone"
REMIND_OPTIONS_WITH_COMMAND_HINT = "e.g. `backcare remind --as-of now --json`"
REMIND_AT_INSTALL_BAD = "--at must be a time of day as HH:MM, e.g. 20:00"
REMIND_BAD_PATH = "cannot schedule {path}: the path contains a line break"
REMIND_BAD_PATH_HINT = "move the database (or backcare) to a path without line breaks"
CRONTAB_FAILED = "could not read or write your crontab ({reason})"
CRONTAB_FAILED_HINT = (
    "is cron installed? `backcare remind install --print` shows a systemd user timer instead"
)
CRONTAB_FILE_BAD = "could not read or write the crontab file {path}"
CRONTAB_UNPARSABLE = "your crontab has a line backcare cannot read; nothing was changed"
CRONTAB_UNPARSABLE_HINT = (
    "add the lines of `backcare remind install --print` with `crontab -e` instead"
)
REMIND_INSTALLED = "Installed {count} crontab {entries} (running again replaces {them}):"
REMIND_INSTALL_EARLY = (
    "note: `log-today` is due only from {first} (profile set --remind-at); a run at {at} "
    "reports the other items only"
)
REMIND_UNINSTALLED = "Removed {count} backcare crontab {entries}; other entries were kept."
REMIND_NONE_INSTALLED = "No backcare reminder is installed in your crontab."
REMIND_PRINT_CRON = "# crontab entries (add with `crontab -e`, or run `backcare remind install`):"
REMIND_PRINT_SYSTEMD = "# or, without cron, a systemd user timer: save these two files"
REMIND_PRINT_SYSTEMD_ENABLE = (
    "# then: systemctl --user daemon-reload && systemctl --user enable --now backcare-remind.timer"
)
REMIND_SYSTEMD_DESCRIPTION = "backcare self-care reminders"
DEMO_NEXT = (
    "That was a sample. Start your own log with `backcare log PAIN`, e.g. `backcare log 6 "
    "--spasms 2`; `backcare guide` has self-care advice."
)

# --- exports and report (backcare export, import, report; cli/exports.py) -----------------
EXPORT_HELP = (
    "Export your log: xlsx (spreadsheets), csv, json (everything, for backup or another machine), "
    "fhir (a FHIR R4 Bundle for clinical systems)."
)
EXPORT_WROTE = "Wrote {path} (readable only by you)."
OUTPUT_WRITE_FAILED = "could not write {path} ({reason}); it was left as it was"
OUTPUT_IS_SYMLINK = "{path} is a symbolic link; backcare does not write through links"
OUTPUT_IS_SYMLINK_HINT = "give -o the file's real name, or a new file name"
FHIR_BUNDLE_CHOICES = "--bundle must be collection or transaction"
FHIR_PATIENT_REF_INVALID = "--patient-ref must be a FHIR Patient reference like Patient/123"
FHIR_PATIENT_REF_HINT = (
    "use the id the receiving record system gave the patient (Patient/ID, a full URL "
    "ending in Patient/ID, or urn:uuid:...)"
)
XLSX_NEEDS_FILE = "an xlsx workbook is written to a file: give -o FILE.xlsx"
OUTPUT_WRITE_FAILED_HINT = "check that the folder exists and is writable and the disk has space"
STDOUT_WRITE_FAILED = "could not write the output ({reason})"
SAVED_NOT_PRINTED = "saved, but could not print the result ({reason}); do not enter it again"
STDOUT_CLOSED = "standard output is closed"
STDOUT_ENCODING = "the terminal cannot show some characters"
OUTPUT_IS_DATABASE = "{path} is your backcare database; writing there would destroy it"
OUTPUT_IS_DATABASE_HINT = "give -o another file name, e.g. -o backcare-export.json"
IMPORT_FILE_MISSING = "no file at {path}"
IMPORT_FILE_MISSING_HINT = "give the path of a file written by `backcare export json|csv`"
IMPORT_FILE_NOT_FILE = "{path} is a folder, not a file"
IMPORT_FILE_UNREADABLE = "cannot read {path} ({reason})"
IMPORT_NOT_TEXT = "(the file is not UTF-8 text)"
IMPORT_DONE = "Imported {what} from {source}."
IMPORT_DRY_RUN = "Would import {what} from {source}; nothing was written (--dry-run)."
IMPORT_NOTHING = "Nothing new in {source}: {count} already in the database."
IMPORT_EMPTY = "No entries in {source}."
IMPORT_SPAN = "They span {first} to {last}."
IMPORT_DELETED = "{count} of them {are} deleted in the export and {stay} deleted."
IMPORT_SKIPPED = "Skipped {count} already in the database (same uid)."
IMPORT_PROFILE_APPLIED = "The file's profile {verb} saved: this database had none."
IMPORT_PROFILE_KEPT = (
    "The file's profile was not applied: this database has its own (`backcare profile show`)."
)
IMPORT_STDIN = "standard input"
IMPORT_DRY_RUN_NOTHING = "Nothing was written (--dry-run)."
REPORT_FORMAT_CHOICES = "--format must be html or md"
REPORT_DAYS_RANGE = "--days must be a whole number of days from 1 to {limit}"
REPORT_WROTE = "Wrote the report to {path} (readable only by you)."

# --- database maintenance ----------------------------------------------------------------
DB_CHECK_OK = "{path}: sound ({mode}; schema {revision}; {entries})."
DB_CHECK_FAILED = "the database {path} failed its check: {problems}"
DB_CHECK_FAILED_HINT = "`backcare db restore FILE` puts a backup back (the current file is kept)"
DB_CHECK_CLOCK_HINT = (
    "the file is sound, but has times later than now: is this computer's clock set back? "
    "Correct the clock; do not restore a backup (entries since it would be lost)"
)
DB_CHECK_VALUES_HINT = (
    "the file itself is sound; the rows named break backcare's rules "
    "(`backcare export json` still gets everything out)"
)
DB_CHECK_INTEGRITY = "SQLite {mode}: {detail}"
DB_CHECK_TORN = "the file ends part-way through a page: it was cut short"
DB_CHECK_OLDER = (
    "schema {revision} is older than {head}; the next command upgrades it (after a backup)"
)
DB_CHECK_FINDING = "{table}: {count} {rows} {what}{ids}"
DB_CHECK_ROWS = ("row", "rows")
DB_CHECK_IDS = " (id {ids})"
DB_CHECK_TABLE = "{table}: {what}"
ENTRIES = ("{n} entry", "{n} entries")
# `db check` findings: "<table>: <n> rows <what>"; never a stored value, only ids.
CHECK_TABLE_MISSING = "is missing"
CHECK_VERSION_ROWS = "(expected exactly 1)"
CHECK_VERSION_UNKNOWN = "with a revision this backcare lacks"
CHECK_TIME_MALFORMED = "with a malformed {column} (not UTC ISO text)"
CHECK_TIME_FUTURE = "with {column} in the future"
CHECK_TIME_EARLY = "with {column} before {year}"
CHECK_TEXT = "with a {column} longer than {limit} characters or holding control characters"
CHECK_UID = "with a malformed uid"
CHECK_NO_DRUG = "of medication without a drug"
CHECK_DRUG_NOT_MEDICATION = "with a drug or dose but no medication"
CHECK_BOOLEAN = "with {column} not 0/1"
CHECK_PROFILE_ID = "other than the one profile row (id 1)"
CHECK_BIRTH_YEAR = "with an impossible birth year"
DB_NO_ENTRIES = "no entries"
DB_BACKUP_DONE = "Backed up {path} to {target} ({entries}, verified, readable only by you)."
DB_BACKUP_EXISTS = "{path} already exists; backcare never overwrites a file"
DB_BACKUP_EXISTS_HINT = "give a new FILE name, or move the old file away"
DB_BACKUP_NO_DIR = "cannot write a backup to {path}: its folder does not exist"
DB_RESTORE_MISSING = "no file at {path}"
DB_RESTORE_MISSING_HINT = "give the path of a backup made by `backcare db backup`"
DB_RESTORE_NOT_BACKUP = "{path} is not a backcare backup"
DB_RESTORE_NOT_BACKUP_HINT = "give a file made by `backcare db backup` (or a *.bak beside the DB)"
DB_RESTORE_DAMAGED = "the backup {path} is damaged, so nothing was restored"
DB_RESTORE_DAMAGED_HINT = "try an older backup; `ls` the data folder for *.bak files"
DB_RESTORE_TOO_NEW = "the backup {path} was written by a newer backcare than this one"
DB_RESTORE_SAME = "{path} is the database itself; nothing to restore"
DB_RESTORE_CONFIRM = "Replace {path} ({current}) with {backup} ({entries})?"
DB_RESTORE_NEEDS_YES = "`db restore` replaces the database and needs confirmation"
DB_RESTORE_NEEDS_YES_HINT = "add --yes to restore without asking (the current file is kept)"
DB_RESTORE_DONE = "Restored {path} from {backup} ({entries})."
DB_RESTORE_KEPT = "The previous database was kept as {copy}."
DB_RESTORE_UPGRADE = "The backup has the older schema {revision}; the next command upgrades it."
DB_NOT_RESTORED = "Nothing restored."
DB_UPGRADE_CURRENT = "{path} is already up to date (schema {revision})."
DB_UPGRADED = "Upgraded {path} from schema {old} to {new}; the copy before is {backup}."
DB_PURGE_NONE = "No deleted entries to purge."
DB_PURGE_CONFIRM = "Remove {entries} deleted earlier, for good (undo cannot bring them back)?"
DB_PURGE_NEEDS_YES = "`db purge` deletes for good and needs confirmation"
DB_PURGE_NEEDS_YES_HINT = "add --yes to purge without asking"
DB_PURGED = "Purged {entries} deleted earlier."
DB_NOT_PURGED = "Nothing purged."

# --- Times as people type them (docs/time.md) ----------------------------------------------
# A time error is two lines of at most 80 columns: the message (the typed text cut to 24,
# domain/when.py echo) and one hint (tests/cli/test_time_error_width.py).
WHEN_HELP = "try 8am, yesterday 9pm, mon 18:00, 20 Nov 09:00, -90m (more: backcare --help)"
WHEN_UNKNOWN = '"{text}" is not a time backcare understands'
WHEN_TOO_FAR = '"{text}" is too far back'
WHEN_BAD_TIME = '"{text}": not a valid time of day'
WHEN_BAD_DATE = '"{text}": not a valid date'
WHEN_BEFORE = '"{text}" is before {year}'
WHEN_FUTURE = '--at "{text}" is in the future'
WHEN_FUTURE_HINT = "log what already happened: a past time, e.g. -2h or yesterday 9pm"
WHEN_AMBIGUOUS_DATE = '"{text}" is ambiguous: month/day?'
WHEN_AMBIGUOUS_DATE_HINT = "use ISO or the month's name: {readings}"
WHEN_AMBIGUOUS_DATE_ONE = "use ISO or the month's name, e.g. {readings}"
WHEN_GAP = '"{text}" does not exist (the clocks jump forward)'
WHEN_GAP_HINT = "in {zone}; give a time before or after it"
WHEN_TWICE = (
    "Note: {local} happens twice that night (the clocks go back); "
    "backcare took the first, UTC{offset}."
)
DATE_UNKNOWN = '{option} "{text}" is not a date backcare knows'
DATE_HELP = "use 2026-03-01, today, yesterday, monday, 20 Nov, Nov 20, -7d or 2 weeks ago"
TIME_GRAMMAR_EPILOG = (
    "\b\nTimes (--at, --as-of) and days (--from, --to) as you would say them:\n"
    "  now, today             now (`--at today` = now)\n"
    "  yesterday              yesterday at this time of day\n"
    "  8:00, 8am, 9.30pm      today at that time (also noon, midnight)\n"
    "  today 8, yesterday 9am a day, then a time (`yesterday at 9pm` too)\n"
    "  this morning           08:00 (afternoon 14:00, evening 19:00)\n"
    "  last night             yesterday 22:00 (also yesterday morning...)\n"
    "  2h ago, 90 min ago     real time before now; also -90m, -2h30m, -3d, -1w\n"
    "  monday, mon 18:00      the most recent such moment, never in the future\n"
    "                         (on a Monday at 10:00, monday 18:00 is a week ago)\n"
    "  20 Nov 09:00           the most recent 20 Nov (Nov 20 9am, 20 Nov 2025)\n"
    "  2026-03-01 08:00       ISO 8601, with T and an offset if you like\n"
    "11/20 is refused (month/day or day/month?). A time the clocks skip in\n"
    "spring is refused; one that happens twice in autumn is the first, and\n"
    "backcare says so. Details: docs/time.md."
)

# --- Did you mean (cli/suggest.py) ---------------------------------------------------------
NO_SUCH_OPTION = "`{command}` has no option {option}"
OPTION_DID_YOU_MEAN = "did you mean {suggestion}? (`{command} -h` lists the options)"
SEE_OPTIONS = "`{command} -h` lists the options"
ARGUMENT_NOT_OPTION = "{metavar} is given without an option name"
ARGUMENT_NOT_OPTION_HINT = "write it on its own: `{command} {metavar}`"
NEGATIVE_VALUE = "{metavar} cannot be negative"
UNKNOWN_SYMPTOM_SUGGEST = "did you mean {code}? (`backcare symptom --list` shows every code)"
UNKNOWN_TOPIC_SUGGEST = "did you mean `backcare guide {topic}`? Topics: {topics}"
UNKNOWN_TREATMENT_SUGGEST = "did you mean {kind}?"

# --- delete, confirmations and output files (issue 15) -------------------------------------
DELETE_CONFIRM_MANY = "Delete these {count} entries?"
DELETE_NEEDS_YES = "delete needs confirmation"
DELETE_NEEDS_YES_HINT = "add --yes to delete without asking"
DELETED_MANY = "Deleted {refs}. `backcare undo` brings them all back."
OUTPUT_EXISTS = "{path} already exists; backcare does not overwrite it unless asked"
OUTPUT_EXISTS_HINT = "add --force to replace it, or give another file name"
OUTPUT_IS_LINK = "{path} is a symbolic link; backcare never writes through one"
REPORT_PDF = "backcare does not write PDF files"
REPORT_PDF_HINT = "write HTML (-o {stem}.html), open it in a browser and print it to PDF (one page)"
REPORT_SUFFIX = "the report format comes from the file name: {name} ends in neither .html nor .md"
REPORT_SUFFIX_HINT = "name the file .html or .md, or add --format html|md"
REPORT_FORMAT_MISMATCH = "--format {fmt} does not match the file name {name}"

# --- First run ----------------------------------------------------------------------------
NO_ENTRIES_YET = "No entries yet: start with `backcare log PAIN` (0-10), e.g. `backcare log 4`."

# --- Measures and goals (issue 16 part A: `backcare measure`, `backcare goals`) ------------
MEASURE_UNKNOWN = "unknown questionnaire"
MEASURE_UNKNOWN_HINT = "questionnaires: {names}"
MEASURE_DID_YOU_MEAN = "did you mean `backcare measure {name}`? Questionnaires: {names}"
MEASURE_ANSWER_COUNT = "{name} has {items}: --answers gave {given}"
MEASURE_ANSWER_COUNT_HINT = "give one answer per item, comma-separated, in the items' order"
MEASURE_ANSWER_RANGE = "{name} item {number}: the answer must be a whole number {low}-{high}"
MEASURE_ANSWERS_FORMAT = "--answers takes whole numbers separated by commas, e.g. 1,0,1"
MEASURE_NEEDS_ANSWERS = "`backcare measure {name}` asks its questions on a terminal"
MEASURE_NEEDS_ANSWERS_HINT = "from scripts, give --answers (one per item, comma-separated)"
MEASURE_NO_GOALS = "the Patient-Specific Functional Scale rates your own activities: none yet"
MEASURE_NO_GOALS_HINT = 'add up to 3 first: `backcare goals add "walk the dog"`'
MEASURE_RECORDED = "Recorded {ref}: {what}."
MEASURE_SCORE = "{name} score {score} of {maximum}"
MEASURE_SCORE_STARTBACK = (
    "{name} total {score} of {maximum}, psychosocial subscale {subscale} of 5: {risk} risk"
)
MEASURE_RISK_WORDS = {
    "low": "low",
    "medium": "medium",
    "high": "high",
}
MEASURE_INTRO = "{name}: {intro} Type `<` to go back to the previous question, Ctrl-C to stop."
MEASURE_QUESTION = "{number}/{count}. {text}"
MEASURE_SCALE = "{low}: {low_word} ... {high}: {high_word}"
MEASURE_OPTION = "  {value} = {word}"
MEASURE_PROMPT = "answer ({low}-{high})"
MEASURE_PROMPT_AGAIN = "please type a whole number {low}-{high} (or `<` to go back)"
MEASURE_COPYRIGHT = "{copyright}"
GOAL_TOO_MANY = "you have {limit} activities already (the most the scale rates)"
GOAL_TOO_MANY_HINT = (
    "remove one first: `backcare goals remove gN` (`backcare goals list` shows them)"
)
GOAL_EMPTY = "the activity cannot be empty"
GOAL_TOO_LONG = "the activity is too long (at most {limit} characters)"
GOAL_ADDED = "Added activity {ref}. `backcare measure psfs` rates it."
GOAL_REMOVED = "Removed activity {ref}: it is no longer asked."
GOAL_NONE = 'No activities yet: `backcare goals add "walk the dog"` adds one (up to 3).'
GOAL_LINE = "{ref:<5} {text}  (since {since})"
GOAL_DESCRIBED = "activity: {text}"
GOAL_DESCRIBED_ENDED = "activity: {text} (removed)"
GOAL_NOT_GOAL = "{ref} is not an activity: `goals remove` takes an ID like g2"

# --- Undo, redo and the action journal (issue 15) ------------------------------------------
NOTHING_TO_UNDO_HINT = "`db purge` and `db restore` clear what undo can revert"
NOTHING_TO_REDO = "nothing to redo"
NOTHING_TO_REDO_HINT = (
    "redo re-applies what `backcare undo` reverted, until something new is recorded"
)
UNDO_CONFLICT = "the entries changed since that action, so it cannot be reverted safely"
UNDO_CONFLICT_HINT = "`backcare undo --list` shows the recent actions"
UNDO_NEEDS_YES = "undo needs confirmation"
UNDO_NEEDS_YES_HINT = "add --yes to undo without asking"
UNDO_SHOW = "Undo: {what}"
UNDO_CONFIRM = "Undo it?"
NOT_UNDONE = "Nothing undone."
UNDONE = "Undone: {what}"
REDONE = "Redone: {what}"
UNDO_LIST_EMPTY = "Nothing to undo: no command has changed entries since the last purge or restore."
UNDO_LIST_UNDONE = "(undone)"
UNDO_ENTRIES = "{count} entries"
UNDO_MORE = "and {count} more"

# --- summary: the episode day (issue 15 "one truth") ---------------------------------------
SUMMARY_EPISODE_DAY = "Episode day {day} (onset {onset})."

# --- an unknown option before the command (issue 15) ---------------------------------------
OPTION_AFTER_COMMAND = "options of a command come after it: `{command} ... {option}`"

# --- Outcomes: measures due, change, phase (issue 16 part B) --------------------------------
MEASURE_NAMES = {
    "startback": "STarT Back",
    "rmdq": "Roland-Morris (RMDQ)",
    "psfs": "PSFS (your activities)",
}
MEASURE_POINTS = {
    "start": "start of the episode",
    "week-2": "week 2",
    "week-6": "week 6",
    "week-12": "week 12",
    "weekly": "weekly",
}
MEASURE_DUE_ONE = "{name} ({point})"
MEASURE_DUE_OPTIONAL = "{name} ({point}, optional)"
REMIND_MEASURE_DUE = "questionnaire due: {due} (backcare measure {commands})"
PHASE_NAMES = {
    "acute": "acute phase (under 6 weeks)",
    "subacute": "subacute phase (6 to 12 weeks)",
    "chronic": "chronic phase (over 12 weeks)",
}
VERDICT_WORDS = {
    "better": "meaningfully better",
    "no-change": "no meaningful change",
    "worse": "meaningfully worse",
}
CHANGE_ONE_SCORE = "{name} {score} on {date} (first score of this episode)"
CHANGE_VERDICT = "{name} {score} on {date}: {verdict} since the first score, {first} ({delta})"
CHANGE_NO_VERDICT = (
    "{name} {score} on {date}: {delta} since the first score, {first} (no published "
    "threshold confirmed for a verdict)"
)
CHANGE_STARTBACK = "{name} on {date}: {risk} risk (total {total} of 9, psychosocial {sub} of 5)"
STATUS_PHASE = "In the {phase}."
STATUS_MEASURES = "Questionnaires (this episode):"
STATUS_MEASURES_DUE = "questionnaire: {due} (backcare measure {commands})"
CHART_MEASURE_TITLE = "{name} by week (0-{top}, {direction}; latest score of each week)"
CHART_LOWER_BETTER = "lower is better"
CHART_HIGHER_BETTER = "higher is better"
CHART_MARK_LOWER = "| = meaningfully better than the first score ({first}): {target} or lower"
CHART_MARK_HIGHER = "| = meaningfully better than the first score ({first}): {target} or higher"
CHART_NO_MARK = "no mark: no published threshold for a meaningful change was confirmed"
CHART_STARTBACK_NOTE = "STarT Back: total 0-9; the risk group of each score beside it"
SUMMARY_MEASURES = "Questionnaires:"
REPORT_PHASE = "In the {phase}."
REPORT_MEASURES_HEADING = "Questionnaires (change since the first score)"
MEASURE_SHORT = {"startback": "STarT Back", "rmdq": "RMDQ", "psfs": "PSFS"}
CHANGE_SHORT_ONE = "{name} {score}"
CHANGE_SHORT = "{name} {score} (first {first}, {delta})"
CHANGE_SHORT_VERDICT = "{name} {score} (first {first}, {delta}: {verdict})"
CHANGE_SHORT_STARTBACK = "{name} {risk} risk ({total} of 9, psychosocial {sub} of 5)"
GUIDE_PHASE = "Your episode is in its {phase}: the topics for it come first."

# --- house2 (issue 19): the words that were still in cli/, the report and FHIR -------------
# What to do at each level, the first line of a banner and of every flag (cli/render.py).
LEVEL_ACTION = {
    "emergency": "EMERGENCY: call the emergency number or go to an emergency department now.",
    "urgent": "URGENT: contact a doctor or urgent care today.",
    "soon": "Book a doctor's appointment in the next days.",
    "routine": "Mention it at your next visit.",
    "caution": "Caution.",
    "info": "Tip.",
}
ERROR_PREFIX = "backcare: error: "
ACK_DESCRIBED = "acknowledgement of {rule}"
RX_DAILY_MAX = "at most {mg} mg in 24 h"
RELAXANT_MARK = "(muscle relaxant)"
FLAG_WHAT_TO_DO = "What to do:"
NO_ACTIVE_EPISODE = "No active episode (no pain above 0 in the last 7 days)."
CHECK_EPISODE = "Episode since {onset} ({days:.1f} days)."
CHECK_COURSE = "Pain: {baseline} at the start, {current} in the last 24 h."
NOTHING_TO_FLAG = "Nothing to flag."
RULE_COLUMNS = ("rule", "level", "fires when", "advice", "source")
HEAT_MAP_HEADER = "week of      Mo Tu We Th Fr Sa Su"
HEAT_MAP_KEY = "(mean pain per day, {no_data} = nothing logged)"
TREND_WORDS = {"up": "↑ worse", "down": "↓ better", "flat": "→ about the same"}
STATUS_TITLE = "backcare status, {at}"
STATUS_EPISODE = "Episode day {day}, since {onset}."
STATUS_LATEST = "Latest pain: {pain}/10 at {at}."
STATUS_TREND = (
    "Trend: {current} in the last 24 h vs {baseline} at the start ({change:+.1f} points, {arrow})."
)
STATUS_TREATMENTS = "Treatments today: {items}"
STATUS_LAST_14 = "Last 14 days: {spark}  (daily mean pain, {no_data} = not logged)"
STATUS_LOG_TODAY = "log today's pain: backcare log PAIN"
STATUS_REAPPLY = "{kind} can be reapplied {when}"
STATUS_OPEN_FLAGS = "Open flags (`backcare check` explains each):"
STATUS_NO_OPEN_FLAGS = "No open flags."
TIP_LINE = "Tip: {text} (more: backcare guide {topic})"
SUMMARY_TITLE = "Summary {start} to {end} ({days}, {logged} with pain logged)"
SUMMARY_PAIN = "Pain: mean {mean}, max {max}; {spasms}."
SUMMARY_PER_DAY = "Per day"
CHART_PAIN_TITLE = "Daily mean pain"
CHART_SPASMS_TITLE = "Spasms per day"
SUMMARY_HELPED = "What seemed to help (pain change from before to 1-6 h after):"
SUMMARY_NOTHING_HELPED = "nothing logged in this period"
GUIDE_INDEX = "Self-care guide. Read a topic with: backcare guide TOPIC"
WRITE_SEE_CHECK = "`backcare check` shows the details."
# `profile show`: label, then the value (or its absence).
PROFILE_LINES = (
    "birth year:       {birth_year}",
    "prior back pain:  {prior}",
    "history:          {history}",
    "remind at:        {remind_at}",
    "name:             {name}",
    "date of birth:    {date_of_birth}",
)
PROFILE_PRIOR = {None: "not answered", True: "yes", False: "no"}
PROFILE_NOT_SET = "not set"
PROFILE_NONE = "none"
PROFILE_REMIND_DEFAULT = "not set ({default})"
# `import`: what was added, by table (singular, plural), and the dry-run verbs.
IMPORT_KIND_WORDS = {
    "pain": ("pain entry", "pain entries"),
    "treatment": ("treatment", "treatments"),
    "symptom": ("symptom report", "symptom reports"),
    "checkin": ("check-in", "check-ins"),
    "acknowledgement": ("acknowledged flag", "acknowledged flags"),
    "measure": ("questionnaire", "questionnaires"),
    "goal": ("activity", "activities"),
}
IMPORT_WOULD_STAY = "would stay"
IMPORT_STAYS = ("stays", "stay")
IMPORT_PROFILE_VERBS = ("would be", "was")
# FHIR export: the texts a clinician reads beside the codes (export/fhir.py). The display
# names of the codes themselves (LOINC, HL7 categories) are code-system data and stay there.
FHIR_SPASMS_TEXT = "Back muscle spasms since the previous entry (count, self-reported)"
FHIR_RADIATES_HEADING = "Pain spreads to"
FHIR_PAIN_TEXT = "Pain severity (0-10)"
FHIR_RELIEF_NOTE = "Relief reported by the patient: {relief}/10"
FHIR_UNSPECIFIED_DRUG = "Unspecified medication"
FHIR_RELAXANT_NOTE = "Marked by the patient as a muscle relaxant"
FHIR_DURATION_NOTE = "Duration recorded: {minutes} minutes"
FHIR_STARTBACK_SUBSCALE = "Psychosocial subscale (items 5-9)"
FHIR_STARTBACK_RISK = "Risk group"
FHIR_SUBJECT_DISPLAY = "The patient who kept this self-care log"
FHIR_LOCATION_TEXT = {
    "lower": "Lower back",
    "middle": "Middle back",
    "upper": "Upper back",
    "neck": "Neck",
}
FHIR_RADIATES_TEXT = {
    "none": "Does not spread",
    "buttock": "Buttock",
    "thigh": "Thigh",
    "below-knee": "Leg below the knee",
}
FHIR_CARE_TEXT = {
    "ice": "Ice (cold) applied to the back",
    "heat": "Heat applied to the back",
    "stretching": "Stretching exercises",
    "walking": "Walking",
    "massage": "Massage",
    "physical-therapy": "Physical therapy",
    "compression": "Compression",
    "rest": "Rest",
    "chiropractic": "Chiropractic care",
    "other": "Other self-care",
}
# The visit report's fixed words (export/report.py keeps the names as aliases; the words of
# its HTML and Markdown templates are in the "words" block at the end of this module).
REPORT_MG_DAY_NOTE = (
    "mean mg/day taken: the total mg divided by the days the drug was taken with a dose "
    "amount logged (days without it are not counted as 0)."
)

REPORT_TITLE = "Back pain self-care log: visit summary"
REPORT_SELF_REPORTED = (
    "Self-reported by the patient in a self-care log (backcare). Not a diagnosis."
)
REPORT_FLAGS_NOTE = (
    "Flags: the log checked against published self-care guidance, not a clinical finding."
)
REPORT_NOT_RECORDED = "not recorded"
REPORT_NONE_REPORTED = "not recorded (no report either way in the log)"

# The questions a doctor may ask about back spasms (seed 003, docs/sources.md), in order.
REPORT_Q_FEEL = "How does the pain feel?"
REPORT_Q_WHERE = "Where is the pain felt?"
REPORT_Q_BLADDER = "Bowel or bladder incontinence?"
REPORT_Q_SPASM_LENGTH = "How long are the spasms?"
REPORT_Q_SPASM_OFTEN = "How often do spasms come?"
REPORT_Q_STIFF = "Any stiffness?"
REPORT_Q_TINGLING = "Tingling or numbness?"
REPORT_Q_WEAK = "Weak or clumsy with spasms?"
REPORT_Q_DRUGS = "Which drugs are taken?"
REPORT_LOCATION_WORDS = {
    "lower": "lower back",
    "middle": "middle back",
    "upper": "upper back",
    "neck": "neck",
}
REPORT_RADIATES_WORDS = {"buttock": "buttock", "thigh": "thigh", "below-knee": "below the knee"}
# The time grammar (domain/when.py).
DATE_OUT_OF_RANGE = "that date is outside what backcare handles ({first} to {last})"
LOCAL_TIME = "local time"  # a zone with neither a name nor an abbreviation
# The visit report's headings and empty sections, the same in HTML and Markdown.
REPORT_H_CHART = "Daily pain and spasms"
REPORT_H_FLAGS = "Flags at the time of this report"
REPORT_H_SYMPTOMS = "Warning-sign symptoms reported"
REPORT_H_MEDICINES = "Medicines"
REPORT_H_CARE = "Other self-care, and pain after it"
REPORT_H_QUESTIONS = "Questions a doctor may ask"
REPORT_NO_FLAGS = "No flags at the time of this report."
REPORT_NO_MEDICINES = "No medicines logged in this period."
REPORT_NO_CARE = "No other self-care logged in this period."
# Sentences around values (cli/render.py, cli/meds.py, cli/records.py).
LOGGED = "Logged {ref}: {what} at {at}.{note}"
ENTRY_AT = "{ref}: {what} at {at}"
FLAG_SOURCE = "Source: {source}"
CHECKIN_ASKED = "{questions} asked"
CHECKIN_PRESENT = "present: {codes}"
STATUS_TODAY = "Today: {entries}, mean {mean}, max {max}; {spasms}."
SUMMARY_RESPONSE = "  {key:<18} used {uses:>3}x, {pairs}: {change}{relief}"
RX_FROM = ", from {at}"
RX_UNTIL = " until {at}"

# --- Entry declarations (issue 19 "declared once": domain/entries.py) ----------------------
# `db check`'s value rules, one per form of a declared field (store/maintenance.py).
CHECK_RANGE = "with {column} outside {low}-{high}"
CHECK_MG = "with {column} not above 0 or above {high}"
CHECK_CHOICE = "with an unknown {column}"
CHECK_MISSING = "without a {column}"
CHECK_LIST = "with a malformed {column} list"
CHECK_NUMBERS = "with {column} not whole numbers separated by commas"
# `edit --help`: what each kind lets you change (derived from the declarations).
EDIT_HELP = (
    "Correct an entry. `backcare undo` restores the previous values. What can be edited: {fields}."
)
# --- Measures and goals declared (issue 19 wave 2) ------------------------------------------
GOAL_BAD_CHARS = "the activity contains control characters"
# --- Review of today's questionnaires, goals and imports (wave 3 review) ---------------------
IMPORT_GOALS_TOO_MANY = (
    "the file would make more than {limit} activities active at once (the most the scale rates)"
)
IMPORT_GOALS_TOO_MANY_HINT = "remove activities first (`backcare goals list` shows them)"
# The measures due as the names to type: "startback", "startback or rmdq",
# "startback, rmdq or psfs".
MEASURE_DUE_COMMANDS_OR = "{first} or {last}"
# import: a goal's ended_at before its own start (export/importer.py).
IMPORT_GOAL_ENDS_BEFORE = "is before the goal's 'at'"

# --- Import: a questionnaire's answer count, worded for the file (not `--answers`) ---------
IMPORT_MEASURE_ANSWER_COUNT = "{name} has {items}: the file gives {given}"

# --- A PSFS compared across different activities (lead, session 4) -------------------------
CHANGE_OTHER_ACTIVITIES = (
    "{name} {score} on {date}: {delta} since the first score, {first} (rated on other "
    "activities than the first score: no verdict)"
)

# --- words (issue 19: the last words outside this module) ---------------------------------
# Counted nouns, (one, many) for `count_of` / `plural`.
NOUN_DAY = ("day", "days")
NOUN_ENTRY = ("entry", "entries")
NOUN_SPASM = ("spasm", "spasms")
NOUN_PAIR = ("pair", "pairs")
NOUN_NOTE = ("note", "notes")

# `summary` and the report: what a treatment's before/after pain can and cannot say.
ASSOCIATION_CAVEAT = (
    "Treatment response is an association in your own log, not proof that a treatment "
    "helped: pain changes on its own, and you may treat when pain is at its worst."
)
NOT_ENOUGH_DATA = "not enough data"

# ## The visit report (export/report.py): its HTML and Markdown templates' words ##########
# The headings, titles and fixed sentences are above (REPORT_TITLE ... REPORT_NO_CARE); the
# words of both formats are one string each, so HTML and Markdown cannot say it two ways.
REPORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
REPORT_PAGE_TITLE = "{title} {start} to {end}"
# The header's labels (HTML "<b>Period:</b>", Markdown "**Period:**").
REPORT_L_PERIOD = "Period"
REPORT_L_MADE = "Made"
REPORT_L_EPISODE = "Episode"
REPORT_L_BACKGROUND = "Background (self-reported)"
REPORT_PERIOD = "{start} to {end} ({days}); pain logged on {logged} ({entries})"
REPORT_PERIOD_PAIN = ", mean {mean}/10, range {low}–{high}"
REPORT_NO_EPISODE = "No active episode (no pain above 0 in the {days} days before this report)."
REPORT_EPISODE_ONSET = "Onset {onset}; day {day} ({hours} h)."
REPORT_EPISODE_BASELINE = "Pain in the first {hours} h: {pain}/10."
REPORT_EPISODE_CURRENT = "In the last {hours} h: {pain}/10."
REPORT_EPISODE_NOTE = "Onset note: “{note}”"
REPORT_BORN = "born {year} (about {age})"
REPORT_PRIOR_BACK_PAIN = "back pain before: {answer}"  # PROFILE_PRIOR's yes/no
REPORT_HISTORY = "history: {conditions}"
# A quoted note: "5 Mar: “text”", "5 Mar, ice: “text”"; what a note belongs to.
REPORT_QUOTE = "{where}: “{text}”"
REPORT_NOTE_OF = "{day}, {what}"
REPORT_NOTE_PAIN = "pain"
REPORT_NOTE_SYMPTOM = "symptom {code}"
REPORT_NOTE_CHECKIN = "check-in"
REPORT_CHECKIN = "{day}: {asked} asked, {present}"  # CHECKIN_PRESENT / CHECKIN_NONE_PRESENT
REPORT_CHECKINS = "Check-ins: {lines}"
REPORT_H_NOTES = "Notes"
REPORT_NOTES_LEFT_OUT = "{count} earlier {notes} not shown."  # NOUN_NOTE
REPORT_NO_SYMPTOMS = "No warning-sign symptom reported in this period."
# Days in few words: "3–6 Mar, 9 Mar (5 days)", or "on 10 days, 1 Mar to 28 Mar".
REPORT_DAYS_COUNT = "{runs} ({days})"
REPORT_SPAN = "on {days}, {first} to {last}"
# The answers to the doctor's questions (REPORT_Q_*).
REPORT_FEEL = (
    "intensity {mean}/10 on average, from {low} to {high} ({entries}; worst {worst}). "
    "What it feels like (dull, sharp, burning, cramping): {character}"
)
REPORT_SEE_NOTES = "see the notes below"
REPORT_WHERE = "{where} ({count} of {entries})"
REPORT_LOCATION_NOT_RECORDED = "location " + REPORT_NOT_RECORDED
REPORT_WHERE_NOT_GIVEN = ", not given ({count})"
REPORT_SPREAD = "{where} ({count})"
REPORT_SPREADING = "; spreading to {places}"
REPORT_NOT_SPREADING = "; not spreading"
REPORT_SPREADING_NOT_RECORDED = "; spreading " + REPORT_NOT_RECORDED
REPORT_SPASM_LENGTH = REPORT_NOT_RECORDED + " (the log counts spasms, not how long they last)"
REPORT_SPASMS_OFTEN = (
    "{spasms} on {spasm_days} of {days} with a spasm count ({mean} a day; most {most} on {day})"
)
REPORT_NO_SPASMS = "no spasms ({days} with a spasm count)"
REPORT_STIFF = "mentioned in notes {days}"
REPORT_REPORTED = "reported {days}"
REPORT_REPORTED_ABSENT = "reported absent {days}"
REPORT_SYMPTOM_NOTE = "note {note}"
REPORT_SYMPTOM_SAID = "{code}: {said}"
REPORT_DRUG_RELAXANT = "{drug} (muscle relaxant)"
REPORT_DRUGS = "{drugs} (doses under " + REPORT_H_MEDICINES + ")"
REPORT_NO_DRUGS = "no medicines logged in this period"
REPORT_NOT_ENOUGH_PAIRS = NOT_ENOUGH_DATA + " ({pairs} of {needed})"
# The tables' column headers. The HTML page is one printed page, so its medicines table
# joins "first" and "last" in one column and shortens "max doses/day".
REPORT_COLUMNS = {
    "day": "day",
    "pain_mean": "pain mean",
    "pain_max": "pain max",
    "spasms": "spasms",
    "symptom": "symptom",
    "question": "question",
    "reported": "reported",
    "absent": "reported absent",
    "notes": "notes",
    "drug": "drug",
    "days": "days",
    "doses": "doses",
    "max_doses": "max doses/day",
    "max_doses_short": "max/day",
    "mg_day_mean": "mean mg/day taken",
    "mg_day_max": "max mg/day",
    "first": "first",
    "last": "last",
    "first_last": "first–last",
    "care": "care",
    "uses": "uses",
    "minutes": "minutes",
    "relief": "relief",
    "pain_after": "pain after",
}
REPORT_RELAXANT = "relaxant"  # beside a drug in the medicines table: "(relaxant)"
REPORT_CARE_NOTE = (
    "Relief: own 0–10 rating, mean of {reliefs} or more. Pain after: mean change from the "
    "entry up to {before} h before to the one {after_min}–{after_max} h after (negative: less "
    "pain), from {pairs} or more pairs; an association in the log, not proof that the care "
    "helped."
)
# The chart: the SVG's title, axes and legend; the Markdown's text chart.
REPORT_CHART_TITLE = "Daily mean pain (0 to 10, line) and spasms per day (bars)"
REPORT_CHART_PAIN_AXIS = "pain (mean)"
REPORT_CHART_SPASM_AXIS = "spasms"
REPORT_CHART_PAIN_KEY = "daily mean pain (0–10, left)"
REPORT_CHART_SPASM_KEY = "spasms that day (right)"
REPORT_CHART_GAP_KEY = "a gap: no pain entry that day"
REPORT_MD_PAIN_LABEL = "Pain (daily mean, 0–10)"
REPORT_MD_SPASM_LABEL = "Spasms per day"
REPORT_MD_CHART_NOTE = (
    "{first} to {last}, one character a day; a blank is a day without a pain entry (pain) or "
    "without spasms (spasms)."
)

# ## The workbook (export/xlsx_export.py) ###################################################
# The sheets, and their header row (units in the name where there is one). `import` reads
# the Entries header back (export/importer.py), so a change here is a change of the format.
XLSX_TITLE = "backcare log"
XLSX_COMMENTS = REPORT_SELF_REPORTED  # one wording of it, as on the report
XLSX_ENTRIES_SHEET = "Entries"
XLSX_DAYS_SHEET = "Days"
XLSX_ENTRY_HEADERS = {
    "date": "date",
    "time": "time",
    "timestamp": "timestamp (ISO 8601)",
    "type": "type",
    "pain": "pain (0-10)",
    "spasms": "spasms (count)",
    "location": "location",
    "radiates": "radiates",
    "treatment": "treatment",
    "drug": "drug",
    "dose_mg": "dose (mg)",
    "minutes": "duration (min)",
    "relief": "relief (0-10)",
    "symptom": "symptom",
    "present": "present",
    "note": "note",
    "uid": "uid",
    "relaxant": "relaxant",
    "product": "product",
    "instrument": "questionnaire",
    "score": "score",
    "answers": "answers",
    "goals": "activities rated",
}
XLSX_DAY_HEADERS = {
    "date": "date",
    "pain_entries": "pain entries (count)",
    "pain_mean": "pain mean (0-10)",
    "pain_max": "pain max (0-10)",
    "spasms": "spasms (count)",
    "treatments": "self-care (kind count)",
    "symptoms": "symptoms present",
    "symptoms_gone": "symptoms gone",
}
XLSX_DRUG_DOSES = "{drug} (doses)"
XLSX_DRUG_MG = "{drug} (mg)"

# --- peg ---
# PEG is no longer asked (issue 16): its terms of use could not be confirmed. Stored PEG
# scores keep this label wherever they are shown (domain/instruments RETIRED).
MEASURE_RETIRED_NAME = "{name} (no longer asked)"
MEASURE_RETIRED = "{name} is no longer included: terms of use could not be confirmed"
MEASURE_RETIRED_HINT = "available: {names}; stored {name} scores stay in history"
# The names shown for a stored PEG (status, summary chart, report); `history` labels it from
# MEASURE_RETIRED_NAME too (cli/render.py measure_summary).
MEASURE_NAMES["peg"] = MEASURE_RETIRED_NAME.format(name="PEG")
MEASURE_SHORT["peg"] = MEASURE_RETIRED_NAME.format(name="PEG")
# The report's questionnaire lines (issue 16 leftovers, export/report.py): the PSFS
# activities (user text, escaped by the page) with their first and latest rating, and a
# questionnaire of the period taken in an earlier episode.
REPORT_PSFS_GOALS = ": {goals}"
REPORT_PSFS_GOAL = "“{text}” {first} → {latest}"
REPORT_PSFS_GOAL_ONE = "“{text}” {latest}"
REPORT_EARLIER = "{line} on {day} ({where})"
REPORT_EARLIER_EPISODE = "an earlier episode, from {onset}"
REPORT_OUTSIDE_EPISODE = "before this episode, outside any episode"
REPORT_STARTBACK_NOT_NOW = (
    "; a risk group belongs to the episode it was measured in: no advice from it now"
)

# --- types ---
# `profile set --help`, by the profile field each option sets (domain/entries PROFILE);
# {choices}: the field's declared values.
PROFILE_SET_HELP = {
    "prior_back_pain": "Back pain before this episode?",
    "history": "{choices} (or none).",
    "remind_at": "Reminder time (repeatable).",
    "name": 'Your name, for the FHIR export\'s Patient (optional; "" clears it).',
    "date_of_birth": (
        'Your date of birth YYYY-MM-DD, for the FHIR Patient (optional; "" clears it).'
    ),
}
# A list's last two values ("lower, middle, upper or neck").
LIST_OR = "{first} or {last}"
# `treat --help`, KIND: the kinds of care and the medicines backcare knows (declared).
TREAT_KIND_HELP = (
    '{care}; a drug ({drugs}) or a product (Tylenol, Advil, "Tylenol Extra Strength", '
    '"ibuprofen 200mg", Excedrin...); or medication --drug NAME.'
)

# --- tput: the importer's words (export/importer.py; issue 19) -----------------------------
# A file that is not an export, and where in a file a problem is.
IMPORT_NOT_AN_EXPORT = (
    "not a backcare export: expected a JSON or CSV file written by `backcare export json|csv`"
)
IMPORT_NOT_AN_EXPORT_HINT = "Export with `backcare export json -o FILE` and import that file."
IMPORT_NOT_JSON = "{not_export} (this file is not valid JSON: line {line})"
IMPORT_NEWER = (
    "this export was written by a newer backcare (format version {version}); "
    "upgrade backcare to import it"
)
IMPORT_DAILY_CSV = (
    "this is a daily summary CSV (export csv --daily), which cannot be imported: "
    "import the CSV of events (export csv) or the JSON export"
)
IMPORT_THE_FILE = "the file"
IMPORT_AN_ENTRY = "an entry of the file"
IMPORT_OBJECT = "{where}: must be an object"
IMPORT_OBJECT_OR_NULL = "{where}: must be an object or null"
IMPORT_MALFORMED_CSV = "{where}: malformed CSV"
IMPORT_CELLS = "{where}: has {cells} cells, the header has {header}"
IMPORT_BEYOND_HEADER = "{where}: has cells beyond the header"
IMPORT_MEASURE_ROW_EMPTY = "{where}, field '{column}': must be empty in a measure row"
IMPORT_GOALS_JSON = "{where}, field 'goals': must be a JSON list of texts"
# What is wrong with one field (after "item N (events[N-1]), field 'NAME': ").
IMPORT_IS_MISSING = "is missing"
IMPORT_VERSION_MISSING = "is missing or not a whole number"
IMPORT_MUST_BE = "must be {what}"
IMPORT_MUST_BE_A = "must be a {noun}"
IMPORT_WHOLE_NUMBER = "must be a whole number from {low} to {high}"
IMPORT_MILLIGRAMS = "must be a number of milligrams above 0 and at most {high}"
IMPORT_YES_NO = "must be yes or no"
IMPORT_TRUE_FALSE = "must be true or false"
IMPORT_TRUE_FALSE_NULL = "must be true, false or null"
IMPORT_ONE_OF = "must be one of {choices}"
IMPORT_TEXT = "must be text"
IMPORT_TOO_LONG = "is longer than {limit} characters"
IMPORT_CONTROL = "contains control characters"
IMPORT_LIST = "must be a list"
IMPORT_LIST_OF = "must be a list of: {choices}"
IMPORT_CODES = "must be a list of symptom codes, each once"
IMPORT_LINES = "must be a list of text lines"
IMPORT_NUMBERS = "must be a list of whole numbers"
IMPORT_TEXTS = "must be a list of at most {most} texts"
IMPORT_TIMES = "must be a list of times HH:MM"
IMPORT_UUID = "must be a UUID"
IMPORT_TIME = "must be an ISO 8601 date and time with a UTC offset"
IMPORT_TOO_EARLY = "is before {year}"  # values.EARLIEST_YEAR
IMPORT_DATE = "must be a date YYYY-MM-DD"
IMPORT_DATE_AMBIGUOUS = "is ambiguous (day and month could be swapped): use YYYY-MM-DD"
IMPORT_NOT_THE_TIMESTAMP = "does not match the timestamp"
IMPORT_NAME_ONE_LINE = "must be a name on one line"
IMPORT_NOT_A_FIELD = "is not a field of a {kind}"
IMPORT_NOT_AN_EXPORT_FIELD = "is not a field of a backcare export"
IMPORT_NOT_A_PROFILE_FIELD = "is not a field of the profile"
IMPORT_EMPTY_IN = "must be empty in a {kind} row"
IMPORT_UID_TWICE = "the same uid is already used at {first}"
# Rules across fields.
IMPORT_MEDICATION_NEEDS = "is required for a medication"
IMPORT_MEDICATION_ONLY = "is only for a medication"
IMPORT_CODES_ASKED = "must list only codes that were asked"
IMPORT_PSFS_GOALS = "PSFS rates 1-{most} activities; others none"
IMPORT_ACTIVITY = "must be a short activity text"

# --- house3 (issue 19 leftovers) ---------------------------------------------------------
# `import`: a time values.time_problem finds after the clock (field 'at' is in the future).
IMPORT_IN_FUTURE = "is in the future"
# `import`: a date of birth outside what `profile set --date-of-birth` takes.
IMPORT_DATE_OF_BIRTH = "must be a date from {earliest} to today"
# `db check`: a profile row's date of birth that is not a date from 1900-01-01 to today.
CHECK_DATE_OF_BIRTH = "with an impossible date of birth"

# --- lead: db check of the profile's lists (session 5) ------------------------------------
CHECK_REMIND_AT = "with a reminder time not HH:MM"
CHECK_HISTORY = "with a history item backcare does not know"

# --- review (session 5) ---
# Ctrl-C after the command's change was committed (cli/failing.interrupted).
SAVED_INTERRUPTED = "saved, then interrupted before the result was printed; do not enter it again"

# --- polish ---
# A JSON export with a top-level key given twice (export/importer.py).
IMPORT_KEY_TWICE = "not a backcare export: the file gives the top-level key {key} twice"
# `goals add` with no visible character (a zero-width space, a direction mark alone).
GOAL_INVISIBLE = "the activity has no visible character"
# `--db=` with nothing after it (an unset variable): bad input (cli/context.db_option).
DB_OPTION_EMPTY = "--db is empty: it needs the path of a database file"
DB_OPTION_EMPTY_HINT = "give --db PATH, or leave --db out to use $BACKCARE_DB or the default"
