"""Capacitated p-median heuristic: Lagrangian relaxation of the assignment, repair, local search.

Relaxing ``sum_j x_ij = 1`` with multipliers ``lam`` splits the single-source
capacitated p-median into one knapsack per site::

    rho_j = min sum_i (c_ij - lam_i) x_ij   s.t.  sum_i q_i x_ij <= Q_j,  0 <= x_ij <= 1

(solved here as the continuous knapsack: items by increasing (c_ij - lam_i) / q_i, the
last one split). For any ``lam``, ``sum(lam) + (sum of the p smallest rho, must-open
sites included)`` is a lower bound of every plan: the binary knapsack is at least its
continuous relaxation. Subgradient steps raise it; the ``rho`` order also says which
sites the relaxation likes, and each such site set is *repaired* into a plan (regret
assignment with capacities) and improved by local search:

* assignment moves with the sites fixed: shift one demand to another open site with
  room, swap the sites of two demands;
* site moves: replace each open site by the candidate that serves its own demands
  most cheaply (location-allocation), and by the best nearby closed candidate.

Everything is deterministic (ties to the lowest index) and stops when ``stop()`` says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from halte.planning.solver.heuristics import assign_with_capacity
from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
Stop = Callable[[], bool]
_EPS = 1e-9


@dataclass(frozen=True, eq=False)
class CapacitatedResult:
    """Best plan found (None if none) and the best Lagrangian lower bound."""

    sites: tuple[int, ...] | None
    assignment: IndexArray | None
    value: float | None
    bound: float


@dataclass(eq=False)
class _Instance:
    cost: FloatArray  # weighted cost, n x m
    loads: FloatArray
    capacities: FloatArray
    p: int
    must: IndexArray  # must-open candidates
    allowed: IndexArray


def _knapsacks(inst: _Instance, lam: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Continuous knapsack of every allowed site: (rho per allowed site, x fractions n x allowed)."""
    red = inst.cost[:, inst.allowed] - lam[:, None]
    q = inst.loads
    caps = inst.capacities[inst.allowed]
    weightless = q <= _EPS
    ratio = np.where(weightless[:, None], -np.inf, red / np.where(weightless, 1.0, q)[:, None])
    ratio = np.where(red < 0.0, ratio, np.inf)  # items that do not pay come last, never taken
    order = np.argsort(ratio, axis=0, kind="stable")
    cols = np.arange(red.shape[1])[None, :]
    red_sorted = red[order, cols]
    q_sorted = q[order]
    useful = red_sorted < 0.0
    q_used = np.where(useful, q_sorted, 0.0)
    before = np.cumsum(q_used, axis=0) - q_used
    room = np.maximum(caps[None, :] - before, 0.0)
    frac = np.where(
        q_used > _EPS, np.minimum(room / np.where(q_used > _EPS, q_used, 1.0), 1.0), 1.0
    )
    frac = np.where(useful, frac, 0.0)
    rho = (red_sorted * frac).sum(axis=0)
    x = np.zeros_like(frac)
    x[order, cols] = frac
    return rho, x


def _choose(inst: _Instance, rho: FloatArray) -> IndexArray:
    """Positions (in ``allowed``) of the must-open sites and the p - |must| smallest rho."""
    must_pos = np.flatnonzero(np.isin(inst.allowed, inst.must))
    free = np.setdiff1d(np.arange(len(inst.allowed)), must_pos)
    r = inst.p - len(must_pos)
    pick = free[np.argsort(rho[free], kind="stable")[:r]] if r > 0 else free[:0]
    return np.concatenate([must_pos, pick])


def _value(inst: _Instance, assignment: IndexArray) -> float:
    return float(inst.cost[np.arange(len(assignment)), assignment].sum())


