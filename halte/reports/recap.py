"""RECAP (Recueil commun sur les addictions et les prises en charge): the yearly anonymised extract
a CSAPA sends to OFDT early in year n+1, one record per person seen in the year at its places.

The items follow the order of OFDT's "Guide de remplissage" (janvier 2018) as listed in
``docs/domain.md`` §1.8; ``docs/reports.md`` ("RECAP") gives each item, its codes and the Halte data
that fills it, or why nothing does. Rules:

- a person is in the extract when they have a visit in the year at one of the extract's places;
  everything else read about them is what those places recorded up to the end of the year;
- every item is a code of its documented list (``ITEMS``); what Halte does not know is the list's
  "non renseigné" code, never a guess;
- the record's number is not the person's Halte code: an HMAC of the person's key with a salt drawn
  for this extract and then dropped, so two extracts cannot be matched and nobody outside can link
  a record back; records are written in the order of those numbers, not of registration;
- the per-person file is for the places' manager and the network's coordination (and admins);
  evaluators get the aggregate tables, small counts masked, for a year that is over;
- each download leaves an audit event with the scope, year, format and number of records only.

The numeric codes are Halte's numbering of the guide's categories; products use the two-digit
groups of the EMCDDA Treatment Demand Indicator (TDI). Both are to be checked against the guide's
own code annex before a first sending: the stored sources list the questions, not the codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.accounts.permissions import _roles_on, network_roles
from halte.audit.services import AuditSubject, audit_record
from halte.care.enums import CareKind, ScreeningResult, Vaccine
from halte.care.models import CareAct, Referral
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.core.errors import DomainError
from halte.core.timeutils import local_today, paris_date, paris_instant
from halte.network.enums import AuthorisationKind, SiteKind
from halte.network.models import Authorisation, Site
from halte.pathway.enums import (
    Asked,
    Coverage,
    Housing,
    Infection,
    Product,
    Resources,
    Route,
    Stage,
    StepOutcome,
    YesNo,
)
from halte.pathway.models import PathwayStep, Situation
from halte.reports.suppression import SUPPRESSED, Grid, published_count, suppress
from halte.visits.models import Visit

NR = "9"  # "non renseigné" in the one-digit lists
NR2 = "99"  # "non renseigné" in the two-digit product list
NONE2 = "00"  # no (further) product declared
EARLIEST_YEAR = 2005  # RECAP runs continuously since 2005 (docs/domain.md §1.6)
PRODUCT_COLUMNS = 5
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXPORTERS = frozenset({Role.MANAGER, Role.COORDINATOR, Role.ADMIN})
COORDINATION = frozenset({Role.COORDINATOR, Role.ADMIN})


@dataclass(frozen=True)
class Item:
    """One RECAP item: its column code, the guide's words, its codes (``None`` for a date or a
    year, written as they are) and what fills it in Halte, or why nothing does."""

    code: str
    words: Promise | str
    codes: dict[str, Promise | str] | None
    filled_from: Promise | str

    @property
    def unknown(self) -> str:
        if self.codes is None:
            return ""
        return NR2 if NR2 in self.codes else NR


NOT_ASKED = gettext_lazy("Halte ne pose pas cette question : toujours « non renseigné ».")
YES_NO_NR: dict[str, Promise | str] = {
    "1": gettext_lazy("Oui"),
    "2": gettext_lazy("Non"),
    NR: gettext_lazy("Non renseigné"),
}
SEROLOGY: dict[str, Promise | str] = {
    "1": gettext_lazy("Positive"),
    "2": gettext_lazy("Négative"),
    NR: gettext_lazy("Non renseigné (pas de résultat connu, dépistage refusé)"),
}
PRODUCTS: dict[str, Promise | str] = {
    NONE2: gettext_lazy("Aucun (autre) produit déclaré"),
    "11": gettext_lazy("Héroïne"),
    "12": gettext_lazy("Méthadone détournée"),
    "13": gettext_lazy("Buprénorphine détournée"),
    "15": gettext_lazy("Autres opioïdes (dont sulfates de morphine)"),
    "21": gettext_lazy("Cocaïne (poudre)"),
    "22": gettext_lazy("Crack / free base"),
    "30": gettext_lazy("Stimulants : amphétamines, MDMA (sans précision)"),
    "34": gettext_lazy("Cathinones de synthèse et nouveaux produits de synthèse"),
    "42": gettext_lazy("Benzodiazépines détournées"),
    "50": gettext_lazy("Hallucinogènes (LSD, champignons, sans précision)"),
    "52": gettext_lazy("Kétamine"),
    "70": gettext_lazy("Cannabis (herbe ou résine, sans précision)"),
    "90": gettext_lazy("Alcool"),
    NR2: gettext_lazy("Non renseigné"),
}
PRODUCT_CODE: dict[str, str] = {
    Product.HEROIN: "11",
    Product.METHADONE: "12",
    Product.BUPRENORPHINE: "13",
    Product.MORPHINE: "15",
    Product.OTHER_OPIOIDS: "15",
    Product.COCAINE: "21",
    Product.CRACK: "22",
    Product.AMPHETAMINES: "30",
    Product.CATHINONES: "34",
    Product.BENZODIAZEPINES: "42",
    Product.HALLUCINOGENS: "50",
    Product.KETAMINE: "52",
    Product.CANNABIS: "70",
    Product.ALCOHOL: "90",
}
ROUTE_CODE: dict[str, str] = {
    Route.INJECTION: "1",
    Route.INHALATION: "2",
    Route.ORAL: "3",
    Route.SNORTING: "4",
    Route.OTHER: "5",
}
HOUSING_CODE: dict[str, str] = {
    Housing.OWN_HOME: "1",
    Housing.FAMILY_FRIENDS: "2",
    Housing.INSTITUTION: "2",
    Housing.HOTEL: "2",
    Housing.EMERGENCY_SHELTER: "2",
    Housing.SQUAT: "3",
    Housing.STREET: "3",
}
RESOURCES_CODE: dict[str, str] = {
    Resources.WORK: "1",
    Resources.UNEMPLOYMENT: "2",
    Resources.RSA: "3",
    Resources.AAH: "4",
    Resources.OTHER_BENEFITS: "5",
    Resources.THIRD_PARTY: "6",
    Resources.UNOFFICIAL: "7",
    Resources.NONE: "8",
}
COVERAGE_CODE: dict[str, str] = {
    Coverage.NONE: "1",
    Coverage.PENDING: "2",
    Coverage.PUMA: "3",
    Coverage.PUMA_COMPLEMENTARY: "4",
    Coverage.CSS: "5",
    Coverage.AME: "6",
}
SEX_CODE: dict[str, str] = {SexGender.MAN: "1", SexGender.WOMAN: "2"}


def _not_asked(code: str, words: Promise | str) -> Item:
    return Item(code, words, {NR: gettext_lazy("Non renseigné")}, NOT_ASKED)


def _product_item(n: int) -> Item:
    return Item(
        f"PROD{n}",
        format_lazy(gettext_lazy("Produit consommé n° {n} (30 derniers jours)"), n=n),
        PRODUCTS,
        gettext_lazy(
            "Produits déclarés dans la dernière situation de l'année (30 derniers jours), dans "
            "l'ordre de la liste ; « 00 » quand il n'y en a pas d'autre, « 99 » quand la question "
            "n'a pas eu de réponse. Au-delà de cinq produits, les suivants ne sont pas écrits."
        ),
    )


ITEMS: tuple[Item, ...] = (
    Item(
        "NUM",
        gettext_lazy("Numéro d'enregistrement anonyme"),
        None,
        gettext_lazy(
            "Tiré pour cet extrait (HMAC à sel non conservé) : ni le code Halte, ni stable."
        ),
    ),
    Item(
        "DATSIT",
        gettext_lazy("Date de situation"),
        None,
        gettext_lazy(
            "Date du dernier passage de l'année dans les lieux de l'extrait (JJ/MM/AAAA)."
        ),
    ),
    Item(
        "DATDEB",
        gettext_lazy("Date de début de la prise en charge actuelle"),
        None,
        gettext_lazy(
            "Date du premier passage enregistré dans ces lieux (Halte ne clôt pas d'épisode "
            "de prise en charge) (JJ/MM/AAAA)."
        ),
    ),
    Item(
        "SEXE",
        gettext_lazy("Sexe"),
        {"1": gettext_lazy("Homme"), "2": gettext_lazy("Femme"), NR: gettext_lazy("Non renseigné")},
        gettext_lazy("Sexe ou genre de la personne ; « autre / non binaire » n'a pas de code : 9."),
    ),
    Item(
        "ANNAIS",
        gettext_lazy("Année de naissance"),
        None,
        gettext_lazy("Année de naissance de la personne."),
    ),
    _not_asked("NBENF", gettext_lazy("Nombre d'enfants")),
    _not_asked("ENFCHG", gettext_lazy("Nombre d'enfants à charge")),
    _not_asked("CSP", gettext_lazy("Catégorie socio-professionnelle")),
    Item(
        "LOGEMENT",
        gettext_lazy("Logement"),
        {
            "1": gettext_lazy("Durable"),
            "2": gettext_lazy(
                "Provisoire (famille, amis, institution, hôtel, hébergement d'urgence)"
            ),
            "3": gettext_lazy("Sans domicile (rue, squat)"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy("Logement de la dernière situation ; non demandé ou refusé : 9."),
    ),
    _not_asked("ENTOURAGE", gettext_lazy("Entourage (vit seul, en couple…)")),
    Item(
        "RESSOURCES",
        gettext_lazy("Origine principale des ressources"),
        {
            "1": gettext_lazy("Revenus de l'emploi"),
            "2": gettext_lazy("Allocations chômage"),
            "3": gettext_lazy("RSA"),
            "4": gettext_lazy("AAH"),
            "5": gettext_lazy("Autres prestations sociales"),
            "6": gettext_lazy("Ressources d'un tiers"),
            "7": gettext_lazy("Autres ressources (non officielles)"),
            "8": gettext_lazy("Aucune ressource"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy("Ressources de la dernière situation ; non demandé ou refusé : 9."),
    ),
    _not_asked("SITPRO", gettext_lazy("Situation professionnelle")),
    Item(
        "COUVERTURE",
        gettext_lazy("Couverture sociale"),
        {
            "1": gettext_lazy("Aucune"),
            "2": gettext_lazy("Droits en cours d'ouverture"),
            "3": gettext_lazy("Assurance maladie sans complémentaire"),
            "4": gettext_lazy("Assurance maladie avec complémentaire"),
            "5": gettext_lazy("Complémentaire santé solidaire (ex-CMU-C)"),
            "6": gettext_lazy("AME"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy("Couverture de la dernière situation ; non demandé ou refusé : 9."),
    ),
    _not_asked("ETUDES", gettext_lazy("Niveau d'étude")),
    Item(
        "ORIGINE",
        gettext_lazy("Origine de la prise en charge"),
        {
            "1": gettext_lazy("Initiative du patient ou de ses proches"),
            "2": gettext_lazy("Médecin de ville"),
            "3": gettext_lazy("Justice (obligation de soins…)"),
            "4": gettext_lazy("Hôpital"),
            "5": gettext_lazy("Autre structure spécialisée ou sociale (CAARUD, HSA, CSAPA…)"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy(
            "5 quand un autre lieu du réseau a orienté la personne vers ces lieux au plus tard "
            "le jour de début ; sinon 9 (Halte n'enregistre pas qui a adressé la personne)."
        ),
    ),
    _not_asked(
        "PECSPA", gettext_lazy("Prise en charge pour un problème lié à une substance psychoactive")
    ),
    _not_asked("AN1PEC", gettext_lazy("Année de la première prise en charge")),
    Item(
        "TSO",
        gettext_lazy("Traitement de substitution aux opiacés en cours"),
        YES_NO_NR,
        gettext_lazy(
            "1 quand ces lieux ont initié un TSO pour la personne au plus tard dans l'année ; "
            "sinon 9 (l'absence d'acte ne dit pas « non », et la molécule n'est pas connue)."
        ),
    ),
    _not_asked("AUTTRT", gettext_lazy("Autres traitements en cours")),
    Item(
        "PRODORIG",
        gettext_lazy("Produit à l'origine de la prise en charge"),
        PRODUCTS,
        gettext_lazy(
            "Halte ne demande pas quel produit a motivé la prise en charge : toujours 99."
        ),
    ),
    *(_product_item(n) for n in range(1, PRODUCT_COLUMNS + 1)),
    Item(
        "MODE",
        gettext_lazy("Mode de consommation"),
        {
            "1": gettext_lazy("Injecté"),
            "2": gettext_lazy("Fumé / inhalé"),
            "3": gettext_lazy("Mangé / bu (voie orale)"),
            "4": gettext_lazy("Sniffé"),
            "5": gettext_lazy("Autre"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy(
            "La voie déclarée quand il n'y en a qu'une ; plusieurs voies ne se rattachent à "
            "aucun produit dans Halte : 9."
        ),
    ),
    _not_asked("FREQ", gettext_lazy("Fréquence de consommation")),
    _not_asked("AGEDEB", gettext_lazy("Âge de début de consommation du produit")),
    _not_asked("VERRES", gettext_lazy("Alcool : nombre de verres standard")),
    _not_asked("IVRESSES", gettext_lazy("Alcool : nombre d'ivresses")),
    _not_asked("TABAC", gettext_lazy("Tabac")),
    _not_asked("JOINTS", gettext_lazy("Cannabis : nombre de joints par jour")),
    Item(
        "VOIEIV",
        gettext_lazy("Utilisation de la voie intraveineuse"),
        {
            "1": gettext_lazy("Au cours des 30 derniers jours"),
            "2": gettext_lazy("Antérieurement, pas dans les 30 derniers jours"),
            NR: gettext_lazy("Non renseigné"),
        },
        gettext_lazy(
            "1 quand la dernière situation déclare l'injection ; 2 quand une situation "
            "antérieure la déclarait et plus la dernière ; sinon 9 (« jamais » n'est pas demandé)."
        ),
    ),
    _not_asked("PARTAGE", gettext_lazy("Partage des seringues")),
    Item(
        "VIH",
        gettext_lazy("Sérologie VIH"),
        SEROLOGY,
        gettext_lazy(
            "Confirmation du parcours VIH si elle existe, sinon le dernier TROD VIH rendu dans "
            "ces lieux ; dépistage refusé ou absent : 9."
        ),
    ),
    Item(
        "VHC",
        gettext_lazy("Sérologie VHC"),
        SEROLOGY,
        gettext_lazy(
            "Confirmation du parcours VHC si elle existe, sinon le dernier TROD VHC rendu dans "
            "ces lieux ; dépistage refusé ou absent : 9."
        ),
    ),
    Item(
        "VHBVACC",
        gettext_lazy("Vaccination VHB complète"),
        YES_NO_NR,
        gettext_lazy(
            "1 quand la 3e dose a été faite dans ces lieux ; 2 quand la 1re ou la 2e l'a été "
            "sans la 3e (schéma en cours) ; sinon 9."
        ),
    ),
    _not_asked("HOSPPSY", gettext_lazy("Antécédents d'hospitalisation psychiatrique")),
    _not_asked("TS", gettext_lazy("Antécédents de tentative de suicide")),
    Item(
        "INCAR",
        gettext_lazy("Incarcération"),
        YES_NO_NR,
        gettext_lazy(
            "1 quand une situation déclare une sortie de prison dans les 12 mois ; sinon 9 "
            "(« non » ne dit rien des incarcérations plus anciennes)."
        ),
    ),
)
ITEM_CODES = tuple(item.code for item in ITEMS)
ITEM_BY_CODE = {item.code: item for item in ITEMS}

Record = dict[str, str]


# --- Scope and permissions -------------------------------------------------------------------


@dataclass(frozen=True)
class RecapScope:
    """The places of one extract: a CSAPA site, or an authorisation's CSAPA sites."""

    sites: tuple[Site, ...]
    year: int
    name: str  # the site's slug or "finess-<number>": the file's name
    label: str

    @property
    def site_ids(self) -> tuple[int, ...]:
        return tuple(site.pk for site in self.sites)


