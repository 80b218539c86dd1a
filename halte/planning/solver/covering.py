"""Covering models on HiGHS: maximal covering (MCLP), set covering (LSCP) and p-center.

Coverage is inclusive: demand i is covered by site j when ``costs[i, j] <= radius``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from halte.planning.solver import heuristics
from halte.planning.solver.common import (
    check_p,
    empty_solution,
    finish,
    is_integral_objective,
    nearest_sites,
    site_columns,
    sites_from,
)
from halte.planning.solver.highs_backend import Mip, TripletBuilder, run_mip
from halte.planning.solver.problem import FloatArray, Problem, Solution, SolveOptions, Status
from halte.planning.solver.progress import Monitor
from halte.planning.solver.status import relative_gap

BoolMatrix = npt.NDArray[np.bool_]


def _coverage(problem: Problem, radius: float) -> npt.NDArray[np.bool_]:
    if not np.isfinite(radius) or radius < 0:
        raise ValueError(f"radius must be a finite non-negative number, got {radius}")
    cover = problem.costs <= radius
    cover[:, list(problem.forbidden)] = False
    return cover


def _covered_weight(
    problem: Problem, cover: npt.NDArray[np.bool_], sites: tuple[int, ...]
) -> float:
    hit = cover[:, list(sites)].any(axis=1)
    return float(problem.weights[hit].sum())


def _build_mclp(problem: Problem, p: int, cover: npt.NDArray[np.bool_]) -> Mip:
    """max sum w_i u_i  s.t.  u_i <= sum_{j covers i} y_j, sum y = p (written as a minimisation)."""
    m, n = problem.n_candidates, problem.n_demand
    cov_i, cov_j = np.nonzero(cover)
    b = TripletBuilder()
    b.add_block(
        np.concatenate([np.arange(n), cov_i]),
        np.concatenate([m + np.arange(n), cov_j]),
        np.concatenate([np.ones(n), -np.ones(len(cov_i))]),
        np.full(n, -np.inf),
        np.zeros(n),
    )
    b.add_block(np.zeros(m, dtype=np.int64), np.arange(m), 1.0, [p], [p])
    y_lower, y_upper = site_columns(problem)
    cost = np.concatenate([np.zeros(m), -problem.weights])
    lower = np.concatenate([y_lower, np.zeros(n)])
    upper = np.concatenate([y_upper, np.ones(n)])
    integer = np.concatenate([np.ones(m, dtype=bool), np.zeros(n, dtype=bool)])
    return b.build(cost, lower, upper, integer)


def _cover_assignment(
    problem: Problem, cover: npt.NDArray[np.bool_], sites: tuple[int, ...]
) -> tuple[int, ...]:
    nearest = np.asarray(nearest_sites(problem.costs, sites))
    if not sites:
        return tuple(int(v) for v in nearest)
    covered = cover[:, list(sites)].any(axis=1)
    return tuple(int(v) for v in np.where(covered, nearest, -1))


def _mclp_start(problem: Problem, p: int, cover: BoolMatrix, n_cols: int) -> FloatArray:
    # Minimising uncovered weight with the median heuristic maximises covered weight.
    uncovered = (~cover).astype(np.float64)
    sites = heuristics.greedy_swap(
        uncovered, problem.weights, p, problem.must_open, problem.allowed
    )
    start = np.zeros(n_cols)
    start[sites] = 1.0
    start[problem.n_candidates :] = cover[:, sites].any(axis=1)
    return start


def solve_mclp(
    problem: Problem, p: int, radius: float, options: SolveOptions | None = None
) -> Solution:
    """Maximal covering: open p sites maximising the weight of demand within ``radius`` (inclusive)."""
    options = options or SolveOptions()
    monitor = Monitor(options, maximise=True)
    check_p(problem, p)
    cover = _coverage(problem, radius)
    if len(problem.must_open) > p:
        return empty_solution("mclp", "infeasible", monitor, "more must-open sites than p")
    mip = _build_mclp(problem, p, cover)
    integral = is_integral_objective(
        problem, options, problem.weights[:, None] * np.ones((1, problem.n_candidates))
    )
    monitor.integral = integral
    coverable = -float(problem.weights[cover.any(axis=1)].sum())
    monitor.update("heuristic", bound=coverable)
    start = _mclp_start(problem, p, cover, len(mip.col_cost)) if options.use_heuristic else None
    if start is not None:
        monitor.update("heuristic", objective=float(mip.col_cost @ start))
    # HiGHS's presolve costs more than it saves on these dense coverage rows (SJC402,
    # p = 5, S = 800: 0.60 s with it, 0.09 s without; same answers over 12 radius/p pairs).
    outcome = run_mip(mip, options, monitor.left(), integral, start, False, monitor)
    chosen = sites_from(outcome.values, problem.n_candidates)
    value = _covered_weight(problem, cover, chosen) if chosen else None
    # HiGHS minimises -covered; finish flips objective and bound back.
    assignment = _cover_assignment(problem, cover, chosen)
    internal = None if value is None else -value
    return finish(
        "mclp",
        outcome,
        integral,
        internal,
        chosen,
        assignment,
        monitor,
        maximise=True,
        floor=coverable,
    )


def _build_lscp(problem: Problem, cover: npt.NDArray[np.bool_]) -> Mip:
    m = problem.n_candidates
    cov_i, cov_j = np.nonzero(cover)
    b = TripletBuilder()
    b.add_block(cov_i, cov_j, 1.0, np.ones(problem.n_demand), np.inf)
    y_lower, y_upper = site_columns(problem)
    return b.build(np.ones(m), y_lower, y_upper, np.ones(m, dtype=bool))


def solve_lscp(problem: Problem, radius: float, options: SolveOptions | None = None) -> Solution:
    """Set covering: the fewest sites such that every demand point is within ``radius`` of one.

    Demand points with zero weight still have to be covered (the LSCP ignores weights).
    """
    options = options or SolveOptions()
    monitor = Monitor(options)
    cover = _coverage(problem, radius)
    if not cover.any(axis=1).all():
        return empty_solution(
            "lscp", "infeasible", monitor, "some demand point has no allowed site within the radius"
        )
    mip = _build_lscp(problem, cover)
    monitor.integral = True
    start = None
    if options.use_heuristic:
        greedy_sites = heuristics.greedy_cover(cover, problem.must_open, problem.allowed)
        if greedy_sites is not None:
            start = np.zeros(problem.n_candidates)
            start[greedy_sites] = 1.0
            monitor.update("heuristic", objective=float(len(greedy_sites)))
    outcome = run_mip(mip, options, monitor.left(), True, start, monitor=monitor)
    chosen = sites_from(outcome.values, problem.n_candidates)
    value = float(len(chosen)) if outcome.values is not None else None
    return finish(
        "lscp", outcome, True, value, chosen, nearest_sites(problem.costs, chosen), monitor
    )


def _radius(problem: Problem, sites: list[int]) -> float:
    return float(problem.costs[:, sites].min(axis=1).max())


def _pad_sites(problem: Problem, sites: tuple[int, ...], p: int) -> list[int]:
    """Fill a cover of fewer than p sites up to p; extra open sites never lengthen a distance."""
    chosen = list(sites)
    for j in problem.allowed:
        if len(chosen) >= p:
            break
        if int(j) not in chosen:
            chosen.append(int(j))
    return sorted(chosen)


def _bisect_radius(
    problem: Problem,
    p: int,
    levels: FloatArray,
    state: tuple[int, int, list[int]],
    options: SolveOptions,
    monitor: Monitor,
) -> tuple[int, int, list[int]]:
    """Narrow [lo, hi] over ``levels``: levels[hi] is proven feasible, all below levels[lo] infeasible."""
    lo, hi, sites = state
    # Probes answer "p sites or fewer?", not the radius: they report no progress of
    # their own, but they poll should_stop, and this loop reports the interval.
    probe_options = replace(options, on_progress=None)
    while lo < hi:
        monitor.update("search", objective=float(levels[hi]), bound=float(levels[lo]))
        if monitor.stop_requested():
            break
        mid = (lo + hi) // 2
        probe = solve_lscp(
            problem, float(levels[mid]), replace(probe_options, time_limit=monitor.left())
        )
        if probe.status == "stopped":
            monitor.reason = "stopped"
            break
        if probe.objective is not None and probe.objective <= p:
            hi, sites = mid, _pad_sites(problem, probe.sites, p)
        elif probe.status == "infeasible" or (probe.bound is not None and probe.bound > p):
            lo = mid + 1
        else:
            break  # the probe ran out of time without deciding
    return lo, hi, sites


def solve_p_center(problem: Problem, p: int, options: SolveOptions | None = None) -> Solution:
    """Unweighted p-center: p sites minimising the largest distance to the nearest open site.

    Binary search over the sorted distinct distances. Each probe is a set-covering
    MIP ("do p sites cover everything within r?"): a cover with at most p sites
    proves r feasible, a rounded-up LSCP bound above p proves it infeasible. The
    result is optimal when the search interval closes; after a time limit the
    objective is the best proven-feasible radius and the bound the smallest radius
    not yet proven infeasible. Weights are ignored.
    """
    options = options or SolveOptions()
    monitor = Monitor(options)
    check_p(problem, p)
    if len(problem.must_open) > p:
        return empty_solution("p-center", "infeasible", monitor, "more must-open sites than p")
    allowed = problem.allowed
    levels = np.unique(problem.costs[:, allowed])
    ones = np.ones(problem.n_demand)
    if options.use_heuristic:
        sites = heuristics.greedy_swap(
            problem.costs, ones, p, problem.must_open, allowed, aggregate="max"
        )
    else:
        sites = _pad_sites(problem, problem.must_open, p)
    lo = int(np.searchsorted(levels, problem.costs[:, allowed].min(axis=1).max()))
    hi = int(np.searchsorted(levels, _radius(problem, sites)))
    lo, hi, sites = _bisect_radius(problem, p, levels, (lo, hi, sites), options, monitor)
    proven = lo >= hi
    chosen = tuple(sites)
    monitor.update("search", objective=_radius(problem, sites), bound=float(levels[min(lo, hi)]))
    monitor.flush()
    status: Status = "optimal" if proven else "time_limit"
    if not proven and monitor.reason == "stopped":
        status = "stopped"
    return Solution(
        model="p-center",
        status=status,
        proven_optimal=proven,
        objective=_radius(problem, sites),
        bound=float(levels[min(lo, hi)]),
        gap=0.0 if proven else relative_gap(_radius(problem, sites), float(levels[lo])),
        sites=chosen,
        assignment=nearest_sites(problem.costs, chosen),
        seconds=monitor.elapsed(),
    )
