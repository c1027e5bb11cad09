"""backcare benchmarks: cold whole-process wall time and peak RSS of each command.

    .venv/bin/python benchmarks/run.py [--runs 10] [--quick] [--only log,check] [--out FILE]
    .venv/bin/python benchmarks/run.py --chronic [--runs 10]

Builds an empty DB and a 10-year synthetic history (benchmarks/synth.py), then, after one
warm-up round, runs every command once per round, round after round, side by side with the
two floors (`python -c pass` and benchmarks/floor_stack.py), so machine noise hits all alike.
Prints a table of medians, ratios and budget verdicts (docs/design.md "Budgets") and writes it
as JSON. See benchmarks/README.md for what each figure means.

`--chronic`: pain that never stops. Builds a 4-month and a 10-year history that are each ONE
episode (never 7 pain-free days) and times `log`, `check`, `status` and `remind` on both; the
budget is the 10-year run within CHRONIC_RATIO of the 4-month one (the rules read the
episode's first 24 h and the last 60 days, whatever the episode's length).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PYTHON = Path(sys.executable)
BACKCARE = PYTHON.parent / "backcare"
TIMEOUT_S = 180.0
HELP_MS = 100.0  # `jrnl --help` on this class of machine (jrnl is not installed here)
FLOOR_RATIO = 1.15
SCALE_RATIO = 1.10
CHRONIC_RATIO = 1.05
CHRONIC_BUDGET = ("log", "check", "status", "remind")
CHRONIC_BASE_YEARS = 4 / 12  # the 4-month history the 10-year episode is compared with
EXPORT_ROWS_PER_S = 100_000
EXPORT_RSS_MB = 150.0
ZONE = "Europe/London"  # the synthetic history's zone (synth.ZONE)
HEAVY = ("sqlmodel", "sqlalchemy", "alembic", "pydantic")
# Typer >= 0.2x imports pydantic itself (typer._adapters) to coerce the parameters of any
# command it invokes, so only the root options (--help, --version) can avoid it.
NO_PYDANTIC = ("--help", "--version")
LIGHT = ("--help", "--version", "symptom --list")  # never touch the DB
FLOOR_BUDGET = ("log", "treat", "symptom", "check", "status", "remind")
SCALE_BUDGET = ("check", "status", "remind", "summary --days 30")
FLOOR_PASS = "python -c pass"
FLOOR_STACK = "stack floor"

# (name, argv after `backcare [--db PATH]`, writes to the DB)
COMMANDS: list[tuple[str, list[str], bool]] = [
    ("--help", ["--help"], False),
    ("--version", ["--version"], False),
    ("symptom --list", ["symptom", "--list"], False),
    ("log", ["log", "4", "--spasms", "1", "--where", "lower"], True),
    ("treat", ["treat", "heat", "--minutes", "20"], True),
    ("symptom", ["symptom", "night-pain"], True),
    ("check", ["check"], False),
    ("status", ["status"], False),
    ("summary --days 30", ["summary", "--days", "30"], False),
    ("remind", ["remind"], False),
    ("export csv", ["export", "csv"], False),
    ("report --days 30", ["report", "--days", "30"], False),
]

# Runs the CLI in-process, then reports which heavy packages it imported (also when the CLI
# leaves through os._exit to skip interpreter teardown).
IMPORT_PROBE = """
import json, os, sys
def report():
    loaded = {m.split(".")[0] for m in sys.modules}
    heavy = sorted(loaded & set(json.loads(os.environ["BENCH_HEAVY"])))
    with open(os.environ["BENCH_OUT"], "w") as out:
        json.dump(heavy, out)
real_exit = os._exit
os._exit = lambda code: (report(), real_exit(code))
sys.argv = ["backcare", *json.loads(os.environ["BENCH_ARGV"])]
from backcare.cli import main
try:
    main()
except SystemExit:
    pass
