"""Helpers shared by the model modules: site columns and result assembly."""

from __future__ import annotations

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
from halte.planning.solver.progress import Monitor
from halte.planning.solver.status import (
    classify,
    is_integral,
    is_proven,
    relative_gap,
    tighten_bound,
)


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


def empty_solution(model: ModelName, status: Status, monitor: Monitor, message: str) -> Solution:
    return Solution(model, status, False, None, None, None, (), (), monitor.elapsed(), message)


def stopped_outcome(monitor: Monitor, objective: float | None) -> MipOutcome:
    """Stand-in for a HiGHS run skipped because the call was stopped before it (plan from a heuristic)."""
    return MipOutcome("Interrupted by user", None, objective, None, monitor.reason)


def finish(
    model: ModelName,
    outcome: MipOutcome,
    integral: bool,
    evaluate: float | None,
    sites: tuple[int, ...],
    assignment: tuple[int, ...],
    monitor: Monitor,
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
    known = [b for b in (outcome.bound, floor, monitor.bound) if b is not None]
    bound = tighten_bound(max(known), integral) if known else None
    objective = evaluate if outcome.objective is not None else None
    if objective is not None and integral:
        objective = float(round(objective))
    if objective is not None and bound is not None:
        bound = min(bound, objective)  # a bound above a plan's own value is rounding noise
    if (
        not proven
        and outcome.highs_status != "Infeasible"
        and is_proven(objective, bound, integral)
    ):
        status, proven = "optimal", True
    if proven and integral:
        bound = objective
    gap = 0.0 if proven else relative_gap(objective, bound)
    monitor.update("search", objective, bound)
    monitor.flush()
    if maximise:
        objective, bound = _negate(objective), _negate(bound)
    return Solution(
        model, status, proven, objective, bound, gap, sites, assignment, monitor.elapsed()
    )


def _negate(value: float | None) -> float | None:
    return None if value is None else -value


def is_integral_objective(
    problem: Problem, options: SolveOptions, coefficients: FloatArray
) -> bool:
    if options.integral is not None:
        return options.integral
    return is_integral(coefficients[:, problem.allowed])
