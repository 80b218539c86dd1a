"""Helpers shared by the model modules: time budget, site columns, result assembly."""

from __future__ import annotations

import time

import numpy as np

from halte.planning.solver.highs_backend import MipOutcome
from halte.planning.solver.problem import (
    FloatArray,
    ModelName,
    Problem,
    Solution,
    SolveOptions,
    Status,
)
from halte.planning.solver.status import classify, is_integral, relative_gap, tighten_bound


class Clock:
    """Wall-clock budget shared by the heuristic and the MIP of one call."""

    def __init__(self, limit: float | None) -> None:
        self.start = time.perf_counter()
        self.limit = limit

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self) -> float | None:
        return None if self.limit is None else self.limit - self.elapsed()


def check_p(problem: Problem, p: int) -> None:
    n_allowed = len(problem.allowed)
    if not 1 <= p <= n_allowed:
        raise ValueError(
            f"p must be between 1 and the number of allowed candidates ({n_allowed}), got {p}"
        )


def site_columns(problem: Problem) -> tuple[FloatArray, FloatArray]:
    lower = np.zeros(problem.n_candidates)
    upper = np.ones(problem.n_candidates)
    lower[list(problem.must_open)] = 1.0
    upper[list(problem.forbidden)] = 0.0
    return lower, upper


def sites_from(values: FloatArray | None, n_candidates: int) -> tuple[int, ...]:
    if values is None:
        return ()
    return tuple(int(j) for j in np.flatnonzero(values[:n_candidates] > 0.5))


def nearest_sites(costs: FloatArray, sites: tuple[int, ...]) -> tuple[int, ...]:
    if not sites:
        return tuple([-1] * costs.shape[0])
    arr = np.asarray(sites)
    return tuple(int(s) for s in arr[np.argmin(costs[:, arr], axis=1)])


def empty_solution(model: ModelName, status: Status, clock: Clock, message: str) -> Solution:
    return Solution(model, status, False, None, None, None, (), (), clock.elapsed(), message)


def finish(
    model: ModelName,
    outcome: MipOutcome,
    integral: bool,
    evaluate: float | None,
    sites: tuple[int, ...],
    assignment: tuple[int, ...],
    clock: Clock,
    maximise: bool = False,
    floor: float | None = None,
) -> Solution:
    """Build a Solution from a minimisation outcome; ``evaluate`` is our own objective of ``sites``.

    The objective is recomputed from the chosen sites rather than taken from
    HiGHS, so the reported number is exactly the value of the returned plan.
    ``floor`` is a bound known without solving; it stands in when HiGHS stops
    before it has one of its own (a time limit hit during presolve or the root LP).
    """
    status, proven = classify(outcome, integral)
    known = [b for b in (outcome.bound, floor) if b is not None]
    bound = tighten_bound(max(known), integral) if known else None
    objective = evaluate if outcome.objective is not None else None
    if objective is not None and integral:
        objective = float(round(objective))
    if proven and integral:
        bound = objective
    gap = 0.0 if proven else relative_gap(objective, bound)
    if maximise:
        objective, bound = _negate(objective), _negate(bound)
    return Solution(
        model, status, proven, objective, bound, gap, sites, assignment, clock.elapsed()
    )


def _negate(value: float | None) -> float | None:
    return None if value is None else -value


def is_integral_objective(
    problem: Problem, options: SolveOptions, coefficients: FloatArray
) -> bool:
    if options.integral is not None:
        return options.integral
    return is_integral(coefficients[:, problem.allowed])
