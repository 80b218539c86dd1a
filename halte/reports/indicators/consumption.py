"""Supervised consumption and safety: sessions, booth occupancy, overdoses and what was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import IncidentKind, Outcome, Product, SessionRoute
from halte.consumption.models import Booth, Incident, Session
from halte.core.timeutils import PARIS
from halte.network.hours import Span, intervals_on, spans_on
from halte.network.selectors import site_exceptions, site_spans
from halte.reports.indicators.base import (
    Fraction,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.indicators.means import sites_with_hours
from halte.reports.router import read_once

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
    for site in sites_with_hours(scope):
        by_weekday: dict[int, list[Span]] = {}
        for span in site_spans(site):
            by_weekday.setdefault(span.weekday, []).append(span)
        exceptions = {e.date: e for e in site_exceptions(site)}
        # Days with the same spans and no clock change within two days last the same: computed
        # once (a year is a few distinct days, not 365 conversions to UTC).
        same: dict[tuple[tuple[dt.time, dt.time, bool], ...], float] = {}
        total = 0.0
        day = scope.start
        while day <= scope.end:
            spans = by_weekday.get(day.weekday(), [])
            key = tuple(spans_on(day, spans, exceptions))
            if key:
                steady = _utc_offset(day) == _utc_offset(day + dt.timedelta(days=2))
                hours = same.get(key) if steady else None
                if hours is None:
                    hours = sum(
                        (i.end - i.start).total_seconds() / 3600
                        for i in intervals_on(day, spans, exceptions)
                    )
                    if steady:
                        same[key] = hours
                total += hours
            day += dt.timedelta(days=1)
        result[site.pk] = total
    return result


def _utc_offset(day: dt.date) -> dt.timedelta | None:
    """Paris's offset from UTC at the start of ``day`` (local midnight)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=PARIS).utcoffset()


@dataclass(frozen=True)
class SessionGroup:
    route: str
    product: str
    n: int
    ended: int
    used: dt.timedelta


@read_once
def _session_figures(scope: Scope) -> list[SessionGroup]:
    """The scope's sessions by route and product, with how many ended and their time in use: one
    grouped query that every session indicator of a report shares."""
    rows = (
        sessions(scope)
        .values("route", "product")
        .annotate(n=Count("*"), ended=Count("ended_at"), used=Sum(DURATION))
        .order_by()
    )
    return [
        SessionGroup(r["route"], r["product"], r["n"], r["ended"], r["used"] or dt.timedelta(0))
        for r in rows
    ]


def _session_count(scope: Scope) -> int:
    return sum(g.n for g in _session_figures(scope))


def _time_in_use(scope: Scope) -> tuple[dt.timedelta, int]:
    """(time in use, sessions ended) of the sessions that ended."""
    groups = _session_figures(scope)
    return sum((g.used for g in groups), dt.timedelta(0)), sum(g.ended for g in groups)


def _counted_by(scope: Scope, key: str) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for g in _session_figures(scope):
        category = g.route if key == "route" else g.product
        counts[category] = counts.get(category, 0) + g.n
    return list(counts.items())


def _sessions(scope: Scope) -> Result:
    return Result(value=_session_count(scope))


def _by_route(scope: Scope) -> Result:
    return breakdown(cells_from(_counted_by(scope, "route"), dict(SessionRoute.choices)))


def _by_product(scope: Scope) -> Result:
    return breakdown(
        cells_from(_counted_by(scope, "product"), dict(Product.choices), keep_zero=False)
    )


def _sessions_per_day(scope: Scope) -> Result:
    return Result(value=ratio(_session_count(scope), scope.days))


def _mean_duration(scope: Scope) -> Result:
    used, ended = _time_in_use(scope)
    return Result(value=used.total_seconds() / 60 / ended if ended else None)


def _booth_occupancy(scope: Scope) -> Result:
    """Minutes of sessions over minutes of booths open: the share of booth time in use."""
    used, _ended = _time_in_use(scope)
    booths = dict(
        Booth.objects.filter(site_id__in=scope.site_ids, is_active=True)
        .values("site_id")
        .annotate(n=Count("*"))
        .values_list("site_id", "n")
    )
    hours = open_hours(scope)
    capacity = sum(hours.get(site_id, 0.0) * n for site_id, n in booths.items())
    return Result(value=ratio(used.total_seconds() / 3600, capacity, 100))


@read_once
def _incident_figures(scope: Scope) -> dict[str, dict[str, int]]:
    """Per kind of incident: how many, and what was done (one grouped query shared by every safety
    indicator of a report)."""
    rows = (
        incidents(scope)
        .values("kind")
        .annotate(
            n=Count("*"),
            naloxone=Count("pk", filter=Q(naloxone_doses__gt=0)),
            doses=Sum("naloxone_doses", default=0),
            calls=Count("pk", filter=Q(emergency_call=True)),
            transfers=Count("pk", filter=Q(hospital_transfer=True)),
            deaths=Count("pk", filter=Q(outcome=Outcome.DEATH)),
        )
        .order_by()
    )
    return {
        r["kind"]: {
            "n": r["n"],
            "naloxone": r["naloxone"],
            "doses": int(r["doses"] or 0),
            "calls": r["calls"],
            "transfers": r["transfers"],
            "deaths": r["deaths"],
        }
        for r in rows
    }


