"""Indicators of the neighbourhood app (halte.neighbourhood), defined once like the others.

What the sites' teams did in the streets (pick-ups, mediation rounds, committees) and what the
neighbours reported. By default a scope counts what its sites' teams recorded and the reports given
to them; with an ``area`` (a site's surroundings, ``Scope.area``), pick-ups and reports are those
that happened in the area, whoever recorded them, while rounds and committees stay the sites' own.

None of these figures counts the people who use the sites: they are events in public space, shown
exactly to every audience like the room's refusals (``halte.reports.indicators.room``); the public
pages mask them anyway (``halte.reports.public``). A radius is measured on a flat projection at the
area's latitude (under 0.1 % off at a few hundred metres), so the database does the counting."""

from __future__ import annotations

import math
from typing import Any, TypeVar, cast

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Model,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from halte.neighbourhood.enums import PickupItem, ReportKind, RoundKind
from halte.neighbourhood.models import (
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
)
from halte.reports.indicators.base import (
    Area,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
)
from halte.reports.router import read_once

M = TypeVar("M", bound=Model)
METRES_PER_DEGREE_LAT = 111_320.0


def in_area(queryset: QuerySet[M], area: Area) -> QuerySet[M]:
    """The rows whose point lies in the area: listed IRIS, or within the radius."""
    if area.by_iris:
        return queryset.filter(iris_code__in=area.iris_codes)
    kx = METRES_PER_DEGREE_LAT * math.cos(math.radians(area.lat))
    ky = METRES_PER_DEGREE_LAT
    margin_lat = area.radius_m / ky
    margin_lon = area.radius_m / kx
    dx = (F("lon") - area.lon) * kx
    dy = (F("lat") - area.lat) * ky
    # annotate() loses the model's type in the stubs: the rows are still the queryset's own.
    return cast(
        "QuerySet[M]",
        queryset.filter(
            lat__gte=area.lat - margin_lat,
            lat__lte=area.lat + margin_lat,
            lon__gte=area.lon - margin_lon,
            lon__lte=area.lon + margin_lon,
        )
        .annotate(_d2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        .filter(_d2__lte=float(area.radius_m) ** 2),
    )


def pickups(scope: Scope) -> QuerySet[Pickup]:
    found = Pickup.objects.filter(found_at__gte=scope.t0, found_at__lt=scope.t1)
    if scope.area is not None:
        return in_area(found, scope.area)
    return found.filter(team_id__in=scope.site_ids)


def reports(scope: Scope) -> QuerySet[NeighbourhoodReport]:
    received = NeighbourhoodReport.objects.filter(
        received_at__gte=scope.t0, received_at__lt=scope.t1
    )
    if scope.area is not None:
        return in_area(received, scope.area)
    return received.filter(assigned_site_id__in=scope.site_ids)


def rounds(scope: Scope) -> QuerySet[MediationRound]:
    return MediationRound.objects.filter(
        site_id__in=scope.site_ids, started_at__gte=scope.t0, started_at__lt=scope.t1
    )


def committees(scope: Scope) -> QuerySet[Committee]:
    return Committee.objects.filter(
        site_id__in=scope.site_ids, held_on__gte=scope.start, held_on__lte=scope.end
    )


@read_once
def pickup_items(scope: Scope) -> dict[str, int]:
    """Items found, by item: one grouped query."""
    rows = pickups(scope).values("item").annotate(n=Sum("count")).values_list("item", "n")
    return {item: int(n or 0) for item, n in rows.order_by()}


@read_once
def report_kinds(scope: Scope) -> dict[str, int]:
    rows = reports(scope).values("kind").annotate(n=Count("*")).values_list("kind", "n")
    return dict(rows.order_by())


@read_once
def answer_hours(scope: Scope) -> list[float]:
    """Hours from receipt to answer of the period's reports that were answered, sorted."""
    pairs = (
        reports(scope).filter(answered_at__isnull=False).values_list("received_at", "answered_at")
    )
    return sorted(
        (answered - received).total_seconds() / 3600
        for received, answered in pairs
        if answered is not None
    )


@read_once
def round_figures(scope: Scope) -> dict[str, Any]:
    """Mediation rounds, pick-up rounds and what was seen on all of them: one query."""
    return rounds(scope).aggregate(
        mediation=Count("pk", filter=Q(kind=RoundKind.MEDIATION)),
        pickup=Count("pk", filter=Q(kind=RoundKind.PICKUP)),
        consumption=Sum("public_consumption_seen"),
        gatherings=Sum("gatherings_seen"),
        residents=Sum("residents_met"),
    )


@read_once
def decision_figures(scope: Scope) -> dict[str, int]:
    """Committee decisions done in the period, and those overdue at its end (due before it ends,
    not done by then), of committees held by then: one query."""
    decided = CommitteeDecision.objects.filter(
        committee__site_id__in=scope.site_ids, committee__held_on__lte=scope.end
    )
    late = Q(due_on__lt=scope.end) & (Q(done_on__isnull=True) | Q(done_on__gt=scope.end))
    return decided.aggregate(
        done=Count("pk", filter=Q(done_on__gte=scope.start, done_on__lte=scope.end)),
        overdue=Count("pk", filter=late),
    )


def median(values: list[float]) -> float | None:
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _items_found(scope: Scope) -> Result:
    return Result(value=sum(pickup_items(scope).values()))


def _items_by_kind(scope: Scope) -> Result:
    return breakdown(cells_from(pickup_items(scope).items(), dict(PickupItem.choices)))


def _syringes(scope: Scope) -> Result:
    return Result(value=pickup_items(scope).get(PickupItem.SYRINGE, 0))


def _reports(scope: Scope) -> Result:
    return Result(value=sum(report_kinds(scope).values()))


def _reports_by_kind(scope: Scope) -> Result:
    return breakdown(cells_from(report_kinds(scope).items(), dict(ReportKind.choices)))


def _answer_hours(scope: Scope) -> Result:
    return Result(value=median(answer_hours(scope)))


def _round_value(key: str) -> Any:
    def compute(scope: Scope) -> Result:
        return Result(value=int(round_figures(scope)[key] or 0))

    return compute


def _committees(scope: Scope) -> Result:
    return Result(value=committees(scope).count())


def _decision_value(key: str) -> Any:
    def compute(scope: Scope) -> Result:
        return Result(value=decision_figures(scope)[key])

    return compute


PICKUPS = ("neighbourhood.Pickup",)
REPORTS = ("neighbourhood.NeighbourhoodReport",)
ROUNDS = ("neighbourhood.MediationRound",)
COMMITTEES = ("neighbourhood.Committee", "neighbourhood.CommitteeDecision")

INDICATORS = [
    Indicator(
        "pickups_items",
        _("Matériel usagé ramassé dans l'espace public"),
        _(
            "Objets trouvés et ramassés dans la rue, les parcs, les halls et les parkings "
            "(seringues, pipes, kits, autre matériel), en nombre d'objets."
        ),
        "neighbourhood",
        _("objets"),
        _items_found,
        requires=PICKUPS,
    ),
    Indicator(
        "pickups_by_item",
        _("Matériel ramassé par objet"),
        _("Objets ramassés dans l'espace public, par type d'objet."),
        "neighbourhood",
        _("objets"),
        _items_by_kind,
        requires=PICKUPS,
        breakdown=True,
    ),
    Indicator(
        "pickups_syringes",
        _("Seringues ramassées aux abords"),
        _("Seringues usagées trouvées et ramassées dans l'espace public."),
        "neighbourhood",
        _("seringues"),
        _syringes,
        requires=PICKUPS,
    ),
    Indicator(
        "neighbourhood_reports",
        _("Signalements de riverains"),
        _(
            "Signalements reçus dans la période (formulaire public, téléphone, courrier, "
            "réunion), attribués au site ou survenus dans son périmètre."
        ),
        "neighbourhood",
        _("signalements"),
        _reports,
        requires=REPORTS,
    ),
    Indicator(
        "neighbourhood_reports_by_kind",
        _("Signalements par type"),
        _("Signalements reçus dans la période, par type de fait signalé."),
        "neighbourhood",
        _("signalements"),
        _reports_by_kind,
        requires=REPORTS,
        breakdown=True,
    ),
    Indicator(
        "report_answer_hours",
        _("Délai médian de réponse aux signalements"),
        _(
            "Médiane, en heures, du temps entre la réception d'un signalement et la réponse "
            "apportée, pour les signalements de la période qui ont reçu une réponse."
        ),
        "neighbourhood",
        _("h"),
        _answer_hours,
        requires=REPORTS,
        decimals=1,
        count=False,
    ),
    Indicator(
        "mediation_rounds",
        _("Tournées de médiation"),
        _(
            "Tournées de médiation de l'équipe du site dans le quartier, commencées dans la période."
        ),
        "neighbourhood",
        _("tournées"),
        _round_value("mediation"),
        requires=ROUNDS,
    ),
    Indicator(
        "pickup_rounds",
        _("Tournées de ramassage"),
        _("Tournées de ramassage de matériel de l'équipe du site, commencées dans la période."),
        "neighbourhood",
        _("tournées"),
        _round_value("pickup"),
        requires=ROUNDS,
    ),
    Indicator(
        "public_consumption_seen",
        _("Consommations dans l'espace public constatées"),
        _(
            "Consommations vues dans l'espace public pendant les tournées de l'équipe (médiation "
            "et ramassage), additionnées : une même scène vue deux fois compte deux fois."
        ),
        "neighbourhood",
        _("constats"),
        _round_value("consumption"),
        requires=ROUNDS,
    ),
    Indicator(
        "gatherings_seen",
        _("Regroupements constatés"),
        _("Regroupements vus pendant les tournées de l'équipe, additionnés."),
        "neighbourhood",
        _("constats"),
        _round_value("gatherings"),
        requires=ROUNDS,
    ),
    Indicator(
        "residents_met",
        _("Riverains et commerçants rencontrés"),
        _("Riverains et commerçants rencontrés pendant les tournées, additionnés."),
        "neighbourhood",
        _("rencontres"),
        _round_value("residents"),
        requires=ROUNDS,
    ),
    Indicator(
        "committees_held",
        _("Comités de voisinage réunis"),
        _("Réunions du comité de voisinage du site tenues dans la période."),
        "neighbourhood",
        _("réunions"),
        _committees,
        requires=COMMITTEES,
    ),
    Indicator(
        "decisions_done",
        _("Décisions de comité réalisées"),
        _("Décisions des comités de voisinage marquées faites dans la période."),
        "neighbourhood",
        _("décisions"),
        _decision_value("done"),
        requires=COMMITTEES,
    ),
    Indicator(
        "decisions_overdue",
        _("Décisions de comité en retard"),
        _(
            "Décisions dont l'échéance tombait avant la fin de la période et qui n'étaient pas "
            "faites à cette date."
        ),
        "neighbourhood",
        _("décisions"),
        _decision_value("overdue"),
        requires=COMMITTEES,
    ),
]
