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
the tables are then the exact knapsacks and the bound is exact. Importing the module has no
side effect (the other bench scripts are imported when the script runs).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import highspy
import numpy as np
import numpy.typing as npt

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from halte.planning.solver import knapsack, read_instance  # noqa: E402
from halte.planning.solver.problem import FloatArray, Problem  # noqa: E402

IndexArray = npt.NDArray[np.intp]
REFERENCE = HERE / "reference.json"
GENERATED = [(100, 10, 3), (300, 25, 4), (402, 30, 5), (402, 40, 6)]


@dataclass(frozen=True, eq=False)
class DualOptimum:
    """The Lagrangian dual lies in [lower, upper]; they meet (to the tolerance) when ``converged``."""

    lower: float  # the best Lagrangian bound computed: a bound of every plan
    upper: float  # the restricted master's value: never below the dual optimum
    converged: bool
    rounds: int
    columns: int
    seconds: float


class _Master:
    """The restricted master: rows for the demands (= 1), the sites (<= 1, = 1 if must-open)
    and the count (= p); an artificial column per demand at a prohibitive cost keeps it
    feasible, an empty column per allowed site (open, serving nobody) lets the count hold."""

    def __init__(self, cost: FloatArray, must: npt.NDArray[np.bool_], allowed: IndexArray, p: int):
        self.cost = cost
        self.n, self.m = cost.shape
        self.highs = highspy.Highs()  # type: ignore[no-untyped-call]
        self.highs.setOptionValue("output_flag", False)
        self.seen: set[tuple[int, tuple[int, ...]]] = set()
        n, m, inf = self.n, self.m, highspy.kHighsInf
        none_i, none_v = np.array([], dtype=np.int32), np.array([], dtype=np.float64)
        self.highs.addRows(n, np.ones(n), np.ones(n), 0, np.zeros(n, np.int32), none_i, none_v)
        low = np.where(must, 1.0, -inf)
        self.highs.addRows(m, low, np.ones(m), 0, np.zeros(m, np.int32), none_i, none_v)
        self.highs.addRow(float(p), float(p), 0, none_i, none_v)
        prohibitive = 10.0 * float(cost.max()) * n + 1.0
        for i in range(n):
            self.highs.addCol(prohibitive, 0.0, inf, 1, np.array([i], np.int32), np.ones(1))
        for j in allowed:
            self.add(int(j), np.array([], dtype=np.intp))

    def add(self, site: int, members: IndexArray) -> bool:
        """Add the column (site, members) unless it is there already; True if added."""
        key = (site, tuple(int(i) for i in members))
        if key in self.seen:
            return False
        self.seen.add(key)
        index = np.concatenate([members, [self.n + site, self.n + self.m]]).astype(np.int32)
        value = float(self.cost[members, site].sum())
        self.highs.addCol(value, 0.0, highspy.kHighsInf, len(index), index, np.ones(len(index)))
        return True

    def solve(self) -> tuple[float, FloatArray, FloatArray, float]:
        """(value, demand duals, site duals, count dual) of the restricted master."""
        for fresh in (False, True):
            if fresh:
                self.highs.clearSolver()  # a warm start went wrong (seen once in 300 rounds)
            self.highs.run()
            if self.highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                duals = np.asarray(self.highs.getSolution().row_dual, dtype=np.float64)
                value = float(self.highs.getInfo().objective_function_value)
                n, m = self.n, self.m
                return value, duals[:n], duals[n : n + m], float(duals[n + m])
        status = self.highs.modelStatusToString(self.highs.getModelStatus())
        raise RuntimeError(f"master not solved: {status}")


