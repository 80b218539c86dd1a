"""People and attendance: file active, new people, sex, age, visits and their rhythm.

People are counted by their pseudonymous code across the sites of the scope: someone seen at three
sites counts once in the network, so the network's file active is not the sum of its sites'.
Anonymous contacts (no code) are counted as visits, never as people."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.network.enums import SiteKind
from halte.reports import rollups
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
from halte.reports.indicators.opening import days_open, per_open_day
from halte.visits.enums import PURPOSE_BITS, Purpose
from halte.visits.models import Visit

AGE_GROUPS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 120))


def visits(scope: Scope) -> QuerySet[Visit]:
    """The visits that began in the period at the sites of the scope."""
    return Visit.objects.filter(
        site_id__in=scope.site_ids, arrived_at__gte=scope.t0, arrived_at__lt=scope.t1
    )


def people(scope: Scope) -> QuerySet[Client]:
    """The people (by code) with at least one visit in the scope: a subquery, never a list."""
    return Client.objects.filter(pk__in=visits(scope).exclude(client=None).values("client_id"))


def _file_active(scope: Scope) -> Result:
    n = rollups.people_count(scope)
    return Result(value=n, basis=n)


def _new_people(scope: Scope) -> Result:
    n = rollups.new_people_count(scope)
    return Result(value=n, basis=n)


def _by_sex(scope: Scope) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (sex, _year), n in rollups.people_profile(scope).items():
        counts[sex] = counts.get(sex, 0) + n
    return counts


def sex_breakdown(counts: dict[str, int]) -> Result:
    """People by sex or gender, every category shown (``counts``: people per category)."""
    return breakdown(cells_from(counts.items(), dict(SexGender.choices), sensitive_basis=True))


def women_share(counts: dict[str, int]) -> Result:
    """The share of women: one cell of the breakdown by sex over its total, which it carries so
    that a masked audience reads it only when that cell is published (``present_line``)."""
    total = sum(counts.values())
    women = counts.get(SexGender.WOMAN, 0)
    return Result(
        value=ratio(women, total, 100),
        basis=min(women, total - women) if total else 0,
        fraction=Fraction(women, total, 100, sensitive_numerator=True, sensitive_denominator=True),
        whole=sex_breakdown(counts).cells,
        part=SexGender.WOMAN,
    )


def _people_by_sex(scope: Scope) -> Result:
    return sex_breakdown(_by_sex(scope))


def _share_women(scope: Scope) -> Result:
    return women_share(_by_sex(scope))


def _birth_years(scope: Scope) -> list[tuple[int, int]]:
    """(birth year, people): one row per year of birth, a few dozen at most."""
    counts: dict[int, int] = {}
    for (_sex, year), n in rollups.people_profile(scope).items():
        counts[year] = counts.get(year, 0) + n
    return sorted(counts.items())


def _median_age(scope: Scope) -> Result:
    rows = _birth_years(scope)
    total = sum(n for _year, n in rows)
    if not total:
        return Result(value=None, basis=0)
    ages = sorted((scope.end.year - year, n) for year, n in rows)
    middle, seen = (total + 1) / 2, 0
    for age, n in ages:
        seen += n
        if seen >= middle:
            return Result(value=age, basis=total)
    return Result(value=None, basis=0)


def _age_groups(scope: Scope) -> Result:
    counts: dict[str, int] = {}
    for year, n in _birth_years(scope):
        age = scope.end.year - year
        for low, high in AGE_GROUPS:
            if low <= age <= high:
                key = f"{low}-{high}" if high < 120 else f"{low}+"
                counts[key] = counts.get(key, 0) + n
    labels = {
        (f"{lo}-{hi}" if hi < 120 else f"{lo}+"): (
            _("%(low)s–%(high)s ans") % {"low": lo, "high": hi}
            if hi < 120
            else _("%(low)s ans et plus") % {"low": lo}
        )
        for lo, hi in AGE_GROUPS
    }
    minors = sum(n for year, n in _birth_years(scope) if scope.end.year - year < 18)
    if minors:
        counts["under-18"] = minors
        labels = {"under-18": str(_("moins de 18 ans")), **labels}
    return breakdown(cells_from(counts.items(), labels, sensitive_basis=True))


def _visits(scope: Scope) -> Result:
    return Result(value=rollups.visit_counts(scope)[0])


def _anonymous(scope: Scope) -> Result:
    return Result(value=rollups.visit_counts(scope)[1])


def _daily(scope: Scope) -> dict[str, float | None]:
    per_day = rollups.daily_counts(scope)
    return {
        "days": len(per_day),
        "peak": max(per_day.values(), default=None),
    }


def _visits_per_day(scope: Scope) -> Result:
    return per_open_day(rollups.visit_counts(scope)[0], scope)


def _days_open(scope: Scope) -> Result:
    return Result(value=days_open(scope))


def _visits_peak(scope: Scope) -> Result:
    return Result(value=_daily(scope)["peak"])


def _days_with_activity(scope: Scope) -> Result:
    return Result(value=_daily(scope)["days"])


def _contacts_per_person(scope: Scope) -> Result:
    total, anonymous = rollups.visit_counts(scope)
    people_n = rollups.people_count(scope)
    return Result(
        value=ratio(total - anonymous, people_n),
        basis=people_n,
        fraction=Fraction(total - anonymous, people_n, sensitive_denominator=True),
    )


def _by_purpose(scope: Scope) -> Result:
    masks = rollups.purpose_counts(scope)
    rows = [
        (key, sum(n for mask, n in masks.items() if mask & bit))
        for key, bit in PURPOSE_BITS.items()
    ]
    return breakdown(cells_from(rows, dict(Purpose.choices)), additive=False)


def _sites(scope: Scope) -> Result:
    kinds: dict[str, int] = {}
    for site in sites_with_hours(scope):
        kinds[site.kind] = kinds.get(site.kind, 0) + 1
    return breakdown(cells_from(kinds.items(), dict(SiteKind.choices), keep_zero=False))


INDICATORS = [
    Indicator(
        "sites",
        _("Sites et antennes"),
        _("Nombre de lieux du périmètre, par type."),
        "organisation",
        _("sites"),
        _sites,
        breakdown=True,
    ),
    Indicator(
        "file_active",
        _("File active"),
        _(
            "Personnes distinctes (par code) venues au moins une fois dans la période ; une "
            "personne venue sur plusieurs sites compte une fois pour le réseau."
        ),
        "people",
        _("personnes"),
        _file_active,
        sensitive=True,
    ),
    Indicator(
        "new_people",
        _("Nouvelles personnes"),
        _(
            "Personnes dont le tout premier passage sur les sites du périmètre a lieu dans la "
            "période."
        ),
        "people",
        _("personnes"),
        _new_people,
        sensitive=True,
    ),
    Indicator(
        "people_by_sex",
        _("Personnes par sexe ou genre"),
        _("File active répartie selon le sexe ou genre déclaré."),
        "people",
        _("personnes"),
        _people_by_sex,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "share_women",
        _("Part des femmes"),
        _("Femmes dans la file active, en pourcentage."),
        "people",
        "%",
        _share_women,
        sensitive=True,
        decimals=1,
        count=False,
    ),
    Indicator(
        "median_age",
        _("Âge médian"),
        _(
            "Âge médian de la file active, atteint dans l'année de fin de période (seule l'année "
            "de naissance est connue)."
        ),
        "people",
        _("ans"),
        _median_age,
        sensitive=True,
        count=False,
    ),
    Indicator(
        "age_groups",
        _("Personnes par tranche d'âge"),
        _("File active par tranche d'âge atteint dans l'année de fin de période."),
        "people",
        _("personnes"),
        _age_groups,
        sensitive=True,
        breakdown=True,
    ),
    Indicator(
        "contacts_per_person",
        _("Passages par personne"),
        _("Passages des personnes identifiées divisés par la file active."),
        "people",
        _("passages"),
        _contacts_per_person,
        sensitive=True,
        decimals=1,
        count=False,
    ),
    Indicator(
        "visits",
        _("Passages"),
        _("Passages commencés dans la période, contacts anonymes compris."),
        "attendance",
        _("passages"),
        _visits,
    ),
    Indicator(
        "anonymous_contacts",
        _("Contacts anonymes"),
        _("Passages de personnes qui n'ont pas souhaité de code : comptés, jamais reliés."),
        "attendance",
        _("passages"),
        _anonymous,
    ),
    Indicator(
        "visits_per_day",
        _("Passages par jour (moyenne)"),
        _(
            "Passages divisés par les jours d'ouverture : jours où au moins un site du périmètre "
            "a ouvert, selon ses horaires et ses exceptions (pas les jours calendaires)."
        ),
        "attendance",
        _("passages/jour"),
        _visits_per_day,
        decimals=1,
    ),
    Indicator(
        "visits_peak_day",
        _("Passages par jour (pic)"),
        _("Le plus grand nombre de passages en une journée de la période."),
        "attendance",
        _("passages"),
        _visits_peak,
    ),
    Indicator(
        "days_open",
        _("Jours d'ouverture"),
        _(
            "Jours de la période où au moins un site du périmètre a ouvert, selon ses horaires "
            "et ses exceptions : le diviseur de toutes les moyennes par jour."
        ),
        "attendance",
        _("jours"),
        _days_open,
    ),
    Indicator(
        "days_with_activity",
        _("Jours d'activité"),
        _("Jours de la période avec au moins un passage."),
        "attendance",
        _("jours"),
        _days_with_activity,
    ),
    Indicator(
        "visits_by_purpose",
        _("Passages par motif"),
        _("Passages comptant chaque motif ; un passage peut en avoir plusieurs."),
        "attendance",
        _("passages"),
        _by_purpose,
        breakdown=True,
    ),
]
