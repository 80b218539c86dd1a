"""The 0-1 knapsacks of the capacitated relaxation and the bound built on them, against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver import Problem, knapsack
from halte.planning.solver.capacitated_bound import (
    Instance,
    Nearness,
    binary_step,
    continuous_step,
    reduce_pairs,
)
from tests.planning.solver.test_capacitated import _brute, _plans, capacitated_instances

SMALL = settings(max_examples=60, deadline=None, database=None, derandomize=True)


def _best_subset(loads: list[float], costs: list[float], capacity: float) -> float:
    best = 0.0
    for size in range(1, len(loads) + 1):
        for subset in itertools.combinations(range(len(loads)), size):
            if sum(loads[k] for k in subset) <= capacity + 1e-9:
                best = min(best, sum(costs[k] for k in subset))
    return best


@st.composite
def knapsack_sets(draw: st.DrawFn) -> tuple[int, list[int], list[int], list[float], list[int]]:
    n_sites = draw(st.integers(1, 4))
    count = draw(st.integers(0, 9))
    site = draw(st.lists(st.integers(0, n_sites - 1), min_size=count, max_size=count))
    load = draw(st.lists(st.integers(0, 8), min_size=count, max_size=count))
    cost = draw(st.lists(st.floats(-20, 5, allow_nan=False), min_size=count, max_size=count))
    capacity = draw(st.lists(st.integers(0, 15), min_size=n_sites, max_size=n_sites))
    return n_sites, site, load, cost, capacity


@SMALL
@given(knapsack_sets())
def test_the_tables_solve_every_site_s_knapsack_exactly(
    case: tuple[int, list[int], list[int], list[float], list[int]],
) -> None:
    n_sites, site, load, cost, capacity = case
    found = knapsack.solve(
        n_sites,
        np.array(site, dtype=np.intp),
        np.array(load, dtype=np.intp),
        np.array(cost),
        np.array(capacity, dtype=np.intp),
    )
    assert found is not None
    for s in range(n_sites):
        mine = [k for k in range(len(site)) if site[k] == s]
        best = _best_subset([load[k] for k in mine], [cost[k] for k in mine], capacity[s])
        assert abs(found.value[s] - best) <= 1e-9
        taken = [k for k in mine if found.taken[k]]
        assert sum(load[k] for k in taken) <= capacity[s]  # the items taken fit
        assert abs(sum(cost[k] for k in taken) - best) <= 1e-9  # and are the best set


@SMALL
@given(
    st.lists(st.floats(0.0, 9.0, allow_nan=False), min_size=1, max_size=7),
    st.floats(0.5, 20.0, allow_nan=False),
    st.integers(0, 2**16),
)
def test_scaled_loads_give_a_lower_bound_of_the_true_knapsack(
    loads: list[float], capacity: float, seed: int
) -> None:
    """Real-valued loads are rounded into a relaxation: never above the true 0-1 value."""
    costs = list(np.random.default_rng(seed).uniform(-10.0, 1.0, len(loads)))
    ints = knapsack.scaled(np.array(loads), np.array([capacity]), width=50)
    found = knapsack.solve(
        1,
        np.zeros(len(loads), dtype=np.intp),
        ints.loads,
        np.array(costs),
        ints.capacities,
    )
    assert found is not None
    assert found.value[0] <= _best_subset(loads, costs, capacity) + 1e-9


def test_integer_data_is_solved_exactly_and_the_width_is_capped() -> None:
    assert knapsack.scaled(np.array([3.0, 4.0]), np.array([10.0, 7.0])).exact
    wide = knapsack.scaled(np.array([3.0, 4.0]), np.array([1e6, 7.0]), width=100)
    assert not wide.exact and int(wide.capacities.max()) <= 100


def _random_multipliers(inst: Instance, seed: int) -> tuple[Nearness, np.ndarray]:
    near = Nearness(inst)
    pairs = near.pairs(near.first_depth)
    rng = np.random.default_rng(seed)
    top = inst.cost[:, inst.allowed].max(axis=1) + 1.0
    return near, np.minimum(rng.uniform(0.0, 1.0, len(top)) * top, pairs.cap)


def _instance(problem: Problem, p: int) -> Instance:
    assert problem.capacities is not None
    return Instance(
        problem.weights[:, None] * problem.costs,
        problem.loads,
        problem.capacities,
        p,
        np.asarray(problem.must_open, dtype=np.intp),
        problem.allowed,
    )


@SMALL
@given(capacitated_instances(), st.integers(0, 2**16))
def test_the_0_1_bound_is_valid_and_never_below_the_continuous_one(
    case: tuple[Problem, int], seed: int
) -> None:
    """For any multipliers: continuous bound <= 0-1 bound <= optimum (brute force)."""
    problem, p = case
    inst = _instance(problem, p)
    near, lam = _random_multipliers(inst, seed)
    pairs = near.pairs(near.first_depth)
    assert problem.capacities is not None
    ints = knapsack.scaled(problem.loads, problem.capacities)
    weak = continuous_step(inst, pairs, lam).bound
    strong = binary_step(inst, pairs, lam, ints).bound
    assert strong >= weak - 1e-7 * max(1.0, abs(weak))
    optimum = _brute(problem, p)
    if optimum is not None:
        assert strong <= optimum + 1e-7 * max(1.0, abs(optimum))


@SMALL
@given(capacitated_instances(), st.integers(0, 2**16))
def test_reductions_with_any_multipliers_keep_every_plan_as_good_as_the_incumbent(
    case: tuple[Problem, int], seed: int
) -> None:
    problem, p = case
    inst = _instance(problem, p)
    _near, lam = _random_multipliers(inst, seed)
    plans = _plans(problem, p)
    if not plans:
        return
    optimum = min(value for value, _ in plans)
    assert problem.capacities is not None
    rows = np.arange(problem.n_demand)
    for budget in (knapsack.REDUCTION_CELLS, 0):  # 0: the continuous values alone
        reduced = reduce_pairs(
            inst.cost,
            problem.loads,
            problem.capacities,
            p,
            problem.must_open,
            problem.allowed,
            lam,
            optimum,
            max_cells=budget,
        )
        for value, assignment in plans:
            if value <= optimum:
                assert not reduced.pruned[rows, list(assignment)].any()
                assert not reduced.closed[list(assignment)].any()


def test_knapsacks_over_the_budget_are_left_to_the_continuous_values() -> None:
    site = np.zeros(3, dtype=np.intp)
    load = np.array([2, 3, 4], dtype=np.intp)
    cost = np.array([-1.0, -2.0, -3.0])
    capacity = np.array([5], dtype=np.intp)
    assert knapsack.solve(1, site, load, cost, capacity, max_cells=10) is None
    found = knapsack.solve(1, site, load, cost, capacity, max_cells=100)
    assert found is not None and found.value[0] == -3.0  # loads 2 + 3 (-1 - 2) or 4 (-3)


@SMALL
@given(st.integers(0, 2**16), st.integers(4, 8))
def test_pairs_for_an_earlier_runs_multipliers_cap_none_of_them_and_lose_nothing(
    seed: int, p: int
) -> None:
    # A second pass starts from the first pass's multipliers, which may have deepened its
    # pairs: the pairs built for them hold every multiplier below its cap, so the sparse
    # relaxation gives the bound the relaxation over all pairs gives.
    rng = np.random.default_rng(seed)
    n, m = 40, 120  # the first depth (30-40 sites) is well short of every site
    costs = rng.uniform(0.0, 100.0, (n, m))
    loads = rng.integers(1, 5, n).astype(float)
    capacities = np.full(m, loads.sum() / p * 1.2)
    inst = Instance(costs, loads, capacities, p, np.zeros(0, dtype=np.intp), np.arange(m))
    near = Nearness(inst)
    lam = rng.uniform(0.0, 1.0, n) * costs.max(axis=1) * rng.choice([0.2, 1.0, 1.5], n)
    lam[0] = 1.5 * costs[0].max()  # above every cost: its pairs must reach every site
    pairs = near.covering(lam)
    assert np.all(lam <= pairs.cap)
    assert np.all(pairs.depth >= near.first_depth) and pairs.depth[0] == m
    first_cap = near.pairs(near.first_depth).cap
    assert np.all(pairs.depth[lam <= first_cap] == near.first_depth[lam <= first_cap])
    every = near.pairs(np.full(n, m, dtype=np.intp))
    sparse, full = continuous_step(inst, pairs, lam).bound, continuous_step(inst, every, lam).bound
    assert sparse == pytest.approx(full, rel=1e-9, abs=1e-9)
