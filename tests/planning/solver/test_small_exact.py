"""Exact models against brute force on small random instances, including must-open and forbidden."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver import (
    Problem,
    SolveOptions,
    solve_capacitated_p_median,
    solve_lscp,
    solve_mclp,
    solve_p_center,
    solve_p_median,
)

# No example database: tests must not write outside their own folder.
SMALL = settings(max_examples=60, deadline=None, database=None, derandomize=True)


@st.composite
def instances(draw: st.DrawFn, integer: bool = True) -> tuple[Problem, int]:
    """A small problem with optional must-open / forbidden sites and a feasible p."""
    n = draw(st.integers(2, 7))
    m = draw(st.integers(2, 6))
    if integer:
        costs = np.array(draw(st.lists(st.integers(0, 30), min_size=n * m, max_size=n * m)), float)
    else:
        values = st.floats(0, 30, allow_nan=False, allow_infinity=False)
        costs = np.array(draw(st.lists(values, min_size=n * m, max_size=n * m)))
    weights = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)), float)
    roles = draw(
        st.lists(st.sampled_from(["free", "free", "must", "forbid"]), min_size=m, max_size=m)
    )
    if all(r == "forbid" for r in roles):
        roles[0] = "free"
    must = tuple(j for j, r in enumerate(roles) if r == "must")
    forbid = tuple(j for j, r in enumerate(roles) if r == "forbid")
    n_allowed = m - len(forbid)
    p = draw(st.integers(max(1, len(must)), max(1, n_allowed)))
    problem = Problem(costs=costs.reshape(n, m), weights=weights, must_open=must, forbidden=forbid)
    return problem, p


def _site_sets(problem: Problem, size: int) -> Iterator[tuple[int, ...]]:
    free = [int(j) for j in problem.allowed if int(j) not in problem.must_open]
    extra = size - len(problem.must_open)
    if extra < 0:
        return
    for combo in itertools.combinations(free, extra):
        yield tuple(sorted(problem.must_open + combo))


def _assert_options(problem: Problem, sites: tuple[int, ...]) -> None:
    assert set(problem.must_open) <= set(sites)
    assert not set(problem.forbidden) & set(sites)


@SMALL
@given(instances())
def test_p_median_matches_brute_force(case: tuple[Problem, int]) -> None:
    problem, p = case
    best = min(
        problem.weights @ problem.costs[:, list(s)].min(axis=1) for s in _site_sets(problem, p)
    )
    solution = solve_p_median(problem, p)
    assert solution.proven_optimal and solution.objective == best
    assert len(solution.sites) == p
    _assert_options(problem, solution.sites)


@SMALL
@given(instances(integer=False))
def test_p_median_real_costs_matches_brute_force(case: tuple[Problem, int]) -> None:
    problem, p = case
    best = min(
        problem.weights @ problem.costs[:, list(s)].min(axis=1) for s in _site_sets(problem, p)
    )
    solution = solve_p_median(problem, p)
    assert solution.proven_optimal
    assert solution.objective is not None and abs(solution.objective - best) <= 1e-6 * max(
        1.0, best
    )
    _assert_options(problem, solution.sites)


@SMALL
@given(instances(), st.integers(0, 30))
def test_mclp_matches_brute_force(case: tuple[Problem, int], radius: int) -> None:
    problem, p = case
    cover = problem.costs <= radius
    best = max(problem.weights[cover[:, list(s)].any(axis=1)].sum() for s in _site_sets(problem, p))
    solution = solve_mclp(problem, p, float(radius))
    assert solution.proven_optimal and solution.objective == best
    assert solution.bound is not None and solution.bound >= best
    _assert_options(problem, solution.sites)


@SMALL
@given(instances(), st.integers(0, 30))
def test_lscp_matches_brute_force(case: tuple[Problem, int], radius: int) -> None:
    problem, _ = case
    cover = problem.costs <= radius
    best = None
    for size in range(max(1, len(problem.must_open)), len(problem.allowed) + 1):
        if any(cover[:, list(s)].any(axis=1).all() for s in _site_sets(problem, size)):
            best = size
            break
    solution = solve_lscp(problem, float(radius))
    if best is None:
        assert solution.status == "infeasible" and not solution.proven_optimal
        assert solution.objective is None
    else:
        assert solution.proven_optimal and solution.objective == best == len(solution.sites)
        assert cover[:, list(solution.sites)].any(axis=1).all()
        _assert_options(problem, solution.sites)


@SMALL
@given(instances(), st.booleans())
def test_p_center_matches_brute_force(case: tuple[Problem, int], use_heuristic: bool) -> None:
    # Without the heuristic the binary search starts from an arbitrary plan and must do the work.
    problem, p = case
    best = min(problem.costs[:, list(s)].min(axis=1).max() for s in _site_sets(problem, p))
    solution = solve_p_center(problem, p, SolveOptions(use_heuristic=use_heuristic))
    assert solution.proven_optimal and solution.objective == best
    assert solution.bound == best and len(solution.sites) == p
    _assert_options(problem, solution.sites)


def _brute_capacitated(problem: Problem, p: int) -> float | None:
    assert problem.capacities is not None
    best = None
    for sites in _site_sets(problem, p):
        for assignment in itertools.product(sites, repeat=problem.n_demand):
            used = np.bincount(assignment, weights=problem.loads, minlength=problem.n_candidates)
            if np.all(used <= problem.capacities):
                value = float(
                    problem.weights @ problem.costs[np.arange(problem.n_demand), assignment]
                )
                best = value if best is None else min(best, value)
    return best


@settings(max_examples=20, deadline=None, database=None, derandomize=True)
@given(instances(), st.data())
def test_capacitated_matches_brute_force(case: tuple[Problem, int], data: st.DataObject) -> None:
    small, p = case
    n = min(small.n_demand, 5)
    loads = np.array(data.draw(st.lists(st.integers(1, 6), min_size=n, max_size=n)), float)
    caps = np.array(
        data.draw(
            st.lists(st.integers(3, 12), min_size=small.n_candidates, max_size=small.n_candidates)
        ),
        float,
    )
    problem = Problem(
        costs=small.costs[:n],
        weights=small.weights[:n],
        loads=loads,
        capacities=caps,
        must_open=small.must_open,
        forbidden=small.forbidden,
    )
    best = _brute_capacitated(problem, p)
    solution = solve_capacitated_p_median(problem, p)
    if best is None:
        assert solution.status == "infeasible" and not solution.proven_optimal
        return
    assert solution.proven_optimal and solution.objective == best
    _assert_options(problem, solution.sites)
    used = np.bincount(solution.assignment, weights=loads, minlength=problem.n_candidates)
    assert np.all(used <= caps) and set(solution.assignment) <= set(solution.sites)


def test_must_open_more_than_p_is_infeasible() -> None:
    problem = Problem(costs=np.arange(12.0).reshape(3, 4), must_open=(0, 1, 2))
    assert solve_p_median(problem, 2).status == "infeasible"
    assert solve_mclp(problem, 2, 5.0).status == "infeasible"
