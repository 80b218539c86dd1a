"""Time the four report frameworks as an evaluator gets them: masked, for one site, one
authorisation and the network, with the XLSX file produced (issue 22: each under a second on the
10-million-visit database); and the RECAP extract of one CSAPA when the code has one.

Each measure is the whole path of an evaluator's request: the scope checked for that user
(``report_scope``), the report built masked (``build_report(..., suppressed=True)``) and rendered
to XLSX (``exports.to_xlsx``). An authorisation's scope is its sites
(``halte.network.models.Authorisation``, read through
``report_scope(..., authorisation=FINESS)``)."""

from __future__ import annotations

import datetime as dt
import functools
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench.reports.common import YEAR

FRAMEWORK_KINDS: dict[str, tuple[str, ...]] = {
    # The kinds of site each framework is written for, most fitting first.
    "asa-caarud": ("caarud", "caarud_antenna", "mobile_unit"),
    "hsa-annual": ("hsa",),
    "plan-crack": ("accommodation", "rest_space", "night_shelter", "day_night_reception"),
    "monthly-scs": ("hsa",),
}
MONTH = 12  # the monthly report: December of YEAR


def _period(framework: str) -> tuple[dt.date, dt.date]:
    if framework == "monthly-scs":
        return dt.date(YEAR, MONTH, 1), dt.date(YEAR, MONTH, 31)
    return dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)


def measure(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    """Best and median of ``runs`` after a warm-up, then the tracemalloc peak of one more run."""
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    fn()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ordered = sorted(times)
    return {"best": ordered[0], "median": ordered[len(ordered) // 2], "peak_mib": peak / 2**20}


def _busiest(kinds: tuple[str, ...], start: dt.date, end: dt.date) -> Any:
    """The operational site of the first of ``kinds`` that has any, with the most visits."""
    from django.db.models import Count, Q

    from halte.network.models import Site
    from halte.reports.indicators import Scope

    span = Scope((), start, end)
    for kind in kinds:
        site = (
            Site.objects.filter(kind=kind, status="operational")
            .annotate(
                n=Count(
                    "visits",
                    filter=Q(visits__arrived_at__gte=span.t0, visits__arrived_at__lt=span.t1),
                )
            )
            .order_by("-n", "pk")
            .first()
        )
        if site is not None:
            return site
    return None


def pick_authorisation(site: Any) -> tuple[tuple[int, ...], str, str]:
    """The authorisation holding ``site`` with most places (else the one with most places): its
    sites, a label and its FINESS number."""
    from django.db.models import Count

    from halte.network.models import Authorisation

    ranked = Authorisation.objects.annotate(n=Count("sites")).filter(n__gt=0).order_by("-n", "pk")
    auth = ranked.filter(sites=site).first() or ranked.first()
    if auth is None:
        raise LookupError("the benchmark database has no authorisation: run scale.py --authorise")
    ids = tuple(sorted(auth.sites.values_list("pk", flat=True)))
    return ids, f"{auth.label} (FINESS {auth.finess})", auth.finess


def run_frameworks(runs: int = 9) -> dict[str, Any]:
    """Every framework for one site, one authorisation and the network, as the evaluator."""
    from halte.accounts.models import User
    from halte.reports import exports
    from halte.reports.frameworks import FRAMEWORKS, build_report
    from halte.reports.indicators import REGISTRY
    from halte.reports.permissions import must_suppress
    from halte.reports.router import reading_replica
    from halte.reports.selectors import report_scope

    evaluator = User.objects.get(username="evaluator")
    masked = must_suppress(evaluator)
    assert masked, "the demo's evaluator must get masked reports"
    out: dict[str, Any] = {"runs": runs, "reports": {}, "indicators": {}, "scopes": {}}
    for framework, kinds in FRAMEWORK_KINDS.items():
        start, end = _period(framework)
        site = _busiest(kinds, start, end)
        ids, auth_label, finess = pick_authorisation(site)
        scopes: dict[str, Callable[[], Any]] = {
            "site": functools.partial(
                report_scope,
                evaluator,
                site_id=str(site.public_id),
                network=False,
                start=start,
                end=end,
                masked=True,
            ),
            "authorisation": functools.partial(
                report_scope,
                evaluator,
                site_id=None,
                network=False,
                authorisation=finess,
                start=start,
                end=end,
                masked=True,
            ),
            "network": functools.partial(
                report_scope,
                evaluator,
                site_id=None,
                network=True,
                start=start,
                end=end,
                masked=True,
            ),
        }
        out["scopes"][framework] = {
            "period": f"{start}..{end}",
            "site": site.slug,
            "site_kind": site.kind,
            "authorisation": {"label": auth_label, "sites": len(ids)},
        }
        for key, make_scope in scopes.items():

            def request(f: str = framework, mk: Callable[[], Any] = make_scope) -> bytes:
                report = build_report(f, mk(), suppressed=masked)
                return exports.to_xlsx(report)

            size = len(request())
            res = measure(request, runs)
            scope = make_scope()
            # The parts of one request: the report alone, the file alone.
            report = build_report(framework, scope, suppressed=masked)
            t = time.perf_counter()
            exports.to_xlsx(report)
            res["xlsx_s"] = time.perf_counter() - t
            res["xlsx_bytes"] = size
            res["sites"] = len(scope.site_ids)
            res["lines"] = sum(len(s.lines) for s in report.sections)
            out["reports"][f"{framework}|{key}"] = res
            print(f"{framework} {key}: {res['median']:.3f} s median", flush=True)
            # Where the time goes: each indicator in a report block of its own (the shared reads
            # of a report are then read again: the sum exceeds the report), slowest first.
            parts = {}
            for code in dict.fromkeys(c for spec in FRAMEWORKS[framework] for c in spec.codes):
                t = time.perf_counter()
                with reading_replica():
                    REGISTRY[code].evaluate(scope)
                parts[code] = time.perf_counter() - t
            out["indicators"][f"{framework}|{key}"] = dict(
                sorted(parts.items(), key=lambda kv: -kv[1])
            )
    out["recap"] = run_recap(evaluator, runs)
    return out


def run_recap(evaluator: Any, runs: int) -> dict[str, Any]:
    """RECAP for 2025 of the busiest CSAPA: the per-person file (XLSX) as the coordination
    exports it (``recap_export``; each export is audited), and the masked counts an evaluator
    sees (``recap_summary``). Skipped, with why, when the data has no CSAPA."""
    from halte.accounts.models import User
    from halte.reports import recap

    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    site = _busiest(("csapa",), start, end)
    if site is None:
        return {"skipped": "no CSAPA in the generated data"}
    coordinator = User.objects.get(username="coordinator")

    def export() -> bytes:
        scope = recap.site_scope(site, YEAR)
        return bytes(recap.recap_export(actor=coordinator, scope=scope, fmt="xlsx"))

    def summary() -> dict[str, Any]:
        return dict(recap.recap_summary(user=evaluator, scope=recap.site_scope(site, YEAR)))

    size = len(export())
    records = len(recap.build_records(recap.site_scope(site, YEAR)))
    out: dict[str, Any] = {"site": site.slug, "bytes": size, "records": records}
    out["file"] = measure(export, runs)
    out["summary"] = measure(summary, runs)
    return out
