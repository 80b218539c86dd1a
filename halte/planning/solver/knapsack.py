"""0-1 knapsacks of many sites at once, by dynamic programming on integer loads (numpy).

The capacitated relaxation (``capacitated.py``) has one knapsack per site: choose the
items (demands with a negative reduced cost) of least total cost whose loads fit the
site's capacity. Its continuous relaxation (Dantzig: items by ratio, the last one split)
is cheap but weak when capacities are tight; this module solves the 0-1 knapsack itself.

Integer loads: the table ``best[s, c]`` is the least cost of a set of site s's items of
total load at most ``c``, built one item per round for every site together (a round is
a few numpy operations on an ``sites x (capacity + 1)`` array). Other loads are first
*relaxed* to integers (``Scaled``): ``floor(scale x load)`` for the items and
``floor(scale x capacity)`` for the site, so every set that fits still fits and the
table's value is a lower bound of the true knapsack (callers take the larger of it and
the continuous value, both valid). With integer data no larger than ``MAX_WIDTH`` the
scale is 1 and the value is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
# Widest table (largest capacity + 1, after scaling) the dynamic programme uses.
MAX_WIDTH = 2_000
# Cells (rounds x sites x width) of one call of the subgradient (about 20 ms at the
# 100 million cells a second measured) and of the reductions' single call (about 0.3 s).
STEP_CELLS, REDUCTION_CELLS = 2_000_000, 30_000_000


@dataclass(frozen=True, eq=False)
class Scaled:
    """Integer loads and capacities on which the tables are built, and whether they are exact."""

    loads: IndexArray  # per demand, <= scale x load
    capacities: IndexArray  # per candidate, >= floor(scale x capacity)
    exact: bool  # integer data, scale 1: the table is the 0-1 knapsack itself


def scaled(loads: FloatArray, capacities: FloatArray, width: int = MAX_WIDTH) -> Scaled:
    """Integer loads and capacities for the tables (a relaxation when not ``exact``).

    Any set with ``sum q <= Q`` keeps ``sum floor(s q) <= floor(s Q)``; the margins keep
    that true despite rounding (loads rounded down, capacities up).
    """
    top = float(capacities.max()) if capacities.size else 0.0
    integral = bool(
        np.all(np.abs(loads - np.rint(loads)) <= 1e-9)
        and np.all(np.abs(capacities - np.rint(capacities)) <= 1e-9)
    )
    if integral and top < width:
        return Scaled(
            np.rint(loads).astype(np.intp), np.rint(capacities).astype(np.intp), exact=True
        )
    s = (width - 1) / max(top, 1e-12)
    low = np.floor(loads * s - 1e-9 * np.maximum(1.0, loads * s))
    high = np.floor(capacities * s + 1e-9 * np.maximum(1.0, capacities * s))
    return Scaled(
        np.maximum(low, 0.0).astype(np.intp), np.maximum(high, 0.0).astype(np.intp), exact=False
    )


@dataclass(frozen=True, eq=False)
class Tables:
    """Per site: least cost within its capacity, the items taken, and (optionally) the table."""

    value: FloatArray  # per site
    taken: BoolArray  # per item (input order): in the least-cost set of its site
    width: IndexArray  # per site: the table's last useful column, min(capacity, sum of loads)
    table: FloatArray | None  # sites x (max width + 1): least cost with load <= c


def solve(
    n_sites: int,
    site: IndexArray,
    load: IndexArray,
    cost: FloatArray,
    capacity: IndexArray,
    trace: bool = True,
    keep_table: bool = False,
    max_cells: int = STEP_CELLS,
) -> Tables | None:
    """0-1 knapsack of every site: items ``(site, load, cost)``, ``capacity`` per site.

    Only items of negative cost matter (others are never taken); items heavier than
    their site's capacity never fit. ``trace`` finds the items taken (for subgradient
    directions); ``keep_table`` returns the whole table (for reductions, which need
    the value with less capacity). Loads and capacities are non-negative integers.
    None when the work (rounds x sites x width) exceeds ``max_cells``: the caller
    keeps the continuous values, so the time of one call stays bounded.
    """
    count = len(site)
    useful = (cost < 0.0) & (load <= capacity[site])
    keep = np.flatnonzero(useful)
    order = keep[np.argsort(site[keep], kind="stable")]
    s, q, c = site[order], load[order], cost[order]
    per_site = np.bincount(s, minlength=n_sites)
    total = np.bincount(s, weights=q, minlength=n_sites).astype(np.intp)
    width = np.minimum(capacity, total).astype(np.intp)
    rounds = int(per_site.max()) if per_site.size else 0
    taken = np.zeros(count, dtype=bool)
    if rounds == 0:
        table = np.zeros((n_sites, 1)) if keep_table else None
        return Tables(np.zeros(n_sites), taken, np.zeros(n_sites, dtype=np.intp), table)
    w = int(width.max()) + 1
    if rounds * n_sites * w > max_cells:
        return None
    slot = np.arange(len(s)) - (np.cumsum(per_site) - per_site)[s]
    q_at = np.zeros((rounds, n_sites), dtype=np.intp)
    c_at = np.zeros((rounds, n_sites))
    q_at[slot, s] = q
    c_at[slot, s] = c
    choices = np.zeros((rounds, n_sites, w), dtype=bool) if trace else None
    best = np.zeros((n_sites, w))
    column = np.arange(w)
    base = (np.arange(n_sites) * w)[:, None]
    for t in range(rounds):
        qt = q_at[t][:, None]
        fits = column >= qt
        before = best.ravel()[np.where(fits, base + column - qt, 0)] + c_at[t][:, None]
        better = fits & (before < best)
        np.copyto(best, before, where=better)
        if choices is not None:
            choices[t] = better
    rows = np.arange(n_sites)
    value = best[rows, width]
    if choices is not None:
        start = np.cumsum(per_site) - per_site
        at = width.copy()
        for t in range(rounds - 1, -1, -1):
            took = choices[t, rows, at]
            at -= np.where(took, q_at[t], 0)
            hit = took & (t < per_site)
            taken_slots = np.flatnonzero(hit)
            if taken_slots.size:  # site k's item of round t is order[start[k] + t]
                taken[order[start[taken_slots] + t]] = True
    return Tables(value, taken, width, best if keep_table else None)
