"""Roll-ups of the visits, and the reads that combine them with the visits recorded since.

A year of the whole network is millions of visits; counting its distinct people from them takes
seconds. Three derived tables hold what the reports need, at a grain that keeps them small:

- ``DailyVisits``: visits and anonymous contacts per site and Paris day (additive counts);
- ``YearPresence``: per site, person and year, the months in which the person came (a bit mask);
- ``FirstVisit``: per site and person, the first visit.

They hold every visit whose id is at most ``RollupState.last_visit_id``. Visit ids only grow, a
visit's site, person and arrival never change after it is recorded (only its departure does), and
visits are deleted only by ``purge_expired``, which rebuilds the roll-ups. So a figure is exact when
it is read as *roll-ups + the visits with a greater id*, whenever the roll-ups were last refreshed:
a report never waits for a refresh and never misses a visit, backdated ones included.

Distinct people over a period are read from ``YearPresence`` for the months wholly inside it and
from the visits for the days at its edges. ``refresh()`` (``manage.py refresh_rollups``, every few
minutes in production) folds the new visits in with one aggregate statement per table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.expressions import Combinable, CombinedExpression
from django.db.models.functions import Cast, ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone

from halte.core.timeutils import PARIS, paris_instant
from halte.reports.models import DailyVisits, FirstVisit, RollupState, YearPresence
from halte.reports.router import read_once, report_alias
from halte.visits.models import Visit

# A visit still being inserted when a refresh runs has an id below the ones already committed; it
# would be skipped for good. So a refresh only goes up to visits recorded this long ago: a check-in
# is committed within milliseconds.
SETTLE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Refreshed:
    visits: int
    last_visit_id: int
    full: bool


def refresh(*, full: bool = False, settle: dt.timedelta = SETTLE) -> Refreshed:
    """Fold the visits recorded since the last refresh into the roll-ups (all of them again when
    ``full``). Two refreshes at once wait for each other."""
    with transaction.atomic():
        RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        if full:
            for model in (DailyVisits, YearPresence, FirstVisit):
                model.objects.all().delete()
            state.last_visit_id = 0
        start = state.last_visit_id
        settled = Visit.objects.filter(pk__gt=start, created_at__lte=timezone.now() - settle)
        end = settled.aggregate(last=Max("pk"))["last"] or start
        count = 0
        if end > start:
            count = Visit.objects.filter(pk__gt=start, pk__lte=end).count()
            _fold(start, end)
        state.last_visit_id = end
        state.refreshed_at = timezone.now()
        state.save()
    return Refreshed(visits=count, last_visit_id=end, full=full)


def _fold(start: int, end: int) -> None:
    batch = Visit.objects.filter(pk__gt=start, pk__lte=end).order_by()
    known = batch.filter(client__isnull=False)
    connection = connections["default"]
    least = "LEAST" if connection.vendor == "postgresql" else "MIN"
    daily = (
        batch.annotate(day=TruncDate("arrived_at", tzinfo=PARIS))
        .values("site", "day")
        .annotate(n_visits=Count("*"), n_anonymous=Count("pk", filter=Q(client__isnull=True)))
    )
    presence = (
        known.annotate(
            year=ExtractYear("arrived_at", tzinfo=PARIS),
            bit=CombinedExpression(
                Value(1),
                Combinable.BITLEFTSHIFT,
                Cast(ExtractMonth("arrived_at", tzinfo=PARIS), IntegerField()) - Value(1),
                output_field=IntegerField(),
            ),
        )
        .values("site", "client", "year")
        # The sum of the distinct powers of two is their bitwise OR, on every database.
        .annotate(n_months=Sum("bit", distinct=True))
    )
    firsts = known.values("site", "client").annotate(first=Min("arrived_at"))
    _upsert(
        DailyVisits,
        daily,
        "site_id, day, visits, anonymous",
        "agg.site, agg.day, agg.n_visits, agg.n_anonymous",
        "site_id, day",
        "visits = {t}.visits + excluded.visits, anonymous = {t}.anonymous + excluded.anonymous",
    )
    _upsert(
        YearPresence,
        presence,
        "site_id, client_id, year, months",
        "agg.site, agg.client, agg.year, agg.n_months",
        "year, site_id, client_id",
        "months = {t}.months | excluded.months",
    )
    _upsert(
        FirstVisit,
        firsts,
        "site_id, client_id, first_at",
        "agg.site, agg.client, agg.first",
        "site_id, client_id",
        f"first_at = {least}({{t}}.first_at, excluded.first_at)",
    )


def _upsert(
    model: type[Any], source: QuerySet[Any], columns: str, picks: str, key: str, merge: str
) -> None:
    """INSERT the rows of an aggregate query, merging those whose key exists (PostgreSQL and SQLite
    share this syntax; ``WHERE true`` keeps SQLite's parser from reading ON as a join's)."""
    sql, params = source.query.sql_with_params()
    table = model._meta.db_table
    statement = (
        f"INSERT INTO {table} ({columns}) SELECT {picks} FROM ({sql}) agg WHERE true"  # noqa: S608
        f" ON CONFLICT ({key}) DO UPDATE SET {merge.format(t=table)}"
    )
    with connections["default"].cursor() as cursor:
        cursor.execute(statement, params)


# ------------------------------------------------------------------------------------------- reads


@read_once
def _state(alias: str) -> tuple[int, bool]:
    """(the last visit the roll-ups hold, whether any visit was recorded since), read together."""
    sql = (
        f"SELECT (SELECT last_visit_id FROM {RollupState._meta.db_table} WHERE id = 1),"  # noqa: S608
        f" (SELECT MAX(id) FROM {Visit._meta.db_table})"
    )
    last, newest = _rows(alias, sql, [])[0]
    return int(last or 0), int(newest or 0) > int(last or 0)


def _watermark(alias: str) -> int:
    return _state(alias)[0]


@read_once
def _daily_rows(scope: Any) -> dict[dt.date, tuple[int, int]]:
    """(visits, anonymous contacts) on each day of the period that had any, all sites of the scope
    together: the roll-ups, plus the visits recorded since when there are any."""
    alias = report_alias()
    days: dict[dt.date, tuple[int, int]] = {}
    rolled = (
        DailyVisits.objects.using(alias)
        .filter(site_id__in=scope.site_ids, day__gte=scope.start, day__lte=scope.end)
        .values("day")
        .annotate(v=Sum("visits"), a=Sum("anonymous"))
        .values_list("day", "v", "a")
    )
    parts: list[Iterable[tuple[dt.date, int, int]]] = [rolled]
    watermark, recent = _state(alias)
    if recent:
        parts.append(
            Visit.objects.using(alias)
            .filter(
                pk__gt=watermark,
                site_id__in=scope.site_ids,
                arrived_at__gte=scope.t0,
                arrived_at__lt=scope.t1,
            )
            .annotate(day=TruncDate("arrived_at", tzinfo=PARIS))
            .values("day")
            .annotate(v=Count("*"), a=Count("pk", filter=Q(client__isnull=True)))
            .values_list("day", "v", "a")
        )
    for rows in parts:
        for day, v, a in rows:
            before = days.get(day, (0, 0))
            days[day] = (before[0] + v, before[1] + a)
    return days


@read_once
def first_visit_days(scope: Any) -> dict[int, dt.date]:
    """The first day (Paris) each of the scope's sites recorded a visit, at any date: the
    roll-ups, then the visits recorded since. A site that never recorded one is absent."""
    alias = report_alias()
    firsts: dict[int, dt.date] = dict(
        DailyVisits.objects.using(alias)
        .filter(site_id__in=scope.site_ids)
        .values("site_id")
        .annotate(first=Min("day"))
        .values_list("site_id", "first")
    )
    watermark, recent = _state(alias)
    if recent:
        rows = (
            Visit.objects.using(alias)
            .filter(pk__gt=watermark, site_id__in=scope.site_ids)
            .values("site_id")
            .annotate(first=Min("arrived_at"))
            .values_list("site_id", "first")
        )
        for site_id, first in rows:
            day = timezone.localtime(first, PARIS).date()
            firsts[site_id] = min(firsts.get(site_id, day), day)
    return firsts


def visit_counts(scope: Any) -> tuple[int, int]:
    """(visits, anonymous contacts) that began in the period at the scope's sites."""
    days = _daily_rows(scope).values()
    return sum(v for v, _a in days), sum(a for _v, a in days)


