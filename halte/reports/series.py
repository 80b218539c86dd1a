"""Time series and per-site figures for the dashboards, aggregated by the database."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import ExtractHour

from halte.core.timeutils import PARIS
from halte.network.models import Site
from halte.reports.indicators import REGISTRY, Result, Scope
from halte.reports.indicators.opening import days_open
from halte.reports.indicators.people import visits
from halte.reports.rollups import daily_counts
from halte.reports.router import reading_replica


def daily_visits(scope: Scope) -> list[tuple[dt.date, int]]:
    """Visits on each day of the period, days without any included (as zero)."""
    with reading_replica():
        rows = daily_counts(scope)
    days = [scope.start + dt.timedelta(days=i) for i in range(scope.days)]
    return [(day, rows.get(day, 0)) for day in days]


def monthly_visits(scope: Scope) -> list[tuple[dt.date, int]]:
    with reading_replica():
        found: dict[tuple[int, int], int] = {}
        for day, n in daily_counts(scope).items():
            found[(day.year, day.month)] = found.get((day.year, day.month), 0) + n
    months = []
    cursor = scope.start.replace(day=1)
    while cursor <= scope.end:
        months.append((cursor, found.get((cursor.year, cursor.month), 0)))
        cursor = (cursor + dt.timedelta(days=32)).replace(day=1)
    return months


def arrivals_by_hour(scope: Scope) -> list[float]:
    """Mean arrivals per day open (the rule of every per-day figure:
    ``halte.reports.indicators.opening``) for each hour of the day (Paris time), 0 to 23."""
    with reading_replica():
        days = days_open(scope)
        rows = dict(
            visits(scope)
            .annotate(hour=ExtractHour("arrived_at", tzinfo=PARIS))
            .values("hour")
            .annotate(n=Count("*"))
            .values_list("hour", "n")
        )
    return [rows.get(h, 0) / days if days else 0.0 for h in range(24)]


def per_site(code: str, scope: Scope) -> list[tuple[Site, Result]]:
    """One indicator for each site of the scope, each site on its own."""
    sites = Site.objects.filter(pk__in=scope.site_ids).order_by("name")
    indicator = REGISTRY[code]
    out = []
    with reading_replica():
        for site in sites:
            sub = Scope((site.pk,), scope.start, scope.end, label=site.name)
            out.append((site, indicator.evaluate(sub)))
    return out
