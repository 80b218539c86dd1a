"""Soundness of the Lagrangian reductions against brute force.

Every plan whose value is at most the given upper value must open no site
reported closed, every site reported open, and serve each demand within its
reported cover radius; the bound must not exceed the optimum.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver.lagrangian import reduce_p_median
from halte.planning.solver.problem import Problem
from tests.planning.solver.test_small_exact import instances

SMALL = settings(max_examples=80, deadline=None, database=None, derandomize=True)


def _plans(problem: Problem, p: int) -> list[tuple[tuple[int, ...], float, np.ndarray]]:
    free = [int(j) for j in problem.allowed if int(j) not in problem.must_open]
    plans = []
    for combo in itertools.combinations(free, p - len(problem.must_open)):
        sites = tuple(sorted(problem.must_open + combo))
        nearest = problem.costs[:, list(sites)].min(axis=1)
        plans.append((sites, float(problem.weights @ nearest), nearest))
    return plans


def _check(problem: Problem, p: int, slack: float) -> int:
    """Check the reductions at upper = optimum + slack; return how many facts were proved."""
    plans = _plans(problem, p)
    optimum = min(value for _, value, _ in plans)
    upper = optimum + slack
    red = reduce_p_median(
        problem.costs, problem.weights, p, problem.must_open, problem.allowed, upper
    )
    if red is None:
        return 0
    assert red.bound <= optimum + 1e-9 * max(1.0, abs(optimum))
    for sites, value, nearest in plans:
        if value > upper:
            continue
        assert not red.closed[list(sites)].any()
        assert set(np.flatnonzero(red.opened)) <= set(sites)
        assert np.all(nearest <= red.cover_radius)
    return int(red.closed.sum() + red.opened.sum() + np.isfinite(red.cover_radius).sum())


@SMALL
@given(instances(), st.sampled_from([0.0, 0.5, 1.0, 3.0]))
def test_reductions_keep_every_plan_up_to_upper(case: tuple[Problem, int], slack: float) -> None:
    problem, p = case
    _check(problem, p, slack)


@SMALL
@given(instances(integer=False))
def test_reductions_with_real_costs(case: tuple[Problem, int]) -> None:
    problem, p = case
    _check(problem, p, 0.0)


def test_reductions_fire_and_hold_on_a_larger_instance() -> None:
    rng = np.random.default_rng(7)
    points = rng.uniform(0, 100, size=(14, 2))
    costs = np.floor(np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1)))
    weights = rng.integers(1, 6, size=14).astype(float)
    problem = Problem(costs=costs[:, :11], weights=weights, must_open=(2,), forbidden=(5,))
    assert _check(problem, 4, 0.0) > 0
    _check(problem, 4, 25.0)
