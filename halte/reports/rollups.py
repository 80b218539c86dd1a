"""Roll-ups of the visits and of the material given, and the reads that combine them with the
rows recorded since.

A year of the whole network is millions of visits and of lines of material; counting from them
takes seconds. Derived tables hold what the reports need, at a grain that keeps them small:

- ``DailyVisits``: visits and anonymous contacts per site and Paris day (additive counts);
- ``DailyPurposes``: visits per site, Paris day and combination of purposes (the visit's mask);
- ``YearPresence``: per site, person and year, the months in which the person came (a bit mask);
- ``FirstVisit``: per site and person, the first visit;
- ``DailyMaterial``: units and syringe equivalents per site, Paris day and catalogue code;
- ``SyringePresence``: per site, person and year, the months in which the person was given
  syringes.

They hold every visit whose id is at most ``RollupState.last_visit_id`` and every distribution
(with its lines) whose id is at most ``RollupState.last_distribution_id``. Ids only grow; a visit's
site, person and arrival never change after it is recorded (only its departure does); a
distribution and its lines are written once, in one transaction, and never changed; both are
deleted only by ``purge_expired``, which rebuilds the roll-ups. So a figure is exact when it is
read as *roll-ups + the rows with a greater id*, whenever the roll-ups were last refreshed: a report
never waits for a refresh and never misses a row, backdated ones included.

Distinct people over a period are read from a presence table for the months wholly inside it and
from the rows for the days at its edges. ``refresh()`` (``manage.py refresh_rollups``, every few
minutes in production) folds the new rows in with one aggregate statement per table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, transaction
from django.db.models import (
    BooleanField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable, CombinedExpression
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, TruncDate
from django.utils import timezone

from halte.care.models import Distribution, DistributionLine
from halte.core.timeutils import PARIS, paris_date, paris_instant
from halte.reports.models import (
    DailyMaterial,
    DailyPurposes,
    DailyVisits,
    FirstVisit,
    RollupState,
    SyringePresence,
    YearPresence,
)
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
    distributions: int = 0
    last_distribution_id: int = 0


ROLLUPS = (DailyVisits, DailyPurposes, YearPresence, FirstVisit, DailyMaterial, SyringePresence)


def _settled_batch(model: type[models.Model], start: int, cutoff: dt.datetime) -> tuple[int, int]:
    """(the last id to fold, how many rows after ``start`` up to it): rows written before
    ``cutoff`` only, so that none still being inserted is skipped for good."""
    settled = model._default_manager.filter(pk__gt=start, created_at__lte=cutoff)
    end = settled.aggregate(last=Max("pk"))["last"] or start
    count = model._default_manager.filter(pk__gt=start, pk__lte=end).count() if end > start else 0
    return end, count


def refresh(*, full: bool = False, settle: dt.timedelta = SETTLE) -> Refreshed:
    """Fold the visits and the distributions recorded since the last refresh into the roll-ups
    (all of them again when ``full``). Two refreshes at once wait for each other."""
    with transaction.atomic():
        RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        if full:
            for model in ROLLUPS:
                model._default_manager.all().delete()
            state.last_visit_id = state.last_distribution_id = 0
        cutoff = timezone.now() - settle
        visits_end, visits = _settled_batch(Visit, state.last_visit_id, cutoff)
        if visits:
            _fold(state.last_visit_id, visits_end)
        given_end, given = _settled_batch(Distribution, state.last_distribution_id, cutoff)
        if given:
            _fold_material(state.last_distribution_id, given_end)
        state.last_visit_id, state.last_distribution_id = visits_end, given_end
        state.refreshed_at = timezone.now()
        state.save()
    return Refreshed(
        visits=visits,
        last_visit_id=visits_end,
        full=full,
        distributions=given,
        last_distribution_id=given_end,
    )


def _month_bit(field: str) -> CombinedExpression:
    """1 << (the month of ``field`` in Paris, 0 for January): summed distinct, a month mask."""
    return CombinedExpression(
        Value(1),
        Combinable.BITLEFTSHIFT,
        Cast(ExtractMonth(field, tzinfo=PARIS), IntegerField()) - Value(1),
        output_field=IntegerField(),
    )


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
    purposes = (
        batch.annotate(day=TruncDate("arrived_at", tzinfo=PARIS))
        .values("site", "day", "purposes")
        .annotate(n_visits=Count("*"))
    )
    presence = (
        known.annotate(year=ExtractYear("arrived_at", tzinfo=PARIS), bit=_month_bit("arrived_at"))
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
        DailyPurposes,
        purposes,
        "site_id, day, purposes, visits",
        "agg.site, agg.day, agg.purposes, agg.n_visits",
        "site_id, day, purposes",
        "visits = {t}.visits + excluded.visits",
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


def _given_lines(start: int, end: int) -> QuerySet[DistributionLine]:
    return (
        DistributionLine.objects.filter(distribution_id__gt=start, distribution_id__lte=end)
        .order_by()
        .annotate(site=F("distribution__site_id"))
    )


# A line whose catalogue version is unknown counts as given, not brought back.
_COLLECTED = Coalesce("catalogue_item__collected", Value(False), output_field=BooleanField())
# Syringes given to someone: a line of material given (not brought back) holding syringes, on a
# visit of an identified person (bulk distributions name nobody).
_TO_SOMEONE = Q(distribution__visit__client__isnull=False)
_SYRINGES_GIVEN = (
    Q(syringe_equivalents__gt=0)
    & (Q(catalogue_item__isnull=True) | Q(catalogue_item__collected=False))
    & _TO_SOMEONE
)


def _fold_material(start: int, end: int) -> None:
    lines = _given_lines(start, end)
    daily = (
        lines.annotate(
            day=TruncDate("distribution__given_at", tzinfo=PARIS), is_collected=_COLLECTED
        )
        .values("site", "day", "item", "is_collected")
        .annotate(
            n_units=Sum("quantity"),
            n_syringes=Sum("syringe_equivalents"),
            n_known=Coalesce(Sum("syringe_equivalents", filter=_TO_SOMEONE), Value(0)),
        )
    )
    presence = (
        lines.filter(_SYRINGES_GIVEN)
        .annotate(
            client=F("distribution__visit__client_id"),
            year=ExtractYear("distribution__given_at", tzinfo=PARIS),
            bit=_month_bit("distribution__given_at"),
        )
        .values("site", "client", "year")
        .annotate(n_months=Sum("bit", distinct=True))
    )
    _upsert(
        DailyMaterial,
        daily,
        "site_id, day, item, collected, units, syringes, known_syringes",
        "agg.site, agg.day, agg.item, agg.is_collected, agg.n_units, agg.n_syringes, agg.n_known",
        "site_id, day, item, collected",
        "units = {t}.units + excluded.units, syringes = {t}.syringes + excluded.syringes,"
        " known_syringes = {t}.known_syringes + excluded.known_syringes",
    )
    _upsert(
        SyringePresence,
        presence,
        "site_id, client_id, year, months",
        "agg.site, agg.client, agg.year, agg.n_months",
        "year, site_id, client_id",
        "months = {t}.months | excluded.months",
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


@dataclass(frozen=True)
class _Marks:
    """What the roll-ups hold (the last visit, the last distribution) and whether anything was
    recorded since, read together."""

    visit: int
    visits_since: bool
    distribution: int
    distributions_since: bool


@read_once
def _state(alias: str) -> _Marks:
    state = RollupState._meta.db_table
    sql = (
        f"SELECT (SELECT last_visit_id FROM {state} WHERE id = 1),"  # noqa: S608
        f" (SELECT MAX(id) FROM {Visit._meta.db_table}),"
        f" (SELECT last_distribution_id FROM {state} WHERE id = 1),"
        f" (SELECT MAX(id) FROM {Distribution._meta.db_table})"
    )
    visit, newest_visit, given, newest_given = (int(v or 0) for v in _rows(alias, sql, [])[0])
    return _Marks(visit, newest_visit > visit, given, newest_given > given)


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
    marks = _state(alias)
    if marks.visits_since:
        parts.append(
            _recorded_since(alias, marks.visit, scope)
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


def _recorded_since(alias: str, last_visit: int, scope: Any) -> QuerySet[Visit]:
    """The visits of the period at the scope's sites that the roll-ups do not hold yet (recorded
    after the watermark ``last_visit``)."""
    return Visit.objects.using(alias).filter(
        pk__gt=last_visit,
        site_id__in=scope.site_ids,
        arrived_at__gte=scope.t0,
        arrived_at__lt=scope.t1,
    )


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
    marks = _state(alias)
    if marks.visits_since:
        rows = (
            Visit.objects.using(alias)
            .filter(pk__gt=marks.visit, site_id__in=scope.site_ids)
            .values("site_id")
            .annotate(first=Min("arrived_at"))
            .values_list("site_id", "first")
        )
        for site_id, first in rows:
            day = paris_date(first)
            firsts[site_id] = min(firsts.get(site_id, day), day)
    return firsts


@read_once
def purpose_counts(scope: Any) -> dict[int, int]:
    """Visits that began in the period at the scope's sites, per combination of purposes (the
    visit's bit mask): the roll-up, plus the visits recorded since when there are any."""
    alias = report_alias()
    masks: dict[int, int] = {}
    rolled = (
        DailyPurposes.objects.using(alias)
        .filter(site_id__in=scope.site_ids, day__gte=scope.start, day__lte=scope.end)
        .values("purposes")
        .annotate(n=Sum("visits"))
        .values_list("purposes", "n")
    )
    parts: list[Iterable[tuple[int, int]]] = [rolled]
    marks = _state(alias)
    if marks.visits_since:
        parts.append(
            _recorded_since(alias, marks.visit, scope)
            .order_by()
            .values("purposes")
            .annotate(n=Count("*"))
            .values_list("purposes", "n")
        )
    for rows in parts:
        for mask, n in rows:
            masks[mask] = masks.get(mask, 0) + n
    return masks


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


