"""Funding and staff for the demo network, from published figures (docs/domain.md §4.2, §8).

Each line says where its figure comes from; figures that are spread, rounded or assumed are marked
``approximate``. Loaded through the services, so each leaves its audit event."""

from __future__ import annotations

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
    amount: int
    source: str
    approximate: bool = True
    plan_action: int | None = None


YEARS = range(2019, 2027)
FUNDING = (
    DemoFunding(
        "repos-chapelle",
        Funder.CITY_DASES,
        500_000,
        "Espace de repos Porte de la Chapelle : budget de fonctionnement 1 M€ par an, Ville + ARS "
        "(seronet.info, oct. 2019 ; 18dumois.info, mars 2020) ; partage moitié-moitié supposé",
        plan_action=1,  # action number: placeholder, not published
    ),
    DemoFunding(
        "repos-chapelle",
        Funder.ARS_ONDAM,
        500_000,
        "Idem : 1 M€ par an Ville + ARS, moitié ARS [hypothèse de répartition]",
        plan_action=1,  # action number: placeholder, not published
    ),
    DemoFunding(
        "assore-hotels",
        Funder.PREFECTURE_DRIHL,
        5_700_000,
        "ASSORE : coût hôtelier ≈ 5,7 M€ (Le Parisien via citoyens-et-francais.fr, juin 2021) "
        "[source secondaire]",
        plan_action=2,  # placeholder
    ),
    DemoFunding(
        "maraude-nord-est",
        Funder.MILDECA,
        900_000,
        "Plan crack : ≈ 30 % des dépenses aux maraudes (Cour des comptes, déc. 2021) ; montant "
        "annuel reconstitué [hypothèse]",
        plan_action=3,  # placeholder
    ),
    DemoFunding(
        "paris-hsa",
        Funder.ARS_ONDAM,
        2_500_000,
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
            if (
                site is None
                or FundingLine.objects.filter(
                    site=site, funder=item.funder, year=year, plan_action=item.plan_action
                ).exists()
            ):
                continue
            funding_line_create(
                actor=actor,
                site=site,
                funder=item.funder,
                year=year,
                amount=Decimal(item.amount),
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
