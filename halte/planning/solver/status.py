"""The honest-status rule: when may a result be called optimal.

HiGHS's default relative gap (1e-4) stops early: on an SJC covering instance it
accepted 19706 when the optimum is 19707. The solver therefore runs with zero
relative gap and, when the objective can only take integer values, rounds the
dual bound up before comparing (a bound of 19706.3 proves 19707 on integer
data, a bound of 19706.0 does not).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from halte.planning.solver.problem import FloatArray, Status

if TYPE_CHECKING:  # highs_backend imports this module through progress.py
    from halte.planning.solver.highs_backend import MipOutcome

_EPS = 1e-6


def is_integral(values: FloatArray) -> bool:
    """True when every entry is (numerically) an integer."""
    return bool(np.all(np.abs(values - np.round(values)) <= 1e-9))


def tighten_bound(bound: float | None, integral: bool) -> float | None:
    """Round a minimisation bound up when the objective is integral (still a valid bound)."""
    if bound is None or not integral:
        return bound
    return float(math.ceil(bound - _EPS))


def is_proven(objective: float | None, bound: float | None, integral: bool) -> bool:
    """Zero-gap test for a minimisation objective against its dual bound."""
    if objective is None or bound is None:
        return False
    if integral:
        return math.ceil(bound - _EPS) >= round(objective)
    return objective - bound <= _EPS * max(1.0, abs(objective))


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """``|objective - bound| / max(|objective|, 1e-9)``, or None when either is missing."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


def classify(outcome: MipOutcome, integral: bool) -> tuple[Status, bool]:
    """Map a HiGHS outcome to (status, proven_optimal) under the zero-gap rule."""
    if outcome.highs_status == "Infeasible":
        return "infeasible", False
    if is_proven(outcome.objective, outcome.bound, integral):
        return "optimal", True
    if outcome.stop_reason == "stopped":
        return "stopped", False
    if outcome.highs_status == "Time limit reached" or outcome.stop_reason == "time_limit":
        return "time_limit", False
    if outcome.objective is not None:
        return "feasible", False
    return "error", False
