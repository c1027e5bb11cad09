"""Two checkouts of backcare interleaved on one command, beside SQLite's integrity_check.

run.py times one checkout per run (`--src`), so a before/after comparison made with it spans
two windows of a shared machine's load. This script alternates the two (and the floor)
within every round, in a rotated order, and prints medians and minima of wall and CPU time,
and the median per-round ratio to the floor:

    python benchmarks/pair_src.py --db PATH --before OLD/src [--after NEW/src] [--runs 20]
        [-- db check --full]

`--before`/`--after`: a `src` directory put first on the children's PYTHONPATH (`--after`
left out: the backcare this venv has installed). Run it with the project's venv Python.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    wall = (time.perf_counter() - start) * 1000
    if status != 0:
        raise SystemExit(f"{command} failed ({status})")
    return wall, (usage.ru_utime + usage.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("argv", nargs="*", default=["db", "check", "--full"])
    args = parser.parse_args()
    base = dict(os.environ, TZ="Europe/London", NO_COLOR="1")
    base.pop("PYTHONPATH", None)
    script = Path(sys.executable).with_name("backcare")
    command = [str(script), "--db", str(args.db), *args.argv]
    floor = [sys.executable, str(HERE / "floor_integrity.py"), str(args.db)]
    units = [
        ("before", command, dict(base, PYTHONPATH=str(args.before.resolve()))),
        (
            "after",
            command,
            dict(base, PYTHONPATH=str(args.after.resolve())) if args.after else base,
        ),
        ("floor", floor, base),
    ]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in units}
    for _ in range(2):  # warm-up: page cache, __pycache__
        for _name, cmd, env in units:
            _run(cmd, env)
    for i in range(args.runs):
        order = units[i % 3 :] + units[: i % 3]
        for name, cmd, env in order if i % 2 == 0 else order[::-1]:
            samples[name].append(_run(cmd, env))
    print(f"{' '.join(args.argv)} on {args.db}; {args.runs} rounds; load {os.getloadavg()[0]:.1f}")
    for name, got in samples.items():
        walls, cpus = [w for w, _ in got], [c for _, c in got]
        line = (
            f"{name:7} wall median {statistics.median(walls):6.1f} min {min(walls):6.1f} ms; "
            f"cpu median {statistics.median(cpus):6.1f} min {min(cpus):6.1f} ms"
        )
        if name != "floor":
            floor_got = samples["floor"]
            ratio = statistics.median(w / f[0] for (w, _), f in zip(got, floor_got, strict=True))
            cpu_ratio = statistics.median(
                c / f[1] for (_, c), f in zip(got, floor_got, strict=True)
            )
            line += f"; x floor: wall {ratio:.2f}, cpu {cpu_ratio:.2f}"
        print(line)


if __name__ == "__main__":
    main()
