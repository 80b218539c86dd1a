"""Lagrangian bound for the p-median and the reductions it proves against an incumbent.

Relaxing the assignment rows ``sum_j x_ij = 1`` with multipliers ``lam`` gives, for
*any* ``lam`` and any feasible plan (x, y)::

    sum_ij w_i d_ij x_ij >= sum_i lam_i + sum_j rho_j y_j,
    rho_j = sum_i min(0, w_i d_ij - lam_i),

so ``L(lam) = sum(lam) + (min over site sets of sum rho)`` is a valid lower bound, and so
is the same minimum taken over site sets restricted by an extra condition. Given an
incumbent of value ``UB``, a condition whose restricted bound exceeds ``UB`` holds in
every plan of value ``<= UB``; imposing it removes only plans worse than the incumbent,
so the reduced model keeps the incumbent and has the same optimum, and its dual bound
stays a valid bound of the original problem. Three conditions are tested:

* site j closed (bound with j forced open > UB) or open (bound with j forced shut > UB);
* client i has an open site within distance D (bound with every site within D shut > UB),
  which lets the radius formulation drop every distance level beyond D for that client.

The multipliers come from a fixed number of subgradient steps (deterministic). The
comparison uses a margin of 1e-7 relative, far above the rounding error of the sums.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Reduction:
    """What the Lagrangian bound proved for every plan of value <= the incumbent's."""

    bound: float  # valid lower bound of the whole problem
    closed: BoolArray  # per candidate: shut in every such plan
    opened: BoolArray  # per candidate: open in every such plan
    cover_radius: FloatArray  # per demand: some open site lies within it (inf: nothing proved)


def _subgradient(
    c: FloatArray,
    must: BoolArray,
    r: int,
    upper: float,
    iterations: int,
    stop: Callable[[], bool] | None = None,
) -> tuple[FloatArray, float]:
    """Best multipliers found and their bound; ``c`` is weighted cost (n x allowed)."""
    lam = c.min(axis=1).copy()
    best_lam, best = lam.copy(), -np.inf
    free = np.flatnonzero(~must)
    theta, stall = 2.0, 0
    for _ in range(iterations):
        if stop is not None and stop():
            break
        reduced = np.minimum(c - lam[:, None], 0.0)
        rho = reduced.sum(axis=0)
        if r > 0:
            pick = free[np.argpartition(rho[free], r - 1)[:r]]
            chosen = np.concatenate([np.flatnonzero(must), pick])
        else:
            chosen = np.flatnonzero(must)
        value = float(lam.sum() + rho[chosen].sum())
        if best == -np.inf or value > best + 1e-9 * max(1.0, abs(best)):
            best, best_lam, stall = value, lam.copy(), 0
        else:
            stall += 1
            if stall >= 50:
                theta, stall = theta / 2.0, 0
                if theta < 1e-4:
                    break
        served = (reduced[:, chosen] < 0.0).sum(axis=1)
        g = 1.0 - served
        norm = float(g @ g)
        if norm == 0.0 or best >= upper:
            break
        lam = lam + theta * max(upper - value, 1e-9 * max(1.0, abs(upper))) / norm * g
    return best_lam, best


def reduce_p_median(
    costs: FloatArray,
    weights: FloatArray,
    p: int,
    must_open: tuple[int, ...],
    allowed: IndexArray,
    upper: float,
    iterations: int | None = None,
    stop: Callable[[], bool] | None = None,
) -> Reduction | None:
    """Lagrangian reductions valid for every plan of value <= ``upper``; None if not applicable.

    ``stop`` is asked before every subgradient step; when it says yes the steps end
    early and the reductions proved by the multipliers found so far are returned.
    """
    n, m = costs.shape
    a = len(allowed)
    must = np.isin(allowed, np.asarray(must_open, dtype=np.intp))
    r = p - int(must.sum())
    n_free = a - int(must.sum())
    if r <= 0 or r >= n_free:
        return None  # every free site is decided already
    if iterations is None:
        iterations = int(min(5000, max(100, 4e8 // max(n * a, 1))))
    dist = costs[:, allowed]
    c = weights[:, None] * dist
    lam, bound = _subgradient(c, must, r, upper, iterations, stop)
    if not np.isfinite(bound):
        return None  # stopped before the first step: nothing proved
    rho = np.minimum(c - lam[:, None], 0.0).sum(axis=0)
    base = float(lam.sum() + rho[must].sum())
    threshold = upper + 1e-7 * max(1.0, abs(upper)) - base  # on the free part of the bound
    free = np.flatnonzero(~must)
    order = free[np.argsort(rho[free], kind="stable")]
    rho_sorted = rho[order]
    best_free = float(rho_sorted[:r].sum())
    last_in, first_out = float(rho_sorted[r - 1]), float(rho_sorted[r])

    closed = np.zeros(m, dtype=bool)
    opened = np.zeros(m, dtype=bool)
    outside, inside = order[r:], order[:r]
    closed[allowed[outside[best_free - last_in + rho[outside] > threshold]]] = True
    opened[allowed[inside[best_free - rho[inside] + first_out > threshold]]] = True

    cover = _cover_radius(dist, dist[:, order], rho_sorted, r, threshold, must)
    return Reduction(bound=bound, closed=closed, opened=opened, cover_radius=cover)


def _cover_radius(
    dist: FloatArray,
    dist_sorted: FloatArray,
    rho_sorted: FloatArray,
    r: int,
    threshold: float,
    must: BoolArray,
) -> FloatArray:
    """Per demand, the smallest distance D such that shutting every site within D is too costly.

    ``dist_sorted`` holds the free sites in increasing rho. With all sites within D
    shut, the best free part of the bound is the sum of the r first free sites
    farther than D (infinite when fewer remain, or when a must-open site is within D).
    That value only grows with D, so a vectorised binary search over each demand's
    sorted distances finds the first D where it exceeds ``threshold``.
    """
    n = dist.shape[0]
    levels = np.sort(dist, axis=1)
    must_near = dist[:, must].min(axis=1) if must.any() else np.full(n, np.inf)

    def too_costly(d: FloatArray) -> BoolArray:
        eligible = dist_sorted > d[:, None]
        rank = np.cumsum(eligible, axis=1)
        take = eligible & (rank <= r)
        enough = rank[:, -1] >= r
        value = np.where(take, rho_sorted[None, :], 0.0).sum(axis=1)
        return np.asarray((d >= must_near) | ~enough | (value > threshold))

    lo = np.zeros(n, dtype=np.intp)
    hi = np.full(n, levels.shape[1], dtype=np.intp)  # hi = a means nothing proved
    rows = np.arange(n)
    while np.any(lo < hi):
        mid = (lo + hi) // 2
        active = lo < hi
        ok = too_costly(levels[rows, np.minimum(mid, levels.shape[1] - 1)])
        hi = np.where(active & ok, mid, hi)
        lo = np.where(active & ~ok, mid + 1, lo)
    found = lo < levels.shape[1]
    return np.where(found, levels[rows, np.minimum(lo, levels.shape[1] - 1)], np.inf)
