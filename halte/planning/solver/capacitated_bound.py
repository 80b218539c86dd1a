"""Lagrangian bound of the single-source capacitated p-median, and the reductions it proves.

Relaxing ``sum_j x_ij = 1`` with multipliers ``lam`` leaves one 0-1 knapsack per site::

    rho_j = min sum_i (c_ij - lam_i) x_ij   s.t.  sum_i q_i x_ij <= Q_j,  x_ij in {0, 1}

and for any ``lam`` every plan costs at least ``sum(lam) + sum of rho over its open sites``,
so ``sum(lam) + (must-open rho + the p - |must| smallest others)`` is a lower bound.

Two ways of solving the knapsacks, both valid bounds:

* *continuous* (Dantzig): items by ratio, the last one split; cheap, weak when capacities
  are tight (it is the LP bound);
* *0-1* (``knapsack.py``): exact dynamic programming on integer loads (a relaxation of it,
  never weaker than the continuous value, when loads are not integers). The subgradient
  on these knapsacks raises the bound above the LP bound.

Each demand only looks at its ``depth`` nearest sites and its multiplier is capped at the
cost of the farthest of them, so every other pair has a non-negative reduced cost and the
sparse knapsacks are exact. A cap that stops a multiplier the subgradient wants to raise
would weaken the bound, so such a demand's depth is doubled (and its cap raised) instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from halte.planning.solver import knapsack
from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
_EPS = 1e-9
# Each demand first looks at its max(30, 4 x n / p) nearest sites.
_MIN_NEAR, _NEAR_PER_SHARE = 30, 4


@dataclass(eq=False)
class Instance:
    cost: FloatArray  # weighted cost, n x m
    loads: FloatArray
    capacities: FloatArray
    p: int
    must: IndexArray  # must-open candidates
    allowed: IndexArray


@dataclass(frozen=True, eq=False)
class Pairs:
    """Each demand's ``depth`` nearest allowed sites: the only pairs the relaxation can take.

    Multipliers are capped at ``cap`` (the cost of the demand's farthest pair, infinite
    once it sees every site), so the sparse knapsacks are exact for capped multipliers.
    """

    rows: IndexArray
    cols: IndexArray  # positions in ``allowed``
    cost: FloatArray
    cap: FloatArray
    depth: IndexArray


class Nearness:
    """Every demand's allowed sites by increasing cost, to build ``Pairs`` of any depth."""

    def __init__(self, inst: Instance) -> None:
        sub = inst.cost[:, inst.allowed]
        self.order = np.argsort(sub, axis=1, kind="stable").astype(np.intp)
        self.sorted = np.take_along_axis(sub, self.order, axis=1)
        n, a = sub.shape
        first = min(a, max(_MIN_NEAR, _NEAR_PER_SHARE * -(-n // max(inst.p, 1))))
        self.first_depth = np.full(n, first, dtype=np.intp)

    def _cap(self, depth: IndexArray) -> FloatArray:
        n, a = self.sorted.shape
        return np.where(depth >= a, np.inf, self.sorted[np.arange(n), np.minimum(depth, a) - 1])

    def pairs(self, depth: IndexArray) -> Pairs:
        a = self.sorted.shape[1]
        rows, rank = np.nonzero(np.arange(a)[None, :] < depth[:, None])
        rows = rows.astype(np.intp)
        cap = self._cap(depth)
        return Pairs(rows, self.order[rows, rank], self.sorted[rows, rank], cap, depth.copy())

    def covering(self, lam: FloatArray) -> Pairs:
        """Pairs deep enough that no multiplier of ``lam`` (e.g. an earlier run's, which may
        have deepened them) is above its cap: the first depth, doubled where it is not."""
        a = self.sorted.shape[1]
        depth = self.first_depth.copy()
        while (short := (lam > self._cap(depth)) & (depth < a)).any():
            depth[short] = np.minimum(a, 2 * depth[short])
        return self.pairs(depth)

    def deepen(self, pairs: Pairs, lam: FloatArray, g: FloatArray) -> Pairs:
        """Pairs with a doubled depth for the demands whose cap stops a rising multiplier."""
        a = self.sorted.shape[1]
        stuck = (g > 0.0) & (lam >= pairs.cap) & (pairs.depth < a)
        if not stuck.any():
            return pairs
        depth = pairs.depth.copy()
        depth[stuck] = np.minimum(a, 2 * depth[stuck])
        return self.pairs(depth)


def dense_knapsacks(inst: Instance, lam: FloatArray) -> tuple[FloatArray, FloatArray]:
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


def sparse_knapsacks(
    inst: Instance, pairs: Pairs, lam: FloatArray
) -> tuple[FloatArray, IndexArray, IndexArray, FloatArray]:
    """Continuous knapsacks over ``pairs``: (rho per allowed site, rows, cols, fractions taken)."""
    red = pairs.cost - lam[pairs.rows]
    take = red < 0.0
    rows, cols, red = pairs.rows[take], pairs.cols[take], red[take]
    q = inst.loads[rows]
    weightless = q <= _EPS
    ratio = np.where(weightless, -np.inf, red / np.where(weightless, 1.0, q))
    order = np.lexsort((ratio, cols))
    rows, cols, red, q = rows[order], cols[order], red[order], q[order]
    filled = np.cumsum(q) - q
    first = np.searchsorted(cols, cols, side="left")
    before = filled - filled[first] if len(filled) else filled
    room = np.maximum(inst.capacities[inst.allowed][cols] - before, 0.0)
    frac = np.where(q > _EPS, np.minimum(room / np.where(q > _EPS, q, 1.0), 1.0), 1.0)
    rho = np.bincount(cols, weights=red * frac, minlength=len(inst.allowed)).astype(np.float64)
    return rho, rows, cols, frac.astype(np.float64)


def choose(inst: Instance, rho: FloatArray) -> IndexArray:
    """Positions (in ``allowed``) of the must-open sites and the p - |must| smallest rho."""
    must_pos = np.flatnonzero(np.isin(inst.allowed, inst.must))
    free = np.setdiff1d(np.arange(len(inst.allowed)), must_pos)
    r = inst.p - len(must_pos)
    pick = free[np.argsort(rho[free], kind="stable")[:r]] if r > 0 else free[:0]
    return np.concatenate([must_pos, pick])


@dataclass(frozen=True, eq=False)
class Step:
    """One evaluation of the relaxation: the bound, the sites it opens, how much each demand is served."""

    bound: float
    rho: FloatArray  # per allowed site (0-1 value where it was computed, else continuous)
    chosen: IndexArray  # positions in ``allowed``
    served: FloatArray  # per demand: sum of x over the chosen sites


def continuous_step(inst: Instance, pairs: Pairs, lam: FloatArray) -> Step:
    """The continuous relaxation (Dantzig's knapsacks) at ``lam``."""
    rho, rows, cols, frac = sparse_knapsacks(inst, pairs, lam)
    chosen = choose(inst, rho)
    is_chosen = np.zeros(len(inst.allowed), dtype=bool)
    is_chosen[chosen] = True
    mine = is_chosen[cols]
    served = np.bincount(rows[mine], weights=frac[mine], minlength=len(lam)).astype(np.float64)
    return Step(float(lam.sum() + rho[chosen].sum()), rho, chosen, served)


def binary_step(
    inst: Instance, pairs: Pairs, lam: FloatArray, ints: knapsack.Scaled
) -> Step | None:
    """The 0-1 relaxation, solved only where it can change the choice.

    The continuous value is a lower bound of each site's 0-1 value, so the 0-1 knapsacks
    are solved for the sites of smallest continuous value, more of them until the
    (p - |must|)-th smallest 0-1 value is no larger than the continuous value of every
    site left out: the p sites chosen are then the best for the 0-1 values too.
    None when the knapsacks are too large for one step (``knapsack.STEP_CELLS``).
    """
    rho_c, rows, cols, _frac = sparse_knapsacks(inst, pairs, lam)
    must_pos = np.flatnonzero(np.isin(inst.allowed, inst.must))
    free = np.setdiff1d(np.arange(len(inst.allowed)), must_pos)
    r = max(inst.p - len(must_pos), 0)
    order = free[np.argsort(rho_c[free], kind="stable")]
    k = min(len(order), r + max(4, r // 2))
    while True:
        evaluated = np.concatenate([must_pos, order[:k]])
        solved = _solve_some(inst, rows, cols, lam, evaluated, ints)
        if solved is None:
            return None
        rho_b, taken_rows, taken_at = solved
        # Both are bounds; exact 0-1 values are never below the continuous ones, relaxed may be.
        rho_b = np.maximum(rho_b, rho_c[evaluated])
        rho = rho_c.copy()
        rho[evaluated] = rho_b
        pick = order[:k][np.argsort(rho[order[:k]], kind="stable")[:r]]
        if k >= len(order) or r == 0 or rho[pick[-1]] <= rho_c[order[k]]:
            break
        k = min(len(order), 2 * k)
    chosen = np.concatenate([must_pos, pick])
    is_chosen = np.zeros(len(inst.allowed), dtype=bool)
    is_chosen[chosen] = True
    mine = is_chosen[taken_at]
    served = np.bincount(taken_rows[mine], minlength=len(lam)).astype(np.float64)
    return Step(float(lam.sum() + rho[chosen].sum()), rho, chosen, served)


def _solve_some(
    inst: Instance,
    rows: IndexArray,
    cols: IndexArray,
    lam: FloatArray,
    evaluated: IndexArray,
    ints: knapsack.Scaled,
) -> tuple[FloatArray, IndexArray, IndexArray] | None:
    """0-1 values of the ``evaluated`` sites over the paying pairs (rows, cols), and the items taken."""
    position = np.full(len(inst.allowed), -1, dtype=np.intp)
    position[evaluated] = np.arange(len(evaluated))
    at = position[cols]
    mine = at >= 0
    item_rows, item_cols, item_at = rows[mine], cols[mine], at[mine]
    red = inst.cost[item_rows, inst.allowed[item_cols]] - lam[item_rows]
    tables = knapsack.solve(
        len(evaluated),
        item_at,
        ints.loads[item_rows],
        red,
        ints.capacities[inst.allowed[evaluated]],
    )
    if tables is None:
        return None
    return tables.value, item_rows[tables.taken], item_cols[tables.taken]


def initial_multipliers(inst: Instance) -> FloatArray:
    """Each demand's cost to its nearest allowed site: the uncapacitated relaxation's price.

    (The k-th nearest cost, k = n / p, started closer when multipliers were capped at a
    fixed depth; with the depths that grow it overshoots: on generated 300-402-customer
    cases its bound after 300 steps was 12-25 % lower.)
    """
    nearest: FloatArray = inst.cost[:, inst.allowed].min(axis=1).astype(np.float64)
    return nearest


@dataclass(frozen=True, eq=False)
class Reductions:
    """What the multipliers prove against an incumbent: sites closed, pairs pruned."""

    closed: BoolArray  # per candidate
    pruned: BoolArray  # n x m


def reduce_pairs(
    cost: FloatArray,
    loads: FloatArray,
    capacities: FloatArray,
    p: int,
    must_open: tuple[int, ...],
    allowed: IndexArray,
    multipliers: FloatArray,
    upper: float,
    max_cells: int = knapsack.REDUCTION_CELLS,
) -> Reductions:
    """Sites and pairs that no plan of value <= ``upper`` uses (closed per candidate, pruned n x m).

    For any multipliers ``lam`` every plan costs at least ``sum(lam) + sum of rho over
    its open sites`` (``rho_j`` site j's 0-1 knapsack, or any lower bound of it: here the
    larger of the continuous and the dynamic-programming values, the continuous one
    alone when the tables would exceed ``max_cells``). With site j forced
    open the best such sum is ``B_j = sum(lam) + rho_j + (best p - 1 others)``; if
    ``B_j > upper`` no plan of value <= upper opens j. With demand i forced onto j, j's
    knapsack is ``(c_ij - lam_i)`` plus the best set of the other items within
    ``Q_j - q_i``, at least the table's value at that capacity (over all items, a
    superset of the choices) and at least ``rho_j``; when ``B_j - rho_j`` plus that
    exceeds ``upper`` the pair is pruned. The margin is 1e-7 relative.
    """
    inst = Instance(cost, loads, capacities, p, np.asarray(must_open, dtype=np.intp), allowed)
    n, m = cost.shape
    rho_c, _ = dense_knapsacks(inst, multipliers)
    ints = knapsack.scaled(loads, capacities)
    red = cost[:, allowed] - multipliers[:, None]
    item_rows, item_at = np.nonzero(red < 0.0)
    tables = knapsack.solve(
        len(allowed),
        item_at.astype(np.intp),
        ints.loads[item_rows],
        red[item_rows, item_at],
        ints.capacities[allowed],
        trace=False,
        keep_table=True,
        max_cells=max_cells,
    )
    rho = rho_c if tables is None else np.maximum(rho_c, tables.value)
    with_open = _bound_with_open(inst, rho, multipliers)
    threshold = upper + 1e-7 * max(1.0, abs(upper))
    closed = np.zeros(m, dtype=bool)
    closed[allowed[with_open > threshold]] = True
    room = ints.capacities[allowed][None, :] - ints.loads[:, None]  # n x allowed
    if tables is None or tables.table is None:  # too large: the continuous values only
        rest = np.broadcast_to(rho_c[None, :], room.shape)
    else:
        column = np.clip(room, 0, tables.width[None, :])
        rest = tables.table[np.arange(len(allowed))[None, :], column]
        rest = np.maximum(rest, rho_c[None, :])
    forced = with_open[None, :] - rho[None, :] + red + rest
    pruned = np.ones((n, m), dtype=bool)
    pruned[:, allowed] = (forced > threshold) | (room < 0)
    pruned[:, closed] = True
    return Reductions(closed, pruned)


def _bound_with_open(inst: Instance, rho: FloatArray, lam: FloatArray) -> FloatArray:
    """Per allowed site, the Lagrangian bound with that site forced open (inf: it cannot open)."""
    must_pos = np.isin(inst.allowed, inst.must)
    base = float(lam.sum() + rho[must_pos].sum())
    free = np.flatnonzero(~must_pos)
    r = inst.p - int(must_pos.sum())
    order = free[np.argsort(rho[free], kind="stable")]
    best_free = float(rho[order[:r]].sum()) if r > 0 else 0.0
    with_open = np.full(len(inst.allowed), base + best_free)
    if r > 0:
        inside = np.zeros(len(inst.allowed), dtype=bool)
        inside[order[:r]] = True
        last_in = float(rho[order[r - 1]])
        outside = ~inside & ~must_pos
        with_open[outside] = base + best_free - last_in + rho[outside]
    else:
        with_open[~must_pos] = np.inf  # no free site can open
    return with_open
