"""Measure the capacitated heuristic alone (no HiGHS) under a time budget, and print a Markdown table.

Usage (from the repository root, one core):
    taskset -c 1 .venv/bin/python bench/planning/run_heuristic.py [--budget 5] [--generated-only] \\
        [--solver-root DIR] [--cases N,P,SEED ...]

``--solver-root`` measures the solver of another checkout (e.g. ``git archive`` of an
older commit into DIR) on the same instances.

Runs ``models._capacitated_heuristic`` (Lagrangian relaxation of the assignment, repair,
local search) with a wall-clock budget on the published capacitated instances (gap to the
published optimum) and on a seeded generated set nobody tuned on (seeds 101-106 and the
three cases of ``reference.json``, seeds 3-5; there the gap is to the heuristic's own
Lagrangian bound, an upper bound of the gap to the optimum, and to the reference values
of ``reference.json`` (the best plan and the best bound known, from long exact runs) when
it has the case).
Every plan is checked: p distinct sites, each demand served by an open site, capacities held.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if "--solver-root" in sys.argv:  # before the solver is imported
    ROOT = Path(sys.argv[sys.argv.index("--solver-root") + 1]).resolve()
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(HERE))

import generate  # noqa: E402

from halte.planning.solver import Problem, SolveOptions, read_instance  # noqa: E402
from halte.planning.solver.models import _capacitated_heuristic  # noqa: E402
from halte.planning.solver.progress import Monitor  # noqa: E402

if TYPE_CHECKING:
    from halte.planning.solver.capacitated import CapacitatedResult

DATA = HERE.parents[1] / "tests" / "planning" / "solver" / "data"

PUBLISHED: list[tuple[str, str, float]] = [
    *[
        (f"pmedcap0{k}.txt", "orlib-pmedcap", opt)
        for k, opt in enumerate([713, 740, 751, 651, 664], start=1)
    ],
    ("SJC1.dat", "sjc", 17288.99),
    ("SJC2.dat", "sjc", 33270.94),
]

# (n, p, seed): sizes of pmedcap, SJC1-2 and SJC3a-4b; seeds never used while tuning.
GENERATED: list[tuple[int, int, int]] = [
    (100, 10, 3),
    (300, 25, 4),
    (402, 30, 5),
    (100, 10, 101),
    (200, 15, 102),
    (300, 25, 103),
    (300, 30, 104),
    (402, 30, 105),
    (402, 40, 106),
]


def cases(
    published: list[tuple[str, str, float]], generated: list[tuple[int, int, int]]
) -> list[tuple[str, Problem, int, float | None]]:
    """(name, problem, p, published optimum or None) of the published files and generated sizes."""
    found: list[tuple[str, Problem, int, float | None]] = []
    for file, fmt, optimum in published:
        inst = read_instance(DATA / file, fmt)
        assert inst.p is not None
        found.append((Path(file).stem, inst.problem, inst.p, optimum))
    for n, p, seed in generated:
        g = generate.capacitated(n, p, seed)
        found.append((g.name, g.problem, p, None))
    return found


def heuristic(problem: Problem, p: int, budget: float) -> tuple[CapacitatedResult, float]:
    """The solver's capacitated heuristic alone, one HiGHS thread: (its result, seconds)."""
    monitor = Monitor(SolveOptions(time_limit=budget))
    assert problem.capacities is not None
    start = time.perf_counter()
    found = _capacitated_heuristic(
        problem, p, problem.capacities, monitor, budget, SolveOptions(threads=1)
    )
    return found, time.perf_counter() - start


def run(problem: Problem, p: int, budget: float) -> dict[str, float | None]:
    found, seconds = heuristic(problem, p, budget)
    value = None
    if found.sites is not None and found.assignment is not None:
        value = generate.check_plan(problem, p, found.sites, found.assignment)
    return {"value": value, "bound": found.bound, "seconds": seconds}


def _pct(a: float | None, b: float | None) -> str:
    if a is None or b is None:
        return "–"
    return f"{100 * (a - b) / b:.2f}"


def _reference(path: Path | None) -> dict[str, tuple[float, float]]:
    """Per case name: (best plan value known, best bound known), from ``reference.py``'s file."""
    if path is None or not path.exists():
        return {}
    known = json.loads(path.read_text())
    return {
        name: (float(entry["objective"]), float(entry["bound"]))
        for name, entry in known.items()
        if entry.get("objective") is not None and entry.get("bound") is not None
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--budget", type=float, default=5.0)
    parser.add_argument("--generated-only", action="store_true")
    parser.add_argument("--published-only", action="store_true")
    parser.add_argument("--reference", type=Path, default=HERE / "reference.json")
    parser.add_argument("--solver-root", type=Path, default=None, help="read before the import")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument(
        "--cases",
        nargs="+",
        default=None,
        metavar="N,P,SEED",
        help="generated cases to run instead of the seeded set (e.g. fresh seeds 301,...)",
    )
    args = parser.parse_args()
    reference = _reference(args.reference)
    rows: dict[str, dict[str, float | None]] = {}
    print(f"solver root: {ROOT}, budget {args.budget:g} s")
    print(
        "| instance | n | p | reference: plan / bound | plan | % above reference plan "
        "| % above reference bound | own bound | % above own bound | s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    chosen = GENERATED
    if args.cases is not None:
        chosen = [
            (int(n), int(p), int(seed)) for n, p, seed in (case.split(",") for case in args.cases)
        ]
    for name, problem, p, optimum in cases(
        [] if args.generated_only else PUBLISHED, [] if args.published_only else chosen
    ):
        ref = (optimum, optimum) if optimum is not None else reference.get(name)
        r = run(problem, p, args.budget)
        rows[name] = r
        ref_text = "–" if ref is None else f"{ref[0]:.2f} / {ref[1]:.2f}"
        print(
            f"| {name} | {problem.n_demand} | {p} | {ref_text} | {r['value']:.2f} "
            f"| {_pct(r['value'], None if ref is None else ref[0])} "
            f"| {_pct(r['value'], None if ref is None else ref[1])} | {r['bound']:.2f} "
            f"| {_pct(r['value'], r['bound'])} | {r['seconds']:.2f} |",
            flush=True,
        )
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
