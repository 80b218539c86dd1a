"""An evacuation recorded on a phone (390 px) in a real browser: the outreach worker names two
people by code with where they were sent, and reads the follow-up computed from the network's
data (one of them came back to the Paris room two days later)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.core.timeutils import local_today, paris_instant
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.models import Evacuation
from halte.visits.models import Visit
from tests.browser import serious_violations
from tests.factories import ClientFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_outreach_worker_records_an_evacuation_on_a_phone(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    team = Site.objects.get(slug="maraude-nord-est")
    paris = Site.objects.get(slug="paris-hsa")
    worker = User.objects.get(username="outreach-nord-est")
    first, second = (ClientFactory.create(actor=worker, site=team) for _ in range(2))
    day0 = local_today() - dt.timedelta(days=10)
    Visit.objects.create(
        site=paris,
        client=first,
        arrived_at=paris_instant(day0 + dt.timedelta(days=2), dt.time(15, 0)),
        opened_by=User.objects.get(username="nurse-paris"),
    )
    place = GatheringPlace.objects.get(slug="stalingrad")

    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", "outreach-nord-est")
    page.fill("#id_password", "demo-password")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)

    page.goto(f"{live_server.url}/plan/evacuations/nouvelle/")
    page.select_option("#id_place", str(place.public_id))
    page.select_option("#id_team", str(team.public_id))
    page.fill("#id_happened_on", day0.isoformat())
    page.fill("#id_people_present", "35")
    page.fill("#id_p-0-code", first.display_code)
    page.select_option("#id_p-0-destination_kind", "rest_space")
    page.select_option(
        "#id_p-0-destination_site", str(Site.objects.get(slug="repos-chapelle").public_id)
    )
    page.fill("#id_p-1-code", second.display_code)
    page.select_option("#id_p-1-destination_kind", "csapa")
    shot(page, "plan-01-evacuation-form-390")
    page.click("[data-evacuation-form] button[type=submit]")
    page.wait_for_selector("[data-followup]")

    assert page.inner_text("[data-oriented]").strip() == "2"
    assert page.inner_text("[data-window='7'] [data-seen]").strip() == "1"
    assert page.inner_text("[data-window='7'] [data-housed]").strip() == "0"
    body = page.inner_text("main")
    assert first.display_code in body and second.display_code in body
    assert "en cours jusqu'au" in page.inner_text("[data-window='30']")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the evacuation's page scrolls sideways at 390 px"
    shot(page, "plan-02-evacuation-followup-390")
    evacuation = Evacuation.objects.get(place=place, happened_on=day0)
    assert evacuation.oriented.count() == 2
    context.close()


def test_the_board_and_an_evacuation_have_no_serious_accessibility_fault(
    browser: Any, live_server: Any, axe_source: str
) -> None:
    call_command("load_demo")
    evacuation = Evacuation.objects.filter(synthetic=True).first()
    assert evacuation is not None
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", "outreach-nord-est")
    page.fill("#id_password", "demo-password")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    faults: list[str] = []
    for path in (
        "/plan/",
        "/plan/budget/",
        "/plan/evacuations/",
        "/plan/evacuations/nouvelle/",
        f"/plan/evacuations/{evacuation.public_id}/",
    ):
        page.goto(live_server.url + path)
        faults += [f"{path} {v}" for v in serious_violations(page, axe_source)]
    assert faults == []
    context.close()
