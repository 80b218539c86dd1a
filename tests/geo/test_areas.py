"""Point -> arrondissement / MGP commune."""

import json
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from halte.geo.lib import areas
from halte.geo.lib.areas import Area, all_areas, area_by_code, locate, locate_many

DATA = Path(areas.__file__).resolve().parent.parent / "data"

# Landmarks whose arrondissement / commune is well known.
KNOWN_POINTS = [
    ((2.3376, 48.8606), "75101", "arrondissement"),  # Louvre
    ((2.3522, 48.8566), "75104", "arrondissement"),  # Hôtel de Ville
    ((2.2945, 48.8584), "75107", "arrondissement"),  # Eiffel Tower
    ((2.3553, 48.8809), "75110", "arrondissement"),  # Gare du Nord
    ((2.4140, 48.8330), "75112", "arrondissement"),  # Lac Daumesnil, bois de Vincennes
    ((2.3761, 48.8337), "75113", "arrondissement"),  # BnF François-Mitterrand
    ((2.2608, 48.8636), "75116", "arrondissement"),  # Lac inférieur, bois de Boulogne
    ((2.3431, 48.8867), "75118", "arrondissement"),  # Sacré-Cœur
    ((2.3828, 48.8809), "75119", "arrondissement"),  # Buttes-Chaumont
    ((2.3963, 48.8615), "75120", "arrondissement"),  # Père-Lachaise
    ((2.3596, 48.9356), "93066", "commune"),  # Basilique de Saint-Denis
    ((2.3601, 48.9245), "93066", "commune"),  # Stade de France (Saint-Denis)
    ((2.4020, 48.8944), "93055", "commune"),  # Pantin, mairie
    ((2.3830, 48.9145), "93001", "commune"),  # Aubervilliers, mairie
    ((2.2400, 48.8355), "92012", "commune"),  # Boulogne-Billancourt
    ((2.4357, 48.8428), "94080", "commune"),  # Château de Vincennes
    ((2.2470, 48.9472), "95018", "commune"),  # Argenteuil (in the MGP)
]


@pytest.mark.parametrize(("point", "code", "kind"), KNOWN_POINTS)
def test_locate_known_points(point, code, kind):
    area = locate(*point)
    assert area is not None
    assert area.code_insee == code
    assert area.kind == kind


@pytest.mark.parametrize(
    "point",
    [
        (2.1204, 48.8049),  # Versailles: Île-de-France but not MGP
        (4.8350, 45.7640),  # Lyon
        (-3.0, 46.5),  # Bay of Biscay
        (0.0, 0.0),
    ],
)
def test_locate_outside_mgp_is_none(point):
    assert locate(*point) is None


def test_locate_rejects_non_finite_input_gracefully():
    assert locate(float("nan"), 48.85) is None


def test_arrondissement_labels_and_department():
    area = locate(2.35339, 48.881946)  # 4 rue Ambroise-Paré
    assert area == Area("75110", "Paris 10e", "arrondissement", "75")
    assert area_by_code("75101").name == "Paris 1er"


def test_locate_many_matches_locate():
    lons = [p[0][0] for p in KNOWN_POINTS] + [4.835]
    lats = [p[0][1] for p in KNOWN_POINTS] + [45.764]
    assert locate_many(lons, lats) == [locate(lo, la) for lo, la in zip(lons, lats, strict=True)]


def test_all_areas_order_and_content():
    result = all_areas()
    codes = [a.code_insee for a in result]
    assert codes[:20] == [f"751{i:02d}" for i in range(1, 21)]
    communes = result[20:]
    assert len(communes) == 129  # MGP = 130 communes incl. Paris
    assert all(a.kind == "commune" and not a.code_insee.startswith("75") for a in communes)
    assert {"93066", "93055", "93001"} <= {a.code_insee for a in communes}
    # Accent-insensitive alphabetical order: Épinay-sur-Seine among the E's.
    names = [a.name for a in communes]
    assert names.index("Épinay-sur-Seine") < names.index("Fontenay-sous-Bois")
    assert names.index("Drancy") < names.index("Épinay-sur-Seine")


def test_area_by_code():
    assert area_by_code("93066").name == "Saint-Denis"
    assert area_by_code("93066").department == "93"
    assert area_by_code("75056") is None  # Paris as a whole is split in arrondissements
    assert area_by_code("69123") is None


def _bundled_areas():
    for name in ("arrondissements_paris.geojson", "communes_mgp.geojson"):
        for feature in json.loads((DATA / name).read_text(encoding="utf-8"))["features"]:
            yield feature["properties"]["code_insee"], shape(feature["geometry"])


def test_point_in_sliver_between_layers_gets_nearest_area():
    # Holes in the union of both layers are gaps between the Ville de Paris
    # and IGN boundaries; a point there is inside the MGP and must get an area.
    layers = list(_bundled_areas())
    union = shapely.union_all([g for _, g in layers])
    holes = [
        shapely.Polygon(h) for part in getattr(union, "geoms", [union]) for h in part.interiors
    ]
    assert holes, "expected slivers between the two boundary sources"
    point = max(holes, key=lambda h: h.area).representative_point()
    assert not any(g.covers(point) for _, g in layers)
    area = locate(point.x, point.y)
    assert area is not None
    nearest_code = min(layers, key=lambda item: item[1].distance(point))[0]
    assert area.code_insee == nearest_code
