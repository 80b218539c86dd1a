"""Where a find or a report is: the arrondissement or commune, the IRIS, a street-level label, and
an address typed by someone snapped to its street. Pure functions over the bundled layers."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points
from shapely.strtree import STRtree

from halte.geo.lib import addresses, areas, reference
from halte.geo.lib.distance import haversine_m

# A point farther than this from any IRIS polygon gets no IRIS (outside Paris).
_IRIS_MAX_GAP_DEG = 0.0005


@dataclass(frozen=True, slots=True)
class Located:
    """What a point is in: ``area_code`` is empty outside the Greater Paris, ``iris_code`` outside
    Paris."""

    area_code: str
    area_name: str
    iris_code: str


@dataclass(frozen=True)
class _IrisIndex:
    names: tuple[str, ...]
    geoms: tuple[BaseGeometry, ...]
    tree: STRtree


_lock = threading.Lock()
_iris: _IrisIndex | None = None


def _iris_index() -> _IrisIndex:
    global _iris
    if _iris is None:
        with _lock:
            if _iris is None:
                features = reference.iris_geojson()["features"]
                names = tuple(f["properties"]["nom_iris"] for f in features)
                geoms = tuple(shape(f["geometry"]) for f in features)
                _iris = _IrisIndex(names, geoms, STRtree(geoms))
    return _iris


def iris_at(lon: float, lat: float) -> str:
    """The IRIS label (APUR layer) containing the point, or the nearest one within a few tens of
    metres; "" outside Paris."""
    idx = _iris_index()
    point = Point(lon, lat)
    hits = idx.tree.query(point, predicate="intersects")
    if len(hits):
        return idx.names[int(min(hits))]
    nearest = idx.tree.query_nearest(point, max_distance=_IRIS_MAX_GAP_DEG)
    return idx.names[int(nearest[0])] if len(nearest) else ""


def iris_names() -> list[str]:
    """Every IRIS label of the bundled layer, sorted (for the coordinator's choice)."""
    return sorted(_iris_index().names)


def iris_near(lon: float, lat: float, radius_m: float) -> list[str]:
    """The IRIS whose polygon comes within ``radius_m`` of the point."""
    idx = _iris_index()
    # A degree of latitude is 111 km; of longitude at Paris, about 73 km: buffer generously
    # in degrees, then keep what is really within the radius by its nearest point.
    buffer = shapely.buffer(Point(lon, lat), radius_m / 73_000)
    found = []
    for i in idx.tree.query(buffer, predicate="intersects"):
        near = nearest_points(idx.geoms[int(i)], Point(lon, lat))[0]
        if haversine_m(lon, lat, near.x, near.y) <= radius_m:
            found.append(idx.names[int(i)])
    return sorted(found)


def locate(lon: float, lat: float) -> Located:
    """The arrondissement or commune and the IRIS of a point."""
    area = areas.locate(lon, lat)
    if area is None:
        return Located("", "", "")
    return Located(area.code_insee, area.name, iris_at(lon, lat))


@dataclass(frozen=True, slots=True)
class Snapped:
    """An address typed by someone, snapped to its street: a point and a street-level label (no
    house number kept: a find or a report is about a street, not a door)."""

    label: str
    lon: float
    lat: float
    area_code: str


def snap_address(
    text: str, *, prefer: tuple[str, ...] = ("75110", "75118", "75119")
) -> Snapped | None:
    """Geocode a Paris address with the bundled BAN extract; None when no street matches."""
    matches = addresses.search(text, limit=1, prefer=prefer)
    if not matches:
        return None
    best = matches[0]
    label = f"{best.street}, {best.postcode} Paris"
    return Snapped(label, best.lon, best.lat, best.code_insee)


def street_label(lon: float, lat: float) -> str:
    """No reverse geocoder is bundled: a point picked on a map is labelled by its area."""
    area = areas.locate(lon, lat)
    return area.name if area else ""
