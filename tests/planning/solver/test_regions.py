"""Nested regions of sites, the count columns that branch on them, and the split-demand plan."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver import Problem, SolveOptions
from halte.planning.solver.highs_backend import run_mip
from halte.planning.solver.models import (
    _assignment_start,
    _build_capacitated,
    _feasible_pairs,
    _split_plan,
)
from halte.planning.solver.progress import Monitor
from halte.planning.solver.regions import (
    candidate_distances,
    nested_regions,
    region_counts,
    with_counts,
)
from tests.planning.solver.test_capacitated import (
    _assert_plan,
    _brute,
    _plans,
    capacitated_instances,
)

SMALL = settings(max_examples=40, deadline=None, database=None, derandomize=True)


def _euclidean(xy: np.ndarray) -> np.ndarray:
    distances: np.ndarray = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    return distances


points = st.integers(3, 40).flatmap(
    lambda n: st.lists(
        st.tuples(st.floats(0, 1000, allow_nan=False), st.floats(0, 1000, allow_nan=False)),
        min_size=n,
        max_size=n,
    )
)


@SMALL
@given(points)
def test_the_regions_are_nested_proper_subsets(xy: list[tuple[float, float]]) -> None:
    m = len(xy)
    found = nested_regions(candidate_distances(_euclidean(np.array(xy))))
    sets = [frozenset(r.tolist()) for r in found]
    # One region per join of the hierarchy but the last (the whole set).
    assert len(found) == m - 2
    for region, members in zip(found, sets, strict=True):
        assert 2 <= len(members) < m
        assert list(region) == sorted(members)
    for a in sets:
        for b in sets:
            assert a <= b or b <= a or not a & b


def test_separate_neighbourhoods_are_regions_of_their_own() -> None:
    rng = np.random.default_rng(7)
    centres = np.array([[0.0, 0.0], [5000.0, 0.0], [0.0, 5000.0]])
    xy = np.concatenate([c + rng.normal(scale=100.0, size=(6, 2)) for c in centres])
    found = {frozenset(r.tolist()) for r in nested_regions(candidate_distances(_euclidean(xy)))}
    for group in range(3):
        assert frozenset(range(6 * group, 6 * group + 6)) in found


def test_the_distance_between_candidates_goes_through_a_demand_point() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 100, size=(12, 2))
    # Candidates that are demand points: the distance itself (triangle inequality).
    assert candidate_distances(_euclidean(xy)) == pytest.approx(_euclidean(xy))
    # Candidates apart from the demand: the shortest way through one of them.
    costs = np.array([[1.0, 4.0, 9.0], [6.0, 2.0, 3.0]])
    assert candidate_distances(costs) == pytest.approx(
        np.array([[2.0, 5.0, 9.0], [5.0, 4.0, 5.0], [9.0, 5.0, 6.0]])
    )


def test_a_region_counts_only_the_sites_that_may_open() -> None:
    regions = [np.array([0, 1]), np.array([0, 1, 2]), np.array([3, 4]), np.array([0, 1, 2, 3])]
    lower = np.zeros(5)
    upper = np.array([1.0, 1.0, 0.0, 0.0, 1.0])  # sites 2 and 3 closed
    kept, low, high = region_counts(regions, lower, upper, p=1)
    # {0, 1} once (the second and fourth regions are the same open sites), {3, 4} has a
    # single site that may open, nothing spans all three open sites.
    assert [r.tolist() for r in kept] == [[0, 1]]
    assert low.tolist() == [0.0] and high.tolist() == [1.0]
    # A must-open site counts towards the region's fewest.
    kept, low, high = region_counts(regions, np.array([1.0, 0, 0, 0, 0]), upper, p=2)
    assert [r.tolist() for r in kept] == [[0, 1]]
    assert low.tolist() == [1.0] and high.tolist() == [2.0]
    # A count the bounds already fix (every site of the region must open) is left out.
    assert region_counts(regions, np.array([1.0, 1.0, 0, 0, 0]), upper, p=2)[0] == []


@SMALL
@given(capacitated_instances())
def test_the_model_with_counts_keeps_every_plan_and_the_optimum(case: tuple[Problem, int]) -> None:
    problem, p = case
    assert problem.capacities is not None
    nested = nested_regions(candidate_distances(problem.costs))
    pairs = _feasible_pairs(problem, problem.capacities)
    mip, _, _ = _build_capacitated(problem, p, problem.capacities, pairs, None, nested)
    best = _brute(problem, p)
    for _, assignment in _plans(problem, p)[:20]:
        served_by = np.array(assignment, dtype=np.intp)
        # The plan's open sites: those serving someone, the must-open ones, then any others.
        order = [*assignment, *problem.must_open, *(int(j) for j in problem.allowed)]
        sites = tuple(sorted(list(dict.fromkeys(order))[:p]))
        start = with_counts(mip, _assignment_start(problem, sites, served_by, pairs))
        assert np.all(start >= mip.col_lower - 1e-9) and np.all(start <= mip.col_upper + 1e-9)
        activity = np.zeros(len(mip.row_lower))
        np.add.at(activity, mip.rows, mip.vals * start[mip.cols])
        assert np.all(activity >= mip.row_lower - 1e-6)
        assert np.all(activity <= mip.row_upper + 1e-6)
    outcome = run_mip(mip, SolveOptions(), None, False, None, True, Monitor(SolveOptions()))
    if best is None:
        assert outcome.values is None
    else:
        assert outcome.objective == pytest.approx(best, rel=1e-9, abs=1e-9)


@SMALL
@given(capacitated_instances())
def test_the_split_demand_plan_bounds_the_optimum_and_serves_single_source(
    case: tuple[Problem, int],
) -> None:
    problem, p = case
    assert problem.capacities is not None
    best = _brute(problem, p)
    pairs = _feasible_pairs(problem, problem.capacities)
    nested = nested_regions(candidate_distances(problem.costs))
    options = SolveOptions()
    model = _build_capacitated(problem, p, problem.capacities, pairs, None, nested)
    bound, plan = _split_plan(
        problem, p, problem.capacities, model, None, Monitor(options), options, 10.0
    )
    if best is None:
        assert plan is None
        return
    # Splitting a demand between sites only relaxes the plan: its bound is below the optimum.
    assert bound is not None and bound <= best + 1e-6 * max(1.0, abs(best))
    if plan is not None:
        sites, served_by, value = plan
        _assert_plan(problem, p, sites, served_by, value)
        assert value >= best - 1e-6 * max(1.0, abs(best))
