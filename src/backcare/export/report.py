"""The visit report: one page a doctor can read in a minute, as HTML or Markdown.

`report_data` (pure) turns the loaded period into a `ReportData`; `render_html` and
`render_markdown` only format it. No clock, no database, no terminal, no dependency: the
page is built with string formatting, and every piece of text that comes from data (notes,
drug names, flag texts, numbers) goes through `html.escape` (HTML) or `md_escape` (Markdown).

Contents, in reading order: the period and how much was logged; the episode (onset,
duration, pain at onset and now); a chart of daily pain and spasms; the current flags; every
warning-sign symptom reported, with dates; medicines (days used, doses and mg per day);
other self-care and how pain changed after it; and the questions a doctor asks about back
spasms (seed 003, docs/sources.md), answered from the log where it can be and "not
recorded" where it cannot. "Self-reported, not a diagnosis" is at the top of the page.

The HTML is one self-contained file: inline CSS and an inline SVG chart, no script, no
external resource (a Content-Security-Policy forbids loading any). Print CSS sets no paper
size, so it prints on the printer's paper: the layout is sized for the smaller of A4 and US
Letter (210 x 279 mm) with 12 mm margins, and a 30-day log fits one page on both.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from backcare import messages as msg
from backcare.domain.drugs import MUSCLE_RELAXANT, drug_class
from backcare.domain.episodes import Course, episode_day, episode_onset
from backcare.domain.model import (
    CheckIn,
    Flag,
    History,
    PainEntry,
    Profile,
    SymptomReport,
    Treatment,
)
from backcare.domain.numbers import mean_str, round_half_up, whole
from backcare.domain.outcomes import (
    PSFS,
    STARTBACK,
    Change,
    Scored,
    changes,
    delta_str,
    phase_of,
    score_str,
    scores_since,
)
from backcare.domain.summary import (
    MIN_PAIRS,
    MIN_RELIEFS,
    RESPONSE_AFTER_MAX,
    RESPONSE_AFTER_MIN,
    RESPONSE_BEFORE,
    Summary,
)
from backcare.domain.symptoms import SYMPTOM_QUESTIONS
from backcare.domain.thresholds import BASELINE_WINDOW, CURRENT_WINDOW, EPISODE_GAP
from backcare.domain.values import DIRECTION_MARKS, DRUG_NAME_LIMIT
from backcare.export.csv_export import format_number
from backcare.messages import count_of, plural

# --- Words of the page -------------------------------------------------------------------
MG_DAY_NOTE = msg.REPORT_MG_DAY_NOTE
TITLE = msg.REPORT_TITLE
SELF_REPORTED = msg.REPORT_SELF_REPORTED
FLAGS_NOTE = msg.REPORT_FLAGS_NOTE
NOT_RECORDED = msg.REPORT_NOT_RECORDED
NONE_REPORTED = msg.REPORT_NONE_REPORTED

# The questions a doctor may ask about back spasms (seed 003, docs/sources.md), in order.
Q_FEEL = msg.REPORT_Q_FEEL
Q_WHERE = msg.REPORT_Q_WHERE
Q_BLADDER = msg.REPORT_Q_BLADDER
Q_SPASM_LENGTH = msg.REPORT_Q_SPASM_LENGTH
Q_SPASM_OFTEN = msg.REPORT_Q_SPASM_OFTEN
Q_STIFF = msg.REPORT_Q_STIFF
Q_TINGLING = msg.REPORT_Q_TINGLING
Q_WEAK = msg.REPORT_Q_WEAK
Q_DRUGS = msg.REPORT_Q_DRUGS

BLADDER_CODES = ("bladder", "bowel")
NUMBNESS_CODES = (
    "leg-numbness",
    "saddle-numbness",
    "both-legs",
    "one-side-numbness",
    "sensation-loss",
)
WEAKNESS_CODES = ("limb-weakness", "walking-difficulty", "balance")
STIFF_WORD = "stiff"
BELOW_KNEE = "below-knee"

LOCATION_WORDS = msg.REPORT_LOCATION_WORDS
RADIATES_WORDS = msg.REPORT_RADIATES_WORDS

MAX_NOTES = 3  # pain notes quoted under "How does the pain feel?"
NOTE_CHARS = 90  # a quoted note is cut to this length
NOTES_SHOWN = 8  # other notes (every kind) in the Notes section, the newest
MAX_DAY_RUNS = 6  # a list of dates shows at most this many runs, then "... (N days)"
# On paper a symptom's days take less room: the table keeps the first and last run
# ("1 Mar, …, 28 Mar (10 days)") and an answer with more runs than this says how many days
# and between which dates, the table holding the runs (a month of scattered reports
# otherwise printed every list twice and ran the report to a third page).
PRINT_DAY_RUNS = 2

_MONTHS = msg.REPORT_MONTHS


# --- Data --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChartDay:
    day: date
    mean_pain: float | None  # None: no pain entry that day (a gap in the line, not a 0)
    max_pain: int | None
    spasms: int | None  # None: no spasm count recorded that day


@dataclass(frozen=True, slots=True)
class EpisodeInfo:
    onset: datetime  # local
    day: int  # the as-of day is day N of the episode (the onset's day is day 1)
    hours: float
    baseline: float | None  # mean pain in the first 24 h
    current: float | None  # mean pain in the last 24 h
    note: str | None = None  # the onset entry's note, cut (issue 15: onset notes)
    phase: str | None = None  # domain/outcomes.py: acute, subacute or chronic (issue 16)


@dataclass(frozen=True, slots=True)
class FlagLine:
    level: str
    title: str
    advice: str
    rule: str


@dataclass(frozen=True, slots=True)
class SymptomLine:
    code: str
    question: str
    present: tuple[date, ...]  # local days it was reported present
    gone: tuple[date, ...]  # local days it was reported gone
    notes: tuple[str, ...] = ()  # the newest report's note, "5 Mar: text" (cut), if any


@dataclass(frozen=True, slots=True)
class MedicationLine:
    drug: str
    relaxant: bool  # a muscle relaxant (known generic, or marked so by the patient)
    days_used: int
    doses: int
    max_doses_day: int
    mg_total: float | None  # None: no dose amount logged
    mg_day_mean: float | None  # mean mg per day used (days with a known amount)
    mg_day_max: float | None
    first: date
    last: date
    mean_relief: float | None
    mean_change: float | None


@dataclass(frozen=True, slots=True)
class CareLine:
    kind: str
    uses: int
    days_used: int
    minutes_total: int | None  # None: no duration logged
    mean_relief: float | None
    reliefs: int
    pairs: int
    mean_change: float | None  # None unless pairs >= MIN_PAIRS


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    recorded: bool  # False: the answer is (wholly) "not recorded"
    details: tuple[str, ...] = ()  # quoted notes, one per line


@dataclass(frozen=True)
class ReportData:
    as_of: datetime  # local
    start: date
    end: date
    days_logged: int
    entries: int
    mean_pain: float | None
    min_pain: int | None
    max_pain: int | None
    spasms: int
    spasm_days: int
    episode: EpisodeInfo | None
    background: tuple[str, ...]
    chart: tuple[ChartDay, ...]
    flags: tuple[FlagLine, ...]
    symptoms: tuple[SymptomLine, ...]
    medications: tuple[MedicationLine, ...]
    care: tuple[CareLine, ...]
    answers: tuple[Answer, ...]
    caveat: str = msg.ASSOCIATION_CAVEAT
    # one line per check-in in the period: "2026-03-02: 24 asked, none present"
    checkins: tuple[str, ...] = ()
    # the period's notes of every kind not quoted in the answers, newest last, each cut to
    # NOTE_CHARS ("20 Mar, naproxen: “with food”"); at most NOTES_SHOWN
    notes: tuple[str, ...] = ()
    notes_left_out: int = 0  # older notes beyond NOTES_SHOWN
    # issue 16: one line per questionnaire, its latest score and the change since the first
    # score of the episode (of the period without an episode), `describe_change_short`
    measures: tuple[str, ...] = ()

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1


# --- Building the data (pure) ------------------------------------------------------------


def report_data(
    *,
    history: History,
    profile: Profile,
    flags: Sequence[Flag],
    summary: Summary,
    course: Course | None,
    as_of: datetime,
    tz: tzinfo,
    checkins: Sequence[CheckIn] = (),
    onset_note: str | None = None,
    episode_history: History | None = None,
) -> ReportData:
    """The report for `summary`'s period; `history` holds (at least) the period's events.

    `episode_history`: what the rules read at `as_of` (services `_rules_history`, with each
    questionnaire's first score of the episode and latest score however old): the
    questionnaires' change since the episode's first score comes from it, as in `status`.
    Without it, or without an active episode (then the change is since the period's
    start), `history`.

    `flags` are the domain `Flag`s at `as_of` (most severe first); `course` the active
    episode's course at `as_of`, or None. `checkins` (the period's check-in records): each
    gives a line ("asked, none present" on its date), and its codes asked and absent show
    as "reported absent" on that date (a present answer is already a report in `history`).
    """
    start, end = summary.start, summary.end
    as_of = as_of.astimezone(tz)

    def in_period(moment: datetime) -> date | None:
        day = moment.astimezone(tz).date()
        return day if start <= day <= end and moment <= as_of else None

    pain = [(d, e) for e in history.pain if (d := in_period(e.at)) is not None]
    treatments = [(d, t) for t in history.treatments if (d := in_period(t.at)) is not None]
    reports = [(d, s) for s in history.symptoms if (d := in_period(s.at)) is not None]

    taken = [(d, c) for c in checkins if (d := in_period(c.at)) is not None]
    reports += [
        (d, SymptomReport(at=c.at, code=code, present=False))
        for d, c in taken
        for code in c.asked
        if code not in c.present
    ]
    symptoms = _symptom_lines(reports, pain)
    medications = _medication_lines(treatments, summary)
    care = _care_lines(treatments, summary)
    chart = tuple(ChartDay(d.day, d.mean_pain, d.max_pain, d.spasms) for d in summary.days)
    scores = [e.pain for _, e in pain]
    answers = _answers(pain, symptoms, medications, chart, summary.days_logged)
    # The onset entry's note: in the Episode line when the onset is before the period (in
    # the period, the Notes section or an answer quotes it like any pain note).
    episode = _episode(course, as_of, tz)
    if episode is not None and onset_note and onset_note.strip() and episode.onset.date() < start:
        episode = replace(episode, note=_cut(onset_note))
    notes = _notes(pain, treatments, reports, taken, quoted={q for a in answers for q in a.details})
    return ReportData(
        as_of=as_of,
        start=start,
        end=end,
        days_logged=summary.days_logged,
        entries=len(scores),
        mean_pain=sum(scores) / len(scores) if scores else None,
        min_pain=min(scores, default=None),
        max_pain=max(scores, default=None),
        spasms=sum(d.spasms or 0 for d in chart),
        spasm_days=sum(1 for d in chart if d.spasms),
        episode=episode,
        background=_background(profile, as_of),
        chart=chart,
        flags=tuple(FlagLine(f.level, f.title, f.advice, f.rule) for f in flags),
        symptoms=symptoms,
        medications=medications,
        care=care,
        answers=answers,
        checkins=tuple(_checkin_line(d, c) for d, c in taken),
        notes=tuple(notes[-NOTES_SHOWN:]),
        notes_left_out=max(0, len(notes) - NOTES_SHOWN),
        measures=_measure_lines(
            episode_history if episode_history is not None and course is not None else history,
            course,
            start,
            as_of,
            tz,
            period=history,
        ),
    )


def _measure_lines(
    history: History,
    course: Course | None,
    start: date,
    as_of: datetime,
    tz: tzinfo,
    *,
    period: History | None = None,
) -> tuple[str, ...]:
    """The questionnaires' lines: since the episode's onset, else since the period's start.

    With an active episode, a questionnaire of the report's period taken before its onset
    (an earlier episode: after 7 days without pain) follows, its latest score marked with
    its day and that episode's onset (`_earlier_lines`). A STarT Back's risk group belongs
    to the episode it was measured in: the stratified advice (the flags) follows the
    current episode's only, and the line says so. The PSFS line names each activity rated
    with its first and latest rating (`_activities`)."""
    period_start = datetime.combine(start, time(0), tz)
    since = course.onset if course is not None else period_start
    # with an episode, the counts include the scores a long episode's loader left out
    uncounted = dict(history.elided_measures) if course is not None else None
    found = changes(scores_since(history, since, as_of), uncounted)
    lines = [
        describe_change_short(c) + _activities(history, since, as_of)
        if c.instrument == PSFS
        else describe_change_short(c)
        for c in found
    ]
    if course is not None:
        source = period if period is not None else history
        lines += _earlier_lines(history, source, course, period_start, as_of, tz)
    return tuple(lines)


def _earlier_lines(
    history: History,
    period: History,
    course: Course,
    period_start: datetime,
    as_of: datetime,
    tz: tzinfo,
) -> list[str]:
    """Per earlier episode (its onset from `history`, which reaches further back than the
    period) and instrument, the latest score of the period before the current onset: "STarT
    Back high risk (...) on 5 Nov (an earlier episode, from 4 Nov; ...)"."""
    earlier = [s for s in scores_since(period, period_start, as_of) if s.at < course.onset]
    by_episode: dict[datetime | None, list[Scored]] = {}
    for s in earlier:
        by_episode.setdefault(episode_onset(history, s.at), []).append(s)
    lines = []
    for onset, scores in sorted(by_episode.items(), key=lambda kv: kv[1][0].at):
        for c in changes(scores):
            latest = Change(c.instrument, c.latest, c.latest, 1, None)
            day = day_text(c.latest.at.astimezone(tz).date())
            if onset is None:
                where = msg.REPORT_OUTSIDE_EPISODE
            else:
                where = msg.REPORT_EARLIER_EPISODE.format(
                    onset=day_text(onset.astimezone(tz).date())
                )
            if c.instrument == STARTBACK:
                where += msg.REPORT_STARTBACK_NOT_NOW
            lines.append(
                msg.REPORT_EARLIER.format(line=describe_change_short(latest), day=day, where=where)
            )
    return lines


