"""The open data: data·inclusion "structures" and "services" validated against the bundled schema,
GeoJSON, only what sites chose to publish, nothing internal, a coarse room level, throttled."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.core.cache import cache
from django.test import Client

from halte.consumption.models import Booth
from halte.core.timeutils import local_today
from halte.network.models import HoursException, Site
from halte.network.publication import RoomLevel, coarse_level
from tests.public.conftest import names

SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "schemas" / "data-inclusion"
INTERNAL = {
    "status",
    "statut",
    "booths_injection",
    "beds",
    "rest_places",
    "reception_capacity",
    "data_note",
    "facts_verified",
    "authorisation_act",
    "free",
    "occupancy",
}


def validator(name: str) -> Any:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _get(path: str) -> Any:
    response = Client().get(path)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_the_bundled_schemas_refuse_what_they_should() -> None:
    structures = validator("structure.json")
    assert not structures.is_valid({"id": "x", "source": "halte", "nom": "Lieu"})
    assert not structures.is_valid(
        {"id": "x", "source": "s", "nom": "Lieu", "description": "court", "date_maj": "2026-01-01"}
    )
    services = validator("service.json")
    assert not services.is_valid({"id": "x", "structure_id": "y", "source": "s"})


def test_structures_validate_and_hold_only_published_operational_places(
    published: dict[str, Site], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        data = _get("/api/v1/open/structures")
    check = validator("structure.json")
    for record in data:
        errors = [e.message for e in check.iter_errors(record)]
        assert not errors, (record["nom"], errors)
    assert names(data) == {"Accueil Stalingrad", "HSA Lariboisière", "Abri des femmes"}
    by_name = {r["nom"]: r for r in data}
    assert by_name["Accueil Stalingrad"]["typologie"] == "CAARUD"
    assert by_name["Abri des femmes"]["typologie"] == "CHU"
    assert by_name["Accueil Stalingrad"]["horaires_accueil"] == "Mo-Su 00:00-24:00"
    for record in data:
        assert not INTERNAL & set(record), record


def test_services_validate_and_leave_out_rounds_and_unpublished_sites(
    published: dict[str, Site],
) -> None:
    data = _get("/api/v1/open/services")
    check = validator("service.json")
    for record in data:
        errors = [e.message for e in check.iter_errors(record)]
        assert not errors, (record["id"], errors)
    ids = {r["id"] for r in data}
    near = published["near"].public_id
    assert {f"{near}--reception", f"{near}--material", f"{near}--nursing"} <= ids
    assert f"{near}--outreach" not in ids  # a round is not offered at the place
    structure_ids = {r["structure_id"] for r in data}
    for key in ("hidden", "project", "abandoned", "team"):
        assert str(published[key].public_id) not in structure_ids
    women = next(r for r in data if r["structure_id"] == str(published["women"].public_id))
    assert women["publics"] == ["femmes"]


def test_an_exception_shows_at_once_in_the_feeds(published: dict[str, Site]) -> None:
    today = local_today()
    HoursException.objects.create(site=published["near"], date=today, closed=True)
    structures = {r["nom"]: r for r in _get("/api/v1/open/structures")}
    stamp = f"{today.year} {today.strftime('%b')} {today.day:02d} off"
    assert structures["Accueil Stalingrad"]["horaires_accueil"].endswith(stamp)
    features = {f["properties"]["name"]: f for f in _get("/api/v1/open/places.geojson")["features"]}
    near = features["Accueil Stalingrad"]["properties"]
    assert near["closed_today"] is True and near["open_now"] is False
    assert near["exceptions"] == [
        {"date": today.isoformat(), "closed": True, "opens": None, "closes": None}
    ]


def test_geojson_has_points_offers_and_a_coarse_room_level_only_where_published(
    published: dict[str, Site],
) -> None:
    near = published["near"]
    Booth.objects.bulk_create(Booth(site=near, route="injection", number=n) for n in (1, 2))
    collection = _get("/api/v1/open/places.geojson")
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["name"]: f for f in collection["features"]}
    assert set(features) == {"Accueil Stalingrad", "HSA Lariboisière", "Abri des femmes"}
    props = features["Accueil Stalingrad"]["properties"]
    assert features["Accueil Stalingrad"]["geometry"] == {
        "type": "Point",
        "coordinates": [near.lon, near.lat],
    }
    assert {"rest", "dogs", "care", "material"} <= set(props["offers"])
    assert props["room"] == {"consumption": RoomLevel.ROOM}
    assert features["Abri des femmes"]["properties"]["room"] == {}  # not published
    assert features["Abri des femmes"]["properties"]["women_only"] is True
    text = json.dumps(collection)
    for key in INTERNAL:
        assert f'"{key}"' not in text


@pytest.mark.parametrize(
    ("free", "total", "level"),
    [
        (0, 12, RoomLevel.FULL),
        (1, 12, RoomLevel.ALMOST_FULL),
        (3, 12, RoomLevel.ALMOST_FULL),
        (4, 12, RoomLevel.ROOM),
        (12, 12, RoomLevel.ROOM),
        (0, 0, None),
    ],
)
def test_the_room_level_is_coarse(free: int, total: int, level: str | None) -> None:
    assert coarse_level(free, total) == level


def test_the_open_data_is_throttled_per_address(settings: Any, db: None) -> None:
    """The operations' limiter is built at import from the "read" rate: ask that many times."""
    allowed = int(settings.HALTE_PUBLIC_RATES["read"].split("/")[0])
    http = Client(REMOTE_ADDR="203.0.113.9")
    codes = {http.get("/api/v1/open/structures").status_code for _ in range(allowed)}
    assert codes == {200}
    for path in ("/api/v1/open/structures", "/api/v1/open/services", "/api/v1/open/places.geojson"):
        assert http.get(path).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").get("/api/v1/open/services").status_code == 200
