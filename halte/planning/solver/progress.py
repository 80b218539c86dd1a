"""Progress reports and stop requests of one solve call.

A ``Monitor`` is created per call. Every phase (heuristic, Lagrangian bound,
HiGHS search) tells it what it found; it keeps the best plan value and the best
bound seen so far, so what it reports never gets worse, and it calls
``SolveOptions.on_progress`` when either improves (at most four times a second)
and at least every two seconds while the search runs. ``stop_requested`` is the
single question every long loop asks: has the caller's ``should_stop`` said yes,
or has the time limit passed?

Values are kept internally as a minimisation (MCLP passes its negated covered
weight, as HiGHS sees it) and turned back into the model's own sense when reported.
"""

from __future__ import annotations

import math
import time
from typing import Literal

from halte.planning.solver.problem import Progress, ProgressPhase, SolveOptions
from halte.planning.solver.status import relative_gap, tighten_bound

StopReason = Literal["stopped", "time_limit"]

MIN_INTERVAL = 0.25  # seconds between two reports of improvements
HEARTBEAT = 2.0  # seconds without a report before one is sent anyway
POLL_INTERVAL = 0.05  # seconds between two calls of the caller's should_stop


class Monitor:
    """Best-so-far bookkeeping, throttled progress reports and the stop latch of one call."""

    def __init__(self, options: SolveOptions, maximise: bool = False) -> None:
        self.start = time.perf_counter()
        self.limit = options.time_limit
        self.maximise = maximise
        self.integral = False
        self.objective: float | None = None  # internal (minimisation) sense
        self.bound: float | None = None
        self.phase: ProgressPhase = "heuristic"
        self.reason: StopReason | None = None
        self._on_progress = options.on_progress
        self._should_stop = options.should_stop
        self._last_report = -HEARTBEAT  # so that the first improvement is reported at once
        self._last_poll = -POLL_INTERVAL
        self._pending = False

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self) -> float | None:
        """Seconds left before the time limit, or None without one."""
        return None if self.limit is None else self.limit - self.elapsed()

    def stop_requested(self) -> bool:
        """True once the caller asked to stop or the time limit passed (and from then on)."""
        if self.reason is not None:
            return True
        now = self.elapsed()
        if self.limit is not None and now >= self.limit:
            self.reason = "time_limit"
        elif self._should_stop is not None and now - self._last_poll >= POLL_INTERVAL:
            self._last_poll = now
            if self._should_stop():
                self.reason = "stopped"
        return self.reason is not None

    def update(
        self,
        phase: ProgressPhase,
        objective: float | None = None,
        bound: float | None = None,
    ) -> None:
        """Record a plan value and/or a bound (internal sense); report if due."""
        self.phase = phase
        if objective is not None and self.integral:
            objective = float(round(objective))  # HiGHS's values carry rounding noise
        if objective is not None and (self.objective is None or objective < self.objective):
            self.objective = objective
            self._pending = True
        if bound is not None and math.isfinite(bound):
            bound = tighten_bound(bound, self.integral)
            if self.objective is not None and bound is not None:
                bound = min(bound, self.objective)
            if bound is not None and (self.bound is None or bound > self.bound):
                self.bound = bound
                self._pending = True
        self.tick(phase)

    def tick(self, phase: ProgressPhase) -> None:
        """Send a report if an improvement waits or the heartbeat is due."""
        self.phase = phase
        if self._on_progress is None:
            return
        now = self.elapsed()
        since = now - self._last_report
        if (self._pending and since >= MIN_INTERVAL) or since >= HEARTBEAT:
            self._emit(now)

    def flush(self) -> None:
        """Report a waiting improvement now (end of the call)."""
        if self._on_progress is not None and self._pending:
            self._emit(self.elapsed())

    def _emit(self, now: float) -> None:
        assert self._on_progress is not None
        self._last_report = now
        self._pending = False
        objective, bound = self.objective, self.bound
        gap = relative_gap(objective, bound)
        if self.maximise:
            objective = None if objective is None else -objective
            bound = None if bound is None else -bound
        self._on_progress(
            Progress(objective=objective, bound=bound, gap=gap, elapsed=now, phase=self.phase)
        )
