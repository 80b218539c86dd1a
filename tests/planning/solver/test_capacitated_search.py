"""The capacitated pipeline's newer parts: the site swaps, the HiGHS neighbourhood search, the
final exact reassignment and the Lagrangian reductions.

Small random cases are checked against brute force; a generated case of the issue's
shape checks that a time-limited call returns a feasible plan with an honest bound.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from halte.planning.solver import (
    Problem,
    Progress,
    SolveOptions,
    highs_backend,
    models,
    read_instance,
    solve_capacitated_p_median,
)
from halte.planning.solver.capacitated import (
    CapacitatedResult,
    _reassign,
    _shift_and_swap,
    solve_heuristic,
)
from halte.planning.solver.capacitated_bound import Instance, reduce_pairs
from halte.planning.solver.highs_backend import Mip, MipOutcome, TripletBuilder, run_mip, solve_lp
from halte.planning.solver.models import _FAST_PASS, _SUB_MIP_CUT_POOL, _heuristic_seconds
from halte.planning.solver.problem import FloatArray
from halte.planning.solver.progress import Monitor
from tests.planning.solver.bench import bench_module
from tests.planning.solver.test_capacitated import (
    _assert_plan,
    _plans,
    capacitated_instances,
    solve_to_the_end,
)

SMALL = settings(max_examples=30, deadline=None, database=None, derandomize=True)
DATA = Path(__file__).resolve().parent / "data"


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


@given(st.floats(0.01, 3600.0), st.floats(0.01, 3600.0))
def test_the_heuristic_gets_more_of_a_short_limit_and_never_all_of_it(
    limit: float, other: float
) -> None:
    # A short call's answer is the heuristic's plan (a proof rarely ends in a few seconds),
    # but HiGHS keeps 40 % or more of every limit, and a longer limit never gives it less.
    seconds = _heuristic_seconds(limit)
    assert 0.25 * limit - 1e-9 <= seconds <= 0.6 * limit + 1e-9
    assert seconds <= max(_FAST_PASS, 0.25 * limit) + 1e-9
    if limit <= other:
        assert seconds <= _heuristic_seconds(other) + 1e-9


def test_an_option_highs_refuses_is_an_error_not_a_silent_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A cut pool HiGHS refuses, or a sub-MIP search it no longer knows by that name (an
    # upgrade that renamed it would silently bring the search back), stops the call.
    builder = TripletBuilder()
    builder.add_block([0, 0], [0, 1], 1.0, [1.0], [1.0])
    mip = builder.build(np.array([2.0, 1.0]), np.zeros(2), np.ones(2), np.ones(2, dtype=bool))
    options = SolveOptions(threads=1)
    assert run_mip(mip, options, None, True, cut_pool=_SUB_MIP_CUT_POOL).objective == 1.0
    assert run_mip(mip, options, None, True, sub_mips=False).objective == 1.0
    with pytest.raises(ValueError, match="mip_pool_soft_limit"):
        run_mip(mip, options, None, True, cut_pool=0)
    monkeypatch.setattr(
        highs_backend, "_SUB_MIP_HEURISTICS", ("mip_heuristic_run_rins", "no_such_search")
    )
    with pytest.raises(ValueError, match="no_such_search"):
        run_mip(mip, options, None, True, sub_mips=False)
    assert run_mip(mip, options, None, True).objective == 1.0  # asked for nothing to leave out


@SMALL
@given(capacitated_instances())
def test_a_second_pass_keeps_the_first_pass_plan_and_only_improves_it(
    case: tuple[Problem, int],
) -> None:
    # The second pass of a long heuristic budget starts from the first pass's plan and
    # multipliers: given the worst feasible plan, it returns it when stopped at once and never
    # anything worse; multipliers from elsewhere still give a true bound.
    problem, p = case
    assert problem.capacities is not None
    plans = _plans(problem, p)
    assume(plans)
    worst_value, worst = max(plans)
    best_value = min(value for value, _ in plans)
    sites = set(worst) | set(problem.must_open)
    free = [int(j) for j in problem.allowed if int(j) not in sites]
    sites.update(free[: p - len(sites)])
    earlier = solve_to_the_end(problem, p)

    def from_worst(stop: Callable[[], bool]) -> CapacitatedResult:
        return solve_to_the_end(
            problem,
            p,
            stop,
            first_sites=sorted(sites),
            first_assignment=np.array(worst),
            first_multipliers=earlier.multipliers,
        )

    stopped = from_worst(lambda: True)
    assert stopped.value == pytest.approx(worst_value)
    assert stopped.assignment is not None and stopped.assignment.tolist() == list(worst)
    found = from_worst(lambda: False)
    assert found.sites is not None and found.value is not None
    _assert_plan(problem, p, found.sites, found.assignment, found.value)
    assert best_value - 1e-6 <= found.value <= worst_value + 1e-9
    assert found.bound <= best_value + 1e-6 * max(1.0, abs(best_value))


def _result(value: float | None, bound: float, tag: int | None) -> CapacitatedResult:
    """A pass's result whose plan (sites, assignment) and multipliers all carry ``tag``."""
    plan = None if value is None or tag is None else (tag,)
    assignment = None if plan is None else np.full(1, tag, dtype=np.intp)
    multipliers = None if tag is None else np.full(1, float(tag))
    return CapacitatedResult(plan, assignment, value, bound, multipliers)