report()
"""


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    rss_kib: int
    rc: int
    stderr: str


@dataclass
class Target:
    name: str
    db: str  # "empty", "4m", "10y" or "-"
    argv: list[str]
    status: str = "ok"  # ok | missing | error
    detail: str = ""
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    heavy_imports: list[str] | None = None
    rows: int | None = None

    @property
    def key(self) -> str:
        return f"{self.name} [{self.db}]"

    def median(self) -> float | None:
        return statistics.median(self.wall_ms) if self.wall_ms else None

    def cpu(self) -> float | None:
        return statistics.median(self.cpu_ms) if self.cpu_ms else None


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
    return Sample(wall, cpu, usage.ru_maxrss, proc.returncode, text)


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


def classify(target: Target, sample: Sample) -> None:
    if sample.rc == 2 and "No such command" in sample.stderr:
        target.status = "missing"
    elif sample.rc != 0:
        target.status = "error"
        lines = [line.strip() for line in sample.stderr.splitlines() if line.strip()]
        target.detail = f"exit {sample.rc}: {lines[-1] if lines else '(no stderr)'}"[:160]


def record(target: Target, sample: Sample) -> None:
    target.wall_ms.append(sample.wall_s * 1000)
    target.cpu_ms.append(sample.cpu_s * 1000)
    target.rss_mb.append(sample.rss_kib / 1024)


def probe_imports(target: Target, env: dict[str, str], work: Path) -> None:
    out = work / "probe.json"
    out.unlink(missing_ok=True)
    probe_env = env | {
        "BENCH_ARGV": json.dumps(target.argv[1:]),
        "BENCH_HEAVY": json.dumps(HEAVY),
        "BENCH_OUT": str(out),
    }
    sample = spawn([str(PYTHON), "-c", IMPORT_PROBE], probe_env)
    if out.exists():
        target.heavy_imports = json.loads(out.read_text())
    else:
        lines = sample.stderr.strip().splitlines() or ["(no stderr)"]
        target.detail = f"import probe failed: {lines[-1]}"[:160]


def count_export_rows(target: Target, env: dict[str, str], work: Path) -> None:
    path = work / "export.csv"
    with path.open("wb") as sink:
        sample = spawn(target.argv, env, stdout=sink)
    if sample.rc == 0:
        with path.open("rb") as handle:
            target.rows = max(0, sum(1 for _ in handle) - 1)  # minus the header
    path.unlink()


# --- budgets -------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def judge(target: Target, by_key: dict[str, Target], base: str = "empty") -> dict[str, Any]:
    """Ratios (wall and cpu) and the verdict; budgets are judged on the wall-time ratios.

    `base` is the fixture the 10y rows are compared with ("x empty"): "empty", or "4m" in
    the chronic mode.
    """
    median = target.median()
    row: dict[str, Any] = {"budget": "", "verdict": "-"}
    floor = by_key[f"{FLOOR_STACK} [-]"]
    empty = by_key.get(f"{target.name} [{base}]") if target.db == "10y" else None
    has_db = target.db != "-"
    row["x_floor"] = ratio(median, floor.median()) if has_db else None
    row["x_empty"] = ratio(median, empty.median()) if empty else None
    row["cpu_x_floor"] = ratio(target.cpu(), floor.cpu()) if has_db else None
    row["cpu_x_empty"] = ratio(target.cpu(), empty.cpu()) if empty else None
    if median is None:
        row["verdict"] = target.status
        return row
    checks: list[tuple[str, bool]] = []
    heavy = target.heavy_imports
    if target.name in LIGHT:
        checks.append((f"<={HELP_MS:.0f}ms", median <= HELP_MS))
        banned = HEAVY if target.name in NO_PYDANTIC else HEAVY[:-1]
        clean = heavy is not None and not set(heavy) & set(banned)
        checks.append(("no " + "/".join(banned), clean))
    elif base == "4m":
        if target.name in CHRONIC_BUDGET and target.db == "10y" and row["x_empty"] is not None:
            checks.append((f"<={CHRONIC_RATIO}x 4m", row["x_empty"] <= CHRONIC_RATIO))
    elif target.name in FLOOR_BUDGET and target.db == "empty":
        checks.append((f"<={FLOOR_RATIO}x floor", row["x_floor"] <= FLOOR_RATIO))
        checks.append(("no alembic", heavy is not None and "alembic" not in heavy))
    elif target.name in SCALE_BUDGET and target.db == "10y" and row["x_empty"] is not None:
        checks.append((f"<={SCALE_RATIO}x empty", row["x_empty"] <= SCALE_RATIO))
        if target.name in FLOOR_BUDGET:
            checks.append(("no alembic", heavy is not None and "alembic" not in heavy))
    elif target.name == "export csv" and target.db == "10y":
        rate = (target.rows or 0) / (median / 1000)
        # Streaming rate: the rows over the time the 10y run takes beyond the same command on
        # the empty DB (start-up, imports and teardown are paid once, whatever the size).
        base = empty.median() if empty is not None else None
        stream = (target.rows or 0) / ((median - base) / 1000) if base and median > base else 0
        row["rows_per_s"] = round(rate)
        row["stream_rows_per_s"] = round(stream)
        checks.append((f">={EXPORT_ROWS_PER_S // 1000}k rows/s", stream >= EXPORT_ROWS_PER_S))
        peak = max(target.rss_mb)
        checks.append((f"<={EXPORT_RSS_MB:.0f}MB", peak <= EXPORT_RSS_MB))
    if checks:
        row["budget"] = ", ".join(text for text, _ in checks)
        failed = [text for text, ok in checks if not ok]
        row["verdict"] = "PASS" if not failed else "FAIL: " + ", ".join(failed)
    return row


# --- the run -------------------------------------------------------------------------------


def synth(path: Path, env: dict[str, str], *options: str) -> dict[str, Any]:
    """Build a DB with benchmarks/synth.py in a child process (see `spawn` on peak RSS)."""
    argv = [str(PYTHON), str(HERE / "synth.py"), str(path), *options]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        sys.exit(f"building {path.name} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def prepare(
    work: Path, args: argparse.Namespace, env: dict[str, str]
) -> tuple[dict[str, Path], dict[str, Any]]:
    """The DBs: each fixture, and a copy of it for the commands that write."""
    years = 1.0 if args.quick else args.years
    print(f"building {years:g} years of history (density {args.density:g})...", file=sys.stderr)
    base = "4m" if args.chronic else "empty"
    dbs = {base: work / f"{base}.db", "10y": work / "history.db"}
    end = ["--end", args.end] if args.end else []
    common = ["--density", str(args.density), "--seed", str(args.seed), *end]
    if args.chronic:
        common.append("--chronic")
        synth(dbs[base], env, "--years", str(CHRONIC_BASE_YEARS), *common)
    else:
        synth(dbs[base], env, "--empty")
    info = synth(dbs["10y"], env, "--years", str(years), *common)
    print(
        f"  {info['events']} events in {info['generate_s'] + info['insert_s']:.1f}s "
        f"({info['db_mb']} MB)",
        file=sys.stderr,
    )
    for name in (base, "10y"):
        shutil.copyfile(dbs[name], work / f"{name}-writes.db")
        dbs[f"{name}-writes"] = work / f"{name}-writes.db"
    return dbs, info


def make_targets(
    dbs: dict[str, Path], work: Path, only: set[str] | None, base: str = "empty"
) -> list[Target]:
    targets = [
        Target(FLOOR_PASS, "-", [str(PYTHON), "-c", "pass"]),
        Target(
            FLOOR_STACK, "-", [str(PYTHON), str(HERE / "floor_stack.py"), str(work / "floor.db")]
        ),
    ]
    for name, argv, writes in COMMANDS:
        if only and name not in only and name.split()[0] not in only:
            continue
        if name in LIGHT:
            targets.append(Target(name, "-", [str(BACKCARE), *argv]))
            continue
        for db in (base, "10y"):
            path = dbs[f"{db}-writes" if writes else db]
            targets.append(Target(name, db, [str(BACKCARE), "--db", str(path), *argv]))
    return targets


def measure(targets: list[Target], env: dict[str, str], runs: int) -> None:
    live = targets
    for round_no in range(runs + 1):  # round 0 is the warm-up
        shift = round_no % len(live) if live else 0
        for target in live[shift:] + live[:shift]:
            sample = spawn(target.argv, env)
            if round_no == 0:
                classify(target, sample)
            elif target.status == "ok":
                record(target, sample)
        live = [t for t in live if t.status == "ok"]
        print(f"  round {round_no}/{runs}{' (warm-up)' if round_no == 0 else ''}", file=sys.stderr)


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "command",
        "db",
        "median",
        "min",
        "max",
        "cpu",
        "RSS MB",
        "x floor",
        "x empty",
        "cpu xf",
        "cpu xe",
        "verdict",
    )
    lines = []
    for r in results:
        verdict = r["verdict"]
        if r["budget"]:
            verdict = f"{verdict} ({r['budget']})" if verdict == "PASS" else verdict
        if r["status"] != "ok" or r["detail"]:
            verdict = f"{verdict}; {r['status']}" if r["status"] == "ok" else r["status"]
            verdict += f" ({r['detail']})" if r["detail"] else ""
        extra = ""
        if r.get("rows_per_s"):
            extra = (
                f"; {r['rows']:,} rows: {r['stream_rows_per_s']:,} rows/s streaming, "
                f"{r['rows_per_s']:,} rows/s whole process"
            )
        lines.append(
            (
                r["name"],
                r["db"],
                fmt(r["median_ms"], ".0f"),
                fmt(r["min_ms"], ".0f"),
                fmt(r["max_ms"], ".0f"),
                fmt(r["cpu_ms"], ".0f"),
                fmt(r["peak_rss_mb"], ".0f"),
                fmt(r["x_floor"], ".2f"),
                fmt(r["x_empty"], ".2f"),
                fmt(r["cpu_x_floor"], ".2f"),
                fmt(r["cpu_x_empty"], ".2f"),
                verdict + extra,
            )
        )
    widths = [max(len(str(row[i])) for row in [head, *lines]) for i in range(len(head) - 1)]
    out = []
    for row in [head, *lines]:
        cells = [
            str(c).rjust(w) if i >= 2 else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=False))
        ]
        out.append("  ".join([*cells, str(row[-1])]))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed rounds after the warm-up")
    parser.add_argument("--quick", action="store_true", help="1 year of history, not 10")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--only", help="comma-separated command names (floors always run)")
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--density", type=float, default=3.6, help="logging density (synth.py)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--end", help="end of the history, ISO with offset (default: this hour)")
    parser.add_argument("--keep", action="store_true", help="keep the work dir with the DBs")
    parser.add_argument("--src", type=Path, help="time the backcare package under SRC instead")
    parser.add_argument(
        "--chronic",
        action="store_true",
        help="one never-ending episode: 10 years vs 4 months, log/check/status/remind",
    )
    args = parser.parse_args()
    if not BACKCARE.exists():
        parser.error(f"{BACKCARE} not found: run this with the project's venv python")
    only = {name.strip() for name in args.only.split(",")} if args.only else None
    base = "4m" if args.chronic else "empty"
    if args.chronic:
        only = (only or set(CHRONIC_BUDGET)) & set(CHRONIC_BUDGET)

    work = Path(tempfile.mkdtemp(prefix="backcare-bench-"))
    started = time.perf_counter()
    try:
        (work / "home").mkdir()
        env = child_env(work / "home", args.src)
        dbs, history = prepare(work, args, env)
        targets = make_targets(dbs, work, only, base)
        measure(targets, env, max(1, args.runs))
        for target in targets:
            if target.status != "ok" or (target.db == "-" and target.name not in LIGHT):
                continue
            if target.name in LIGHT or target.name in FLOOR_BUDGET:
                probe_imports(target, env, work)
            if target.name == "export csv":
                count_export_rows(target, env, work)
    finally:
        if args.keep:
            print(f"work dir kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    by_key = {t.key: t for t in targets}
    floor_ms = by_key[f"{FLOOR_STACK} [-]"].median() or float("nan")
    results = []
    for target in targets:
        data = asdict(target)
        samples = data.pop("wall_ms")
        cpu = data.pop("cpu_ms")
        rss = data.pop("rss_mb")
        data.update(
            median_ms=target.median(),
            min_ms=min(samples) if samples else None,
            max_ms=max(samples) if samples else None,
            cpu_ms=statistics.median(cpu) if cpu else None,
            peak_rss_mb=max(rss) if rss else None,
            samples_ms=[round(s, 1) for s in samples],
        )
        data.update(judge(target, by_key, base))
        results.append(data)

    print()
    print(table(results))
    pass_ms = by_key[f"{FLOOR_PASS} [-]"].median() or 0.0
    own_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nstack floor {floor_ms:.0f} ms, python -c pass {pass_ms:.0f} ms; "
        f"--help reference (jrnl --help) {HELP_MS:.0f} ms; {args.runs} runs after a warm-up; "
        f"history: {history['events']:,} events over {history['years']:g} years "
        f"(built in {history['generate_s'] + history['insert_s']:.1f}s); times in ms, cpu = "
        f"user+sys; RSS is floored at this harness's own peak ({own_mb:.0f} MB, see README)"
    )
    report = {
        "meta": {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
            "runs": args.runs,
            "src": str(args.src.resolve()) if args.src else None,
            "harness_rss_mb": round(own_mb, 1),
            "elapsed_s": round(time.perf_counter() - started, 1),
            "history": history,
            "budgets": {
                "help_ms": HELP_MS,
                "floor_ratio": FLOOR_RATIO,
                "scale_ratio": SCALE_RATIO,
                "export_rows_per_s": EXPORT_ROWS_PER_S,
                "export_rss_mb": EXPORT_RSS_MB,
            },
        },
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"written: {args.out}")
    failed = [r for r in results if str(r["verdict"]).startswith("FAIL")]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
