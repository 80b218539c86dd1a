"""Point -> Paris arrondissement or Métropole du Grand Paris commune.

Polygons come from ``halte/geo/data/`` (arrondissements: Ville de Paris, ODbL;
communes: IGN Admin Express / INSEE COG, Licence Ouverte).  They are loaded
lazily on first use and indexed with a shapely STRtree.

The two layers come from different producers and do not share edges exactly:
there are slivers (up to a few tens of metres) between the arrondissements
and the neighbouring communes, and small overlaps.  Arrondissements are tested
first so a point on the Paris edge gets its arrondissement; a point in a
sliver *inside* the MGP footprint is given the nearest area; a point outside
the footprint gets None.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import dataclass
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from halte.geo.lib._paths import data_path

AreaKind = Literal["arrondissement", "commune"]

ARRONDISSEMENTS_FILE = "arrondissements_paris.geojson"
COMMUNES_FILE = "communes_mgp.geojson"


@dataclass(frozen=True, slots=True)
class Area:
    """An arrondissement of Paris (751xx) or a commune of the MGP."""

    code_insee: str
    name: str  # French label: "Paris 10e", "Saint-Denis"
    kind: AreaKind
    department: str  # "75", "92", "93", "94", "91" or "95"


@dataclass(frozen=True)
class _Index:
    areas: tuple[Area, ...]  # arrondissements first (priority on overlaps)
    geoms: tuple[BaseGeometry, ...]
    tree: STRtree
    footprint: BaseGeometry  # union of all areas with inner slivers filled
    by_code: dict[str, Area]


_lock = threading.Lock()
_index: _Index | None = None


def _read_layer(name: str, kind: AreaKind) -> list[tuple[Area, BaseGeometry]]:
    with open(data_path(name), encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    out = []
    for feature in features:
        props = feature["properties"]
        # Arrondissement layer has no "dep" property: they are all in Paris.
        area = Area(props["code_insee"], props["name"], kind, props.get("dep", "75"))
        out.append((area, shape(feature["geometry"])))
    return out


def _fill_holes(geom: BaseGeometry) -> BaseGeometry:
    parts = getattr(geom, "geoms", [geom])
    return shapely.union_all([Polygon(p.exterior) for p in parts])


def _build_index() -> _Index:
    layers = _read_layer(ARRONDISSEMENTS_FILE, "arrondissement") + _read_layer(
        COMMUNES_FILE, "commune"
    )
    areas = tuple(a for a, _ in layers)
    geoms = tuple(g for _, g in layers)
    for geom in geoms:
        shapely.prepare(geom)
    footprint = _fill_holes(shapely.union_all(geoms))
    shapely.prepare(footprint)
    return _Index(areas, geoms, STRtree(geoms), footprint, {a.code_insee: a for a in areas})


def _get_index() -> _Index:
    global _index
    # Double-checked locking: the common path takes no lock, and concurrent
    # first calls (threaded WSGI workers) build the index only once.
    if _index is None:
        with _lock:
            if _index is None:
                _index = _build_index()
    return _index


def locate(lon: float, lat: float) -> Area | None:
    """Return the arrondissement (Paris) or MGP commune containing a point.

    ``lon``/``lat`` are WGS84 degrees.  Returns None outside the Métropole du
    Grand Paris (or for non-finite input).
    """
    result = locate_many([lon], [lat])
    return result[0]


def locate_many(
    lons: list[float] | np.ndarray, lats: list[float] | np.ndarray
) -> list[Area | None]:
    """Vectorised :func:`locate` for many points (one STRtree query)."""
    idx = _get_index()
    points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    result: list[Area | None] = [None] * len(points)
    # Pairs (point i, geometry j) whose geometry contains or touches point i.
    # Arrondissements have the lowest geometry indices, so keeping the lowest
    # j gives them priority where the two layers overlap.
    pt_idx, geom_idx = idx.tree.query(points, predicate="intersects")
    best: dict[int, int] = {}
    for i, j in zip(pt_idx.tolist(), geom_idx.tolist(), strict=True):
        if i not in best or j < best[i]:
            best[i] = j
    for i, j in best.items():
        result[i] = idx.areas[j]
    for i, area in enumerate(result):
        if area is None:
            result[i] = _nearest_in_footprint(idx, points[i])
    return result


def _nearest_in_footprint(idx: _Index, point: Point) -> Area | None:
    # Only points inside the filled MGP outline fall back to the nearest area:
    # they are in a sliver between two producers' boundaries, not outside.
    if point.is_empty or not np.isfinite(point.x) or not idx.footprint.contains(point):
        return None
    nearest = idx.tree.query_nearest(point, all_matches=False)
    return idx.areas[int(nearest[0])] if len(nearest) else None


def _sort_key(area: Area) -> tuple[int, str]:
    if area.kind == "arrondissement":
        return (0, area.code_insee)
    # Accent-insensitive so "Épinay-sur-Seine" sorts among the E's.
    plain = unicodedata.normalize("NFKD", area.name).encode("ascii", "ignore").decode().casefold()
    return (1, plain)


def all_areas() -> list[Area]:
    """All areas for drop-downs: arrondissements 1..20, then communes by name."""
    return sorted(_get_index().areas, key=_sort_key)


def area_by_code(code_insee: str) -> Area | None:
    """Area for an INSEE code (751xx arrondissement or MGP commune), else None."""
    return _get_index().by_code.get(code_insee.strip())
