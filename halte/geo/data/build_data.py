"""Rebuild the bundled geography data from the upstream reference extracts.

Offline maintenance tool, never imported by the application: the product only
reads the files written next to this script.  Run it by hand when the upstream
extracts change, then review the diff and update LICENCE-DATA.md:

    python halte/geo/data/build_data.py /path/to/reference/data/paris

What it does (see LICENCE-DATA.md for sources and licences):

* BAN addresses: keeps real street addresses only (drops the BAN "sub-address"
  pseudo-streets such as "63P1 Rue Riquet", number 0 and the Paris-specific
  internal suffix codes), drops the BAN id, sorts by street then number.
* Arrondissements and MGP communes: simplifies polygons by 1e-5 degree
  (about 1 m, preserving topology), snaps coordinates to 5 decimals and
  keeps only the properties the application uses.  The same layers, plus
  ``bounds.json`` (fitBounds boxes), are written to ``halte/geo/static/geo/``
  for Leaflet.
* Other reference files: copied as is, except the IRIS layer whose
  coordinates are snapped to 5 decimals (validity kept) and which is gzipped (668 kB -> 115 kB).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

DATA_DIR = Path(__file__).resolve().parent
STATIC_DIR = DATA_DIR.parent / "static" / "geo"

# BAN suffixes that correspond to what appears on a building plate (bis, ter,
# quater, letters).  The other codes in the Paris BAN (p1, s, v, w, z...) are
# internal sub-address markers that a person would never type.
KEPT_SUFFIXES = frozenset({"", "b", "t", "q", "a", "c", "d", "e", "f", "g", "h"})
# "63P1 Rue Riquet", "1S1 Place du Carrousel": sub-address pseudo-streets.
PSEUDO_STREET = re.compile(r"^\d")

SIMPLIFY_TOLERANCE = 1e-5  # degrees, about 1 m at Paris latitude
GRID = 1e-5  # coordinate precision of the written polygons (5 decimals)
ADDRESS_COLUMNS = ["numero", "rep", "nom_voie", "code_postal", "code_insee", "lon", "lat"]


def build_addresses(src: Path) -> int:
    """Write the reduced BAN extract; return the number of kept rows."""
    with gzip.open(src / "ban_adresses_paris.csv.gz", "rt", encoding="utf-8") as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["rep"] in KEPT_SUFFIXES
            and r["numero"] != "0"
            and not PSEUDO_STREET.match(r["nom_voie"])
        ]
    rows.sort(key=lambda r: (r["nom_voie"], r["code_postal"], int(r["numero"]), r["rep"]))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(ADDRESS_COLUMNS)
    for r in rows:
        writer.writerow([r[c] for c in ADDRESS_COLUMNS])
    # mtime=0 keeps the gzip byte-identical between rebuilds (clean diffs).
    with (
        open(DATA_DIR / "ban_adresses_paris.csv.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        gz.write(buf.getvalue().encode("utf-8"))
    return len(rows)


def _clean_polygon(geometry: dict[str, Any]) -> dict[str, Any]:
    geom = shapely.set_precision(shape(geometry).simplify(SIMPLIFY_TOLERANCE), GRID)
    if not geom.is_valid or geom.is_empty:
        raise ValueError("simplification produced an invalid geometry")
    return dict(mapping(geom))


def _feature_collection(name: str, features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "name": name, "features": features}


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    # Compact separators: these files are served to browsers as is.
    path.write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def build_areas(src: Path) -> None:
    """Write the arrondissement and MGP commune layers (data + static copies)."""
    arr_src = json.loads((src / "arrondissements_paris.geojson").read_text(encoding="utf-8"))
    arrondissements = [
        {
            "type": "Feature",
            "properties": {
                "code_insee": f["properties"]["code_insee"],
                "name": _arr_label(f["properties"]["c_ar"]),
            },
            "geometry": _clean_polygon(f["geometry"]),
        }
        for f in sorted(arr_src["features"], key=lambda f: f["properties"]["code_insee"])
    ]
    com_src = json.loads((src / "communes_idf.geojson").read_text(encoding="utf-8"))
    communes = [
        {
            "type": "Feature",
            "properties": {"code_insee": p["code_insee"], "name": p["nom"], "dep": p["dep"]},
            "geometry": _clean_polygon(f["geometry"]),
        }
        for f in sorted(com_src["features"], key=lambda f: f["properties"]["code_insee"])
        if (p := f["properties"])["in_mgp"] and p["code_insee"] != "75056"
    ]
    for target in (DATA_DIR, STATIC_DIR):
        target.mkdir(parents=True, exist_ok=True)
        _write_json(
            target / "arrondissements_paris.geojson",
            _feature_collection("arrondissements_paris", arrondissements),
        )
        _write_json(target / "communes_mgp.geojson", _feature_collection("communes_mgp", communes))
    _write_json(STATIC_DIR / "bounds.json", _bounds(arrondissements, communes))


def _bounds(*layers: list[dict[str, Any]]) -> dict[str, Any]:
    """Bounding boxes for Leaflet ``fitBounds`` ([[south, west], [north, east]])."""

    def box(features: list[dict[str, Any]]) -> list[list[float]]:
        west, south, east, north = shapely.union_all(
            [shape(f["geometry"]) for f in features]
        ).bounds
        return [[round(south, 5), round(west, 5)], [round(north, 5), round(east, 5)]]

    return {
        "paris": box(layers[0]),
        "mgp": box([f for layer in layers for f in layer]),
        "crs": "EPSG:4326",
    }


def _arr_label(number: int) -> str:
    return f"Paris {number}{'er' if number == 1 else 'e'}"


def build_reference(src: Path) -> None:
    """Copy the planning reference files (IRIS coordinates snapped, gzipped)."""
    for name in ("colleges_paris.csv", "ecoles_paris18_opendataparis.geojson", "stations_idf.csv"):
        shutil.copyfile(src / name, DATA_DIR / name)
    iris = json.loads((src / "iris_population_paris_apur.geojson").read_text(encoding="utf-8"))
    for feature in iris["features"]:
        # set_precision (not plain rounding) so snapped polygons stay valid.
        feature["geometry"] = dict(mapping(shapely.set_precision(shape(feature["geometry"]), GRID)))
    text = json.dumps(iris, ensure_ascii=False, separators=(",", ":")) + "\n"
    with (
        open(DATA_DIR / "iris_population_paris_apur.geojson.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz,
    ):
        gz.write(text.encode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    src = Path(argv[1])
    print(f"addresses kept: {build_addresses(src)}")
    build_areas(src)
    build_reference(src)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