# The rows a presence roll-up is made of, as (site_id, client_id): those of the sites in a period,
# and those above the watermark when one is given.
PresenceRows = Callable[[str, Sequence[int], dt.datetime, dt.datetime, int | None], QuerySet[Any]]


def _visitors(
    alias: str, sites: Sequence[int], t0: dt.datetime, t1: dt.datetime, above: int | None
) -> QuerySet[Any]:
    rows = Visit.objects.using(alias).filter(
        site_id__in=sites, client__isnull=False, arrived_at__gte=t0, arrived_at__lt=t1
    )
    return (rows.filter(pk__gt=above) if above is not None else rows).order_by()


def _syringe_takers(
    alias: str, sites: Sequence[int], t0: dt.datetime, t1: dt.datetime, above: int | None
) -> QuerySet[Any]:
    rows = DistributionLine.objects.using(alias).filter(
        _SYRINGES_GIVEN,
        distribution__site_id__in=sites,
        distribution__given_at__gte=t0,
        distribution__given_at__lt=t1,
    )
    if above is not None:
        rows = rows.filter(distribution_id__gt=above)
    return rows.order_by().annotate(
        site_id=F("distribution__site_id"), client_id=F("distribution__visit__client_id")
    )


def _people_sql(
    scope: Any,
    alias: str,
    *,
    with_site: bool,
    presence: type[models.Model] = YearPresence,
    rows: PresenceRows = _visitors,
    above: int | None = None,
) -> tuple[str, list[Any]]:
    """A statement listing the distinct people (``client_id``, and ``site_id`` when ``with_site``)
    of ``presence`` in the scope: the roll-up for the whole months, the rows (``rows``) for the
    edges and for what was recorded after the watermark ``above`` (the last visit by default)."""
    in_sites, sites = _in_sites(scope)
    pick = ("site_id", "client_id") if with_site else ("client_id",)
    masks, edges = _cover(scope.start, scope.end)
    parts: list[str] = []
    params: list[Any] = []
    if masks:
        years = " OR ".join(["(year = %s AND (months & %s) <> 0)"] * len(masks))
        parts.append(
            f"SELECT {', '.join(pick)} FROM {presence._meta.db_table}"  # noqa: S608
            f" WHERE {in_sites} AND ({years})"
        )
        params += [*sites, *(v for item in sorted(masks.items()) for v in item)]
    windows: list[tuple[dt.datetime, dt.datetime, int | None]] = [
        (paris_instant(first, dt.time(0, 0)), paris_instant(after, dt.time(0, 0)), None)
        for first, after in edges
    ]
    windows.append((scope.t0, scope.t1, _state(alias).visit if above is None else above))
    for t0, t1, mark in windows:
        sql, more = rows(alias, sites, t0, t1, mark).values_list(*pick).query.sql_with_params()
        parts.append(sql)
        params += more
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
        _state(alias).visit,
        *sites,
        ops.adapt_datetimefield_value(scope.t0),
        ops.adapt_datetimefield_value(scope.t1),
    ]
    return int(_rows(alias, statement, params)[0][0])


