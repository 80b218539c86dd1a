"""Bundled data: present, documented, self-contained, valid map layers."""

import json
from pathlib import Path

import pytest
from shapely.geometry import shape

import halte.geo.lib as geo_lib

LIB = Path(geo_lib.__file__).resolve().parent
DATA = LIB.parent / "data"
STATIC = LIB.parent / "static" / "geo"


def test_every_data_file_is_documented_in_the_licence_file():
    licence = (DATA / "LICENCE-DATA.md").read_text(encoding="utf-8")
    data_files = [p.name for p in DATA.iterdir() if p.is_file() and p.suffix not in {".md", ".py"}]
    assert data_files
    for name in data_files:
        assert f"`{name}`" in licence, f"{name} missing from LICENCE-DATA.md"
    assert "ODbL" in licence and "share-alike" in licence


def test_library_never_reads_outside_the_package():
    for source in LIB.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "/work/" not in text and "shared/data" not in text, source.name
        imports = [
            line for line in text.splitlines() if line.lstrip().startswith(("import ", "from "))
        ]
        assert not any("django" in line for line in imports), (
            f"{source.name} must not depend on Django"
        )


@pytest.mark.parametrize(
    ("name", "count", "keys"),
    [
        ("arrondissements_paris.geojson", 20, {"code_insee", "name"}),
        ("communes_mgp.geojson", 129, {"code_insee", "name", "dep"}),
    ],
)
def test_static_layers_are_small_and_valid(name, count, keys):
    path = STATIC / name
    assert path.stat().st_size < 200_000
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    assert len(features) == count
    for feature in features:
        assert set(feature["properties"]) == keys
        geom = shape(feature["geometry"])
        assert geom.is_valid and not geom.is_empty
    assert "75056" not in {f["properties"]["code_insee"] for f in features}


def test_bounds_contain_paris():
    bounds = json.loads((STATIC / "bounds.json").read_text(encoding="utf-8"))
    (south, west), (north, east) = bounds["paris"]
    assert south < 48.8566 < north and west < 2.3522 < east
    (msouth, mwest), (mnorth, meast) = bounds["mgp"]
    assert msouth <= south and mwest <= west and mnorth >= north and meast >= east


def test_reference_loaders():
    from halte.geo.lib import reference

    assert len(reference.stations()) == 992
    assert any("METRO 4" in s.lines for s in reference.stations() if s.name == "Châtelet")
    assert len(reference.colleges()) == 217
    iris = reference.iris_population()
    assert len(iris) == 965 and 2_000_000 < sum(i.population for i in iris) < 2_300_000
    assert len(reference.ecoles_paris18_geojson()["features"]) == 109
    assert all(shape(f["geometry"]).is_valid for f in reference.iris_geojson()["features"])
