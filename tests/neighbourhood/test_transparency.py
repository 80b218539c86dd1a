"""The public transparency pages: no login, exactly the sites the network publishes (the public
orientation's rule), figures masked as for the most masked audience (no cell under 10, counts
rounded to 5), reads throttled."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from halte.accounts.models import User
from halte.core.timeutils import local_today, paris_instant
from halte.neighbourhood.enums import PickupItem, PlaceKind
from halte.neighbourhood.models import Pickup, SiteSurroundings
from halte.network.enums import SiteKind, SiteStatus
from halte.network.models import Site
from halte.network.publication import published_sites, site_set_publication
from halte.reports.periods import last_closed_month
from halte.reports.public import closed_months
from halte.reports.suppression import published_count
from halte.visits.models import Visit


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def publish(*sites: Site, on: bool = True) -> None:
    """The manager's choice on the registry (``Site.publish_public``), the surroundings set by the
    coordinator."""
    for site in sites:
        Site.objects.filter(pk=site.pk).update(publish_public=on)
        SiteSurroundings.objects.update_or_create(
            site=site, defaults={"contact_phone": "01 40 00 00 00", "radius_m": 300}
        )


@pytest.fixture(autouse=True)
def _published(site: Site) -> None:
    publish(site)


def _page(site: Site) -> str:
    return reverse("neighbourhood:public_site", kwargs={"site_id": site.public_id})


def _visits(site: Site, actor: User, day: dt.date, n: int) -> None:
    at = paris_instant(day, dt.time(14, 0))
    Visit.objects.bulk_create(
        Visit(
            site=site,
            client=None,
            arrived_at=at + dt.timedelta(minutes=i),
            left_at=at + dt.timedelta(minutes=i + 30),
            opened_by=actor,
        )
        for i in range(n)
    )


def test_the_network_page_lists_exactly_the_published_sites(
    client: Client,
    site: Site,
    other_site: Site,
    project_site: Site,
    make_site: Callable[..., Site],
    django_assert_max_num_queries: Any,
) -> None:
    abandoned = make_site(name="Pelleport abandonné", status=SiteStatus.ABANDONED, hours=None)
    closed = make_site(name="Ancien lieu fermé", status=SiteStatus.CLOSED, hours=None)
    suspended = make_site(name="Lieu suspendu", status=SiteStatus.SUSPENDED)
    unpublished = make_site(name="Lieu non publié")
    publish(unpublished, on=False)
    team = make_site(name="Maraude publiée", kind=SiteKind.OUTREACH_TEAM, booths_injection=0)
    publish(other_site, suspended, project_site, abandoned, closed, team)
    for n in range(6):
        publish(make_site(name=f"Accueil {n}", kind=SiteKind.CAARUD, booths_injection=0))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("neighbourhood:public_network"))
    assert response.status_code == 200
    text = response.content.decode()
    shown_sites = (site, other_site)
    for shown in shown_sites:
        assert shown.name in text
        assert _page(shown) in text
    for hidden in (project_site, abandoned, closed, suspended, team, unpublished):
        assert hidden.name not in text
        assert client.get(_page(hidden)).status_code == 404
    # The same list as the public orientation's: one rule for "shown to the public".
    assert {s.pk for s in published_sites()} == {
        s.pk for s in Site.objects.filter(name__in=[s.name for s in shown_sites])
    } | set(Site.objects.filter(name__startswith="Accueil ").values_list("pk", flat=True))


def test_the_page_follows_the_managers_choice_on_the_registry(
    login: Callable[[User], Client], client: Client, site: Site, manager: User
) -> None:
    """Unpublished on the site's registry screen, the page is gone; published again, it is back."""
    edit = reverse("www:site_edit", kwargs={"site_id": site.public_id})
    form = {
        "booths_injection": 12,
        "booths_inhalation": 0,
        "booths_nasal": 0,
        "rest_places": 0,
        "beds": 0,
        "reception_capacity": 0,
        "admission": "everyone",
        "adults_only": "on",
    }
    assert client.get(_page(site)).status_code == 200
    assert login(manager).post(edit, form).status_code == 302
    site.refresh_from_db()
    assert not site.publish_public
    assert client.get(_page(site)).status_code == 404
    assert site.name not in client.get(reverse("neighbourhood:public_network")).content.decode()
    site_set_publication(actor=manager, site=site, public=True, room_level=False)
    assert client.get(_page(site)).status_code == 200


