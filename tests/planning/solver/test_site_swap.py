"""The capacitated plan's site swaps, judged by the transportation relaxation.

The relaxation never costs more than an assignment it can take, the duality bound on what
opening a site can gain is a bound (checked against the relaxation solved with the site
open), the plan read off the relaxation holds the capacities, and the search only ever lowers
the relaxation, keeps the sites it must and moves sites chosen without capacities to a plan that
serves their demands; the pairs the relaxation uses only ever improve the exact reassignment. ``solve_lp`` answers a
known programme and stops when asked.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halte.planning.solver import Problem, SolveOptions
from halte.planning.solver.capacitated import (
    _assign,
    _plan,
    _reassign,
    _value,
    restricted_model,
)
from halte.planning.solver.capacitated_bound import Instance
from halte.planning.solver.heuristics import greedy_swap
from halte.planning.solver.highs_backend import (
    LpOutcome,
    Mip,
    MipOutcome,
    TripletBuilder,
    run_mip,
    solve_lp,
)
from halte.planning.solver.progress import Monitor
from halte.planning.solver.site_swap import gain_bounds, rounded, search, transport_model
from tests.planning.solver.bench import bench_module
from tests.planning.solver.test_capacitated import capacitated_instances
from tests.planning.solver.test_knapsack import _instance

SMALL = settings(max_examples=40, deadline=None, database=None, derandomize=True)
OPTIONS = SolveOptions(threads=1)


def _lp(mip: Mip) -> LpOutcome | None:
    return solve_lp(mip, OPTIONS)


def _drawn(case: tuple[Problem, int], data: st.DataObject) -> tuple[Instance, np.ndarray]:
    """The case's instance and a drawn set of p sites (the must-open ones in it)."""
    problem, p = case
    free = [int(j) for j in problem.allowed if int(j) not in problem.must_open]
    extra = data.draw(st.permutations(free))[: p - len(problem.must_open)]
    sites = np.array(sorted([*problem.must_open, *extra]), dtype=np.intp)
    return _instance(problem, p), sites


@SMALL
@given(capacitated_instances(), st.data(), st.integers(1, 4))
def test_the_relaxation_costs_no_more_than_an_assignment_it_can_take(
    case: tuple[Problem, int], data: st.DataObject, nearest: int
) -> None:
    inst, sites = _drawn(case, data)
    assignment = _assign(inst, sites)
    if assignment is None or np.any(assignment < 0):
        return
    used = np.bincount(assignment, weights=inst.loads, minlength=len(inst.capacities))
    if np.any(used > inst.capacities + 1e-9):
        return  # the load-first fallback may leave a site over capacity: not a plan
    relaxed = _lp(transport_model(inst, sites, nearest, assignment).mip)
    assert relaxed is not None
    value = _value(inst, assignment)
    assert relaxed.objective <= value + 1e-6 * max(1.0, abs(value))


@SMALL
@given(capacitated_instances(), st.data())
def test_opening_a_site_never_gains_more_than_its_bound(
    case: tuple[Problem, int], data: st.DataObject
) -> None:
    inst, sites = _drawn(case, data)
    closed = np.setdiff1d(inst.allowed, sites)
    if closed.size == 0:
        return
    nearest = data.draw(st.integers(1, 4))
    before = _lp(transport_model(inst, sites, nearest).mip)
    assert before is not None
    bounds = gain_bounds(inst, before.row_dual[: inst.cost.shape[0]], closed)
    assert np.all(bounds >= 0.0)
    for k, bound in zip(closed, bounds, strict=True):
        after = _lp(transport_model(inst, np.sort(np.append(sites, k)), nearest).mip)
        assert after is not None
        scale = max(1.0, abs(before.objective))
        assert before.objective - after.objective <= bound + 1e-6 * scale


@SMALL
@given(capacitated_instances(), st.data())
def test_the_search_only_lowers_the_relaxation_and_keeps_the_sites_it_must(
    case: tuple[Problem, int], data: st.DataObject
) -> None:
    inst, sites = _drawn(case, data)
    start = _lp(transport_model(inst, sites).mip)
    assert start is not None
    found = search(inst, sites, _lp, lambda: False)
    assert found is not None
    reached, value = found
    assert len(reached) == inst.p == len(set(reached.tolist()))
    assert set(inst.must.tolist()) <= set(reached.tolist()) <= set(inst.allowed.tolist())
    assert value <= start.objective + 1e-9 * max(1.0, abs(start.objective))
    again = _lp(transport_model(inst, reached).mip)
    assert again is not None and again.objective == pytest.approx(value)