@pytest.mark.parametrize(
    ("first", "later", "plan_of", "bound_of"),
    [
        (_result(10.0, 5.0, 1), _result(9.0, 6.0, 2), 2, 2),
        (_result(9.0, 6.0, 1), _result(10.0, 5.0, 2), 1, 1),
        (_result(9.0, 5.0, 1), _result(12.0, 7.0, 2), 1, 2),
        (_result(9.0, 7.0, 1), _result(8.0, 5.0, 2), 2, 1),
        (_result(9.0, 5.0, 1), _result(9.0, 5.0, 2), 1, 1),
        (_result(9.0, 5.0, 1), _result(None, -np.inf, None), 1, 1),
        (_result(None, 4.0, 1), _result(11.0, 3.0, 2), 2, 1),
    ],
)
def test_two_passes_give_the_better_plan_and_the_higher_bound_with_its_multipliers(
    first: CapacitatedResult, later: CapacitatedResult, plan_of: int, bound_of: int
) -> None:
    merged = first.merged(later)
    plan, bound = (first, later)[plan_of - 1], (first, later)[bound_of - 1]
    assert merged.value == plan.value and merged.sites == plan.sites
    assert merged.assignment is not None and merged.assignment.tolist() == [plan_of]
    assert merged.bound == bound.bound
    assert merged.multipliers is not None and merged.multipliers.tolist() == [bound_of]


def test_a_first_assignment_off_its_sites_or_over_capacity_is_refused() -> None:
    costs = np.array([[1.0, 2.0, 3.0], [2.0, 1.0, 3.0]])
    problem = Problem(costs=costs, loads=np.array([2.0, 2.0]), capacities=np.array([3.0, 3.0, 3.0]))
    with pytest.raises(ValueError, match="first assignment"):
        solve_to_the_end(problem, 2, first_sites=[0, 1], first_assignment=np.array([0, 2]))
    with pytest.raises(ValueError, match="first assignment"):
        solve_to_the_end(problem, 2, first_sites=[0, 1], first_assignment=np.array([0, 0]))
    found = solve_to_the_end(
        problem, 2, lambda: True, first_sites=[0, 1], first_assignment=np.array([1, 0])
    )
    assert found.value == pytest.approx(4.0)


def test_a_long_budget_runs_two_passes_and_answers_the_best_plan_and_bound_it_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = read_instance(DATA / "pmedcap01.txt", "orlib-pmedcap")
    problem = inst.problem
    assert inst.p is not None and problem.capacities is not None
    reports: list[Progress] = []
    monitor = Monitor(SolveOptions(time_limit=10.0, on_progress=reports.append, threads=1))
    calls: list[tuple[float, dict[str, object], CapacitatedResult]] = []
    real_pass = models._heuristic_pass

    def counted(*args: object, **kwargs: object) -> CapacitatedResult:
        found = real_pass(*args, **kwargs)  # type: ignore[arg-type]
        calls.append((args[5], kwargs, found))  # type: ignore[arg-type]
        return found

    monkeypatch.setattr(models, "_heuristic_pass", counted)
    found = models._capacitated_heuristic(
        problem, inst.p, problem.capacities, monitor, 1.5, fast_pass=0.5
    )
    assert len(calls) == 2
    # The first pass has its own seconds; the second starts from its plan and multipliers and
    # has what is left of the budget, not the whole budget again.
    (first_seconds, _, first), (later_seconds, later_start, later) = calls
    passes = [first.value, later.value]
    assert passes[0] is not None and passes[1] is not None
    assert first_seconds == 0.5 and 0.0 < later_seconds < 1.5
    assert first.sites is not None and later_start["first_sites"] == list(first.sites)
    assert later_start["first_assignment"] is first.assignment
    assert later_start["first_multipliers"] is first.multipliers
    assert passes[1] <= passes[0]
    assert found.sites is not None and found.value is not None
    _assert_plan(problem, inst.p, found.sites, found.assignment, found.value)
    assert found.value == min(passes)
    monitor.tick("heuristic")
    assert monitor.objective is not None and found.value == pytest.approx(monitor.objective)
    assert monitor.bound is not None and found.bound == pytest.approx(monitor.bound)
    assert found.multipliers is not None
    assert found.bound <= 713.0 + 1e-6 <= found.value + 1e-6
