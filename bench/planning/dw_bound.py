"""The strongest bound the capacitated relaxation can give, by column generation, to judge the solver's.

The solver bounds a capacitated p-median plan with the Lagrangian relaxation of the
assignment constraints (one 0-1 knapsack per site, ``capacitated_bound.py``), its
multipliers moved by subgradient steps. The best bound any multipliers can give (the
Lagrangian dual) equals the linear programme of the Dantzig-Wolfe reformulation:

    min sum_k cost_k z_k   over columns k = (site j, set S of demands fitting Q_j)
    s.t. sum_{k covers i} z_k = 1   every demand i
         sum_{k at site j} z_k <= 1  every site j
         sum_k z_k = p,  z >= 0

which is also the root bound of a branch-and-price (Ceselli and Righini, 2005). This
script solves it exactly: HiGHS for the master, the solver's own knapsack tables
(``knapsack.solve``, every site at once) to price the columns, until no column has a
negative reduced cost. It prints, per case, that bound beside the solver's bound after a
given time and the best plan known, so one can tell the bound the subgradient leaves on the
table (dual optimum - solver's bound) from the integrality gap no multiplier closes
(best plan - dual optimum), which only branching or cuts can.

Usage (from the repository root):
    .venv/bin/python bench/planning/dw_bound.py [--budget S] [--only NAME ...] [--cases N,P,SEED ...]

The column generation starts from the heuristic's plan (its columns) and multipliers (its
first prices): the value it reaches does not depend on them, its time does.

Integral loads and capacities only (the published sets and the generated cases have them):
the tables are then the exact knapsacks and the bound is exact.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import highspy
import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(1, str(HERE))

import generate  # noqa: E402
import run_heuristic  # noqa: E402

from halte.planning.solver import knapsack, read_instance  # noqa: E402
from halte.planning.solver.problem import FloatArray, Problem  # noqa: E402

DATA = ROOT / "tests" / "planning" / "solver" / "data"
REFERENCE = HERE / "reference.json"
PUBLISHED = {  # file, format, published optimum
    **{
        f"pmedcap0{k}": (f"pmedcap0{k}.txt", "orlib-pmedcap", float(optimum))
        for k, optimum in enumerate([713, 740, 751, 651, 664], start=1)
    },
    "SJC1": ("SJC1.dat", "sjc", 17288.99),
    "SJC2": ("SJC2.dat", "sjc", 33270.94),
}
GENERATED = [(100, 10, 3), (300, 25, 4), (402, 30, 5), (402, 40, 6)]


@dataclass(frozen=True, eq=False)
class DualOptimum:
    """The Lagrangian dual lies in [lower, upper]; equal (to the tolerance) when ``converged``."""

    lower: float  # the best Lagrangian bound computed (a valid bound of every plan)
    upper: float  # the restricted master's value (never below the dual optimum)
    converged: bool
    rounds: int
    columns: int
    seconds: float
    master: highspy.Highs  # the restricted master, every column generated in it


def column_generation(
    problem: Problem,
    p: int,
    tolerance: float = 1e-7,
    seconds: float | None = None,
    smoothing: float = 0.7,
    plan: tuple[tuple[int, ...], FloatArray] | None = None,
    multipliers: FloatArray | None = None,
) -> DualOptimum:
    """The Dantzig-Wolfe master's optimum (the Lagrangian dual) of a capacitated p-median.

    Each round solves the restricted master, prices every site's best column (its 0-1
    knapsack) at multipliers between the best ones found and the master's duals (Wentges'
    smoothing, ``smoothing`` the weight of the best), and evaluates the Lagrangian bound
    there: ``sum(u) + the must-open sites' knapsacks + the p - |must| smallest others``. It
    ends when that bound meets the master's value, or after ``seconds`` with the interval.
    A ``plan`` (its sites, each demand's site) gives the first columns, ``multipliers`` the
    first prices (e.g. the solver's): both only make it start closer, the value is the same.
    A must-open site's row is an equality, a forbidden site has no column. Infeasible
    instances keep an artificial column: the value is then above any plan's (prohibitive).
    """
    assert problem.capacities is not None
    ints = knapsack.scaled(problem.loads, problem.capacities)
    if not ints.exact:
        raise ValueError("integral loads and capacities (below the knapsack width) only")
    cost = problem.costs * problem.weights[:, None]
    n, m = cost.shape
    allowed = np.asarray(problem.allowed, dtype=np.intp)
    must = np.zeros(m, dtype=bool)
    must[list(problem.must_open)] = True
    must_at, free_at = must[allowed], ~must[allowed]
    free_count = p - int(must_at.sum())
    start = time.perf_counter()
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    highs.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    no_index = np.array([], dtype=np.int32)
    no_value = np.array([], dtype=np.float64)
    highs.addRows(n, np.ones(n), np.ones(n), 0, np.zeros(n, dtype=np.int32), no_index, no_value)
    site_low = np.where(must, 1.0, -inf)
    highs.addRows(m, site_low, np.ones(m), 0, np.zeros(m, dtype=np.int32), no_index, no_value)
    highs.addRow(float(p), float(p), 0, no_index, no_value)
    # An artificial column per demand at a prohibitive cost keeps the master feasible; an
    # empty column per site (open, serving nobody) lets the site rows and the count hold.
    prohibitive = 10.0 * float(cost.max()) * n + 1.0
    for i in range(n):
        highs.addCol(prohibitive, 0.0, inf, 1, np.array([i], dtype=np.int32), np.ones(1))
    for j in allowed:
        highs.addCol(0.0, 0.0, inf, 2, np.array([n + j, n + m], dtype=np.int32), np.ones(2))
    if plan is not None:
        sites, served_by = plan
        for j in sites:
            members = np.flatnonzero(np.asarray(served_by) == j)
            index = np.concatenate([members, [n + j, n + m]]).astype(np.int32)
            highs.addCol(
                float(cost[members, j].sum()), 0.0, inf, len(index), index, np.ones(len(index))
            )
    columns, rounds = 0, 0
    a = len(allowed)
    site_at = np.repeat(np.arange(a, dtype=np.intp), n)  # positions in ``allowed``
    demand_of = np.tile(np.arange(n, dtype=np.intp), a)
    lower, best_u = -np.inf, None if multipliers is None else np.asarray(multipliers, float)
    weight = smoothing if best_u is None else 1.0  # the given prices first, as they are
    while True:
        _solve_master(highs)
        rounds += 1
        duals = np.asarray(highs.getSolution().row_dual, dtype=np.float64)
        u, sigma, pi = duals[:n], duals[n : n + m], duals[n + m]
        upper = float(highs.getInfo().objective_function_value)
        at = u if best_u is None else weight * best_u + (1.0 - weight) * u
        reduced = (cost[:, allowed] - at[:, None]).T.ravel()  # site-major, as site_at
        tables = knapsack.solve(
            a, site_at, ints.loads[demand_of], reduced, ints.capacities[allowed], max_cells=10**12
        )
        assert tables is not None
        rho = tables.value
        if free_count >= 0 and free_count <= int(free_at.sum()):
            here = float(at.sum() + rho[must_at].sum() + np.sort(rho[free_at])[:free_count].sum())
            if here > lower:
                lower, best_u = here, at.copy()
        added = 0
        for k in range(a):
            members = np.sort(demand_of[(site_at == k) & tables.taken])
            j = int(allowed[k])
            value = float(cost[members, j].sum())
            if value - u[members].sum() - sigma[j] - pi < -tolerance * max(1.0, abs(upper)):
                index = np.concatenate([members, [n + j, n + m]]).astype(np.int32)
                highs.addCol(value, 0.0, inf, len(index), index, np.ones(len(index)))
                added += 1
        columns += added
        scale = tolerance * max(1.0, abs(upper))
        done = upper - lower <= scale or (added == 0 and weight == 0.0)
        late = seconds is not None and time.perf_counter() - start > seconds
        if done or late:
            return DualOptimum(
                max(lower, upper) if added == 0 and weight == 0.0 else lower,
                upper,
                done,
                rounds,
                columns,
                time.perf_counter() - start,
                highs,
            )
        # Nothing priced at the smoothed point pays at the master's duals: price there next.
        weight = 0.0 if added == 0 else smoothing


def _solve_master(highs: highspy.Highs) -> None:
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        highs.clearSolver()  # the warm start went wrong (seen once in 300 rounds): anew
        highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(
            f"master not solved: {highs.modelStatusToString(highs.getModelStatus())}"
        )


def _cases(args: argparse.Namespace) -> list[tuple[str, Problem, int, float | None]]:
    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    cases: list[tuple[str, Problem, int, float | None]] = []
    for name, (filename, fmt, optimum) in PUBLISHED.items():
        instance = read_instance(DATA / filename, fmt)
        assert instance.p is not None
        cases.append((name, instance.problem, instance.p, optimum))
    drawn = [tuple(int(x) for x in c.split(",")) for c in args.cases] if args.cases else GENERATED
    for n, p, seed in drawn:
        g = generate.capacitated(n, p, seed)
        best = reference.get(g.name, {}).get("objective")
        cases.append((g.name, g.problem, g.p, best))
    if args.only:
        cases = [c for c in cases if c[0] in args.only]
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=5.0, help="of the solver's heuristic, s")
    parser.add_argument("--seconds", type=float, default=None, help="of the column generation")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--cases", nargs="*", default=None, help="generated cases as N,P,SEED")
    args = parser.parse_args()
    print(
        "| case | best plan known | heuristic's bound | dual optimum (rounds, columns, s) "
        "| bound left by the subgradient % | integrality gap % |"
    )
    print("|---|---|---|---|---|---|")
    for name, problem, p, best in _cases(args):
        found, _ = run_heuristic.heuristic(problem, p, args.budget)
        own = float(found.bound)
        best_plan = min(v for v in (best, found.value) if v is not None)
        plan = None if found.sites is None else (found.sites, found.assignment)
        dual = column_generation(
            problem, p, seconds=args.seconds, plan=plan, multipliers=found.multipliers
        )
        where = (
            f"{dual.lower:,.2f}"
            if dual.converged
            else f"{dual.lower:,.2f} to {dual.upper:,.2f} (stopped)"
        )
        # Not converged: the share left lies between the two values' shares.
        left = 100.0 * (dual.lower - own) / dual.lower
        integrality = 100.0 * (best_plan - dual.upper) / best_plan
        print(
            f"| {name} | {best_plan:,.2f} | {own:,.2f} "
            f"| {where} ({dual.rounds}, {dual.columns}, {dual.seconds:.1f}) "
            f"| {left:.2f} | {integrality:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
