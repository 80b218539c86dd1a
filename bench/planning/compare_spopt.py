"""Time Halte's solver against PySAL spopt (PuLP + CBC, PuLP + HiGHS) on the same instances.

Not a test. spopt is not a project dependency: run this with a separate virtualenv that has
spopt, pulp and highspy (and therefore numpy), from the repository root:

    python3 -m venv /tmp/spopt-venv && /tmp/spopt-venv/bin/pip install spopt pulp highspy
    /tmp/spopt-venv/bin/python bench/planning/compare_spopt.py [--time-limit 300] [--only pmed1 ...]

Each (instance, solver) pair runs in its own child process so that the peak resident memory
(``ru_maxrss`` of the child and of its own children, i.e. the CBC executable) is per run. Seconds
are the solve call's wall clock: model building included for spopt, since building is part of
using it; file reading and shortest paths excluded for both.

The capacitated cases (pmedcap01-05, SJC1-2 with their published optima, and generated cases of
``generate.py`` with the reference values of ``reference.json``) need care to be fair. These
benchmarks minimise the plain distance, sum c_ij x_ij, with the demand d_i only filling the
capacities (sum_i d_i x_ij <= Q_j y_j); spopt's capacitated p-median uses one vector, its
``weights``, for both, and minimises sum w_i c_ij x_ij. Giving spopt ``weights = d`` and the cost
matrix divided row by row by d (c_ij / d_i, every d_i > 0) makes its model the benchmark's exactly:
w_i (c_ij / d_i) = c_ij, the same capacity rows, single-source binary assignment in both. The
objective is then recomputed for both from the plan each returns (its sites and each demand's
site), after checking the plan: p sites, every demand served by an open one, no capacity exceeded.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

import generate  # noqa: E402

from halte.planning.solver import Problem  # noqa: E402
from halte.planning.solver.problem import ModelName  # noqa: E402

DATA = ROOT / "tests" / "planning" / "solver" / "data"

# (label, file, format, model, p, radius, published optimum)
CASES: list[tuple[str, str, str, ModelName, int | None, float | None, float]] = [
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
# (label, file, format, published optimum)
CAPACITATED = [
    *[
        (f"pmedcap0{k}", f"pmedcap0{k}.txt", "orlib-pmedcap", opt)
        for k, opt in enumerate([713, 740, 751, 651, 664], start=1)
    ],
    ("SJC1", "SJC1.dat", "sjc", 17288.99),
    ("SJC2", "SJC2.dat", "sjc", 33270.94),
]
# (n, p, seed) of generate.capacitated; compared with the reference values of reference.json.
GENERATED = [(100, 10, 3), (300, 25, 4)]
SOLVERS = ("halte", "spopt-cbc", "spopt-highs")


def _capacitated_case(label: str) -> tuple[Problem, int, float | None, str]:
    """(problem, p, value to compare with, what that value is) of a capacitated case."""
    from halte.planning.solver import read_instance

    for name, file, fmt, optimum in CAPACITATED:
        if name == label:
            instance = read_instance(DATA / file, fmt)
            assert instance.p is not None
            return instance.problem, instance.p, optimum, "published optimum"
    for n, p, seed in GENERATED:
        made = generate.capacitated(n, p, seed)
        if made.name == label:
            known = json.loads((HERE / "reference.json").read_text()).get(label, {})
            best = known.get("objective")
            return made.problem, p, best, "best plan known (reference.json)"
    raise KeyError(label)


def _backend(solver: str, time_limit: float) -> Any:
    """PuLP's solver behind spopt: CBC or HiGHS, with the time limit."""
    import pulp

    if solver == "spopt-cbc":
        return pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit)
    return pulp.HiGHS(msg=False, timeLimit=time_limit)


def _chosen(found: Any) -> list[int]:
    """The sites an spopt model opened."""
    return [j for j, v in enumerate(found.fac_vars) if v.value() and v.value() > 0.5]


