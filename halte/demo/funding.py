"""Funding and staff for the demo network, from published figures (docs/domain.md §4.2, §8).

Each line says where its figure comes from; figures that are spread, rounded or assumed are marked
``approximate``. Loaded through the services, so each leaves its audit event."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from halte.accounts.models import User
from halte.network.models import Site
from halte.reports.enums import Funder, Profession
from halte.reports.models import FundingLine, StaffPosition
from halte.reports.services import funding_line_create, staff_position_set


@dataclass(frozen=True)
class DemoFunding:
    site: str
    funder: str
    amounts: dict[int, int]  # year -> euros; no line for a year not in it
    source: str
    approximate: bool = True
    plan_action: int | None = None


YEARS = range(2019, 2027)


def _days_in(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def from_opening(opened: dt.date, per_year: int, years: range = YEARS) -> dict[int, int]:
    """``per_year`` for each year from the one of ``opened``, that first year only for the days
    from the opening on (rounded to the thousand euros): nothing is funded before a place opens."""
    amounts = {}
    for year in years:
        if year < opened.year:
            continue
        share = 1.0
        if year == opened.year:
            share = (dt.date(year + 1, 1, 1) - opened).days / _days_in(year)
        amounts[year] = int(round(per_year * share, -3))
    return amounts


# ASSORE places, from the day they were there (docs/domain.md §4.2, §8: "220 places en 2019 → 440
# → 510 → 610", ARS release relayed by toute-la.veille-acteurs-sante.fr; +70 places on 1 Feb 2022,
# 20minutes.fr; 610 since 2023, gaia-paris.fr/hebergement).
ASSORE_PLACES = (
    (dt.date(2019, 1, 1), 220),
    (dt.date(2020, 1, 1), 440),
    (dt.date(2022, 2, 1), 510),
    (dt.date(2023, 1, 1), 610),
)
# The only published cost: hotel rooms ≈ 5.7 M€ a year when some 440 places were open (Le Parisien
# via citoyens-et-francais.fr, June 2021 [secondary source]).
ASSORE_COST_PER_PLACE = 5_700_000 / 440


def places_on(day: dt.date, steps: tuple[tuple[dt.date, int], ...] = ASSORE_PLACES) -> int:
    """The places open on ``day`` (0 before the first step)."""
    return max((n for since, n in steps if since <= day), default=0)


def assore_amounts(years: range = YEARS) -> dict[int, int]:
    """Each year's hotel cost: the year's place-days at the 2021 cost of a place-year, rounded to
    the thousand euros. 2019: 220 places, 2.85 M€; 2020–2021: 440, 5.7 M€; 2022: 440 in January
    then 510, 6.53 M€; from 2023: 610, 7.9 M€. Over 2019–2021, 14.3 M€: of the order of the
    Cour des comptes' 70 % of about 25 M€ spent on accommodation, ASSORE and PHASE together."""
    amounts = {}
    for year in years:
        start = dt.date(year, 1, 1)
        place_days = sum(places_on(start + dt.timedelta(days=d)) for d in range(_days_in(year)))
        amounts[year] = int(round(ASSORE_COST_PER_PLACE * place_days / _days_in(year), -3))
    return amounts


# The rest space opened early December 2019 and ran normally from 6 January 2020 (18dumois.info,
# Mar 2020): its yearly budget starts in 2020.
REST_SPACE_FROM = dt.date(2020, 1, 1)
# The outreach team's funding starts with the plan crack, signed on 27 May 2019.
OUTREACH_FROM = dt.date(2019, 5, 27)