def _shift_and_swap(inst: _Instance, sites: IndexArray, assignment: IndexArray, stop: Stop) -> None:
    """Improve the assignment in place by shifts and pairwise swaps until neither helps."""
    n = len(assignment)
    col = {int(j): k for k, j in enumerate(sites)}
    sub = inst.cost[:, sites]
    q = inst.loads
    at = np.array([col[int(j)] for j in assignment], dtype=np.intp)
    room = inst.capacities[sites] - np.bincount(at, weights=q, minlength=len(sites))
    rows = np.arange(n)
    improved = True
    while improved and not stop():
        improved = False
        for i in range(n):
            current = sub[i, at[i]]
            gain = current - sub[i]
            gain[room < q[i] - _EPS] = -np.inf
            gain[at[i]] = -np.inf
            k = int(np.argmax(gain))
            if gain[k] > _EPS * max(1.0, current):
                room[at[i]] += q[i]
                room[k] -= q[i]
                at[i] = k
                improved = True
        for i in range(n):
            a = at[i]
            delta = sub[i, at] + sub[rows, a] - sub[i, a] - sub[rows, at]
            fits = (room[a] + q[i] - q >= -_EPS) & (room[at] + q - q[i] >= -_EPS) & (at != a)
            delta = np.where(fits, delta, np.inf)
            other = int(np.argmin(delta))
            if delta[other] < -_EPS * max(1.0, abs(sub[i, a])):
                b = at[other]
                room[a] += q[i] - q[other]
                room[b] += q[other] - q[i]
                at[i], at[other] = b, a
                improved = True
    assignment[:] = sites[at]


def _plan(
    inst: _Instance, sites: IndexArray, stop: Stop, start: IndexArray | None = None
) -> tuple[IndexArray, float] | None:
    """Assign demands to ``sites`` (regret rule, or ``start`` when given), then shift/swap."""
    if start is None:
        found = assign_with_capacity(inst.cost, inst.loads, inst.capacities, list(sites))
        if found is None:
            return None
        start = found
    assignment = np.array(start, dtype=np.intp)
    _shift_and_swap(inst, sites, assignment, stop)
    return assignment, _value(inst, assignment)


def _repair(
    inst: _Instance, sites: IndexArray, best: float, stop: Stop
) -> tuple[IndexArray, float] | None:
    """Regret assignment of ``sites``; local search only when it starts within 5 % of ``best``."""
    found = assign_with_capacity(inst.cost, inst.loads, inst.capacities, list(sites))
    if found is None:
        return None
    if _value(inst, found) > best * 1.05:
        return None
    return _plan(inst, sites, stop, found)


def _relocate(
    inst: _Instance, sites: IndexArray, assignment: IndexArray, value: float, stop: Stop
) -> tuple[IndexArray, IndexArray, float]:
    """Move sites to better spots for their own demands (and nearby candidates) while it pays."""
    fixed = {int(j) for j in inst.must}
    improved = True
    while improved and not stop():
        improved = False
        for slot in range(len(sites)):
            if stop():
                break
            j = int(sites[slot])
            if j in fixed:
                continue
            members = np.flatnonzero(assignment == j)
            load = float(inst.loads[members].sum())
            closed = np.setdiff1d(inst.allowed, sites)
            closed = closed[inst.capacities[closed] + _EPS >= load]
            if closed.size == 0:
                continue
            cluster_cost = inst.cost[np.ix_(members, closed)].sum(axis=0)
            tries = closed[np.argsort(cluster_cost, kind="stable")[:3]]
            for k in tries:
                trial_sites = sites.copy()
                trial_sites[slot] = k
                start = np.where(assignment == j, k, assignment)
                result = _plan(inst, trial_sites, stop, start)
                if result is not None and result[1] < value - _EPS * max(1.0, abs(value)):
                    sites, (assignment, value) = trial_sites, result
                    improved = True
                    break
    return sites, assignment, value


def _improve(
    inst: _Instance, sites: IndexArray, assignment: IndexArray, value: float, stop: Stop
) -> tuple[IndexArray, IndexArray, float]:
    return _relocate(inst, sites, assignment, value, stop)


