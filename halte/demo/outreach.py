"""The gathering places of north-east Paris and a head-count history shaped on published figures.

Points are checked against the Base Adresse Nationale extract (``halte.geo.lib.addresses.search``)
where there is an address; each place says where its point and its figures come from. The history
is synthetic: it follows the timeline of docs/domain.md, section 4.3, and the published orders of
magnitude (section 4.1); every level not published is marked as an assumption.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from halte.outreach.enums import Zone
from halte.outreach.models import GatheringPlace
from halte.outreach.services import gathering_place_create

D = dt.date


@dataclass(frozen=True)
class DemoPlace:
    slug: str
    name: str
    zone: str
    lon: float
    lat: float
    source: str
    # (first night, last night, low, high): nightly counts drawn uniformly in [low, high].
    periods: tuple[tuple[dt.date, dt.date, int, int], ...]


PLACES = (
    DemoPlace(
        "jardins-eole",
        "Jardins d'Éole (18e)",
        Zone.EOLE,
        2.366839,
        48.887256,
        "Point : BAN « 45 Rue d'Aubervilliers, 75018 » (entrée du jardin ; adresse d'entrée à "
        "vérifier). Chiffres : 120 à 200 personnes par nuit en mai 2021 (francetvinfo.fr, mai 2021) ; "
        "jardin fermé aux usagers le 30 juin 2021 (AFP, juin 2021).",
        ((D(2021, 5, 15), D(2021, 6, 30), 120, 200),),
    ),
    DemoPlace(
        "rue-riquet",
        "Rue Riquet / rue d'Aubervilliers (19e)",
        Zone.RIQUET,
        2.3690,
        48.8893,
        "Point : croisement placé à la main entre « Rue Riquet, 75019 » et « Rue d'Aubervilliers, "
        "75019 » de la BAN. Scène du 30 juin au 24 sept. 2021 (AFP ; HuffPost, 24 sept. 2021) ; "
        "aucun comptage publié : ordre de grandeur d'Éole retenu [hypothèse].",
        ((D(2021, 7, 1), D(2021, 9, 24), 100, 180),),
    ),
    DemoPlace(
        "stalingrad",
        "Place de la Bataille-de-Stalingrad (19e)",
        Zone.STALINGRAD,
        2.369479,
        48.883317,
        "Point : BAN « Place de la Bataille de Stalingrad, 75019 ». Présence policière continue "
        "(presse.paris.fr, févr. 2025) ; aucun comptage publié : 20 à 60 personnes, bas de la "
        "fourchette « 50 à 200 par point de fixation » [hypothèse].",
        ((D(2021, 5, 1), D(2021, 5, 14), 60, 120), (D(2021, 5, 15), D(2022, 12, 31), 20, 60)),
    ),
    DemoPlace(
        "porte-chapelle",
        "Porte de la Chapelle (18e)",
        Zone.CHAPELLE,
        2.35839,
        48.899184,
        "Point : BAN « 1 Avenue de la Porte de la Chapelle, 75018 ». Ancienne « colline », évacuée "
        "à répétition (France Bleu, 2018) ; aucun comptage publié en 2021–2022 : 20 à 50 personnes "
        "[hypothèse].",
        ((D(2021, 5, 1), D(2022, 12, 31), 20, 50),),
    ),
    DemoPlace(
        "square-forceval",
        "Square de la Porte de la Villette, « square Forceval » (19e)",
        Zone.VILLETTE,
        2.386335,
        48.90034,
        "Point : BAN « Place Auguste Baron, 75019 » (le square borde la place). Scène du 24 sept. "
        "2021 au 5 oct. 2022 : une cinquantaine à l'arrivée (20min.ch, sept. 2021), « une "
        "centaine » (upday), « quelque 400 » au démantèlement (actuglobe.com, 5 oct. 2022, source "
        "secondaire) ; montée linéaire entre ces points [hypothèse].",
        (
            (D(2021, 9, 24), D(2021, 10, 31), 40, 100),
            (D(2021, 11, 1), D(2022, 5, 31), 90, 200),
            (D(2022, 6, 1), D(2022, 10, 4), 200, 400),
        ),
    ),
)
# Counts are made in the evening round, about 22:00 [assumption]; one count every few nights, as
# teams do not count every place every night [assumption].
COUNT_AT = dt.time(22, 0)
COUNT_EVERY_DAYS = 3


def place_create(slug: str) -> GatheringPlace:
    """Create the demo's gathering place ``slug`` through the service (no history)."""
    demo = next(place for place in PLACES if place.slug == slug)
    return gathering_place_create(
        actor=None,
        slug=demo.slug,
        name=demo.name,
        zone=demo.zone,
        lon=demo.lon,
        lat=demo.lat,
        source=demo.source,
    )
