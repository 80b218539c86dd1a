"""Capacitated p-median heuristic: Lagrangian relaxation of the assignment, repair, local search.

Relaxing ``sum_j x_ij = 1`` with multipliers ``lam`` splits the single-source
capacitated p-median into one 0-1 knapsack per site (``capacitated_bound.py``). The
subgradient runs in two phases: first on the continuous knapsacks (cheap; it reaches
the LP bound), then, from the best multipliers found, on the 0-1 knapsacks solved by
dynamic programming (``knapsack.py``), which lifts the bound above the LP bound. Both
give valid bounds for any multipliers. The knapsacks' choice of sites also says which
sites the relaxation likes, and each such site set is *repaired* into a plan (regret
assignment with capacities) and improved by local search:

* assignment moves with the sites fixed: shift one demand to another open site with
  room, swap the sites of two demands;
* site moves, when the caller gives an LP runner (``run_lp``): swaps of an open site for a
  closed candidate, judged by the transportation relaxation of the assignment and pruned by
  a duality bound (``site_swap``). Shifts and swaps of demands leave a site set 2-4 % above
  its best assignment when capacities are tight, too much noise to tell two site sets apart;
  the relaxation tells them apart in milliseconds. The search runs with two judges in turn
  (each demand linked to its 3, then its 5 nearest open sites; ``site_swap.JUDGES``), each
  site set reached is assigned from its relaxation's solution and reassigned exactly over
  each demand's 2 nearest open sites and the pairs that solution uses, then, time allowing,
  its 3 nearest. Without an LP runner, relocation: each
  open site replaced by one of the candidates serving its own demands most cheaply;
* a large neighbourhood, solved exactly by HiGHS when the caller gives a MIP runner
  (``run_mip``): the model restricted to a pool of sites (the plan's own, the sites the
  Lagrangian relaxation keeps choosing, and for each open site the closed candidates
  that would serve its demands most cheaply) and to each demand's k nearest pool
  sites (plus its current one, so the plan stays feasible and is the start). One
  solve tries every swap of sites in and out of the pool together with an exact
  reassignment; the neighbourhood is re-centred on each better plan and widened
  when it gives nothing, until the time is up (or, without a time limit, it has
  been widened a few times in vain). This is the matheuristic idea of Stefanello,
  de Araújo and Müller (2015) on a Lagrangian-chosen pool;
* a final exact reassignment of the plan's own sites (``_reassign``), when the linear
  relaxation of that reassignment says it can gain enough.

Everything is deterministic (ties to the lowest index) and stops when ``stop()`` says so.

``capacitated_bound.reduce_pairs`` turns the multipliers into reductions for the exact
model: a site is closed, and an assignment pair pruned, when the Lagrangian bound with it
forced in exceeds the incumbent's value (see its docstring for the argument).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from halte.planning.solver import knapsack, site_swap
from halte.planning.solver.capacitated_bound import (
    Instance,
    Nearness,
    binary_step,
    continuous_step,
    initial_multipliers,
)
from halte.planning.solver.heuristics import assign_with_capacity
from halte.planning.solver.highs_backend import Mip, MipOutcome, TripletBuilder
from halte.planning.solver.problem import FloatArray

IndexArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
Links = tuple[IndexArray, IndexArray]  # pairs (demand, candidate site)
Stop = Callable[[], bool]
TimeLeft = Callable[[], float | None]
# Runs a MIP (start vector, seconds allowed or None) and returns HiGHS's outcome.
MipRunner = Callable[[Mip, FloatArray, float | None], MipOutcome]
_EPS = 1e-9
# Shares of the heuristic's budget: the continuous subgradient runs until the first is
# used, then the plan searches; the second, the last of the budget, goes to the 0-1 phase.
_LAGRANGIAN_SHARE, _BINARY_SHARE = 0.2, 0.15
# The subgradient's step factor is halved after this many steps without a better bound.
_STALL_STEPS = 10
# First neighbourhood: groups of 3 open sites, 3 closed candidates per open site, each
# demand linked to its 8 + 2 x 3 nearest pool sites.
_FIRST_GROUP, _FIRST_K, _FIRST_EXTRA = 3, 8, 3
# The neighbourhood search ends after this many whole cycles in vain (or at the time limit),
# after one when the plan is within this share of the Lagrangian bound.
_VAIN_ROUNDS, _CLOSE_GAP = 3, 0.01
# Seconds allowed to one neighbourhood's MIP.
_ROUND_CAP = 0.5
# The final exact reassignment: each demand linked to its 2 nearest open sites; the share of
# the budget kept for it (seconds without a budget), and the least gain its linear
# relaxation must promise for it to run (else that time goes to the 0-1 phase).
_REASSIGN_K, _REASSIGN_SHARE, _REASSIGN_SECONDS, _REASSIGN_WORTH = 2, 0.2, 2.0, 0.005
# With the site swaps judged by the relaxation (``site_swap``), the budget goes in turn to:
# the continuous subgradient (until 20 % of it is used), the site swaps (until 60 %), the
# exact reassignment of the site set they reach (15 % more), the neighbourhood searches
# (what is left before the 0-1 phase's last 15 %). Without them, relocation replaces the swaps.
_SWAP_SHARE, _SWAP_REASSIGN_SHARE = 0.6, 0.15


@dataclass(frozen=True, eq=False)
class CapacitatedResult:
    """Best plan found (None if none) and the best Lagrangian lower bound."""

    sites: tuple[int, ...] | None
    assignment: IndexArray | None
    value: float | None
    bound: float
    multipliers: FloatArray | None = None  # of the best bound (None: no step was made)

    def merged(self, later: CapacitatedResult) -> CapacitatedResult:
        """The better plan of two passes and the higher bound, with that bound's multipliers."""
        plan = self
        if later.value is not None and (self.value is None or later.value < self.value):
            plan = later
        bound = self if self.bound >= later.bound or later.multipliers is None else later
        return replace(plan, bound=bound.bound, multipliers=bound.multipliers)