@SMALL
@given(capacitated_instances(), st.data())
def test_the_plan_read_off_the_relaxation_serves_everyone_within_capacity(
    case: tuple[Problem, int], data: st.DataObject
) -> None:
    inst, sites = _drawn(case, data)
    read = rounded(inst, sites, _lp)
    if read is None:
        return  # a split demand found no room: the caller falls back to the regret rule
    assignment, (link_i, link_j) = read
    assert set(assignment.tolist()) <= set(sites.tolist())
    used = np.bincount(assignment, weights=inst.loads, minlength=len(inst.capacities))
    assert np.all(used <= inst.capacities + 1e-9)
    # The relaxation's links: pairs of a demand and an open site with room for its load.
    assert set(link_j.tolist()) <= set(sites.tolist())
    assert np.all(inst.loads[link_i] <= inst.capacities[link_j] + 1e-9)


@SMALL
@given(capacitated_instances(), st.data())
def test_the_relaxations_links_only_ever_improve_the_exact_reassignment(
    case: tuple[Problem, int], data: st.DataObject
) -> None:
    # The exact reassignment over each demand's two nearest open sites, and over those and
    # the pairs the relaxation's solution uses: a larger model, so never a worse assignment.
    inst, sites = _drawn(case, data)
    read = rounded(inst, sites, _lp)
    if read is None:
        return
    start, links = read
    value = _value(inst, start)

    def run(mip: Mip, first: np.ndarray, seconds: float | None) -> MipOutcome:
        return run_mip(mip, OPTIONS, seconds, False, first, True, None)

    plain = _reassign(inst, sites, start, value, run, 60.0)
    linked = _reassign(inst, sites, start, value, run, 60.0, links)
    plain_value = value if plain is None else plain[1]
    linked_value = value if linked is None else linked[1]
    assert linked_value <= plain_value + 1e-6 * max(1.0, abs(plain_value))
    if linked is not None:
        assert set(linked[0].tolist()) <= set(sites.tolist())
        used = np.bincount(linked[0], weights=inst.loads, minlength=len(inst.capacities))
        assert np.all(used <= inst.capacities + 1e-9)


def test_sites_chosen_without_capacities_move_to_a_plan_that_serves_their_demands() -> None:
    generate = bench_module("generate")
    case = generate.capacitated(150, 12, 41)
    problem, p = case.problem, case.p
    inst = _instance(problem, p)
    # The uncapacitated plan: every site where the distances alone want it, the capacities
    # (tight at 80-95 % of the demand) ignored, so its demands overflow to far sites.
    sites = np.array(
        sorted(greedy_swap(inst.cost, np.ones(problem.n_demand), p, (), inst.allowed)),
        dtype=np.intp,
    )
    start = _plan(inst, sites, lambda: False)
    found = search(inst, sites, _lp, lambda: False)
    assert start is not None and found is not None
    reached = _plan(inst, found[0], lambda: False)
    assert reached is not None
    assert reached[1] < 0.5 * start[1]


def test_solve_lp_answers_a_known_programme_and_stops_when_asked() -> None:
    # min x + 2y, x + y = 1, x <= 0.25: x = 0.25, y = 0.75, value 1.75; the first row's dual is 2.
    b = TripletBuilder()
    b.add_block([0, 0], [0, 1], [1.0, 1.0], [1.0], [1.0])
    b.add_block([0], [0], [1.0], [-np.inf], [0.25])
    mip = b.build(np.array([1.0, 2.0]), np.zeros(2), np.ones(2), np.zeros(2, dtype=bool))
    solved = solve_lp(mip, OPTIONS)
    assert solved is not None
    assert solved.objective == pytest.approx(1.75)
    assert solved.row_dual[0] == pytest.approx(2.0)
    monitor = Monitor(SolveOptions(should_stop=lambda: True))
    assert solve_lp(mip, OPTIONS, monitor) is None


def test_the_exact_reassignment_takes_every_pair_the_relaxation_uses() -> None:
    # Tight capacities on a generated case: the relaxation serves some demands beyond their
    # two nearest open sites, and the exact reassignment's model holds those pairs too.
    generate = bench_module("generate")
    case = generate.capacitated(100, 10, 203)
    inst = _instance(case.problem, case.p)
    sites = np.array(
        sorted(greedy_swap(inst.cost, np.ones(case.problem.n_demand), case.p, (), inst.allowed)),
        dtype=np.intp,
    )
    read = rounded(inst, sites, _lp)
    assert read is not None
    start, (link_i, link_j) = read
    _, _, pair_i, pair_j = restricted_model(
        inst.cost, inst.loads, inst.capacities, len(sites), sites, sites, 2, sites, start
    )
    plain = set(zip(pair_i.tolist(), pair_j.tolist(), strict=True))
    links = set(zip(link_i.tolist(), link_j.tolist(), strict=True))
    assert links - plain  # pairs two nearest sites per demand would miss
    _, _, pair_i, pair_j = restricted_model(
        inst.cost,
        inst.loads,
        inst.capacities,
        len(sites),
        sites,
        sites,
        2,
        sites,
        start,
        (link_i, link_j),
    )
    assert links | plain == set(zip(pair_i.tolist(), pair_j.tolist(), strict=True))
