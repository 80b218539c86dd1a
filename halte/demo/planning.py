"""The 2021 scenario of the demo: the four sites proposed on 30 August 2021, against the street
scenes of that summer. Sources and assumptions are in ``presets.GATHERING_PLACES_2021`` and
``docs/planning.md``."""

from __future__ import annotations

from dataclasses import dataclass

from halte.planning.enums import PlanningModel
from halte.planning.presets import GATHERING_PLACES_2021, WOMEN_SHARE_ASSUMED

PROPOSAL_SLUGS = ("pelleport-2021", "grands-boulevards-1", "grands-boulevards-2", "femmes-19e-2021")
MUST_OPEN_SLUGS = ("paris-hsa",)


@dataclass(frozen=True)
class DemoScenario:
    name: str
    forbid_near_schools: bool
    extra: str


# 20 minutes on foot at 4.5 km/h = 1,500 m. With 1,000 m no proposal reaches any scene (the
# nearest pair, rue Riquet to the 19e shelter, is about 1,080 m on foot), and the result says
# nothing; see docs/planning.md.
MODEL = PlanningModel.MCLP
P = 2
WALK_MINUTES = 20
SCHOOL_MIN_DISTANCE_M = 300

_SOURCES = "\n".join(
    f"• {place.label} : {place.people} personnes. {place.note}" for place in GATHERING_PLACES_2021
)

DESCRIPTION = (
    "Les quatre lieux proposés par la Maire de Paris le 30 août 2021 (172 rue Pelleport, deux "
    "sites des Grands Boulevards, une mise à l'abri pour femmes dans le 19e), la HSA de "
    "Lariboisière restant ouverte, face aux scènes de l'été 2021. Couverture maximale avec 2 "
    "sites (la HSA et un nouveau lieu), 20 minutes de marche à 4,5 km/h (1 500 m), distance à "
    "vol d'oiseau × 1,3. Règle : 300 m au moins des collèges (et des écoles du 18e). "
    f"Part des femmes supposée : {round(WOMEN_SHARE_ASSUMED * 100)} % (13–20 % de femmes dans la "
    "file active de la HSA de Paris).\n"
    "Points de demande :\n"
    f"{_SOURCES}\n"
    "Emplacements des Grands Boulevards et du 19e approximatifs (adresses non publiées) : leur "
    "distance aux écoles est à vérifier."
)

SCENARIOS = (
    DemoScenario(
        "Scénario 2021 — les quatre propositions",
        False,
        " Les candidats près d'une école sont signalés, pas exclus.",
    ),
    DemoScenario(
        "Scénario 2021 — règle des 300 m appliquée",
        True,
        " Les candidats à moins de 300 m d'une école sont exclus (la réserve du Premier "
        "ministre sur Pelleport, appliquée à tous).",
    ),
)
