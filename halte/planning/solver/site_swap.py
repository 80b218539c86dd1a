"""Where the capacitated plan's sites go: swaps judged by the transportation relaxation.

With the open sites fixed, the linear relaxation of the single-source assignment is a
transportation problem (each demand split over its nearest open sites, capacities held).
Its optimum is a lower bound of every assignment that uses the pairs it links (the current
plan's among them) and, when capacities are tight, a far better judge of a site set than a
greedy assignment: shifts and swaps of one or two demands leave a site set's assignment 2-4 %
above its relaxation, and that noise hides which of two site sets is better. HiGHS solves
the relaxation of 300-400 demands, each linked to its 3 nearest open sites, in 2-5 ms
(``JUDGES``: a heuristic also runs the search with 5).

The search swaps one open site for a closed candidate while the relaxation falls (first
improvement, the open sites in turn, until a whole round finds nothing). For each open
site ``j`` it solves the relaxation without ``j``; by duality, opening a candidate ``k``
then lowers it by at most the fractional knapsack of the profits ``u_i - c_ik`` (``u``:
the demands' duals) with weights the loads and room ``k``'s capacity (``gain_bounds``).
Only candidates whose bound exceeds what closing ``j`` cost are tried, best bound first:
most are ruled out without a solve. The best site set's relaxation is a value, not a
plan: the caller assigns its demands (``rounded``, which also gives the pairs the
relaxation's solution uses) and reassigns them exactly over those pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from halte.planning.solver.capacitated_bound import Instance
from halte.planning.solver.highs_backend import LpOutcome, Mip, TripletBuilder
from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
# Solves a linear programme (None: no optimum, or the caller's time is up).
LpRunner = Callable[[Mip], LpOutcome | None]
Stop = Callable[[], bool]
_EPS = 1e-9
# Each demand is linked to its NEAREST open sites in the relaxation; at most TRIES
# candidates (by decreasing bound) are solved for one open site.
NEAREST, TRIES = 3, 20
# The judges a heuristic runs the search with, in turn (each demand linked to its 3, then
# its 5 nearest open sites). With 3, closing a site in a full neighbourhood can look dear
# (its demands find no room within their 3 nearest) and the search stops early: from the
# plan chosen without capacities, 79,058 with 3 on a generated 100-customer case, 65,846
# with 5 (the split-demand optimum is 65,715). On other cases 3 reaches the site set that
# single-sources better: the two searches together, where time allows.
JUDGES = (NEAREST, 5)
# A swap is kept when it lowers the relaxation by more than this share of its value.
MIN_GAIN = 1e-4


@dataclass(frozen=True, eq=False)
class Transport:
    """The relaxation of one site set: the programme, and the demand and the site (a
    candidate index) of each of its first ``len(pair_i)`` columns."""

    mip: Mip
    pair_i: IndexArray
    pair_j: IndexArray


def transport_model(
    inst: Instance, sites: IndexArray, nearest: int = NEAREST, assignment: IndexArray | None = None
) -> Transport:
    """The relaxed assignment to ``sites``: rows 0..n-1 say each demand is served once,
    the next ones hold the sites' capacities. Each demand may use its ``nearest`` open
    sites with room for its load, its site in ``assignment`` when that site is open (so
    the relaxation of a plan's own sites is never above the plan), and an unserved column
    at a prohibitive cost (so the relaxation always has an optimum, and a site set that
    cannot serve a demand nearby is judged by that cost)."""
    n = inst.cost.shape[0]
    size = len(sites)
    sub = inst.cost[:, sites]
    fits = inst.loads[:, None] <= inst.capacities[sites][None, :] + _EPS
    masked = np.where(fits, sub, np.inf)
    kk = min(nearest, size)
    if kk < size:
        near = np.argpartition(masked, kk - 1, axis=1)[:, :kk]
    else:
        near = np.broadcast_to(np.arange(size), (n, size))
    linked = np.zeros((n, size), dtype=bool)
    linked[np.arange(n)[:, None], near] = True
    if assignment is not None:
        position = np.full(inst.cost.shape[1], -1, dtype=np.intp)
        position[sites] = np.arange(size)
        kept = np.flatnonzero(position[assignment] >= 0)
        linked[kept, position[assignment[kept]]] = True
    pair_i, pair_t = np.nonzero(linked & fits)
    n_pairs = len(pair_i)
    b = TripletBuilder()
    b.add_block(
        np.concatenate([pair_i, np.arange(n)]),
        np.arange(n_pairs + n),
        1.0,
        np.ones(n),
        np.ones(n),
    )
    b.add_block(
        pair_t,
        np.arange(n_pairs),
        inst.loads[pair_i],
        np.full(size, -np.inf),
        inst.capacities[sites].astype(np.float64),
    )
    unserved = size * 10.0 * max(1.0, float(inst.cost.max()))
    col_cost = np.concatenate([sub[pair_i, pair_t], np.full(n, unserved)])
    columns = n_pairs + n
    mip = b.build(col_cost, np.zeros(columns), np.ones(columns), np.zeros(columns, dtype=bool))
    return Transport(mip, pair_i, sites[pair_t])


def gain_bounds(inst: Instance, duals: FloatArray, candidates: IndexArray) -> FloatArray:
    """For each candidate, the most that opening it can lower a relaxation whose demand
    duals are ``duals``: the fractional knapsack of the positive profits ``duals_i - c_ik``,
    weighted by the loads, in the candidate's capacity (LP duality: any plan using the new
    columns costs at least the old optimum minus their profit)."""
    profit = duals[:, None] - inst.cost[:, candidates]
    rows, cols = np.nonzero(profit > 0.0)  # few: the demands near each candidate
    gains = profit[rows, cols]
    weights = inst.loads[rows]
    # A demand without load costs no room: it comes first (an infinite ratio).
    ratio = np.divide(gains, weights, out=np.full_like(gains, np.inf), where=weights > 0)
    order = np.lexsort((-ratio, cols))  # by candidate, best ratio first
    rows, cols, gains, weights = rows[order], cols[order], gains[order], weights[order]
    filled = np.cumsum(weights)
    first = np.searchsorted(cols, cols)  # each entry's candidate's first entry
    # The load taken up to each entry, within its candidate.
    filled = filled - (filled[first] - weights[first])
    room = inst.capacities[candidates][cols]
    partial = np.divide(
        room - (filled - weights), weights, out=np.zeros_like(gains), where=weights > 0
    )
    share = np.where(filled <= room, 1.0, np.clip(partial, 0.0, 1.0))
    return np.bincount(cols, weights=gains * share, minlength=len(candidates)).astype(np.float64)


def search(
    inst: Instance,
    sites: IndexArray,
    run_lp: LpRunner,
    stop: Stop,
    assignment: IndexArray | None = None,
    nearest: int = NEAREST,
) -> tuple[IndexArray, float] | None:
    """Swap sites while the relaxation (each demand linked to its ``nearest`` open sites)
    falls (see the module docstring); returns the site set reached and its relaxation's
    value, or None when the first relaxation could not be solved."""
    n = inst.cost.shape[0]
    sites = np.array(sites, dtype=np.intp)
    first = run_lp(transport_model(inst, sites, nearest, assignment).mip)
    if first is None:
        return None
    value = first.objective
    fixed = {int(j) for j in inst.must}
    improved = len(sites) > 1
    while improved and not stop():
        improved = False
        for slot in range(len(sites)):
            if stop():
                break
            if int(sites[slot]) in fixed:
                continue
            without = run_lp(transport_model(inst, np.delete(sites, slot), nearest, assignment).mip)
            if without is None:
                break
            loss = without.objective - value
            candidates = np.setdiff1d(inst.allowed, sites)
            if candidates.size == 0:
                return np.sort(sites), value
            bounds = gain_bounds(inst, without.row_dual[:n], candidates)
            worth = MIN_GAIN * max(1.0, abs(value))
            for t in np.argsort(-bounds, kind="stable")[:TRIES]:
                if bounds[t] <= loss + worth or stop():
                    break
                trial = sites.copy()
                trial[slot] = candidates[t]
                solved = run_lp(transport_model(inst, trial, nearest, assignment).mip)
                if solved is not None and solved.objective < value - worth:
                    sites, value, improved = trial, solved.objective, True
                    break
    return np.sort(sites), value


def rounded(
    inst: Instance,
    sites: IndexArray,
    run_lp: LpRunner,
    assignment: IndexArray | None = None,
    nearest: int = NEAREST,
) -> tuple[IndexArray, tuple[IndexArray, IndexArray]] | None:
    """A single-source assignment to ``sites`` read off their relaxation, and the pairs
    (demand, site) the relaxation's solution uses. Each demand the relaxation serves whole
    keeps its site; the few it splits (at most one per site in a basic solution) go, largest
    load first, to the cheapest open site with room. None when the relaxation has no
    solution or a split demand finds no room."""
    model = transport_model(inst, sites, nearest, assignment)
    solved = run_lp(model.mip)
    if solved is None:
        return None
    n = inst.cost.shape[0]
    share = solved.col_value[: len(model.pair_i)]
    used = share > 1e-6
    result = np.full(n, -1, dtype=np.intp)
    whole = share > 1.0 - 1e-6
    result[model.pair_i[whole]] = model.pair_j[whole]
    room = inst.capacities.astype(np.float64)
    room -= np.bincount(result[result >= 0], weights=inst.loads[result >= 0], minlength=len(room))
    split = np.flatnonzero(result < 0)
    for i in split[np.argsort(-inst.loads[split], kind="stable")]:
        by_cost = sites[np.argsort(inst.cost[i, sites], kind="stable")]
        fits = by_cost[room[by_cost] + _EPS >= inst.loads[i]]
        if fits.size == 0:
            return None
        result[i] = fits[0]
        room[fits[0]] -= inst.loads[i]
    return result, (model.pair_i[used], model.pair_j[used])
