"""The room's door in a real browser, on a tablet (issue 16): a person turned away because the
room is full, another kept waiting for a booth until their session starts, and the saturation
figure of the month showing both in their hour."""

from __future__ import annotations

from typing import Any

import pytest

from halte.consumption.models import Refusal, Session, Wait
from halte.core.timeutils import PARIS, now
from halte.network.models import Site
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_refused_entry_and_a_wait_reach_the_saturation_figure(
    browser: Any, live_server: Any, shot: Any, demo_open_now: Site
) -> None:
    site = demo_open_now
    page = browser.new_page(locale="fr-FR", viewport={"width": 768, "height": 1024})
    log_in(page, live_server.url, "nurse-paris")
    # Someone checks in: the registration gives a person present at the desk.
    page.click("nav >> text=Accueil")
    page.fill("#id_family_name", "Martin")
    page.fill("#id_given_name", "Aïcha")
    page.fill("#id_birth_date", "1984-06-02")
    page.check("input[name=sex][value=woman]")
    page.fill("#id_nickname", "Ada")
    page.click("text=Inscrire")
    page.wait_for_selector("text=Nouvelle personne inscrite")
    page.check("input[name=purposes][value=consumption]")
    page.click("text=Enregistrer l'arrivée")
    page.wait_for_selector("text=Arrivée enregistrée : Ada.")

    # The door screen: someone else is turned away because the room is full.
    page.goto(f"{live_server.url}/sites/{site.public_id}/salle/entree/")
    page.check("#refusal-form input[name=reason][value=full]")
    shot(page, "60-refusal-full-tablet")
    page.click("#refusal-form button[type=submit]")
    page.wait_for_selector("text=Refus enregistré.")
    refusal = Refusal.objects.get()
    assert (refusal.site_id, refusal.reason, refusal.stage) == (site.pk, "full", "door")
    hour = f"{refusal.at.astimezone(PARIS).hour:02d}h"
    page.wait_for_selector(f"#door-day >> text={hour}")

    # Ada waits for a booth, then her session starts and ends the wait.
    page.select_option("#id_wait_visit", index=1)  # nobody is chosen for the worker
    page.check("#wait-form input[name=route][value=injection]")
    page.click("#wait-form button[type=submit]")
    page.wait_for_selector("text=Attente enregistrée.")
    page.wait_for_selector("#waits >> text=Ada")
    assert Wait.objects.get().ended_at is None
    shot(page, "61-waiting-for-a-booth")
    page.click("text=Salle de consommation")
    page.select_option("#id_visit", index=1)
    page.select_option("#id_product", "heroin")
    page.click("button:has-text('Commencer')")
    page.wait_for_selector("text=Consommation commencée au poste")
    wait = Wait.objects.get()
    assert wait.outcome == "served" and wait.ended_at == Session.objects.get().started_at

    # The month of the site: the saturation figure shows the refusal and the wait in their hour.
    today = now().astimezone(PARIS)
    page.goto(f"{live_server.url}/rapports/site/{site.public_id}/mois/?month={today:%Y-%m}")
    figure = page.locator("figure.chart").filter(
        has_text="Saturation par heure : refus faute de place et attentes"
    )
    figure.wait_for()
    figure.locator("summary").click()  # "Voir les chiffres": the table behind the chart
    row = figure.locator(f"tr:has(th:text-is('{hour}'))")
    row.wait_for()
    assert row.locator("td").all_inner_texts() == ["1", "1"]
    shot(page, "62-saturation-by-hour")
