"""The room's refusals and waits, the watch after a session, sessions with several products.

Saturation, the argument for opening a new site, is read per hour of the day (Paris time): the
people turned away because the site was full and the people kept waiting for a booth, in each hour.
A refusal or a wait is an event at a site, recorded without any person (``consumption.Refusal``
holds no person at all), so these figures are published exactly to every audience, like the
safety events (``consumption.SAFETY_EVENTS_MASKED``): a rounded "<10" would hide the very
saturation they are read for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.utils.translation import gettext_lazy as _

from halte.consumption.enums import RefusalReason, WaitOutcome
from halte.consumption.models import Refusal, Wait
from halte.core.timeutils import PARIS
from halte.reports.indicators.base import (
    Cell,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.indicators.consumption import session_figures
from halte.reports.router import read_once

HOURS = tuple(range(24))
WAITED = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())


def refusals(scope: Scope) -> QuerySet[Refusal]:
    return Refusal.objects.filter(site_id__in=scope.site_ids, at__gte=scope.t0, at__lt=scope.t1)


def waits(scope: Scope) -> QuerySet[Wait]:
    return Wait.objects.filter(
        site_id__in=scope.site_ids, started_at__gte=scope.t0, started_at__lt=scope.t1
    )


def _hour_label(hour: int) -> str:
    return f"{hour:02d}h"


@read_once
def saturation_by_hour(scope: Scope) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(people turned away because the site was full, people who began waiting for a booth) in
    each hour of the day, 0 to 23, Paris time: two grouped queries."""
    full = dict(
        refusals(scope)
        .filter(reason=RefusalReason.FULL)
        .annotate(hour=ExtractHour("at", tzinfo=PARIS))
        .values("hour")
        .annotate(n=Count("*"))
        .values_list("hour", "n")
        .order_by()
    )
    waited = dict(
        waits(scope)
        .annotate(hour=ExtractHour("started_at", tzinfo=PARIS))
        .values("hour")
        .annotate(n=Count("*"))
        .values_list("hour", "n")
        .order_by()
    )
    return tuple(full.get(h, 0) for h in HOURS), tuple(waited.get(h, 0) for h in HOURS)


@read_once
def _refusal_reasons(scope: Scope) -> dict[str, int]:
    return dict(refusals(scope).values("reason").annotate(n=Count("*")).values_list("reason", "n"))


@read_once
def _wait_figures(scope: Scope) -> dict[str, float | int | None]:
    row = waits(scope).aggregate(
        n=Count("*"),
        left=Count("pk", filter=Q(outcome=WaitOutcome.LEFT)),
        mean=Avg(WAITED, filter=Q(ended_at__isnull=False)),
    )
    mean = row["mean"]
    return {
        "n": row["n"],
        "left": row["left"],
        "minutes": mean.total_seconds() / 60 if isinstance(mean, dt.timedelta) else None,
    }


def _refusals(scope: Scope) -> Result:
    return Result(value=sum(_refusal_reasons(scope).values()))


def _by_reason(scope: Scope) -> Result:
    return breakdown(cells_from(_refusal_reasons(scope).items(), dict(RefusalReason.choices)))


def _saturation(scope: Scope) -> Result:
    full, waited = saturation_by_hour(scope)
    return breakdown(
        tuple(
            Cell(key=str(h), label=_hour_label(h), value=full[h] + waited[h])
            for h in HOURS
            if full[h] + waited[h]
        )
    )


def _waits(scope: Scope) -> Result:
    return Result(value=_wait_figures(scope)["n"])


def _waits_left(scope: Scope) -> Result:
    return Result(value=_wait_figures(scope)["left"])


def _wait_minutes(scope: Scope) -> Result:
    return Result(value=_wait_figures(scope)["minutes"])


def _watch_minutes(scope: Scope) -> Result:
    """The mean watch after a session, over the sessions whose watch began and ended."""
    groups = session_figures(scope)
    watched = sum(g.watched for g in groups)
    total = sum((g.watch_time for g in groups), dt.timedelta(0))
    return Result(value=total.total_seconds() / 60 / watched if watched else None)


def _several_products(scope: Scope) -> Result:
    groups = session_figures(scope)
    return Result(value=ratio(sum(g.several for g in groups), sum(g.n for g in groups), 100))


def _led_by_peers(scope: Scope) -> Result:
    return Result(value=sum(g.peer for g in session_figures(scope)))


ROOM = ("consumption.Refusal", "consumption.Wait")

INDICATORS = [
    Indicator(
        "refusals",
        _("Personnes refusées"),
        _(
            "Refus à l'entrée ou à la salle de consommation (complet, fermé, exclusion, minorité, "
            "voie non proposée, accueil réservé aux femmes), chaque refus compté une fois."
        ),
        "room",
        _("refus"),
        _refusals,
        requires=ROOM,
    ),
    Indicator(
        "refusals_by_reason",
        _("Refus par motif"),
        _("Refus de la période, par motif."),
        "room",
        _("refus"),
        _by_reason,
        requires=ROOM,
        breakdown=True,
    ),
    Indicator(
        "saturation_by_hour",
        _("Saturation par heure de la journée"),
        _(
            "Par heure (heure de Paris) : personnes refusées faute de place et personnes mises en "
            "attente d'un poste. Seules les heures où il y en a eu sont listées."
        ),
        "room",
        _("personnes"),
        _saturation,
        requires=ROOM,
        breakdown=True,
    ),
    Indicator(
        "waits",
        _("Attentes d'un poste"),
        _("Personnes présentes mises en attente d'un poste libre."),
        "room",
        _("attentes"),
        _waits,
        requires=ROOM,
    ),
    Indicator(
        "waits_given_up",
        _("Attentes abandonnées"),
        _("Attentes terminées sans consommation (la personne est partie)."),
        "room",
        _("attentes"),
        _waits_left,
        requires=ROOM,
    ),
    Indicator(
        "wait_minutes",
        _("Durée moyenne d'attente"),
        _("Moyenne, en minutes, des attentes terminées."),
        "room",
        _("min"),
        _wait_minutes,
        requires=ROOM,
        decimals=1,
        count=False,
    ),
    Indicator(
        "watch_minutes",
        _("Durée moyenne en espace de repos"),
        _(
            "Moyenne, en minutes, du temps passé en espace de repos sous surveillance après une "
            "consommation, pour les surveillances terminées."
        ),
        "room",
        _("min"),
        _watch_minutes,
        requires=ROOM,
        decimals=1,
        count=False,
    ),
    Indicator(
        "sessions_several_products",
        _("Consommations de plusieurs produits"),
        _("Part des sessions où plus d'un produit a été déclaré."),
        "room",
        "%",
        _several_products,
        requires=ROOM,
        decimals=1,
        count=False,
    ),
    Indicator(
        "sessions_led_by_peers",
        _("Consommations supervisées par un·e pair·e aidant·e"),
        _(
            "Sessions commencées par un membre de l'équipe qui avait alors le rôle de pair·e "
            "aidant·e sur le site."
        ),
        "room",
        _("sessions"),
        _led_by_peers,
        requires=ROOM,
    ),
]