@dataclass(frozen=True)
class Given:
    """Material of one catalogue code, given or brought back, over a period."""

    units: int
    syringes: int
    known_syringes: int


@read_once
def material_given(scope: Any) -> dict[tuple[str, bool], Given]:
    """Per (catalogue code, brought back): units, syringe equivalents (those each line kept when it
    was given: a Stéribox, two) and the equivalents given to identified people, at the scope's
    sites in the period: the roll-up, plus the distributions recorded since."""
    alias = report_alias()
    rolled = (
        DailyMaterial.objects.using(alias)
        .filter(site_id__in=scope.site_ids, day__gte=scope.start, day__lte=scope.end)
        .values("item", "collected")
        .annotate(u=Sum("units"), s=Sum("syringes"), k=Sum("known_syringes"))
        .values_list("item", "collected", "u", "s", "k")
    )
    parts: list[Iterable[tuple[str, bool, int, int, int]]] = [rolled]
    marks = _state(alias)
    if marks.distributions_since:
        parts.append(
            DistributionLine.objects.using(alias)
            .filter(
                distribution_id__gt=marks.distribution,
                distribution__site_id__in=scope.site_ids,
                distribution__given_at__gte=scope.t0,
                distribution__given_at__lt=scope.t1,
            )
            .annotate(is_collected=_COLLECTED)
            .values("item", "is_collected")
            .annotate(
                u=Sum("quantity"),
                s=Sum("syringe_equivalents"),
                k=Coalesce(Sum("syringe_equivalents", filter=_TO_SOMEONE), Value(0)),
            )
            .order_by()
            .values_list("item", "is_collected", "u", "s", "k")
        )
    figures: dict[tuple[str, bool], Given] = {}
    for rows in parts:
        for item, collected, units, syringes, known in rows:
            key = (item, bool(collected))
            before = figures.get(key, Given(0, 0, 0))
            figures[key] = Given(
                before.units + int(units or 0),
                before.syringes + int(syringes or 0),
                before.known_syringes + int(known or 0),
            )
    return figures


@read_once
def syringe_people_count(scope: Any) -> int:
    """Distinct identified people given syringes (loose or in kits) at the scope's sites in the
    period."""
    alias = report_alias()
    sql, params = _people_sql(
        scope,
        alias,
        with_site=False,
        presence=SyringePresence,
        rows=_syringe_takers,
        above=_state(alias).distribution,
    )
    return int(_rows(alias, f"SELECT COUNT(*) FROM ({sql}) people", params)[0][0])  # noqa: S608
