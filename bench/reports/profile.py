"""Where a framework's time goes on the benchmark database: each indicator of each framework, in
the order the report reads them and in one report block (so a figure shared by several indicators
is charged to the first that reads it), for one site, one authorisation and the network.

Not a test. After ``scale.py --build`` (PostgreSQL at 127.0.0.1:5432):

    .venv/bin/python bench/reports/profile.py [--framework hsa-annual] [--top 8]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.reports.common import setup_django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", action="append")
    parser.add_argument("--top", type=int, default=8)
    args = parser.parse_args()
    setup_django()

    from bench.reports.evaluator import FRAMEWORK_KINDS, _busiest, _period, pick_authorisation
    from halte.reports.frameworks import FRAMEWORKS
    from halte.reports.indicators import REGISTRY, Scope
    from halte.reports.router import reading_replica

    for framework in args.framework or list(FRAMEWORKS):
        start, end = _period(framework)
        site = _busiest(FRAMEWORK_KINDS[framework], start, end)
        auth_ids, _label, _finess = pick_authorisation(site)
        from halte.network.models import Site

        everyone = tuple(Site.objects.values_list("pk", flat=True))
        codes = [c for spec in FRAMEWORKS[framework] for c in spec.codes if c in REGISTRY]
        for name, ids in (("site", (site.pk,)), ("authorisation", auth_ids), ("network", everyone)):
            scope = Scope(ids, start, end, network=name == "network")
            with reading_replica():  # warm-up: caches, plans
                for code in dict.fromkeys(codes):
                    REGISTRY[code].evaluate(scope)
            spent: dict[str, float] = {}
            began = time.perf_counter()
            with reading_replica():
                for code in dict.fromkeys(codes):
                    t = time.perf_counter()
                    REGISTRY[code].evaluate(scope)
                    spent[code] = time.perf_counter() - t
            total = time.perf_counter() - began
            slowest = sorted(spent.items(), key=lambda kv: -kv[1])[: args.top]
            parts = ", ".join(f"{code} {s:.2f}" for code, s in slowest)
            print(f"{framework:12} {name:13} {total:6.2f} s  ({len(ids)} sites)  {parts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
