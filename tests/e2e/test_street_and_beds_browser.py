"""A bed for the night and "where can this person go now?" in a real browser."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.clients.services import client_register
from halte.lodging.models import Stay
from halte.network.models import Site
from tests.browser import log_in
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_night_team_gives_a_bed_for_the_night(
    browser: Any, live_server: Any, shot: Any, axe_source: str
) -> None:
    call_command("load_demo")
    shelter = Site.objects.get(slug="sleep-in")
    night = User.objects.get(username="night-sleepin")
    person, _ = client_register(
        actor=night,
        site=shelter,
        family_name="Bernard",
        given_name="Karim",
        birth_date=dt.date(1979, 3, 3),
        sex="man",
    )
    page = browser.new_page(locale="fr-FR", viewport={"width": 768, "height": 1024})
    log_in(page, live_server.url, "night-sleepin")
    page.goto(f"{live_server.url}/hebergement/sites/{shelter.public_id}/")
    page.fill("#id_code", person.display_code)
    page.click("button:has-text('Attribuer')")
    page.wait_for_selector("text=attribué")
    stay = Stay.objects.get(client=person)
    assert stay.bed.site == shelter and stay.exit_date is None
    page.goto(f"{live_server.url}/hebergement/sites/{shelter.public_id}/nuit/")
    assert person.display_code in page.inner_text("main")
    shot(page, "40-night-view")
    assert serious_violations(page, axe_source) == []


def test_outreach_worker_finds_where_a_person_can_go_now(
    browser: Any, live_server: Any, shot: Any, axe_source: str
) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    log_in(page, live_server.url, "outreach-nord-est")
    page.click("nav >> text=Où aller")
    page.fill("#id_address", "rue Riquet 75019")
    page.check("input[name=need][value=reception]")
    page.check("input[name=sex][value=woman]")
    page.fill("#id_birth_year", "1990")
    page.check("input[name=when][value=tonight]")
    page.click("button:has-text('Chercher')")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "lieu" in text
    shot(page, "41-where-can-she-go-phone")
    assert serious_violations(page, axe_source) == []
