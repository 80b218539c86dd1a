"""The capacitated pipeline's newer parts: the site swaps, the HiGHS neighbourhood search, the
final exact reassignment and the Lagrangian reductions.

Small random cases are checked against brute force; a generated case of the issue's
shape checks that a time-limited call returns a feasible plan with an honest bound.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from halte.planning.solver import Problem, SolveOptions, solve_capacitated_p_median
from halte.planning.solver.capacitated import _reassign, _shift_and_swap, solve_heuristic
from halte.planning.solver.capacitated_bound import Instance, reduce_pairs
from halte.planning.solver.highs_backend import Mip, MipOutcome, TripletBuilder, run_mip, solve_lp
from halte.planning.solver.models import _SUB_MIP_CUT_POOL
from halte.planning.solver.problem import FloatArray
from tests.planning.solver.bench import bench_module
from tests.planning.solver.test_capacitated import _assert_plan, _plans, capacitated_instances

SMALL = settings(max_examples=30, deadline=None, database=None, derandomize=True)


def _runner(mip: Mip, start: FloatArray, seconds: float | None) -> MipOutcome:
    """As the solver runs the heuristic's MIPs (its small cut pool), without a monitor."""
    options = SolveOptions(threads=1)
    return run_mip(mip, options, seconds, False, start, True, None, cut_pool=_SUB_MIP_CUT_POOL)


@SMALL
@given(capacitated_instances())
def test_the_neighbourhood_search_returns_feasible_plans_and_a_true_bound(
    case: tuple[Problem, int],
) -> None:
    problem, p = case
    assert problem.capacities is not None
    cost = problem.weights[:, None] * problem.costs
    found = solve_heuristic(
        cost,
        problem.loads,
        problem.capacities,
        p,
        problem.must_open,
        problem.allowed,
        lambda: False,
        time_left=lambda: None,
        run_mip=_runner,
        run_lp=lambda mip: solve_lp(mip, SolveOptions(threads=1)),
    )
    plans = _plans(problem, p)
    if not plans:
        assert found.sites is None
        return
    best = min(value for value, _ in plans)
    assert found.bound <= best + 1e-6 * max(1.0, abs(best))
    if found.sites is not None:
        assert found.value is not None and found.value >= best - 1e-6 * max(1.0, abs(best))
        _assert_plan(problem, p, found.sites, found.assignment, found.value)


def test_the_final_reassignment_makes_a_chain_of_moves_no_shift_or_swap_makes() -> None:
    # Three full sites A, B, C (two places each). a1 sits at A but is best at B, b1 at B is best
    # at C, c1 at C is best at A; a2, b2, c2 belong where they are. Moving one demand finds no
    # room and any swap of two costs as much as it saves: only the three moves at once gain.
    costs = np.array(
        [
            [10.0, 0.0, 20.0],  # a1
            [20.0, 10.0, 0.0],  # b1
            [0.0, 20.0, 10.0],  # c1
            [0.0, 100.0, 100.0],  # a2
            [100.0, 0.0, 100.0],  # b2
            [100.0, 100.0, 0.0],  # c2
        ]
    )
    loads, capacities = np.ones(6), np.full(3, 2.0)
    inst = Instance(costs, loads, capacities, 3, np.zeros(0, dtype=np.intp), np.arange(3))
    sites = np.arange(3)
    stuck = np.array([0, 1, 2, 0, 1, 2])
    polished = stuck.copy()
    _shift_and_swap(inst, sites, polished, lambda: False)
    assert polished.tolist() == stuck.tolist()

    found = _reassign(inst, sites, stuck, 30.0, _runner, 10.0)

    assert found is not None
    assignment, value = found
    assert assignment.tolist() == [1, 2, 0, 0, 1, 2] and value == 0.0
    assert np.all(np.bincount(assignment, weights=loads, minlength=3) <= capacities)
    # Nothing left to gain: the relaxation says so and the exact model is not tried.
    assert _reassign(inst, sites, assignment, value, _runner, 10.0) is None


@SMALL
@given(capacitated_instances())
def test_reductions_never_cut_a_plan_as_good_as_the_incumbent(case: tuple[Problem, int]) -> None:
    problem, p = case
    assert problem.capacities is not None
    plans = _plans(problem, p)
    if not plans:
        return
    cost = problem.weights[:, None] * problem.costs
    found = solve_heuristic(
        cost,
        problem.loads,
        problem.capacities,
        p,
        problem.must_open,
        problem.allowed,
        lambda: False,
    )
    if found.multipliers is None:
        return
    # Take the best plan's value as the incumbent: no plan of that value may lose a pair.
    upper = min(value for value, _ in plans)
    reduced = reduce_pairs(
        cost,
        problem.loads,
        problem.capacities,
        p,
        problem.must_open,
        problem.allowed,
        found.multipliers,
        upper,
    )
    closed, pruned = reduced.closed, reduced.pruned
    rows = np.arange(problem.n_demand)
    for value, assignment in plans:
        if value <= upper:
            assert not pruned[rows, list(assignment)].any()
            assert not closed[list(assignment)].any()


def test_a_generated_case_under_a_time_limit_is_feasible_with_an_honest_bound() -> None:
    generate = bench_module("generate")
    inst = generate.capacitated(150, 12, 7)
    sol = solve_capacitated_p_median(inst.problem, inst.p, SolveOptions(time_limit=2.0))
    assert sol.status in {"optimal", "time_limit"}
    assert sol.objective is not None and sol.bound is not None
    _assert_plan(inst.problem, inst.p, sol.sites, sol.assignment, sol.objective)
    assert sol.bound <= sol.objective
    assert sol.proven_optimal == (sol.status == "optimal")
    assert sol.seconds < 2.0 + 1.0


def test_a_cut_pool_highs_refuses_is_an_error_not_a_silent_default() -> None:
    builder = TripletBuilder()
    builder.add_block([0, 0], [0, 1], 1.0, [1.0], [1.0])
    mip = builder.build(np.array([2.0, 1.0]), np.zeros(2), np.ones(2), np.ones(2, dtype=bool))
    options = SolveOptions(threads=1)
    assert run_mip(mip, options, None, True, cut_pool=_SUB_MIP_CUT_POOL).objective == 1.0
    with pytest.raises(ValueError, match="cut pool"):
        run_mip(mip, options, None, True, cut_pool=0)
