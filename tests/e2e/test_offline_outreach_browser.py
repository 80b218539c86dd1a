"""Street work without a network, in Chromium at a phone's width: the outreach app installs its
service worker, records a round offline (contacts, material, a head count), survives a reload
offline, and sends everything exactly once when the network returns; what the server refuses
meanwhile is shown with its reason, corrected or dropped, never silently lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.alerts.models import Acknowledgement
from halte.alerts.services import AlertDraft, alert_issue
from halte.care.models import CatalogueItem, Distribution, StockLevel
from halte.care.services import stock_receive
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.core.timeutils import now
from halte.demo.outreach import place_create
from halte.neighbourhood.models import Pickup
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount, Round, RoundContact
from halte.outreach.services import contact_record, round_end, round_start

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-password"
PHONE = {"width": 390, "height": 844}
ACTIVATED = """navigator.serviceWorker.ready.then(r => r.active.state === "activated" ? "activated"
  : new Promise(done => r.active.addEventListener("statechange", e => {
      if (e.target.state === "activated") { done("activated"); } })))"""


def _street(make_site: Any) -> tuple[Site, User, GatheringPlace, Client]:
    """A team, its worker, a gathering place, someone the team met last week."""
    team = make_site(
        name="Maraude nord-est", kind=SiteKind.OUTREACH_TEAM, booths_injection=0, hours=None
    )
    worker = User.objects.create_user(username="maraude", password=PASSWORD)
    Membership.objects.create(user=worker, role=Role.OUTREACH, site=team)
    place = place_create("stalingrad")
    person, _created = client_register(
        actor=worker,
        site=team,
        family_name="Martin",
        given_name="Louise",
        birth_date=dt.date(1984, 6, 2),
        sex="woman",
    )
    earlier = round_start(actor=worker, team=team, place=place)
    contact_record(actor=worker, round_=earlier, client=person, purposes=["social"])
    round_end(actor=worker, round_=earlier)
    return team, worker, place, person


def _open_app(browser: Any, base: str) -> tuple[Any, Any]:
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", "maraude")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)
    page.goto(f"{base}/rue/terrain/")
    # The service worker is in charge of the page (it claims it when it activates).
    assert page.evaluate(ACTIVATED) == "activated"
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller")
    page.wait_for_selector("[data-team-section]:not([hidden])")
    page.wait_for_selector("text=Personnes comptées")
    assert errors == []
    return context, page


def _pending(page: Any, n: int) -> None:
    page.wait_for_selector(f"[data-pending-text]:has-text('{n} en attente d')")


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_round_recorded_offline_arrives_once_when_the_network_returns(
    browser: Any, live_server: Any, shot: Any, make_site: Any, coordinator: User
) -> None:
    team, worker, place, person = _street(make_site)
    alert = alert_issue(
        actor=coordinator,
        draft=AlertDraft(
            severity="danger",
            product="heroin",
            title="Héroïne coupée au nitazène",
            looks_like="Poudre beige",
            seen_in="Paris 19e",
            advice="Ne pas consommer seul·e.",
            valid_until=now() + dt.timedelta(days=3),
        ),
        sites=[team],
    )
    if not CatalogueItem.objects.filter(code="syringe_1ml", is_active=True).exists():
        CatalogueItem.objects.create(
            code="syringe_1ml", label="Seringue 1 ml", category="injection"
        )
    stock_receive(actor=worker, site=team, lines=[("syringe_1ml", 50)])
    context, page = _open_app(browser, live_server.url)
    page.on("dialog", lambda dialog: dialog.accept())
    page.wait_for_selector("[data-alerts-section]:not([hidden]) >> text=Héroïne coupée au nitazène")

    context.set_offline(True)
    page.wait_for_selector("[data-network]:has-text('Hors ligne')")
    page.click(f"[data-ack='{alert.public_id}']")  # read in the metro
    page.wait_for_selector("[data-alerts-section]", state="hidden")
    page.select_option("#field-round-place", str(place.public_id))
    page.click("[data-form=round-start] button[type=submit]")
    page.wait_for_selector("[data-round-current]:not([hidden])")
    # Someone the team knows, found by code offline, given material.
    page.fill("#field-code", person.display_code.lower())
    page.wait_for_selector("text=Personne connue de l'équipe.")
    page.check("[data-form=contact] input[value=material]")
    page.click("summary:has-text('Matériel donné')")
    page.fill("[data-item=syringe_1ml]", "10")
    page.click("button:has-text('Enregistrer la rencontre')")
    # Someone new, anonymous.
    page.check("#field-is-new")
    page.check("[data-form=contact] input[value=food]")
    page.click("button:has-text('Enregistrer la rencontre')")
    page.fill("#field-count", "23")
    page.click("button:has-text('Enregistrer le comptage')")
    page.select_option("#field-pickup-item", "syringe")
    page.fill("#field-pickup-count", "3")
    page.select_option("#field-pickup-kind", "stairwell")
    page.select_option("#field-pickup-place", str(place.public_id))
    page.click("button:has-text('Enregistrer le ramassage')")
    _pending(page, 6)
    assert Round.objects.count() == 1 and HeadCount.objects.count() == 0  # nothing sent yet
    shot(page, "60-offline-round-phone")
    _no_sideways_scroll(page)

    # Reloaded without a network: the service worker serves the app, the outbox is still there.
    response = page.reload()
    assert response is not None and response.from_service_worker
    _pending(page, 6)
    page.wait_for_selector("[data-round-current]:not([hidden])")
    assert page.inner_text("[data-round-contacts]") == "2"
    page.click("[data-round-end]")
    _pending(page, 7)

    # The first answer to a contact is lost on the way back: the phone sends it again, with the
    # same key, and the server replays its answer instead of recording it twice.
    lost: list[str] = []

    def lose_first_answer(route: Any) -> None:
        answer = route.fetch()
        if not lost:
            lost.append(route.request.url)
            route.abort()
        else:
            route.fulfill(response=answer)

    context.route("**/api/v1/rounds/*/contacts", lose_first_answer)
    context.set_offline(False)
    page.wait_for_selector("[data-network]:has-text('En ligne')")
    _pending(page, 5)  # the ack and the round went; the lost answer stopped the sending
    assert RoundContact.objects.filter(round__team=team).count() == 2  # one earlier, one new
    page.click("[data-sync]")
    _pending(page, 0)
    page.wait_for_selector("text=Tout est envoyé.")
    shot(page, "61-offline-round-sent-phone")
    _no_sideways_scroll(page)

    round_ = Round.objects.order_by("-started_at").first()
    assert round_ is not None and round_.ended_at is not None and round_.place == place
    contacts = list(RoundContact.objects.filter(round=round_).select_related("visit"))
    assert len(contacts) == 2
    known = next(c for c in contacts if c.visit.client_id == person.pk)
    anonymous = next(c for c in contacts if c.visit.client_id is None)
    assert anonymous.is_new and not known.is_new
    assert known.visit.arrived_at < round_.ended_at  # the time it happened, not the time sent
    assert HeadCount.objects.get().count == 23
    given = Distribution.objects.get(visit=known.visit)
    assert [(line.item, line.quantity) for line in given.lines.all()] == [("syringe_1ml", 10)]
    assert StockLevel.objects.get(site=team, item="syringe_1ml").quantity == 40
    pickup = Pickup.objects.get()
    assert (pickup.team, pickup.item, pickup.count, pickup.place_kind) == (
        team,
        "syringe",
        3,
        "stairwell",
    )
    assert (pickup.lon, pickup.lat) == (place.lon, place.lat)
    assert Acknowledgement.objects.filter(alert=alert, user=worker).count() == 1
    context.close()


def test_what_the_server_refuses_is_shown_corrected_or_dropped(
    browser: Any, live_server: Any, shot: Any, make_site: Any
) -> None:
    team, worker, place, _person = _street(make_site)
    make_site(name="Salle de consommation", hours=("00:00", "00:00"))  # open around the clock
    running = round_start(actor=worker, team=team, place=place)
    context, page = _open_app(browser, live_server.url)
    page.on("dialog", lambda dialog: dialog.accept())
    page.wait_for_selector("[data-round-current]:not([hidden])")  # the round on the server

    context.set_offline(True)
    page.wait_for_selector("[data-network]:has-text('Hors ligne')")
    # Where can this person go, from the kept hours.
    page.select_option("#field-where-from", str(place.public_id))
    page.check("[data-form=where] input[name=need][value=consumption]")
    page.check("[data-form=where] input[name=route][value=injection]")
    page.click("[data-form=where] button[type=submit]")
    card = page.locator("[data-where-results] [data-place]")
    card.first.wait_for()
    assert "Salle de consommation" in card.first.inner_text()
    assert "min à pied" in card.first.inner_text()
    page.fill("#field-code", "ABCD-EFGH-JKMN")
    page.wait_for_selector("text=Code inconnu sur ce téléphone")
    page.click("button:has-text('Enregistrer la rencontre')")
    _pending(page, 1)
    round_end(actor=worker, round_=running)  # closed from another phone meanwhile
    page.check("#field-is-new")
    page.click("button:has-text('Enregistrer la rencontre')")
    _pending(page, 2)

    context.set_offline(False)
    page.wait_for_selector("[data-refused-section]:not([hidden])")
    page.wait_for_selector("text=2 refusé(s) par le serveur")
    _pending(page, 0)
    refused = page.locator("[data-refused] > li")
    assert refused.count() == 2
    assert "Aucune personne avec ce code." in refused.nth(0).inner_text()
    assert "Cette maraude est terminée." in refused.nth(1).inner_text()
    shot(page, "62-offline-refused-phone")
    _no_sideways_scroll(page)
    assert RoundContact.objects.filter(round=running).count() == 0

    # The unknown code was a mistake: the person did not give one. Sent again as anonymous (a new
    # key), it is taken: it happened before the round's end.
    first = refused.nth(0)
    first.locator("input[name=anonymous]").check()
    first.locator("button:has-text('Corriger et renvoyer')").click()
    page.wait_for_selector("[data-sync-message]:has-text('Tout est envoyé.')")
    assert page.locator("[data-refused] > li").count() == 1
    assert RoundContact.objects.filter(round=running).count() == 1
    assert RoundContact.objects.get(round=running).visit.client_id is None
    # The contact made after the end cannot go to that round: dropped, on purpose.
    page.locator("[data-refused] > li").nth(0).locator("button:has-text('Abandonner')").click()
    page.wait_for_selector("[data-refused-section]", state="hidden")
    _pending(page, 0)
    assert RoundContact.objects.filter(round=running).count() == 1
    context.close()