def solve_heuristic(
    cost: FloatArray,
    loads: FloatArray,
    capacities: FloatArray,
    p: int,
    must_open: tuple[int, ...],
    allowed: IndexArray,
    stop: Stop,
    iterations: int = 300,
    first_sites: list[int] | None = None,
    on_plan: Callable[[float], None] | None = None,
    on_bound: Callable[[float], None] | None = None,
) -> CapacitatedResult:
    """Lagrangian bound and the best repaired, locally improved plan found before ``stop()``.

    ``cost`` is the weighted cost (demand x candidate). ``first_sites`` (e.g. the
    uncapacitated heuristic's plan) is repaired and improved first, so that a plan
    exists early and the subgradient steps aim at its value. ``on_plan`` and
    ``on_bound`` are told every improvement (for progress reports).
    """
    inst = _Instance(cost, loads, capacities, p, np.asarray(must_open, dtype=np.intp), allowed)
    best_value = np.inf
    best_sites: IndexArray | None = None
    best_assignment: IndexArray | None = None

    def offer(sites: IndexArray, result: tuple[IndexArray, float] | None) -> None:
        nonlocal best_sites, best_assignment, best_value
        if result is not None and result[1] < best_value - _EPS * max(1.0, abs(result[1])):
            best_sites, (best_assignment, best_value) = sites, result
            if on_plan is not None:
                on_plan(best_value)

    if first_sites is not None:
        sites = np.array(sorted(first_sites), dtype=np.intp)
        offer(sites, _plan(inst, sites, stop))
    lam = _initial_multipliers(inst)
    best_bound = -np.inf
    tried: set[tuple[int, ...]] = set()
    theta, stall = 2.0, 0
    for step in range(iterations):
        if stop():
            break
        rho, x = _knapsacks(inst, lam)
        chosen = _choose(inst, rho)
        bound = float(lam.sum() + rho[chosen].sum())
        if best_bound == -np.inf or bound > best_bound + _EPS * max(1.0, abs(best_bound)):
            best_bound, stall = bound, 0
            if on_bound is not None:
                on_bound(bound)
        else:
            stall += 1
            if stall >= 20:
                theta, stall = theta / 2.0, 0
        key = tuple(sorted(int(j) for j in allowed[chosen]))
        if step % 5 == 0 and key not in tried:
            tried.add(key)
            sites = np.array(key, dtype=np.intp)
            offer(sites, _repair(inst, sites, best_value, stop))
        g = 1.0 - x[:, chosen].sum(axis=1)
        norm = float(g @ g)
        target = best_value if np.isfinite(best_value) else bound + abs(bound) * 0.1 + 1.0
        if norm <= _EPS or theta < 1e-4 or best_bound >= target - _EPS * max(1.0, abs(target)):
            break
        lam = lam + theta * max(target - bound, _EPS) / norm * g
    if best_sites is not None and best_assignment is not None:
        sites, assignment, value = _improve(inst, best_sites, best_assignment, best_value, stop)
        offer(sites, (assignment, value))
    if best_sites is None or best_assignment is None:
        return CapacitatedResult(None, None, None, best_bound)
    return CapacitatedResult(
        tuple(sorted(int(j) for j in best_sites)), best_assignment, best_value, best_bound
    )


def _initial_multipliers(inst: _Instance) -> FloatArray:
    # Start each multiplier at the cost of the demand's k-th nearest site, k the average
    # number of demands per site: near the price of being served in a full plan, and
    # far closer to the optimum than the nearest-site cost (zero when demands are candidates).
    n = inst.cost.shape[0]
    k = min(len(inst.allowed), max(1, n // max(inst.p, 1))) - 1
    return np.partition(inst.cost[:, inst.allowed], k, axis=1)[:, k].astype(np.float64)