def can_export_recap(user: User | AnonymousUser, sites: Iterable[Site]) -> bool:
    """The per-person extract is sensitive: the network's coordination and admins, or whoever
    manages every one of its places (on the site or its operator). Never an evaluator alone."""
    if network_roles(user) & COORDINATION:
        return True
    chosen = list(sites)
    return bool(chosen) and all(Role.MANAGER in _roles_on(user, site) for site in chosen)


def can_see_recap_counts(user: User | AnonymousUser, sites: Iterable[Site]) -> bool:
    """Those who export it see its exact counts; evaluators see them masked (small counts hidden,
    counts of people rounded), for a year that is over."""
    return can_export_recap(user, sites) or Role.EVALUATOR in network_roles(user)


def check_year(year: int, *, masked: bool) -> None:
    """From 2005 (RECAP's first year) to this year; a year that is over for masked counts."""
    this_year = local_today().year
    if year < EARLIEST_YEAR or year > this_year:
        raise DomainError(
            _("L'année va de %(first)s à %(last)s.") % {"first": EARLIEST_YEAR, "last": this_year},
            field="year",
        )
    if masked and year >= this_year:
        raise DomainError(
            _("Les chiffres masqués portent sur une année écoulée : %(year)s au plus tard.")
            % {"year": this_year - 1},
            field="year",
        )


