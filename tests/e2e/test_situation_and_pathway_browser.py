"""Issue 16 in a real browser: the front desk asks the person's situation from the visit in one
form on a tablet (skippable, care-only questions absent), the nurse reads the care-only answers
the desk never sees, and follows an HCV pathway from the positive rapid test to the cure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.care.services import care_act_record
from halte.clients.services import client_register
from halte.network.models import Site, WeeklyHours
from halte.pathway.models import Pathway, Situation
from halte.visits.models import Visit
from halte.visits.services import visit_open
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def desk_visit() -> Visit:
    call_command("load_demo")
    paris = Site.objects.get(slug="paris-hsa")
    WeeklyHours.objects.filter(site=paris).update(opens=dt.time(0), closes=dt.time(0))
    reception = User.objects.get(username="reception-paris")
    person = client_register(
        actor=reception,
        site=paris,
        family_name="Marchetti",
        given_name="Lina",
        birth_date=dt.date(1990, 6, 2),
        sex="woman",
    )[0]
    return visit_open(actor=reception, site=paris, client=person, purposes=["care"])


def test_the_desk_asks_the_situation_and_only_the_nurse_reads_the_care_only_answers(
    browser: Any, live_server: Any, shot: Any, desk_visit: Visit
) -> None:
    page = browser.new_page(locale="fr-FR", viewport=TABLET)
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/soins/passages/{desk_visit.public_id}/")
    page.click("[data-testid=person-links] >> text=Demander la situation")
    form = page.locator("[data-testid=situation-form]")
    form.wait_for()
    assert page.locator("[data-testid=care-only-questions]").count() == 0
    form.locator("input[name=housing][value=squat]").check()
    form.locator("input[name=coverage][value=ame]").check()
    form.locator("input[name=products][value=crack]").check()
    form.locator("input[name=routes][value=inhalation]").check()
    form.locator("input[name=age_first_use_declined]").check()
    form.locator("input[name=interpreter_needed][value=no]").check()
    shot(page, "16-situation-desk-tablet")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Situation enregistrée")
    assert f"/soins/passages/{desk_visit.public_id}/" in page.url  # back to the visit
    situation = Situation.objects.get()
    assert (situation.housing, situation.coverage, situation.products) == (
        "squat",
        "ame",
        ["crack"],
    )
    assert situation.age_first_use_asked == "declined" and situation.pregnancy == "not_asked"

    nurse = browser.new_page(locale="fr-FR", viewport=TABLET)
    log_in(nurse, live_server.url, "nurse-paris")
    nurse.goto(f"{live_server.url}/soins/passages/{desk_visit.public_id}/")
    nurse.click("[data-testid=person-links] >> text=Demander la situation")
    nurse.locator("[data-testid=care-only-questions]").wait_for()
    nurse.locator("input[name=housing][value=squat]").check()
    nurse.locator("input[name=resources][value=unofficial]").check()
    nurse.locator("input[name=pregnancy][value=yes]").check()
    nurse.locator("[data-testid=situation-form] button[type=submit]").click()
    nurse.wait_for_selector("text=Situation enregistrée")
    nurse.goto(f"{live_server.url}/soins/passages/{desk_visit.public_id}/")
    nurse.click("[data-testid=person-links] >> text=Suivi de la personne")
    latest = nurse.locator("[data-testid=latest-situation]")
    assert "Autres ressources (non officielles)" in latest.inner_text()
    shot(nurse, "16-followup-nurse-tablet")

    page.goto(nurse.url)
    desk_view = page.inner_text("main")
    assert "Squat" in desk_view
    assert "Autres ressources" not in desk_view and "Grossesse" not in desk_view


def test_the_desk_can_skip_the_situation(browser: Any, live_server: Any, desk_visit: Visit) -> None:
    page = browser.new_page(locale="fr-FR", viewport=TABLET)
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/soins/passages/{desk_visit.public_id}/")
    page.click("[data-testid=person-links] >> text=Demander la situation")
    page.click("[data-testid=situation-form] >> text=Passer")
    page.wait_for_url(lambda url: f"/soins/passages/{desk_visit.public_id}/" in url)
    assert not Situation.objects.exists()


def test_the_nurse_follows_an_hcv_pathway_from_the_test_to_the_cure(
    browser: Any, live_server: Any, shot: Any, desk_visit: Visit
) -> None:
    nurse_user = User.objects.get(username="nurse-paris")
    care_act_record(actor=nurse_user, visit=desk_visit, kind="trod_hcv", result="positive")
    page = browser.new_page(locale="fr-FR", viewport=TABLET)
    log_in(page, live_server.url, "nurse-paris")
    page.goto(f"{live_server.url}/soins/passages/{desk_visit.public_id}/")
    page.click("[data-testid=person-links] >> text=Suivi de la personne")
    pathways = page.locator("[data-testid=pathways]")
    pathways.locator("input[name=infection][value=hcv]").check()
    pathways.locator("select[name=screening]").select_option(index=1)
    pathways.locator("button:has-text('Ouvrir le parcours')").click()
    page.wait_for_selector("text=Parcours ouvert")
    steps = [
        ("confirmed", "pcr", "positive", "laboratory"),
        ("assessed", "fibroscan", "", "mobile_unit"),
        ("treatment_started", "", "", "on_site"),
        ("treatment_ended", "", "", "on_site"),
        ("cure_checked", "pcr", "negative", "hospital"),
    ]
    for stage, method, outcome, place in steps:
        form = page.locator("[data-testid=pathway] form").first
        form.locator(f"input[name=stage][value={stage}]").check()
        if method:
            form.locator("select[name=method]").select_option(method)
        if outcome:
            form.locator(f"input[name=outcome][value={outcome}]").check()
        form.locator("select[name=place]").select_option(place)
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=Étape enregistrée")
    pathway = Pathway.objects.get()
    assert [s.stage for s in pathway.steps.order_by("pk")] == [s[0] for s in steps]
    card = page.locator("[data-testid=pathway]").first
    assert "terminé" in card.inner_text() and "Guérison contrôlée" in card.inner_text()
    assert card.locator("form").count() == 0  # a finished pathway takes no more steps
    shot(page, "16-hcv-pathway-tablet")

    desk = browser.new_page(locale="fr-FR", viewport=TABLET)
    log_in(desk, live_server.url, "reception-paris")
    desk.goto(page.url)
    assert desk.locator("[data-testid=pathways]").count() == 0
    assert "Hépatite C" not in desk.inner_text("main")


def test_the_desk_records_an_accompaniment_to_the_prefecture(
    browser: Any, live_server: Any, desk_visit: Visit
) -> None:
    """An educator went with the person to the prefecture for two hours: recorded from the
    follow-up page on a phone, listed at once, nothing scrolls sideways."""
    from halte.pathway.models import Accompaniment

    page = browser.new_page(locale="fr-FR", viewport={"width": 390, "height": 844})
    log_in(page, live_server.url, "reception-paris")
    paris = desk_visit.site
    page.goto(
        f"{live_server.url}/soins/sites/{paris.public_id}/personnes/"
        f"{desk_visit.client.public_id}/suivi/"
    )
    form = page.locator("form[action$='/accompagnement/']")
    form.locator("input[name=place][value=prefecture]").check()
    form.locator("select[name=role]").select_option("educator")
    form.locator("input[name=minutes]").fill("120")
    form.locator("input[name=outcome][value=postponed]").check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    form.locator("button[type=submit]").click()
    listed = page.locator("[data-testid=accompaniments]")
    listed.locator("text=Préfecture").wait_for()
    assert "120 minutes" in listed.inner_text() and "Reportée" in listed.inner_text()
    accompaniment = Accompaniment.objects.get()
    assert (accompaniment.place, accompaniment.role, accompaniment.minutes) == (
        "prefecture",
        "educator",
        120,
    )
    assert accompaniment.outcome == "postponed" and accompaniment.site == paris
