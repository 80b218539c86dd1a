"""Care, social support, referrals, material, accommodation and outreach.

These indicators read the care, lodging and outreach apps; each declares the models it reads."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from halte.care.catalogue import labels as catalogue_labels
from halte.care.enums import (
    SCREENING_KINDS,
    TREATMENT_DESTINATIONS,
    CareKind,
    DestinationKind,
    ReferralStatus,
    ScreeningResult,
    SocialKind,
)
from halte.care.models import CareAct, Referral, SocialAct
from halte.lodging.enums import ExitReason
from halte.lodging.models import BedNight, Stay
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.outreach.models import HeadCount, Round, RoundContact
from halte.reports.indicators.base import (
    Cell,
    Indicator,
    Result,
    Scope,
    breakdown,
    cells_from,
    ratio,
)
from halte.reports.indicators.opening import bed_nights_available
from halte.reports.rollups import material_given, syringe_people_count, visit_counts
from halte.reports.router import read_once

CARE = ("care.CareAct",)
SOCIAL = ("care.SocialAct",)
REFERRAL = ("care.Referral",)
MATERIAL = ("care.Distribution", "care.DistributionLine", "care.CatalogueItem")
LODGING = ("lodging.Bed", "lodging.BedNight", "lodging.Stay")
HEADCOUNT = ("outreach.HeadCount",)
ROUNDS = ("outreach.Round", "outreach.RoundContact")


def _in_period(scope: Scope, field: str) -> Q:
    return Q(site_id__in=scope.site_ids, **{f"{field}__gte": scope.t0, f"{field}__lt": scope.t1})


@read_once
def _care_figures(scope: Scope) -> dict[tuple[str, str], int]:
    """Care acts by (kind, result): one grouped query for the care acts, screenings and positives."""
    rows = (
        CareAct.objects.filter(_in_period(scope, "performed_at"))
        .values_list("kind", "result")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {(kind, result or ""): n for kind, result, n in rows}


def _care_counts(scope: Scope, keep: Callable[[str, str], bool]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for (kind, result), n in _care_figures(scope).items():
        if keep(kind, result):
            counts[kind] = counts.get(kind, 0) + n
    return list(counts.items())


def _care_acts(scope: Scope) -> Result:
    labels = dict(CareKind.choices)
    return breakdown(cells_from(_care_counts(scope, lambda _k, _r: True), labels))


def _screenings(scope: Scope) -> Result:
    """Per kind of rapid test: tests done (refusals excluded) and positives."""

    rows = _care_counts(
        scope, lambda kind, result: kind in SCREENING_KINDS and result != ScreeningResult.REFUSED
    )
    labels = {k: v for k, v in CareKind.choices if k in SCREENING_KINDS}
    return breakdown(cells_from(rows, labels, sensitive_basis=True))


def _positives(scope: Scope) -> Result:

    rows = _care_counts(
        scope, lambda kind, result: kind in SCREENING_KINDS and result == ScreeningResult.POSITIVE
    )
    labels = {k: v for k, v in CareKind.choices if k in SCREENING_KINDS}
    return breakdown(cells_from(rows, labels, sensitive_basis=True))


def _social_acts(scope: Scope) -> Result:
    rows = (
        SocialAct.objects.filter(_in_period(scope, "performed_at"))
        .values("kind")
        .annotate(n=Count("*"))
    )
    labels = dict(SocialKind.choices)
    return breakdown(cells_from(((r["kind"], r["n"]) for r in rows), labels))


@read_once
def _referral_figures(scope: Scope) -> dict[tuple[str, str], int]:
    """Referrals by (destination kind, status): one grouped query for the three referral figures."""
    rows = (
        Referral.objects.filter(_in_period(scope, "proposed_at"))
        .values_list("destination_kind", "status")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {(kind, status): n for kind, status, n in rows}


def _referrals(scope: Scope) -> Result:
    counts: dict[str, int] = {}
    for (kind, _status), n in _referral_figures(scope).items():
        counts[kind] = counts.get(kind, 0) + n
    labels = dict(DestinationKind.choices)
    return breakdown(cells_from(counts.items(), labels))


def _referral_completion(scope: Scope) -> Result:

    figures = _referral_figures(scope)
    done = sum(n for (_kind, status), n in figures.items() if status == ReferralStatus.COMPLETED)
    return Result(value=ratio(done, sum(figures.values()), 100))


def _treatment_referrals(scope: Scope) -> Result:

    figures = _referral_figures(scope)
    return Result(
        value=sum(n for (kind, _s), n in figures.items() if kind in TREATMENT_DESTINATIONS)
    )


@read_once
def _material_labels(scope: Scope) -> dict[str, str]:
    return catalogue_labels()


def _material(scope: Scope, *, collected: bool) -> Result:
    """Units per catalogue item (named by its current label)."""
    rows = [
        (item, given.units)
        for (item, is_collected), given in material_given(scope).items()
        if is_collected == collected
    ]
    return breakdown(cells_from(rows, _material_labels(scope), keep_zero=False))


def _syringes(scope: Scope, *, collected: bool) -> int:
    return sum(
        given.syringes
        for (_i, is_collected), given in material_given(scope).items()
        if is_collected == collected
    )


def _syringe_equivalents_given(scope: Scope) -> Result:
    """Syringes given, loose or in kits, counted in syringe equivalents."""
    return Result(value=_syringes(scope, collected=False))


def _syringe_coverage(scope: Scope) -> Result:
    """Syringes (in equivalents) given on the visits of identified people, per person who got
    any in the period: how well each person is covered. Bulk entries name nobody: left out."""
    syringes = sum(
        given.known_syringes
        for (_i, is_collected), given in material_given(scope).items()
        if not is_collected
    )
    people = syringe_people_count(scope)
    return Result(value=ratio(syringes or None, people), basis=people)


def _syringe_return_rate(scope: Scope) -> Result:
    """Used syringes brought back for 100 syringes given, kits counted by the syringes they hold."""
    returned = _syringes(scope, collected=True)
    return Result(value=ratio(returned or None, _syringes(scope, collected=False), 100))


def _bed_nights_in(scope: Scope) -> QuerySet[BedNight]:
    return BedNight.objects.filter(
        bed__site_id__in=scope.site_ids, night__gte=scope.start, night__lte=scope.end
    ).order_by()


@read_once
def nights_by_site(scope: Scope) -> dict[int, int]:
    """Nights spent in a bed in the period, per site of the scope: one grouped query for the
    nights, the occupancy and the cost per night."""
    rows = _bed_nights_in(scope).values_list("bed__site_id").annotate(n=Count("*"))
    return dict(rows)


def _nights(scope: Scope) -> int:
    return sum(nights_by_site(scope).values())


def _bed_nights(scope: Scope) -> Result:
    return Result(value=_nights(scope))


def _bed_occupancy(scope: Scope) -> Result:
    """Nights spent over Σ over the nights of the period of the beds in service that night."""
    return Result(value=ratio(_nights(scope), bed_nights_available(scope), 100))


def _people_housed(scope: Scope) -> Result:
    n = _bed_nights_in(scope).aggregate(n=Count("client_id", distinct=True))["n"]
    return Result(value=n, basis=n)


def _stay_exits(scope: Scope) -> Result:
    rows = (
        Stay.objects.filter(
            bed__site_id__in=scope.site_ids, exit_date__gte=scope.start, exit_date__lte=scope.end
        )
        .values("exit_reason")
        .annotate(n=Count("*"))
    )
    labels = dict(ExitReason.choices)
    return breakdown(
        cells_from(((r["exit_reason"], r["n"]) for r in rows), labels, sensitive_basis=True)
    )


def _outreach_contacts(scope: Scope) -> Result:
    """Contacts are visits at an outreach team's site: counted from the roll-ups."""

    teams = Site.objects.filter(pk__in=scope.site_ids, kind=SiteKind.OUTREACH_TEAM)
    ids = tuple(sorted(teams.values_list("pk", flat=True)))
    if not ids:
        return Result(value=0)
    return Result(value=visit_counts(Scope(ids, scope.start, scope.end))[0])