# An activity's text is cut to this length on the page, at a word's end: three activities of
# the most a goal holds (120) with a full 12-week set must keep the report on one page
# (tests/test_report_outcomes.py; 28 ran over on Letter). The exports keep the whole text.
REPORT_GOAL_CHARS = 24


def _goal_text(text: str) -> str:
    """A PSFS activity (user text) on one line, cut to fit at a word's end (see _inline)."""
    return _inline(text, REPORT_GOAL_CHARS, at_word=True)


def _inline(text: str, limit: int, *, at_word: bool = False) -> str:
    """User text the report quotes inline (an activity, a note): on one line, without
    control characters, at most `limit` long (cut at a word's end where one is near when
    `at_word`). Without direction marks too: one left open (or cut off with the end of the
    text) would reorder what follows it on the page ("2 → 5" drawn "5 → 2"). Right-to-left
    letters would draw the numbers after them reversed as well (the Unicode bidi
    algorithm): such text is isolated (FSI...PDI) from what follows."""
    flat = "".join(
        c
        for c in " ".join(text.split())
        if unicodedata.category(c) != "Cc" and c not in DIRECTION_MARKS
    )
    if len(flat) > limit:
        if at_word:
            cut = flat[: limit + 1]
            space = cut.rfind(" ", limit // 2)  # at a word's end where one is near
            flat = (cut[:space] if space > 0 else cut[: limit - 1]).rstrip() + "…"
        else:
            flat = flat[: limit - 1].rstrip() + "…"
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in flat):
        flat = f"{_FIRST_STRONG_ISOLATE}{flat}{_POP_ISOLATE}"
    return flat


