"""Loaders for the planning reference files bundled in ``halte/geo/data``.

Plain readers with no caching policy of their own beyond ``lru_cache``: the
files are small (< 150 kB each) and are only used by planning jobs.  See
``halte/geo/data/LICENCE-DATA.md`` for sources, dates and licences (stations,
schools of the 18e and IRIS population are ODbL: derived databases must stay
under ODbL).
"""

from __future__ import annotations

import csv
import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from halte.geo.lib._paths import data_path


@dataclass(frozen=True, slots=True)
class Station:
    """Rail/metro station complex (IDFM zone de correspondance)."""

    id_ref_zdc: str
    name: str
    lines: tuple[str, ...]  # e.g. ("METRO 4", "RER B")
    lon: float
    lat: float
    code_insee: str
    in_paris: bool


@dataclass(frozen=True, slots=True)
class College:
    """A collège (public or private) in Paris."""

    uai: str
    name: str
    sector: str  # "Public" / "Privé"
    address: str
    code_insee: str
    lon: float
    lat: float


@dataclass(frozen=True, slots=True)
class IrisPopulation:
    """An IRIS of Paris with its resident population (census 2015, see caveats)."""

    name: str  # IRIS label, no INSEE IRIS code in the source
    population: int
    code_insee: str  # arrondissement of the representative point
    lon: float
    lat: float


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(data_path(name), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def stations() -> tuple[Station, ...]:
    """All station complexes of Île-de-France (992 rows)."""
    return tuple(
        Station(
            r["id_ref_zdc"],
            r["nom"],
            tuple(r["lignes"].split("|")),
            float(r["lon"]),
            float(r["lat"]),
            r["code_insee"],
            r["in_paris"] == "True",
        )
        for r in _read_csv("stations_idf.csv")
    )


@lru_cache(maxsize=1)
def colleges() -> tuple[College, ...]:
    """Collèges of Paris that are open (``etat == OUVERT``)."""
    return tuple(
        College(
            r["uai"],
            r["nom"],
            r["secteur"],
            f"{r['adresse']}, {r['code_postal']} Paris",
            r["code_insee"],
            float(r["lon"]),
            float(r["lat"]),
        )
        for r in _read_csv("colleges_paris.csv")
        if r["etat"] == "OUVERT"
    )


@lru_cache(maxsize=1)
def iris_population() -> tuple[IrisPopulation, ...]:
    """IRIS population points (representative points; polygons via :func:`iris_geojson`)."""
    return tuple(
        IrisPopulation(
            p["nom_iris"], int(p["pop"]), p["code_insee_arr"], float(p["lon"]), float(p["lat"])
        )
        for p in (f["properties"] for f in iris_geojson()["features"])
    )


def iris_geojson() -> dict[str, Any]:
    """The IRIS population layer as a GeoJSON dict (fresh copy on each call)."""
    with gzip.open(
        data_path("iris_population_paris_apur.geojson.gz"), "rt", encoding="utf-8"
    ) as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def ecoles_paris18_geojson() -> dict[str, Any]:
    """Public schools of the 18e arrondissement (partial, see licence file)."""
    with open(data_path("ecoles_paris18_opendataparis.geojson"), encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]
