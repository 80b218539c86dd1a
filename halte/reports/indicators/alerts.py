"""Indicators of the alerts app (halte.alerts), defined once like the others: samples collected
at the scope's sites, what their results found, alerts issued to them. Products, not people: no
figure here is masked."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from halte.reports.indicators.base import Indicator, Result, Scope, breakdown, cells_from

SAMPLES = ("alerts.Sample", "alerts.ResultSubstance")
ALERTS = ("alerts.Alert",)


def _samples(scope: Scope) -> Result:
    from halte.alerts.models import Sample

    n = Sample.objects.filter(
        site_id__in=scope.site_ids, collected_on__gte=scope.start, collected_on__lte=scope.end
    ).count()
    return Result(value=n)


def _samples_by_circumstance(scope: Scope) -> Result:
    from halte.alerts.enums import Circumstance
    from halte.alerts.models import Sample

    rows = (
        Sample.objects.filter(
            site_id__in=scope.site_ids, collected_on__gte=scope.start, collected_on__lte=scope.end
        )
        .values_list("circumstance")
        .annotate(n=Count("*"))
        .order_by()
    )
    return breakdown(cells_from(rows, dict(Circumstance.choices)))


def _results_by_substance(scope: Scope) -> Result:
    """Samples whose result (received in the period) found each substance: a sample may count
    under several substances, so the cells do not add up."""
    from halte.alerts.enums import Substance
    from halte.alerts.models import ResultSubstance

    rows = (
        ResultSubstance.objects.filter(
            sample__site_id__in=scope.site_ids,
            sample__result_on__gte=scope.start,
            sample__result_on__lte=scope.end,
        )
        .values_list("substance")
        .annotate(n=Count("sample_id", distinct=True))
        .order_by()
    )
    return breakdown(cells_from(rows, dict(Substance.choices), keep_zero=False), additive=False)


def _results(scope: Scope) -> Result:
    from halte.alerts.models import Sample

    n = Sample.objects.filter(
        site_id__in=scope.site_ids, result_on__gte=scope.start, result_on__lte=scope.end
    ).count()
    return Result(value=n)


def _alerts_issued(scope: Scope) -> Result:
    """Alerts issued in the period to the whole network or to one of the scope's sites."""
    from halte.alerts.enums import Severity
    from halte.alerts.models import Alert

    rows = (
        Alert.objects.filter(issued_at__gte=scope.t0, issued_at__lt=scope.t1)
        .filter(Q(all_sites=True) | Q(sites__in=scope.site_ids))
        .values_list("severity")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return breakdown(cells_from(rows, dict(Severity.choices)))


INDICATORS = [
    Indicator(
        "samples_collected",
        _("Échantillons collectés"),
        _("Échantillons de produits collectés pour analyse dans la période (date de collecte)."),
        "alerts",
        _("échantillons"),
        _samples,
        requires=SAMPLES,
    ),
    Indicator(
        "samples_by_circumstance",
        _("Échantillons selon la circonstance"),
        _("Après un incident, après des effets inattendus, ou collecte de routine."),
        "alerts",
        _("échantillons"),
        _samples_by_circumstance,
        requires=SAMPLES,
        breakdown=True,
    ),
    Indicator(
        "sample_results",
        _("Résultats d'analyse reçus"),
        _("Échantillons dont le résultat est arrivé dans la période."),
        "alerts",
        _("échantillons"),
        _results,
        requires=SAMPLES,
    ),
    Indicator(
        "results_by_substance",
        _("Résultats par substance trouvée"),
        _(
            "Échantillons dont le résultat reçu dans la période contient chaque substance "
            "(principe actif ou produit de coupe) ; un échantillon compte sous plusieurs "
            "substances."
        ),
        "alerts",
        _("échantillons"),
        _results_by_substance,
        requires=SAMPLES,
        breakdown=True,
    ),
    Indicator(
        "alerts_issued",
        _("Alertes produits émises"),
        _("Alertes émises dans la période à tout le réseau ou à un des sites, par gravité."),
        "alerts",
        _("alertes"),
        _alerts_issued,
        requires=ALERTS,
        breakdown=True,
    ),
]
