"""Where to go within a walking time, through the API and the screen (issue 23, points 2 and 3):
the same function answers both; a place beyond the limit comes only as the marked fallback of the
same city area; a typed place is read as the network's own place before a street elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.demo.outreach import place_create
from halte.network.enums import Service
from halte.network.models import Site, SiteService, WeeklyHours
from halte.outreach.models import GatheringPlace
from halte.outreach.orientation import walking

Login = Callable[[User], HttpClient]
STALINGRAD = {"lat": 48.883317, "lon": 2.369479}


@pytest.fixture
def far_and_near(make_site: Callable[..., Site]) -> dict[str, Site]:
    """A reception in Aubervilliers (about 50 min on foot from Stalingrad) and one in Strasbourg,
    both open day and night."""
    sites = {
        "aubervilliers": make_site(
            name="Accueil Aubervilliers", lon=2.3830, lat=48.9080, hours=("00:00", "00:00")
        ),
        "strasbourg": make_site(
            name="Argos Strasbourg", lon=7.7475, lat=48.5775, hours=("00:00", "00:00")
        ),
    }
    for site in sites.values():
        SiteService.objects.create(site=site, service=Service.RECEPTION)
    return sites


def ask(http: HttpClient, **params: object) -> tuple[int, object]:
    response = http.get("/api/v1/places/now", {**STALINGRAD, **params})
    return response.status_code, response.json()


def test_api_keeps_to_the_walking_time_and_marks_the_same_area_fallback(
    login: Login, coordinator: User, far_and_near: dict[str, Site]
) -> None:
    http = login(coordinator)
    status, body = ask(http, need="reception", sex="woman")
    assert status == 200
    assert [(o["name"], o["fallback"]) for o in body] == [("Accueil Aubervilliers", True)]
    assert body[0]["walking_minutes"] > 30
    status, body = ask(http, need="reception", sex="woman", max_minutes=60)
    assert [(o["name"], o["fallback"]) for o in body] == [("Accueil Aubervilliers", False)]
    WeeklyHours.objects.filter(site=far_and_near["aubervilliers"]).delete()
    status, body = ask(http, need="reception", sex="woman")
    assert (status, body) == (200, [])  # Strasbourg is never offered from Paris
    for wrong in (0, 5, 61, "abc"):
        status, body = ask(http, need="reception", max_minutes=wrong)
        assert status == 422 and body["error"]["details"]


def test_screen_says_nothing_fits_and_shows_the_fallback_with_its_distance(
    login: Login, coordinator: User, far_and_near: dict[str, Site]
) -> None:
    http = login(coordinator)
    page = http.get("/rue/ou-aller/", {**STALINGRAD, "need": "reception", "max_minutes": 20})
    text = page.content.decode()
    assert page.status_code == 200
    assert "à moins de 20 min à pied" in text and "data-nothing-fits" in text
    assert "Accueil Aubervilliers" in text and "is-fallback" in text and " km" in text
    assert "Strasbourg" not in text
    bad = http.get("/rue/ou-aller/", {**STALINGRAD, "need": "reception", "max_minutes": 7})
    assert bad.status_code == 200 and "is-fallback" not in bad.content.decode()
    assert "À pied, au plus" in bad.content.decode() and 'role="alert"' in bad.content.decode()


@pytest.fixture
def chapelle(db: None) -> GatheringPlace:
    return place_create("porte-chapelle")


def test_candidates_put_the_network_place_first_and_never_the_17th(
    login: Login, coordinator: User, chapelle: GatheringPlace
) -> None:
    http = login(coordinator)
    body = http.get("/api/v1/places/candidates", {"q": "Porte de la Chapelle"}).json()
    assert body[0]["label"] == "Porte de la Chapelle (18e)" and body[0]["kind"] == "place"
    assert {c["kind"] for c in body} == {"place", "station", "address"}
    assert not any(c["code_insee"] == "75117" for c in body)
    assert http.get("/api/v1/places/candidates", {"q": "x"}).status_code == 422
    numbered = http.get("/api/v1/places/candidates", {"q": "4 rue Ambroise-Paré"}).json()
    assert numbered[0]["label"] == "4 Rue Ambroise Paré, 75010 Paris"
    assert all(c["kind"] == "address" for c in numbered)


def test_screen_shows_what_was_understood_and_links_to_the_other_readings(
    login: Login, coordinator: User, chapelle: GatheringPlace, site: Site
) -> None:
    http = login(coordinator)
    page = http.get("/rue/ou-aller/", {"address": "Porte de la Chapelle", "need": "care"})
    text = page.content.decode()
    assert "Lieu compris" in text and "Porte de la Chapelle (18e)" in text
    assert "data-candidate" in text and "Avenue de la Porte de la Chapelle" in text
    assert "75017" not in text
    unknown = http.get("/rue/ou-aller/", {"address": "zzzz qqqq", "need": "care"})
    assert "Lieu introuvable" in unknown.content.decode()


def test_a_walk_is_never_shorter_than_a_minute() -> None:
    assert walking(2.36, 48.88, 2.36, 48.88) == (0, 1)
    assert dt.timedelta(minutes=walking(2.36, 48.88, 2.37, 48.88)[1]) < dt.timedelta(hours=1)
