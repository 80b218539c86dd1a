"""Ready-made demand: the gathering places counted in summer 2021, IRIS population, typed lines.

Every figure carries its source or says it is assumed (``docs/planning.md``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from halte.core.errors import DomainError
from halte.geo.lib import addresses, reference
from halte.planning.enums import DemandSource

# Share of women among people who use crack in the street scenes: an assumption taken from the
# 13–20 % of women in the Paris HSA's yearly active file (docs/domain.md, section 8).
WOMEN_SHARE_ASSUMED = 0.15


@dataclass(frozen=True)
class DemandInput:
    label: str
    lon: float
    lat: float
    weight: float = 1.0
    source: str = DemandSource.DRAWN
    women_only: bool = False


@dataclass(frozen=True)
class GatheringPlace:
    label: str
    lon: float
    lat: float
    people: int
    note: str


# Points placed by hand from the Base Adresse Nationale extract (street medians and crossings).
GATHERING_PLACES_2021 = (
    GatheringPlace(
        "Jardins d'Éole (18e), nuits de mai 2021",
        2.3628,
        48.8893,
        160,
        "120 à 200 personnes par nuit en mai 2021 (francetvinfo.fr, mai 2021) ; milieu de la "
        "fourchette retenu.",
    ),
    GatheringPlace(
        "Rue Riquet / rue d'Aubervilliers (19e), juillet–septembre 2021",
        2.3688,
        48.8893,
        150,
        "Hypothèse : la scène d'Éole s'y déplace après le 30 juin 2021 ; aucun comptage publié "
        "trouvé, ordre de grandeur d'Éole retenu.",
    ),
    GatheringPlace(
        "Place de la Bataille-de-Stalingrad (19e), été 2021",
        2.3695,
        48.8833,
        50,
        "Hypothèse : 50 personnes, bas de la fourchette « 50 à 200 par point de fixation » "
        "(docs/domain.md, section 8) ; pas de comptage publié pour l'été 2021.",
    ),
    GatheringPlace(
        "Porte de la Chapelle (18e), été 2021",
        2.3590,
        48.8986,
        40,
        "Hypothèse : 40 personnes, la fréquentation de l'espace de repos en février 2020 "
        "(18dumois.info, mars 2020) ; pas de comptage de la scène à l'été 2021.",
    ),
)


def gathering_places_2021(*, women_share: float = WOMEN_SHARE_ASSUMED) -> list[DemandInput]:
    """Each place as two points: everyone, and the women among them (share assumed)."""
    points: list[DemandInput] = []
    for place in GATHERING_PLACES_2021:
        women = round(place.people * women_share)
        points.append(
            DemandInput(
                place.label,
                place.lon,
                place.lat,
                place.people - women,
                DemandSource.GATHERING_PLACE,
            )
        )
        if women:
            points.append(
                DemandInput(
                    _("%(place)s — femmes (part supposée %(pct)s %%)")
                    % {"place": place.label, "pct": round(women_share * 100)},
                    place.lon,
                    place.lat,
                    women,
                    DemandSource.GATHERING_PLACE,
                    women_only=True,
                )
            )
    return points


def iris_demand(*, max_points: int = 300) -> list[DemandInput]:
    """Paris residents by IRIS (census population), merged on a square grid until there are at
    most ``max_points`` cells; each cell sits at its population-weighted centre."""
    iris = reference.iris_population()
    cell_m = 250.0
    while True:
        cells = _grid(iris, cell_m)
        if len(cells) <= max_points:
            break
        cell_m *= 1.25
    return [
        DemandInput(
            _("Population IRIS, maille de %(m)s m n° %(n)s") % {"m": round(cell_m), "n": n},
            round(lon, 6),
            round(lat, 6),
            float(people),
            DemandSource.IRIS,
        )
        for n, (lon, lat, people) in enumerate(cells, start=1)
        if people > 0
    ]


# A cell counting fewer people than this is left out: a plan must not point at a few individuals.
CLIENT_AREA_MIN_PEOPLE = 5


def client_areas_demand(*, days: int = 365, cell_m: float = 400.0) -> list[DemandInput]:
    """Where the people the network knows are met: distinct people (by code) met by outreach teams
    over the last ``days``, counted on a square grid; each cell at the mean point of its contacts.
    Halte keeps no home address, so this is the closest privacy-safe stand-in for "client home
    areas"; cells under CLIENT_AREA_MIN_PEOPLE people are dropped."""
    from django.db.models import F
    from django.db.models.functions import Coalesce
    from django.utils import timezone

    from halte.outreach.models import RoundContact

    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        RoundContact.objects.filter(visit__arrived_at__gte=since, visit__client__isnull=False)
        .annotate(x=Coalesce(F("lon"), F("place__lon")), y=Coalesce(F("lat"), F("place__lat")))
        .exclude(x__isnull=True)
        .values_list("visit__client_id", "x", "y")
    )
    metres_lat = 111_195.0
    metres_lon = metres_lat * math.cos(math.radians(48.86))
    cells: dict[tuple[int, int], tuple[set[int], list[float]]] = defaultdict(
        lambda: (set(), [0.0, 0.0, 0.0])
    )
    for client_id, lon, lat in rows:
        people, acc = cells[(int(lon * metres_lon // cell_m), int(lat * metres_lat // cell_m))]
        people.add(client_id)
        acc[0] += lon
        acc[1] += lat
        acc[2] += 1
    return [
        DemandInput(
            _("Personnes rencontrées, maille de %(m)s m n° %(n)s") % {"m": round(cell_m), "n": n},
            round(acc[0] / acc[2], 6),
            round(acc[1] / acc[2], 6),
            float(len(people)),
            DemandSource.CLIENT_AREA,
        )
        for n, (people, acc) in enumerate(cells.values(), start=1)
        if len(people) >= CLIENT_AREA_MIN_PEOPLE
    ]


# Used material found in the street says where people consume, not how many they are: a cell
# weighs one person per PICKUP_ITEMS_PER_PERSON items found there over the period [assumption:
# about one used item a month per person over a year, an order of magnitude, not a measure];
# cells with fewer than PICKUP_MIN_ITEMS items are left out (a stray syringe is not a scene).
PICKUP_ITEMS_PER_PERSON = 10
PICKUP_MIN_ITEMS = 10


def pickups_demand(*, days: int = 365, cell_m: float = 400.0) -> list[DemandInput]:
    """Where used material is picked up in public space (halte.neighbourhood) over the last
    ``days``, counted on a square grid: each cell at the mean point of its finds (weighted by the
    items), weighing its items divided by PICKUP_ITEMS_PER_PERSON."""
    from django.utils import timezone

    from halte.neighbourhood.models import Pickup

    since = timezone.now() - dt.timedelta(days=days)
    rows = Pickup.objects.filter(found_at__gte=since).values_list("lon", "lat", "count")
    metres_lat = 111_195.0
    metres_lon = metres_lat * math.cos(math.radians(48.86))
    cells: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for lon, lat, count in rows:
        acc = cells[(int(lon * metres_lon // cell_m), int(lat * metres_lat // cell_m))]
        acc[0] += lon * count
        acc[1] += lat * count
        acc[2] += count
    return [
        DemandInput(
            _("Matériel ramassé, maille de %(m)s m n° %(n)s") % {"m": round(cell_m), "n": n},
            round(acc[0] / acc[2], 6),
            round(acc[1] / acc[2], 6),
            round(acc[2] / PICKUP_ITEMS_PER_PERSON, 1),
            DemandSource.PICKUPS,
        )
        for n, acc in enumerate((a for a in cells.values() if a[2] >= PICKUP_MIN_ITEMS), start=1)
    ]


def _grid(
    iris: tuple[reference.IrisPopulation, ...], cell_m: float
) -> list[tuple[float, float, int]]:
    metres_per_degree_lat = 111_195.0
    metres_per_degree_lon = metres_per_degree_lat * math.cos(math.radians(48.86))
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for area in iris:
        key = (
            int(area.lon * metres_per_degree_lon // cell_m),
            int(area.lat * metres_per_degree_lat // cell_m),
        )
        acc = sums[key]
        acc[0] += area.lon * area.population
        acc[1] += area.lat * area.population
        acc[2] += area.population
    return [
        (lon / people, lat / people, int(people)) if people else (0.0, 0.0, 0)
        for lon, lat, people in sums.values()
    ]


_COORDS = re.compile(
    r"^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*(?:;\s*([^;]*?)\s*)?(?:;\s*(.*))?$"
)


@dataclass(frozen=True)
class TypedPoint:
    label: str
    lon: float
    lat: float
    number: float | None


def parse_point_lines(text: str, *, what: str) -> list[TypedPoint]:
    """Read one point a line: ``lon, lat ; nombre ; libellé`` or ``adresse à Paris ; nombre``.
    The number is optional. Raises DomainError naming the first line that cannot be read."""
    points: list[TypedPoint] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _COORDS.match(line)
        if match:
            lon, lat = float(match.group(1)), float(match.group(2))
            number = _number(match.group(3), n, what)
            label = (match.group(4) or "").strip() or f"{lat:.5f}, {lon:.5f}"
            points.append(TypedPoint(label[:200], lon, lat, number))
            continue
        address, _sep, rest = line.partition(";")
        found = addresses.search(address.strip(), limit=1)
        if not found:
            raise DomainError(
                _("%(what)s, ligne %(n)s : adresse introuvable à Paris (« %(a)s »).")
                % {"what": what, "n": n, "a": address.strip()[:80]}
            )
        number = _number(rest.split(";")[0] if rest else None, n, what)
        points.append(TypedPoint(found[0].label[:200], found[0].lon, found[0].lat, number))
    return points


def _number(text: str | None, line: int, what: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise DomainError(
            _("%(what)s, ligne %(n)s : « %(v)s » n'est pas un nombre positif.")
            % {"what": what, "n": line, "v": text.strip()[:40]}
        )
    return value
