"""What a planner watching a long capacitated solve sees: the best plan reported after 1, 2, 5,
10, 20 and 30 s, and the answer, as a Markdown table.

Usage (from the repository root, one core):
    taskset -c 1 .venv/bin/python bench/planning/early_plan.py [--time-limit 60] \\
        [--solver-root DIR] [--only NAME ...]

``--solver-root`` measures the solver of another checkout (``git archive`` of an older commit
into DIR) on the same instances. The cases are ``run_heuristic.py``'s: the published
capacitated sets (pmedcap01-05, SJC1-2) and its seeded generated set. Each solve runs in this
process with the product's options (the time limit, a progress hook); the plans reported are
read from the hook, the answer is checked feasible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import run_heuristic  # first: it puts --solver-root's checkout on the path

# isort: split
import generate
import numpy as np

from halte.planning.solver import Progress, SolveOptions, solve

MARKS = (1.0, 2.0, 5.0, 10.0, 20.0, 30.0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--solver-root", type=Path, default=None, help="read before the import")
    parser.add_argument("--only", nargs="*", default=None, help="case names to run")
    args = parser.parse_args()
    marks = [m for m in MARKS if m < args.time_limit]
    print(f"solver root: {run_heuristic.ROOT}, time limit {args.time_limit:g} s")
    heads = " | ".join(f"at {m:g} s" for m in marks)
    print(f"| instance | {heads} | answer | status | s |")
    print("|---|" + "---|" * (len(marks) + 3))
    every = run_heuristic.cases(run_heuristic.PUBLISHED, run_heuristic.GENERATED)
    for name, problem, p, _optimum in every:
        if args.only is not None and name not in args.only:
            continue
        reports: list[Progress] = []
        options = SolveOptions(time_limit=args.time_limit, on_progress=reports.append)
        sol = solve(problem, "capacitated-p-median", p=p, options=options)
        assert sol.objective is not None
        value = generate.check_plan(problem, p, sol.sites, np.asarray(sol.assignment))
        seen = []
        for mark in marks:
            shown = [r.objective for r in reports if r.elapsed <= mark and r.objective is not None]
            seen.append("–" if not shown else f"{shown[-1]:.2f}")
        print(
            f"| {name} | {' | '.join(seen)} | {value:.2f} | {sol.status} | {sol.seconds:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