_FIRST_STRONG_ISOLATE, _POP_ISOLATE = "\u2068", "\u2069"


def _activities(history: History, since: datetime, as_of: datetime) -> str:
    """ ": “walk the dog” 2 → 5, “sit through a film” 3": each activity of the latest PSFS
    with its first rating in the scope (since `since`) and its latest; one rating alone when
    the latest PSFS is the first to rate it."""
    own = sorted(
        (m for m in history.measures if m.instrument == PSFS and since <= m.at <= as_of),
        key=lambda m: m.at,
    )
    if not own:
        return ""
    latest = own[-1]
    parts = []
    for goal, rating in zip(latest.goals, latest.answers, strict=True):
        first = next(m for m in own if goal in m.goals)
        text = _goal_text(goal)
        if first is latest:
            parts.append(msg.REPORT_PSFS_GOAL_ONE.format(text=text, latest=rating))
        else:
            was = first.answers[first.goals.index(goal)]
            parts.append(msg.REPORT_PSFS_GOAL.format(text=text, first=was, latest=rating))
    return msg.REPORT_PSFS_GOALS.format(goals=", ".join(parts))


def describe_change_short(change: Change) -> str:
    """The report's short form of a questionnaire: "RMDQ 6 (first 16, -10: meaningfully
    better)" (its latest score, the first of the episode, the change and the verdict)."""
    latest = change.latest
    name = msg.MEASURE_SHORT[change.instrument]
    if change.instrument == STARTBACK:
        return msg.CHANGE_SHORT_STARTBACK.format(
            name=name, risk=latest.risk, total=score_str(latest.score), sub=latest.subscale
        )
    score = score_str(latest.score)
    if change.count < 2:
        return msg.CHANGE_SHORT_ONE.format(name=name, score=score)
    first, delta = score_str(change.first.score), delta_str(change.delta)
    if change.verdict is None:
        return msg.CHANGE_SHORT.format(name=name, score=score, first=first, delta=delta)
    verdict = msg.VERDICT_WORDS[change.verdict]
    return msg.CHANGE_SHORT_VERDICT.format(
        name=name, score=score, first=first, delta=delta, verdict=verdict
    )


def _notes(
    pain: Sequence[tuple[date, PainEntry]],
    treatments: Sequence[tuple[date, Treatment]],
    reports: Sequence[tuple[date, SymptomReport]],
    checkins: Sequence[tuple[date, CheckIn]],
    *,
    quoted: set[str],
) -> list[str]:
    """Every note of the period (pain, care or medicine, symptom, check-in), oldest first,
    as "day, what: “note”", leaving out the pain notes already quoted in the answers."""
    found: list[tuple[datetime, str]] = []
    for day, entry in pain:
        if entry.note and entry.note.strip():
            line = _quote(day, entry.note)
            if line not in quoted:
                found.append((entry.at, _quote(day, entry.note, msg.REPORT_NOTE_PAIN)))
    for day, t in treatments:
        if t.note and t.note.strip():
            what = _inline(t.drug, DRUG_NAME_LIMIT) if t.drug else t.kind
            found.append((t.at, _quote(day, t.note, what)))
    for day, s in reports:
        if s.note and s.note.strip():
            found.append((s.at, _quote(day, s.note, msg.REPORT_NOTE_SYMPTOM.format(code=s.code))))
    for day, c in checkins:
        if c.note and c.note.strip():
            found.append((c.at, _quote(day, c.note, msg.REPORT_NOTE_CHECKIN)))
    found.sort(key=lambda item: item[0])
    return [line for _, line in found]


def _checkin_line(day: date, c: CheckIn) -> str:
    present = (
        msg.CHECKIN_PRESENT.format(codes=", ".join(c.present))
        if c.present
        else msg.CHECKIN_NONE_PRESENT
    )
    return msg.REPORT_CHECKIN.format(day=day.isoformat(), asked=len(c.asked), present=present)


def _episode(course: Course | None, as_of: datetime, tz: tzinfo) -> EpisodeInfo | None:
    if course is None:
        return None
    onset = course.onset.astimezone(tz)
    return EpisodeInfo(
        onset=onset,
        day=episode_day(onset, as_of, tz),
        hours=course.age,
        baseline=course.baseline,
        current=course.current,
        phase=phase_of(course.onset, as_of),
    )


def _background(profile: Profile, as_of: datetime) -> tuple[str, ...]:
    lines = []
    if profile.birth_year is not None:
        age = as_of.year - profile.birth_year
        lines.append(msg.REPORT_BORN.format(year=profile.birth_year, age=age))
    if profile.prior_back_pain is not None:
        answer = msg.PROFILE_PRIOR[profile.prior_back_pain]
        lines.append(msg.REPORT_PRIOR_BACK_PAIN.format(answer=answer))
    if profile.history:
        conditions = ", ".join(sorted(profile.history))
        lines.append(msg.REPORT_HISTORY.format(conditions=conditions))
    return tuple(lines)


def _symptom_lines(
    reports: Sequence[tuple[date, SymptomReport]], pain: Sequence[tuple[date, PainEntry]]
) -> tuple[SymptomLine, ...]:
    present: dict[str, set[date]] = defaultdict(set)
    gone: dict[str, set[date]] = defaultdict(set)
    notes: dict[str, list[str]] = defaultdict(list)
    for day, report in reports:
        (present if report.present else gone)[report.code].add(day)
        if report.note and report.note.strip():
            notes[report.code].append(f"{day_text(day)}: {_cut(report.note)}")
    for day, entry in pain:
        if entry.radiates == BELOW_KNEE:
            present[BELOW_KNEE].add(day)
    order = {code: i for i, code in enumerate(SYMPTOM_QUESTIONS)}
    codes = sorted(set(present) | set(gone), key=lambda c: (order.get(c, len(order)), c))
    return tuple(
        SymptomLine(
            code=code,
            question=SYMPTOM_QUESTIONS.get(code, code),
            present=tuple(sorted(present.get(code, ()))),
            gone=tuple(sorted(gone.get(code, ()))),
            # the newest note of each code, cut like every quoted note: a month of noted
            # reports must still print on two pages (the Notes section has the others)
            notes=tuple(notes.get(code, ())[-1:]),
        )
        for code in codes
    )


