"""Fast incumbents: greedy construction followed by vertex-substitution (swap) search.

The incumbents seed HiGHS (``setSolution``) and bound the p-center search. They
are deterministic: ties always go to the lowest candidate index.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from halte.planning.solver.problem import FloatArray

Aggregate = Literal["sum", "max"]
IndexArray = npt.NDArray[np.intp]


def _score(costs: FloatArray, weights: FloatArray, aggregate: Aggregate) -> FloatArray:
    """Objective of opening each column given per-row service costs ``costs`` (rows x cols)."""
    if aggregate == "sum":
        return np.asarray(weights @ costs, dtype=np.float64)
    return np.asarray(costs.max(axis=0), dtype=np.float64)


def _value(current: FloatArray, weights: FloatArray, aggregate: Aggregate) -> float:
    return float(weights @ current) if aggregate == "sum" else float(current.max())


def greedy(
    costs: FloatArray,
    weights: FloatArray,
    p: int,
    must_open: tuple[int, ...],
    allowed: IndexArray,
    aggregate: Aggregate = "sum",
) -> list[int]:
    """Open must-open sites, then add the allowed site that lowers the objective most."""
    open_sites = list(must_open)
    current = costs[:, open_sites].min(axis=1) if open_sites else np.full(costs.shape[0], np.inf)
    while len(open_sites) < p:
        candidates = np.setdiff1d(allowed, open_sites)
        merged = np.minimum(current[:, None], costs[:, candidates])
        best = candidates[int(np.argmin(_score(merged, weights, aggregate)))]
        open_sites.append(int(best))
        current = np.minimum(current, costs[:, best])
    return open_sites


def _nearest_two(
    costs: FloatArray, open_sites: list[int]
) -> tuple[IndexArray, FloatArray, FloatArray]:
    sub = costs[:, open_sites]
    order = np.argsort(sub, axis=1, kind="stable")
    rows = np.arange(costs.shape[0])
    first = sub[rows, order[:, 0]]
    second = sub[rows, order[:, 1]] if len(open_sites) > 1 else np.full(costs.shape[0], np.inf)
    return np.asarray(open_sites)[order[:, 0]], first, second


def swap_search(
    costs: FloatArray,
    weights: FloatArray,
    open_sites: list[int],
    must_open: tuple[int, ...],
    allowed: IndexArray,
    aggregate: Aggregate = "sum",
) -> list[int]:
    """Teitz–Bart style interchange: replace an open site by a closed one while it improves.

    For each removable site the best replacement over all closed candidates is
    evaluated in one vectorised step using each demand's nearest and second
    nearest open site. Stops at a local optimum.
    """
    sites = list(open_sites)
    fixed = set(must_open)
    improved = True
    while improved:
        improved = False
        nearest, first, second = _nearest_two(costs, sites)
        value = _value(first, weights, aggregate)
        for leaving in [s for s in sites if s not in fixed]:
            without = np.where(nearest == leaving, second, first)
            closed = np.setdiff1d(allowed, sites)
            if closed.size == 0:
                return sorted(sites)
            scores = _score(np.minimum(without[:, None], costs[:, closed]), weights, aggregate)
            best = int(np.argmin(scores))
            if scores[best] < value - 1e-9 * max(1.0, abs(value)):
                sites[sites.index(leaving)] = int(closed[best])
                improved = True
                break
    return sorted(sites)


def greedy_swap(
    costs: FloatArray,
    weights: FloatArray,
    p: int,
    must_open: tuple[int, ...],
    allowed: IndexArray,
    aggregate: Aggregate = "sum",
) -> list[int]:
    """Greedy construction then swap search; returns sorted 0-based site indices."""
    start = greedy(costs, weights, p, must_open, allowed, aggregate)
    return swap_search(costs, weights, start, must_open, allowed, aggregate)


def greedy_cover(
    cover: npt.NDArray[np.bool_], must_open: tuple[int, ...], allowed: IndexArray
) -> list[int] | None:
    """Greedy set cover on a demand x candidate coverage matrix, then drop redundant sites.

    Returns None when some demand point cannot be covered by any allowed site.
    """
    covered = cover[:, list(must_open)].any(axis=1) if must_open else np.zeros(cover.shape[0], bool)
    sites = list(must_open)
    usable = cover[:, allowed]
    if not (usable.any(axis=1) | covered).all():
        return None
    while not covered.all():
        gains = usable[~covered].sum(axis=0)
        best = int(allowed[int(np.argmax(gains))])
        sites.append(best)
        covered |= cover[:, best]
    for site in sorted(set(sites) - set(must_open), reverse=True):
        others = [s for s in sites if s != site]
        if others and cover[:, others].any(axis=1).all():
            sites = others
    return sorted(sites)


def assign_with_capacity(
    costs: FloatArray,
    loads: FloatArray,
    capacities: FloatArray,
    sites: list[int],
) -> IndexArray | None:
    """Single-source assignment by regret: most constrained demand first, to its cheapest site with room.

    Returns the site per demand, or None when this greedy rule fails to fit everyone.
    """
    sub = costs[:, sites]
    ordered = np.sort(sub, axis=1)
    regret = ordered[:, 1] - ordered[:, 0] if len(sites) > 1 else np.zeros(len(costs))
    # Large loads and large regrets first: they are the hardest to place later.
    order = np.lexsort((-regret, -loads))
    room = capacities[sites].astype(np.float64).copy()
    result = np.full(costs.shape[0], -1, dtype=np.intp)
    for i in order:
        for k in np.argsort(sub[i], kind="stable"):
            if room[k] + 1e-9 >= loads[i]:
                room[k] -= loads[i]
                result[i] = sites[int(k)]
                break
        else:
            return None
    return result