FUNDING = (
    DemoFunding(
        "repos-chapelle",
        Funder.CITY_DASES,
        {2019: 95_250},
        "Subvention de 95 250 € pour un « espace de repos » (Conseil de Paris, juillet 2019, "
        "2019 DASES 137), l'année de l'ouverture (début déc. 2019) [rattachement à ce lieu supposé]",
        plan_action=1,  # action number: placeholder, not published
    ),
    DemoFunding(
        "repos-chapelle",
        Funder.CITY_DASES,
        from_opening(REST_SPACE_FROM, 500_000),
        "Espace de repos Porte de la Chapelle : budget de fonctionnement 1 M€ par an, Ville + ARS "
        "(seronet.info, oct. 2019 ; 18dumois.info, mars 2020), depuis l'ouverture ; partage "
        "moitié-moitié supposé",
        plan_action=1,  # action number: placeholder, not published
    ),
    DemoFunding(
        "repos-chapelle",
        Funder.ARS_ONDAM,
        from_opening(REST_SPACE_FROM, 500_000),
        "Idem : 1 M€ par an Ville + ARS, moitié ARS [hypothèse de répartition], depuis "
        "l'ouverture (fonctionnement normal le 6 janv. 2020)",
        plan_action=1,  # action number: placeholder, not published
    ),
    DemoFunding(
        "assore-hotels",
        Funder.PREFECTURE_DRIHL,
        assore_amounts(),
        "ASSORE : places de l'année (220 en 2019, 440 en 2020–22, 510 dès le 1er févr. 2022, 610 "
        "dès 2023 ; ARS, 20minutes.fr, gaia-paris.fr) × coût d'une place, 5,7 M€ pour 440 places "
        "(Le Parisien via citoyens-et-francais.fr, juin 2021) [source secondaire ; proportionnel]",
        plan_action=2,  # placeholder
    ),
    DemoFunding(
        "maraude-nord-est",
        Funder.MILDECA,
        from_opening(OUTREACH_FROM, 900_000),
        "Plan crack : ≈ 30 % des dépenses aux maraudes (Cour des comptes, déc. 2021) ; montant "
        "annuel reconstitué [hypothèse] ; 2019 au prorata depuis la signature du plan (27 mai)",
        plan_action=3,  # placeholder
    ),
    DemoFunding(
        "paris-hsa",
        Funder.ARS_ONDAM,
        dict.fromkeys(YEARS, 2_500_000),
        "Ordre de grandeur d'une HSA (ONDAM spécifique) [hypothèse, aucun chiffre publié retenu]",
    ),
)
STAFF = {
    # Paris: 10 staff on duty on weekdays, 6 at weekends (docs/domain.md §8); FTE split assumed.
    "paris-hsa": {
        Profession.NURSE: "6",
        Profession.EDUCATOR: "8",
        Profession.DOCTOR: "1.5",
        Profession.SOCIAL_WORKER: "2",
        Profession.SECURITY: "2",
        Profession.ADMIN: "1.5",
    },
    # Porte de la Chapelle: 15 staff including 2 guards (cnews.fr, nov. 2019).
    "repos-chapelle": {
        Profession.EDUCATOR: "9",
        Profession.NURSE: "2",
        Profession.SECURITY: "2",
        Profession.ADMIN: "2",
    },
}


def load(*, actor: User, years: range = YEARS) -> int:
    """Create the demo funding and staff lines that are missing; returns how many were made."""
    sites = {
        s.slug: s for s in Site.objects.filter(slug__in={f.site for f in FUNDING} | set(STAFF))
    }
    made = 0
    for year in years:
        for item in FUNDING:
            site = sites.get(item.site)
            amount = item.amounts.get(year)
            if (
                site is None
                or amount is None
                or FundingLine.objects.filter(
                    site=site,
                    funder=item.funder,
                    year=year,
                    plan_action=item.plan_action,
                ).exists()
            ):
                continue
            funding_line_create(
                actor=actor,
                site=site,
                funder=item.funder,
                year=year,
                amount=Decimal(amount),
                plan_action=item.plan_action,
                source=item.source,
                approximate=item.approximate,
            )
            made += 1
        for slug, positions in STAFF.items():
            if (
                slug not in sites
                or StaffPosition.objects.filter(site=sites[slug], year=year).exists()
            ):
                continue
            for profession, fte in positions.items():
                staff_position_set(
                    actor=actor,
                    site=sites[slug],
                    profession=profession,
                    year=year,
                    fte=Decimal(fte),
                )
                made += 1
    return made