def column_generation(
    problem: Problem,
    p: int,
    tolerance: float = 1e-7,
    seconds: float | None = None,
    smoothing: float = 0.7,
    plan: tuple[tuple[int, ...], IndexArray] | None = None,
    multipliers: FloatArray | None = None,
) -> DualOptimum:
    """The Dantzig-Wolfe master's optimum (the Lagrangian dual) of a capacitated p-median.

    Each round solves the restricted master, prices every allowed site's best column (its
    0-1 knapsack) at multipliers between the best ones found and the master's duals
    (Wentges' smoothing, ``smoothing`` the weight of the best) and evaluates the Lagrangian
    bound there. A column is added when its reduced cost at the master's duals is negative.
    It ends when the bound meets the master's value, when nothing new prices out at the
    master's own duals, or after ``seconds`` (then with the interval). A ``plan`` (its
    sites, each demand's site) gives the first columns, ``multipliers`` the first prices
    (e.g. the solver's): they only make it start closer. A must-open site's row is an
    equality, a forbidden site has no column. Raises ValueError for loads the tables cannot
    price exactly, RuntimeError when the master cannot be solved (p above the sites).
    """
    assert problem.capacities is not None
    ints = knapsack.scaled(problem.loads, problem.capacities)
    if not ints.exact:
        raise ValueError("integral loads and capacities (below the knapsack width) only")
    cost = problem.costs * problem.weights[:, None]
    allowed = np.asarray(problem.allowed, dtype=np.intp)
    must = np.isin(np.arange(cost.shape[1]), problem.must_open)
    master = _Master(cost, must, allowed, p)
    if plan is not None:
        for j in plan[0]:
            master.add(int(j), np.flatnonzero(np.asarray(plan[1]) == j))
    pricing = _Pricing(problem, ints, cost, allowed, must[allowed], p)
    start, rounds, columns = time.perf_counter(), 0, 0
    best = None if multipliers is None else np.asarray(multipliers, dtype=np.float64)
    lower = -np.inf
    weight = 1.0 if best is not None else 0.0  # the given prices first; else the master's
    while True:
        upper, u, sigma, pi = master.solve()
        rounds += 1
        at = u if best is None else weight * best + (1.0 - weight) * u
        bound, chosen = pricing.at(at)
        if bound > lower:
            lower, best = bound, at.copy()
        added = 0
        for k, members in chosen:
            j = int(allowed[k])
            reduced = float(cost[members, j].sum() - u[members].sum() - sigma[j] - pi)
            if reduced < -tolerance * max(1.0, abs(upper)) and master.add(j, members):
                added += 1
        columns += added
        priced_out = added == 0 and weight == 0.0
        converged = priced_out or upper - lower <= tolerance * max(1.0, abs(upper))
        late = seconds is not None and time.perf_counter() - start > seconds
        if converged or late:
            elapsed = time.perf_counter() - start
            return DualOptimum(lower, upper, converged, rounds, columns, elapsed)
        # Nothing priced at the smoothed point pays at the master's duals: price there next.
        weight = smoothing if added else 0.0


class _Pricing:
    """Every allowed site's best column at given multipliers, and the Lagrangian bound there:
    ``sum(u) + the must-open sites' knapsacks + the p - |must| smallest of the others``."""

    def __init__(
        self,
        problem: Problem,
        ints: knapsack.Scaled,
        cost: FloatArray,
        allowed: IndexArray,
        must_at: npt.NDArray[np.bool_],
        p: int,
    ):
        self.cost, self.allowed, self.must_at = cost, allowed, must_at
        self.n = cost.shape[0]
        self.a = len(allowed)
        self.site_at = np.repeat(np.arange(self.a, dtype=np.intp), self.n)  # site-major
        self.loads = ints.loads[np.tile(np.arange(self.n, dtype=np.intp), self.a)]
        self.capacities = ints.capacities[allowed]
        self.free = p - int(must_at.sum())
        # With fewer sites than p the relaxation has no value at any multipliers.
        self.possible = 0 <= self.free <= int((~must_at).sum())

    def at(self, u: FloatArray) -> tuple[float, list[tuple[int, IndexArray]]]:
        reduced = (self.cost[:, self.allowed] - u[:, None]).T.ravel()
        tables = knapsack.solve(
            self.a, self.site_at, self.loads, reduced, self.capacities, max_cells=10**12
        )
        assert tables is not None
        taken = tables.taken.reshape(self.a, self.n)
        chosen = [(k, np.flatnonzero(taken[k])) for k in range(self.a)]
        rho = tables.value
        if not self.possible:
            return -np.inf, chosen
        others = np.sort(rho[~self.must_at])[: self.free]
        return float(u.sum() + rho[self.must_at].sum() + others.sum()), chosen


def _bench_scripts() -> tuple[ModuleType, ModuleType]:
    """The generator and the heuristic's bench script, imported when the script runs."""
    if str(HERE) not in sys.path:
        sys.path.insert(1, str(HERE))
    import generate
    import run_heuristic

    return generate, run_heuristic


def _cases(args: argparse.Namespace) -> list[tuple[str, Problem, int, float | None]]:
    generate, run_heuristic = _bench_scripts()
    reference = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    cases: list[tuple[str, Problem, int, float | None]] = []
    for filename, fmt, optimum in run_heuristic.PUBLISHED:
        instance = read_instance(run_heuristic.DATA / filename, fmt)
        assert instance.p is not None
        cases.append((Path(filename).stem, instance.problem, instance.p, optimum))
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
    _, run_heuristic = _bench_scripts()
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
        where = f"{dual.lower:,.2f}"
        if not dual.converged:
            where += f" to {dual.upper:,.2f} (stopped)"
        # Not converged: the shares are bounds of the true ones (the dual is in the interval).
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
