"""Solve a seeded set of generated instances, each in a fresh process, and print a Markdown table.

Usage (from the repository root):
    .venv/bin/python bench/planning/run_generated.py [--time-limit S] [--solver-root DIR] \\
        [--only NAME ...] [--cases N,P,SEED ...]

``--solver-root`` points at another checkout's root (one holding ``halte/planning/solver``),
to measure an older solver on the same instances, e.g. the one before the capacitated
heuristic:
    mkdir -p /tmp/base && git archive 8c1d5f3 halte/__init__.py halte/planning/__init__.py \\
        halte/planning/solver | tar -x -C /tmp/base
    .venv/bin/python bench/planning/run_generated.py --solver-root /tmp/base

Per case: wall-clock seconds of the solve call (instance generation excluded), status,
objective, bound, gap, the best objective reported by ``on_progress`` within 5 s (only
solvers that have the hook), the child process's peak resident memory, and the best plan
and bound known for the case (``reference.json``, long exact runs).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REFERENCE = HERE / "reference.json"  # best plan and bound known per case (reference.py)

# (family, n, p, seed): sizes of pmed35-39 and of SJC3a-4b, plus a pmedcap-sized case.
CASES: list[tuple[str, int, int, int]] = [
    ("p-median", 800, 5, 1),
    ("p-median", 900, 10, 2),
    ("capacitated", 100, 10, 3),
    ("capacitated", 300, 25, 4),
    ("capacitated", 402, 30, 5),
    ("capacitated", 402, 40, 6),
]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {solver_root!r})
sys.path.insert(1, {here!r})
import generate
from halte.planning import solver
family, n, p, seed, limit = {args!r}
inst = (generate.pmedian if family == "p-median" else generate.capacitated)(n, p, seed)
reports = []
fields = solver.SolveOptions.__dataclass_fields__
kwargs = {{"time_limit": limit}}
if "on_progress" in fields:
    kwargs["on_progress"] = reports.append
start = time.perf_counter()
sol = solver.solve(inst.problem, inst.family, p=inst.p, options=solver.SolveOptions(**kwargs))
seconds = time.perf_counter() - start
early = [r.objective for r in reports if r.elapsed <= 5.0 and r.objective is not None]
print(json.dumps({{
    "name": inst.name, "seconds": seconds, "status": sol.status, "objective": sol.objective,
    "bound": sol.bound, "gap": sol.gap, "at_5s": early[-1] if early else None,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}}))
"""


def run(case: tuple[str, int, int, int], limit: float, solver_root: Path) -> dict[str, object]:
    code = CHILD.format(solver_root=str(solver_root), here=str(HERE), args=(*case, limit))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=HERE
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _known(known: dict[str, dict[str, object]], name: str) -> str:
    entry = known.get(name)
    if not entry or entry.get("objective") is None or entry.get("bound") is None:
        return "–"
    return f"{float(entry['objective']):.2f} / {float(entry['bound']):.2f}"  # type: ignore[arg-type]


def _fmt(value: object, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--solver-root", type=Path, default=ROOT)
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument(
        "--cases",
        nargs="+",
        default=None,
        metavar="N,P,SEED",
        help="capacitated cases to run instead of the seeded set (e.g. fresh seeds 100,10,201)",
    )
    args = parser.parse_args()
    cases = CASES
    if args.cases is not None:
        cases = [
            ("capacitated", int(n), int(p), int(seed))
            for n, p, seed in (case.split(",") for case in args.cases)
        ]
    print(f"solver root: {args.solver_root}, time limit {args.time_limit:g} s")
    known = json.loads(REFERENCE.read_text()) if REFERENCE.exists() else {}
    print(
        "| instance | status | objective | bound | gap % | best at 5 s | seconds | peak RSS MB "
        "| reference: plan / bound |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for case in cases:
        name = f"{case[0]}-n{case[1]}-p{case[2]}-s{case[3]}"
        if args.only and name not in args.only:
            continue
        r = run(case, args.time_limit, args.solver_root.resolve())
        gap = None if r["gap"] is None else 100 * float(r["gap"])  # type: ignore[arg-type]
        print(
            f"| {r['name']} | {r['status']} | {_fmt(r['objective'])} | {_fmt(r['bound'])} "
            f"| {_fmt(gap, 3)} | {_fmt(r['at_5s'])} | {_fmt(r['seconds'])} "
            f"| {_fmt(r['peak_mb'], 0)} | {_known(known, str(r['name']))} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