def daily_counts(scope: Any) -> dict[dt.date, int]:
    """Visits on each day of the period that had any (all sites of the scope together)."""
    return {day: v for day, (v, _a) in _daily_rows(scope).items()}


def _cover(start: dt.date, end: dt.date) -> tuple[dict[int, int], list[tuple[dt.date, dt.date]]]:
    """The months wholly inside [start, end] as {year: month bit mask}, and the days outside them
    as ranges (first day, day after the last)."""
    masks: dict[int, int] = {}
    edges: list[tuple[dt.date, dt.date]] = []
    month = start.replace(day=1)
    while month <= end:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        if month >= start and following - dt.timedelta(days=1) <= end:
            masks[month.year] = masks.get(month.year, 0) | 1 << (month.month - 1)
        else:
            edges.append((max(month, start), min(following, end + dt.timedelta(days=1))))
        month = following
    return masks, edges


def _in_sites(scope: Any) -> tuple[str, list[int]]:
    """The condition "site_id among the scope's sites" and its parameters (an empty scope
    matches nothing)."""
    sites = list(scope.site_ids) or [0]
    return "site_id IN ({})".format(", ".join(["%s"] * len(sites))), sites


def _people_sql(scope: Any, alias: str, *, with_site: bool) -> tuple[str, list[Any]]:
    """A statement listing the distinct people (``client_id``, and ``site_id`` when ``with_site``)
    with a visit in the scope: roll-ups for the whole months, visits for the edges and the rest."""
    ops = connections[alias].ops
    in_sites, sites = _in_sites(scope)
    pick = "site_id, client_id" if with_site else "client_id"
    masks, edges = _cover(scope.start, scope.end)
    parts: list[str] = []
    params: list[Any] = []
    presence, visits = YearPresence._meta.db_table, Visit._meta.db_table
    if masks:
        years = " OR ".join(["(year = %s AND (months & %s) <> 0)"] * len(masks))
        parts.append(f"SELECT {pick} FROM {presence} WHERE {in_sites} AND ({years})")  # noqa: S608
        params += [*sites, *(v for item in sorted(masks.items()) for v in item)]
    for first, after in edges:
        parts.append(
            f"SELECT {pick} FROM {visits} WHERE {in_sites} AND client_id IS NOT NULL"  # noqa: S608
            " AND arrived_at >= %s AND arrived_at < %s"
        )
        params += [
            *sites,
            ops.adapt_datetimefield_value(paris_instant(first, dt.time(0, 0))),
            ops.adapt_datetimefield_value(paris_instant(after, dt.time(0, 0))),
        ]
    parts.append(
        f"SELECT {pick} FROM {visits} WHERE id > %s AND {in_sites}"  # noqa: S608
        " AND client_id IS NOT NULL AND arrived_at >= %s AND arrived_at < %s"
    )
    params += [
        _watermark(alias),
        *sites,
        ops.adapt_datetimefield_value(scope.t0),
        ops.adapt_datetimefield_value(scope.t1),
    ]
    return " UNION ".join(parts), params


