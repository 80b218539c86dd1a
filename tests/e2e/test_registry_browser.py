"""The registry in a real browser: log in, see the network on the map, open a site, change its
hours, move a project's status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.consumption.models import BoothServicePeriod
from halte.core.timeutils import local_today
from halte.network.models import Site
from tests.browser import log_in, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_sees_the_map_with_every_site(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    log_in(page, live_server.url, "coordinator")
    # The two boundary layers are drawn, then one marker per site in the Greater Paris, all in one
    # go. (Waited for through a locator: the page's CSP forbids wait_for_function's eval.)
    page.locator(".leaflet-interactive[stroke='#ffffff']").first.wait_for(state="attached")
    assert page.locator(".leaflet-overlay-pane path").count() > 100
    drawable = Site.objects.exclude(lat=None).exclude(code_insee="67482").count()
    markers = page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-overlay-pane path'))"
        ".filter(p => p.getAttribute('fill') && p.getAttribute('stroke') === '#ffffff').length"
    )
    assert markers == drawable
    assert page.locator(".site-card").count() == Site.objects.count()
    shot(page, "01-map-coordinator")
    assert errors == []


def test_manager_changes_hours_on_a_tablet(browser: Any, live_server: Any, shot: Any) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 768, "height": 1024})
    log_in(page, live_server.url, "manager-paris")
    page.click("text=Halte soins addictions Jean-Pierre Lhomme (Paris)")
    page.click("text=Horaires")
    page.fill("input[name=d4_1_opens]", "21:00")
    page.fill("input[name=d4_1_closes]", "01:00")
    shot(page, "02-hours-form-tablet")
    page.click("text=Enregistrer les horaires")
    page.wait_for_selector("text=Horaires enregistrés.")
    assert "21:00–01:00" in page.inner_text("table.hours")
    shot(page, "03-site-after-hours-change")


def test_map_on_a_phone_and_filter_open_now(browser: Any, live_server: Any, shot: Any) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/reseau/")  # reception lands on its desk; the map is a tab away
    assert "172 rue Pelleport" not in page.content()  # a project is not shown to site staff
    page.check("#id_open_now")
    page.click("text=Filtrer")
    page.wait_for_url("**open_now=on**")
    for card in page.locator(".site-card").all():
        assert "Ouvert" in card.inner_text()
    shot(page, "04-map-phone-open-now")


def test_manager_records_a_booth_added_last_week(
    browser: Any, live_server: Any, axe_source: str
) -> None:
    call_command("load_demo")
    paris = Site.objects.get(slug="paris-hsa")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1024, "height": 900})
    log_in(page, live_server.url, "manager-paris")
    page.goto(f"{live_server.url}/sites/{paris.public_id}/capacites/")
    assert serious_violations(page, axe_source) == []
    date = page.get_by_label("Postes et lits changés le")
    assert date.input_value() == local_today().isoformat()
    last_week = local_today() - dt.timedelta(days=7)
    page.get_by_label("Postes injection").fill(str(paris.booths_injection + 1))
    date.fill(last_week.isoformat())
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/capacites/" not in url)
    added = BoothServicePeriod.objects.get(
        booth__site=paris, booth__route="injection", booth__number=paris.booths_injection + 1
    )
    assert (added.start, added.end) == (last_week, None)