def _medication_lines(
    treatments: Sequence[tuple[date, Treatment]], summary: Summary
) -> tuple[MedicationLine, ...]:
    per_day: dict[str, dict[date, list[float | None]]] = defaultdict(lambda: defaultdict(list))
    relaxant: dict[str, bool] = defaultdict(bool)
    for day, t in treatments:
        if t.kind != "medication":
            continue
        drug = t.drug or "medication"
        per_day[drug][day].append(t.dose_mg)
        relaxant[drug] |= bool(t.relaxant)
    responses = {r.key: r for r in summary.responses}
    lines = []
    for drug, days in per_day.items():
        day_mg = [
            sum(a for a in amounts if a is not None)
            for amounts in days.values()
            if any(a is not None for a in amounts)
        ]
        response = responses.get(drug)
        lines.append(
            MedicationLine(
                drug=_inline(drug, DRUG_NAME_LIMIT),  # user text when unlisted (see _inline)
                relaxant=relaxant[drug] or drug_class(drug) == MUSCLE_RELAXANT,
                days_used=len(days),
                doses=sum(len(a) for a in days.values()),
                max_doses_day=max(len(a) for a in days.values()),
                mg_total=sum(day_mg) if day_mg else None,
                mg_day_mean=sum(day_mg) / len(day_mg) if day_mg else None,
                mg_day_max=max(day_mg) if day_mg else None,
                first=min(days),
                last=max(days),
                mean_relief=response.mean_relief if response else None,
                mean_change=response.mean_change if response else None,
            )
        )
    lines.sort(key=lambda m: (-m.days_used, -m.doses, m.drug))
    return tuple(lines)


def _care_lines(
    treatments: Sequence[tuple[date, Treatment]], summary: Summary
) -> tuple[CareLine, ...]:
    uses: Counter[str] = Counter()
    days: dict[str, set[date]] = defaultdict(set)
    minutes: dict[str, list[int]] = defaultdict(list)
    for day, t in treatments:
        kind = t.kind
        if kind == "medication":
            continue
        uses[kind] += 1
        days[kind].add(day)
        if t.minutes is not None:
            minutes[kind].append(t.minutes)
    responses = {r.key: r for r in summary.responses}
    lines = []
    for kind, n in uses.items():
        response = responses.get(kind)
        lines.append(
            CareLine(
                kind=kind,
                uses=n,
                days_used=len(days[kind]),
                minutes_total=sum(minutes[kind]) if minutes[kind] else None,
                mean_relief=response.mean_relief if response else None,
                reliefs=response.reliefs if response else 0,
                pairs=response.pairs if response else 0,
                mean_change=response.mean_change if response else None,
            )
        )
    lines.sort(key=lambda c: (-c.uses, c.kind))
    return tuple(lines)


def _symptom_answer(question: str, codes: Iterable[str], lines: Sequence[SymptomLine]) -> Answer:
    wanted = set(codes)
    parts = []
    for line in lines:
        if line.code not in wanted:
            continue
        said = []
        if line.present:
            said.append(msg.REPORT_REPORTED.format(days=span_text(line.present)))
        if line.gone:
            said.append(msg.REPORT_REPORTED_ABSENT.format(days=span_text(line.gone)))
        said += [msg.REPORT_SYMPTOM_NOTE.format(note=note) for note in line.notes]
        parts.append(msg.REPORT_SYMPTOM_SAID.format(code=line.code, said="; ".join(said)))
    if not parts:
        return Answer(question, NONE_REPORTED, recorded=False)
    return Answer(question, ". ".join(parts), recorded=True)


def _cut(note: str) -> str:
    """A note on one line, at most NOTE_CHARS long (see _inline)."""
    return _inline(note, NOTE_CHARS)


def _quote(day: date, note: str, what: str | None = None) -> str:
    text = _cut(note)
    where = (
        day_text(day) if what is None else msg.REPORT_NOTE_OF.format(day=day_text(day), what=what)
    )
    return msg.REPORT_QUOTE.format(where=where, text=text)


def _answers(
    pain: Sequence[tuple[date, PainEntry]],
    symptoms: Sequence[SymptomLine],
    medications: Sequence[MedicationLine],
    chart: Sequence[ChartDay],
    days_logged: int,
) -> tuple[Answer, ...]:
    answers: list[Answer] = []
    scores = [e.pain for _, e in pain]
    noted = [(d, e.note) for d, e in pain if e.note and e.note.strip()]

    # How does the pain feel: intensity from the scores; its character only from notes.
    if scores:
        mean = sum(scores) / len(scores)
        worst = max(chart, key=lambda d: (d.max_pain or -1, d.day))
        text = msg.REPORT_FEEL.format(
            mean=mean_str(mean),
            low=min(scores),
            high=max(scores),
            entries=count_of(len(scores), *msg.NOUN_ENTRY),
            worst=day_text(worst.day),
            character=msg.REPORT_SEE_NOTES if noted else NOT_RECORDED,
        )
        details = tuple(_quote(d, n) for d, n in noted[-MAX_NOTES:])
        answers.append(Answer(Q_FEEL, text, recorded=True, details=details))
    else:
        answers.append(Answer(Q_FEEL, NOT_RECORDED, recorded=False))

    # Where: the locations logged, and where it spreads.
    if scores:
        total = len(scores)
        places = Counter(e.location for _, e in pain)
        spreads = Counter(
            e.radiates for _, e in pain if e.radiates is not None and e.radiates != "none"
        )
        said_none = any(e.radiates == "none" for _, e in pain)
        entries = count_of(total, *msg.NOUN_ENTRY)
        located = [
            msg.REPORT_WHERE.format(
                where=LOCATION_WORDS.get(where, where), count=n, entries=entries
            )
            for where, n in sorted(places.items(), key=lambda kv: (-kv[1], kv[0] or ""))
            if where is not None
        ]
        text = ", ".join(located) if located else msg.REPORT_LOCATION_NOT_RECORDED
        if located and places.get(None):
            text += msg.REPORT_WHERE_NOT_GIVEN.format(count=places[None])
        if spreads:
            spread = ", ".join(
                msg.REPORT_SPREAD.format(where=RADIATES_WORDS.get(r, r), count=n)
                for r, n in sorted(spreads.items())
            )
            text += msg.REPORT_SPREADING.format(places=spread)
        elif said_none:
            text += msg.REPORT_NOT_SPREADING
        else:
            text += msg.REPORT_SPREADING_NOT_RECORDED
        answers.append(Answer(Q_WHERE, text, recorded=True))
    else:
        answers.append(Answer(Q_WHERE, NOT_RECORDED, recorded=False))

    answers.append(_symptom_answer(Q_BLADDER, BLADDER_CODES, symptoms))
    answers.append(Answer(Q_SPASM_LENGTH, msg.REPORT_SPASM_LENGTH, recorded=False))

    # How often: spasm counts per day, over the days with a recorded count (not recorded is
    # not 0: an entry without --spasms says nothing about spasms).
    counted = [d for d in chart if d.spasms is not None]
    if counted:
        total = sum(d.spasms or 0 for d in counted)
        spasm_days = [d for d in counted if d.spasms]
        if total:
            most = max(spasm_days, key=lambda d: (d.spasms or 0, d.day))
            text = msg.REPORT_SPASMS_OFTEN.format(
                spasms=count_of(total, *msg.NOUN_SPASM),
                spasm_days=len(spasm_days),
                days=count_of(len(counted), *msg.NOUN_DAY),
                mean=mean_str(total / len(counted)),
                most=most.spasms,
                day=day_text(most.day),
            )
        else:
            text = msg.REPORT_NO_SPASMS.format(days=count_of(len(counted), *msg.NOUN_DAY))
        answers.append(Answer(Q_SPASM_OFTEN, text, recorded=True))
    else:
        answers.append(Answer(Q_SPASM_OFTEN, NOT_RECORDED, recorded=False))

    stiff_days = sorted({d for d, note in noted if STIFF_WORD in note.casefold()})
    if stiff_days:
        answers.append(
            Answer(Q_STIFF, msg.REPORT_STIFF.format(days=days_text(stiff_days)), recorded=True)
        )
    else:
        answers.append(Answer(Q_STIFF, NOT_RECORDED, recorded=False))

    answers.append(_symptom_answer(Q_TINGLING, NUMBNESS_CODES, symptoms))
    answers.append(_symptom_answer(Q_WEAK, WEAKNESS_CODES, symptoms))

    if medications:
        names = ", ".join(
            msg.REPORT_DRUG_RELAXANT.format(drug=m.drug) if m.relaxant else m.drug
            for m in medications
        )
        answers.append(Answer(Q_DRUGS, msg.REPORT_DRUGS.format(drugs=names), recorded=True))
    else:
        answers.append(Answer(Q_DRUGS, msg.REPORT_NO_DRUGS, recorded=True))
    return tuple(answers)