def _rows(alias: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


@read_once
def people_count(scope: Any) -> int:
    """Distinct people (by code) with at least one visit in the scope."""
    alias = report_alias()
    sql, params = _people_sql(scope, alias, with_site=False)
    return int(_rows(alias, f"SELECT COUNT(*) FROM ({sql}) people", params)[0][0])  # noqa: S608


@read_once
def people_per_site(scope: Any) -> dict[int, int]:
    """Distinct people of each site of the scope, each site on its own."""
    alias = report_alias()
    sql, params = _people_sql(scope, alias, with_site=True)
    statement = f"SELECT site_id, COUNT(*) FROM ({sql}) people GROUP BY site_id"  # noqa: S608
    return dict(_rows(alias, statement, params))


@read_once
def people_profile(scope: Any) -> dict[tuple[str, int], int]:
    """People of the scope by (sex or gender, year of birth)."""
    from halte.clients.models import Client

    alias = report_alias()
    sql, params = _people_sql(scope, alias, with_site=False)
    statement = (
        f"SELECT c.sex_gender, c.birth_year, COUNT(*) FROM {Client._meta.db_table} c"  # noqa: S608
        f" WHERE c.id IN ({sql}) GROUP BY c.sex_gender, c.birth_year"
    )
    return {(sex, year): n for sex, year, n in _rows(alias, statement, params)}


@read_once
def new_people_count(scope: Any) -> int:
    """People whose first visit to any site of the scope falls in the period."""
    alias = report_alias()
    ops = connections[alias].ops
    in_sites, sites = _in_sites(scope)
    statement = (
        "SELECT COUNT(*) FROM (SELECT client_id, MIN(first_at) AS first_at FROM ("  # noqa: S608
        f"SELECT client_id, first_at FROM {FirstVisit._meta.db_table} WHERE {in_sites}"
        f" UNION ALL SELECT client_id, arrived_at FROM {Visit._meta.db_table}"
        f" WHERE id > %s AND {in_sites} AND client_id IS NOT NULL"
        ") firsts GROUP BY client_id) people WHERE first_at >= %s AND first_at < %s"
    )
    params = [
        *sites,
        _watermark(alias),
        *sites,
        ops.adapt_datetimefield_value(scope.t0),
        ops.adapt_datetimefield_value(scope.t1),
    ]
    return int(_rows(alias, statement, params)[0][0])
