"""Issue 23, points 4 and 11 (beds and care), in a real browser: the waiting list offers only
the beds that can be given, the entry date is shown, a naloxone kit never costs the act, and a
referral carries its appointment and a note for the care team."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.care.models import CareAct, Distribution, Referral
from halte.care.services import stock_receive
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.core.timeutils import PARIS, now
from halte.lodging.models import Stay
from halte.lodging.selectors import current_night
from halte.lodging.services import stay_create, waiting_add
from halte.network.models import Site, WeeklyHours
from halte.visits.models import Visit
from halte.visits.services import visit_open
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}


def _three_widths(page: Any, shot: Any, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"23-{name}-{label}")
    page.set_viewport_size({"width": 1366, "height": 768})


def _person(actor: User, site: Site, family: str, sex: str = "man") -> Client:
    return client_register(
        actor=actor,
        site=site,
        family_name=family,
        given_name="Karim",
        birth_date=dt.date(1979, 3, 3),
        sex=sex,
    )[0]


def test_the_waiting_list_offers_tonight_only_to_who_can_have_it(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    shelter = Site.objects.get(slug="sleep-in")
    hotel = Site.objects.get(slug="assore-hotels")
    night = User.objects.get(username="night-sleepin")
    hotel_worker = User.objects.create_user(username="hotel-educator", password="demo-password")
    Membership.objects.create(user=hotel_worker, role=Role.EDUCATOR, site=hotel)
    housed = _person(night, shelter, "Bernardin")
    free = _person(night, shelter, "Moreaux")
    stay_create(
        actor=hotel_worker,
        bed=hotel.lodging_beds.get(number=1),
        client=housed,
        planned_exit_date=current_night() + dt.timedelta(days=200),
    )
    # The housed person comes first (health need): the list must not offer them tonight's bed.
    waiting_add(actor=night, site=shelter, client=housed, priorities=["health_need"])
    waiting_add(actor=night, site=shelter, client=free)

    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, "night-sleepin")
    page.goto(f"{live_server.url}/hebergement/sites/{shelter.public_id}/")
    # The entry date of the assignment form shows tonight, not an empty field.
    assert page.input_value("#id_entry_date") == current_night().isoformat()
    waiting = page.locator("section[aria-labelledby=waitlist-title] ol > li")
    housed_row = waiting.filter(has_text=housed.display_code)
    free_row = waiting.filter(has_text=free.display_code)
    assert "Déjà hébergé·e ailleurs" in housed_row.inner_text()
    assert housed_row.locator("button:has-text('ce soir')").count() == 0
    free_row.locator("button:has-text('ce soir')").click()
    page.wait_for_selector("text=attribué")
    _three_widths(page, shot, "waiting-list")
    assert Stay.objects.get(client=free, exit_date=None).bed.site == shelter
    assert not Stay.objects.filter(client=housed, bed__site=shelter).exists()


@pytest.fixture
def nurse_visit() -> Visit:
    call_command("load_demo")
    paris = Site.objects.get(slug="paris-hsa")
    WeeklyHours.objects.filter(site=paris).update(opens=dt.time(0), closes=dt.time(0))
    reception = User.objects.get(username="reception-paris")
    stock_receive(actor=reception, site=paris, lines=[("naloxone_kit", 5)])
    person = _person(reception, paris, "Lefebvre", sex="woman")
    return visit_open(actor=reception, site=paris, client=person, purposes=["care"])


def test_a_naloxone_kit_without_the_training_keeps_the_act(
    browser: Any, live_server: Any, shot: Any, nurse_visit: Visit
) -> None:
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, "nurse-paris")
    page.goto(f"{live_server.url}/soins/passages/{nurse_visit.public_id}/")
    form = page.locator("section[aria-labelledby=care-title] form")
    form.locator("input[name=kind][value=wound_care]").check()
    form.locator("input[name=naloxone_kit_given]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    act = CareAct.objects.get(visit=nurse_visit)
    assert act.kind == "wound_care" and not act.naloxone_kit_given
    kits = Distribution.objects.filter(visit=nurse_visit, lines__item="naloxone_kit")
    assert kits.count() == 1
    text = page.inner_text("main")
    assert "Soin de plaie" in text and "Kit de naloxone × 1" in text
    assert "Formation à la naloxone" in page.inner_text(".messages")
    _three_widths(page, shot, "care-visit-naloxone")


def test_a_referral_has_its_appointment_and_a_note_for_the_care_team(
    browser: Any, live_server: Any, shot: Any, nurse_visit: Visit
) -> None:
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, "nurse-paris")
    page.goto(f"{live_server.url}/soins/passages/{nurse_visit.public_id}/")
    form = page.locator("section[aria-labelledby=referral-title] form")
    form.locator("input[name=destination_kind][value=csapa]").check()
    appointment = (now().astimezone(PARIS) + dt.timedelta(days=3)).replace(
        hour=14, minute=30, second=0, microsecond=0
    )
    form.locator("input[name=appointment_at]").fill(appointment.strftime("%Y-%m-%dT%H:%M"))
    form.locator("textarea[name=note], input[name=note]").fill("Venir avec l'ordonnance")
    _three_widths(page, shot, "care-visit-referral-form")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("text=Orientation proposée")
    referral = Referral.objects.get(visit=nurse_visit)
    assert referral.appointment_at == appointment
    assert referral.note == "Venir avec l'ordonnance"
    assert "Venir avec l'ordonnance" in page.inner_text("main")
    page.goto(f"{live_server.url}/soins/sites/{nurse_visit.site.public_id}/orientations/")
    text = page.inner_text("main")
    assert "Venir avec l'ordonnance" in text and "14:30" in text
    _three_widths(page, shot, "care-referrals")
    page.close()
    # Reception follows the referral up and sees the appointment, never the note.
    page = browser.new_page(locale="fr-FR", viewport={"width": 820, "height": 1180})
    log_in(page, live_server.url, "reception-paris")
    page.goto(f"{live_server.url}/soins/sites/{nurse_visit.site.public_id}/orientations/")
    text = page.inner_text("main")
    assert "14:30" in text and "ordonnance" not in text