def site_scope(site: Site, year: int) -> RecapScope:
    """A CSAPA site's extract; any other kind of place answers 422 on ``site``."""
    if site.kind != SiteKind.CSAPA:
        raise DomainError(_("RECAP concerne les CSAPA : ce lieu n'en est pas un."), field="site")
    return RecapScope((site,), year, site.slug, site.name)


def authorisation_scope(authorisation: Authorisation, year: int) -> RecapScope:
    """A CSAPA authorisation's extract over its CSAPA places; 422 on ``authorisation`` when it is
    not a CSAPA's or covers no CSAPA place."""
    if authorisation.kind != AuthorisationKind.CSAPA:
        raise DomainError(
            _("RECAP concerne les CSAPA : cette autorisation n'en est pas une."),
            field="authorisation",
        )
    sites = tuple(authorisation.sites.filter(kind=SiteKind.CSAPA).order_by("name"))
    if not sites:
        raise DomainError(
            _("Cette autorisation ne couvre aucun lieu CSAPA."), field="authorisation"
        )
    return RecapScope(
        sites, year, f"finess-{authorisation.finess}", f"{authorisation.label} (FINESS)"
    )


# --- Records ---------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    return paris_instant(dt.date(year, 1, 1), dt.time()), paris_instant(
        dt.date(year + 1, 1, 1), dt.time()
    )


