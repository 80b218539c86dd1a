"""Honest status: zero-gap rule, time-limited runs, heuristic speed and quality."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from halte.planning.solver import (
    Problem,
    SolveOptions,
    read_orlib_pmed,
    read_sjc,
    solve,
    solve_capacitated_p_median,
)
from halte.planning.solver.heuristics import greedy_swap
from halte.planning.solver.highs_backend import MipOutcome
from halte.planning.solver.status import classify, is_proven, tighten_bound


def _outcome(status: str, objective: float | None, bound: float | None) -> MipOutcome:
    return MipOutcome(highs_status=status, values=None, objective=objective, bound=bound)


def test_integral_bound_must_round_to_objective() -> None:
    # HiGHS's default relative gap stopped at 19706 against an optimum of 19707.
    assert classify(_outcome("Optimal", 19707, 19706.0), integral=True) == ("feasible", False)
    assert classify(_outcome("Optimal", 19707, 19706.2), integral=True) == ("optimal", True)
    assert tighten_bound(19706.2, integral=True) == 19707
    assert tighten_bound(19706.2, integral=False) == 19706.2


def test_real_valued_objective_needs_zero_gap() -> None:
    assert not is_proven(17289.5, 17288.99, integral=False)
    assert is_proven(17288.99, 17288.99, integral=False)
    assert classify(_outcome("Time limit reached", 10.0, 8.0), integral=False) == (
        "time_limit",
        False,
    )
    assert classify(_outcome("Infeasible", None, None), integral=True) == ("infeasible", False)
    assert classify(_outcome("Time limit reached", None, 3.0), integral=True) == (
        "time_limit",
        False,
    )


def test_time_limited_run_is_not_called_optimal(data_dir: Path) -> None:
    instance = read_sjc(data_dir / "SJC2.dat")
    # CPU time of this process, not the wall clock: the limit must stop the search, whatever else
    # the machine is doing (a loaded CI machine stretches the wall clock, not the work done).
    start = time.process_time()
    solution = solve_capacitated_p_median(instance.problem, 15, SolveOptions(time_limit=1.5))
    assert time.process_time() - start < 10
    assert solution.status == "time_limit" and not solution.proven_optimal
    assert solution.objective is not None and solution.bound is not None
    assert solution.bound <= solution.objective and solution.gap is not None and solution.gap > 0
    assert solution.objective > 33270.94 - 0.01  # never better than the optimum


@pytest.mark.parametrize("k,optimum", [(7, 5631), (8, 4445), (9, 2734), (10, 1255)])
def test_heuristic_is_fast_and_close_on_200_nodes(data_dir: Path, k: int, optimum: int) -> None:
    instance = read_orlib_pmed(data_dir / f"pmed{k}.txt")
    problem = instance.problem
    start = time.process_time()  # the work done, not the wall clock of a loaded machine
    sites = greedy_swap(problem.costs, problem.weights, instance.p or 0, (), problem.allowed)
    assert time.process_time() - start < 1.0
    value = problem.costs[:, sites].min(axis=1).sum()
    assert len(set(sites)) == instance.p and optimum <= value <= optimum * 1.02


def test_solve_dispatch_and_parameter_errors() -> None:
    problem = Problem(costs=np.array([[0.0, 4.0], [4.0, 0.0], [1.0, 3.0]]))
    assert solve(problem, "p-median", p=1).objective == 5
    assert solve(problem, "p-center", p=1).objective == 4
    assert solve(problem, "lscp", radius=1).objective == 2
    assert solve(problem, "mclp", p=1, radius=1).objective == 2
    for kwargs in ({"p": 0}, {"p": 3}):
        with pytest.raises(ValueError, match="p must be between"):
            solve(problem, "p-median", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="radius"):
        solve(problem, "mclp", p=1)
    with pytest.raises(ValueError, match="capacities"):
        solve(problem, "capacitated-p-median", p=1)
    with pytest.raises(ValueError, match="unknown model"):
        solve(problem, "hub", p=1)  # type: ignore[arg-type]


def test_problem_validation() -> None:
    with pytest.raises(ValueError, match="both"):
        Problem(costs=np.ones((2, 2)), must_open=(0,), forbidden=(0,))
    with pytest.raises(ValueError, match="non-negative"):
        Problem(costs=-np.ones((2, 2)))
    with pytest.raises(ValueError, match="one entry per demand"):
        Problem(costs=np.ones((2, 2)), weights=np.ones(3))
    problem = Problem(costs=np.ones((2, 2)))
    with pytest.raises(ValueError):
        problem.costs[0, 0] = 5  # frozen data