def _overdose_count(scope: Scope, kinds: tuple[str, ...] = OVERDOSE_KINDS) -> int:
    figures = _incident_figures(scope)
    return sum(figures[kind]["n"] for kind in kinds if kind in figures)


def _overdose_counter(kinds: tuple[str, ...]) -> Callable[[Scope], Result]:
    def compute(scope: Scope) -> Result:
        n = _overdose_count(scope, kinds)
        return Result(value=n, basis=n)

    return compute


def _overdose_rater(kinds: tuple[str, ...]) -> Callable[[Scope], Result]:
    def compute(scope: Scope) -> Result:
        n, sessions_n = _overdose_count(scope, kinds), _session_count(scope)
        return Result(
            value=ratio(n, sessions_n, 1000),
            basis=n,
            fraction=Fraction(n, sessions_n, 1000, sensitive_numerator=True),
        )

    return compute


def _safety(scope: Scope) -> dict[str, int]:
    keys = ("naloxone", "doses", "calls", "transfers", "deaths")
    kinds = _incident_figures(scope).values()
    return {key: sum(int(k[key]) for k in kinds) for key in keys}


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
        f"incidents_{key}",
        label,
        definition,
        "safety",
        _("incidents"),
        compute,
        sensitive=SAFETY_EVENTS_MASKED,
    )


def _incidents_by_kind(scope: Scope) -> Result:
    rows = ((kind, figures["n"]) for kind, figures in _incident_figures(scope).items())
    return breakdown(cells_from(rows, dict(IncidentKind.choices), sensitive_basis=True))


# Safety events (overdoses and their rate, naloxone, emergency calls, transfers, deaths, incidents
# by kind) are published exactly, to every audience: they count events at a site, not people; they
# are the figures a funder needs to judge a room's safety, and a count rounded to 0 or shown "<10"
# would hide the very overdoses the room exists to survive. The re-identification risk at a small
# site is weighed in docs/reports.md ("Safety events").
SAFETY_EVENTS_MASKED = False

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
        _("Sessions par voie de consommation : injection, inhalation, voie nasale, voie orale."),
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
        "opioid_overdoses",
        _("Surdoses d'opioïdes"),
        _("Surdoses d'opioïdes prises en charge sur place (incidents de ce type)."),
        "safety",
        _("incidents"),
        _overdose_counter((IncidentKind.OPIOID_OVERDOSE,)),
        sensitive=SAFETY_EVENTS_MASKED,
    ),
    Indicator(
        "stimulant_toxicities",
        _("Intoxications aux stimulants"),
        _(
            "Intoxications aux stimulants (cocaïne, crack…) prises en charge sur place "
            "(incidents de ce type)."
        ),
        "safety",
        _("incidents"),
        _overdose_counter((IncidentKind.STIMULANT_TOXICITY,)),
        sensitive=SAFETY_EVENTS_MASKED,
    ),
    Indicator(
        "opioid_overdoses_per_1000",
        _("Surdoses d'opioïdes pour 1 000 consommations"),
        _("Surdoses d'opioïdes rapportées à 1 000 sessions commencées dans la période."),
        "safety",
        _("pour 1 000"),
        _overdose_rater((IncidentKind.OPIOID_OVERDOSE,)),
        sensitive=SAFETY_EVENTS_MASKED,
        decimals=2,
        count=False,
    ),
    Indicator(
        "stimulant_toxicities_per_1000",
        _("Intoxications aux stimulants pour 1 000 consommations"),
        _("Intoxications aux stimulants rapportées à 1 000 sessions commencées dans la période."),
        "safety",
        _("pour 1 000"),
        _overdose_rater((IncidentKind.STIMULANT_TOXICITY,)),
        sensitive=SAFETY_EVENTS_MASKED,
        decimals=2,
        count=False,
    ),
    Indicator(
        "overdoses",
        _("Surdoses d'opioïdes et intoxications aux stimulants (somme)"),
        _(
            "Somme des deux lignes précédentes : surdoses d'opioïdes plus intoxications aux "
            "stimulants prises en charge sur place. À n'utiliser que là où un référentiel les "
            "additionne."
        ),
        "safety",
        _("incidents"),
        _overdose_counter(OVERDOSE_KINDS),
        sensitive=SAFETY_EVENTS_MASKED,
    ),
    Indicator(
        "overdoses_per_1000",
        _("Surdoses d'opioïdes et intoxications aux stimulants pour 1 000 consommations (somme)"),
        _(
            "Surdoses d'opioïdes plus intoxications aux stimulants, rapportées à 1 000 sessions "
            "commencées dans la période. À n'utiliser que là où un référentiel les additionne."
        ),
        "safety",
        _("pour 1 000"),
        _overdose_rater(OVERDOSE_KINDS),
        sensitive=SAFETY_EVENTS_MASKED,
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
        sensitive=SAFETY_EVENTS_MASKED,
        breakdown=True,
    ),
]
