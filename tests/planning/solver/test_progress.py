"""Progress reports and stop requests (``SolveOptions.on_progress`` / ``should_stop``) on real instances."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from halte.planning.solver import Problem, Progress, Solution, SolveOptions, read_instance, solve
from halte.planning.solver.highs_backend import run_mip, wait_for_highs
from halte.planning.solver.models import (
    _assignment_start,
    _build_capacitated,
    _capacitated_heuristic,
    _feasible_pairs,
)
from halte.planning.solver.progress import MIN_INTERVAL, Monitor
from tests.planning.solver.bench import bench_module

DATA = Path(__file__).resolve().parent / "data"

PHASES = {"heuristic", "bound", "search"}


def _capacitated_plan_is_valid(problem: Problem, sol: Solution, p: int) -> None:
    assert problem.capacities is not None
    assert len(sol.sites) == p
    served_by = np.asarray(sol.assignment)
    assert set(served_by.tolist()) <= set(sol.sites)
    used = np.bincount(served_by, weights=problem.loads, minlength=problem.n_candidates)
    assert np.all(used <= problem.capacities + 1e-9)
    value = float(problem.weights @ problem.costs[np.arange(problem.n_demand), served_by])
    assert sol.objective == pytest.approx(value)


def _assert_monotone(reports: list[Progress], maximise: bool = False) -> None:
    sign = -1.0 if maximise else 1.0
    objectives = [sign * r.objective for r in reports if r.objective is not None]
    bounds = [sign * r.bound for r in reports if r.bound is not None]
    assert objectives == sorted(objectives, reverse=True)
    assert bounds == sorted(bounds)
    for report in reports:
        assert report.phase in PHASES
        if report.objective is not None and report.bound is not None:
            assert sign * report.bound <= sign * report.objective
            assert report.gap == pytest.approx(
                abs(report.objective - report.bound) / max(abs(report.objective), 1e-9)
            )
    elapsed = [r.elapsed for r in reports]
    assert elapsed == sorted(elapsed)
    # Never more than a few a second: improvements are spaced (the closing report may be sooner).
    assert all(b - a >= MIN_INTERVAL for a, b in itertools.pairwise(elapsed[:-1]))


def test_capacitated_progress_improves_and_ends_on_the_result(data_dir: Path) -> None:
    inst = read_instance(data_dir / "pmedcap01.txt", "orlib-pmedcap")
    reports: list[Progress] = []
    sol = solve(
        inst.problem,
        "capacitated-p-median",
        p=inst.p,
        options=SolveOptions(on_progress=reports.append),
    )
    assert sol.status == "optimal"
    assert reports
    _assert_monotone(reports)
    assert reports[-1].objective == sol.objective == 713
    assert reports[-1].bound == sol.bound
    assert reports[-1].gap == 0.0


def test_p_median_progress_reports_the_lagrangian_bound(data_dir: Path) -> None:
    inst = read_instance(data_dir / "pmed6.txt", "orlib-pmed")
    reports: list[Progress] = []
    sol = solve(
        inst.problem, "p-median", p=inst.p, options=SolveOptions(on_progress=reports.append)
    )
    _assert_monotone(reports)
    assert sol.status == "optimal"
    assert reports[0].phase == "heuristic" and reports[0].objective is not None
    assert reports[-1].objective == reports[-1].bound == sol.objective == 7824


def test_mclp_progress_is_reported_as_a_maximisation(data_dir: Path) -> None:
    inst = read_instance(data_dir / "SJC324.txt", "sjc-mclp")
    reports: list[Progress] = []
    sol = solve(
        inst.problem, "mclp", p=4, radius=800.0, options=SolveOptions(on_progress=reports.append)
    )
    _assert_monotone(reports, maximise=True)
    assert sol.objective == 12106
    assert reports[-1].objective == reports[-1].bound == 12106


@pytest.mark.parametrize(
    ("name", "fmt", "optimum"),
    [("pmedcap01.txt", "orlib-pmedcap", 713.0), ("SJC1.dat", "sjc", 17288.99)],
)
def test_stop_after_first_report_returns_the_best_plan_so_far(
    data_dir: Path, name: str, fmt: str, optimum: float
) -> None:
    inst = read_instance(data_dir / name, fmt)
    assert inst.p is not None
    reports: list[Progress] = []
    sol = solve(
        inst.problem,
        "capacitated-p-median",
        p=inst.p,
        options=SolveOptions(on_progress=reports.append, should_stop=lambda: bool(reports)),
    )
    assert sol.status == "stopped"
    assert not sol.proven_optimal
    assert sol.objective is not None  # the heuristic found a plan before the stop
    _capacitated_plan_is_valid(inst.problem, sol, inst.p)
    assert sol.bound is not None and sol.bound <= sol.objective
    assert sol.objective >= optimum - 0.01


def test_stop_during_the_p_median_keeps_the_heuristic_plan(data_dir: Path) -> None:
    inst = read_instance(data_dir / "pmed6.txt", "orlib-pmed")
    sol = solve(inst.problem, "p-median", p=inst.p, options=SolveOptions(should_stop=lambda: True))
    assert sol.status == "stopped"
    assert len(sol.sites) == inst.p
    costs = inst.problem.costs
    assert sol.objective is not None
    assert sol.objective == costs[:, list(sol.sites)].min(axis=1).sum()
    assert sol.bound is not None and sol.bound <= sol.objective


def test_stop_without_a_heuristic_plan_says_so() -> None:
    # Two demand points of load 2 and capacities of 2: with p = 1 nothing fits.
    problem = Problem(
        costs=np.array([[1.0, 2.0], [2.0, 1.0]]),
        loads=np.array([2.0, 2.0]),
        capacities=np.array([2.0, 2.0]),
    )
    sol = solve(
        problem, "capacitated-p-median", p=1, options=SolveOptions(should_stop=lambda: True)
    )
    assert sol.status == "stopped"
    assert sol.objective is None and sol.sites == ()


def test_p_center_stop_is_honest(data_dir: Path) -> None:
    inst = read_instance(data_dir / "pmed1.txt", "orlib-pmed")
    reports: list[Progress] = []
    sol = solve(
        inst.problem,
        "p-center",
        p=inst.p,
        options=SolveOptions(on_progress=reports.append, should_stop=lambda: bool(reports)),
    )
    assert sol.status in {"stopped", "optimal"}
    assert len(sol.sites) == inst.p
    radius = inst.problem.costs[:, list(sol.sites)].min(axis=1).max()
    assert sol.objective == radius
    _assert_monotone(reports)


def test_a_callback_that_never_stops_changes_nothing(data_dir: Path) -> None:
    inst = read_instance(data_dir / "pmedcap02.txt", "orlib-pmedcap")
    plain = solve(inst.problem, "capacitated-p-median", p=inst.p)
    hooked = solve(
        inst.problem,
        "capacitated-p-median",
        p=inst.p,
        options=SolveOptions(on_progress=lambda _: None, should_stop=lambda: False),
    )
    assert (hooked.status, hooked.objective, hooked.sites) == (
        plain.status,
        plain.objective,
        plain.sites,
    )


def test_the_time_limit_holds_while_highs_looks_at_neither_it_nor_the_callbacks() -> None:
    # HiGHS's presolve of a large capacitated model (161,604 pairs) ignores its own time limit
    # and the interrupt callbacks once it probes: left to itself, with a 2 s limit, it
    # answers 8 to 10 s after it starts (about 4 s on a 300 x 25 model, too close to the
    # 2.5 s of the answer below for the wait to be seen on every machine).
    generate = bench_module("generate")
    inst = generate.capacitated(402, 40, 1)
    problem = inst.problem
    assert problem.capacities is not None
    pairs = _feasible_pairs(problem, problem.capacities)
    big, _, _ = _build_capacitated(problem, inst.p, problem.capacities, pairs, None)
    found = _capacitated_heuristic(
        problem, inst.p, problem.capacities, Monitor(SolveOptions(time_limit=1.0)), 1.0
    )
    assert found.sites is not None and found.assignment is not None and found.value is not None
    assert wait_for_highs(timeout=600)  # the heuristic's last MIP may end after its answer
    plan = _assignment_start(problem, found.sites, found.assignment, pairs)
    limit = 2.0
    monitor = Monitor(SolveOptions(time_limit=limit))

    outcome = run_mip(big, SolveOptions(threads=1), monitor.left(), False, plan, True, monitor)

    # The call answers within the promise, with the plan it was given.
    assert outcome.stop_reason == "time_limit"
    assert monitor.elapsed() <= limit + 1.0
    assert outcome.values is not None and outcome.objective == pytest.approx(found.value)
    # The next run waits for HiGHS to be free, within its own limit: it never starts beside it.
    small = read_instance(DATA / "pmedcap01.txt", "orlib-pmedcap")
    assert small.p is not None and small.problem.capacities is not None
    few = _feasible_pairs(small.problem, small.problem.capacities)
    mip, _, _ = _build_capacitated(small.problem, small.p, small.problem.capacities, few, None)
    waiting = Monitor(SolveOptions(time_limit=0.3))
    outcome = run_mip(mip, SolveOptions(threads=1), waiting.left(), True, None, True, waiting)
    assert outcome.stop_reason == "time_limit" and outcome.values is None
    assert waiting.elapsed() <= 0.3 + 1.0
    # HiGHS itself went on past the promise: the wait, not HiGHS, kept the limit.
    assert wait_for_highs(timeout=600)
    assert monitor.elapsed() > limit + 1.0
    # Free again, HiGHS solves the next model as usual.
    outcome = run_mip(mip, SolveOptions(threads=1), 60.0, True, None, True, Monitor(SolveOptions()))
    assert outcome.stop_reason is None and outcome.objective == pytest.approx(713.0)