# --- Shared formatting -------------------------------------------------------------------


def num(value: float | None, digits: int = 1) -> str:
    """A number for the page: 400 -> "400", 7.25 -> "7.3" (digits=1), None -> "–"."""
    if value is None:
        return "–"
    shown = format_number(round_half_up(value, digits))
    return str(shown)


def day_text(day: date) -> str:
    """ "5 Mar": unambiguous in every country, and short."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def run_text(first: date, last: date) -> str:
    if first == last:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_text(last)}"
    return f"{day_text(first)}–{day_text(last)}"


def _runs(days: Sequence[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def days_text(days: Sequence[date], max_runs: int = MAX_DAY_RUNS) -> str:
    """Days as runs: "3–6 Mar, 9 Mar"; a long list keeps its first and last runs."""
    days = sorted(set(days))
    texts = [run_text(a, b) for a, b in _runs(days)]
    if len(texts) > max_runs:
        keep = max(1, max_runs // 2)
        texts = [*texts[:keep], "…", *texts[-keep:]]
    if len(days) > 1:
        return msg.REPORT_DAYS_COUNT.format(
            runs=", ".join(texts), days=count_of(len(days), *msg.NOUN_DAY)
        )
    return ", ".join(texts)


def span_text(days: Sequence[date]) -> str:
    """Days in few words: as runs while there are at most PRINT_DAY_RUNS of them, else
    "on 10 days, 1 Mar to 28 Mar" (the symptom table shows the runs)."""
    runs = _runs(days)
    if len(runs) <= PRINT_DAY_RUNS:
        return days_text(days)
    n = len(set(days))
    return msg.REPORT_SPAN.format(
        days=count_of(n, *msg.NOUN_DAY), first=day_text(runs[0][0]), last=day_text(runs[-1][1])
    )


def change_text(change: float | None, pairs: int) -> str:
    """Pain change after a treatment, or why there is none."""
    if change is None:
        return msg.REPORT_NOT_ENOUGH_PAIRS.format(
            pairs=pairs, needed=count_of(MIN_PAIRS, *msg.NOUN_PAIR)
        )
    text = f"{change:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def episode_text(data: ReportData) -> str:
    e = data.episode
    if e is None:
        return msg.REPORT_NO_EPISODE.format(days=EPISODE_GAP.days)
    onset = e.onset.strftime("%Y-%m-%d %H:%M")
    said = [msg.REPORT_EPISODE_ONSET.format(onset=onset, day=e.day, hours=f"{e.hours:.0f}")]
    if e.baseline is not None:
        said.append(
            msg.REPORT_EPISODE_BASELINE.format(hours=_hours(BASELINE_WINDOW), pain=num(e.baseline))
        )
    if e.current is not None:
        said.append(
            msg.REPORT_EPISODE_CURRENT.format(hours=_hours(CURRENT_WINDOW), pain=num(e.current))
        )
    if e.phase is not None:
        said.append(msg.REPORT_PHASE.format(phase=msg.PHASE_NAMES[e.phase]))
    if e.note is not None:
        said.append(msg.REPORT_EPISODE_NOTE.format(note=e.note))
    return " ".join(said)


def _hours(span: timedelta) -> str:
    """A window in whole hours, for the page: timedelta(hours=24) -> "24"."""
    return f"{span / timedelta(hours=1):g}"


def period_text(data: ReportData) -> str:
    text = msg.REPORT_PERIOD.format(
        start=data.start.isoformat(),
        end=data.end.isoformat(),
        days=count_of(data.n_days, *msg.NOUN_DAY),
        logged=count_of(data.days_logged, *msg.NOUN_DAY),
        entries=count_of(data.entries, *msg.NOUN_ENTRY),
    )
    if data.mean_pain is not None:
        text += msg.REPORT_PERIOD_PAIN.format(
            mean=num(data.mean_pain), low=data.min_pain, high=data.max_pain
        )
    return text


def _pain_symbols(values: Sequence[float | None]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        else:
            out.append(bars[min(len(bars) - 1, whole(value / 10 * (len(bars) - 1)))])
    return "".join(out)


def _spasm_symbols(values: Sequence[int | None]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    top = max((v for v in values if v is not None), default=0)
    return "".join(
        " "  # not recorded: blank, like a day without a pain entry
        if v is None
        else "▁"
        if not v or not top
        else bars[min(len(bars) - 1, math.ceil(v / top * (len(bars) - 1)))]
        for v in values
    )


# --- HTML --------------------------------------------------------------------------------

_CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 186mm; color: #111; background: #fff;
  font: 8.4pt/1.22 "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; }

.cols { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8pt; }
header { border-bottom: 1.5pt solid #222; padding-bottom: 3pt; margin-bottom: 4pt; }
h1 { font-size: 13.5pt; margin: 0; }
h2 { font-size: 9.4pt; margin: 4.5pt 0 1.5pt; padding-bottom: 1pt; border-bottom: 0.6pt solid #888;
  break-after: avoid; }
p { margin: 1pt 0; }
.self { font-weight: bold; font-size: 8.4pt; margin-top: 2pt; }
.meta { color: #333; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 0.5pt 3pt;
  border-bottom: 0.5pt solid #ccc; }
th { font-weight: 600; background: #f0f0f0; }
td.n, th.n { text-align: right; white-space: nowrap; }
.none { color: #555; font-style: italic; }
td.lvl { width: 46pt; font-weight: bold; text-transform: uppercase; font-size: 7.4pt; }
.emergency, .urgent { color: #b00000; }
.soon { color: #8a5a00; }
.routine, .caution, .info { color: #1d4f8a; }
ul { margin: 1pt 0; padding-left: 12pt; }
dl.qa { margin: 0; display: grid; grid-template-columns: 48mm 1fr; column-gap: 5pt; }
dl.qa dt { font-weight: 600; padding: 0.5pt 0; border-bottom: 0.5pt solid #ddd; }
dl.qa dd { margin: 0; padding: 0.5pt 0; border-bottom: 0.5pt solid #ddd; }
dl.qa .quote { display: block; color: #333; font-size: 7.8pt; }
.chart svg { width: 100%; height: auto; display: block; }
.small { font-size: 7.8pt; color: #444; }
footer { margin-top: 5pt; border-top: 0.6pt solid #888; padding-top: 2pt; font-size: 7.6pt;
  color: #444; }
ul.notes { font-size: 7.8pt; }
@media print {
  body { max-width: none; }
  /* Sections and tables may break across pages (a long flags block must not push a whole
     section over and leave most of a page blank); a row, a question with its answer, a
     note, the chart and the header stay whole, and a heading stays with what follows. */
  .chart, header, tr, li, p { break-inside: avoid; }
  dl.qa dt { break-after: avoid; }
  h2 { break-after: avoid; }
}
@media screen {
  body { max-width: 760px; padding: 16px; font-size: 10.5pt; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _nice_top(value: int) -> int:
    """The spasm axis' top: 4 x (1, 2 or 5 x 10^k), at least 4, so the 5 ticks are whole."""
    quarter = max(1, math.ceil(value / 4))
    magnitude = 10 ** math.floor(math.log10(quarter))
    for step in (1, 2, 5, 10):
        if quarter <= step * magnitude:
            return 4 * step * magnitude
    return 40 * magnitude  # pragma: no cover


