"""backcare benchmarks: every command, whole process, beside its floor, with a verdict.

    .venv/bin/python benchmarks/run.py [--runs 10] [--quick] [--only log,check]

Builds three databases (benchmarks/synth.py): `empty` (a profile, no events), `10y` (10 years
of history with pain-free weeks) and `chronic` (10 years that are one never-ending episode).
Every budgeted command runs beside its floor in pairs, the order alternating (A B, B A, ...),
and the budget judges the median of the per-pair ratios, so load on a shared machine hits
both sides of a pair alike. Throughput budgets (rows or events per second, peak RSS) are
judged on the median wall time of the whole process. Prints a Markdown table with a
PASS/FAIL per budget and writes it to benchmarks/results/ (a dated file); with --readme, it
also replaces the table in benchmarks/README.md. See benchmarks/README.md.

Floors:
- `stack floor` (floor_stack.py): imports typer and sqlmodel, opens the DB, inserts one row,
  leaves with os._exit (as backcare does).
- `jrnl --help`: jrnl, installed by this script into a venv under the cache dir (pip) or
  found on PATH; when it cannot be installed the table says so and those budgets are `n/a`.
- `integrity_check` (floor_integrity.py): SQLite's PRAGMA integrity_check alone.
- `import (fresh)`: a re-import of the same file is judged against a fresh import.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
BACKCARE = PYTHON.parent / "backcare"
TIMEOUT_S = 300.0
ZONE = "Europe/London"  # the synthetic history's zone (synth.ZONE)
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "backcare-bench"

# Budgets (issue 18).
FLOOR_RATIO = 1.10  # write/read commands vs the stack floor, on every DB
HELP_RATIO = 0.80  # --help, --version, symptom --list vs jrnl --help
CHECK_RATIO = 1.5  # db check --full vs integrity_check alone
REIMPORT_RATIO = 0.3  # import of the same file again vs a fresh import
RATES = {  # name: (rows or events per second, whole process; peak RSS MB or None)
    "export csv": (150_000, None),
    "export json": (100_000, 100.0),
    "export fhir": (40_000, 100.0),
    "history --json": (100_000, 100.0),
    "import (fresh)": (60_000, 150.0),
}
DBS = ("empty", "10y", "chronic")

# name, argv after `backcare --db PATH`, writes to the DB
FLOORED: list[tuple[str, list[str]]] = [
    ("log", ["log", "4", "--spasms", "1", "--where", "lower"]),
    ("treat", ["treat", "heat", "--minutes", "20"]),
    ("symptom", ["symptom", "night-pain"]),
    ("check", ["check"]),
    ("status", ["status"]),
    ("remind", ["remind"]),
]
SEQUENCE = ("edit", "delete", "undo")  # run in this order each round, on one entry
LIGHT: list[tuple[str, list[str]]] = [
    ("--help", ["--help"]),
    ("--version", ["--version"]),
    ("symptom --list", ["symptom", "--list"]),
]
MEASURED: list[tuple[str, list[str]]] = [  # on 10y, no budget of their own
    ("summary --days 30", ["summary", "--days", "30"]),
    ("summary --days 365", ["summary", "--days", "365"]),
    ("report --days 30", ["report", "--days", "30"]),
]


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    rss_mb: float
    rc: int
    stderr: str


@dataclass
class Job:
    """One timed command; `floor`, when set, is run beside it in every round."""

    name: str
    db: str
    argv: list[str]
    floor: Job | None = None
    budget_ratio: float | None = None
    rate: tuple[float, float | None] | None = None  # (per second, RSS MB or None)
    count: str | None = None  # COUNTERS key: rows in one run's stdout
    before: Callable[[], None] | None = None  # untimed set-up before each run
    paired_only: bool = False  # timed only as the floor of the next job in its unit
    status: str = "ok"  # ok | error | n/a
    detail: str = ""
    samples: list[Sample] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)  # wall time / the floor's, per pair
    cpu_ratios: list[float] = field(default_factory=list)  # user+sys CPU / the floor's
    rows: int | None = None


def spawn(argv: list[str], env: dict[str, str], stdout: Any = subprocess.DEVNULL) -> Sample:
    """One cold process: wall time from spawn to reaping, and its own peak RSS (wait4)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err, env=env)
        timer = threading.Timer(TIMEOUT_S, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode(errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, text)


def child_env(home: Path, src: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BACKCARE_", "PYTHON"))}
    if src is not None:  # time another source tree with this venv (before site-packages)
        env["PYTHONPATH"] = str(src.resolve())
    env.update(
        TZ=ZONE,
        NO_COLOR="1",
        COLUMNS="100",
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CONFIG_HOME=str(home / "config"),
    )
    return env


def run_once(job: Job, env: dict[str, str], stdout: Any = subprocess.DEVNULL) -> Sample:
    if job.before is not None:
        job.before()
    sample = spawn(job.argv, env, stdout)
    if sample.rc != 0 and job.status == "ok":
        job.status = "error"
        lines = [line.strip() for line in sample.stderr.splitlines() if line.strip()]
        job.detail = f"exit {sample.rc}: {lines[-1] if lines else '(no stderr)'}"[:160]
    return sample


# --- jrnl ----------------------------------------------------------------------------------


def find_jrnl(mode: str) -> tuple[Path | None, str]:
    """jrnl's executable and how it was found; None with the reason when there is none."""
    if mode == "skip":
        return None, "jrnl skipped (--jrnl skip)"
    if mode not in ("auto", "install"):
        path = Path(mode)
        return (path, f"jrnl {path}") if path.exists() else (None, f"jrnl: {path} not found")
    venv = CACHE / "jrnl-venv"
    exe = venv / "bin" / "jrnl"
    if exe.exists():
        return exe, f"jrnl from {venv}"
    on_path = shutil.which("jrnl")
    if on_path:
        return Path(on_path), f"jrnl on PATH ({on_path})"
    print(f"installing jrnl into {venv} (pip)...", file=sys.stderr)
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300
        )
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "jrnl"],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError) as error:
        return None, f"jrnl could not be installed ({type(error).__name__})"
    if done.returncode != 0 or not exe.exists():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return None, f"jrnl could not be installed: pip: {last[:120]}"
    return exe, f"jrnl installed into {venv}"