def _head_counts(scope: Scope) -> Result:
    """Highest head count at each gathering place in the period, by the teams of the scope."""
    rows = (
        HeadCount.objects.filter(
            team_id__in=scope.site_ids, counted_at__gte=scope.t0, counted_at__lt=scope.t1
        )
        .values("place__name")
        .annotate(n=Max("count"))
        .order_by("place__name")
    )
    cells = tuple(Cell(str(r["place__name"]), str(r["place__name"]), r["n"]) for r in rows)
    return breakdown(cells, additive=False)


def _rounds(scope: Scope) -> Result:
    n = Round.objects.filter(
        team_id__in=scope.site_ids, started_at__gte=scope.t0, started_at__lt=scope.t1
    ).count()
    return Result(value=n)


def _new_met(scope: Scope) -> Result:
    n = RoundContact.objects.filter(
        round__team_id__in=scope.site_ids,
        visit__arrived_at__gte=scope.t0,
        visit__arrived_at__lt=scope.t1,
        is_new=True,
    ).count()
    return Result(value=n, basis=n)


INDICATORS = [
    Indicator(
        "care_acts",
        _("Actes de soin"),
        _("Soins infirmiers, consultations, dépistages, vaccinations, TSO, formations naloxone."),
        "care",
        _("actes"),
        _care_acts,
        requires=CARE,
        breakdown=True,
    ),
    Indicator(
        "screenings",
        _("Dépistages réalisés"),
        _("Tests rapides (TROD) VIH, VHC, VHB réalisés, refus exclus."),
        "care",
        _("tests"),
        _screenings,
        requires=CARE,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "screening_positives",
        _("Dépistages positifs"),
        _("Tests rapides dont le résultat est positif."),
        "care",
        _("tests"),
        _positives,
        requires=CARE,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "social_acts",
        _("Démarches sociales"),
        _("Entretiens, ouvertures de droits, domiciliations, papiers, demandes d'hébergement."),
        "social",
        _("actes"),
        _social_acts,
        requires=SOCIAL,
        breakdown=True,
    ),
    Indicator(
        "referrals",
        _("Orientations"),
        _("Orientations proposées dans la période, par destination."),
        "referrals",
        _("orientations"),
        _referrals,
        requires=REFERRAL,
        breakdown=True,
    ),
    Indicator(
        "referrals_treatment",
        _("Orientations vers le soin"),
        _(
            "Orientations vers un CSAPA, l'addictologie hospitalière, un prescripteur de TSO, "
            "un sevrage ou des soins résidentiels."
        ),
        "referrals",
        _("orientations"),
        _treatment_referrals,
        requires=REFERRAL,
    ),
    Indicator(
        "referral_completion",
        _("Orientations abouties"),
        _("Part des orientations proposées dans la période dont la personne est allée au bout."),
        "referrals",
        "%",
        _referral_completion,
        requires=REFERRAL,
        decimals=1,
    ),
    Indicator(
        "material_given",
        _("Matériel remis"),
        _("Quantités de matériel de réduction des risques remises, par article."),
        "material",
        _("unités"),
        lambda scope: _material(scope, collected=False),
        requires=MATERIAL,
        breakdown=True,
    ),
    Indicator(
        "material_returned",
        _("Matériel usagé récupéré"),
        _("Seringues usagées et collecteurs rapportés."),
        "material",
        _("unités"),
        lambda scope: _material(scope, collected=True),
        requires=MATERIAL,
        breakdown=True,
    ),
    Indicator(
        "syringe_equivalents_given",
        _("Seringues remises (équivalents seringues)"),
        _(
            "Seringues remises seules ou dans des kits (un Stéribox en compte deux), selon le "
            "contenu des kits du catalogue au jour de la remise."
        ),
        "material",
        _("seringues"),
        _syringe_equivalents_given,
        requires=MATERIAL,
    ),
    Indicator(
        "syringe_coverage",
        _("Seringues remises par personne"),
        _(
            "Seringues remises (équivalents seringues, kits compris) aux personnes identifiées, "
            "rapportées au nombre de personnes qui en ont reçu dans la période ; les saisies "
            "groupées, sans personne, n'y entrent pas."
        ),
        "material",
        _("seringues par personne"),
        _syringe_coverage,
        requires=MATERIAL,
        sensitive=True,
        decimals=1,
        count=False,
    ),
    Indicator(
        "syringe_return_rate",
        _("Taux de retour des seringues"),
        _(
            "Seringues usagées récupérées pour 100 seringues remises, les kits comptés en "
            "équivalents seringues."
        ),
        "material",
        "%",
        _syringe_return_rate,
        requires=MATERIAL,
        decimals=1,
    ),
    Indicator(
        "bed_nights",
        _("Nuitées"),
        _("Nuits passées dans un lit du périmètre (la nuit du jour J court jusqu'au matin)."),
        "lodging",
        _("nuitées"),
        _bed_nights,
        requires=LODGING,
    ),
    Indicator(
        "bed_occupancy",
        _("Taux d'occupation des lits"),
        _(
            "Nuitées divisées par la somme, sur les nuits de la période, des lits en service "
            "cette nuit-là, en pourcentage."
        ),
        "lodging",
        "%",
        _bed_occupancy,
        requires=LODGING,
        decimals=1,
    ),
    Indicator(
        "people_housed",
        _("Personnes hébergées"),
        _("Personnes distinctes ayant passé au moins une nuit dans un lit du périmètre."),
        "lodging",
        _("personnes"),
        _people_housed,
        requires=LODGING,
        sensitive=True,
    ),
    Indicator(
        "stay_exits",
        _("Sorties d'hébergement par motif"),
        _("Séjours terminés dans la période, par motif de sortie."),
        "lodging",
        _("séjours"),
        _stay_exits,
        requires=LODGING,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "outreach_contacts",
        _("Contacts en maraude"),
        _("Passages enregistrés par les équipes de maraude du périmètre."),
        "outreach",
        _("contacts"),
        _outreach_contacts,
    ),
    Indicator(
        "head_counts",
        _("Comptages sur les lieux de regroupement"),
        _("Le plus grand nombre de personnes comptées sur chaque lieu pendant la période."),
        "outreach",
        _("personnes"),
        _head_counts,
        requires=HEADCOUNT,
        breakdown=True,
    ),
    Indicator(
        "outreach_rounds",
        _("Maraudes"),
        _("Maraudes commencées dans la période par les équipes du périmètre."),
        "outreach",
        _("maraudes"),
        _rounds,
        requires=ROUNDS,
    ),
    Indicator(
        "outreach_new_people",
        _("Nouvelles personnes rencontrées en maraude"),
        _("Contacts de maraude marqués « nouvelle personne » par l'équipe."),
        "outreach",
        _("personnes"),
        _new_met,
        requires=ROUNDS,
        sensitive=True,
    ),
]
