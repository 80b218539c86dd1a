"""The board of a site's surroundings: who sees it, the area the coordinator set, before and after
a change of hours, the schools nearby, and its query budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.core.timeutils import local_today, paris_instant
from halte.neighbourhood.enums import PickupItem, PlaceKind, RoundKind
from halte.neighbourhood.models import MediationRound, Pickup, SiteSurroundings
from halte.network.models import Site, WeeklyHours
from halte.reports.periods import last_closed_month

Login = Callable[[User], Client]
# 100 m of longitude at Paris is about 0.00137°.
DEG_PER_100M_LON = 0.00137


def _url(site: Site, **query: str) -> str:
    url = reverse("neighbourhood:site_board", kwargs={"site_id": site.public_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _pickup(site: Site, day: dt.date, count: int, metres: int, item: str = "syringe") -> None:
    Pickup.objects.create(
        team=site,
        found_at=paris_instant(day, dt.time(10, 0)),
        item=item,
        place_kind=PlaceKind.STREET,
        count=count,
        lon=float(site.lon or 0) + metres / 100 * DEG_PER_100M_LON,
        lat=float(site.lat or 0),
        area_code="75110",
    )


def test_staff_of_the_site_and_the_network_see_it_others_do_not(
    login: Login,
    site: Site,
    manager: User,
    other_manager: User,
    coordinator: User,
    evaluator: User,
    outsider: User,
) -> None:
    own = login(manager).get(_url(site))
    assert own.status_code == 200 and "Modifier le périmètre" not in own.text
    network = login(coordinator).get(_url(site))
    assert network.status_code == 200 and "Modifier le périmètre" in network.text
    assert login(evaluator).get(_url(site)).status_code == 200
    assert login(other_manager).get(_url(site)).status_code == 404
    assert login(outsider).get(_url(site)).status_code == 404
    assert Client().get(_url(site)).status_code == 302


@pytest.mark.parametrize("radius", [300, 1000])
def test_the_area_is_the_one_the_coordinator_set(
    login: Login, site: Site, coordinator: User, radius: int, django_assert_max_num_queries: Any
) -> None:
    SiteSurroundings.objects.create(site=site, radius_m=radius)
    month = last_closed_month(local_today())
    for metres, count in ((100, 7), (250, 5), (600, 11), (2000, 40)):
        _pickup(site, month + dt.timedelta(days=3), count, metres)
    MediationRound.objects.create(
        site=site,
        kind=RoundKind.MEDIATION,
        started_at=paris_instant(month + dt.timedelta(days=4), dt.time(15)),
        ended_at=paris_instant(month + dt.timedelta(days=4), dt.time(17)),
        public_consumption_seen=3,
    )
    client = login(coordinator)
    with django_assert_max_num_queries(75):
        response = client.get(_url(site))
    assert response.status_code == 200
    year = {f.code: f for f in response.context["year"]}
    expected = 12 if radius == 300 else 23
    assert year["pickups_items"].number == expected
    assert year["public_consumption_seen"].number == 3
    latest = response.context["table"].months[0]
    assert latest.month == month and latest.figures[0].number == expected
    assert f"{radius} m" in response.text
    drawn = response.context["map_data"]
    assert drawn["radius_m"] == radius
    # the year's finds in the area, by point
    assert sorted(f["n"] for f in drawn["finds"]) == ([5, 7] if radius == 300 else [5, 7, 11])
    assert 'id="board-data"' in response.text and "neighbourhood/board.js" in response.text


def test_before_and_after_a_change_of_hours(login: Login, site: Site, coordinator: User) -> None:
    change = local_today() - dt.timedelta(days=60)
    WeeklyHours.objects.filter(site=site).update(valid_until=change - dt.timedelta(days=1))
    WeeklyHours.objects.bulk_create(
        WeeklyHours(site=site, weekday=d, opens=dt.time(9), closes=dt.time(21), valid_from=change)
        for d in range(7)
    )
    _pickup(site, change - dt.timedelta(days=10), 30, 100)
    _pickup(site, change - dt.timedelta(days=70), 99, 100)  # outside the 60-day window
    _pickup(site, change + dt.timedelta(days=5), 12, 100, item=PickupItem.CRACK_PIPE)
    response = login(coordinator).get(_url(site))
    board = response.context["change_board"]
    # The change is 60 days ago: both windows are cut to the 60 full days since (today excluded).
    assert any("60 jours" in note for note in board.notes)
    hours = next(v for k, v in board.table if k.startswith("Heures d'ouverture"))
    assert hours[:2] == ["49,0", "84,0"]
    items = next(v for k, v in board.table if k.startswith("Matériel usagé ramassé"))
    assert items[:2] == ["30", "12"]
    syringes = next(v for k, v in board.table if k.startswith("Seringues"))
    assert syringes[:2] == ["30", "0"]
    refused = login(coordinator).get(_url(site, change="2999-01-01"))
    assert refused.status_code == 422 and "Choisissez une date passée" in refused.text


def test_schools_nearby_come_from_the_bundled_data(
    login: Login, make_site: Callable[..., Site], coordinator: User
) -> None:
    pelleport = make_site(name="Site Pelleport", lon=2.398023, lat=48.873772)
    SiteSurroundings.objects.create(site=pelleport, radius_m=300)
    schools = login(coordinator).get(_url(pelleport)).context["schools"]
    assert schools[0].name == "Collège privé Notre-Dame de Lourdes"
    assert schools[0].distance_m == pytest.approx(256, abs=1)
    assert all(s.distance_m <= 300 for s in schools)
