"""Nested regions of candidate sites, so that the branch-and-bound can decide how many sites each gets.

With capacities, the linear relaxation of the capacitated p-median opens fractions of
sites: 2.8 sites in one neighbourhood, 2.5 in the next. Branching on one site at a time
barely moves its bound (HiGHS's bound on a generated 100-customer case moved 0.02 % in
900 s), because another site next door takes the fraction up. Branching on the number of
sites of a whole neighbourhood (at most 2, or at least 3) does: it is the decision a
plan actually makes. The model gets one integer column per region, equal to the sum of its
sites' columns, and HiGHS branches on it like on any other integer column.

The regions are the clusters of a single-linkage hierarchy of the candidates (every
cluster formed while joining the closest pair of groups, down to one), so they are nested,
at every scale, and need no threshold: at most one fewer than the candidates. The distance
between two candidates is the shortest way from one to the other through a demand point,
``min_i cost[i, j] + cost[i, k]``, which needs no coordinates and is the distance itself
when every candidate is also a demand point.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from halte.planning.solver.highs_backend import Mip, TripletBuilder
from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]


def candidate_distances(costs: FloatArray) -> FloatArray:
    """``d[j, k] = min_i costs[i, j] + costs[i, k]`` for the candidate columns of ``costs``."""
    m = costs.shape[1]
    out = np.empty((m, m))
    for j in range(m):
        out[j] = (costs[:, j : j + 1] + costs).min(axis=0)
    return out


def nested_regions(distances: FloatArray) -> list[IndexArray]:
    """Every cluster of the single-linkage hierarchy of the candidates, smallest first,
    without the single candidates and the whole set (sorted member indices)."""
    m = distances.shape[0]
    if m < 3:
        return []
    # Prim's minimum spanning tree: its edges, joined in increasing order, are the hierarchy.
    in_tree = np.zeros(m, dtype=bool)
    in_tree[0] = True
    best = np.array(distances[0], dtype=float)
    parent = np.zeros(m, dtype=np.intp)
    edges: list[tuple[float, int, int]] = []
    for _ in range(m - 1):
        candidates = np.where(in_tree, np.inf, best)
        k = int(np.argmin(candidates))
        edges.append((float(candidates[k]), int(parent[k]), k))
        in_tree[k] = True
        closer = distances[k] < best
        best = np.where(closer, distances[k], best)
        parent = np.where(closer, k, parent)
    edges.sort()
    root = list(range(m))
    members: dict[int, list[int]] = {j: [j] for j in range(m)}

    def find(a: int) -> int:
        while root[a] != a:
            root[a] = root[root[a]]
            a = root[a]
        return a

    found: list[IndexArray] = []
    for _, a, b in edges:
        ra, rb = find(a), find(b)
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        root[rb] = ra
        members[ra].extend(members.pop(rb))
        if len(members[ra]) < m:
            found.append(np.array(sorted(members[ra]), dtype=np.intp))
    return found


def region_counts(
    regions: list[IndexArray], lower: FloatArray, upper: FloatArray, p: int
) -> tuple[list[IndexArray], FloatArray, FloatArray]:
    """The regions worth a column given the site columns' bounds, with the column's bounds.

    A region counts only its sites that may open (upper bound above 0); it is kept when it
    has at least two of them and not all of them (the sum over all is p already), once per
    distinct set, and when its count is not fixed already. The count lies between the
    region's must-open sites and min(p, its sites that may open).
    """
    may_open = upper > 0.5
    must_open = lower > 0.5
    total = int(may_open.sum())
    kept: list[IndexArray] = []
    low: list[float] = []
    high: list[float] = []
    seen: set[bytes] = set()
    for region in regions:
        open_here = region[may_open[region]]
        if not 2 <= len(open_here) < total:
            continue
        key = open_here.tobytes()
        fewest, most = int(must_open[open_here].sum()), min(p, len(open_here))
        if key in seen or fewest >= most:  # a count already known needs no branching
            continue
        seen.add(key)
        kept.append(open_here)
        low.append(float(fewest))
        high.append(float(most))
    return kept, np.array(low), np.array(high)


def add_counts(builder: TripletBuilder, kept: list[IndexArray], first: int) -> None:
    """Rows ``sum of the region's site columns - its count column = 0``, the count columns
    numbered from ``first`` in the order of ``kept`` (``region_counts``)."""
    if not kept:
        return
    sizes = np.array([len(r) for r in kept])
    counts = first + np.arange(len(kept))
    builder.add_block(
        np.concatenate([np.repeat(np.arange(len(kept)), sizes), np.arange(len(kept))]),
        np.concatenate([np.concatenate(kept), counts]),
        np.concatenate([np.ones(int(sizes.sum())), -np.ones(len(kept))]),
        np.zeros(len(kept)),
        np.zeros(len(kept)),
    )


def with_counts(mip: Mip, start: FloatArray) -> FloatArray:
    """``start`` (every column but the counts, which come last in ``mip``) completed with
    the count each region gets from the start's sites, read from the model's rows."""
    extra = len(mip.col_cost) - len(start)
    if extra == 0:
        return start
    full = np.concatenate([start, np.zeros(extra)])
    is_count = mip.cols >= len(start)
    count_rows = mip.rows[is_count]
    members = ~is_count & np.isin(mip.rows, count_rows)
    row_sum = np.zeros(int(mip.rows.max()) + 1)
    np.add.at(row_sum, mip.rows[members], mip.vals[members] * start[mip.cols[members]])
    full[mip.cols[is_count]] = row_sum[count_rows]
    return full
