"""A team's first day at the front desk and in the room (issue 23, points 1, 8, 9, 10 and 11), in
a real browser: the card's QR code reads back, nothing is chosen for the worker, a day/month swap
is caught before it makes a second person, a refused form keeps what was typed, the error pages
are the app's own, in French."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
import zxingcpp
from django.core.management import call_command

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.consumption.models import Session
from halte.core.timeutils import local_today
from halte.network.models import Site, WeeklyHours
from halte.visits.models import Visit
from halte.visits.services import visit_open

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}
IDENTITY: dict[str, Any] = {
    "family_name": "Benali",
    "given_name": "Karim",
    "birth_date": dt.date(1990, 4, 12),
    "sex": "man",
}


@pytest.fixture
def paris(db: None) -> Site:
    call_command("load_demo")
    site = Site.objects.get(slug="paris-hsa")
    # Open around the clock, so the tests do not depend on the hour they run at.
    WeeklyHours.objects.filter(site=site).update(opens="00:00", closes="00:00")
    return site


def _shots(page: Any, shot: Any, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"23-{name}-{label}")
    page.set_viewport_size({"width": 820, "height": 1180})


def log_in(page: Any, base: str, username: str) -> None:
    """Log in and wait to land, wherever the role lands."""
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/connexion/" not in page.url


def _new_page(browser: Any) -> Any:
    page = browser.new_page(locale="fr-FR", viewport={"width": 820, "height": 1180})
    page.set_default_timeout(5000)
    return page


def _registered(site: Site, nickname: str = "", **identity: Any) -> Client:
    reception = User.objects.get(username="reception-paris")
    client, _created = client_register(
        actor=reception, site=site, **{**IDENTITY, **identity}, nickname=nickname
    )
    return client


def test_the_card_qr_code_renders_and_reads_back(
    browser: Any, live_server: Any, shot: Any, paris: Site
) -> None:
    client = _registered(paris)
    page = _new_page(browser)
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/personnes/{client.public_id}/carte/")
    image = page.locator(".member-card img")
    image.wait_for()
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    # The pixels as the page draws them, read back by a QR decoder.
    pixels = image.evaluate(
        """img => { const c = document.createElement('canvas');
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const g = c.getContext('2d'); g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
        g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data; const out = [];
        for (let i = 0; i < d.length; i += 4) { out.push(d[i]); }
        return [c.width, c.height, out]; }"""
    )
    width, height, grey = pixels
    frame = np.array(grey, dtype=np.uint8).reshape(height, width)
    found = zxingcpp.read_barcodes(frame)
    assert [code.text for code in found] == [client.code]
    _shots(page, shot, "card")
    page.close()


def test_the_session_form_chooses_nothing_and_keeps_a_refused_choice(
    browser: Any, live_server: Any, shot: Any, paris: Site
) -> None:
    nurse = User.objects.get(username="nurse-paris")
    first = _registered(paris, nickname="Premier")
    second = _registered(paris, nickname="Second", given_name="Samir")
    for person in (first, second):
        visit_open(actor=nurse, site=paris, client=person, purposes=["consumption"])
    page = _new_page(browser)
    log_in(page, live_server.url, "nurse-paris")
    page.goto(f"{live_server.url}/sites/{paris.public_id}/salle/")
    assert page.input_value("#id_visit") == ""
    assert page.input_value("#id_product") == ""
    page.click("button:has-text('Commencer')")
    assert not Session.objects.exists()
    # A refused start (no such booth) keeps the person, the product and the booth typed.
    page.select_option(
        "#id_visit", label=page.locator("#id_visit option", has_text="Second").inner_text()
    )
    page.check("input[name=route][value=injection]")
    page.select_option("#id_product", "heroin")
    page.fill("#id_booth", "Z9")
    page.click("button:has-text('Commencer')")
    page.wait_for_selector("text=Ce poste n'existe pas sur ce site.")
    second_visit = Visit.objects.get(client=second)
    assert page.input_value("#id_visit") == str(second_visit.public_id)
    assert page.input_value("#id_product") == "heroin"
    assert page.input_value("#id_booth") == "Z9"
    _shots(page, shot, "room-refused-start")
    page.fill("#id_booth", "")
    page.click("button:has-text('Commencer')")
    page.wait_for_selector("text=Consommation commencée au poste")
    assert Session.objects.get().visit == second_visit
    page.click("#booths >> text=Terminer")
    page.wait_for_selector("text=Consommation terminée au poste")
    page.goto(f"{live_server.url}/sites/{paris.public_id}/accueil/")
    page.locator("#present tr", has_text="Second").locator("text=Départ").click()
    page.wait_for_selector("text=Départ enregistré : Second.")
    page.close()


def _fill_register(page: Any, birth_date: str, *, sex: str = "man") -> None:
    page.fill("#id_family_name", IDENTITY["family_name"])
    page.fill("#id_given_name", IDENTITY["given_name"])
    page.fill("#id_birth_date", birth_date)
    page.check(f"input[name=sex][value={sex}]")


def test_a_day_month_swap_is_shown_and_asked_before_a_second_person(
    browser: Any, live_server: Any, shot: Any, paris: Site
) -> None:
    known = _registered(paris, nickname="Kiki")  # born 12 April 1990
    page = _new_page(browser)
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/sites/{paris.public_id}/accueil/")
    _fill_register(page, "1990-12-04")
    page.wait_for_selector("text=né·e le 4 décembre 1990")
    page.click("button:text-is('Inscrire')")
    page.wait_for_selector("text=jour et le mois inversés")
    assert Client.objects.count() == 1
    assert "né·e le 4 décembre 1990" in page.inner_text("#register-check")
    assert page.input_value("#id_family_name") == IDENTITY["family_name"]
    _shots(page, shot, "register-near-code")
    # The worker picks the person already known: nothing is created.
    page.click("#register-check >> text=C'est cette personne")
    page.wait_for_selector(f".found >> text={known.nickname}")
    assert Client.objects.count() == 1
    # Or says it is someone else: then, and only then, a new person is registered.
    _fill_register(page, "1990-12-04")
    page.click("button:text-is('Inscrire')")
    page.click("#register-check >> text=Inscrire une nouvelle personne")
    page.wait_for_selector("text=Nouvelle personne inscrite")
    assert Client.objects.count() == 2
    page.close()


def test_a_refused_registration_keeps_the_input_and_a_minor_is_warned(
    browser: Any, live_server: Any, shot: Any, paris: Site
) -> None:
    page = _new_page(browser)
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/sites/{paris.public_id}/accueil/")
    _fill_register(page, "2999-01-01")
    page.fill("#id_nickname", "Kiki")
    page.click("button:text-is('Inscrire')")
    page.wait_for_selector("text=Date de naissance invalide")
    assert page.input_value("#id_family_name") == IDENTITY["family_name"]
    assert page.input_value("#id_given_name") == IDENTITY["given_name"]
    assert page.input_value("#id_nickname") == "Kiki"
    assert page.is_checked("input[name=sex][value=man]")
    assert "Benali" not in page.url and not Client.objects.exists()
    _shots(page, shot, "register-refused")
    sixteen = local_today().replace(year=local_today().year - 16, month=1, day=15)
    page.fill("#id_birth_date", sixteen.isoformat())
    page.click("button:text-is('Inscrire')")
    page.wait_for_selector(
        "#register-check >> text=Personne mineure : ce lieu accueille uniquement des personnes majeures."
    )
    assert not Client.objects.exists()
    page.close()


def test_error_pages_are_the_apps_own_in_french(
    browser: Any, live_server: Any, shot: Any, paris: Site
) -> None:
    page = _new_page(browser)
    log_in(page, live_server.url, "reception-paris")
    response = page.goto(f"{live_server.url}/sites/00000000-0000-0000-0000-000000000000/accueil/")
    assert response is not None and response.status == 404
    page.wait_for_selector("h1:has-text('Page introuvable')")
    assert page.locator("header.topbar .brand").is_visible()
    _shots(page, shot, "error-404")
    page.close()
