"""Time Halte's solver against PySAL spopt (PuLP + CBC, PuLP + HiGHS) on the same instances.

Not a test. spopt is not a project dependency: run this with a separate virtualenv that has
spopt, pulp and highspy (and therefore numpy), from the repository root:

    python3 -m venv /tmp/spopt-venv && /tmp/spopt-venv/bin/pip install spopt pulp highspy
    /tmp/spopt-venv/bin/python bench/planning/compare_spopt.py [--time-limit 300] [--only pmed1 ...]

Each (instance, solver) pair runs in its own child process so that the peak resident memory
(``ru_maxrss`` of the child and of its own children, i.e. the CBC executable) is per run. Seconds
are the solve call's wall clock: model building included for spopt, since building is part of
using it; file reading and shortest paths excluded for both.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "planning" / "solver" / "data"

# (label, file, format, model, p, radius, published optimum)
CASES = [
    *[
        (f"pmed{k}", f"pmed{k}.txt", "orlib-pmed", "p-median", None, None, opt)
        for k, opt in enumerate(
            [5819, 4093, 4250, 3034, 1355, 7824, 5631, 4445, 2734, 1255], start=1
        )
    ],
    ("SJC324 p=2", "SJC324.txt", "sjc-mclp", "mclp", 2, 800.0, 8790),
    ("SJC324 p=4", "SJC324.txt", "sjc-mclp", "mclp", 4, 800.0, 12106),
    ("SJC402 p=3", "SJC402.txt", "sjc-mclp", "mclp", 3, 800.0, 14690),
    ("SJC402 p=5", "SJC402.txt", "sjc-mclp", "mclp", 5, 800.0, 15970),
]
SOLVERS = ("halte", "spopt-cbc", "spopt-highs")


def run_one(label: str, solver: str, time_limit: float) -> dict[str, object]:
    from halte.planning.solver import SolveOptions, read_instance, solve

    _, file, fmt, model, p, radius, optimum = next(c for c in CASES if c[0] == label)
    instance = read_instance(DATA / file, fmt)
    n_sites = p if p is not None else instance.p
    costs = instance.problem.costs
    weights = instance.problem.weights
    start = time.perf_counter()
    if solver == "halte":
        sol = solve(
            instance.problem,
            model,
            p=n_sites,
            radius=radius,  # type: ignore[arg-type]
            options=SolveOptions(time_limit=time_limit),
        )
        objective, status = sol.objective, sol.status
    else:
        import pulp
        from spopt.locate import MCLP, PMedian

        backend = (
            pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
            if solver == "spopt-cbc"
            else pulp.HiGHS(msg=False, timeLimit=time_limit)
        )
        if model == "p-median":
            found = PMedian.from_cost_matrix(costs, weights, p_facilities=n_sites).solve(backend)
            chosen = [j for j, v in enumerate(found.fac_vars) if v.value() and v.value() > 0.5]
            objective = float((weights * costs[:, chosen].min(axis=1)).sum())
        else:
            found = MCLP.from_cost_matrix(costs, weights, radius, p_facilities=n_sites).solve(
                backend
            )
            chosen = [j for j, v in enumerate(found.fac_vars) if v.value() and v.value() > 0.5]
            objective = float(weights[(costs[:, chosen] <= radius).any(axis=1)].sum())
        status = pulp.LpStatus[found.problem.status]
    seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "label": label,
        "solver": solver,
        "seconds": seconds,
        "objective": objective,
        "status": status,
        "optimum": optimum,
        "peak_mb": max(own, kids) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "SOLVER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], args.one[1], args.time_limit)))
        return 0
    print("| instance | optimum | solver | objective | status | seconds | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    for label, *_ in CASES:
        if args.only and label.split()[0] not in args.only:
            continue
        for solver in SOLVERS:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--time-limit",
                    str(args.time_limit),
                    "--one",
                    label,
                    solver,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            lines = [line for line in child.stdout.splitlines() if line.startswith("{")]
            if not lines:
                print(
                    f"| {label} | | {solver} | error | {child.stderr.strip()[-80:]} | | |",
                    flush=True,
                )
                continue
            r = json.loads(lines[-1])
            obj = "-" if r["objective"] is None else f"{r['objective']:g}"
            print(
                f"| {label} | {r['optimum']} | {solver} | {obj} | {r['status']} | "
                f"{r['seconds']:.2f} | {r['peak_mb']:.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