class _Act(NamedTuple):
    """What the record reads of a care act (a tuple, not a model instance: a CSAPA's year has
    tens of thousands)."""

    kind: str
    result: str
    dose: int | None
    vaccine: str


@dataclass
class _Facts:
    """What the extract's places recorded about one person up to the end of the year."""

    client: Client
    first: dt.date
    last: dt.date
    situations: list[Situation]
    acts: list[_Act]
    confirmations: dict[str, str]  # infection -> outcome of its latest confirmation
    referred_before: dt.date | None


def _gather(site_ids: Sequence[int], year: int) -> list[_Facts]:
    start, end = _year_bounds(year)
    at_sites = Visit.objects.filter(site_id__in=site_ids, client__isnull=False)
    last = dict(
        at_sites.filter(arrived_at__gte=start, arrived_at__lt=end)
        .values("client_id")
        .annotate(last=Max("arrived_at"))
        .values_list("client_id", "last")
    )
    seen = list(last)
    first = dict(
        at_sites.filter(client_id__in=seen, arrived_at__lt=end)
        .values("client_id")
        .annotate(first=Min("arrived_at"))
        .values_list("client_id", "first")
    )
    situations: dict[int, list[Situation]] = defaultdict(list)
    for situation in Situation.objects.filter(
        client_id__in=seen, site_id__in=site_ids, asked_on__lt=dt.date(year + 1, 1, 1)
    ).order_by("asked_on", "pk"):
        situations[situation.client_id].append(situation)
    acts: dict[int, list[_Act]] = defaultdict(list)
    for client_id, kind, result, dose, vaccine in (
        CareAct.objects.filter(client_id__in=seen, site_id__in=site_ids, performed_at__lt=end)
        .order_by("performed_at", "pk")
        .values_list("client_id", "kind", "result", "dose", "vaccine")
    ):
        acts[client_id].append(_Act(kind, result, dose, vaccine))
    confirmations: dict[int, dict[str, str]] = defaultdict(dict)
    for client_id, infection, outcome in (
        PathwayStep.objects.filter(
            pathway__client_id__in=seen,
            pathway__site_id__in=site_ids,
            pathway__infection__in=[Infection.HIV, Infection.HCV],
            stage=Stage.CONFIRMED,
            done_on__lt=dt.date(year + 1, 1, 1),
        )
        .order_by("done_on", "pk")
        .values_list("pathway__client_id", "pathway__infection", "outcome")
    ):
        confirmations[client_id][infection] = outcome
    referrals: dict[int, dt.date] = {}
    for client_id, proposed in (
        Referral.objects.filter(client_id__in=seen, destination_site_id__in=site_ids)
        .order_by("proposed_at")
        .values_list("client_id", "proposed_at")
    ):
        referrals.setdefault(client_id, paris_date(proposed))
    clients = Client.objects.in_bulk(seen)
    return [
        _Facts(
            client=clients[pk],
            first=paris_date(first[pk]),
            last=paris_date(last[pk]),
            situations=situations[pk],
            acts=acts[pk],
            confirmations=confirmations[pk],
            referred_before=referrals.get(pk),
        )
        for pk in seen
    ]


