"""Input and output types of the facility-location solver.

Everything here is a frozen dataclass. Arrays are copied and made read-only on
construction so that a problem cannot change under a solver that is using it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

Status = Literal["optimal", "feasible", "time_limit", "stopped", "infeasible", "error"]
ProgressPhase = Literal["heuristic", "bound", "search"]
ModelName = Literal["p-median", "capacitated-p-median", "mclp", "lscp", "p-center"]
MODEL_NAMES: tuple[ModelName, ...] = (
    "p-median",
    "capacitated-p-median",
    "mclp",
    "lscp",
    "p-center",
)


def _frozen_array(values: object, name: str, ndim: int) -> FloatArray:
    array = np.array(values, dtype=np.float64, copy=True)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers")
    array.setflags(write=False)
    return array


def _index_tuple(values: object, name: str, upper: int) -> tuple[int, ...]:
    indices = tuple(sorted({int(v) for v in values}))  # type: ignore[attr-defined]
    for index in indices:
        if not 0 <= index < upper:
            raise ValueError(f"{name} index {index} is outside 0..{upper - 1}")
    return indices


@dataclass(frozen=True, eq=False)
class Problem:
    """A facility-location instance: demand points (rows) and candidate sites (columns).

    ``costs[i, j]`` is the distance or cost of serving demand ``i`` from candidate ``j``.
    ``weights`` multiply costs in objectives and count as covered weight in MCLP
    (default 1 each). ``loads`` are what a demand point consumes of a site's capacity
    (default: the weights); they are separate because the classic capacitated
    benchmarks minimise unweighted distance while demand fills capacity.
    ``capacities`` (per candidate) are only used by the capacitated model.
    ``must_open`` and ``forbidden`` are 0-based candidate indices.
    """

    costs: FloatArray
    weights: FloatArray = None  # type: ignore[assignment]  # None means all ones
    loads: FloatArray = None  # type: ignore[assignment]  # None means the weights
    capacities: FloatArray | None = None
    must_open: tuple[int, ...] = ()
    forbidden: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        costs = _frozen_array(self.costs, "costs", 2)
        n_demand, n_cand = costs.shape
        if n_demand == 0 or n_cand == 0:
            raise ValueError("costs must have at least one demand point and one candidate")
        if np.any(costs < 0):
            raise ValueError("costs must be non-negative")
        weights = np.ones(n_demand) if self.weights is None else self.weights
        weights = _frozen_array(weights, "weights", 1)
        loads = _frozen_array(weights if self.loads is None else self.loads, "loads", 1)
        for name, arr in (("weights", weights), ("loads", loads)):
            if arr.shape != (n_demand,):
                raise ValueError(f"{name} must have one entry per demand point ({n_demand})")
            if np.any(arr < 0):
                raise ValueError(f"{name} must be non-negative")
        capacities = None
        if self.capacities is not None:
            capacities = _frozen_array(self.capacities, "capacities", 1)
            if capacities.shape != (n_cand,):
                raise ValueError(f"capacities must have one entry per candidate ({n_cand})")
        must_open = _index_tuple(self.must_open, "must_open", n_cand)
        forbidden = _index_tuple(self.forbidden, "forbidden", n_cand)
        if set(must_open) & set(forbidden):
            raise ValueError("a candidate cannot be both must_open and forbidden")
        if len(forbidden) == n_cand:
            raise ValueError("every candidate is forbidden")
        for name, value in (
            ("costs", costs),
            ("weights", weights),
            ("loads", loads),
            ("capacities", capacities),
            ("must_open", must_open),
            ("forbidden", forbidden),
        ):
            object.__setattr__(self, name, value)

    @property
    def n_demand(self) -> int:
        """Number of demand points (rows of ``costs``)."""
        return int(self.costs.shape[0])

    @property
    def n_candidates(self) -> int:
        """Number of candidate sites (columns of ``costs``)."""
        return int(self.costs.shape[1])

    @property
    def allowed(self) -> npt.NDArray[np.intp]:
        """Indices of candidates that are not forbidden, ascending."""
        mask = np.ones(self.n_candidates, dtype=bool)
        mask[list(self.forbidden)] = False
        return np.flatnonzero(mask)


@dataclass(frozen=True)
class Progress:
    """What a running solve knows so far, as passed to ``SolveOptions.on_progress``.

    ``objective`` is the value of the best plan found (None before the first),
    ``bound`` the best proven bound (lower for minimisation, upper for MCLP), ``gap``
    as in ``Solution.gap``; ``elapsed`` is seconds since the call started and
    ``phase`` one of "heuristic", "bound" (Lagrangian bound and reductions) or
    "search" (HiGHS). Successive reports never get worse: for a minimisation the
    objective never increases and the bound never decreases.
    """

    objective: float | None
    bound: float | None
    gap: float | None
    elapsed: float
    phase: ProgressPhase


@dataclass(frozen=True)
class SolveOptions:
    """Knobs shared by every model.

    ``time_limit`` is wall-clock seconds for the whole call (heuristic included).
    ``integral`` says whether objective values are integers; ``None`` detects it
    from the data. It decides the optimality test (see ``status.classify``).
    ``on_progress`` is called in the solving thread whenever the best plan or the
    bound improves (at most a few times a second) and at least every ~2 s while
    searching; it must return quickly. ``should_stop`` is polled at least every
    second; once it returns True the call ends with the best plan and bound found
    so far and status "stopped" (unless that plan was already proven optimal).
    """

    time_limit: float | None = None
    use_heuristic: bool = True
    threads: int | None = None
    integral: bool | None = None
    random_seed: int = 0
    on_progress: Callable[[Progress], None] | None = None
    should_stop: Callable[[], bool] | None = None


@dataclass(frozen=True)
class Solution:
    """Result of a solve, with an honest status.

    ``status`` is "optimal" only when optimality is proven at zero gap; then
    ``proven_optimal`` is True. For minimisation ``bound <= objective``, for
    MCLP (maximisation) ``bound >= objective``. ``gap`` is
    ``|objective - bound| / max(|objective|, 1e-9)``. ``sites`` are 0-based
    candidate indices, ascending; ``assignment[i]`` is the site serving demand
    ``i`` or -1 (MCLP: not covered).
    """

    model: ModelName
    status: Status
    proven_optimal: bool
    objective: float | None
    bound: float | None
    gap: float | None
    sites: tuple[int, ...]
    assignment: tuple[int, ...]
    seconds: float
    message: str = ""
