"""The demo network: real places of Paris and Strasbourg, with what is known of them and how well.

Facts come from the research notes in docs/domain.md; what is not verified
says so in ``data_note`` and ``facts_verified``, and approximate points are flagged. Activity is not
here: it is synthetic and comes from later commands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from halte.network.enums import Admission, OperatorKind, Service, SiteKind, SiteStatus

D = dt.date
EVERY_DAY = tuple(range(7))
WEEKDAYS = tuple(range(5))


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    operator: str
    kind: str
    history: tuple[tuple[str, dt.date, str], ...]  # (status, effective date, note)
    address: str = ""
    postcode: str = ""
    city: str = "Paris"
    lon: float | None = None
    lat: float | None = None
    code_insee: str = ""
    area_name: str = ""
    approximate: bool = False
    verified: bool = False
    note: str = ""
    hours: tuple[tuple[tuple[int, ...], str, str], ...] = ()  # (weekdays, opens, closes)
    hours_since: dt.date = dt.date(2016, 1, 1)
    # A later change of hours, (days before today, hours), to show a before/after in reports.
    hours_change: tuple[int, tuple[tuple[tuple[int, ...], str, str], ...]] | None = None
    services: tuple[str, ...] = ()
    capacities: dict[str, object] = field(default_factory=dict)


OPERATORS = [
    ("Gaïa-Paris", OperatorKind.ASSOCIATION),
    ("Ithaque", OperatorKind.ASSOCIATION),
    ("Aurore", OperatorKind.ASSOCIATION),
    ("Oppelia (ex-Charonne)", OperatorKind.ASSOCIATION),
    ("Ville de Paris", OperatorKind.PUBLIC_BODY),
]

S = Service
HSA_SERVICES = (
    S.SUPERVISED_CONSUMPTION,
    S.RECEPTION,
    S.NURSING,
    S.MEDICAL,
    S.SCREENING,
    S.SUBSTITUTION,
    S.SOCIAL_SUPPORT,
    S.MATERIAL,
    S.NALOXONE,
    S.REST,
)
CAARUD_SERVICES = (S.RECEPTION, S.MATERIAL, S.NALOXONE, S.SOCIAL_SUPPORT, S.NURSING, S.SCREENING)
PROPOSAL_2021 = D(2021, 8, 30)
PROPOSAL_NOTE = (
    "Proposition de la Maire de Paris au Premier ministre, lettre du 30 août 2021 "
    "(France 3 Paris IdF / AFP, 30 août 2021 ; cnews.fr, 31 août 2021)."
)

SITES = [
    DemoSite(
        slug="paris-hsa",
        name="Halte soins addictions Jean-Pierre Lhomme (Paris)",
        operator="Gaïa-Paris",
        kind=SiteKind.HSA,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2016, 10, 17),
                "Ouverture au public (le 14 ou le 17 octobre 2016 selon les sources).",
            ),
        ),
        address="4 Rue Ambroise Paré",
        postcode="75010",
        lon=2.35339,
        lat=48.881946,
        verified=True,
        note=(
            "Hôpital Lariboisière. 12 postes d'injection ; les 4 postes d'inhalation ouverts en 2016 "
            "sont fermés depuis le premier confinement (2020). Horaires 13:30–20:30 documentés en "
            "2016–2017 [à revérifier auprès de Gaïa]. Sources : espaceinfirmier.fr (2016), "
            "lci.fr (2017), cnews.fr (2021)."
        ),
        hours=((EVERY_DAY, "13:30", "20:30"),),
        hours_since=D(2016, 10, 17),
        services=HSA_SERVICES,
        capacities={
            "booths_injection": 12,
            # A demo reference duration, so the room can flag a booth held too long; the site's
            # manager sets the real one on the site's page.
            "session_time_limit_minutes": 30,
            "reception_capacity": 30,
            "authorisation_act": "Arrêté du 26 janvier 2022 (cahier des charges des HSA)",
            "authorisation_end": D(2027, 12, 31),
        },
    ),
    DemoSite(
        slug="strasbourg-hsa",
        name="Argos — Halte soins addictions de Strasbourg",
        operator="Ithaque",
        kind=SiteKind.HSA,
        history=((SiteStatus.OPERATIONAL, D(2016, 11, 7), "Ouverture (20minutes.fr, nov. 2016)."),),
        address="Quai Menachem-Taffel (Nouvel Hôpital Civil)",
        postcode="67000",
        city="Strasbourg",
        lon=7.7475,
        lat=48.5775,
        code_insee="67482",
        area_name="Strasbourg",
        approximate=True,
        note=(
            "6 postes d'injection, 2 de voie nasale, 4 d'inhalation (20minutes.fr, déc. 2017) ; "
            "hébergement santé de 20 places depuis sept. 2021 (strasbourg.eu, 2021). Point placé à "
            "la main sur le quai, approximatif."
        ),
        hours=((EVERY_DAY, "13:00", "19:00"),),
        hours_since=D(2016, 11, 7),
        services=(*HSA_SERVICES, S.ACCOMMODATION),
        capacities={
            "booths_injection": 6,
            "booths_nasal": 2,
            "booths_inhalation": 4,
            "beds": 20,
            "dogs_accepted": True,
            "authorisation_act": "Arrêté du 26 janvier 2022 (cahier des charges des HSA)",
            "authorisation_end": D(2027, 12, 31),
        },
    ),
    DemoSite(
        slug="ego-caarud",
        name="CAARUD EGO — accueil (Goutte d'Or)",
        operator="Aurore",
        kind=SiteKind.CAARUD,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2016, 1, 1),
                "Date d'ouverture non renseignée [non vérifié].",
            ),
        ),
        address="13 Rue Saint-Luc",
        postcode="75018",
        lon=2.353906,
        lat=48.886416,
        note="Adresse et horaires de connaissance générale, à vérifier au FINESS (cat. 178). Horaires illustratifs.",
        hours=((WEEKDAYS, "10:00", "13:00"), (WEEKDAYS, "14:00", "18:00")),
        # Illustrative: the 2021 letter asked to "extend the hours" of the places of the 18th.
        hours_change=(45, ((WEEKDAYS, "10:00", "20:00"), ((5,), "12:00", "18:00"))),
        services=CAARUD_SERVICES,
        capacities={"reception_capacity": 25},
    ),
    DemoSite(
        slug="step",
        name="STEP — programme d'échange de seringues",
        operator="Aurore",
        kind=SiteKind.CAARUD_ANTENNA,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2016, 1, 1),
                "Date d'ouverture non renseignée [non vérifié].",
            ),
        ),
        address="56 Boulevard de la Chapelle",
        postcode="75018",
        lon=2.355902,
        lat=48.884397,
        note="Accueil de soirée ; horaires illustratifs (plage après minuit) [non vérifié].",
        hours=((EVERY_DAY, "20:00", "00:30"),),
        services=(S.MATERIAL, S.NALOXONE, S.RECEPTION),
        capacities={"reception_capacity": 10},
    ),
    DemoSite(
        slug="doudeauville-caarud",
        name="CAARUD Aurore — rue Doudeauville",
        operator="Aurore",
        kind=SiteKind.CAARUD,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2024, 3, 1),
                "Ouverture début 2024 (BFM Paris, mars 2024) ; jour exact non vérifié.",
            ),
        ),
        address="100 Rue Doudeauville",
        postcode="75018",
        lon=2.348683,
        lat=48.888444,
        verified=True,
        note="200 m², environ 20 personnes par jour, du lundi au vendredi 14:30–20:30 (BFM Paris, mars 2024 ; France Bleu, avr. 2024).",
        hours=((WEEKDAYS, "14:30", "20:30"),),
        hours_since=D(2024, 3, 1),
        services=CAARUD_SERVICES,
        capacities={"reception_capacity": 20},
    ),
    DemoSite(
        slug="csapa-chapelle",
        name="CSAPA Aurore — boulevard de la Chapelle",
        operator="Aurore",
        kind=SiteKind.CSAPA,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2018, 5, 28),
                "Ouverture le 28 mai 2018 (actionbarbes, 2018).",
            ),
        ),
        address="64 Boulevard de la Chapelle",
        postcode="75018",
        lon=2.354775,
        lat=48.884317,
        note="Du lundi au vendredi 9:30–17:00 (actionbarbes, 2018) [à revérifier].",
        hours=((WEEKDAYS, "09:30", "17:00"),),
        hours_since=D(2018, 5, 28),
        services=(S.MEDICAL, S.PSYCHIATRY, S.SUBSTITUTION, S.SOCIAL_SUPPORT, S.SCREENING),
    ),
    DemoSite(
        slug="sleep-in",
        name="Sleep'In — accueil de nuit",
        operator="Oppelia (ex-Charonne)",
        kind=SiteKind.NIGHT_SHELTER,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2016, 1, 1),
                "Date d'ouverture non renseignée [non vérifié].",
            ),
        ),
        address="61 Rue Pajol",
        postcode="75018",
        lon=2.363031,
        lat=48.890199,
        note="Existence et horaires à vérifier ; horaires de nuit illustratifs (plage après minuit).",
        hours=((EVERY_DAY, "19:30", "08:30"),),
        services=(S.NIGHT_SHELTER, S.RECEPTION, S.HYGIENE, S.FOOD, S.MATERIAL),
        capacities={"beds": 30, "dogs_accepted": True},
    ),
    DemoSite(
        slug="repos-chapelle",
        name="Espace de repos de la Porte de la Chapelle",
        operator="Gaïa-Paris",
        kind=SiteKind.REST_SPACE,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2020, 1, 6),
                "Ouvert début déc. 2019, fonctionnement normal le 6 janv. 2020 (18dumois.info, mars 2020).",
            ),
        ),
        address="Porte de la Chapelle (conteneurs)",
        postcode="75018",
        lon=2.3597,
        lat=48.8975,
        approximate=True,
        note="Gaïa et Aurore ; 7 j/7 9:00–17:00 ; 16 personnes en même temps, 20 lits de camp (seronet.info, 2019 ; cnews.fr, 2019). Situation actuelle non vérifiée.",
        hours=((EVERY_DAY, "09:00", "17:00"),),
        hours_since=D(2020, 1, 6),
        services=(S.REST, S.RECEPTION, S.NURSING, S.HYGIENE),
        capacities={"rest_places": 16, "reception_capacity": 16},
    ),
    DemoSite(
        slug="assore-hotels",
        name="ASSORE — hébergement à l'hôtel",
        operator="Aurore",
        kind=SiteKind.ACCOMMODATION,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2015, 1, 1),
                "Programme créé en 2015 ; date exacte non renseignée.",
            ),
        ),
        note="Chambres d'hôtel dans plusieurs hôtels (pas d'adresse unique) : 610 places depuis 2023, dont 70 mises à disposition de Gaïa (gaia-paris.fr/hebergement).",
        hours=((EVERY_DAY, "00:00", "00:00"),),
        hours_since=D(2015, 1, 1),
        services=(S.ACCOMMODATION, S.SOCIAL_SUPPORT),
        capacities={"beds": 610},
    ),
    DemoSite(
        slug="maraude-nord-est",
        name="Maraude du nord-est parisien",
        operator="Aurore",
        kind=SiteKind.OUTREACH_TEAM,
        history=(
            (
                SiteStatus.OPERATIONAL,
                D(2019, 6, 1),
                "Maraudes renforcées par le plan crack signé le 27 mai 2019 ; date de départ de cette équipe non vérifiée.",
            ),
        ),
        address="Secteur Stalingrad – La Chapelle – La Villette",
        postcode="75019",
        lon=2.3690,
        lat=48.8840,
        approximate=True,
        note=(
            "Équipe de rue (maraude) : environ 30 % des dépenses du plan crack 2019–2021 (Cour des comptes, "
            "déc. 2021). Le point est le centre du secteur couvert ; horaires de soirée illustratifs [non vérifié]."
        ),
        hours=((EVERY_DAY, "18:00", "23:30"),),
        hours_since=D(2019, 6, 1),
        services=(S.OUTREACH, S.MATERIAL, S.NALOXONE),
    ),
    DemoSite(
        slug="pelleport-2021",
        name="172 rue Pelleport — accueil de jour et de nuit (projet 2021)",
        operator="Ville de Paris",
        kind=SiteKind.DAY_NIGHT_RECEPTION,
        history=(
            (SiteStatus.PROPOSED, PROPOSAL_2021, PROPOSAL_NOTE),
            (
                SiteStatus.ABANDONED,
                D(2021, 9, 15),
                "Abandonné : ancienne école maternelle, à proximité d'une école (Libération, 15 sept. 2021).",
            ),
        ),
        address="172 Rue Pelleport",
        postcode="75020",
        lon=2.398023,
        lat=48.873772,
        verified=True,
        note="Accueil de jour et de nuit avec activité de soins, annoncé « opérationnel avant la fin de l'année ».",
        services=(S.RECEPTION, S.REST, S.NIGHT_SHELTER, S.NURSING),
    ),
    DemoSite(
        slug="grands-boulevards-1",
        name="Grands Boulevards — site n° 1 (projet 2021)",
        operator="Ville de Paris",
        kind=SiteKind.DAY_NIGHT_RECEPTION,
        history=((SiteStatus.PROPOSED, PROPOSAL_2021, PROPOSAL_NOTE),),
        address="Boulevard de Bonne-Nouvelle (secteur)",
        postcode="75010",
        lon=2.3528,
        lat=48.8703,
        approximate=True,
        note="Adresse exacte non publiée ; point placé dans le secteur. Devenir non vérifié (aucune ouverture trouvée).",
        services=(S.RECEPTION, S.REST, S.NURSING),
    ),
    DemoSite(
        slug="grands-boulevards-2",
        name="Grands Boulevards — site n° 2 (projet 2021)",
        operator="Ville de Paris",
        kind=SiteKind.DAY_NIGHT_RECEPTION,
        history=((SiteStatus.PROPOSED, PROPOSAL_2021, PROPOSAL_NOTE),),
        address="Boulevard Saint-Denis (secteur)",
        postcode="75010",
        lon=2.3569,
        lat=48.8698,
        approximate=True,
        note="Adresse exacte non publiée ; point placé dans le secteur. Devenir non vérifié.",
        services=(S.RECEPTION, S.REST, S.NURSING),
    ),
    DemoSite(
        slug="femmes-19e-2021",
        name="Mise à l'abri pour femmes usagères de drogues, 19e (projet 2021)",
        operator="Ville de Paris",
        kind=SiteKind.NIGHT_SHELTER,
        history=((SiteStatus.PROPOSED, PROPOSAL_2021, PROPOSAL_NOTE),),
        address="19e arrondissement (secteur)",
        postcode="75019",
        lon=2.3800,
        lat=48.8880,
        approximate=True,
        note="Adresse non publiée ; point placé au centre du 19e. Aucune réalisation trouvée [non vérifié].",
        services=(S.NIGHT_SHELTER, S.WOMEN_SPACE, S.REST),
        capacities={"admission": Admission.WOMEN_ONLY},
    ),
]

# One member of staff per role, as the README lists them.
DEMO_USERS = [
    ("admin", "admin", None),
    ("coordinator", "coordinator", None),
    ("evaluator", "evaluator", None),
    ("manager-paris", "manager", "paris-hsa"),
    ("nurse-paris", "nurse", "paris-hsa"),
    ("reception-paris", "reception", "paris-hsa"),
    ("outreach-nord-est", "outreach", "maraude-nord-est"),
    ("night-sleepin", "educator", "sleep-in"),
]
