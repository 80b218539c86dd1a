"""Check the capacitated solver against a plain model on random medium cases nobody tuned on.

Usage (from the repository root):
    .venv/bin/python bench/planning/crosscheck.py [--seed 1] [--cases 200]

The property tests compare the solver with brute force on cases of up to 6 demands and 5
sites; this draws larger ones (8-29 demands, 4-13 candidates, Euclidean or rounded costs,
capacities at 60-105 % of the demand, equal or unequal, some sites imposed or forbidden) and
solves each with a plain compact single-source model written here straight in highspy (no
reduction, no regions, no heuristic), to zero gap. Halte's solver, without a limit and under
a 2 s one, must then: answer `optimal` with that value when unlimited; never give a plan
below it nor a bound above it; call a case infeasible exactly when the plain model does.
Prints each disagreement and a count; exits 1 if there was one.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import highspy
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from halte.planning.solver import Problem, SolveOptions, solve  # noqa: E402

TOLERANCE = 1e-6


def plain_optimum(problem: Problem, p: int) -> float | None:
    """The optimum of the compact model (None: infeasible), solved by HiGHS at zero gap."""
    assert problem.capacities is not None
    n, m = problem.n_demand, problem.n_candidates
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    for option, value in (
        ("output_flag", False),
        ("mip_rel_gap", 0.0),
        ("mip_abs_gap", 1e-9),
        ("threads", 1),
    ):
        highs.setOptionValue(option, value)
    infinity = highspy.kHighsInf
    allowed = {int(j) for j in problem.allowed}
    for j in range(m):
        highs.addVar(1.0 if j in problem.must_open else 0.0, 1.0 if j in allowed else 0.0)
    for i in range(n):
        for j in range(m):
            fits = problem.loads[i] <= problem.capacities[j]
            highs.addVar(0.0, 1.0 if fits else 0.0)
            highs.changeColCost(m + i * m + j, problem.weights[i] * problem.costs[i, j])
    for col in range(m + n * m):
        highs.changeColIntegrality(col, highspy.HighsVarType.kInteger)

    def row(lower: float, upper: float, cols: list[int], values: list[float]) -> None:
        highs.addRow(
            lower, upper, len(cols), np.array(cols, dtype=np.int32), np.array(values, float)
        )

    for i in range(n):
        row(1.0, 1.0, [m + i * m + j for j in range(m)], [1.0] * m)
    for j in range(m):
        x = [m + i * m + j for i in range(n)]
        row(-infinity, 0.0, [*x, j], [*problem.loads.tolist(), -problem.capacities[j]])
        for col in x:
            row(-infinity, 0.0, [col, j], [1.0, -1.0])
    row(float(p), float(p), list(range(m)), [1.0] * m)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"the plain model ended {highs.modelStatusToString(status)}")
    return float(highs.getInfo().objective_function_value)


def draw_case(rng: np.random.Generator) -> tuple[Problem, int]:
    n, m = int(rng.integers(8, 30)), int(rng.integers(4, 14))
    demand_xy, site_xy = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    costs = np.sqrt(((demand_xy[:, None] - site_xy[None]) ** 2).sum(-1))
    if rng.random() < 0.5:
        costs = np.round(costs)
    loads = rng.integers(1, 10, n).astype(float)
    p = int(rng.integers(1, m + 1))
    capacities = np.full(m, np.ceil(loads.sum() / (p * rng.uniform(0.6, 1.05))))
    if rng.random() < 0.5:
        capacities = np.ceil(capacities * rng.uniform(0.7, 1.4, m))
    roles = rng.choice(np.array(["free", "free", "free", "free", "must", "forbid"]), m)
    must = tuple(int(j) for j in np.flatnonzero(roles == "must"))[:p]
    forbidden = tuple(int(j) for j in np.flatnonzero(roles == "forbid") if j not in must)
    if m - len(forbidden) < p:
        forbidden = ()
    problem = Problem(
        costs=costs,
        weights=rng.integers(1, 5, n).astype(float),
        loads=loads,
        capacities=capacities,
        must_open=must,
        forbidden=forbidden,
    )
    return problem, p


def disagreements(problem: Problem, p: int, limit: float | None) -> list[str]:
    best = plain_optimum(problem, p)
    got = solve(problem, "capacitated-p-median", p=p, options=SolveOptions(time_limit=limit))
    if best is None:
        return [] if got.objective is None else [f"a plan {got.objective} of an infeasible case"]
    slack = TOLERANCE * max(1.0, abs(best))
    found = []
    if got.objective is not None and got.objective < best - slack:
        found.append(f"a plan {got.objective} below the optimum {best}")
    if got.bound is not None and got.bound > best + slack:
        found.append(f"a bound {got.bound} above the optimum {best}")
    if got.status == "optimal" and abs((got.objective or 0.0) - best) > slack:
        found.append(f"optimal {got.objective} against {best}")
    if limit is None and got.status != "optimal":
        found.append(f"{got.status} without a limit (optimum {best})")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    bad = 0
    for case in range(args.cases):
        problem, p = draw_case(rng)
        for limit in (None, 2.0):
            for what in disagreements(problem, p, limit):
                bad += 1
                shape = f"{problem.n_demand} x {problem.n_candidates}, p={p}"
                print(f"case {case} ({shape}, limit {limit}): {what}")
    print(f"{args.cases} cases, seed {args.seed}: {bad} disagreements")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
