"""What a period held: the hours and days each site was open, and the booths and beds in service
each day. Rates divide by these (booth and bed occupancy, every per-day figure), so that a site
closed on Sundays, a booth added mid-month or a bed withdrawn are counted for the days they were.

**Days open** (the one rule of every per-day figure): a day counts when at least one site of the
scope opened that day, per its dated weekly hours and its exceptions (a span that starts that day;
a night opening from 22:00 to 06:00 counts for the evening it starts), on a day its dated status
history says it was operational: not before it opened, nor while it was suspended, nor once it
closed. The same days bound its booths and beds in service: a site registered as a project
with its future capacities, or one suspended or closed, offers no booth hour and no bed-night.
For several sites it is the days *at least one* was open, not the sum of each site's days: the
network's visits per day are the visits of an average day of the network, as a single site's
are. A site with no hours recorded
is never open: its per-day figures are not given.

Loops here run over the days of the period and over a few rows per site (its booths' or beds'
service periods, grouped by date), never over activity rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet

from halte.consumption.models import BoothServicePeriod
from halte.core.timeutils import PARIS
from halte.lodging.models import BedServicePeriod
from halte.network.enums import SiteStatus
from halte.network.hours import Span, intervals_on, spans_on
from halte.network.models import Site, StatusChange
from halte.network.selectors import site_exceptions, site_spans
from halte.reports.indicators.base import Number, Result, Scope, ratio
from halte.reports.indicators.means import sites_with_hours
from halte.reports.router import read_once

ONE_DAY = dt.timedelta(days=1)
# Service periods grouped: (site, start, end excluded or None, how many).
Rows = Iterable[tuple[int, dt.date, dt.date | None, int]]


@read_once
def operating(scope: Scope) -> dict[int, list[bool]]:
    """For each site of the scope, whether it was operational on each day of the period (a list
    by day, from ``scope.start``), per its dated status history: a step takes effect on its day,
    and before its first step the site did not exist. A site with no history at all (created
    outside the registry's services) is taken to have had its current status all along."""
    steps: dict[int, list[tuple[dt.date, str]]] = {}
    for site_id, day, status in (
        StatusChange.objects.filter(site_id__in=scope.site_ids, effective_on__lte=scope.end)
        .order_by("site_id", "effective_on", "pk")
        .values_list("site_id", "effective_on", "to_status")
    ):
        steps.setdefault(site_id, []).append((day, status))
    without = set(scope.site_ids) - set(steps)
    if without:
        # The dated history is empty up to the period's end: a site registered later did not
        # exist yet; one with no history at all keeps its status throughout.
        dated = set(
            StatusChange.objects.filter(site_id__in=without).values_list("site_id", flat=True)
        )
        for site_id, status in Site.objects.filter(pk__in=without - dated).values_list(
            "pk", "status"
        ):
            steps[site_id] = [(dt.date.min, status)]
    result: dict[int, list[bool]] = {}
    for site_id in scope.site_ids:
        flags, status, pending = [], "", iter(steps.get(site_id, []))
        step = next(pending, None)
        day = scope.start
        for _offset in range(scope.days):
            while step is not None and step[0] <= day:
                status, step = step[1], next(pending, None)
            flags.append(status == SiteStatus.OPERATIONAL)
            day += ONE_DAY
        result[site_id] = flags
    return result


@read_once
def opening_days(scope: Scope) -> dict[int, dict[dt.date, float]]:
    """For each site of the scope, the days of the period it opened and its hours open on each
    (a span crossing midnight counts for the day it starts); only days it was operational."""
    live = operating(scope)
    result: dict[int, dict[dt.date, float]] = {}
    for site in sites_with_hours(scope):
        operational = live[site.pk]
        by_weekday: dict[int, list[Span]] = {}
        for span in site_spans(site):
            by_weekday.setdefault(span.weekday, []).append(span)
        exceptions = {e.date: e for e in site_exceptions(site)}
        # Days with the same spans and no clock change within two days last the same: computed
        # once (a year is a few distinct days, not 365 conversions to UTC).
        same: dict[tuple[tuple[dt.time, dt.time, bool], ...], float] = {}
        days: dict[dt.date, float] = {}
        day = scope.start
        for offset in range(scope.days):
            spans = by_weekday.get(day.weekday(), [])
            key = tuple(spans_on(day, spans, exceptions)) if operational[offset] else ()
            if key:
                steady = _utc_offset(day) == _utc_offset(day + 2 * ONE_DAY)
                hours = same.get(key) if steady else None
                if hours is None:
                    hours = sum(
                        (i.end - i.start).total_seconds() / 3600
                        for i in intervals_on(day, spans, exceptions)
                    )
                    if steady:
                        same[key] = hours
                days[day] = hours
            day += ONE_DAY
        result[site.pk] = days
    return result


def _utc_offset(day: dt.date) -> dt.timedelta | None:
    """Paris's offset from UTC at the start of ``day`` (local midnight)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=PARIS).utcoffset()


def open_hours(scope: Scope) -> dict[int, float]:
    """Hours each site of the scope was open in the period."""
    return {site: sum(days.values()) for site, days in opening_days(scope).items()}


def days_open(scope: Scope) -> int:
    """Days of the period at least one site of the scope opened (see the module's rule)."""
    days: set[dt.date] = set()
    for site_days in opening_days(scope).values():
        days.update(site_days)
    return len(days)


def per_open_day(count: Number, scope: Scope) -> Result:
    """Every per-day figure: ``count`` divided by the scope's days open."""
    return Result(value=ratio(count, days_open(scope)))


def _in_service(rows: Rows, scope: Scope) -> dict[int, list[int]]:
    """From (site, start, end excluded or None, how many) service periods, how many were in
    service at each site on each day of the period (a list by day, from ``scope.start``); none
    on a day the site was not operational (``operating``)."""
    live = operating(scope)
    n_days = scope.days
    after = scope.end + ONE_DAY
    changes: dict[int, list[int]] = {}
    for site, start, end, n in rows:
        first, last = max(start, scope.start), min(end or after, after)
        if first >= last:
            continue
        step = changes.setdefault(site, [0] * (n_days + 1))
        step[(first - scope.start).days] += n
        step[(last - scope.start).days] -= n
    counts: dict[int, list[int]] = {}
    for site, step in changes.items():
        running, per_day = 0, []
        for delta, operational in zip(step[:n_days], live[site], strict=True):
            running += delta
            per_day.append(running if operational else 0)
        counts[site] = per_day
    return counts


def _grouped(periods: QuerySet[Any], owner: str, scope: Scope) -> Rows:
    """The service periods that meet the period, grouped by site and dates (a site's booths or
    beds added together share their dates: a few rows per site)."""
    rows: Rows = (
        periods.filter(**{f"{owner}__site_id__in": scope.site_ids}, start__lte=scope.end)
        .exclude(end__lte=scope.start)
        .values_list(f"{owner}__site_id", "start", "end")
        .annotate(n=Count("*"))
        .order_by()
    )
    return rows


@read_once
def booths_per_day(scope: Scope) -> dict[int, list[int]]:
    """Booths in service at each site of the scope on each day of the period."""
    return _in_service(_grouped(BoothServicePeriod.objects.all(), "booth", scope), scope)


@read_once
def beds_per_night(scope: Scope) -> dict[int, list[int]]:
    """Beds in service at each site of the scope on each night of the period."""
    return _in_service(_grouped(BedServicePeriod.objects.all(), "bed", scope), scope)


def booth_hours(scope: Scope) -> float:
    """Σ over the sites and days of the period of booths in service × hours open that day."""
    hours = opening_days(scope)
    total = 0.0
    for site, per_day in booths_per_day(scope).items():
        open_days = hours.get(site, {})
        for offset, booths in enumerate(per_day):
            if booths:
                total += booths * open_days.get(scope.start + offset * ONE_DAY, 0.0)
    return total


def bed_nights_available(scope: Scope) -> int:
    """Σ over the nights of the period of beds in service that night."""
    return sum(sum(per_night) for per_night in beds_per_night(scope).values())