def _value(inst: Instance, assignment: IndexArray) -> float:
    return float(inst.cost[np.arange(len(assignment)), assignment].sum())


def _improves(value: float, than: float) -> bool:
    """``value`` is lower than ``than`` by more than the rounding noise."""
    return value < than - _EPS * max(1.0, abs(than))


def _read_plan(
    values: FloatArray, pool: IndexArray, pair_i: IndexArray, pair_j: IndexArray, n: int
) -> tuple[IndexArray, IndexArray] | None:
    """The pool sites a ``restricted_model`` solution opens and the site of each of its ``n``
    demands; None when a demand has no site in it."""
    used = values[len(pool) :] > 0.5
    assignment = np.full(n, -1, dtype=np.intp)
    assignment[pair_i[used]] = pair_j[used]
    if np.any(assignment < 0):
        return None
    return pool[values[: len(pool)] > 0.5], assignment


def _shift_and_swap(
    inst: Instance,
    sites: IndexArray,
    assignment: IndexArray,
    stop: Stop,
    focus: IndexArray | None = None,
) -> None:
    """Improve the assignment in place by shifts and pairwise swaps until neither helps.

    With ``focus`` only those demands are moved on their own initiative (any demand can
    still be a swap partner): the quick check of a site move, which only disturbs them.
    """
    n = len(assignment)
    movers = range(n) if focus is None else [int(i) for i in focus]
    col = {int(j): k for k, j in enumerate(sites)}
    sub = inst.cost[:, sites]
    q = inst.loads
    at = np.array([col[int(j)] for j in assignment], dtype=np.intp)
    room = inst.capacities[sites] - np.bincount(at, weights=q, minlength=len(sites))
    rows = np.arange(n)
    improved = True
    while improved and not stop():
        improved = False
        for i in movers:
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
        for i in movers:
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


