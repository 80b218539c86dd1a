"""A site's surroundings in a real browser, on a phone: the coordinator reads the board of the
Paris room's streets, and anyone, signed in or not, reads its public page from the network's list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from halte.accounts.models import User
from halte.core.timeutils import local_today, paris_instant
from halte.neighbourhood.enums import PickupItem, PlaceKind, RoundKind
from halte.neighbourhood.models import MediationRound, Pickup, SiteSurroundings
from halte.network.models import Site
from halte.reports.periods import last_closed_month
from tests.conftest import PASSWORD
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots")


def _streets(site: Site) -> None:
    """Finds and rounds around the site over the last three closed months; the site published by
    its manager (the public orientation's choice, which the transparency page follows)."""
    Site.objects.filter(pk=site.pk).update(publish_public=True)
    SiteSurroundings.objects.create(site=site, radius_m=400, contact_phone="01 40 05 42 14")
    month = last_closed_month(local_today())
    for back in range(3):
        first = (month - dt.timedelta(days=31 * back)).replace(day=1)
        for n, item in enumerate((PickupItem.SYRINGE, PickupItem.CRACK_PIPE, PickupItem.KIT)):
            Pickup.objects.create(
                team=site,
                found_at=paris_instant(first + dt.timedelta(days=n + 2), dt.time(9)),
                item=item,
                place_kind=PlaceKind.STREET,
                count=6 + 4 * n + back,
                lon=float(site.lon or 0) + 0.001 * n,
                lat=float(site.lat or 0),
                area_code="75110",
            )
        MediationRound.objects.create(
            site=site,
            kind=RoundKind.MEDIATION,
            started_at=paris_instant(first + dt.timedelta(days=5), dt.time(15)),
            ended_at=paris_instant(first + dt.timedelta(days=5), dt.time(17)),
            public_consumption_seen=4 + back,
        )


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _tables_scroll_inside_their_cards(page: Any) -> bool:
    """Each wide table scrolls in its own region, which stays within its card."""
    return bool(
        page.evaluate(
            "Array.from(document.querySelectorAll('main .card .table-scroll')).every(box => {"
            " const card = box.closest('.card');"
            " return box.getBoundingClientRect().right <= card.getBoundingClientRect().right"
            " && card.scrollWidth <= card.clientWidth; })"
        )
    )


def test_the_coordinator_reads_a_site_board_on_a_phone(
    browser: Any, live_server: Any, site: Site, coordinator: User, axe_source: str
) -> None:
    _streets(site)
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.goto(f"{live_server.url}/quartier/sites/{site.public_id}/abords/")
    page.wait_for_selector("h1:has-text('Les abords de HSA Paris')")
    main = page.inner_text("main")
    assert "Dans un rayon de 400 m autour du site" in main
    assert "Matériel usagé ramassé dans l'espace public" in main
    assert "Avant et après" in main
    # The map draws the site, its radius, the three points where material was found
    page.wait_for_function(
        "document.querySelectorAll('#board-map path.leaflet-interactive').length >= 4"
    )
    assert _no_sideways_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "nbh2-site-board-phone.png"), full_page=True)
    page.locator("#board-map").screenshot(path=str(SHOTS / "nbh2-site-board-map.png"))
    assert serious_violations(page, axe_source) == []
    page.close()


def test_anyone_reads_the_public_page_on_a_phone(
    browser: Any, live_server: Any, site: Site, reception: User, axe_source: str
) -> None:
    _streets(site)
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/quartier/public/")
    page.click(f"text={site.name}")
    page.wait_for_selector("h2:has-text('Aux abords du lieu, mois par mois')")
    main = page.inner_text("main")
    assert "Horaires" in main and "13:30–20:30" in main
    assert "01 40 05 42 14" in main
    assert "<10" in main  # small counts masked, as in the reports
    assert _no_sideways_scroll(page) and _tables_scroll_inside_their_cards(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "nbh2-public-site-phone.png"), full_page=True)
    assert serious_violations(page, axe_source) == []
    context.close()