def test_a_site_page_answers_without_login_with_hours_and_figures(
    client: Client, site: Site, reception: User, django_assert_max_num_queries: Any
) -> None:
    month = last_closed_month(local_today())
    _visits(site, reception, month + dt.timedelta(days=2), 23)
    with django_assert_max_num_queries(62):
        response = client.get(_page(site))
    assert response.status_code == 200
    text = response.content.decode()
    assert site.name in text
    assert "13:30–20:30" in text
    assert "Gaïa-Paris" in text
    # published: the mediation team's line and the surroundings' figures
    assert "01 40 00 00 00" in text and "Aux abords du lieu" in text
    # 23 visits in the last closed month, published rounded: 25
    assert re.search(r"<td class=\"num\">\s*25\s*</td>", text)
    # The months shown are over: the next reader gets them from the cache, not from the database.
    with django_assert_max_num_queries(8):
        assert client.get(_page(site)).status_code == 200
    assert client.get(_page(site).replace(str(site.public_id), "not-a-uuid")).status_code == 404


def _shown_cells(text: str, index: int = 0) -> list[str]:
    table = text.split('class="data public-figures"')[1 + index].split("</table>", 1)[0]
    return [c.strip() for c in re.findall(r"<td class=\"num[^\"]*\">([^<]*)</td>", table)]


def _pickups(site: Site, day: dt.date, count: int) -> None:
    Pickup.objects.create(
        team=site,
        found_at=paris_instant(day, dt.time(10, 0)),
        item=PickupItem.SYRINGE,
        place_kind=PlaceKind.STREET,
        count=count,
        lon=float(site.lon or 0) + 0.0005,
        lat=float(site.lat or 0),
        area_code="75110",
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_public_cell_under_the_threshold_is_shown(
    client: Client, site: Site, reception: User, seed: int
) -> None:
    """Generated activity (0 to 40 visits a month, many small): every figure the page shows is a
    multiple of 5 of at least 10, or masked; each month's visits are the published count."""
    draw = random.Random(seed)
    counts = {}
    for month in closed_months(6):
        n = draw.choice([0, 1, 2, 3, 5, 7, 8, 9, 11, 12, 14, 27, 40])
        counts[month] = n
        _visits(site, reception, month + dt.timedelta(days=draw.randrange(0, 27)), n)
        _pickups(site, month + dt.timedelta(days=3), draw.choice([1, 4, 9, 12, 33]))
    text = client.get(_page(site)).content.decode()
    cells = _shown_cells(text)
    assert cells, "the page shows its figures"
    surroundings = _shown_cells(text, 1)
    assert len(surroundings) == 6 * 3
    for cell in cells + surroundings:
        if cell in ("&lt;10", "masqué", "—"):
            continue
        value = int(cell.replace("\u202f", ""))
        assert value >= 10 and value % 5 == 0, cell
    columns = 4  # visits, people, material, sessions (an HSA)
    for index, month in enumerate(closed_months(6)):
        visits_cell = cells[index * columns]
        expected = published_count(counts[month])
        assert visits_cell == ("&lt;10" if expected is None else str(expected))


@override_settings(HALTE_PUBLIC_RATES={"write": "5/m", "read": "3/m"})
def test_public_reads_are_throttled_per_address(client: Client, site: Site) -> None:
    answers = [
        client.get(_page(site), REMOTE_ADDR="203.0.113.9").status_code,
        client.get(reverse("neighbourhood:public_network"), REMOTE_ADDR="203.0.113.9").status_code,
        client.get(_page(site), REMOTE_ADDR="203.0.113.9").status_code,
    ]
    assert answers == [200, 200, 200]
    refused = client.get(_page(site), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert client.get(_page(site), REMOTE_ADDR="203.0.113.10").status_code == 200
