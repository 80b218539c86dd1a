"""The consented social file in a real browser: the site's educator opens it only once the
person's consent is ticked, reads it back (the opening is audited, without the identity), and
the front desk can neither see the link nor open the file."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.network.models import Site, WeeklyHours
from halte.pathway.models import SocialFile
from halte.visits.services import visit_open
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NAME = "Delacroix-Ybert"


@pytest.fixture
def person() -> tuple[Site, Client]:
    call_command("load_demo")
    paris = Site.objects.get(slug="paris-hsa")
    WeeklyHours.objects.filter(site=paris).update(opens=dt.time(0), closes=dt.time(0))
    educator = User.objects.create_user(username="educator-paris", password="demo-password")
    Membership.objects.create(user=educator, role=Role.EDUCATOR, site=paris)
    reception = User.objects.get(username="reception-paris")
    client = client_register(
        actor=reception,
        site=paris,
        family_name="Fabre",
        given_name="Nadia",
        birth_date=dt.date(1988, 4, 9),
        sex="woman",
    )[0]
    visit_open(actor=reception, site=paris, client=client, purposes=["social"])
    return paris, client


def test_the_educator_opens_the_file_with_consent_and_the_desk_cannot_see_it(
    browser: Any, live_server: Any, person: tuple[Site, Client]
) -> None:
    paris, client = person
    followup = (
        f"{live_server.url}/soins/sites/{paris.public_id}/personnes/{client.public_id}/suivi/"
    )
    page = browser.new_page(locale="fr-FR", viewport=PHONE)
    log_in(page, live_server.url, "educator-paris")
    page.goto(followup)
    page.click("[data-testid=social-file-link]")
    page.fill("input[name=family_name]", NAME)
    page.fill("input[name=given_names]", "Nadia")
    page.fill("input[name=birth_date]", "1988-04-09")
    page.select_option("select[name=purpose]", "rights_ame")
    page.select_option("select[name=doc_kind_0]", "passport")
    page.fill("input[name=doc_ref_0]", "17XY99887")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Without the consent ticked the browser itself refuses; remove that guard to see the server
    # refuse too.
    page.evaluate("document.querySelector('input[name=consent]').removeAttribute('required')")
    with page.expect_navigation():
        page.click("button:has-text('Ouvrir le dossier')")
    page.wait_for_selector("span.error")
    assert not SocialFile.objects.exists()
    page.check("input[name=consent]")
    page.click("button:has-text('Ouvrir le dossier')")
    page.wait_for_selector("[data-testid=social-identity]")
    assert NAME in page.locator("[data-testid=social-identity]").inner_text()
    assert NAME not in page.url
    social_file = SocialFile.objects.get()
    assert NAME not in social_file.sealed
    reads = AuditEvent.objects.filter(
        action="social_file.read", object_id=str(social_file.public_id)
    )
    assert reads.count() == 1
    assert not any(NAME in json.dumps(e.payload) for e in AuditEvent.objects.all())

    desk = browser.new_page(locale="fr-FR", viewport=PHONE)
    log_in(desk, live_server.url, "reception-paris")
    desk.goto(followup)
    assert desk.locator("[data-testid=social-file-link]").count() == 0
    response = desk.goto(f"{live_server.url}/soins/dossiers-sociaux/{social_file.public_id}/")
    assert response is not None and response.status == 404
    assert NAME not in desk.content()
    assert reads.count() == 1