def _latest(situations: list[Situation], field: str, codes: dict[str, str]) -> str:
    """The code of the latest answer to a question (not asked and declined are not answers)."""
    for situation in reversed(situations):
        value = getattr(situation, field)
        if value in codes:
            return codes[value]
    return NR


def _products(situations: list[Situation]) -> list[str]:
    for situation in reversed(situations):
        if situation.products_asked == Asked.ANSWERED:
            order = list(PRODUCTS)
            known = {PRODUCT_CODE[p] for p in situation.products if p in PRODUCT_CODE}
            codes = sorted(known, key=order.index)
            padded = (codes + [NONE2] * PRODUCT_COLUMNS)[:PRODUCT_COLUMNS]
            return padded
    return [NR2] * PRODUCT_COLUMNS


def _routes(situations: list[Situation]) -> tuple[str, str]:
    """MODE and VOIEIV from the declared routes."""
    answered = [s for s in situations if s.routes_asked == Asked.ANSWERED]
    if not answered:
        return NR, NR
    latest = answered[-1].routes
    mode = ROUTE_CODE.get(latest[0], NR) if len(latest) == 1 else NR
    if Route.INJECTION in latest:
        return mode, "1"
    if any(Route.INJECTION in s.routes for s in answered[:-1]):
        return mode, "2"
    return mode, NR


