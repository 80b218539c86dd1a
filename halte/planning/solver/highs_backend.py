"""Thin layer over highspy: pass a MIP as arrays, run it, read back an outcome.

Models are assembled as coordinate triplets with numpy and handed to HiGHS in
row-wise compressed form, so no Python object is created per variable.

With a monitor, HiGHS runs in a thread of its own and the calling thread waits for it,
so that the call keeps its time limit whatever HiGHS is doing: HiGHS's presolve and its
set-up of a large model look neither at the time limit nor at the interrupt callbacks.
The calling thread alone talks to the monitor (its progress reports and stop requests
may use the database, whose connections belong to the thread); HiGHS's callbacks only
note what they see and interrupt when asked. When HiGHS has not stopped ``_GRACE``
seconds after the limit or a stop request, the call answers with the best plan seen
(the start, or HiGHS's last improving plan) and leaves HiGHS to finish in its thread;
the next run waits for it, so that two runs never share HiGHS's scheduler.
"""

from __future__ import annotations

import atexit
import math
import threading
import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
import numpy.typing as npt
from highspy.highs import HighsCallbackEvent

from halte.planning.solver.problem import FloatArray, SolveOptions
from halte.planning.solver.progress import POLL_INTERVAL, Monitor, StopReason

IntArray = npt.NDArray[np.int64]
# Seconds HiGHS may go on after the time limit or a stop request before the call answers
# without it.
_GRACE = 0.5
# Seconds the interpreter's exit waits, at most, for a run given up on.
_EXIT_WAIT = 120.0
# Held by the thread running HiGHS, from its start to HiGHS's return.
_RUNNING = threading.Lock()


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


@dataclass(frozen=True, eq=False)
class LpOutcome:
    """The optimum of a linear programme: its value, its columns' values and its rows' duals
    (HiGHS's signs: for a minimisation, a column's reduced cost is its cost minus ``row_dual``
    times its column)."""

    objective: float
    col_value: FloatArray
    row_dual: FloatArray


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
    if mip.integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in mip.integer
        ]
    return lp


# HiGHS's searches for plans by solving smaller MIPs (around the LP optimum and the
# incumbent, and over the root's reduced costs); a run that starts from a plan it only has to
# prove may leave them out (``run_mip(sub_mips=False)``).
_SUB_MIP_HEURISTICS = (
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
    "mip_heuristic_run_root_reduced_cost",
)


def _configure(
    highs: highspy.Highs,
    options: SolveOptions,
    time_left: float | None,
    integral: bool,
    presolve: bool = True,
    cut_pool: int | None = None,
    sub_mips: bool = True,
) -> None:
    highs.setOptionValue("output_flag", False)
    if not presolve:
        highs.setOptionValue("presolve", "off")
    # An option HiGHS refuses (renamed in an upgrade, say) would silently bring back what
    # the caller asked to leave out: refused loudly instead.
    wanted: list[tuple[str, bool | int]] = []
    if not sub_mips:
        wanted += [(heuristic, False) for heuristic in _SUB_MIP_HEURISTICS]
    if cut_pool is not None:
        wanted.append(("mip_pool_soft_limit", cut_pool))
    for name, value in wanted:
        if highs.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise ValueError(f"HiGHS refused its option {name} = {value}")
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


class _Seen:
    """What HiGHS's callbacks saw (written in HiGHS's thread, read in the caller's)."""

    def __init__(self) -> None:
        self.objective: float | None = None
        self.bound: float | None = None
        self.values: FloatArray | None = None  # HiGHS's last improving plan
        self.ticks = 0
        self.interrupt = False  # set by the caller's thread


def _watch(highs: highspy.Highs, seen: _Seen) -> None:
    """Subscribe to HiGHS's callbacks: note the incumbent and bound, interrupt when asked.

    HiGHS calls them many times a second from its thread (simplex iterations, MIP nodes);
    answering ``interrupt()`` makes it return at once with the incumbent and bound it has.
    """

    def on_mip(event: HighsCallbackEvent) -> None:
        out = event.data_out
        seen.objective = _finite(out.mip_primal_bound)
        seen.bound = _finite(out.mip_dual_bound)
        seen.ticks += 1
        if seen.interrupt:
            event.interrupt()

    def on_improving(event: HighsCallbackEvent) -> None:
        seen.values = np.array(event.data_out.mip_solution, dtype=np.float64)
        on_mip(event)

    def on_lp(event: HighsCallbackEvent) -> None:
        seen.ticks += 1
        if seen.interrupt:
            event.interrupt()

    highs.cbMipInterrupt.subscribe(on_mip)
    highs.cbMipImprovingSolution.subscribe(on_improving)
    highs.cbSimplexInterrupt.subscribe(on_lp)
    highs.cbIpmInterrupt.subscribe(on_lp)


def _report(monitor: Monitor, seen: _Seen, reports_objective: bool) -> None:
    """Pass on what HiGHS's callbacks saw since the last look (the caller's thread)."""
    if not seen.ticks:
        return
    seen.ticks = 0
    if reports_objective:
        monitor.update("search", objective=seen.objective, bound=seen.bound)
    else:
        monitor.tick("search")


def wait_for_highs(timeout: float | None = None) -> bool:
    """Wait until no HiGHS run goes on in this process, one given up on included (at most
    ``timeout`` seconds; None: as long as it takes). True if none goes on."""
    if not _RUNNING.acquire(timeout=-1 if timeout is None else timeout):
        return False
    _RUNNING.release()
    return True


# A run given up on goes on in its thread after its call has answered. Were the interpreter to
# exit under it (a command-line solve ends right after its answer), HiGHS's threads would be
# torn down while they work and the process would abort: the exit waits for it first.
atexit.register(wait_for_highs, _EXIT_WAIT)


