"""Long runs of the exact solver on generated capacitated cases: reference values to measure against.

Usage (from the repository root, one case at a time, pinned to one core, in the background):
    taskset -c 1 .venv/bin/python bench/planning/reference.py --time-limit 900 \\
        --only gen-cap-n100-p10-s3 [gen-cap-n300-p25-s4 ...] [--solver-root DIR --solver-label C]

``--solver-root`` runs a solver outside the checkout (e.g. ``git archive`` of a commit into
DIR, so that editing the checkout during a long run changes nothing); ``--solver-label``
names it in the record (default: the checkout's last solver commit).

Each case runs in a fresh process (``solve(..., "capacitated-p-median")`` with one HiGHS
thread and the given limit) and its result is merged into ``reference.json`` next to this
file: the best plan value known (an upper bound of the optimum) and the best proven lower
bound, each with the run that gave it (limit, seconds, status, solver commit, date, load).
A later run only replaces a value it improves, so the file holds the tightest interval
``[bound, objective]`` known for the optimum; ``proven`` is true when they meet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILE = HERE / "reference.json"

# name -> (n, p, seed): the generated cases of run_generated.py and run_heuristic.py.
CASES: dict[str, tuple[int, int, int]] = {
    f"gen-cap-n{n}-p{p}-s{seed}": (n, p, seed)
    for n, p, seed in [
        (100, 10, 3),
        (300, 25, 4),
        (402, 30, 5),
        (402, 40, 6),
        (100, 10, 101),
        (200, 15, 102),
        (300, 25, 103),
        (300, 30, 104),
        (402, 30, 105),
        (402, 40, 106),
        *[(100, 10, seed) for seed in range(201, 209)],  # the tenth pass's fresh seeds
        *[(100, 10, seed) for seed in range(209, 225)],  # the eleventh and twelfth passes'
    ]
}

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {solver_root!r})
sys.path.insert(1, {here!r})
import generate
from halte.planning import solver
n, p, seed, limit = {args!r}
inst = generate.capacitated(n, p, seed)
start = time.perf_counter()
sol = solver.solve(inst.problem, inst.family, p=p,
                   options=solver.SolveOptions(time_limit=limit, threads=1))
print(json.dumps({{
    "objective": sol.objective, "bound": sol.bound, "status": sol.status,
    "seconds": time.perf_counter() - start,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def _commit() -> str:
    done = subprocess.run(
        ["git", "log", "-1", "--format=%h", "--", "halte/planning/solver"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "halte/planning/solver"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return done.stdout.strip() + ("+uncommitted" if dirty.stdout.strip() else "")


def solve_case(
    name: str, limit: float, solver_root: Path = ROOT, label: str | None = None
) -> dict[str, object]:
    n, p, seed = CASES[name]
    load = os.getloadavg()[0]
    solver = label or _commit()
    code = CHILD.format(solver_root=str(solver_root), here=str(HERE), args=(n, p, seed, limit))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=HERE
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result.update(
        time_limit=limit,
        solver=solver,
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        load_at_start=round(load, 2),
        how="solve(capacitated-p-median), 1 HiGHS thread, cores "
        + ",".join(str(c) for c in sorted(os.sched_getaffinity(0))),
    )
    return result


def merge(known: dict[str, dict[str, object]], name: str, run: dict[str, object]) -> None:
    """Keep the lowest plan value and the highest bound known, each with its run."""
    entry = known.setdefault(name, {"runs": []})
    runs = entry["runs"]
    assert isinstance(runs, list)
    runs.append(run)
    values = [r for r in runs if r.get("objective") is not None]
    bounds = [r for r in runs if r.get("bound") is not None]
    if values:
        entry["objective"] = min(float(r["objective"]) for r in values)
    if bounds:
        entry["bound"] = max(float(r["bound"]) for r in bounds)
    if values and bounds:
        obj, bound = float(entry["objective"]), float(entry["bound"])  # type: ignore[arg-type]
        entry["gap_percent"] = round(100 * (obj - bound) / obj, 4)
        entry["proven"] = obj - bound <= 1e-6 * max(1.0, abs(obj))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=900.0)
    parser.add_argument("--only", nargs="+", required=True, choices=sorted(CASES))
    parser.add_argument("--solver-root", type=Path, default=ROOT)
    parser.add_argument("--solver-label", default=None)
    args = parser.parse_args()
    for name in args.only:
        run = solve_case(name, args.time_limit, args.solver_root.resolve(), args.solver_label)
        known = json.loads(FILE.read_text()) if FILE.exists() else {}
        merge(known, name, run)
        FILE.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n")
        print(name, json.dumps(run), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
