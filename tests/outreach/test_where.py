"""'Where can this person go now?' through the API: open, admits this person, has room, nearest
first; counts only; bad input is a 422."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from halte.accounts.models import User
from halte.clients.models import Ban
from halte.clients.services import client_register
from halte.consumption.services import booths_sync
from halte.lodging.services import beds_sync
from halte.network.enums import Admission, Service, SiteKind
from halte.network.models import Site, SiteService, WeeklyHours

Login = Callable[[User], HttpClient]
STALINGRAD = {"lat": 48.883317, "lon": 2.369479}


@pytest.fixture
def places(make_site: Callable[..., Site], site: Site) -> dict[str, Site]:
    """The Paris room (always open), a women-only shelter and a closed reception nearby."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    SiteService.objects.create(site=site, service=Service.RECEPTION)
    site.reception_capacity = 30
    site.save()
    booths_sync(site=site)
    women = make_site(
        name="Abri femmes",
        kind=SiteKind.NIGHT_SHELTER,
        admission=Admission.WOMEN_ONLY,
        beds=2,
        booths_injection=0,
        hours=("00:00", "00:00"),
        lon=2.3800,
        lat=48.8880,
    )
    beds_sync(site=women)
    closed = make_site(name="Accueil fermé", hours=None, booths_injection=0, lon=2.37, lat=48.884)
    SiteService.objects.create(site=closed, service=Service.RECEPTION)
    return {"room": site, "women": women, "closed": closed}


def ask(http: HttpClient, **params: object) -> tuple[int, object]:
    response = http.get("/api/v1/places/now", {**STALINGRAD, **params})
    return response.status_code, response.json()


def test_nearest_open_places_that_admit_the_person(
    login: Login, reception: User, places: dict[str, Site]
) -> None:
    http = login(reception)
    status, body = ask(http, need="reception", sex="man")
    assert status == 200
    assert [o["name"] for o in body] == ["HSA Paris"]  # the closed one is left out
    option = body[0]
    assert option["free_places"] == 30 and option["distance_m"] > 1000
    assert option["walking_minutes"] == round(option["distance_m"] / 75)
    assert "client" not in option
    status, body = ask(http, need="bed", sex="man")
    assert body == []
    status, body = ask(http, need="bed", sex="woman")
    assert [o["name"] for o in body] == ["Abri femmes"] and body[0]["beds_free_tonight"] == 2
    status, body = ask(http, need="consumption", route="injection", sex="man")
    assert body[0]["booths_free"] == {"injection": 12}
    status, body = ask(
        http, need="consumption", route="injection", birth_year=timezone.localdate().year - 16
    )
    assert body == []


def test_bans_are_applied_and_input_is_checked(
    login: Login, reception: User, places: dict[str, Site]
) -> None:
    person, _ = client_register(
        actor=reception,
        site=places["room"],
        family_name="Bernard",
        given_name="Lou",
        birth_date=dt.date(1985, 3, 3),
        sex="man",
    )
    Ban.objects.create(
        client=person,
        site=places["room"],
        starts_on=dt.date(2020, 1, 1),
        reason="rules",
        created_by=reception,
    )
    http = login(reception)
    status, body = ask(http, need="reception", client=person.code)
    assert (status, body) == (200, [])
    assert ask(http, need="consumption")[0] == 422  # no route
    assert ask(http, need="sleep")[0] == 422
    assert http.get("/api/v1/places/now", {"lat": 200, "lon": 2, "need": "rest"}).status_code == 422


def test_network_roles_may_ask_but_not_by_code(
    login: Login, coordinator: User, outsider: User, places: dict[str, Site]
) -> None:
    assert ask(login(coordinator), need="reception")[0] == 200
    assert ask(login(coordinator), need="reception", client="ABCD-EFGH-IJ")[0] == 404
    assert ask(login(outsider), need="reception")[0] == 404
