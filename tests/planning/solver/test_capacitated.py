"""The capacitated heuristic (Lagrangian bound, repair, local search) and the solver's honesty around it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver import Problem, SolveOptions, solve_capacitated_p_median
from halte.planning.solver.capacitated import CapacitatedResult, solve_heuristic
from halte.planning.solver.heuristics import greedy_swap

SMALL = settings(max_examples=40, deadline=None, database=None, derandomize=True)


@st.composite
def capacitated_instances(draw: st.DrawFn) -> tuple[Problem, int]:
    n = draw(st.integers(2, 6))
    m = draw(st.integers(2, 5))
    integer = draw(st.booleans())
    if integer:
        cells = st.integers(0, 40).map(float)
    else:
        cells = st.floats(0, 40, allow_nan=False, allow_infinity=False)
    costs = np.array(draw(st.lists(cells, min_size=n * m, max_size=n * m))).reshape(n, m)
    weights = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)), float)
    loads = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)), float)
    caps = np.array(draw(st.lists(st.integers(2, 12), min_size=m, max_size=m)), float)
    roles = draw(
        st.lists(
            st.sampled_from(["free", "free", "free", "must", "forbid"]), min_size=m, max_size=m
        )
    )
    if all(r == "forbid" for r in roles):
        roles[0] = "free"
    must = tuple(j for j, r in enumerate(roles) if r == "must")
    forbid = tuple(j for j, r in enumerate(roles) if r == "forbid")
    p = draw(st.integers(max(1, len(must)), m - len(forbid)))
    problem = Problem(
        costs=costs, weights=weights, loads=loads, capacities=caps, must_open=must, forbidden=forbid
    )
    return problem, p


def _plans(problem: Problem, p: int) -> list[tuple[float, tuple[int, ...]]]:
    """Every feasible single-source plan: (value, site per demand)."""
    assert problem.capacities is not None
    free = [int(j) for j in problem.allowed if int(j) not in problem.must_open]
    rows = np.arange(problem.n_demand)
    found = []
    for extra in itertools.combinations(free, p - len(problem.must_open)):
        sites = problem.must_open + extra
        for assignment in itertools.product(sites, repeat=problem.n_demand):
            used = np.bincount(assignment, weights=problem.loads, minlength=problem.n_candidates)
            if np.all(used <= problem.capacities + 1e-9):
                value = float(problem.weights @ problem.costs[rows, list(assignment)])
                found.append((value, assignment))
    return found


def _brute(problem: Problem, p: int) -> float | None:
    """The optimum by enumeration (None: no feasible plan)."""
    return min((value for value, _ in _plans(problem, p)), default=None)


def solve_to_the_end(
    problem: Problem, p: int, stop: Callable[[], bool] = lambda: False, **start: Any
) -> CapacitatedResult:
    """The capacitated heuristic to its end (no clock) or until ``stop()``, from the
    uncapacitated greedy plan unless ``start`` gives ``solve_heuristic`` another one."""
    assert problem.capacities is not None
    cost = problem.weights[:, None] * problem.costs
    if "first_sites" not in start:
        start["first_sites"] = greedy_swap(
            cost, np.ones(problem.n_demand), p, problem.must_open, problem.allowed
        )
    return solve_heuristic(
        cost,
        problem.loads,
        problem.capacities,
        p,
        problem.must_open,
        problem.allowed,
        stop,
        **start,
    )


def _assert_plan(
    problem: Problem, p: int, sites: tuple[int, ...], assignment: object, value: float
) -> None:
    assert problem.capacities is not None
    served_by = np.asarray(assignment)
    assert len(sites) == p == len(set(sites))
    assert set(problem.must_open) <= set(sites) and not set(problem.forbidden) & set(sites)
    assert set(served_by.tolist()) <= set(sites)
    used = np.bincount(served_by, weights=problem.loads, minlength=problem.n_candidates)
    assert np.all(used <= problem.capacities + 1e-9)
    rows = np.arange(problem.n_demand)
    assert value == pytest.approx(float(problem.weights @ problem.costs[rows, served_by]))


@SMALL
@given(capacitated_instances())
def test_heuristic_plans_are_feasible_and_its_bound_is_a_bound(case: tuple[Problem, int]) -> None:
    problem, p = case
    found = solve_to_the_end(problem, p)
    best = _brute(problem, p)
    if best is None:
        assert found.sites is None
        return
    assert found.bound <= best + 1e-6 * max(1.0, abs(best))
    if found.sites is not None:
        assert found.value is not None and found.value >= best - 1e-6 * max(1.0, abs(best))
        _assert_plan(problem, p, found.sites, found.assignment, found.value)


@SMALL
@given(capacitated_instances())
def test_a_plan_called_optimal_is_optimal(case: tuple[Problem, int]) -> None:
    problem, p = case
    best = _brute(problem, p)
    sol = solve_capacitated_p_median(problem, p)
    if best is None:
        assert not sol.proven_optimal and sol.objective is None
        return
    assert sol.status == "optimal" and sol.objective is not None
    assert sol.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    assert sol.bound is not None and sol.bound <= sol.objective + 1e-9
    _assert_plan(problem, p, sol.sites, sol.assignment, sol.objective)


def _clustered(n: int, p: int, seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, size=(n, 2))
    loads = rng.integers(1, 10, size=n).astype(float)
    cap = float(np.ceil(loads.sum() / (p * 0.9)))
    costs = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2))
    return Problem(costs=costs, loads=loads, weights=np.ones(n), capacities=np.full(n, cap))


@pytest.mark.parametrize("seed", [0, 1])
def test_a_time_limited_answer_is_a_valid_plan_with_an_honest_bound(seed: int) -> None:
    problem = _clustered(120, 12, seed)
    sol = solve_capacitated_p_median(problem, 12, SolveOptions(time_limit=1.0))
    assert sol.status in {"optimal", "time_limit"}
    assert sol.objective is not None and sol.bound is not None
    _assert_plan(problem, 12, sol.sites, sol.assignment, sol.objective)
    assert sol.bound <= sol.objective
    assert sol.gap == pytest.approx((sol.objective - sol.bound) / sol.objective)
    assert sol.proven_optimal == (sol.status == "optimal")


def test_the_lagrangian_bound_beats_the_nearest_site_bound() -> None:
    problem = _clustered(80, 8, 4)
    assert problem.capacities is not None
    cost = problem.costs
    found = solve_heuristic(
        cost, problem.loads, problem.capacities, 8, (), problem.allowed, lambda: False
    )
    nearest = 0.0  # every demand is a candidate: its own site is at distance zero
    assert found.bound > nearest
    assert found.value is not None and found.bound <= found.value
