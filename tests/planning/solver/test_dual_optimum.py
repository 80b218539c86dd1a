"""The solver's Lagrangian bound against the best bound its relaxation can give.

``bench/planning/dw_bound.py`` solves the Dantzig-Wolfe master of the capacitated
p-median by column generation: its optimum is the Lagrangian dual, the largest bound any
multipliers give. The solver's bound must never exceed it (a bound above it would come from
an error, not from better multipliers) and it can never exceed the optimum itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings

from halte.planning.solver import Problem, SolveOptions, read_instance
from halte.planning.solver.highs_backend import TripletBuilder, solve_lp
from tests.planning.solver.bench import bench_module
from tests.planning.solver.test_capacitated import _brute, capacitated_instances, solve_to_the_end

SOME = settings(max_examples=40, deadline=None, database=None, derandomize=True)


dw_bound = bench_module("dw_bound")


@SOME
@given(capacitated_instances())
def test_the_solver_bound_never_exceeds_the_dual_optimum_nor_the_optimum(
    case: tuple[Problem, int],
) -> None:
    problem, p = case
    best = _brute(problem, p)
    assume(best is not None)
    assert best is not None
    dual = dw_bound.column_generation(problem, p)
    margin = 1e-6 * max(1.0, abs(best))
    assert dual.converged and dual.upper - dual.lower <= margin
    assert dual.lower <= best + margin
    assert solve_to_the_end(problem, p).bound <= dual.upper + margin


def _whole_master(problem: Problem, p: int) -> float | None:
    """The Dantzig-Wolfe master with every column written out (every site, every set of
    demands that fits it), solved as one linear programme; None when it has no solution."""
    assert problem.capacities is not None
    n = problem.n_demand
    cost = problem.costs * problem.weights[:, None]
    members = [[i for i in range(n) if mask >> i & 1] for mask in range(2**n)]
    columns = [
        (int(j), sub)
        for j in problem.allowed
        for sub in members
        if problem.loads[sub].sum() <= problem.capacities[j] + 1e-9
    ]
    rows: list[int] = []
    cols: list[int] = []
    for k, (j, sub) in enumerate(columns):
        rows += [*sub, n + j, n + problem.n_candidates]
        cols += [k] * (len(sub) + 2)
    must = np.isin(np.arange(problem.n_candidates), problem.must_open)
    builder = TripletBuilder()
    lower = np.concatenate([np.ones(n), np.where(must, 1.0, -np.inf), [p]])
    upper = np.concatenate([np.ones(n), np.ones(problem.n_candidates), [p]])
    builder.add_block(rows, cols, 1.0, lower, upper)
    value = np.array([cost[sub, j].sum() for j, sub in columns])
    count = len(columns)
    lp = builder.build(value, np.zeros(count), np.full(count, np.inf), np.zeros(count, bool))
    solved = solve_lp(lp, SolveOptions(threads=1))
    return None if solved is None else solved.objective


@SOME
@given(capacitated_instances())
def test_the_column_generation_reaches_the_whole_master_optimum(
    case: tuple[Problem, int],
) -> None:
    problem, p = case
    assume(_brute(problem, p) is not None)
    whole = _whole_master(problem, p)
    assert whole is not None
    dual = dw_bound.column_generation(problem, p)
    assert dual.converged
    assert dual.lower == pytest.approx(whole, rel=1e-6, abs=1e-6)
    assert dual.upper == pytest.approx(whole, rel=1e-6, abs=1e-6)


def test_on_a_published_set_the_bound_is_close_to_the_dual_optimum(data_dir: Path) -> None:
    instance = read_instance(data_dir / "pmedcap01.txt", "orlib-pmedcap")
    assert instance.p is not None
    dual = dw_bound.column_generation(instance.problem, instance.p).lower
    own = solve_to_the_end(instance.problem, instance.p).bound
    # The optimum is 713; the subgradient gets within 0.5 % of the best multipliers.
    assert 0.995 * dual <= own <= dual + 1e-6 and dual <= 713.0 + 1e-6


def test_the_column_generation_refuses_loads_it_cannot_price_exactly() -> None:
    problem = Problem(
        costs=np.array([[0.0, 1.0], [1.0, 0.0]]),
        loads=np.array([1.5, 1.0]),
        capacities=np.array([3.0, 3.0]),
    )
    with pytest.raises(ValueError, match="integral"):
        dw_bound.column_generation(problem, 1)


def test_a_stopped_column_generation_gives_an_interval_that_holds_the_dual_optimum(
    data_dir: Path,
) -> None:
    instance = read_instance(data_dir / "pmedcap01.txt", "orlib-pmedcap")
    assert instance.p is not None
    whole = dw_bound.column_generation(instance.problem, instance.p)
    stopped = dw_bound.column_generation(instance.problem, instance.p, seconds=0.0)
    assert whole.converged and not stopped.converged and stopped.rounds == 1
    assert stopped.lower <= whole.lower + 1e-6 and whole.upper <= stopped.upper + 1e-6


def test_starting_from_the_solver_plan_and_multipliers_reaches_the_same_dual_optimum(
    data_dir: Path,
) -> None:
    instance = read_instance(data_dir / "pmedcap05.txt", "orlib-pmedcap")
    assert instance.p is not None
    found = solve_to_the_end(instance.problem, instance.p)
    assert found.sites is not None and found.multipliers is not None
    cold = dw_bound.column_generation(instance.problem, instance.p)
    warm = dw_bound.column_generation(
        instance.problem,
        instance.p,
        plan=(found.sites, found.assignment),
        multipliers=found.multipliers,
    )
    assert cold.converged and warm.converged
    assert warm.lower == pytest.approx(cold.lower, rel=1e-6)
    assert warm.lower >= found.bound - 1e-6
