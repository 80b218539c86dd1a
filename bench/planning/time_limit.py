"""Time limit against HiGHS: how late ``run_mip`` answers on models HiGHS presolves past it.

Usage (from the repository root, one core):
    taskset -c 1 .venv/bin/python bench/planning/time_limit.py [--limits 2 5] \\
        [--solver-root DIR]

Builds the full compact capacitated model of three generated cases (90,000 to 161,604
assignment pairs), runs HiGHS on it with presolve on under each limit, and prints when the
call answered and when HiGHS itself ended (the same, for a solver that waits for HiGHS).
The solver keeps such models from HiGHS under a time limit; this measures the last guard.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if "--solver-root" in sys.argv:  # before the solver is imported
    ROOT = Path(sys.argv[sys.argv.index("--solver-root") + 1]).resolve()
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

import generate  # noqa: E402

from halte.planning.solver import SolveOptions, highs_backend  # noqa: E402
from halte.planning.solver.models import _build_capacitated, _feasible_pairs  # noqa: E402
from halte.planning.solver.progress import Monitor  # noqa: E402

CASES = [(300, 25, 2), (402, 40, 1), (402, 30, 5)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limits", nargs="*", type=float, default=[2.0, 5.0])
    parser.add_argument("--solver-root", type=Path, default=None, help="read before the import")
    args = parser.parse_args()
    wait = getattr(highs_backend, "wait_for_highs", None)
    print(f"solver root: {ROOT}")
    print("| instance | pairs | limit s | answered s | HiGHS ended s | HiGHS status |")
    print("|---|---|---|---|---|---|")
    for n, p, seed in CASES:
        case = generate.capacitated(n, p, seed)
        problem = case.problem
        assert problem.capacities is not None
        pairs = _feasible_pairs(problem, problem.capacities)
        mip, pair_i, _ = _build_capacitated(problem, p, problem.capacities, pairs, None)
        for limit in args.limits:
            monitor = Monitor(SolveOptions(time_limit=limit))
            start = time.perf_counter()
            outcome = highs_backend.run_mip(
                mip, SolveOptions(threads=1), monitor.left(), False, None, True, monitor
            )
            answered = time.perf_counter() - start
            if wait is not None:
                wait()
            ended = time.perf_counter() - start
            print(
                f"| {case.name} | {len(pair_i):,} | {limit:g} | {answered:.2f} | {ended:.2f} "
                f"| {outcome.highs_status} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
