"""Command line: ``python -m halte.planning.solver solve FILE --format FMT [...] [--json]``.

Bad input (missing or malformed file, p out of range, a model the data cannot
support) prints ``error: ...`` on stderr and exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from halte.planning.solver.api import solve
from halte.planning.solver.problem import MODEL_NAMES, ModelName, Solution, SolveOptions
from halte.planning.solver.readers import (
    DEFAULT_MODEL,
    FORMATS,
    Instance,
    InstanceFormatError,
    read_instance,
)

EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m halte.planning.solver")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("solve", help="solve one benchmark file")
    run.add_argument("file")
    run.add_argument("--format", required=True, choices=FORMATS)
    run.add_argument("--model", choices=MODEL_NAMES, help="default depends on the format")
    run.add_argument("--p", type=int, help="number of sites (default: the file's p)")
    run.add_argument("--radius", type=float, help="coverage radius (mclp, lscp)")
    run.add_argument("--time-limit", type=float, help="seconds for the whole solve")
    run.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


@contextlib.contextmanager
def _stdout_to_devnull() -> Iterator[None]:
    """HiGHS prints a banner on C-level stdout once per process; keep it out of the JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    with open(os.devnull, "w") as sink:
        os.dup2(sink.fileno(), 1)
        try:
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)


def _run(args: argparse.Namespace) -> tuple[Instance, ModelName, int | None, Solution]:
    if args.time_limit is not None and not args.time_limit > 0:
        raise ValueError("--time-limit must be positive")
    instance = read_instance(args.file, args.format)
    model: ModelName = args.model or DEFAULT_MODEL[args.format]
    p = args.p if args.p is not None else instance.p
    if p is None and model != "lscp":
        raise ValueError(f"this format has no p; give --p for model {model}")
    options = SolveOptions(time_limit=args.time_limit)
    with _stdout_to_devnull():
        solution = solve(instance.problem, model, p=p, radius=args.radius, options=options)
    return instance, model, p, solution


def _report(
    args: argparse.Namespace, instance: Instance, model: str, p: int | None, sol: Solution
) -> dict[str, Any]:
    ids = instance.ids
    return {
        "instance": instance.name,
        "format": instance.format,
        "model": model,
        "p": p if model != "lscp" else None,
        "radius": args.radius,
        "status": sol.status,
        "proven_optimal": sol.proven_optimal,
        "objective": sol.objective,
        "bound": sol.bound,
        "gap": sol.gap,
        "sites": [ids[j] for j in sol.sites],
        "assignment": [ids[j] if j >= 0 else None for j in sol.assignment],
        "seconds": round(sol.seconds, 3),
        "best_known": instance.best_known,
        "message": sol.message,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    try:
        instance, model, p, solution = _run(args)
    except FileNotFoundError:
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (InstanceFormatError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    report = _report(args, instance, model, p, solution)
    if args.json:
        print(json.dumps(report))
    else:
        for key in (
            "instance",
            "model",
            "p",
            "status",
            "objective",
            "bound",
            "gap",
            "seconds",
            "sites",
        ):
            print(f"{key}: {report[key]}")
    return 0