def _serology(facts: _Facts, infection: str, screening: str) -> str:
    confirmed = facts.confirmations.get(infection)
    if confirmed == StepOutcome.POSITIVE:
        return "1"
    if confirmed == StepOutcome.NEGATIVE:
        return "2"
    results = [a.result for a in facts.acts if a.kind == screening]
    for result in reversed(results):
        if result == ScreeningResult.POSITIVE:
            return "1"
        if result == ScreeningResult.NEGATIVE:
            return "2"
    return NR


def _hbv_vaccination(acts: list[_Act]) -> str:
    doses = {a.dose for a in acts if a.kind == CareKind.VACCINATION and a.vaccine == Vaccine.HBV}
    if 3 in doses:
        return "1"
    return "2" if doses else NR


def _record(facts: _Facts, number: str) -> Record:
    record: Record = {item.code: item.unknown for item in ITEMS}
    situations = facts.situations
    mode, intravenous = _routes(situations)
    record.update(
        NUM=number,
        DATSIT=f"{facts.last:%d/%m/%Y}",
        DATDEB=f"{facts.first:%d/%m/%Y}",
        SEXE=SEX_CODE.get(facts.client.sex_gender, NR),
        ANNAIS=str(facts.client.birth_year),
        LOGEMENT=_latest(situations, "housing", HOUSING_CODE),
        RESSOURCES=_latest(situations, "resources", RESOURCES_CODE),
        COUVERTURE=_latest(situations, "coverage", COVERAGE_CODE),
        ORIGINE="5"
        if facts.referred_before is not None and facts.referred_before <= facts.first
        else NR,
        TSO="1" if any(a.kind == CareKind.TSO_STARTED for a in facts.acts) else NR,
        MODE=mode,
        VOIEIV=intravenous,
        VIH=_serology(facts, Infection.HIV, CareKind.TROD_HIV),
        VHC=_serology(facts, Infection.HCV, CareKind.TROD_HCV),
        VHBVACC=_hbv_vaccination(facts.acts),
        INCAR=_latest(situations, "prison_release", {YesNo.YES: "1"}),
    )
    for n, code in enumerate(_products(situations), start=1):
        record[f"PROD{n}"] = code
    return record