CHART_HEIGHT = 136  # the chart's height in viewBox units (its width is 720)
# With questionnaires the chart is lower, so that their line keeps the report on one page.
CHART_HEIGHT_WITH_MEASURES = 100


def render_svg_chart(days: Sequence[ChartDay], height: int = CHART_HEIGHT) -> str:
    """Daily mean pain (line, left axis 0-10) over daily spasms (bars, right axis)."""
    width = 720
    left, right, top, bottom = 34, 36, 17, 18
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(days), 1)
    step = plot_w / n
    spasm_top = _nice_top(max((d.spasms or 0 for d in days), default=0))

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y_pain(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    def y_spasm(value: float) -> float:
        return top + plot_h * (1 - value / spasm_top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="10">',
        f'<title id="chart-title">{_e(msg.REPORT_CHART_TITLE)}</title>',
    ]
    # Grid and the pain axis (left).
    for value in range(0, 11, 2):
        yy = y_pain(value)
        parts.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" '
            f'stroke="#ddd" stroke-width="0.7"/>'
            f'<text x="{left - 4}" y="{yy + 3.5:.1f}" text-anchor="end" fill="#333">{value}</text>'
        )
    # The spasm axis (right): five ticks.
    for k in range(5):
        tick = spasm_top * k // 4
        yy = y_spasm(tick)
        parts.append(
            f'<text x="{left + plot_w + 4}" y="{yy + 3.5:.1f}" fill="#6b7fa8">{tick}</text>'
        )
    parts.append(
        f'<text x="10" y="{top + plot_h / 2:.1f}" fill="#111" text-anchor="middle" '
        f'transform="rotate(-90 10 {top + plot_h / 2:.1f})">{_e(msg.REPORT_CHART_PAIN_AXIS)}</text>'
        f'<text x="{width - 8}" y="{top + plot_h / 2:.1f}" fill="#6b7fa8" '
        f'text-anchor="middle" transform="rotate(90 {width - 8} {top + plot_h / 2:.1f})">'
        f"{_e(msg.REPORT_CHART_SPASM_AXIS)}</text>"
    )
    # Spasm bars.
    bar_w = max(step * 0.62, 1.0)
    for i, d in enumerate(days):
        if d.spasms:
            yy = y_spasm(d.spasms)
            parts.append(
                f'<rect x="{x(i) - bar_w / 2:.1f}" y="{yy:.1f}" width="{bar_w:.1f}" '
                f'height="{top + plot_h - yy:.1f}" fill="#b8c6e3"/>'
            )
    # Pain line: one polyline per run of days with entries (a day without one is a gap).
    runs: list[list[tuple[float, float]]] = []
    previous = False
    for i, d in enumerate(days):
        if d.mean_pain is None:
            previous = False
            continue
        point = (x(i), y_pain(d.mean_pain))
        if previous:
            runs[-1].append(point)
        else:
            runs.append([point])
        previous = True
    for run in runs:
        if len(run) > 1:
            points = " ".join(f"{px:.1f},{py:.1f}" for px, py in run)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="#b00000" stroke-width="1.8" '
                'stroke-linejoin="round"/>'
            )
    radius = 2.2 if n <= 62 else 1.2
    for run in runs:
        for px, py in run:
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{radius}" fill="#b00000"/>')
    # The x axis and date labels.
    base = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#333" '
        'stroke-width="0.8"/>'
    )
    every = max(1, math.ceil(n / 10))
    for i, d in enumerate(days):
        if i % every == 0 or i == n - 1:
            if i == n - 1 and i % every and (n - 1) % every < every / 2:
                continue  # too close to the previous label
            parts.append(
                f'<line x1="{x(i):.1f}" y1="{base}" x2="{x(i):.1f}" y2="{base + 3}" '
                f'stroke="#333" stroke-width="0.8"/>'
                f'<text x="{x(i):.1f}" y="{base + 13}" text-anchor="middle" fill="#333">'
                f"{_e(day_text(d.day))}</text>"
            )
    # Legend.
    parts.append(
        f'<line x1="{left}" y1="8" x2="{left + 18}" y2="8" stroke="#b00000" stroke-width="1.8"/>'
        f'<text x="{left + 22}" y="11.5" fill="#111">{_e(msg.REPORT_CHART_PAIN_KEY)}</text>'
        f'<rect x="{left + 190}" y="3" width="10" height="9" fill="#b8c6e3"/>'
        f'<text x="{left + 204}" y="11.5" fill="#111">{_e(msg.REPORT_CHART_SPASM_KEY)}</text>'
        f'<text x="{left + plot_w}" y="11.5" text-anchor="end" fill="#555">'
        f"{_e(msg.REPORT_CHART_GAP_KEY)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _none(text: str) -> str:
    return f'<p class="none">{_e(text)}</p>'


def _header_row(*columns: str, numbers: Iterable[str] = ()) -> str:
    """A table's header row: the words of REPORT_COLUMNS, the `numbers` columns right-aligned."""
    right = set(numbers)
    return (
        "<tr>"
        + "".join(
            f'<th class="n">{_e(msg.REPORT_COLUMNS[c])}</th>'
            if c in right
            else f"<th>{_e(msg.REPORT_COLUMNS[c])}</th>"
            for c in columns
        )
        + "</tr>"
    )


def _flags_html(data: ReportData) -> str:
    if not data.flags:
        return _none(msg.REPORT_NO_FLAGS)
    rows = []
    for f in data.flags:
        rows.append(
            f'<tr><td class="lvl {_e(f.level)}">{_e(f.level)}</td>'
            f"<td><b>{_e(f.title)}</b></td></tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def _symptoms_html(data: ReportData) -> str:
    if not data.symptoms:
        return _none(msg.REPORT_NO_SYMPTOMS)
    # No notes column on paper: the Notes section lists symptom notes with the others, each
    # cut to NOTE_CHARS and at most NOTES_SHOWN, so a month of noted reports still prints
    # on two pages (a column of every note ran a bad month to eight).
    rows = []
    for s in data.symptoms:
        rows.append(
            f"<tr><td><b>{_e(s.code)}</b></td>"
            f"<td>{_e(days_text(s.present, PRINT_DAY_RUNS)) if s.present else '–'}</td>"
            f"<td>{_e(days_text(s.gone, PRINT_DAY_RUNS)) if s.gone else '–'}</td></tr>"
        )
    return "<table>" + _header_row("symptom", "reported", "absent") + "".join(rows) + "</table>"


def _checkins_html(data: ReportData) -> str:
    if not data.checkins:
        return ""
    return f'<p class="small">{_e(msg.REPORT_CHECKINS.format(lines="; ".join(data.checkins)))}</p>'


def _medications_html(data: ReportData) -> str:
    if not data.medications:
        return _none(msg.REPORT_NO_MEDICINES)
    rows = []
    for m in data.medications:
        relaxant = f' <span class="small">({_e(msg.REPORT_RELAXANT)})</span>'
        name = _e(m.drug) + (relaxant if m.relaxant else "")
        rows.append(
            f'<tr><td>{name}</td><td class="n">{m.days_used}</td>'
            f'<td class="n">{m.doses}</td><td class="n">{m.max_doses_day}</td>'
            f'<td class="n">{_e(num(m.mg_day_mean, 0))}</td>'
            f'<td class="n">{_e(num(m.mg_day_max, 0))}</td>'
            f"<td>{_e(run_text(m.first, m.last))}</td></tr>"
        )
    numbers = ("days", "doses", "max_doses_short", "mg_day_mean", "mg_day_max")
    header = _header_row("drug", *numbers, "first_last", numbers=numbers)
    return "<table>" + header + "".join(rows) + f'</table><p class="small">{_e(MG_DAY_NOTE)}</p>'


def _care_html(data: ReportData) -> str:
    if not data.care:
        return _none(msg.REPORT_NO_CARE)
    rows = []
    for c in data.care:
        minutes = "–" if c.minutes_total is None else f"{c.minutes_total}"
        relief = "–" if c.mean_relief is None else f"{num(c.mean_relief)}/10"
        rows.append(
            f'<tr><td>{_e(c.kind)}</td><td class="n">{c.uses}</td>'
            f'<td class="n">{c.days_used}</td><td class="n">{_e(minutes)}</td>'
            f'<td class="n">{_e(relief)}</td><td>{_e(change_text(c.mean_change, c.pairs))}</td>'
            "</tr>"
        )
    numbers = ("uses", "days", "minutes", "relief")
    header = _header_row("care", *numbers, "pain_after", numbers=numbers)
    return "<table>" + header + "".join(rows) + "</table>"


def _answers_html(data: ReportData) -> str:
    items = []
    for a in data.answers:
        text = f'<span class="none">{_e(a.text)}</span>' if not a.recorded else _e(a.text)
        quotes = "".join(f'<span class="quote">{_e(q)}</span>' for q in a.details)
        items.append(f"<dt>{_e(a.question)}</dt><dd>{text}{quotes}</dd>")
    return '<dl class="qa">' + "".join(items) + "</dl>"


def _notes_html(data: ReportData) -> str:
    if not data.notes:
        return ""
    more = f'<p class="small">{_e(notes_left_out(data))}</p>' if data.notes_left_out else ""
    items = "".join(f"<li>{_e(n)}</li>" for n in data.notes)
    return (
        f'<section class="notes">\n<h2>{_e(msg.REPORT_H_NOTES)}</h2>\n'
        f'<ul class="notes">{items}</ul>{more}\n</section>'
    )


def notes_left_out(data: ReportData) -> str:
    """ "1 earlier note not shown.", the same in HTML and Markdown."""
    n = data.notes_left_out
    return msg.REPORT_NOTES_LEFT_OUT.format(count=n, notes=plural(n, *msg.NOUN_NOTE))


def measures_text(data: ReportData) -> str:
    """The questionnaires in one sentence (the header: the page stays one page)."""
    return "; ".join(data.measures) + "."


def _measures_html(data: ReportData) -> str:
    """The questionnaires line of the header (only when there is a score)."""
    if not data.measures:
        return ""
    head = msg.REPORT_MEASURES_HEADING
    return f'<p class="meta"><b>{_e(head)}:</b> {_e(measures_text(data))}</p>\n'


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, no script)."""
    made = data.as_of.strftime("%Y-%m-%d %H:%M %Z").strip()
    background = (
        f'<p class="meta">{_e(msg.REPORT_L_BACKGROUND)}: {_e("; ".join(data.background))}.</p>'
        if data.background
        else ""
    )
    title = msg.REPORT_PAGE_TITLE.format(
        title=TITLE, start=data.start.isoformat(), end=data.end.isoformat()
    )
    care_note = msg.REPORT_CARE_NOTE.format(
        reliefs=MIN_RELIEFS,
        before=_hours(RESPONSE_BEFORE),
        after_min=_hours(RESPONSE_AFTER_MIN),
        after_max=_hours(RESPONSE_AFTER_MAX),
        pairs=MIN_PAIRS,
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(TITLE)}</h1>
<p class="self">{_e(SELF_REPORTED)}</p>
<p class="meta"><b>{_e(msg.REPORT_L_PERIOD)}:</b> {_e(period_text(data))}. \
<b>{_e(msg.REPORT_L_MADE)}:</b> {_e(made)}.</p>
<p class="meta"><b>{_e(msg.REPORT_L_EPISODE)}:</b> {_e(episode_text(data))}</p>
{_measures_html(data)}{background}
</header>
<section class="chart">
<h2>{_e(msg.REPORT_H_CHART)}</h2>
{render_svg_chart(data.chart, CHART_HEIGHT_WITH_MEASURES if data.measures else CHART_HEIGHT)}
</section>
<div class="cols">
<section>
<h2>{_e(msg.REPORT_H_FLAGS)}</h2>
{_flags_html(data)}
</section>
<section>
<h2>{_e(msg.REPORT_H_SYMPTOMS)}</h2>
{_symptoms_html(data)}
{_checkins_html(data)}
</section>
</div>
<section>
<h2>{_e(msg.REPORT_H_MEDICINES)}</h2>
{_medications_html(data)}
</section>
<section>
<h2>{_e(msg.REPORT_H_CARE)}</h2>
{_care_html(data)}
<p class="small">{_e(care_note)}</p>
</section>
<section>
<h2>{_e(msg.REPORT_H_QUESTIONS)}</h2>
{_answers_html(data)}
</section>
{_notes_html(data)}
<footer>{_e(SELF_REPORTED)} {_e(FLAGS_NOTE)}</footer>
</body>
</html>
"""


# --- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|~&")
MD_PAIN_LABEL = msg.REPORT_MD_PAIN_LABEL
MD_SPASM_LABEL = msg.REPORT_MD_SPASM_LABEL


def _md_header(*columns: str) -> tuple[str, ...]:
    """A Markdown table's header: the words of REPORT_COLUMNS."""
    return tuple(msg.REPORT_COLUMNS[c] for c in columns)


def md_escape(text: object) -> str:
    """`text` as literal Markdown inline text: punctuation backslash-escaped, one line."""
    flat = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in flat)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table when every line fits MD_WIDTH; else the same cells as a list, one item
    per row ("- **first cell**: header value; header value ..."), wrapped like prose."""
    rows = list(rows)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if max(len(line) for line in lines) <= MD_WIDTH:
        return lines
    items = []
    for row in rows:
        cells = zip(header[1:], row[1:], strict=True)
        items.append(f"- **{row[0]}**: " + "; ".join(f"{name} {cell}" for name, cell in cells))
    return items


MD_WIDTH = 80  # the Markdown file fits 80 columns: prose wrapped, a wider table as a list
_BLOCK_STARTS = ("-", "+", "*", "#", ">", "|", "=")


def _wrap_md(lines: Iterable[str], width: int = MD_WIDTH) -> list[str]:
    """Paragraphs and list items wrapped to `width` (soft line breaks, same rendering).

    Table rows, headings and lines with a code span are kept whole; so is a line whose
    wrapping would start a continuation with a block marker ("- ", "#", "1." ...), which
    Markdown would read as a new block.
    """
    import re
    import textwrap

    out: list[str] = []
    for line in lines:
        if len(line) <= width or line.startswith(("|", "#")) or "`" in line:
            out.append(line)
            continue
        bullet = line.startswith("- ")
        hard_break = line.endswith("  ")
        wrapped = textwrap.wrap(
            line,
            width=width,
            subsequent_indent="  " if bullet else "",
            break_long_words=False,
            break_on_hyphens=False,
        )
        if any(
            part.lstrip().startswith(_BLOCK_STARTS) or re.match(r"\s*\d+[.)](\s|$)", part)
            for part in wrapped[1:]
        ):
            out.append(line)
            continue
        if hard_break and wrapped:
            wrapped[-1] += "  "
        out += wrapped
    return out


def render_markdown(data: ReportData) -> str:
    """The report as Markdown (CommonMark + pipe tables), every data text escaped."""
    e = md_escape
    made = data.as_of.strftime("%Y-%m-%d %H:%M %Z").strip()
    lines = [
        f"# {e(TITLE)}",
        "",
        f"**{e(SELF_REPORTED)}**",
        "",
        f"- **{e(msg.REPORT_L_PERIOD)}:** {e(period_text(data))}",
        f"- **{e(msg.REPORT_L_MADE)}:** {e(made)}",
        f"- **{e(msg.REPORT_L_EPISODE)}:** {e(episode_text(data))}",
    ]
    if data.measures:
        lines.append(f"- **{e(msg.REPORT_MEASURES_HEADING)}:** {e(measures_text(data))}")
    if data.background:
        background = e("; ".join(data.background))
        lines.append(f"- **{e(msg.REPORT_L_BACKGROUND)}:** {background}")
    lines += ["", "## " + msg.REPORT_H_CHART, ""]
    if data.chart:
        first, last = day_text(data.chart[0].day), day_text(data.chart[-1].day)
        labels = (MD_PAIN_LABEL, MD_SPASM_LABEL)
        width = max(len(label) for label in labels) + 1
        lines += [
            "```text",  # a code block keeps its spaces: inline code would strip the edge days
            MD_PAIN_LABEL.ljust(width) + _pain_symbols([d.mean_pain for d in data.chart]),
            MD_SPASM_LABEL.ljust(width) + _spasm_symbols([d.spasms for d in data.chart]),
            "```",
            "",
            e(msg.REPORT_MD_CHART_NOTE.format(first=first, last=last)),
            "",
        ]
        lines += _md_table(
            _md_header("day", "pain_mean", "pain_max", "spasms"),
            (
                (
                    e(day_text(d.day)),
                    e(num(d.mean_pain)),
                    e(num(d.max_pain)),
                    "–" if d.spasms is None else str(d.spasms),  # not recorded: not 0
                )
                for d in data.chart
            ),
        )
    lines += ["", "## " + msg.REPORT_H_FLAGS, ""]
    if data.flags:
        lines += [
            f"- **{e(f.level.upper())}** {e(f.title)} ({e(f.rule)}): {e(f.advice)}"
            for f in data.flags
        ]
    else:
        lines.append(f"_{msg.REPORT_NO_FLAGS}_")
    lines += ["", "## " + msg.REPORT_H_SYMPTOMS, ""]
    if data.symptoms:
        lines += _md_table(
            _md_header("symptom", "question", "reported", "absent", "notes"),
            (
                (
                    e(s.code),
                    e(s.question),
                    e(days_text(s.present)) if s.present else "–",
                    e(days_text(s.gone)) if s.gone else "–",
                    e("; ".join(s.notes)) if s.notes else "–",
                )
                for s in data.symptoms
            ),
        )
    else:
        lines.append(f"_{e(msg.REPORT_NO_SYMPTOMS)}_")
    if data.checkins:
        lines += ["", e(msg.REPORT_CHECKINS.format(lines="; ".join(data.checkins)))]
    lines += ["", "## " + msg.REPORT_H_MEDICINES, ""]
    if data.medications:
        lines += _md_table(
            _md_header(
                "drug", "days", "doses", "max_doses", "mg_day_mean", "mg_day_max", "first", "last"
            ),
            (
                (
                    e(m.drug) + (f" \\({e(msg.REPORT_RELAXANT)}\\)" if m.relaxant else ""),
                    str(m.days_used),
                    str(m.doses),
                    str(m.max_doses_day),
                    e(num(m.mg_day_mean, 0)),
                    e(num(m.mg_day_max, 0)),
                    e(day_text(m.first)),
                    e(day_text(m.last)),
                )
                for m in data.medications
            ),
        )
    else:
        lines.append(f"_{msg.REPORT_NO_MEDICINES}_")
    if data.medications:
        lines += ["", e(MG_DAY_NOTE)]
    lines += ["", "## " + msg.REPORT_H_CARE, ""]
    if data.care:
        lines += _md_table(
            _md_header("care", "uses", "days", "minutes", "relief", "pain_after"),
            (
                (
                    e(c.kind),
                    str(c.uses),
                    str(c.days_used),
                    "–" if c.minutes_total is None else str(c.minutes_total),
                    e(f"{num(c.mean_relief)}/10") if c.mean_relief is not None else "–",
                    e(change_text(c.mean_change, c.pairs)),
                )
                for c in data.care
            ),
        )
        lines += ["", f"_{e(data.caveat)}_"]
    else:
        lines.append(f"_{msg.REPORT_NO_CARE}_")
    lines += ["", "## " + msg.REPORT_H_QUESTIONS, ""]
    for a in data.answers:
        text = e(a.text) if a.recorded else f"_{e(a.text)}_"
        lines.append(f"- **{e(a.question)}** {text}")
        lines += [f"  - {e(q)}" for q in a.details]
    if data.notes:
        lines += ["", "## " + msg.REPORT_H_NOTES, ""]
        lines += [f"- {e(n)}" for n in data.notes]
        if data.notes_left_out:
            lines += ["", f"_{e(notes_left_out(data))}_"]
    lines += ["", "---", "", f"_{e(SELF_REPORTED)}_", ""]
    return "\n".join(_wrap_md(lines))
