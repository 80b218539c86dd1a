"""Exact median models on HiGHS: p-median (radius formulation) and capacitated p-median.

Every ``solve_*`` function takes a ``Problem`` and ``SolveOptions`` and returns a
``Solution`` whose status follows the zero-gap rule of ``status.py``. Column
layout: the first ``n_candidates`` columns are always the site variables ``y``
(forbidden sites get upper bound 0), model-specific columns follow.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from halte.planning.solver import capacitated, capacitated_bound, heuristics, lagrangian, regions
from halte.planning.solver.common import (
    check_p,
    empty_solution,
    finish,
    is_integral_objective,
    nearest_sites,
    site_columns,
    sites_from,
    stopped_outcome,
)
from halte.planning.solver.highs_backend import Mip, MipOutcome, TripletBuilder, run_mip, solve_lp
from halte.planning.solver.problem import FloatArray, Problem, Solution, SolveOptions
from halte.planning.solver.progress import Monitor
from halte.planning.solver.status import is_proven, relative_gap

IndexArray = npt.NDArray[np.intp]


def nearest_floor(problem: Problem) -> float:
    """Lower bound of any median objective: every demand served by its nearest allowed site."""
    return float(problem.weights @ problem.costs[:, problem.allowed].min(axis=1))


def _median_value(problem: Problem, sites: tuple[int, ...]) -> float:
    return float(problem.weights @ problem.costs[:, list(sites)].min(axis=1))


def _client_levels(
    dist: FloatArray, allowed: IndexArray, keep_until: int
) -> tuple[FloatArray, IndexArray, int]:
    """Distinct distances of one client and, per allowed site, its level.

    Levels whose cumulative site count reaches ``keep_until`` are cut: with p
    open sites out of m, a client always has an open site among its
    m - p + 1 nearest, so deeper levels never bind (Garcia et al.'s reduction).
    """
    levels, level_of = np.unique(dist[allowed], return_inverse=True)
    cumulative = np.cumsum(np.bincount(level_of))
    n_levels = int(np.searchsorted(cumulative, keep_until))  # first level reaching it
    return levels, level_of, n_levels


def _build_p_median(
    problem: Problem, p: int, reduction: lagrangian.Reduction | None = None
) -> tuple[Mip, list[tuple[int, FloatArray, int]]]:
    """Radius (cumulative) formulation with the chained rows of Elloumi / Garcia et al.

    ``z[i,k] = 1`` means no open site within ``D_i^k``. Row k of client i is
    ``z[i,k] - z[i,k-1] + sum_{j: d_ij = D_i^k} y_j >= 0`` (first row: ``>= 1``),
    so every y appears once per client and the matrix has O(n*m) non-zeros.

    With a ``reduction`` (see ``lagrangian.py``) proven-closed sites are left out,
    proven-open sites get ``y_j >= 1``, and a client with a proven cover radius
    keeps only the levels up to the last one within it: that level's row loses its
    ``z`` (``-z[i,K-1] + sum_{level K} y >= 0``), i.e. a site within it must open.
    """
    m = problem.n_candidates
    y_lower, y_upper = site_columns(problem)
    allowed = problem.allowed
    cover = np.full(problem.n_demand, np.inf)
    if reduction is not None:
        y_upper[reduction.closed] = 0.0
        y_lower[reduction.opened] = 1.0
        allowed = allowed[~reduction.closed[allowed]]
        cover = reduction.cover_radius
    keep_until = len(allowed) - p + 1
    builder = TripletBuilder()
    costs: list[FloatArray] = [np.zeros(m)]
    offset, next_col = 0.0, m
    layout: list[tuple[int, FloatArray, int]] = []
    for i in range(problem.n_demand):
        levels, level_of, n_levels = _client_levels(problem.costs[i], allowed, keep_until)
        # last level within the proven cover radius (-1: none, nothing to cut)
        last = int(np.searchsorted(levels, cover[i], side="right")) - 1
        capped = 0 <= last < n_levels
        n_z = last if capped else n_levels
        n_rows = n_z + int(capped)
        w = float(problem.weights[i])
        offset += w * float(levels[0])
        layout.append((next_col, levels, n_z))
        if n_rows == 0:
            continue
        z = next_col + np.arange(n_z)
        costs.append(w * np.diff(levels[: n_z + 1]))
        in_rows = level_of < n_rows
        rows = np.concatenate([np.arange(n_z), np.arange(1, n_rows), level_of[in_rows]])
        cols = np.concatenate([z, z[: n_rows - 1], allowed[in_rows]])
        vals = np.concatenate([np.ones(n_z), -np.ones(n_rows - 1), np.ones(int(in_rows.sum()))])
        lower = np.zeros(n_rows)
        lower[0] = 1.0
        builder.add_block(rows, cols, vals, lower, np.inf)
        next_col += n_z
    builder.add_block(np.zeros(m, dtype=np.int64), np.arange(m), 1.0, [p], [p])
    col_cost = np.concatenate(costs)
    n_z_total = next_col - m
    lower = np.concatenate([y_lower, np.zeros(n_z_total)])
    upper = np.concatenate([y_upper, np.ones(n_z_total)])
    integer = np.concatenate([np.ones(m, dtype=bool), np.zeros(n_z_total, dtype=bool)])
    return builder.build(col_cost, lower, upper, integer, offset), layout


def _p_median_start(
    problem: Problem, sites: list[int], layout: list[tuple[int, FloatArray, int]], n_cols: int
) -> FloatArray:
    start = np.zeros(n_cols)
    start[sites] = 1.0
    nearest = problem.costs[:, sites].min(axis=1)
    for i, (first_col, levels, n_levels) in enumerate(layout):
        start[first_col : first_col + n_levels] = levels[:n_levels] < nearest[i]
    return start


def solve_p_median(problem: Problem, p: int, options: SolveOptions | None = None) -> Solution:
    """Uncapacitated p-median: open exactly p sites minimising total weighted distance."""
    options = options or SolveOptions()
    monitor = Monitor(options)
    check_p(problem, p)
    if len(problem.must_open) > p:
        return empty_solution("p-median", "infeasible", monitor, "more must-open sites than p")
    integral = is_integral_objective(problem, options, problem.costs * problem.weights[:, None])
    monitor.integral = integral
    floor = nearest_floor(problem)
    start, sites, reduction = None, None, None
    if options.use_heuristic:
        sites = heuristics.greedy_swap(
            problem.costs, problem.weights, p, problem.must_open, problem.allowed
        )
        value = _median_value(problem, tuple(sites))
        monitor.update("heuristic", objective=value, bound=floor)
        if not monitor.stop_requested():
            reduction = lagrangian.reduce_p_median(
                problem.costs,
                problem.weights,
                p,
                problem.must_open,
                problem.allowed,
                value,
                stop=monitor.stop_requested,
            )
        if reduction is not None:
            monitor.update("bound", bound=reduction.bound)
        if monitor.stop_requested():
            chosen = tuple(sites)
            return finish(
                "p-median",
                stopped_outcome(monitor, value),
                integral,
                value,
                chosen,
                nearest_sites(problem.costs, chosen),
                monitor,
                floor=floor,
            )
    mip, layout = _build_p_median(problem, p, reduction)
    if sites is not None:
        start = _p_median_start(problem, sites, layout, len(mip.col_cost))
    # The Lagrangian reduction does most of what presolve would, and presolve then
    # costs more than it saves (pmed6: 2.5 s with it, 1.2 s without).
    outcome = run_mip(mip, options, monitor.left(), integral, start, reduction is None, monitor)
    chosen = sites_from(outcome.values, problem.n_candidates)
    final = _median_value(problem, chosen) if chosen else None
    assignment = nearest_sites(problem.costs, chosen)
    return finish(
        "p-median",
        outcome,
        integral,
        final,
        chosen,
        assignment,
        monitor,
        floor=max(floor, reduction.bound if reduction else -np.inf),
    )


def _feasible_pairs(problem: Problem, capacities: FloatArray) -> tuple[IndexArray, IndexArray]:
    allowed_mask = np.zeros(problem.n_candidates, dtype=bool)
    allowed_mask[problem.allowed] = True
    # A demand point heavier than a site's capacity can never be served by it.
    fits = (problem.loads[:, None] <= capacities[None, :] + 1e-9) & allowed_mask[None, :]
    pair_i, pair_j = np.nonzero(fits)
    return pair_i.astype(np.intp), pair_j.astype(np.intp)


def _build_capacitated(
    problem: Problem,
    p: int,
    capacities: FloatArray,
    pairs: tuple[IndexArray, IndexArray] | None = None,
    closed: npt.NDArray[np.bool_] | None = None,
    nested: list[IndexArray] | None = None,
) -> tuple[Mip, IndexArray, IndexArray]:
    """Single-source capacitated p-median with x_ij <= y_j linking rows (they tighten the LP a lot).

    ``pairs`` restricts the assignment variables (default: every pair whose load fits);
    ``closed`` sites get an upper bound of 0 (both from ``capacitated_bound.reduce_pairs``).
    ``nested`` regions of sites (``regions.nested_regions``) each get an integer column,
    after the pairs', equal to the number of its sites open, for HiGHS to branch on.
    """
    m, n = problem.n_candidates, problem.n_demand
    pair_i, pair_j = pairs if pairs is not None else _feasible_pairs(problem, capacities)
    n_pairs = len(pair_i)
    x = m + np.arange(n_pairs)
    b = TripletBuilder()
    b.add_block(pair_i, x, 1.0, np.ones(n), np.ones(n))
    b.add_block(
        np.concatenate([pair_j, np.arange(m)]),
        np.concatenate([x, np.arange(m)]),
        np.concatenate([problem.loads[pair_i], -capacities]),
        np.full(m, -np.inf),
        np.zeros(m),
    )
    b.add_block(np.zeros(m, dtype=np.int64), np.arange(m), 1.0, [p], [p])
    b.add_block(
        np.tile(np.arange(n_pairs), 2),
        np.concatenate([x, pair_j]),
        np.concatenate([np.ones(n_pairs), -np.ones(n_pairs)]),
        np.full(n_pairs, -np.inf),
        np.zeros(n_pairs),
    )
    b.add_block(
        np.zeros(m, dtype=np.int64), np.arange(m), capacities, [problem.loads.sum()], [np.inf]
    )
    y_lower, y_upper = site_columns(problem)
    if closed is not None:
        y_upper[closed & (y_lower < 0.5)] = 0.0
    counted, count_lower, count_upper = regions.region_counts(nested or [], y_lower, y_upper, p)
    regions.add_counts(b, counted, m + n_pairs)
    cost = np.concatenate(
        [
            np.zeros(m),
            problem.weights[pair_i] * problem.costs[pair_i, pair_j],
            np.zeros(len(counted)),
        ]
    )
    lower = np.concatenate([y_lower, np.zeros(n_pairs), count_lower])
    upper = np.concatenate([y_upper, np.ones(n_pairs), count_upper])
    return b.build(cost, lower, upper, np.ones(len(cost), dtype=bool)), pair_i, pair_j


def _assignment_start(
    problem: Problem,
    sites: tuple[int, ...],
    served_by: IndexArray,
    pairs: tuple[IndexArray, IndexArray],
) -> FloatArray:
    pair_i, pair_j = pairs
    start = np.zeros(problem.n_candidates + len(pair_i))
    start[list(sites)] = 1.0
    start[problem.n_candidates + np.flatnonzero(served_by[pair_i] == pair_j)] = 1.0
    return start


def _read_assignment(
    problem: Problem, values: FloatArray | None, pairs: tuple[IndexArray, IndexArray]
) -> tuple[tuple[int, ...], IndexArray | None, float | None]:
    if values is None:
        return (), None, None
    pair_i, pair_j = pairs
    used = values[problem.n_candidates : problem.n_candidates + len(pair_i)] > 0.5
    served_by = np.full(problem.n_demand, -1, dtype=np.intp)
    served_by[pair_i[used]] = pair_j[used]
    value = float(problem.weights @ problem.costs[np.arange(problem.n_demand), served_by])
    return sites_from(values, problem.n_candidates), served_by, value


# HiGHS's presolve cannot be interrupted (its probing ignores the time limit and the
# callbacks): SJC2 (40,000 pairs) spent 8.8 s in it under a 1 s limit, a generated
# 300-customer case 115 s. It runs only on models small enough for it to be quick.
_PRESOLVE_MAX_PAIRS = 12_000
# Neither can HiGHS's set-up of a large MIP (clique table, first LP factorisation,
# feasibility jump): on a generated 402 x 402 model (162,000 pairs) it overran a 3 s
# limit by 4.6 s. Under a time limit the full model runs only when at least one second
# per this many pairs is left; otherwise the heuristic's plan and bound are the answer.
_PAIRS_PER_SECOND = 20_000
# Share of the time limit the heuristic may use when HiGHS runs after it (40 % before the
# split-demand phase took 20 %: measured both ways, docs/performance.md, tenth pass).
_HEURISTIC_SHARE = 0.25
# Under a short limit a quarter is too little for the heuristic's plan (SJC2: 2.3 % above the
# optimum after 1.25 s, 0.07 % after 3 s) and too much of the rest goes to a proof that has
# no time to end: up to this share of the limit, and at most ``_FAST_PASS`` seconds.
_SHORT_LIMIT_SHARE = 0.6
# The heuristic's MIPs (a neighbourhood, a reassignment) have a small share of its budget
# (half a second to a few seconds): with HiGHS's default pool (10,000 cuts) the root can spend
# all of it separating cuts before HiGHS's own heuristics look for a plan; a small pool lets
# them run within the first tenths. Measured at 5, 8 (a 20 s solve) and 24 s (60 s) budgets.
_SUB_MIP_CUT_POOL = 300
# The heuristic's phases take shares of its budget, so under a long one (24 s of the default
# 60 s limit, as it then was) its first good plan came only after 10-20 s. A budget of at
# least twice this many seconds is run in two passes: a whole first pass in these seconds,
# for a good plan early, then a second with the rest, from the first's plan and multipliers.
_FAST_PASS = 5.0


def _heuristic_seconds(limit: float) -> float:
    """The heuristic's seconds of a time limit when HiGHS runs after it."""
    return max(_HEURISTIC_SHARE * limit, min(_SHORT_LIMIT_SHARE * limit, _FAST_PASS))


def _capacitated_heuristic(
    problem: Problem,
    p: int,
    capacities: FloatArray,
    monitor: Monitor,
    budget: float | None,
    options: SolveOptions | None = None,
    fast_pass: float = _FAST_PASS,
) -> capacitated.CapacitatedResult:
    """The capacitated heuristic (``capacitated.solve_heuristic``) within ``budget`` seconds
    (None: until its own searches end), in two passes when the budget allows (``_FAST_PASS``)."""
    cost = problem.weights[:, None] * problem.costs
    first = heuristics.greedy_swap(
        cost, np.ones(problem.n_demand), p, problem.must_open, problem.allowed
    )

    def run_pass(seconds: float | None, **start: Any) -> capacitated.CapacitatedResult:
        return _heuristic_pass(problem, cost, p, capacities, monitor, seconds, options, **start)

    if budget is None or budget < 2 * fast_pass:
        return run_pass(budget, first_sites=first)
    end = monitor.elapsed() + budget
    fast = run_pass(fast_pass, first_sites=first)
    rest = end - monitor.elapsed()
    if monitor.stop_requested() or rest <= 0.0:
        return fast
    later = run_pass(
        rest,
        first_sites=first if fast.sites is None else list(fast.sites),
        first_assignment=fast.assignment,
        first_multipliers=fast.multipliers,
    )
    return fast.merged(later)


def _heuristic_pass(
    problem: Problem,
    cost: FloatArray,
    p: int,
    capacities: FloatArray,
    monitor: Monitor,
    budget: float | None,
    options: SolveOptions | None,
    *,
    first_sites: list[int],
    first_assignment: npt.NDArray[np.intp] | None = None,
    first_multipliers: FloatArray | None = None,
) -> capacitated.CapacitatedResult:
    deadline = None if budget is None else monitor.elapsed() + budget
    mip_options = replace(options or SolveOptions(), time_limit=None)

    def stop() -> bool:
        return monitor.stop_requested() or (deadline is not None and monitor.elapsed() >= deadline)

    def time_left() -> float | None:
        return None if deadline is None else deadline - monitor.elapsed()

    def run(mip: Mip, start: FloatArray, seconds: float | None) -> MipOutcome:
        # The restricted model's bound is not a bound of the whole problem: only ticks.
        return run_mip(
            mip,
            mip_options,
            seconds,
            False,
            start,
            True,
            monitor,
            reports_objective=False,
            cut_pool=_SUB_MIP_CUT_POOL,
        )

    return capacitated.solve_heuristic(
        cost,
        problem.loads,
        capacities,
        p,
        problem.must_open,
        problem.allowed,
        stop,
        first_sites=first_sites,
        first_assignment=first_assignment,
        first_multipliers=first_multipliers,
        on_plan=lambda value: monitor.update("heuristic", objective=value),
        on_bound=lambda bound: monitor.update("bound", bound=bound),
        time_left=time_left,
        run_mip=run,
        run_lp=lambda mip: solve_lp(mip, mip_options, monitor),
    )


def _reduced_pairs(
    problem: Problem,
    p: int,
    capacities: FloatArray,
    pairs: tuple[IndexArray, IndexArray],
    found: capacitated.CapacitatedResult,
    served_by: IndexArray,
    value: float,
) -> tuple[tuple[IndexArray, IndexArray], npt.NDArray[np.bool_]]:
    """Drop the sites and pairs the Lagrangian multipliers prove useless against ``value``.

    Only plans worse than the incumbent are cut, so the reduced model keeps the
    incumbent (its own pairs are kept in any case) and the optimum; its dual bound,
    capped at the incumbent's value, is a bound of the whole problem.
    """
    assert found.multipliers is not None
    cost = problem.weights[:, None] * problem.costs
    reduced = capacitated_bound.reduce_pairs(
        cost,
        problem.loads,
        capacities,
        p,
        problem.must_open,
        problem.allowed,
        found.multipliers,
        value,
    )
    pair_i, pair_j = pairs
    keep = ~reduced.pruned[pair_i, pair_j] | (served_by[pair_i] == pair_j)
    closed = reduced.closed
    closed[np.unique(served_by)] = False
    return (pair_i[keep], pair_j[keep]), closed


# The proof starts from the heuristic's and the split phase's best plan. When that plan is
# within this share of the bound, HiGHS's own sub-MIP searches for plans mostly cost time
# (g-100-10-207, started at its optimum: 15 of the proof's 41 s in them; 24 s without); when
# it is further, they are what still improves it (g-100-10-203, 4.7 % from its split bound:
# 40 s from a plan 3.9 % above the optimum ended 0.4 % above it with them, 1.7 % without).
_PROOF_ONLY_GAP = 0.03

# Share of the time limit for the split-demand plan (``_split_plan``), between the heuristic
# and the proof; without a limit, at most this many seconds.
_SPLIT_SHARE = 0.2
_SPLIT_CAP = 15.0


def _split_plan(
    problem: Problem,
    p: int,
    capacities: FloatArray,
    model: tuple[Mip, IndexArray, IndexArray],
    incumbent: tuple[tuple[int, ...], IndexArray] | None,
    monitor: Monitor,
    options: SolveOptions,
    seconds: float,
) -> tuple[float | None, tuple[tuple[int, ...], IndexArray, float] | None]:
    """The plan with demands allowed to split between sites, then served single-source.

    Letting a demand split makes the assignment a transportation problem while the sites
    stay whole: HiGHS, branching on the regions' counts, solves it far faster than the
    single-source model, its sites are a good single-source plan's (on clustered cases
    better than the local search's: the right number of sites in each neighbourhood), and
    its dual bound is a bound of the single-source plans over the model's pairs. ``model``
    is the proof's (``_build_capacitated`` with the regions' counts): only the assignment's
    integrality changes here. Returns that bound (None if HiGHS had none) and the best
    single-source plan on its sites (exact assignment over their pairs), None when there is
    none in the time.
    """
    m = problem.n_candidates
    mip, pair_i, pair_j = model
    pairs = (pair_i, pair_j)
    split = mip.integer.copy()
    split[m : m + len(pair_i)] = False
    start = None
    if incumbent is not None:
        start = regions.with_counts(mip, _assignment_start(problem, *incumbent, pairs))
    deadline = monitor.elapsed() + seconds
    mip_options = replace(options, time_limit=None)  # each run gets its own seconds
    relaxed = run_mip(
        replace(mip, integer=split),
        mip_options,
        seconds,
        False,
        start,
        len(pair_i) <= _PRESOLVE_MAX_PAIRS,
        monitor,
        reports_objective=False,
    )
    if relaxed.values is None:
        return relaxed.bound, None
    chosen = np.flatnonzero(relaxed.values[:m] > 0.5)
    if incumbent is not None and set(chosen.tolist()) == set(incumbent[0]):
        return relaxed.bound, None
    on_sites = np.isin(pair_j, chosen)
    kept = (pair_i[on_sites], pair_j[on_sites])
    fixed, _, _ = _build_capacitated(problem, p, capacities, kept, None)
    open_sites = np.zeros(m)
    open_sites[chosen] = 1.0
    fixed = replace(
        fixed,
        col_lower=np.concatenate([open_sites, fixed.col_lower[m:]]),
        col_upper=np.concatenate([open_sites, fixed.col_upper[m:]]),
    )
    left = max(deadline - monitor.elapsed(), min(1.0, seconds))
    served = run_mip(
        fixed,
        mip_options,
        left,
        False,
        None,
        len(kept[0]) <= _PRESOLVE_MAX_PAIRS,
        monitor,
        reports_objective=False,
        cut_pool=_SUB_MIP_CUT_POOL,
    )
    got_sites, got_served, got_value = _read_assignment(problem, served.values, kept)
    if got_served is None or got_value is None or np.any(got_served < 0):
        return relaxed.bound, None
    return relaxed.bound, (got_sites, got_served, got_value)


def solve_capacitated_p_median(
    problem: Problem, p: int, options: SolveOptions | None = None
) -> Solution:
    """Capacitated p-median with single-source assignment; uses ``problem.capacities`` and ``loads``.

    Three phases share the time limit: the heuristic (``capacitated.py``: Lagrangian
    relaxation, repair, site swaps, HiGHS neighbourhood search; ``_heuristic_seconds`` of it,
    in two passes from a 10 s budget on, so that a good plan comes within ``_FAST_PASS`` s);
    the split-demand plan on the model reduced by the Lagrangian multipliers (sites closed,
    pairs pruned against the heuristic's plan; ``_split_plan``, up to 20 %), for its sites
    and its bound; then HiGHS on the reduced model, started from the best plan, for the
    proof. Both HiGHS models branch on the number of sites in nested regions
    (``regions.py``). The best of the Lagrangian and split bounds stands when HiGHS has no
    better one.
    """
    options = options or SolveOptions()
    monitor = Monitor(options)
    check_p(problem, p)
    if problem.capacities is None:
        raise ValueError("the capacitated p-median needs capacities")
    if len(problem.must_open) > p:
        return empty_solution(
            "capacitated-p-median", "infeasible", monitor, "more must-open sites than p"
        )
    capacities = problem.capacities
    integral = is_integral_objective(problem, options, problem.costs * problem.weights[:, None])
    monitor.integral = integral
    floor = nearest_floor(problem)
    monitor.update("heuristic", bound=floor)
    limit = options.time_limit
    pairs = _feasible_pairs(problem, capacities)
    budget = None
    if limit is not None:
        budget = _heuristic_seconds(limit)
        if limit - budget < len(pairs[0]) / _PAIRS_PER_SECOND:
            budget = limit  # no time for HiGHS's set-up of the full model after it
    sites: tuple[int, ...] = ()
    served_by: IndexArray | None = None
    value: float | None = None
    closed: npt.NDArray[np.bool_] | None = None
    if options.use_heuristic:
        found = _capacitated_heuristic(problem, p, capacities, monitor, budget, options)
        floor = max(floor, found.bound)
        if found.sites is not None and found.assignment is not None:
            sites, served_by, value = found.sites, found.assignment, found.value
        if found.multipliers is not None and served_by is not None and value is not None:
            pairs, closed = _reduced_pairs(problem, p, capacities, pairs, found, served_by, value)

    def answer(outcome: MipOutcome) -> Solution:
        return finish(
            "capacitated-p-median",
            outcome,
            integral,
            value,
            sites,
            _served_tuple(served_by, problem),
            monitor,
            floor=floor,
        )

    def cut_short() -> MipOutcome | None:
        """The answer now when there is no time for HiGHS's set-up of the model, or a stop."""
        left = monitor.left()
        if left is not None and left < len(pairs[0]) / _PAIRS_PER_SECOND:
            monitor.stop_requested()  # may latch the time limit
            outcome = stopped_outcome(monitor, value)
            if outcome.stop_reason is None:
                outcome = replace(outcome, stop_reason="time_limit")
            return outcome
        return stopped_outcome(monitor, value) if monitor.stop_requested() else None

    if (short := cut_short()) is not None:
        return answer(short)
    nested = regions.nested_regions(regions.candidate_distances(problem.costs))
    model = _build_capacitated(problem, p, capacities, pairs, closed, nested)
    split_seconds = _SPLIT_CAP if limit is None else _SPLIT_SHARE * limit
    left = monitor.left()
    if options.use_heuristic and (
        left is None or left >= split_seconds + len(pairs[0]) / _PAIRS_PER_SECOND
    ):
        incumbent = None if served_by is None else (sites, served_by)
        split_bound, better = _split_plan(
            problem, p, capacities, model, incumbent, monitor, options, split_seconds
        )
        if split_bound is not None:
            # Every plan better than the incumbent uses the reduced pairs only: the bound
            # holds for the whole problem once capped at the incumbent's value.
            capped = split_bound if value is None else min(split_bound, value)
            floor = max(floor, capped)
            monitor.update("bound", bound=capped)
        if better is not None and (value is None or better[2] < value - 1e-9):
            sites, served_by, value = better
            monitor.update("heuristic", objective=value)
        if is_proven(value, floor, integral):  # the split bound closes the gap: no proof to run
            return answer(MipOutcome("Optimal", None, value, floor))
        if (short := cut_short()) is not None:
            return answer(short)
    mip, pair_i, _pair_j = model
    full_start = (
        None
        if served_by is None
        else regions.with_counts(mip, _assignment_start(problem, sites, served_by, pairs))
    )
    gap = relative_gap(value, floor)
    outcome = run_mip(
        mip,
        options,
        monitor.left(),
        integral,
        full_start,
        len(pair_i) <= _PRESOLVE_MAX_PAIRS,
        monitor,
        sub_mips=gap is None or gap > _PROOF_ONLY_GAP,
    )
    got_sites, got_served, got_value = _read_assignment(problem, outcome.values, pairs)
    if got_served is not None:
        sites, served_by, value = got_sites, got_served, got_value
    elif value is not None:
        outcome = replace(outcome, objective=value)  # HiGHS stopped before taking the start in
    return answer(outcome)


def _served_tuple(served_by: IndexArray | None, problem: Problem) -> tuple[int, ...]:
    return () if served_by is None else tuple(int(j) for j in served_by)
