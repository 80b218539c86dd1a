"""Time the Halte solver on the public benchmark copies and print a Markdown table.

Usage (from the repository root):
    .venv/bin/python bench/planning/run_benchmarks.py [--time-limit S] [--only NAME ...] \\
        [--solver-root DIR]

``--solver-root`` measures the solver of another checkout (e.g. ``git archive`` of an
older commit into DIR) on the same files.

Each instance is solved once, in this process, one after the other; seconds are the
solver's own wall-clock (reading the file and all-pairs shortest paths excluded).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOLVER_ROOT = ROOT
if "--solver-root" in sys.argv:  # before the solver is imported
    SOLVER_ROOT = Path(sys.argv[sys.argv.index("--solver-root") + 1]).resolve()
sys.path.insert(0, str(SOLVER_ROOT))

from halte.planning.solver import SolveOptions, read_instance, solve  # noqa: E402
from halte.planning.solver.problem import ModelName  # noqa: E402

DATA = ROOT / "tests" / "planning" / "solver" / "data"

# (file, format, model, p, radius, published optimum)
CASES: list[tuple[str, str, ModelName, int | None, float | None, float]] = [
    *[
        (f"pmed{k}.txt", "orlib-pmed", "p-median", None, None, opt)
        for k, opt in enumerate(
            [5819, 4093, 4250, 3034, 1355, 7824, 5631, 4445, 2734, 1255], start=1
        )
    ],
    *[
        (f"pmedcap0{k}.txt", "orlib-pmedcap", "capacitated-p-median", None, None, opt)
        for k, opt in enumerate([713, 740, 751, 651, 664], start=1)
    ],
    ("SJC1.dat", "sjc", "capacitated-p-median", None, None, 17288.99),
    ("SJC2.dat", "sjc", "capacitated-p-median", None, None, 33270.94),
    ("SJC324.txt", "sjc-mclp", "mclp", 2, 800.0, 8790),
    ("SJC324.txt", "sjc-mclp", "mclp", 4, 800.0, 12106),
    ("SJC402.txt", "sjc-mclp", "mclp", 3, 800.0, 14690),
    ("SJC402.txt", "sjc-mclp", "mclp", 5, 800.0, 15970),
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="file stems to run")
    parser.add_argument("--solver-root", type=Path, default=None, help="read before the import")
    args = parser.parse_args()
    print(f"solver root: {SOLVER_ROOT}")
    print("| instance | model | p | optimum | objective | status | seconds |")
    print("|---|---|---|---|---|---|---|")
    for file, fmt, model, p, radius, optimum in CASES:
        if args.only and Path(file).stem not in args.only:
            continue
        instance = read_instance(DATA / file, fmt)
        n_sites = p if p is not None else instance.p
        start = time.perf_counter()
        sol = solve(
            instance.problem,
            model,
            p=n_sites,
            radius=radius,
            options=SolveOptions(time_limit=args.time_limit),
        )
        seconds = time.perf_counter() - start
        objective = "-" if sol.objective is None else f"{sol.objective:.2f}".rstrip("0").rstrip(".")
        label = instance.name + (f" S={radius:g}" if radius else "")
        print(
            f"| {label} | {model} | {n_sites} | {optimum} | {objective} | {sol.status} | {seconds:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