# --- fixtures ------------------------------------------------------------------------------


def synth(path: Path, env: dict[str, str], *options: str) -> dict[str, Any]:
    """Build a DB with benchmarks/synth.py in a child process (peak RSS stays the child's)."""
    argv = [str(PYTHON), str(HERE / "synth.py"), str(path), *options]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        sys.exit(f"building {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def last_pain_id(db: Path) -> int:
    # Closed at once: an open connection would keep the WAL beside the write copies for the
    # whole run (the harness's own reader, which no user has).
    connection = sqlite3.connect(db)
    try:
        row = connection.execute("SELECT max(id) FROM pain_entry").fetchone()
    finally:
        connection.close()
    return int(row[0])


COUNTERS = {
    "csv": "sum(1 for _ in open(p, 'rb')) - 1",
    "events": "len(json.load(open(p, encoding='utf-8'))['events'])",
    "entries": "len(json.load(open(p, encoding='utf-8')).get('entry', []))",
    "list": "len(json.load(open(p, encoding='utf-8')))",
}


def count(kind: str, path: Path) -> int:
    """Rows in an output file, counted in a child process: a fork inherits the parent's peak
    RSS until exec, so the harness never loads a big file itself."""
    code = f"import json, sys; p = sys.argv[1]; print({COUNTERS[kind]})"
    done = subprocess.run(
        [str(PYTHON), "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def build_jobs(
    work: Path, args: argparse.Namespace, env: dict[str, str], jrnl: Path | None, jrnl_note: str
) -> tuple[list[list[Job]], dict[str, Any]]:
    """The fixtures and the jobs, grouped in units (a unit's jobs always run in order)."""
    years = args.years if args.years is not None else (1.0 if args.quick else 10.0)
    end = ["--end", args.end] if args.end else []
    common = ["--density", str(args.density), "--seed", str(args.seed), *end]
    print(f"building the fixtures ({years:g} years, density {args.density:g})...", file=sys.stderr)
    dbs = {name: work / f"{name}.db" for name in DBS}
    synth(dbs["empty"], env, "--empty")
    info = {
        "10y": synth(dbs["10y"], env, "--years", str(years), *common),
        "chronic": synth(dbs["chronic"], env, "--years", str(years), "--chronic", *common),
        "years": years,
    }
    writes = {}
    for name in DBS:
        writes[name] = work / f"{name}-writes.db"
        shutil.copyfile(dbs[name], writes[name])
    bc = [str(BACKCARE), "--db"]
    # One entry per write copy, for edit / delete / undo.
    for name in DBS:
        done = subprocess.run(
            [*bc, str(writes[name]), "log", "3", "--at", "2020-01-01 12:00"],
            env=env,
            capture_output=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"preparing {name}: {done.stderr.decode(errors='replace')}")

    def floor() -> Job:
        return Job("stack floor", "-", [str(PYTHON), str(HERE / "floor_stack.py"), floor_db])

    floor_db = str(work / "floor.db")
    selected = args.only

    def wanted(name: str) -> bool:
        return not selected or name in selected or name.split()[0] in selected

    units: list[list[Job]] = []
    if jrnl is not None:
        for name, argv in LIGHT:
            if wanted(name):
                ref = Job("jrnl --help", "-", [str(jrnl), "--help"])
                units.append([Job(name, "-", [str(BACKCARE), *argv], ref, HELP_RATIO)])
    else:
        for name, _ in LIGHT:
            if wanted(name):
                units.append([Job(name, "-", [], status="n/a", detail=jrnl_note)])
    for db in DBS:
        for name, argv in FLOORED:
            if wanted(name):
                path = writes[db] if name in ("log", "treat", "symptom") else dbs[db]
                units.append([Job(name, db, [*bc, str(path), *argv], floor(), FLOOR_RATIO)])
        ref = f"p{last_pain_id(writes[db])}"
        seq = {
            "edit": ["edit", ref, "--pain", "5"],
            "delete": ["delete", ref, "--yes"],
            "undo": ["undo", "--yes"],
        }
        unit = [
            Job(name, db, [*bc, str(writes[db]), *seq[name]], floor(), FLOOR_RATIO)
            for name in SEQUENCE
            if wanted(name)
        ]
        if unit:
            units.append(unit)
    for name, argv in MEASURED:
        if wanted(name):
            units.append([Job(name, "10y", [*bc, str(dbs["10y"]), *argv])])
    big = str(dbs["10y"])
    days = str(round(years * 365))
    exports = [
        ("export csv", ["export", "csv"], "csv"),
        ("export json", ["export", "json"], "events"),
        ("export fhir", ["export", "fhir"], "entries"),
        ("history --json", ["history", "--json", "--days", days], "list"),
    ]
    for name, argv, counter in exports:
        if wanted(name):
            units.append([Job(name, "10y", [*bc, big, *argv], rate=RATES[name], count=counter)])
    if wanted("import"):
        dump = work / "10y.json"
        with dump.open("wb") as sink:
            subprocess.run([*bc, big, "export", "json"], stdout=sink, env=env, check=True)
        fresh_db = work / "import-fresh.db"

        def fresh() -> None:
            shutil.copyfile(dbs["empty"], fresh_db)

        again_db = work / "import-again.db"
        fresh()
        subprocess.run(
            [*bc, str(fresh_db), "import", str(dump)], env=env, check=True, capture_output=True
        )
        shutil.copyfile(fresh_db, again_db)
        imp = Job(
            "import (fresh)",
            "10y",
            [*bc, str(fresh_db), "import", str(dump)],
            rate=RATES["import (fresh)"],
            before=fresh,
        )
        imp.rows = count("events", dump)
        imp.paired_only = True
        again = Job(
            "import (again)", "10y", [*bc, str(again_db), "import", str(dump)], imp, REIMPORT_RATIO
        )
        units.append([imp, again])
    if wanted("db"):
        integrity = Job(
            "integrity_check", "-", [str(PYTHON), str(HERE / "floor_integrity.py"), big]
        )
        units.append(
            [
                Job(
                    "db check --full",
                    "10y",
                    [*bc, big, "db", "check", "--full"],
                    integrity,
                    CHECK_RATIO,
                )
            ]
        )
    if wanted("backup"):
        out = work / "backup.db"
        units.append(
            [
                Job(
                    "db backup",
                    "10y",
                    [*bc, big, "db", "backup", str(out)],
                    before=lambda: out.unlink(missing_ok=True),
                )
            ]
        )
    return units, info


def measure(units: list[list[Job]], env: dict[str, str], runs: int) -> None:
    """A warm-up round, then `runs` rounds; pairs alternate which side runs first."""
    for round_no in range(runs + 1):
        shift = round_no % len(units) if units else 0
        for unit in units[shift:] + units[:shift]:
            for job in unit:
                if job.status != "ok" or job.paired_only:
                    continue
                sides = [job] if job.floor is None else [job.floor, job]
                if round_no % 2:
                    sides.reverse()
                got = {id(side): run_once(side, env) for side in sides}
                if job.floor is not None and job.floor.status != "ok":
                    job.status, job.detail = "error", f"floor: {job.floor.detail}"
                if round_no == 0 or job.status != "ok":
                    continue
                job.samples.append(got[id(job)])
                if job.floor is not None:
                    job.floor.samples.append(got[id(job.floor)])
                    job.ratios.append(got[id(job)].wall_s / got[id(job.floor)].wall_s)
                    floor_cpu = got[id(job.floor)].cpu_s
                    if floor_cpu > 0:
                        job.cpu_ratios.append(got[id(job)].cpu_s / floor_cpu)
        label = " (warm-up)" if round_no == 0 else ""
        print(f"  round {round_no}/{runs}{label}", file=sys.stderr)


def count_rows(job: Job, env: dict[str, str], work: Path) -> None:
    if job.count is None or job.status != "ok":
        return
    path = work / "count.out"
    with path.open("wb") as sink:
        sample = run_once(job, env, stdout=sink)
    if sample.rc == 0:
        job.rows = count(job.count, path)
    path.unlink()


# --- verdicts and the table ----------------------------------------------------------------


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


JUDGE = {"by": "wall"}  # --judge: which per-pair ratio the floor budgets read


def verdict(job: Job) -> tuple[str, str]:
    """(budget, verdict) of one job."""
    if job.status != "ok":
        return "", f"{job.status.upper()}: {job.detail}"
    checks: list[tuple[str, bool]] = []
    if job.budget_ratio is not None and job.floor is not None:
        r = median(job.cpu_ratios if JUDGE["by"] == "cpu" else job.ratios)
        checks.append(
            (f"<= {job.budget_ratio}x {job.floor.name}", r is not None and r <= job.budget_ratio)
        )
    if job.rate is not None:
        per_s, rss = job.rate
        wall = median([s.wall_s for s in job.samples])
        rate = (job.rows or 0) / wall if wall else 0.0
        checks.append((f">= {per_s / 1000:g}k/s", rate >= per_s))
        if rss is not None:
            peak = max(s.rss_mb for s in job.samples)
            checks.append((f"RSS <= {rss:g} MB", peak <= rss))
    if not checks:
        return "", "-"
    failed = [text for text, ok in checks if not ok]
    budget = ", ".join(text for text, _ in checks)
    return budget, "PASS" if not failed else "FAIL (" + ", ".join(failed) + ")"


def table(units: list[list[Job]]) -> tuple[str, list[dict[str, Any]]]:
    head = [
        "command",
        "db",
        "median ms",
        "floor",
        "floor ms",
        "x floor (median of pairs)",
        "cpu ms",
        "cpu x floor (median of pairs)",
        "peak RSS MB",
        "rows",
        "rows/s",
        "rows/s (cpu)",
        "budget",
        "verdict",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = []
    for unit in units:
        for job in unit:
            wall = median([s.wall_s * 1000 for s in job.samples])
            cpu = median([s.cpu_s * 1000 for s in job.samples])
            peak = max((s.rss_mb for s in job.samples), default=None)
            floor_ms = median([s.wall_s * 1000 for s in job.floor.samples]) if job.floor else None
            ratio = median(job.ratios)
            cpu_ratio = median(job.cpu_ratios)
            rate = (job.rows / (wall / 1000)) if job.rows and wall and job.rate else None
            cpu_rate = (job.rows / (cpu / 1000)) if job.rows and cpu and job.rate else None
            budget, result = verdict(job)
            row = {
                "name": job.name,
                "db": job.db,
                "median_ms": wall,
                "floor": job.floor.name if job.floor else None,
                "floor_ms": floor_ms,
                "ratio": ratio,
                "ratios": [round(r, 3) for r in job.ratios],
                "cpu_ms": cpu,
                "cpu_x_floor": cpu_ratio,
                "cpu_ratios": [round(r, 3) for r in job.cpu_ratios],
                "peak_rss_mb": peak,
                "rows": job.rows,
                "rows_per_s": rate,
                "rows_per_cpu_s": cpu_rate,
                "budget": budget,
                "verdict": result,
                "samples_ms": [round(s.wall_s * 1000, 1) for s in job.samples],
            }
            rows.append(row)

            def f(value: float | None, spec: str) -> str:
                return "" if value is None else format(value, spec)

            cells = [
                f"`{job.name}`",
                job.db,
                f(wall, ".0f"),
                job.floor.name if job.floor else "",
                f(floor_ms, ".0f"),
                f(ratio, ".2f"),
                f(cpu, ".0f"),
                f(cpu_ratio, ".2f"),
                f(peak, ".0f"),
                f"{job.rows:,}" if job.rows else "",
                f(rate, ",.0f"),
                f(cpu_rate, ",.0f"),
                budget,
                result,
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), rows


def growth(units: list[list[Job]]) -> str:
    """What the history costs: each floored command's median CPU on `10y` and `chronic` (one
    never-ending episode) over its median CPU on `empty`. The rules read a capped window
    (docs/rules.md), so both stay near 1 however long the episode; not judged."""
    cpu: dict[tuple[str, str], float] = {}
    for unit in units:
        for job in unit:
            got = median([s.cpu_s for s in job.samples])
            if job.budget_ratio is not None and job.db in DBS and got:
                cpu[(job.name, job.db)] = got
    lines = ["| command | 10y / empty (cpu) | chronic / empty (cpu) |", "|---|---|---|"]
    for name in dict.fromkeys(name for name, _db in cpu):
        base = cpu.get((name, "empty"))
        if not base:
            continue
        cells = [f"{cpu[(name, db)] / base:.2f}" if (name, db) in cpu else "" for db in DBS[1:]]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) if len(lines) > 2 else ""


README_START = "<!-- latest-table:start -->"
README_END = "<!-- latest-table:end -->"


def update_readme(report: str) -> None:
    readme = HERE / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(README_START), text.index(README_END)
    new = text[: start + len(README_START)] + "\n" + report + "\n" + text[end:]
    readme.write_text(new, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, help="timed rounds after the warm-up (default 10)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 year, 2 rounds")
    parser.add_argument("--only", help="comma-separated command names or first words")
    parser.add_argument("--years", type=float, help="years of history (default 10; --quick 1)")
    parser.add_argument("--density", type=float, default=3.6, help="logging density (synth.py)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--end", help="end of the history, ISO with offset (default: this hour)")
    parser.add_argument("--jrnl", default="auto", help="auto (find or install), skip, or a path")
    parser.add_argument("--results", type=Path, default=HERE / "results", help="output dir")
    parser.add_argument("--readme", action="store_true", help="put the table in README.md")
    parser.add_argument("--note", default="", help="a line printed above the table")
    parser.add_argument("--keep", action="store_true", help="keep the work dir with the DBs")
    parser.add_argument("--src", type=Path, help="time the backcare package under SRC instead")
    parser.add_argument(
        "--judge",
        choices=("wall", "cpu"),
        default="wall",
        help="judge the floor budgets by the median per-pair ratio of wall time (the issue's "
        "definition, default) or of user+sys CPU time (steadier on a loaded machine)",
    )
    args = parser.parse_args()
    if not BACKCARE.exists():
        parser.error(f"{BACKCARE} not found: run this with the project's venv python")
    JUDGE["by"] = args.judge
    runs = args.runs if args.runs is not None else (2 if args.quick else 10)
    args.only = {n.strip() for n in args.only.split(",")} if args.only else None

    jrnl, jrnl_note = find_jrnl(args.jrnl)
    work = Path(tempfile.mkdtemp(prefix="backcare-bench-"))
    started = time.perf_counter()
    load_before = os.getloadavg()
    try:
        (work / "home").mkdir()
        env = child_env(work / "home", args.src)
        units, info = build_jobs(work, args, env, jrnl, jrnl_note)
        measure(units, env, max(1, runs))
        for unit in units:
            for job in unit:
                count_rows(job, env, work)
    finally:
        if args.keep:
            print(f"work dir kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    text, rows = table(units)
    now = datetime.now(UTC)
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = {k: info[k]["events"] for k in ("10y", "chronic")}
    meta = (
        f"{now:%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load_before[0]:.1f} before / {os.getloadavg()[0]:.1f} after; "
        f"{runs} timed rounds after a warm-up; floor budgets judged by {args.judge} time; "
        f"history {info['years']:g} years: "
        f"{events['10y']:,} events (`10y`), {events['chronic']:,} (`chronic`, one episode); "
        f"{jrnl_note}; ran {time.perf_counter() - started:.0f} s."
    )
    notes = (
        "Ratios are medians of per-pair ratios (each command beside its floor, order "
        "alternating); rows/s = rows / median whole-process wall time (the budget); "
        "rows/s (cpu) = rows / median user+sys CPU time and cpu x floor = the median of the "
        "per-pair ratios of user+sys CPU time, both less sensitive to load; "
        "peak RSS is the highest "
        f"over the runs (ru_maxrss, floored at the harness's own {own_mb:.0f} MB)."
    )
    grown = growth(units)
    if grown:
        grown = (
            "What the history costs (median CPU over the same command's on `empty`):\n\n" + grown
        )
    report = "\n\n".join(x for x in (meta, args.note, text, notes, grown) if x)
    print()
    print(report)
    args.results.mkdir(parents=True, exist_ok=True)
    stem = f"{now:%Y-%m-%d-%H%M}{'-quick' if args.quick else ''}"
    taken = 1  # two runs within a minute: the second gets "-2", never the first one's file
    while (args.results / f"{stem}.md").exists() or (args.results / f"{stem}.json").exists():
        taken += 1
        stem = f"{now:%Y-%m-%d-%H%M}{'-quick' if args.quick else ''}-{taken}"
    (args.results / f"{stem}.md").write_text(report + "\n", encoding="utf-8")
    (args.results / f"{stem}.json").write_text(
        json.dumps({"meta": meta, "results": rows}, indent=1) + "\n", encoding="utf-8"
    )
    if args.readme:
        update_readme(report)
    print(f"\nwritten: {args.results / stem}.md", file=sys.stderr)
    failed = [r for r in rows if str(r["verdict"]).startswith(("FAIL", "ERROR"))]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
