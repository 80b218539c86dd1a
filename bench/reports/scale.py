"""Reports at scale (issues 5 and 22): a 30-site network with millions of visits on PostgreSQL; the
time of the annual HSA report for one site and of the network year dashboard against hand-written
SQL, and of the four report frameworks as an evaluator gets them.

Not a test. From the repository root, PostgreSQL answering at 127.0.0.1:5432 (trust auth):

    .venv/bin/python bench/reports/scale.py --build [--visits 10000000]   # database halte_scale
    .venv/bin/python bench/reports/scale.py --time                          # writes docs/performance.md
    .venv/bin/python bench/reports/scale.py --frameworks                    # the frameworks again
    .venv/bin/python bench/reports/scale.py --drop

``--build`` creates the database ``halte_scale`` (dropping an older one), migrates it, loads the demo
network, clones its operational sites through ``halte.network.services.site_create`` up to 30 sites
(weekly hours copied), then loads five calendar years (2021-2025) of synthetic activity with
``COPY``: 60,000 people (each first comes on an entry date, so every year has newcomers), visits
within each site's opening hours (all closed; inserted in time order across sites, as a live
network writes them), sessions at the sites with booths (booths simulated one after the other, so
no booth holds two sessions at once, and one session per visit at most) and incidents on a sample
of sessions; then care and social acts, material given and brought back, stays and bed nights in
every bed, and outreach rounds with their contacts (``extras``). During the load, the plain
indexes of the big tables are dropped and rebuilt afterwards, and foreign-key triggers are off
(``session_replication_role = replica``): the rows are generated consistent, and the check
constraints and unique constraints stay on. ``ANALYZE`` at the end.

``--time`` runs, in one process, best of 15 after a warm-up: the ``hsa-annual`` report for the
largest HSA for 2025 (``build_report``) against one hand-written SQL statement computing the same
activity figures, and the network year dashboard (``dashboards.network_year``) for 2025 against
hand-written SQL; with tracemalloc peaks of the Python side and the time of each indicator. Then
each framework (``asa-caarud``, ``hsa-annual``, ``plan-crack`` for 2025, ``monthly-scs`` for a
month) for one site, one authorisation and the network, masked and rendered to XLSX as the demo's
evaluator gets them (``evaluator``), median of 9 after a warm-up.

The work is split by what it does: ``generate`` and ``extras`` (the database), ``rollups``,
``timing``, ``evaluator``, ``baselines`` (the hand-written SQL) and ``document`` (the block of
docs/performance.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.reports import document, generate, rollups, timing
from bench.reports.common import DB, admin, setup_django


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--visits", type=int, default=10_000_000)
    parser.add_argument(
        "--rollups", action="store_true", help="(re)build the roll-ups of an existing halte_scale"
    )
    parser.add_argument(
        "--authorise",
        action="store_true",
        help="give an existing halte_scale its authorisations (done by --build)",
    )
    parser.add_argument("--time", action="store_true")
    parser.add_argument(
        "--frameworks",
        action="store_true",
        help="time the four frameworks only (keeps the other figures of the last --time)",
    )
    parser.add_argument("--write", action="store_true", help="rewrite the doc block from results")
    parser.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    if args.build:
        generate.build(args.visits)
    elif args.rollups:
        rollups.build_rollups()
    if args.authorise:
        setup_django()
        print(generate.authorise())
    if args.time:
        timing.run_timing()
        document.write_doc()
    elif args.frameworks:
        timing.run_frameworks_only()
        document.write_doc()
    elif args.write:
        document.write_doc()
    if args.drop:
        admin(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
