"""Supervised consumption and safety: sessions, booth occupancy, overdoses and what was done."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, Incident, Session
from halte.network.enums import Route
from halte.network.hours import intervals_on
from halte.network.models import Site
from halte.network.selectors import site_exceptions, site_spans
from halte.reports.indicators.base import (
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)

OVERDOSE_KINDS = (IncidentKind.OPIOID_OVERDOSE, IncidentKind.STIMULANT_TOXICITY)
DURATION = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())


def sessions(scope: Scope) -> QuerySet[Session]:
    return Session.objects.filter(
        booth__site_id__in=scope.site_ids, started_at__gte=scope.t0, started_at__lt=scope.t1
    )


def incidents(scope: Scope) -> QuerySet[Incident]:
    return Incident.objects.filter(
        site_id__in=scope.site_ids, occurred_at__gte=scope.t0, occurred_at__lt=scope.t1
    )


def open_hours(scope: Scope) -> dict[int, float]:
    """Hours each site of the scope was open in the period, from its dated weekly hours and
    exceptions (a loop over days, not over activity rows)."""
    result: dict[int, float] = {}
    sites = Site.objects.filter(pk__in=scope.site_ids).prefetch_related(
        "weekly_hours", "hours_exceptions"
    )
    for site in sites:
        spans = site_spans(site)
        exceptions = {e.date: e for e in site_exceptions(site)}
        total = 0.0
        day = scope.start
        while day <= scope.end:
            for interval in intervals_on(day, spans, exceptions):
                total += (interval.end - interval.start).total_seconds() / 3600
            day += dt.timedelta(days=1)
        result[site.pk] = total
    return result


def _sessions(scope: Scope) -> Result:
    return Result(value=sessions(scope).count())


def _by_route(scope: Scope) -> Result:
    rows = sessions(scope).values("route").annotate(n=Count("*"))
    return breakdown(cells_from(((r["route"], r["n"]) for r in rows), dict(Route.choices)))


def _by_product(scope: Scope) -> Result:
    rows = sessions(scope).values("product").annotate(n=Count("*"))
    return breakdown(
        cells_from(((r["product"], r["n"]) for r in rows), dict(Product.choices), keep_zero=False)
    )


def _sessions_per_day(scope: Scope) -> Result:
    return Result(value=ratio(sessions(scope).count(), scope.days))


def _mean_duration(scope: Scope) -> Result:
    mean = sessions(scope).filter(ended_at__isnull=False).aggregate(d=Avg(DURATION))["d"]
    return Result(value=None if mean is None else mean.total_seconds() / 60)


def _booth_occupancy(scope: Scope) -> Result:
    """Minutes of sessions over minutes of booths open: the share of booth time in use."""
    used = sessions(scope).filter(ended_at__isnull=False).aggregate(d=Sum(DURATION))["d"]
    booths = dict(
        Booth.objects.filter(site_id__in=scope.site_ids, is_active=True)
        .values("site_id")
        .annotate(n=Count("*"))
        .values_list("site_id", "n")
    )
    hours = open_hours(scope)
    capacity = sum(hours.get(site_id, 0.0) * n for site_id, n in booths.items())
    used_hours = used.total_seconds() / 3600 if used else 0.0
    return Result(value=ratio(used_hours, capacity, 100))


def _overdoses(scope: Scope) -> Result:
    n = incidents(scope).filter(kind__in=OVERDOSE_KINDS).count()
    return Result(value=n, basis=n)


def _overdose_rate(scope: Scope) -> Result:
    n = incidents(scope).filter(kind__in=OVERDOSE_KINDS).count()
    return Result(value=ratio(n, sessions(scope).count(), 1000), basis=n)


def _safety(scope: Scope) -> dict[str, int]:
    return incidents(scope).aggregate(
        naloxone=Count("pk", filter=Q(naloxone_doses__gt=0)),
        doses=Sum("naloxone_doses", default=0),
        calls=Count("pk", filter=Q(emergency_call=True)),
        transfers=Count("pk", filter=Q(hospital_transfer=True)),
        deaths=Count("pk", filter=Q(outcome=Outcome.DEATH)),
    )


def _safety_count(key: str) -> Indicator:
    labels = {
        "naloxone": (
            _("Administrations de naloxone"),
            _("Incidents au cours desquels de la naloxone a été administrée."),
        ),
        "doses": (_("Doses de naloxone"), _("Doses de naloxone administrées au total.")),
        "calls": (_("Appels au 15 (SAMU)"), _("Incidents avec appel aux secours.")),
        "transfers": (_("Transferts à l'hôpital"), _("Incidents suivis d'un transfert.")),
        "deaths": (_("Décès sur place"), _("Incidents dont l'issue est un décès (objectif : 0).")),
    }
    label, definition = labels[key]

    def compute(scope: Scope) -> Result:
        n = _safety(scope)[key]
        return Result(value=n, basis=n)

    return Indicator(
        f"incidents_{key}", label, definition, "safety", _("incidents"), compute, sensitive=True
    )


def _incidents_by_kind(scope: Scope) -> Result:
    rows = incidents(scope).values("kind").annotate(n=Count("*"))
    return breakdown(
        cells_from(
            ((r["kind"], r["n"]) for r in rows), dict(IncidentKind.choices), sensitive_basis=True
        )
    )


INDICATORS = [
    Indicator(
        "sessions",
        _("Consommations supervisées"),
        _("Sessions commencées dans la période (une par passage au plus)."),
        "consumption",
        _("sessions"),
        _sessions,
    ),
    Indicator(
        "sessions_by_route",
        _("Consommations par voie"),
        _("Sessions par voie de consommation : injection, inhalation, voie nasale."),
        "consumption",
        _("sessions"),
        _by_route,
        breakdown=True,
    ),
    Indicator(
        "sessions_by_product",
        _("Consommations par produit déclaré"),
        _("Sessions par produit déclaré par la personne (non analysé)."),
        "consumption",
        _("sessions"),
        _by_product,
        breakdown=True,
    ),
    Indicator(
        "sessions_per_day",
        _("Consommations par jour"),
        _("Sessions divisées par le nombre de jours calendaires de la période."),
        "consumption",
        _("sessions/jour"),
        _sessions_per_day,
        decimals=1,
    ),
    Indicator(
        "session_duration",
        _("Durée moyenne d'une consommation"),
        _("Moyenne, en minutes, de la durée des sessions terminées."),
        "consumption",
        _("min"),
        _mean_duration,
        decimals=1,
    ),
    Indicator(
        "booth_occupancy",
        _("Occupation des postes"),
        _(
            "Temps de sessions divisé par le temps d'ouverture multiplié par le nombre de postes "
            "en service, en pourcentage."
        ),
        "consumption",
        "%",
        _booth_occupancy,
        decimals=1,
    ),
    Indicator(
        "overdoses",
        _("Surdoses et intoxications"),
        _("Surdoses d'opioïdes et intoxications aux stimulants prises en charge sur place."),
        "safety",
        _("incidents"),
        _overdoses,
        sensitive=True,
    ),
    Indicator(
        "overdoses_per_1000",
        _("Surdoses pour 1 000 consommations"),
        _("Surdoses et intoxications rapportées à 1 000 sessions de la période."),
        "safety",
        _("pour 1 000"),
        _overdose_rate,
        sensitive=True,
        decimals=2,
        count=False,
    ),
    _safety_count("naloxone"),
    _safety_count("doses"),
    _safety_count("calls"),
    _safety_count("transfers"),
    _safety_count("deaths"),
    Indicator(
        "incidents_by_kind",
        _("Incidents par type"),
        _("Tous les incidents enregistrés, par type."),
        "safety",
        _("incidents"),
        _incidents_by_kind,
        sensitive=True,
        breakdown=True,
    ),
]
