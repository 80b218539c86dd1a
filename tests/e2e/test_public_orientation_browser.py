"""The public orientation page in a real browser at phone width (issue 21): French with a place
typed, a closure entered by the manager showing at once, and the last list seen offline; Arabic chosen from the list, laid out
right to left; English with the phone's position, sent in a POST body, rounded, and kept nowhere.
axe-core finds no serious violation in any of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.audit.models import AuditEvent
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.network.services import site_add_hours_exception
from tests.e2e.conftest import serious_violations
from tests.public.conftest import make_published

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def places(make_site: Callable[..., Site]) -> dict[str, Site]:
    return make_published(make_site)


def _open_now(page: Any) -> list[str]:
    return [t.strip() for t in page.locator("[data-open-now] h3").all_inner_texts()]


def _no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_french_a_place_typed_nearest_first_and_a_closure_at_once(
    browser: Any, live_server: Any, axe_source: str, places: dict[str, Site]
) -> None:
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    page.goto(f"{live_server.url}/orientation/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.fill("#id_lieu", "Stalingrad")
    page.click("button.primary")
    page.wait_for_selector("text=Les plus proches de")
    assert _open_now(page) == ["Accueil Stalingrad", "HSA Lariboisière", "Abri des femmes"]
    assert "min à pied" in page.inner_text("[data-open-now]")
    assert _no_sideways_scroll(page)
    assert serious_violations(page, axe_source) == []

    manager = User.objects.create_user(username="responsable", password="x-long-password-1")
    Membership.objects.create(user=manager, site=places["near"], role=Role.MANAGER)
    site_add_hours_exception(
        actor=manager, site=places["near"], date=local_today(), closed=True, label="grève"
    )
    page.goto(f"{live_server.url}/orientation/")
    assert "Accueil Stalingrad" in page.inner_text(".closed")
    assert "Accueil Stalingrad" not in _open_now(page)
    assert "grève" not in page.content()  # the manager's note stays internal

    # offline: the service worker shows the last list seen, and says so
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    assert page.locator("[data-offline]").is_hidden()
    page.context.set_offline(True)
    page.reload()
    assert page.locator("[data-offline]").is_visible()
    assert "Accueil Stalingrad" in page.inner_text(".closed")
    assert "HSA Lariboisière" in _open_now(page)
    page.context.set_offline(False)


def test_arabic_chosen_from_the_list_mirrors_the_layout(
    browser: Any, live_server: Any, axe_source: str, places: dict[str, Site]
) -> None:
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    page.goto(f"{live_server.url}/orientation/")
    page.select_option("#lang-choice", "ar")  # the list submits itself
    page.wait_for_url(re.compile(r"lang=ar"))
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.locator("h1").inner_text() == "أين أذهب الآن؟"
    card = page.locator("[data-open-now] li.place").first
    right, left = (
        card.evaluate(f"e => parseFloat(getComputedStyle(e).border{side}Width)")
        for side in ("Right", "Left")
    )
    assert right > left  # the coloured edge of a card sits on the reading side
    box = card.bounding_box()
    heading = card.locator("h3").bounding_box()
    assert heading["x"] + heading["width"] > box["x"] + box["width"] - 40  # text starts right
    assert _no_sideways_scroll(page)
    assert serious_violations(page, axe_source) == []


def test_english_with_the_phones_position_sent_rounded_and_kept_nowhere(
    browser: Any, live_server: Any, axe_source: str, places: dict[str, Site]
) -> None:
    context = browser.new_context(
        locale="en-GB",
        viewport=PHONE,
        geolocation={"latitude": 48.897512, "longitude": 2.359934},
        permissions=["geolocation"],
    )
    page = context.new_page()
    sent: list[tuple[str, str]] = []
    page.on(
        "request",
        lambda r: sent.append((r.url, r.post_data or "")) if r.method == "POST" else None,
    )
    audit_before = AuditEvent.objects.count()
    page.goto(f"{live_server.url}/orientation/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Open now" in page.inner_text("main")
    page.click("[data-geolocate]")
    page.wait_for_selector(".understood")
    assert _open_now(page)[0] == "Abri des femmes"
    [(url, body)] = sent
    assert "48.8" not in url and "lang=en" in url
    assert "lat=48.898" in body and "lon=2.360" in body  # about a hundred metres, no finer
    assert AuditEvent.objects.count() == audit_before
    assert "48.898" not in page.content()
    assert _no_sideways_scroll(page)
    assert serious_violations(page, axe_source) == []
    context.close()


def test_the_places_page_shows_the_map_and_the_week_in_georgian(
    browser: Any, live_server: Any, axe_source: str, places: dict[str, Site]
) -> None:
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    page.goto(f"{live_server.url}/orientation/lieux/?lang=ka")
    assert page.locator("html").get_attribute("lang") == "ka"
    assert page.locator("table.week").count() == 3
    # the map draws the same published places from the open data, and only them
    page.wait_for_selector("#public-map[data-ready='3']")
    assert page.locator("#public-map path.leaflet-interactive").count() == 3
    assert "ორშაბათი" in page.inner_text("main")
    assert _no_sideways_scroll(page)
    assert serious_violations(page, axe_source) == []
