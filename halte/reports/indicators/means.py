"""Means: opening hours, staff, funding and what a visit, a night or a place costs."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from halte.core.timeutils import local_today
from halte.network.hours import weekly_open_hours
from halte.network.models import Site
from halte.network.selectors import site_spans
from halte.reports.enums import Funder, Profession
from halte.reports.indicators.base import (
    Indicator,
    Result,
    Scope,
    as_number,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.models import FundingLine, StaffPosition
from halte.reports.router import read_once


@read_once
def sites_with_hours(scope: Scope) -> list[Site]:
    """The scope's sites with their dated hours and exceptions (read once per report)."""
    return list(
        Site.objects.filter(pk__in=scope.site_ids).prefetch_related(
            "weekly_hours", "hours_exceptions"
        )
    )


def _hours_per_week(scope: Scope) -> Result:
    """Hours open in the week in force at the end of the period, summed over the sites."""
    sites = sites_with_hours(scope)
    return Result(value=sum(weekly_open_hours(site_spans(site), scope.end) for site in sites))


def _staff(scope: Scope) -> Result:
    year = scope.end.year
    rows = (
        StaffPosition.objects.filter(site_id__in=scope.site_ids, year=year)
        .values("profession")
        .annotate(n=Sum("fte"))
    )
    cells = cells_from(
        ((r["profession"], as_number(r["n"])) for r in rows),
        dict(Profession.choices),
        keep_zero=False,
    )
    return breakdown(cells)


@read_once
def funding_in_period(scope: Scope) -> dict[str, float]:
    """Funding per funder, each year's amount spread over its days and counted for the days of the
    period (a month gets a twelfth of its year)."""
    rows = (
        FundingLine.objects.filter(site_id__in=scope.site_ids, year__in=scope.years())
        .values("funder", "year")
        .annotate(total=Sum("amount"))
    )
    result: dict[str, float] = {}
    for row in rows:
        share = float(row["total"]) * scope.year_share(row["year"])
        result[row["funder"]] = result.get(row["funder"], 0.0) + share
    return result


def _funding(scope: Scope) -> Result:
    cells = cells_from(
        ((k, round(v, 2)) for k, v in funding_in_period(scope).items()),
        dict(Funder.choices),
        keep_zero=False,
    )
    return breakdown(cells)


def _total_funding(scope: Scope) -> float | None:
    values = funding_in_period(scope)
    return sum(values.values()) if values else None


def recorded_funding(scope: Scope) -> float | None:
    """The funding of the days whose visits Halte holds: for each site, from the later of the
    period's start and its first recorded visit to the earlier of the period's end and today.
    Funding of days before a site used Halte, or still to come, pays for no visit counted here;
    so every screen and report gives one cost per visit for a period, whatever its end."""
    from halte.reports.rollups import first_visit_days

    firsts = first_visit_days(scope)
    last = min(scope.end, local_today())
    rows = (
        FundingLine.objects.filter(site_id__in=list(firsts), year__in=scope.years())
        .values("site_id", "year")
        .annotate(total=Sum("amount"))
    )
    total: float | None = None
    for row in rows:
        start = max(scope.start, firsts[row["site_id"]])
        if start <= last:
            covered = Scope((row["site_id"],), start, last)
            total = (total or 0.0) + float(row["total"]) * covered.year_share(row["year"])
    return total


def _cost_per_visit(scope: Scope) -> Result:
    from halte.reports.rollups import visit_counts

    return Result(value=ratio(recorded_funding(scope), visit_counts(scope)[0]))


def _cost_per_night(scope: Scope) -> Result:
    from halte.reports.indicators.care import nights_by_site

    lodging = Scope(
        tuple(Site.objects.filter(pk__in=scope.site_ids, beds__gt=0).values_list("pk", flat=True)),
        scope.start,
        scope.end,
    )
    if not lodging.site_ids:
        return Result(value=None)
    nights = nights_by_site(scope)  # the scope's read, shared with the nights and occupancy
    spent = sum(nights.get(site_id, 0) for site_id in lodging.site_ids)
    return Result(value=ratio(_total_funding(lodging), spent))


def places(scope: Scope) -> int:
    """Places of a site: beds, rest places and consumption booths (reception capacity otherwise)."""
    return sum(
        site.beds
        + site.rest_places
        + site.booths_injection
        + site.booths_inhalation
        + site.booths_nasal
        for site in sites_with_hours(scope)
    )


def _cost_per_place(scope: Scope) -> Result:
    total = _total_funding(scope)
    if total is None:
        return Result(value=None)
    # A year's cost per place: the period's funding brought back to a full year.
    return Result(value=ratio(total * 365 / scope.days, places(scope)))


def _places(scope: Scope) -> Result:
    return Result(value=places(scope))


def _staff_sites(scope: Scope) -> Result:
    n = StaffPosition.objects.filter(site_id__in=scope.site_ids, year=scope.end.year).aggregate(
        n=Count("site_id", distinct=True)
    )["n"]
    return Result(value=n)


INDICATORS = [
    Indicator(
        "hours_per_week",
        _("Heures d'ouverture par semaine"),
        _("Heures d'ouverture de la semaine en vigueur à la fin de la période, tous sites."),
        "organisation",
        _("h/semaine"),
        _hours_per_week,
        decimals=1,
    ),
    Indicator(
        "places",
        _("Places"),
        _("Lits, places de repos et postes de consommation des sites du périmètre."),
        "organisation",
        _("places"),
        _places,
    ),
    Indicator(
        "staff_fte",
        _("Personnel (ETP)"),
        _("Équivalents temps plein par profession déclarés pour l'année de fin de période."),
        "organisation",
        _("ETP"),
        _staff,
        requires=("reports.StaffPosition",),
        breakdown=True,
        decimals=2,
    ),
    Indicator(
        "staff_sites",
        _("Sites ayant déclaré leur personnel"),
        _("Sites du périmètre avec au moins une ligne d'ETP pour l'année de fin de période."),
        "organisation",
        _("sites"),
        _staff_sites,
        requires=("reports.StaffPosition",),
    ),
    Indicator(
        "funding",
        _("Financements"),
        _(
            "Montants accordés par financeur ; le montant d'une année est réparti sur ses jours "
            "et compté pour les jours de la période."
        ),
        "means",
        "€",
        _funding,
        requires=("reports.FundingLine",),
        breakdown=True,
    ),
    Indicator(
        "cost_per_visit",
        _("Coût par passage"),
        _(
            "Financements des sites divisés par leurs passages, chaque site compté de son premier "
            "passage enregistré (ou du début de la période) à la fin de la période ou à "
            "aujourd'hui."
        ),
        "means",
        "€",
        _cost_per_visit,
        requires=("reports.FundingLine",),
        decimals=2,
    ),
    Indicator(
        "cost_per_night",
        _("Coût par nuitée"),
        _("Financements des sites qui ont des lits divisés par leurs nuitées."),
        "means",
        "€",
        _cost_per_night,
        requires=("reports.FundingLine", "lodging.BedNight"),
        decimals=2,
    ),
    Indicator(
        "cost_per_place",
        _("Coût annuel par place"),
        _("Financements ramenés à une année, divisés par les places (lits, repos, postes)."),
        "means",
        "€",
        _cost_per_place,
        requires=("reports.FundingLine",),
        decimals=0,
    ),
]