def _match_scheduler(threads: int | None) -> None:
    """Restart HiGHS's scheduler before a run that sets its thread count (``_RUNNING`` held).

    HiGHS keeps one scheduler per process, started by the first run that needs one, and
    refuses a later run (an error, no solution) whose thread count differs from it; runs
    that leave the count to HiGHS (as the product's do) take whatever scheduler exists.
    """
    if threads is not None:
        highspy.Highs.resetGlobalScheduler(True)


def _run_in_thread(highs: highspy.Highs, threads: int | None) -> None:
    try:
        _match_scheduler(threads)
        highs.run()
    finally:
        _RUNNING.release()


def _take_turn(monitor: Monitor) -> bool:
    """Take ``_RUNNING`` once a run given up on has ended; False (not taken) if the monitor
    says stop first."""
    while not _RUNNING.acquire(timeout=POLL_INTERVAL):
        if monitor.stop_requested():
            return False
    return True


def _run_watched(
    highs: highspy.Highs, monitor: Monitor, reports_objective: bool, threads: int | None
) -> tuple[bool, _Seen]:
    """Run HiGHS in its thread until it returns, or ``_GRACE`` after a stop it ignores.

    Returns (finished, what its callbacks saw). Waits first, within the caller's time,
    for a run given up on earlier to end.
    """
    seen = _Seen()
    if not _take_turn(monitor):
        return False, seen
    _watch(highs, seen)
    try:
        worker = threading.Thread(target=_run_in_thread, args=(highs, threads), daemon=True)
        worker.start()
    except BaseException:
        _RUNNING.release()
        raise
    asked_at: float | None = None
    while True:
        worker.join(POLL_INTERVAL)
        _report(monitor, seen, reports_objective)
        if not worker.is_alive():
            return True, seen
        if monitor.stop_requested():
            seen.interrupt = True
            asked_at = time.perf_counter() if asked_at is None else asked_at
            if time.perf_counter() - asked_at >= _GRACE:
                return False, seen


def solve_lp(mip: Mip, options: SolveOptions, monitor: Monitor | None = None) -> LpOutcome | None:
    """Solve ``mip`` as a linear programme (integrality ignored) on the calling thread.

    For the small relaxations a heuristic solves by the thousand (a few milliseconds each):
    no thread of its own, HiGHS's own time limit set to what the monitor has left. None when
    the programme has no optimum or the monitor says stop (before or during the solve).
    """
    left = None if monitor is None else monitor.left()
    if monitor is None:
        _RUNNING.acquire()
    elif not _take_turn(monitor):
        return None
    elif monitor.stop_requested():
        _RUNNING.release()
        return None
    try:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
        # The simplex runs on one thread whatever the option says; setting it would clash
        # with a HiGHS scheduler another solve of this process started with another count.
        _configure(highs, replace(options, threads=None), left, integral=False, presolve=False)
        highs.passModel(_to_lp(replace(mip, integer=np.zeros_like(mip.integer))))
        highs.run()
    finally:
        _RUNNING.release()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = highs.getSolution()
    return LpOutcome(
        float(highs.getInfo().objective_function_value),
        np.array(solution.col_value, dtype=np.float64),
        np.array(solution.row_dual, dtype=np.float64),
    )


def _start_outcome(start: FloatArray | None, mip: Mip, reason: StopReason) -> MipOutcome:
    """The outcome of a run skipped because a stop was requested before it began."""
    objective = None if start is None else float(mip.col_cost @ start + mip.offset)
    return MipOutcome("Interrupted by user", start, objective, None, reason)


def _given_up(start: FloatArray | None, mip: Mip, monitor: Monitor, seen: _Seen) -> MipOutcome:
    """The outcome of a run the caller stopped waiting for: HiGHS's last improving plan if
    it is better than the start, else the start, and the bound HiGHS last reported."""
    assert monitor.reason is not None
    values = start
    if seen.values is not None and len(seen.values) == len(mip.col_cost):
        mine = float(mip.col_cost @ seen.values + mip.offset)
        if start is None or mine < float(mip.col_cost @ start + mip.offset):
            values = seen.values
    objective = None if values is None else float(mip.col_cost @ values + mip.offset)
    return MipOutcome("Interrupted by user", values, objective, seen.bound, monitor.reason)


def run_mip(
    mip: Mip,
    options: SolveOptions,
    time_left: float | None,
    integral: bool,
    start: FloatArray | None = None,
    presolve: bool = True,
    monitor: Monitor | None = None,
    reports_objective: bool = True,
    cut_pool: int | None = None,
    sub_mips: bool = True,
) -> MipOutcome:
    """Solve ``mip`` with HiGHS, optionally warm-started from a full feasible vector.

    ``presolve=False`` skips HiGHS's presolve, for models already reduced by the caller.
    With a ``monitor`` the run reports progress and stops when the monitor says so.
    ``cut_pool`` caps the cuts HiGHS keeps (its soft limit; None: HiGHS's default), for
    short runs that want its heuristics' plans more than its bound. ``sub_mips=False``
    leaves out HiGHS's sub-MIP searches for plans (``_SUB_MIP_HEURISTICS``), for a proof
    started from a plan already searched for.
    """
    if monitor is not None and monitor.stop_requested():
        assert monitor.reason is not None
        return _start_outcome(start, mip, monitor.reason)
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    _configure(highs, options, time_left, integral, presolve, cut_pool, sub_mips)
    highs.passModel(_to_lp(mip))
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        highs.setSolution(solution)
    if monitor is None:
        with _RUNNING:  # after any run given up on
            _match_scheduler(options.threads)
            highs.run()
    else:
        finished, seen = _run_watched(highs, monitor, reports_objective, options.threads)
        if not finished:
            return _given_up(start, mip, monitor, seen)
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
