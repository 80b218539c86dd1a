"""One entry point that dispatches on the model name."""

from __future__ import annotations

from halte.planning.solver.covering import solve_lscp, solve_mclp, solve_p_center
from halte.planning.solver.models import solve_capacitated_p_median, solve_p_median
from halte.planning.solver.problem import MODEL_NAMES, ModelName, Problem, Solution, SolveOptions


def _need(value: float | None, what: str, model: str) -> float:
    if value is None:
        raise ValueError(f"model {model} needs {what}")
    return value


def solve(
    problem: Problem,
    model: ModelName,
    p: int | None = None,
    radius: float | None = None,
    options: SolveOptions | None = None,
) -> Solution:
    """Solve ``problem`` with the named model; raises ValueError on missing or bad parameters."""
    if model not in MODEL_NAMES:
        raise ValueError(f"unknown model {model!r}; expected one of {', '.join(MODEL_NAMES)}")
    if model == "lscp":
        return solve_lscp(problem, _need(radius, "a radius", model), options)
    n_sites = int(_need(p, "p", model))
    if model == "p-median":
        return solve_p_median(problem, n_sites, options)
    if model == "capacitated-p-median":
        return solve_capacitated_p_median(problem, n_sites, options)
    if model == "mclp":
        return solve_mclp(problem, n_sites, _need(radius, "a radius", model), options)
    return solve_p_center(problem, n_sites, options)
