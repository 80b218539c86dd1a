"""The capacitated plan with demands allowed to split between sites: a bound, and what single sourcing costs.

The solver's capacitated p-median serves each demand point from one site (single
source). Letting a demand split between sites is a relaxation whose sites are still
whole (integer) and whose assignment is a transportation problem: its optimum is a
lower bound of the single-source optimum, stronger than the linear relaxation, and its
distance to the best single-source plan known says how much of a case's gap is the
choice of sites and how much the single sourcing. The model is the solver's own
(``models._build_capacitated``, with the nested regions' counts) with the assignment
columns made continuous.

Usage (from the repository root):
    .venv/bin/python bench/planning/split_bound.py [--time-limit S] FILE[:FORMAT] ...

FORMAT defaults to ``sjc`` (the generated cases, ``generate.py``); the published ones are
``orlib-pmedcap`` or ``sjc``. Per file: the split plan's value and bound, HiGHS's status,
seconds, and the single-source value of the split plan's sites (HiGHS, same limit).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from halte.planning.solver import SolveOptions, read_instance, regions  # noqa: E402
from halte.planning.solver.highs_backend import Mip, MipOutcome, run_mip  # noqa: E402
from halte.planning.solver.models import _build_capacitated, _feasible_pairs  # noqa: E402
from halte.planning.solver.progress import Monitor  # noqa: E402


def _run(mip: Mip, limit: float, presolve: bool) -> MipOutcome:
    options = SolveOptions(time_limit=limit)
    return run_mip(mip, options, limit, False, None, presolve, Monitor(options))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    print("| case | split: value | split: bound | status | seconds | single source on its sites |")
    print("|---|---|---|---|---|---|")
    for spec in args.files:
        path, _, fmt = spec.partition(":")
        inst = read_instance(path, fmt or "sjc")
        problem, p = inst.problem, inst.p
        assert problem.capacities is not None and p is not None
        pairs = _feasible_pairs(problem, problem.capacities)
        nested = regions.nested_regions(regions.candidate_distances(problem.costs))
        mip, pair_i, _ = _build_capacitated(problem, p, problem.capacities, pairs, None, nested)
        m = problem.n_candidates
        split = mip.integer.copy()
        split[m : m + len(pair_i)] = False
        small = len(pair_i) <= 12_000  # the solver's own presolve rule
        start = time.perf_counter()
        out = _run(dataclasses.replace(mip, integer=split), args.time_limit, small)
        seconds = time.perf_counter() - start
        single = "-"
        if out.values is not None:
            open_sites = (out.values[:m] > 0.5).astype(float)
            fixed = dataclasses.replace(
                mip,
                col_lower=np.concatenate([open_sites, mip.col_lower[m:]]),
                col_upper=np.concatenate([open_sites, mip.col_upper[m:]]),
            )
            again = _run(fixed, args.time_limit, small)
            if again.objective is not None:
                single = f"{again.objective:,.2f} ({again.highs_status})"
        value = "-" if out.objective is None else f"{out.objective:,.2f}"
        bound = "-" if out.bound is None else f"{out.bound:,.2f}"
        print(
            f"| {Path(path).name} | {value} | {bound} | {out.highs_status} | {seconds:.1f} "
            f"| {single} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