def _assign(inst: Instance, sites: IndexArray) -> IndexArray | None:
    """Single-source assignment to ``sites``: largest regret first, then (if that does
    not fit everyone) the load-first rule of ``assign_with_capacity``."""
    sub = inst.cost[:, sites]
    if len(sites) > 1:
        ordered = np.partition(sub, 1, axis=1)
        regret = ordered[:, 1] - ordered[:, 0]
    else:
        regret = np.zeros(len(sub))
    room = inst.capacities[sites].astype(np.float64).copy()
    result = np.full(len(sub), -1, dtype=np.intp)
    preference = np.argsort(sub, axis=1, kind="stable")
    for i in np.argsort(-regret, kind="stable"):
        fits = preference[i][room[preference[i]] + _EPS >= inst.loads[i]]
        if fits.size == 0:
            return assign_with_capacity(inst.cost, inst.loads, inst.capacities, list(sites))
        k = int(fits[0])
        room[k] -= inst.loads[i]
        result[i] = sites[k]
    return result


def _plan(
    inst: Instance, sites: IndexArray, stop: Stop, start: IndexArray | None = None
) -> tuple[IndexArray, float] | None:
    """Assign demands to ``sites`` (regret rule, or ``start`` when given), then shift/swap."""
    if start is None:
        found = _assign(inst, sites)
        if found is None:
            return None
        start = found
    assignment = np.array(start, dtype=np.intp)
    _shift_and_swap(inst, sites, assignment, stop)
    return assignment, _value(inst, assignment)


def _repair(
    inst: Instance, sites: IndexArray, best: float, stop: Stop
) -> tuple[IndexArray, float] | None:
    """Regret assignment of ``sites``; local search only when it starts within 10 % of ``best``."""
    found = _assign(inst, sites)
    if found is None:
        return None
    if _value(inst, found) > best * 1.10:
        return None
    return _plan(inst, sites, stop, found)