def anonymous_number(salt: bytes, client_pk: int) -> str:
    """The record's number: an HMAC of the person's key under this extract's salt, 16 hex digits."""
    digest = hmac.new(salt, str(client_pk).encode(), hashlib.sha256).hexdigest()
    return digest[:16].upper()


def build_records(scope: RecapScope) -> list[Record]:
    """One record per person seen in the year at the scope's places, in the order of their
    anonymous numbers. The salt is drawn here and forgotten when this returns."""
    salt = secrets.token_bytes(32)
    records = [
        _record(facts, anonymous_number(salt, facts.client.pk))
        for facts in _gather(scope.site_ids, scope.year)
    ]
    return sorted(records, key=lambda r: r["NUM"])


# --- Aggregates ------------------------------------------------------------------------------

AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("<25", 0, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55+", 55, 200),
)


@dataclass(frozen=True)
class Table:
    """An aggregate table: its rows (label, count as shown), and whether the rows add up to the
    number of persons (one answer each) or not (several products per person)."""

    title: str
    rows: list[tuple[str, str]]
    exclusive: bool


def _age_group(record: Record, year: int) -> str:
    age = year - int(record["ANNAIS"])
    return next(label for label, low, high in AGE_GROUPS if low <= age <= high)


def _counts(records: list[Record], year: int) -> list[tuple[str, list[tuple[str, int]], bool]]:
    """Each table's counts, one pass over the records per table."""

    def by_item(code: str) -> list[tuple[str, int]]:
        seen = Counter(r[code] for r in records)
        codes = ITEM_BY_CODE[code].codes or {}
        return [(f"{c} — {label}", seen[c]) for c, label in codes.items()]

    declared = Counter(
        c for r in records for c in {r[f"PROD{n}"] for n in range(1, PRODUCT_COLUMNS + 1)}
    )
    products = [
        (f"{c} — {label}", declared[c]) for c, label in PRODUCTS.items() if c not in (NONE2, NR2)
    ]
    by_age = Counter(_age_group(r, year) for r in records)
    ages = [(label, by_age[label]) for label, _low, _high in AGE_GROUPS]
    return [
        (_("Personnes par sexe"), by_item("SEXE"), True),
        (_("Personnes par âge atteint dans l'année"), ages, True),
        (_("Personnes par produit déclaré (plusieurs par personne)"), products, False),
        (_("TSO en cours"), by_item("TSO"), True),
        (_("Sérologie VIH"), by_item("VIH"), True),
        (_("Sérologie VHC"), by_item("VHC"), True),
    ]


def _masked_rows(rows: list[tuple[str, int]], total: int, exclusive: bool) -> list[str]:
    values = [count for _label, count in rows]
    if exclusive:
        masked = suppress(Grid([[v] for v in [*values, total]], col_totals=True))
    else:
        masked = suppress(Grid([[v] for v in values]))
    shown = []
    for i, value in enumerate(values):
        published = published_count(value)
        if published is None:
            shown.append(SUPPRESSED)
        elif (i, 0) in masked:
            shown.append(_("masqué"))
        else:
            shown.append(str(published))
    return shown


