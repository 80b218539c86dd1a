"""Supervised consumption and safety: sessions, booth occupancy, overdoses and what was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import IncidentKind, Outcome, Product, SessionRoute
from halte.consumption.models import Incident, Session
from halte.reports.indicators.base import (
    Fraction,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.indicators.opening import booth_hours, per_open_day
from halte.reports.indicators.opening import open_hours as open_hours  # where it was
from halte.reports.router import read_once

OVERDOSE_KINDS = (IncidentKind.OPIOID_OVERDOSE, IncidentKind.STIMULANT_TOXICITY)
DURATION = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
WATCHED = ExpressionWrapper(
    F("watch_ended_at") - F("watch_started_at"), output_field=DurationField()
)


def sessions(scope: Scope) -> QuerySet[Session]:
    return Session.objects.filter(
        booth__site_id__in=scope.site_ids, started_at__gte=scope.t0, started_at__lt=scope.t1
    )


def incidents(scope: Scope) -> QuerySet[Incident]:
    return Incident.objects.filter(
        site_id__in=scope.site_ids, occurred_at__gte=scope.t0, occurred_at__lt=scope.t1
    )


@dataclass(frozen=True)
class SessionGroup:
    route: str
    product: str
    n: int
    ended: int
    used: dt.timedelta
    several: int = 0  # with more than one product
    peer: int = 0  # led by a peer
    watched: int = 0  # whose watch after the session ended
    watch_time: dt.timedelta = dt.timedelta(0)


@read_once
def session_figures(scope: Scope) -> list[SessionGroup]:
    """The scope's sessions by route and product, with how many ended and their time in use, how
    many had several products or a peer, and the watches after them: one grouped query (on the
    sessions' covering index) that every session indicator of a report shares."""
    rows = (
        sessions(scope)
        .values("route", "product")
        .annotate(
            n=Count("*"),
            ended=Count("ended_at"),
            used=Sum(DURATION),
            several=Count("started_at", filter=Q(other_products__gt=0)),
            peer=Count("started_at", filter=Q(led_by_peer=True)),
            watched=Count("watch_ended_at", filter=Q(watch_started_at__isnull=False)),
            watch_time=Sum(WATCHED, filter=Q(watch_ended_at__isnull=False)),
        )
        .order_by()
    )
    return [
        SessionGroup(
            r["route"],
            r["product"],
            r["n"],
            r["ended"],
            r["used"] or dt.timedelta(0),
            r["several"],
            r["peer"],
            r["watched"],
            r["watch_time"] or dt.timedelta(0),
        )
        for r in rows
    ]


def _session_count(scope: Scope) -> int:
    return sum(g.n for g in session_figures(scope))


def _time_in_use(scope: Scope) -> tuple[dt.timedelta, int]:
    """(time in use, sessions ended) of the sessions that ended."""
    groups = session_figures(scope)
    return sum((g.used for g in groups), dt.timedelta(0)), sum(g.ended for g in groups)


def _counted_by(scope: Scope, key: str) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for g in session_figures(scope):
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
    return per_open_day(_session_count(scope), scope)


def _mean_duration(scope: Scope) -> Result:
    used, ended = _time_in_use(scope)
    return Result(value=used.total_seconds() / 60 / ended if ended else None)


def _booth_occupancy(scope: Scope) -> Result:
    """Time of sessions over booth time open: Σ over the days of booths in service that day ×
    that day's opening hours (the booths of each day, not today's)."""
    used, _ended = _time_in_use(scope)
    return Result(value=ratio(used.total_seconds() / 3600, booth_hours(scope), 100))


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
        "doses": (
            _("Doses de naloxone"),
            _(
                "Doses unitaires de naloxone administrées au total : somme des doses saisies pour "
                "chaque incident."
            ),
        ),
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
        _("doses") if key == "doses" else _("incidents"),
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
        _(
            "Sessions divisées par les jours d'ouverture : jours où au moins un site du "
            "périmètre a ouvert, selon ses horaires et ses exceptions (pas les jours calendaires)."
        ),
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
            "Temps de sessions divisé par la somme, sur les jours de la période, des postes en "
            "service ce jour-là multipliés par les heures d'ouverture de ce jour, en pourcentage."
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