def _relocate(
    inst: Instance, sites: IndexArray, assignment: IndexArray, value: float, stop: Stop
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
            rows = np.arange(len(assignment))
            current = inst.cost[rows, assignment]
            for k in tries:
                trial_sites = sites.copy()
                trial_sites[slot] = k
                trial = np.where(assignment == j, k, assignment)
                focus = np.flatnonzero((assignment == j) | (inst.cost[:, k] < current))
                _shift_and_swap(inst, trial_sites, trial, stop, focus)
                trial_value = _value(inst, trial)
                if _improves(trial_value, value):
                    _shift_and_swap(inst, trial_sites, trial, stop)
                    sites, assignment, value = trial_sites, trial, _value(inst, trial)
                    improved = True
                    break
    return sites, assignment, value


def _improve(
    inst: Instance, sites: IndexArray, assignment: IndexArray, value: float, stop: Stop
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
    binary_iterations: int = 200,
    first_sites: list[int] | None = None,
    first_assignment: IndexArray | None = None,
    first_multipliers: FloatArray | None = None,
    on_plan: Callable[[float], None] | None = None,
    on_bound: Callable[[float], None] | None = None,
    time_left: TimeLeft | None = None,
    run_mip: MipRunner | None = None,
    run_lp: site_swap.LpRunner | None = None,
) -> CapacitatedResult:
    """Lagrangian bound and the best repaired, locally improved plan found before ``stop()``.

    ``cost`` is the weighted cost (demand x candidate). ``first_sites`` (e.g. the
    uncapacitated heuristic's plan) is repaired and improved first, so that a plan
    exists early and the subgradient steps aim at its value; with ``first_assignment``
    (an earlier pass's plan, which must hold the capacities) it is taken as it is.
    ``first_multipliers`` (an earlier pass's) start the subgradient instead of the
    demands' nearest costs. ``on_plan`` and
    ``on_bound`` are told every improvement (for progress reports). ``time_left``
    (seconds left of the heuristic's budget, None: no limit) lets the subgradient
    phase keep its share of the budget; ``run_mip`` enables the neighbourhood search and
    the exact reassignments, ``run_lp`` the site swaps judged by the relaxation.
    The subgradient makes at most ``iterations`` steps on the continuous knapsacks,
    then at most ``binary_iterations`` on the 0-1 knapsacks (0: none).
    """
    inst = Instance(cost, loads, capacities, p, np.asarray(must_open, dtype=np.intp), allowed)
    best_value = np.inf
    best_sites: IndexArray | None = None
    best_assignment: IndexArray | None = None

    def offer(sites: IndexArray, result: tuple[IndexArray, float] | None) -> None:
        nonlocal best_sites, best_assignment, best_value
        if result is not None and result[1] < best_value - _EPS * max(1.0, abs(result[1])):
            best_sites, (best_assignment, best_value) = np.sort(sites), result
            if on_plan is not None:
                on_plan(best_value)

    budget = None if time_left is None else time_left()

    def until(share: float) -> float | None:
        """Seconds before ``share`` of the budget is used (None: no budget)."""
        left = None if time_left is None else time_left()
        return None if budget is None or left is None else left - (1.0 - share) * budget

    def over(share: float) -> bool:
        """Stop, or ``share`` of the budget used."""
        left = until(share)
        return stop() or (left is not None and left <= 0.0)

    if first_sites is not None:
        sites = np.array(sorted(first_sites), dtype=np.intp)
        if first_assignment is None:
            offer(sites, _plan(inst, sites, stop))
        else:
            given = np.array(first_assignment, dtype=np.intp)
            used = np.bincount(given, weights=loads, minlength=len(capacities))
            if not (np.isin(given, sites).all() and np.all(used <= capacities + _EPS)):
                raise ValueError("the first assignment must use the first sites within capacity")
            offer(sites, (given, _value(inst, given)))
    near = Nearness(inst)
    if first_multipliers is None:
        pairs = near.pairs(near.first_depth)
        lam = np.minimum(initial_multipliers(inst), pairs.cap)
    else:
        pairs = near.covering(first_multipliers)
        lam = np.array(first_multipliers, dtype=np.float64)
    best_bound, best_lam = -np.inf, None
    tried: set[tuple[int, ...]] = set()
    chosen_count = np.zeros(len(allowed))
    ints = knapsack.scaled(loads, capacities) if binary_iterations > 0 else None

    def run_phase(steps: int, share: float, theta: float, binary: bool) -> None:
        """Subgradient steps on the continuous or the 0-1 knapsacks, repairing what they open."""
        nonlocal lam, pairs, best_bound, best_lam
        stall = 0
        for step in range(steps):
            if over(share):
                break
            found_step = (
                binary_step(inst, pairs, lam, ints)
                if binary and ints is not None
                else continuous_step(inst, pairs, lam)
            )
            if found_step is None:
                break  # the 0-1 knapsacks are too large for this instance
            chosen, bound = found_step.chosen, found_step.bound
            chosen_count[chosen] += 1
            if best_bound == -np.inf or bound > best_bound + _EPS * max(1.0, abs(best_bound)):
                best_bound, best_lam, stall = bound, lam.copy(), 0
                if on_bound is not None:
                    on_bound(bound)
            else:
                stall += 1
                if stall >= _STALL_STEPS:
                    theta, stall = theta / 2.0, 0
            key = tuple(sorted(int(j) for j in allowed[chosen]))
            if step % 5 == 0 and key not in tried:
                tried.add(key)
                sites = np.array(key, dtype=np.intp)
                offer(sites, _repair(inst, sites, best_value, stop))
            g = 1.0 - found_step.served
            pairs = near.deepen(pairs, lam, g)  # a cap must not hold a rising multiplier
            g[(g > 0.0) & (lam >= pairs.cap)] = 0.0
            norm = float(g @ g)
            target = best_value if np.isfinite(best_value) else bound + abs(bound) * 0.1 + 1.0
            if norm <= _EPS or theta < 1e-4 or best_bound >= target - _EPS * max(1.0, abs(target)):
                break
            lam = np.minimum(lam + theta * max(target - bound, _EPS) / norm * g, pairs.cap)

    run_phase(iterations, _LAGRANGIAN_SHARE, 2.0, binary=False)
    # The plan searches leave the last share of the budget to the 0-1 phase, and without
    # the site swaps the one before to the final reassignment.
    binary_reserve = 0.0 if budget is None or ints is None else _BINARY_SHARE * budget
    reserve = binary_reserve
    if budget is not None and run_mip is not None and run_lp is None:
        reserve += _REASSIGN_SHARE * budget

    def search_left() -> float | None:
        left = None if time_left is None else time_left()
        return None if left is None else left - reserve

    def search_stop() -> bool:
        left = search_left()
        return stop() or (left is not None and left <= 0.0)

    reassigned_sites: list[IndexArray] = []
    if run_lp is not None and best_sites is not None:
        reassigned_sites = _swap_sites(
            inst, best_sites, best_assignment, run_lp, run_mip, until, search_stop, offer
        )
    elif best_sites is not None and best_assignment is not None:
        sites, assignment, value = _improve(
            inst, best_sites, best_assignment, best_value, search_stop
        )
        offer(sites, (assignment, value))
    if run_mip is not None and best_sites is not None and best_assignment is not None:
        liked = allowed[np.argsort(-chosen_count, kind="stable")[: 2 * p]]
        liked = liked[chosen_count[np.argsort(-chosen_count, kind="stable")[: 2 * p]] > 0]
        for search in (_whole_pool, _neighbourhoods):
            assert best_sites is not None and best_assignment is not None
            # Within 1 % of the bound, one cycle in vain ends the search: the exact
            # model then closes the gap sooner than more rounds would.
            close = best_value - best_bound <= _CLOSE_GAP * abs(best_value)
            for sites, assignment, value in search(
                inst,
                best_sites,
                best_assignment,
                best_value,
                liked,
                search_stop,
                search_left,
                run_mip,
                1 if close else _VAIN_ROUNDS,
            ):
                offer(sites, (assignment, value))
    if (
        run_mip is not None
        and best_sites is not None
        and best_assignment is not None
        and not any(np.array_equal(best_sites, done) for done in reassigned_sites)
    ):
        left = None if time_left is None else time_left()
        cap = _REASSIGN_SECONDS if budget is None or left is None else _REASSIGN_SHARE * budget
        if left is not None:
            cap = min(cap, left - (0.0 if run_lp is None else binary_reserve))
        if not stop() and cap > 0.05:
            reassigned = _reassign(inst, best_sites, best_assignment, best_value, run_mip, cap)
            if reassigned is not None:
                offer(best_sites, reassigned)
    if ints is not None and best_lam is not None:
        # The 0-1 phase starts from the best continuous multipliers, aimed at the final plan.
        lam = best_lam.copy()
        run_phase(binary_iterations, 1.0, 1.0, binary=True)
    if best_sites is None or best_assignment is None:
        return CapacitatedResult(None, None, None, best_bound, best_lam)
    return CapacitatedResult(
        tuple(sorted(int(j) for j in best_sites)), best_assignment, best_value, best_bound, best_lam
    )


def _swap_sites(
    inst: Instance,
    sites: IndexArray,
    assignment: IndexArray | None,
    run_lp: site_swap.LpRunner,
    run_mip: MipRunner | None,
    until: Callable[[float], float | None],
    stop: Stop,
    offer: Callable[[IndexArray, tuple[IndexArray, float] | None], None],
) -> list[IndexArray]:
    """Swap the plan's sites while the transportation relaxation falls (``site_swap``), once
    per judge of ``site_swap.JUDGES``, each from the plan's sites, the searches together until
    ``_SWAP_SHARE`` of the budget is used (a search that has not ended keeps the rest, as the
    large cases' first one does). Assign each site set reached from its relaxation's solution,
    then by shifts and swaps, offer it, and reassign the site sets exactly, the cheapest plan
    first, within ``_SWAP_REASSIGN_SHARE``. Returns the site sets reassigned exactly (the
    final reassignment need not redo them)."""

    def search_stop() -> bool:
        left = until(_SWAP_SHARE)
        return stop() or (left is not None and left <= 0.0)

    planned: list[tuple[IndexArray, tuple[IndexArray, float], Links | None]] = []
    for nearest in site_swap.JUDGES:
        if search_stop():
            break
        reached = site_swap.search(inst, sites, run_lp, search_stop, assignment, nearest)
        if reached is None or any(np.array_equal(reached[0], other) for other, _, _ in planned):
            continue
        read = site_swap.rounded(inst, reached[0], run_lp, assignment, nearest)
        plan = _plan(inst, reached[0], stop, None if read is None else read[0])
        if plan is not None:
            offer(reached[0], plan)
            planned.append((reached[0], plan, None if read is None else read[1]))
    reassigned: list[IndexArray] = []
    for found_sites, plan, links in sorted(planned, key=lambda entry: entry[1][1]):
        # Each demand's nearest open sites and the relaxation's links first; one more
        # nearest site per demand while the time allows (on small cases it is there).
        for k in (_REASSIGN_K, _REASSIGN_K + 1):
            left = until(_SWAP_SHARE + _SWAP_REASSIGN_SHARE)
            seconds = _REASSIGN_SECONDS if left is None else left
            if run_mip is None or stop() or seconds <= 0.05:
                return reassigned
            better = _reassign(inst, found_sites, plan[0], plan[1], run_mip, seconds, links, k)
            if better is not None:
                plan = better
                offer(found_sites, plan)
        reassigned.append(found_sites)
    return reassigned


def _reassign(
    inst: Instance,
    sites: IndexArray,
    assignment: IndexArray,
    value: float,
    run_mip: MipRunner,
    seconds: float,
    links: Links | None = None,
    k: int = _REASSIGN_K,
) -> tuple[IndexArray, float] | None:
    """The plan's sites kept, every demand reassigned exactly (a generalised assignment over
    each demand's ``k`` nearest open sites, and ``links``): the better assignment found in
    ``seconds``, or None. The site swaps give as ``links`` the pairs their relaxation's
    solution uses: the exact assignment can then do whole what the relaxation did in part,
    which two sites per demand often cannot when a neighbourhood is full.

    When capacities are tight the better assignment is often a chain of moves through several
    full sites, which shifts and swaps of one or two demands cannot make. Its linear
    relaxation (a transportation problem, milliseconds) first bounds what it can gain: under
    ``_REASSIGN_WORTH`` of the plan's value, the exact one is not tried."""
    mip, start, pair_i, pair_j = restricted_model(
        inst.cost,
        inst.loads,
        inst.capacities,
        len(sites),
        sites,
        sites,
        k,
        sites,
        assignment,
        links,
    )
    relaxed = run_mip(replace(mip, integer=np.zeros_like(mip.integer)), start, seconds)
    if relaxed.objective is None or relaxed.stop_reason is not None:
        return None
    if relaxed.objective > value * (1.0 - _REASSIGN_WORTH):
        return None
    outcome = run_mip(mip, start, seconds)
    if outcome.values is None:
        return None
    read = _read_plan(outcome.values, sites, pair_i, pair_j, len(assignment))
    if read is None:
        return None
    trial = read[1]
    trial_value = _value(inst, trial)
    if not _improves(trial_value, value):
        return None
    return trial, trial_value


def _pool(inst: Instance, sites: IndexArray, assignment: IndexArray, extra: int) -> IndexArray:
    """For each open site, the ``extra`` closed candidates serving its demands most cheaply."""
    closed = np.setdiff1d(inst.allowed, sites)
    found = [sites]
    if closed.size == 0 or extra <= 0:
        return sites
    for j in sites:
        members = np.flatnonzero(assignment == j)
        if members.size == 0:
            continue
        load = float(inst.loads[members].sum())
        fits = closed[inst.capacities[closed] + _EPS >= load]
        if fits.size == 0:
            continue
        cluster_cost = inst.cost[np.ix_(members, fits)].sum(axis=0)
        found.append(fits[np.argsort(cluster_cost, kind="stable")[:extra]])
    return np.unique(np.concatenate(found))


def restricted_model(
    inst_cost: FloatArray,
    loads: FloatArray,
    capacities: FloatArray,
    p: int,
    must_open: IndexArray,
    pool: IndexArray,
    k: int,
    sites: IndexArray,
    assignment: IndexArray,
    links: Links | None = None,
) -> tuple[Mip, FloatArray, IndexArray, IndexArray]:
    """Single-source model on the ``pool`` sites, each demand linked to its k nearest of them
    and by ``links`` (demand, candidate; those off the pool or over capacity are ignored).

    The plan (``sites``, ``assignment``) must use pool sites only; its pairs are kept, so
    it is feasible and returned as the start vector. Returns (mip, start, pair_i,
    pair_j) with ``pair_j`` in candidate indices; column t < len(pool) is ``y[pool[t]]``.
    """
    n = inst_cost.shape[0]
    size = len(pool)
    sub = inst_cost[:, pool]
    fits = loads[:, None] <= capacities[pool][None, :] + _EPS
    masked = np.where(fits, sub, np.inf)
    kk = min(k, size)
    near = np.argpartition(masked, kk - 1, axis=1)[:, :kk] if kk < size else None
    mask = np.zeros((n, size), dtype=bool)
    if near is None:
        mask[:] = True
    else:
        mask[np.arange(n)[:, None], near] = True
    position = np.full(inst_cost.shape[1], -1, dtype=np.intp)
    position[pool] = np.arange(size)
    if links is not None:
        on_pool = position[links[1]] >= 0
        mask[links[0][on_pool], position[links[1][on_pool]]] = True
    mask &= fits
    mask[np.arange(n), position[assignment]] = True
    pair_i, pair_t = np.nonzero(mask)
    n_pairs = len(pair_i)
    x = size + np.arange(n_pairs)
    b = TripletBuilder()
    b.add_block(pair_i, x, 1.0, np.ones(n), np.ones(n))
    caps = capacities[pool]
    b.add_block(
        np.concatenate([pair_t, np.arange(size)]),
        np.concatenate([x, np.arange(size)]),
        np.concatenate([loads[pair_i], -caps]),
        np.full(size, -np.inf),
        np.zeros(size),
    )
    b.add_block(np.zeros(size, dtype=np.int64), np.arange(size), 1.0, [p], [p])
    b.add_block(
        np.tile(np.arange(n_pairs), 2),
        np.concatenate([x, pair_t]),
        np.concatenate([np.ones(n_pairs), -np.ones(n_pairs)]),
        np.full(n_pairs, -np.inf),
        np.zeros(n_pairs),
    )
    y_lower = np.isin(pool, must_open).astype(np.float64)
    lower = np.concatenate([y_lower, np.zeros(n_pairs)])
    upper = np.ones(size + n_pairs)
    col_cost = np.concatenate([np.zeros(size), sub[pair_i, pair_t]])
    mip = b.build(col_cost, lower, upper, np.ones(size + n_pairs, dtype=bool))
    start = np.zeros(size + n_pairs)
    start[position[sites]] = 1.0
    start[size + np.flatnonzero(position[assignment][pair_i] == pair_t)] = 1.0
    return mip, start, pair_i, pool[pair_t]


def _whole_pool(
    inst: Instance,
    sites: IndexArray,
    assignment: IndexArray,
    value: float,
    liked: IndexArray,
    stop: Stop,
    time_left: TimeLeft | None,
    run_mip: MipRunner,
    vain_rounds: int = _VAIN_ROUNDS,
) -> list[tuple[IndexArray, IndexArray, float]]:
    """One exact solve of the whole plan over a pool: the open sites, the liked ones and,
    per open site, the closed candidates serving its demands best; each demand linked
    to its nearest pool sites. Re-centred while it improves, for at most half the time left.
    (``vain_rounds`` is not used: the signature is that of ``_neighbourhoods``.)"""
    found: list[tuple[IndexArray, IndexArray, float]] = []
    first_left = None if time_left is None else time_left()
    deadline_left = None if first_left is None else first_left / 2.0
    while not stop():
        left = None if time_left is None else time_left()
        if left is not None and deadline_left is not None:
            allowed_time = left - (first_left - deadline_left)  # type: ignore[operator]
            if allowed_time < 0.05:
                break
        else:
            allowed_time = _ROUND_CAP * 4
        pool = np.union1d(_pool(inst, sites, assignment, _FIRST_EXTRA), liked)
        pool = np.union1d(pool, inst.must)
        mip, start, pair_i, pair_j = restricted_model(
            inst.cost,
            inst.loads,
            inst.capacities,
            inst.p,
            inst.must,
            pool,
            _FIRST_K,
            sites,
            assignment,
        )
        outcome = run_mip(mip, start, allowed_time)
        if outcome.values is None:
            break
        read = _read_plan(outcome.values, pool, pair_i, pair_j, len(assignment))
        if read is None or len(read[0]) != inst.p:
            break
        trial_sites, trial = np.sort(read[0]), read[1]
        trial_value = _value(inst, trial)
        if not _improves(trial_value, value):
            break
        sites, assignment, value = trial_sites, trial, trial_value
        found.append((sites, assignment, value))
    return found


def _neighbourhoods(
    inst: Instance,
    sites: IndexArray,
    assignment: IndexArray,
    value: float,
    liked: IndexArray,
    stop: Stop,
    time_left: TimeLeft | None,
    run_mip: MipRunner,
    vain_rounds: int = _VAIN_ROUNDS,
) -> list[tuple[IndexArray, IndexArray, float]]:
    """Large-neighbourhood rounds (see the module docstring); returns each better plan found.

    A round frees a group of ``size`` open sites next to one another (a centre and the
    open sites serving its demands most cheaply) with all their demands, and solves
    exactly which ``size`` sites of a pool (the group, the nearby closed candidates, the
    liked sites) to open and how to assign those demands, the rest of the plan fixed.
    The centre cycles over the open sites; a whole cycle in vain widens the group, and
    ``vain_rounds`` such cycles end the search.
    """
    found: list[tuple[IndexArray, IndexArray, float]] = []
    size, extra = min(_FIRST_GROUP, inst.p), _FIRST_EXTRA
    fixed = {int(j) for j in inst.must}
    vain, cycles_in_vain, centre = 0, 0, 0
    while not stop():
        left = None if time_left is None else time_left()
        if left is not None and left < 0.05:
            break
        j0 = int(sites[centre % len(sites)])
        centre += 1
        members = np.flatnonzero(assignment == j0)
        if members.size:
            near = np.argsort(inst.cost[np.ix_(members, sites)].sum(axis=0), kind="stable")
        else:
            near = np.argsort(np.abs(sites - j0), kind="stable")
        group = sites[near[:size]]
        rows = np.flatnonzero(np.isin(assignment, group))
        room = inst.capacities.copy()
        room -= np.bincount(assignment, weights=inst.loads, minlength=len(room))
        room[group] = inst.capacities[group]
        sub = Instance(inst.cost[rows], inst.loads[rows], room, size, inst.must, inst.allowed)
        others = np.setdiff1d(sites, group)
        candidates = np.setdiff1d(inst.allowed, others)
        sub.allowed = candidates
        pool = _pool(sub, group, assignment[rows], extra)
        near_liked = np.intersect1d(liked, candidates)
        pool = np.union1d(pool, near_liked)
        must = np.intersect1d(group, np.fromiter(fixed, dtype=np.intp, count=len(fixed)))
        mip, start, pair_i, pair_j = restricted_model(
            sub.cost,
            sub.loads,
            room,
            size,
            must,
            pool,
            _FIRST_K + 2 * extra,
            group,
            assignment[rows],
        )
        cap = _ROUND_CAP if left is None else min(left, _ROUND_CAP)
        outcome = run_mip(mip, start, cap)
        better = False
        read = (
            None
            if outcome.values is None
            else _read_plan(outcome.values, pool, pair_i, pair_j, len(rows))
        )
        if read is not None:
            new_group, part = read
            if len(new_group) == size:
                trial = assignment.copy()
                trial[rows] = part
                trial_value = _value(inst, trial)
                if _improves(trial_value, value):
                    sites = np.sort(np.concatenate([others, new_group]))
                    assignment, value = trial, trial_value
                    found.append((sites, assignment, value))
                    better = True
        if better:
            vain = 0
            continue
        vain += 1
        if vain >= len(sites):  # a whole cycle in vain: widen the group
            vain = 0
            cycles_in_vain += 1
            if size >= inst.p and extra >= len(inst.allowed):
                break
            if cycles_in_vain >= vain_rounds:
                break
            size, extra = min(size + 2, inst.p), extra + 2
    return found
