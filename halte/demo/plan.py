"""The plan-crack board of the demo: the 2019–2021 plan and its second step, their published
figures (docs/domain.md §4.2, §4.3), a handful of actions, and evacuations of demo gathering
places with people oriented drawn from the demo's people (codes only).

Everything that is not published says so: "inventé" for an invented action or evacuation, and
the source of a real action says which of its parts (its number, due date or status) are
placeholders. Safe to run again: what exists is kept; an evacuation recorded before the demo had
people gets them on a later run (``make demo`` loads the people after the network)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from halte.accounts.models import User
from halte.clients.models import Client
from halte.core.timeutils import local_today, paris_instant
from halte.demo.outreach import place_create
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.enums import ActionStatus, Axis, Destination
from halte.plan.models import Evacuation, PlanAction, PlanEdition
from halte.plan.services import (
    Orientation,
    action_create,
    action_set_status,
    budget_year_set,
    edition_create,
    evacuation_orient,
    evacuation_record,
)
from halte.visits.models import Visit

D = dt.date
PLAN_SOURCE = (
    "Plan de mobilisation coordonnée sur la problématique du crack à Paris, signé le 27 mai 2019 "
    "(Préfecture de région IdF, Préfecture de police, Ville de Paris, ARS IdF, MILDECA, Parquet "
    "de Paris) : 33 actions, 3 M€ par an, 9 M€ sur trois ans (francetvinfo.fr ; 20minutes.fr, "
    "27 mai 2019). Cour des comptes / CRC IdF, déc. 2021 : plus de 24 M€ dépensés, 19 actions "
    "sur 33 mises en œuvre en juin 2021."
)
STEP2_SOURCE = (
    "Étape 2 du plan : comité du 29 novembre (2022 ou 2023 [année non vérifiée]) ; bilan de la "
    "2e phase le 4 février 2025 (liti.fr ; presse.paris.fr/pages/21460). Années 2022–2025 "
    "retenues pour la démonstration [hypothèse] ; aucun budget publié retenu."
)
BUDGET_SOURCE = "3 M€ par an prévus, 9 M€ sur 2019–2021 (francetvinfo.fr, 27 mai 2019)"
PLACEHOLDER = "numéro d'action, échéance et statut inventés (non publiés)"


@dataclass(frozen=True)
class DemoAction:
    number: int
    title: str
    axis: str
    owner: str
    due_on: dt.date | None
    status: str
    status_since: dt.date
    source: str
    invented: bool = False


SIGNED = D(2019, 5, 27)
FIRST_PLAN = (
    # Numbers 1–3 match the demo's funding lines (halte.demo.funding), placeholders too.
    DemoAction(
        1,
        "Espace de repos en conteneurs à Porte de la Chapelle (« la Colline »)",
        Axis.CARE,
        "Gaïa et Aurore (Ville de Paris, ARS Île-de-France)",
        D(2019, 12, 31),
        ActionStatus.DONE,
        D(2020, 1, 6),
        "Ouvert début déc. 2019, fonctionnement normal le 6 janv. 2020 (seronet.info, oct. 2019 ; "
        "18dumois.info, mars 2020) ; " + PLACEHOLDER,
    ),
    DemoAction(
        2,
        "Mise à l'abri en hôtel : 60 places nouvelles et 80 places pérennisées (ASSORE)",
        Axis.ACCOMMODATION,
        "Aurore (dispositif ASSORE), État et Ville de Paris",
        D(2019, 12, 31),
        ActionStatus.DONE,
        D(2020, 1, 31),
        "60 places d'hôtel et 80 places pérennisées au lancement (francetvinfo.fr, 27 mai 2019) ; "
        "220 places en 2019, 440 pendant les confinements (toute-la.veille-acteurs-sante.fr) ; "
        + PLACEHOLDER,
    ),
    DemoAction(
        3,
        "Renforcer les maraudes, dans la rue et dans le métro",
        Axis.OUTREACH,
        "Ville de Paris et ARS Île-de-France (opérateurs associatifs)",
        D(2019, 9, 30),
        ActionStatus.DONE,
        D(2019, 10, 1),
        "Maraudes renforcées au lancement du plan (20minutes.fr, 27 mai 2019) ; ≈ 30 % des "
        "dépenses (Cour des comptes, déc. 2021) ; " + PLACEHOLDER,
    ),
    DemoAction(
        4,
        "Une équipe de médiation pour les riverains",
        Axis.PUBLIC_SPACE,
        "Ville de Paris",
        D(2019, 12, 31),
        ActionStatus.DONE,
        D(2019, 11, 15),
        "Prévue au lancement (francetvinfo.fr, 27 mai 2019) ; " + PLACEHOLDER,
    ),
    DemoAction(
        5,
        "Un point de soins près des lieux de consommation",
        Axis.CARE,
        "ARS Île-de-France",
        D(2020, 6, 30),
        ActionStatus.IN_PROGRESS,
        D(2020, 3, 1),
        "Prévu au lancement (francetvinfo.fr, 27 mai 2019) ; " + PLACEHOLDER,
    ),
    DemoAction(
        6,
        "Un groupe de police spécialisé contre le trafic de crack",
        Axis.SECURITY,
        "Préfecture de police",
        D(2019, 9, 30),
        ActionStatus.DONE,
        D(2019, 9, 1),
        "Prévu au lancement (francetvinfo.fr, 27 mai 2019) ; " + PLACEHOLDER,
    ),
    DemoAction(
        7,
        "Un tableau de bord partagé des actions du plan (inventé)",
        Axis.COORDINATION,
        "Coordination du plan (Ville, ARS, Préfectures)",
        D(2021, 6, 30),
        ActionStatus.PLANNED,
        SIGNED,
        "Inventé pour la démonstration.",
        invented=True,
    ),
)
STEP2_START = D(2022, 1, 1)
SECOND_STEP = (
    DemoAction(
        1,
        "Hébergement médicalisé (LHSS / LAM) orienté addictions",
        Axis.ACCOMMODATION,
        "ARS Île-de-France",
        D(2025, 12, 31),
        ActionStatus.IN_PROGRESS,
        D(2022, 1, 27),
        "Appel à projets de l'ARS du 27 janv. 2022 (20minutes.fr, 1er fév. 2022) ; " + PLACEHOLDER,
    ),
    DemoAction(
        2,
        "Réduire durablement la présence dans l'espace public et favoriser la réinsertion",
        Axis.COORDINATION,
        "Ville de Paris, Préfecture de police, ARS, RATP, AP-HP",
        D(2025, 12, 31),
        ActionStatus.IN_PROGRESS,
        STEP2_START,
        "Objectif de l'étape 2, partenaires dont la RATP et l'AP-HP (liti.fr) ; " + PLACEHOLDER,
    ),
    DemoAction(
        3,
        "Suivre à 7, 30 et 90 jours les personnes orientées lors des évacuations (inventé)",
        Axis.COORDINATION,
        "Coordination du réseau",
        D(2024, 12, 31),
        ActionStatus.PLANNED,
        STEP2_START,
        "Inventé pour la démonstration.",
        invented=True,
    ),
)


def _edition(
    actor: User, code: str, label: str, years: tuple[int, int], **more: object
) -> PlanEdition:
    found = PlanEdition.objects.filter(code=code).first()
    if found is not None:
        return found
    return edition_create(
        actor=actor,
        code=code,
        label=label,
        first_year=years[0],
        last_year=years[1],
        **more,  # type: ignore[arg-type]
    )


def _actions(actor: User, edition: PlanEdition, actions: tuple[DemoAction, ...]) -> None:
    for demo in actions:
        if PlanAction.objects.filter(edition=edition, number=demo.number).exists():
            continue
        first = demo.status_since if demo.status == ActionStatus.PLANNED else edition_start(edition)
        action = action_create(
            actor=actor,
            edition=edition,
            number=demo.number,
            title=demo.title,
            axis=demo.axis,
            owner=demo.owner,
            due_on=demo.due_on,
            status_since=first,
            source=demo.source,
            invented=demo.invented,
        )
        if demo.status != ActionStatus.PLANNED:
            action_set_status(
                actor=actor, action=action, status=demo.status, effective_on=demo.status_since
            )


def edition_start(edition: PlanEdition) -> dt.date:
    return SIGNED if edition.first_year == SIGNED.year else D(edition.first_year, 1, 1)


# Evacuations: one published (no person known), two invented with people from the demo.
FORCEVAL_SOURCE = (
    "Démantèlement du square Forceval le 5 oct. 2022, 1 000 policiers mobilisés ; usagers orientés "
    "vers l'hébergement et le soin (tf1info ; 20minutes.fr ; cnews.fr, 5 oct. 2022). « Quelque "
    "400 usagers » y vivaient (actuglobe.com, 5 oct. 2022) [source secondaire ; d'autres parlent "
    "d'une centaine]. Personnes orientées : non publiées."
)
INVENTED = (
    # (place, days before today, people present, people oriented)
    ("stalingrad", 45, 60, 6),
    ("porte-chapelle", 12, 35, 4),
)
DESTINATIONS = (
    (Destination.LODGING, "assore-hotels"),
    (Destination.REST_SPACE, "repos-chapelle"),
    (Destination.CSAPA, "csapa-chapelle"),
    (Destination.HOSPITAL, None),
)


def _place(slug: str) -> GatheringPlace:
    return GatheringPlace.objects.filter(slug=slug).first() or place_create(slug)


def _people(day: dt.date, count: int, taken: set[int]) -> list[Client]:
    """Demo people seen in the month before the day (codes only), else any demo people."""
    since = paris_instant(day - dt.timedelta(days=30), dt.time(0, 0))
    until = paris_instant(day, dt.time(0, 0))
    recent = (
        Visit.objects.filter(arrived_at__gte=since, arrived_at__lt=until, client__isnull=False)
        .exclude(client_id__in=taken)
        .values_list("client_id", flat=True)
        .distinct()
        .order_by("client_id")[:count]
    )
    ids = list(recent)
    if len(ids) < count:
        more = Client.objects.exclude(pk__in=[*taken, *ids]).order_by("pk")
        ids += list(more.values_list("pk", flat=True)[: count - len(ids)])
    return list(Client.objects.filter(pk__in=ids).order_by("pk"))


def orient_evacuees() -> int:
    """The demo evacuations and their people oriented (codes only); run again after the
    activity generator has made the demo's people, it fills the evacuations still empty."""
    return _evacuations()


