"""The neighbourhood in a real browser, on a phone's width: a resident's report through to its
closure by staff, and a pick-up round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.models import MediationRound, NeighbourhoodReport, Pickup
from tests.browser import assert_no_sideways_scroll, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SHOTS = Path("/tmp/shots")


def _phone_shot(page: Any, shot: Any, name: str) -> None:
    shot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _tap_map(page: Any) -> None:
    """Touch the small map a little off its centre, then wait for the point to be taken."""
    area = page.locator("[data-where-map]")
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    area.click(position={"x": box["width"] * 0.55, "y": box["height"] * 0.45})
    page.wait_for_selector("[data-where-status]:has-text('Point choisi')")


def test_a_residents_report_from_a_phone_to_its_closure(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    errors: list[str] = []
    resident = browser.new_page(locale="fr-FR", viewport=PHONE)
    resident.on("pageerror", lambda exc: errors.append(str(exc)))
    resident.goto(f"{live_server.url}/quartier/signaler/")
    resident.check("input[name=kind][value=discarded_material]")
    _tap_map(resident)
    resident.fill("#id_description", "Seringues au pied du banc")
    resident.fill("#id_contact", "riverain@example.org")
    assert_no_sideways_scroll(resident)
    _phone_shot(resident, shot, "nbh-01-public-report-form")
    resident.click("button:has-text('Envoyer le signalement')")
    reference = resident.inner_text("[data-reference]").strip()
    report = NeighbourhoodReport.objects.get()
    assert reference == report.reference and report.lon is not None and report.area_code
    _phone_shot(resident, shot, "nbh-02-public-report-thanks")
    assert errors == []

    coordinator = browser.new_page(locale="fr-FR", viewport=PHONE)
    log_in(coordinator, live_server.url, "coordinator")
    coordinator.goto(f"{live_server.url}/quartier/signalements/")
    assert_no_sideways_scroll(coordinator)
    _phone_shot(coordinator, shot, "nbh-05-report-queue")
    coordinator.click(f"text={reference}")
    assert "riverain@example.org" in coordinator.inner_text("[data-contact]")
    coordinator.select_option(
        "#triage-site", label="Halte soins addictions Jean-Pierre Lhomme (Paris)"
    )
    coordinator.click("button:has-text('Attribuer')")
    coordinator.wait_for_selector("text=Signalement attribué")

    manager = browser.new_page(locale="fr-FR", viewport=PHONE)
    log_in(manager, live_server.url, "manager-paris")
    manager.goto(f"{live_server.url}/quartier/signalements/")
    manager.click(f"text={reference}")
    assert "riverain@example.org" not in manager.inner_text("main")
    manager.click("button:has-text('La personne a reçu une réponse')")
    manager.wait_for_selector("text=Réponse notée")
    manager.select_option("#id_outcome", "pickup_done")
    manager.fill("#id_note", "Ramassage fait dans l'heure")
    manager.click("button:has-text('Clore le signalement')")
    manager.wait_for_selector("[data-status]:has-text('Clos')")
    assert_no_sideways_scroll(manager)
    _phone_shot(manager, shot, "nbh-03-report-closed")
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.answered_at and report.closed_at


def test_a_pickup_round_on_a_phone(browser: Any, live_server: Any, shot: Any) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "outreach-nord-est")
    page.goto(f"{live_server.url}/quartier/")
    page.select_option("#id_kind", "pickup")
    page.click("button:has-text('Commencer')")
    page.wait_for_selector("h1:has-text('Ramassage')")
    # A find touched on the map, then one by its street.
    page.check("input[name=item][value=syringe]")
    page.fill("input[name=count]", "3")
    page.check("input[name=place_kind][value=park]")
    _tap_map(page)
    page.click("button:has-text('Ajouter')")
    page.wait_for_selector("text=Noté : 3")
    page.check("input[name=item][value=crack_pipe]")
    page.fill("#id_address", "rue d'Aubervilliers")
    page.click("button:has-text('Ajouter')")
    page.wait_for_selector("text=Noté : 1")
    assert page.inner_text("[data-total]") == "4"
    assert_no_sideways_scroll(page)
    _phone_shot(page, shot, "nbh-04-pickup-round")
    page.fill("input[name=public_consumption_seen]", "2")
    page.click("button:has-text('Terminer la tournée')")
    page.wait_for_selector("text=Tournée terminée")
    round_ = MediationRound.objects.get()
    assert round_.ended_at and round_.public_consumption_seen == 2
    assert Pickup.objects.filter(round=round_).count() == 2
    # The map of the finds: the density squares drawn, nothing wider than the phone.
    call_command("load_neighbourhood_demo")
    page.goto(f"{live_server.url}/quartier/carte/")
    page.wait_for_selector("#pickup-map[data-ready='1']")
    assert page.locator(".leaflet-overlay-pane path").count() > 10
    assert_no_sideways_scroll(page)
    _phone_shot(page, shot, "nbh-06-pickup-map")
    page.goto(f"{live_server.url}/quartier/")
    assert_no_sideways_scroll(page)
    _phone_shot(page, shot, "nbh-07-home")
    assert errors == []
