"""Time the annual HSA report and the network year dashboard against their SQL baselines, in one
process, best of 15 after a warm-up, with tracemalloc peaks; then the four frameworks as an
evaluator gets them (bench/reports/evaluator.py); results to RESULTS."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import Any

from bench.reports import evaluator
from bench.reports.baselines import SQL_HSA, SQL_HSA_ROLLUP, SQL_NETWORK, SQL_NETWORK_ROLLUP
from bench.reports.common import RESULTS, YEAR, scalar, setup_django


def _measure(fn: Callable[[], object], runs: int = 15) -> dict[str, float]:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"best": min(times), "median": sorted(times)[len(times) // 2], "peak_mib": peak / 2**20}


def _measure_paired(
    app: Callable[[], object], base: Callable[[], object], runs: int = 15
) -> tuple[dict[str, float], dict[str, float], float]:
    """The app and its SQL baseline run alternately, so that both meet the same moments of a
    shared machine; returns both measures and the median of the ratios of each pair."""
    app()
    base()  # warm-up
    pairs = []
    for _ in range(runs):
        t = time.perf_counter()
        app()
        a = time.perf_counter() - t
        t = time.perf_counter()
        base()
        pairs.append((a, time.perf_counter() - t))
    ratios = sorted(a / b for a, b in pairs)

    def summary(fn, times: list[float]) -> dict[str, float]:  # type: ignore[no-untyped-def]
        tracemalloc.start()
        fn()
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ordered = sorted(times)
        return {"best": ordered[0], "median": ordered[len(ordered) // 2], "peak_mib": peak / 2**20}

    return (
        summary(app, [a for a, _b in pairs]),
        summary(base, [b for _a, b in pairs]),
        ratios[len(ratios) // 2],
    )


def run_timing() -> dict[str, object]:
    setup_django()
    from django.db import connection

    from halte.network.models import Site
    from halte.reports import dashboards
    from halte.reports.frameworks import FRAMEWORKS, Report, build_report
    from halte.reports.indicators import REGISTRY, Scope
    from halte.reports.series import monthly_visits, per_site

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    with connection.cursor() as cur:
        hsa_id = scalar(
            cur,
            """SELECT b.site_id, count(*) FROM consumption_session s
               JOIN consumption_booth b ON b.id = s.booth_id GROUP BY 1 ORDER BY 2 DESC LIMIT 1""",
        )
        counts = {}
        for table in (
            "network_site",
            "clients_client",
            "visits_visit",
            "consumption_session",
            "consumption_incident",
        ):
            counts[table] = scalar(cur, f"SELECT count(*) FROM {table}")
        counts["hsa_site_visits_2025"] = scalar(
            cur,
            "SELECT count(*) FROM visits_visit WHERE site_id = %s AND arrived_at >= %s "
            "AND arrived_at < %s",
            [hsa_id, Scope((), start, end).t0, Scope((), start, end).t1],
        )
        counts["network_visits_2025"] = scalar(
            cur,
            "SELECT count(*) FROM visits_visit WHERE arrived_at >= %s AND arrived_at < %s",
            [Scope((), start, end).t0, Scope((), start, end).t1],
        )
        counts["sites_with_visits"] = scalar(
            cur, "SELECT count(DISTINCT site_id) FROM reports_dailyvisits"
        )
        pg_version = scalar(cur, "SELECT version()").split(" on ")[0]
    hsa = Site.objects.get(pk=hsa_id)
    site_scope = Scope((hsa.pk,), start, end, label=hsa.name)
    all_ids = tuple(Site.objects.values_list("pk", flat=True))
    net_scope = Scope(all_ids, start, end, network=True, label="Réseau entier")

    from halte.reports.models import RollupState

    watermark = RollupState.objects.get(pk=1).last_visit_id

    def sql(statement: str, scope: Scope) -> Callable[[], dict[str, Any]]:
        params: dict[str, Any] = {
            "sites": list(scope.site_ids),
            "t0": scope.t0,
            "t1": scope.t1,
            "d0": scope.start,
            "d1": scope.end,
            "year": YEAR,
            "mask": 4095,
            "w": watermark,
        }

        def run() -> dict[str, Any]:
            with connection.cursor() as cur:
                cur.execute(statement, params)
                return {k: json.loads(v) for k, v in cur.fetchall()}

        return run

    def report_fn() -> Report:
        return build_report("hsa-annual", site_scope, suppressed=False)

    def board_fn() -> dashboards.Board:
        return dashboards.network_year(net_scope, suppressed=False)

    out: dict[str, object] = {
        "counts": counts,
        "hsa_site": hsa.slug,
        "pg": pg_version,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    out["hsa_report"], out["hsa_sql_rollup"], out["hsa_paired"] = _measure_paired(
        report_fn, sql(SQL_HSA_ROLLUP, site_scope)
    )
    out["hsa_sql"] = _measure(sql(SQL_HSA, site_scope))
    out["network_board"], out["network_sql_rollup"], out["network_paired"] = _measure_paired(
        board_fn, sql(SQL_NETWORK_ROLLUP, net_scope)
    )
    out["network_sql"] = _measure(sql(SQL_NETWORK, net_scope))
    out["watermark"] = watermark

    # Cross-check a few figures between the app and the SQL.
    report = report_fn()
    shown = {line.code: line.value for s in report.sections for line in s.lines}
    raw = sql(SQL_HSA, site_scope)()
    roll = sql(SQL_HSA_ROLLUP, site_scope)()
    net_roll = sql(SQL_NETWORK_ROLLUP, net_scope)()
    out["check_rollup_sql"] = {
        "hsa_visits": roll["v"]["visits"],
        "hsa_people": roll["v"]["people"],
        "hsa_new_people": roll["n"]["n"],
        "network_visits": net_roll["t"]["visits"],
        "network_people": net_roll["t"]["people"],
        "network_new_people": net_roll["n"]["n"],
    }
    out["check_hsa"] = {
        "app_visits": shown.get("visits"),
        "sql_visits": raw["v"]["visits"],
        "app_file_active": shown.get("file_active"),
        "sql_people": raw["v"]["people"],
        "app_new_people": shown.get("new_people"),
        "sql_new_people": raw["n"]["n"],
        "app_sessions": shown.get("sessions"),
        "sql_sessions": sum(r["n"] for r in raw["s"]),
    }
    board = board_fn()
    net_raw = sql(SQL_NETWORK, net_scope)()
    out["check_network"] = {
        "app": {f.code: f.value for f in board.figures},
        "sql_visits": net_raw["t"]["visits"],
        "sql_people": net_raw["t"]["people"],
        "sql_new_people": net_raw["n"]["n"],
        "sql_sessions": net_raw["s"]["n"],
    }

    # Where the time goes: each indicator once (after the warm-up), slowest first.
    def per_indicator(codes: Iterable[str], scope: Scope) -> dict[str, float]:
        res: dict[str, float] = {}
        for code in dict.fromkeys(codes):
            t = time.perf_counter()
            REGISTRY[code].evaluate(scope)
            res[code] = time.perf_counter() - t
        return dict(sorted(res.items(), key=lambda kv: -kv[1]))

    out["hsa_indicators"] = per_indicator(
        [c for spec in FRAMEWORKS["hsa-annual"] for c in spec.codes], site_scope
    )
    parts = per_indicator(dashboards.YEAR_FIGURES, net_scope)
    t = time.perf_counter()
    monthly_visits(net_scope)
    parts["monthly_visits (series)"] = time.perf_counter() - t
    t = time.perf_counter()
    per_site("file_active", net_scope)
    parts[f"per_site file_active ({len(all_ids)} queries)"] = time.perf_counter() - t
    out["network_parts"] = parts
    out["frameworks"] = evaluator.run_frameworks()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=1, default=str))
    print(json.dumps(out, indent=1, default=str))
    return out


def run_frameworks_only() -> dict[str, object]:
    """Time the four frameworks again, keeping the other figures of the last full run."""
    setup_django()
    out: dict[str, object] = json.loads(RESULTS.read_text())
    out["frameworks"] = evaluator.run_frameworks()
    out["frameworks_measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(out, indent=1, default=str))
    return out