def aggregate_tables(records: list[Record], year: int, *, masked: bool) -> list[Table]:
    """The evaluator's view of the extract: persons by sex, age, product, TSO and serologies,
    exact for those who may export it, else rounded to 5 with small counts masked."""
    tables = []
    for title, rows, exclusive in _counts(records, year):
        if masked:
            shown = _masked_rows(rows, len(records), exclusive)
        else:
            shown = [str(count) for _label, count in rows]
        tables.append(
            Table(
                title,
                [(label, s) for (label, _count), s in zip(rows, shown, strict=True)],
                exclusive,
            )
        )
    return tables


def persons_shown(records: list[Record], *, masked: bool) -> str:
    if not masked:
        return str(len(records))
    published = published_count(len(records))
    return SUPPRESSED if published is None else str(published)


# --- Files -----------------------------------------------------------------------------------


def filename(scope: RecapScope, fmt: str) -> str:
    return f"recap_{scope.name}_{scope.year}.{fmt}"


def code_list_rows() -> list[list[str]]:
    """Every item's codes with their labels, and what fills it: the second sheet or section."""
    rows = [[_("item"), _("libellé du guide"), _("code"), _("signification"), _("source Halte")]]
    for item in ITEMS:
        if item.codes is None:
            rows.append([item.code, str(item.words), "", "", str(item.filled_from)])
            continue
        for code, label in item.codes.items():
            rows.append([item.code, str(item.words), code, str(label), str(item.filled_from)])
    return rows


def to_csv(records: list[Record]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(ITEM_CODES)
    writer.writerows([record[code] for code in ITEM_CODES] for record in records)
    writer.writerow([])
    writer.writerow([_("Listes de codes")])
    writer.writerows(code_list_rows())
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(records: list[Record]) -> bytes:
    """Sheet "RECAP": the header of item codes and one row per person, every code as text (a
    leading zero kept); sheet "Codes": the code lists."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "RECAP"
    sheet.append(list(ITEM_CODES))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        sheet.append([record[code] for code in ITEM_CODES])
    codes = book.create_sheet("Codes")
    for row in code_list_rows():
        codes.append(row)
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDE", (12, 48, 8, 52, 70), strict=True):
        codes.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def render(records: list[Record], fmt: str) -> bytes:
    return to_xlsx(records) if fmt == "xlsx" else to_csv(records)


def recap_export(*, actor: User | AnonymousUser, scope: RecapScope, fmt: str) -> bytes:
    """The per-person file for the scope's year: 403 for anyone but the coordination or the
    places' manager, 422 on ``format`` for an unknown format."""
    if not can_export_recap(actor, scope.sites):
        raise PermissionDenied(
            _(
                "Le fichier RECAP par personne est réservé au responsable du lieu et à la coordination."
            )
        )
    return recap_file(actor=actor if isinstance(actor, User) else None, scope=scope, fmt=fmt)


def recap_file(*, actor: User | None, scope: RecapScope, fmt: str) -> bytes:
    """Build the file and audit it with the scope, the year, the format and the number of
    records: nothing about a person. The command calls it directly (no actor: whoever runs
    ``manage.py`` on the server)."""
    if fmt not in FORMATS:
        raise DomainError(_("Format inconnu : csv ou xlsx."), field="format")
    check_year(scope.year, masked=False)
    records = build_records(scope)
    body = render(records, fmt)
    audit_record(
        actor=actor,
        action="recap.exported",
        subject=AuditSubject("recap", f"{scope.name}-{scope.year}"),
        site=scope.sites[0] if len(scope.sites) == 1 else None,
        payload={"scope": scope.name, "year": scope.year, "format": fmt, "records": len(records)},
    )
    return body


def recap_summary(*, user: User | AnonymousUser, scope: RecapScope) -> dict[str, Any]:
    """The counts shown on the page and by the API: exact for those who may export the file,
    masked for an evaluator (a year that is over), 403 for anyone else."""
    if not can_see_recap_counts(user, scope.sites):
        raise PermissionDenied(_("Les effectifs RECAP sont réservés à la coordination."))
    masked = not can_export_recap(user, scope.sites)
    check_year(scope.year, masked=masked)
    records = build_records(scope)
    return {
        "masked": masked,
        "persons": persons_shown(records, masked=masked),
        "tables": aggregate_tables(records, scope.year, masked=masked),
        "can_export": not masked,
    }
