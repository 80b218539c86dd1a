"""Thin layer over highspy: pass a MIP as arrays, run it, read back an outcome.

Models are assembled as coordinate triplets with numpy and handed to HiGHS in
row-wise compressed form, so no Python object is created per variable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
from highspy.highs import HighsCallbackEvent

from halte.planning.solver.problem import FloatArray, SolveOptions
from halte.planning.solver.progress import Monitor, StopReason

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Mip:
    """A minimisation MIP in array form; rows are ``row_lower <= A x <= row_upper``."""

    col_cost: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    integer: npt.NDArray[np.bool_]
    rows: IntArray
    cols: IntArray
    vals: FloatArray
    row_lower: FloatArray
    row_upper: FloatArray
    offset: float = 0.0


@dataclass(frozen=True, eq=False)
class MipOutcome:
    """What HiGHS reported: a model-status name, the incumbent and the dual bound.

    ``stop_reason`` says why the run was cut short by the caller's monitor (a stop
    request or the wall-clock limit), None when HiGHS ended on its own.
    """

    highs_status: str
    values: FloatArray | None
    objective: float | None
    bound: float | None
    stop_reason: StopReason | None = None


class TripletBuilder:
    """Collects constraint blocks as numpy triplets and row bounds."""

    def __init__(self) -> None:
        self._rows: list[IntArray] = []
        self._cols: list[IntArray] = []
        self._vals: list[FloatArray] = []
        self._lower: list[FloatArray] = []
        self._upper: list[FloatArray] = []
        self.n_rows = 0

    def add_block(
        self,
        local_rows: npt.ArrayLike,
        cols: npt.ArrayLike,
        vals: npt.ArrayLike,
        lower: npt.ArrayLike,
        upper: npt.ArrayLike,
    ) -> None:
        """Add rows numbered 0..len(lower)-1 locally; they are shifted to follow earlier rows."""
        lower_arr = np.atleast_1d(np.asarray(lower, dtype=np.float64))
        upper_arr = np.broadcast_to(np.asarray(upper, dtype=np.float64), lower_arr.shape)
        self._rows.append(np.asarray(local_rows, dtype=np.int64) + self.n_rows)
        self._cols.append(np.asarray(cols, dtype=np.int64))
        self._vals.append(np.broadcast_to(np.asarray(vals, dtype=np.float64), self._cols[-1].shape))
        self._lower.append(lower_arr)
        self._upper.append(np.array(upper_arr))
        self.n_rows += int(lower_arr.shape[0])

    def build(
        self,
        col_cost: FloatArray,
        col_lower: FloatArray,
        col_upper: FloatArray,
        integer: npt.NDArray[np.bool_],
        offset: float = 0.0,
    ) -> Mip:
        """Freeze the collected rows together with column data into a ``Mip``."""
        return Mip(
            col_cost=col_cost,
            col_lower=col_lower,
            col_upper=col_upper,
            integer=integer,
            rows=np.concatenate(self._rows),
            cols=np.concatenate(self._cols),
            vals=np.concatenate(self._vals).astype(np.float64),
            row_lower=np.concatenate(self._lower),
            row_upper=np.concatenate(self._upper),
            offset=offset,
        )


def _to_lp(mip: Mip) -> highspy.HighsLp:
    order = np.argsort(mip.rows, kind="stable")
    n_rows = int(mip.row_lower.shape[0])
    counts = np.bincount(mip.rows, minlength=n_rows)
    starts = np.concatenate(([0], np.cumsum(counts))).astype(np.int32)
    lp = highspy.HighsLp()
    lp.num_col_ = int(mip.col_cost.shape[0])
    lp.num_row_ = n_rows
    lp.col_cost_ = mip.col_cost
    lp.col_lower_ = mip.col_lower
    lp.col_upper_ = mip.col_upper
    lp.row_lower_ = mip.row_lower
    lp.row_upper_ = mip.row_upper
    lp.offset_ = mip.offset
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = n_rows
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = mip.cols[order].astype(np.int32)
    lp.a_matrix_.value_ = mip.vals[order]
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
        for flag in mip.integer
    ]
    return lp


def _configure(
    highs: highspy.Highs,
    options: SolveOptions,
    time_left: float | None,
    integral: bool,
    presolve: bool = True,
) -> None:
    highs.setOptionValue("output_flag", False)
    if not presolve:
        highs.setOptionValue("presolve", "off")
    highs.setOptionValue("random_seed", options.random_seed)
    highs.setOptionValue("mip_rel_gap", 0.0)
    # With an integral objective any bound above objective - 1 proves optimality;
    # otherwise insist on (numerically) zero absolute gap.
    highs.setOptionValue("mip_abs_gap", 1.0 - 1e-4 if integral else 1e-6)
    if options.threads is not None:
        highs.setOptionValue("threads", options.threads)
    if time_left is not None:
        highs.setOptionValue("time_limit", max(time_left, 0.01))


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) and abs(value) < 1e300 else None


def _watch(highs: highspy.Highs, monitor: Monitor, reports_objective: bool) -> None:
    """Subscribe to HiGHS's interrupt callbacks: report progress, interrupt on a stop request.

    HiGHS calls the interrupt callbacks many times a second from the solving thread
    (simplex iterations, MIP nodes); answering ``interrupt()`` makes it return at
    once with the incumbent and bound it has, which is how the time limit holds
    whatever HiGHS is doing. ``reports_objective`` says whether HiGHS's objective is
    the model's own (False for the covering probes of the p-center search).
    """

    def on_mip(event: HighsCallbackEvent) -> None:
        if reports_objective:
            out = event.data_out
            monitor.update(
                "search",
                objective=_finite(out.mip_primal_bound),
                bound=_finite(out.mip_dual_bound),
            )
        else:
            monitor.tick("search")
        if monitor.stop_requested():
            event.interrupt()

    def on_lp(event: HighsCallbackEvent) -> None:
        monitor.tick("search")
        if monitor.stop_requested():
            event.interrupt()

    highs.cbMipInterrupt.subscribe(on_mip)
    highs.cbMipImprovingSolution.subscribe(on_mip)
    highs.cbSimplexInterrupt.subscribe(on_lp)
    highs.cbIpmInterrupt.subscribe(on_lp)


def _start_outcome(start: FloatArray | None, mip: Mip, reason: StopReason) -> MipOutcome:
    """The outcome of a run skipped because a stop was requested before it began."""
    objective = None if start is None else float(mip.col_cost @ start + mip.offset)
    return MipOutcome("Interrupted by user", start, objective, None, reason)


def run_mip(
    mip: Mip,
    options: SolveOptions,
    time_left: float | None,
    integral: bool,
    start: FloatArray | None = None,
    presolve: bool = True,
    monitor: Monitor | None = None,
    reports_objective: bool = True,
) -> MipOutcome:
    """Solve ``mip`` with HiGHS, optionally warm-started from a full feasible vector.

    ``presolve=False`` skips HiGHS's presolve, for models already reduced by the caller.
    With a ``monitor`` the run reports progress and stops when the monitor says so.
    """
    if monitor is not None and monitor.stop_requested():
        assert monitor.reason is not None
        return _start_outcome(start, mip, monitor.reason)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    _configure(highs, options, time_left, integral, presolve)
    highs.passModel(_to_lp(mip))
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        highs.setSolution(solution)
    if monitor is not None:
        _watch(highs, monitor, reports_objective)
    highs.run()
    status = highs.modelStatusToString(highs.getModelStatus())
    info = highs.getInfo()
    has_primal = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.array(highs.getSolution().col_value, dtype=np.float64) if has_primal else None
    objective = float(info.objective_function_value) if has_primal else None
    bound = _finite(float(info.mip_dual_bound))
    reason = monitor.reason if monitor is not None else None
    if values is None and start is not None and reason is not None:
        # Interrupted before HiGHS took the start in: the start is still a valid plan.
        values, objective = start, float(mip.col_cost @ start + mip.offset)
    return MipOutcome(status, values, objective, bound, reason)
