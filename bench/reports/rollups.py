"""Roll up the benchmark database: the reports' roll-ups built from every visit, timed."""

from __future__ import annotations

import json
import time

from bench.reports.common import ROLLUP_RESULTS, manage, scalar, setup_django


def build_rollups() -> dict[str, object]:
    """Migrate (an older halte_scale gets the newer tables), then build the reports' roll-ups from
    every visit (``refresh_rollups --full``), timed, and ANALYZE them."""
    from django.db import connection

    manage("migrate", "-v0")
    setup_django()
    from halte.reports.rollups import refresh

    t0 = time.perf_counter()
    done = refresh(full=True)
    elapsed = time.perf_counter() - t0
    rows = {}
    with connection.cursor() as cur:
        for table in (
            "reports_dailyvisits",
            "reports_yearpresence",
            "reports_firstvisit",
            "reports_dailymaterial",
            "reports_syringepresence",
        ):
            cur.execute(f"VACUUM ANALYZE {table}")
            rows[table] = scalar(cur, f"SELECT count(*) FROM {table}")
    info = {
        "rollups_s": elapsed,
        "rollup_visits": done.visits,
        "rollup_distributions": done.distributions,
        "rollup_rows": rows,
    }
    ROLLUP_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    ROLLUP_RESULTS.write_text(json.dumps(info, indent=1))
    print(json.dumps(info, indent=1))
    return info
