"""The front desk and the room in a real browser, on a tablet: register, check in, start and end a
session, record an overdose with naloxone."""

from __future__ import annotations

from typing import Any

import pytest

from halte.consumption.models import Incident, Session
from halte.network.models import Site
from halte.visits.models import Visit
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_register_check_in_session_and_overdose(
    browser: Any, live_server: Any, shot: Any, demo_open_now: Site
) -> None:
    page = browser.new_page(locale="fr-FR", viewport={"width": 768, "height": 1024})
    log_in(page, live_server.url, "nurse-paris")
    page.click("nav >> text=Accueil")
    page.fill("#id_family_name", "Martin")
    page.fill("#id_given_name", "Aïcha")
    page.fill("#id_birth_date", "1984-06-02")
    page.check("input[name=sex][value=woman]")
    page.fill("#id_nickname", "Ada")
    shot(page, "10-register-tablet")
    page.click("text=Inscrire")
    page.wait_for_selector("text=Nouvelle personne inscrite")
    assert "Martin" not in page.content() and "1984-06-02" not in page.content()
    page.check("input[name=purposes][value=consumption]")
    page.click("text=Enregistrer l'arrivée")
    page.wait_for_selector("text=Arrivée enregistrée : Ada.")
    assert Visit.objects.filter(site=demo_open_now, left_at__isnull=True).count() == 1
    shot(page, "11-checked-in")
    page.click("nav >> text=Salle")
    page.select_option("#id_visit", index=1)  # nobody is chosen for the worker
    page.select_option("#id_product", "heroin")
    page.click("button:has-text('Commencer')")
    page.wait_for_selector("text=Consommation commencée au poste I1.")
    shot(page, "12-session-started")
    page.check("input[name=kind][value=opioid_overdose]")
    page.select_option("#id_session", index=1)
    page.check("#id_oxygen")
    page.fill("#id_naloxone_doses", "2")
    page.check("#id_emergency_call")
    page.check("input[name=outcome][value=recovered_on_site]")
    page.click('button:has-text("Enregistrer l\'incident")')
    page.wait_for_selector("text=Incident enregistré.")
    incident = Incident.objects.get()
    assert (incident.kind, incident.naloxone_doses, incident.emergency_call) == (
        "opioid_overdose",
        2,
        True,
    )
    page.click("#booths >> text=Terminer")
    page.wait_for_load_state()
    assert Session.objects.get().ended_at is not None
    shot(page, "13-overdose-recorded-session-ended")
