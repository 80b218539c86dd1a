"""The person's situation, the care pathway after a test, accompaniments and interpreting
(halte.pathway), as the ENa-CAARUD survey, the HSA evaluation and RECAP ask for them.

A person is counted once per question, by code, with their latest answer in the period: the last
situation in which that question was asked (answered or declined) at a site of the scope. "Not
asked" is never counted; "declined" is a category of its own, outside the shares. Every figure
counts people or rare clinical events and is masked under 10 for masked audiences."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from halte.care.models import CareAct
from halte.pathway.models import Accompaniment, Interpreting, Pathway, PathwayStep, Situation
from halte.reports.indicators.base import (
    Fraction,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.router import read_once

SITUATION = ("pathway.Situation",)
PATHWAY = ("pathway.Pathway", "pathway.PathwayStep")
ACCOMPANIMENT = ("pathway.Accompaniment",)
INTERPRETING = ("pathway.Interpreting",)
NOT_ASKED = "not_asked"
DECLINED = "declined"
_FIELDS = ("housing", "coverage", "products_asked", "products", "routes_asked", "routes")


@read_once
def latest_answers(scope: Scope) -> dict[str, dict[int, Any]]:
    """Per question, per person: the latest answer asked in the period at the scope's sites.
    Lists (products, routes) come as a tuple of codes, or ``"declined"``."""
    rows = (
        Situation.objects.filter(
            site_id__in=scope.site_ids, asked_on__gte=scope.start, asked_on__lte=scope.end
        )
        .order_by("asked_on", "pk")
        .values_list("client_id", *_FIELDS)
    )
    latest: dict[str, dict[int, Any]] = {
        "housing": {},
        "coverage": {},
        "products": {},
        "routes": {},
    }
    for client_id, housing, coverage, products_asked, products, routes_asked, routes in rows:
        for name, value in (("housing", housing), ("coverage", coverage)):
            if value != NOT_ASKED:
                latest[name][client_id] = value
        for name, asked, values in (
            ("products", products_asked, products),
            ("routes", routes_asked, routes),
        ):
            if asked == DECLINED:
                latest[name][client_id] = DECLINED
            elif asked != NOT_ASKED:
                latest[name][client_id] = tuple(values)
    return latest


def _choices(name: str) -> dict[str, object]:
    from halte.pathway import enums

    return dict(getattr(enums, name).choices)


def _single_breakdown(scope: Scope, field: str, enum: str) -> Result:
    counts = Counter(latest_answers(scope)[field].values())
    labels = {k: v for k, v in _choices(enum).items() if k != NOT_ASKED}
    return breakdown(cells_from(counts.items(), labels, sensitive_basis=True))


def _share_of(scope: Scope, field: str, enum: str, part: frozenset[str], key: str) -> Result:
    """The share of people in ``part`` among those who answered (declined left out), carrying
    the breakdown it is made from so that a masked audience reads it only with its cells."""
    answers = [a for a in latest_answers(scope)[field].values() if a != DECLINED]
    total = len(answers)
    inside = sum(1 for a in answers if a in part)
    labels = {key: _("oui"), "other": _("non")}
    whole = cells_from([(key, inside), ("other", total - inside)], labels, sensitive_basis=True)
    return Result(
        value=ratio(inside, total, 100),
        basis=min(inside, total - inside) if total else 0,
        fraction=Fraction(inside, total, 100, sensitive_numerator=True, sensitive_denominator=True),
        whole=whole,
        part=key,
    )


def _people_asked(scope: Scope) -> Result:
    rows = Situation.objects.filter(
        site_id__in=scope.site_ids, asked_on__gte=scope.start, asked_on__lte=scope.end
    )
    n = rows.values("client_id").distinct().count()
    return Result(value=n, basis=n)


def _without_housing(scope: Scope) -> Result:
    from halte.pathway.enums import WITHOUT_HOUSING

    return _share_of(scope, "housing", "Housing", WITHOUT_HOUSING, "without_housing")


def _without_coverage(scope: Scope) -> Result:
    from halte.pathway.enums import WITHOUT_COVERAGE

    return _share_of(scope, "coverage", "Coverage", WITHOUT_COVERAGE, "without_coverage")


def _listed(scope: Scope, field: str, enum: str) -> Result:
    """People per product (or route): one person may count in several, so not additive."""
    counts: Counter[str] = Counter()
    for answer in latest_answers(scope)[field].values():
        if answer == DECLINED:
            counts[DECLINED] += 1
        else:
            counts.update(answer)
    labels = {**_choices(enum), DECLINED: _("Ne souhaite pas répondre")}
    return breakdown(cells_from(counts.items(), labels, sensitive_basis=True), additive=False)


@read_once
def _cascade_counts(scope: Scope) -> dict[tuple[str, str], int]:
    """Pathways opened by a test in the period at the scope's sites, by (infection, stage reached);
    stage "tested" counts the pathways themselves, "cured" the cure checks found negative."""
    pathways = Pathway.objects.filter(
        site_id__in=scope.site_ids, tested_on__gte=scope.start, tested_on__lte=scope.end
    )
    counts: dict[tuple[str, str], int] = {}
    for row in pathways.values("infection").annotate(n=Count("*")).order_by():
        counts[(row["infection"], "tested")] = row["n"]
    steps = (
        PathwayStep.objects.filter(pathway__in=pathways)
        .values_list("pathway__infection", "stage", "outcome")
        .annotate(n=Count("*"))
        .order_by()
    )
    for infection, stage, outcome, n in steps:
        if stage == "confirmed" and outcome != "positive":
            continue
        if stage == "cure_checked":
            stage = "cured" if outcome == "negative" else "not_cured"
        counts[(infection, stage)] = counts.get((infection, stage), 0) + n
    return counts


CASCADE_LABELS = {
    "tested": _("Dépisté·es positif·ves"),
    "confirmed": _("Infection confirmée"),
    "assessed": _("Bilan fait"),
    "treatment_started": _("Traitement commencé"),
    "treatment_ended": _("Traitement terminé"),
    "cured": _("Guérison contrôlée"),
}


def _cascade(scope: Scope, infection: str) -> Result:
    counts = _cascade_counts(scope)
    rows = [(stage, counts.get((infection, stage), 0)) for stage in CASCADE_LABELS]
    return breakdown(cells_from(rows, CASCADE_LABELS, sensitive_basis=True), additive=False)


def _pathways_by_infection(scope: Scope) -> Result:
    counts = _cascade_counts(scope)
    rows = [(inf, n) for (inf, stage), n in counts.items() if stage == "tested"]
    return breakdown(cells_from(rows, _choices("Infection"), sensitive_basis=True))


def _accompaniments(scope: Scope) -> Result:
    rows = (
        Accompaniment.objects.filter(
            site_id__in=scope.site_ids, done_on__gte=scope.start, done_on__lte=scope.end
        )
        .values_list("place")
        .annotate(n=Count("*"))
        .order_by()
    )
    return breakdown(cells_from(rows, _choices("AccompanimentPlace")))


def _accompaniment_hours(scope: Scope) -> Result:
    minutes = Accompaniment.objects.filter(
        site_id__in=scope.site_ids, done_on__gte=scope.start, done_on__lte=scope.end
    ).aggregate(m=Sum("minutes"))["m"]
    return Result(value=round((minutes or 0) / 60, 1))


def _interpretings(scope: Scope) -> Result:
    rows = (
        Interpreting.objects.filter(
            site_id__in=scope.site_ids, done_on__gte=scope.start, done_on__lte=scope.end
        )
        .values_list("mode")
        .annotate(n=Count("*"))
        .order_by()
    )
    return breakdown(cells_from(rows, _choices("InterpretingMode")))


def _vaccinations(scope: Scope) -> Result:
    """Vaccinations by vaccine, hepatitis B by dose; those recorded before the vaccine was asked
    count as "not specified"."""
    from halte.care.enums import HBV_DOSES, CareKind, Vaccine

    rows = (
        CareAct.objects.filter(
            site_id__in=scope.site_ids,
            performed_at__gte=scope.t0,
            performed_at__lt=scope.t1,
            kind=CareKind.VACCINATION,
        )
        .values_list("vaccine", "dose")
        .annotate(n=Count("*"))
        .order_by()
    )
    counts: Counter[str] = Counter()
    for vaccine, dose, n in rows:
        counts[f"{vaccine}_{dose}" if dose else vaccine or "unspecified"] += n
    labels: dict[str, object] = {}
    for vaccine in Vaccine:
        if vaccine == Vaccine.HBV:
            for dose in HBV_DOSES:
                labels[f"hbv_{dose}"] = _("%(vaccine)s, dose %(dose)s") % {
                    "vaccine": vaccine.label,
                    "dose": dose,
                }
        else:
            labels[vaccine.value] = vaccine.label
    labels["unspecified"] = _("Vaccin non précisé")
    return breakdown(cells_from(counts.items(), labels))


INDICATORS = [
    Indicator(
        "situation_people",
        _("Personnes dont la situation a été demandée"),
        _(
            "Personnes distinctes dont la situation a été demandée au moins une fois dans la période."
        ),
        "situation",
        _("personnes"),
        _people_asked,
        requires=SITUATION,
        sensitive=True,
    ),
    Indicator(
        "situation_housing",
        _("Logement"),
        _(
            "Personnes selon leur dernier logement déclaré dans la période (catégories "
            "ENa-CAARUD) ; « non demandé » n'est pas compté."
        ),
        "situation",
        _("personnes"),
        lambda scope: _single_breakdown(scope, "housing", "Housing"),
        requires=SITUATION,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "share_without_housing",
        _("Part des personnes sans logement"),
        _(
            "Rue, squat, hébergement d'urgence ou hôtel, parmi les personnes ayant répondu "
            "(refus de répondre exclus)."
        ),
        "situation",
        "%",
        _without_housing,
        requires=SITUATION,
        sensitive=True,
        decimals=1,
        count=False,
    ),
    Indicator(
        "situation_coverage",
        _("Couverture santé"),
        _("Personnes selon leur dernière couverture santé déclarée dans la période."),
        "situation",
        _("personnes"),
        lambda scope: _single_breakdown(scope, "coverage", "Coverage"),
        requires=SITUATION,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "share_without_coverage",
        _("Part des personnes sans couverture santé"),
        _(
            "Aucune couverture ou droits en cours d'ouverture, parmi les personnes ayant "
            "répondu (l'AME compte comme une couverture)."
        ),
        "situation",
        "%",
        _without_coverage,
        requires=SITUATION,
        sensitive=True,
        decimals=1,
        count=False,
    ),
    Indicator(
        "situation_products",
        _("Produits consommés dans les 30 derniers jours"),
        _("Personnes par produit déclaré (une personne peut en citer plusieurs)."),
        "situation",
        _("personnes"),
        lambda scope: _listed(scope, "products", "Product"),
        requires=SITUATION,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "situation_routes",
        _("Voies d'administration dans les 30 derniers jours"),
        _("Personnes par voie déclarée (une personne peut en citer plusieurs)."),
        "situation",
        _("personnes"),
        lambda scope: _listed(scope, "routes", "Route"),
        requires=SITUATION,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "pathways_opened",
        _("Parcours ouverts après un dépistage positif"),
        _("Parcours de soin ouverts dans la période (date du dépistage), par infection."),
        "pathway",
        _("parcours"),
        _pathways_by_infection,
        requires=PATHWAY,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "hcv_cascade",
        _("Cascade de soin de l'hépatite C"),
        _(
            "Parmi les parcours VHC ouverts dans la période : infection confirmée (PCR ou "
            "sérologie positive), bilan (FibroScan…), traitement commencé, terminé, guérison "
            "contrôlée (PCR négative)."
        ),
        "pathway",
        _("personnes"),
        lambda scope: _cascade(scope, "hcv"),
        requires=PATHWAY,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "vaccinations",
        _("Vaccinations"),
        _("Vaccinations faites, par vaccin ; l'hépatite B par dose."),
        "pathway",
        _("vaccinations"),
        _vaccinations,
        requires=("care.CareAct",),
        breakdown=True,
    ),
    Indicator(
        "accompaniments",
        _("Accompagnements"),
        _("Accompagnements physiques de personnes, par lieu (hôpital, CSAPA, préfecture…)."),
        "pathway",
        _("accompagnements"),
        _accompaniments,
        requires=ACCOMPANIMENT,
        breakdown=True,
    ),
    Indicator(
        "accompaniment_hours",
        _("Temps d'accompagnement"),
        _("Heures passées à accompagner des personnes."),
        "pathway",
        _("heures"),
        _accompaniment_hours,
        requires=ACCOMPANIMENT,
        decimals=1,
        count=False,
    ),
    Indicator(
        "interpretings",
        _("Interprétariat"),
        _("Interprétariats donnés, par téléphone ou sur place."),
        "pathway",
        _("interprétariats"),
        _interpretings,
        requires=INTERPRETING,
        breakdown=True,
    ),
]