def _evacuations() -> int:
    team = Site.objects.filter(slug="maraude-nord-est").first()
    if team is None:
        return 0
    worker = User.objects.filter(username="outreach-nord-est").first()
    forceval = _place("square-forceval")
    if not Evacuation.objects.filter(place=forceval, happened_on=D(2022, 10, 5)).exists():
        evacuation_record(
            actor=None,
            place=forceval,
            team=team,
            happened_on=D(2022, 10, 5),
            people_present=400,
            source=FORCEVAL_SOURCE,
        )
    sites = {s.slug: s for s in Site.objects.filter(slug__in=[d[1] for d in DESTINATIONS if d[1]])}
    taken: set[int] = set()
    oriented = 0
    for slug, days_ago, present, count in INVENTED:
        place = _place(slug)
        evacuation = Evacuation.objects.filter(place=place, synthetic=True).first()
        if evacuation is None:
            evacuation = evacuation_record(
                actor=None,
                place=place,
                team=team,
                happened_on=local_today() - dt.timedelta(days=days_ago),
                people_present=present,
                source="Inventé pour la démonstration.",
                synthetic=True,
            )
        if evacuation.oriented.exists():
            continue
        people = _people(evacuation.happened_on, count, taken)
        taken |= {p.pk for p in people}
        orientations = [
            Orientation(
                p,
                DESTINATIONS[i % len(DESTINATIONS)][0],
                sites.get(DESTINATIONS[i % len(DESTINATIONS)][1] or ""),
            )
            for i, p in enumerate(people)
        ]
        if orientations:
            evacuation_orient(actor=worker, evacuation=evacuation, oriented=orientations)
            oriented += len(orientations)
    return oriented


def load(*, actor: User) -> None:
    """The plan's editions, budget years, actions and evacuations."""
    first = _edition(
        actor,
        "2019-2021",
        "Plan crack 2019–2021",
        (2019, 2021),
        actions_planned=33,
        source=PLAN_SOURCE,
    )
    second = _edition(actor, "2022-2025", "Plan crack, étape 2", (2022, 2025), source=STEP2_SOURCE)
    for year in first.years:
        if not first.budget.filter(year=year).exists():
            budget_year_set(
                actor=actor, edition=first, year=year, amount=3_000_000, source=BUDGET_SOURCE
            )
    _actions(actor, first, FIRST_PLAN)
    _actions(actor, second, SECOND_STEP)
    _evacuations()