def _peak_mb() -> float:
    """Peak resident memory of this process and of its children (CBC's own process), MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def run_capacitated(label: str, solver: str, time_limit: float) -> dict[str, object]:
    from halte.planning.solver import SolveOptions, solve

    problem, p, reference, what = _capacitated_case(label)
    assert problem.capacities is not None and problem.loads is not None
    assert np.all(problem.weights == 1.0), "these benchmarks weigh every demand 1"
    start = time.perf_counter()
    if solver == "halte":
        sol = solve(
            problem, "capacitated-p-median", p=p, options=SolveOptions(time_limit=time_limit)
        )
        sites, served = sol.sites, np.array(sol.assignment)
        status: str = sol.status
    else:
        import pulp
        from spopt.locate import PMedian

        demand = np.asarray(problem.loads, dtype=np.float64)
        assert np.all(demand > 0), "the row scaling needs every demand above zero"
        found = PMedian.from_cost_matrix(
            problem.costs / demand[:, None],
            demand,
            p_facilities=p,
            facility_capacities=np.asarray(problem.capacities, dtype=np.float64),
        ).solve(_backend(solver, time_limit))
        status = pulp.LpStatus[found.problem.status]
        sites = tuple(_chosen(found))
        served = np.full(problem.n_demand, -1)
        for (i, j), var in np.ndenumerate(found.cli_assgn_vars):
            if var is not None and var.value() is not None and var.value() > 0.5:
                served[i] = j
    seconds = time.perf_counter() - start
    try:
        objective: float | None = generate.check_plan(problem, p, sites, served)
    except AssertionError as refused:
        objective, status = None, f"{status}, plan refused: {refused}"
    return {
        "label": label,
        "solver": solver,
        "seconds": seconds,
        "objective": objective,
        "status": status,
        "optimum": reference,
        "what": what,
        "peak_mb": _peak_mb(),
    }


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
            radius=radius,
            options=SolveOptions(time_limit=time_limit),
        )
        objective, status = sol.objective, sol.status
    else:
        import pulp
        from spopt.locate import MCLP, PMedian

        backend = _backend(solver, time_limit)
        if model == "p-median":
            found = PMedian.from_cost_matrix(costs, weights, p_facilities=n_sites).solve(backend)
            chosen = _chosen(found)
            objective = float((weights * costs[:, chosen].min(axis=1)).sum())
        else:
            assert radius is not None, "the MCLP cases have a radius"
            found = MCLP.from_cost_matrix(costs, weights, radius, p_facilities=n_sites).solve(
                backend
            )
            chosen = _chosen(found)
            objective = float(weights[(costs[:, chosen] <= radius).any(axis=1)].sum())
        status = pulp.LpStatus[found.problem.status]
    seconds = time.perf_counter() - start
    return {
        "label": label,
        "solver": solver,
        "seconds": seconds,
        "objective": objective,
        "status": status,
        "optimum": optimum,
        "peak_mb": _peak_mb(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument(
        "--capacitated", action="store_true", help="the capacitated cases instead of the others"
    )
    parser.add_argument("--one", nargs=2, metavar=("LABEL", "SOLVER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run = run_capacitated if args.capacitated else run_one
        print(json.dumps(run(args.one[0], args.one[1], args.time_limit)))
        return 0
    print("| instance | optimum | solver | objective | status | seconds | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    labels = (
        [c[0] for c in CAPACITATED] + [f"gen-cap-n{n}-p{p}-s{s}" for n, p, s in GENERATED]
        if args.capacitated
        else [c[0] for c in CASES]
    )
    for label in labels:
        if args.only and label.split()[0] not in args.only:
            continue
        for solver in SOLVERS:
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--time-limit",
                    str(args.time_limit),
                    *(["--capacitated"] if args.capacitated else []),
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
            obj = "-" if r["objective"] is None else f"{r['objective']:.2f}"
            if r["optimum"] is None:
                r["optimum"] = "–"
            print(
                f"| {label} | {r['optimum']} | {solver} | {obj} | {r['status']} | "
                f"{r['seconds']:.2f} | {r['peak_mb']:.0f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
