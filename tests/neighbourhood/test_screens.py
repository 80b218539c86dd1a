"""The neighbourhood screens at the HTTP interface: the public report page (no login, honeypot,
limited per address, English), the round on a phone, triage and closure, committees, the
coordinator's surroundings; contact shown to the coordinator only; query budgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.core.timeutils import PARIS, local_today, now
from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.models import (
    MediationRound,
    NeighbourhoodReport,
    Pickup,
    ReportContact,
    SiteSurroundings,
)
from halte.neighbourhood.services import (
    committee_record,
    decision_add,
    pickup_record,
    report_submit,
    report_triage,
    round_start,
)
from halte.network.models import Site
from tests.neighbourhood.conftest import EOLE, LARIBOISIERE, report_fields

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    seen = (now() - dt.timedelta(hours=2)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    data = {
        "kind": "discarded_material",
        "seen_at": seen,
        "lon": str(LARIBOISIERE[0]),
        "lat": str(LARIBOISIERE[1]),
        "address": "",
        "description": "Seringues devant le 4",
        "contact": "riverain@example.org",
        "website": "",
    }
    data.update(extra)
    return data


def test_the_public_page_needs_no_login_and_answers_a_reference() -> None:
    http = Client(REMOTE_ADDR="203.0.113.20")
    page = http.get(reverse("neighbourhood:report_public"))
    assert page.status_code == 200 and b'name="website"' in page.content
    sent = http.post(reverse("neighbourhood:report_public"), _form(), follow=True)
    assert sent.status_code == 200
    report = NeighbourhoodReport.objects.get()
    body = sent.content.decode()
    assert report.reference in body and str(report.public_id) not in body
    # The reference is shown once: a reload goes back to the form and sends nothing.
    again = http.get(reverse("neighbourhood:report_thanks"))
    assert again.status_code == 302 and again["Location"] == reverse("neighbourhood:report_public")
    assert report.channel == "public_form" and ReportContact.objects.get().contact


def test_the_public_page_speaks_english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/quartier/signaler/"})
    page = client.get(reverse("neighbourhood:report_public"))
    assert page.status_code == 200
    assert page.headers["Content-Language"] == "en"


def test_the_honeypot_refuses_and_stores_nothing() -> None:
    sent = Client().post(reverse("neighbourhood:report_public"), _form(website="http://spam"))
    assert sent.status_code == 400 and "Envoi refusé" in sent.content.decode()
    assert not NeighbourhoodReport.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "ufo"},
        {"description": "x" * 501},
        {"contact": "x" * 121},
        {"lon": "", "lat": "", "address": ""},
        {"lon": "", "lat": "", "address": "zzzz qqqq"},
        {"seen_at": "2099-01-01T10:00"},
    ],
)
def test_a_bad_public_report_says_why_and_stores_nothing(bad: dict[str, str]) -> None:
    sent = Client().post(reverse("neighbourhood:report_public"), _form(**bad))
    assert sent.status_code == 422
    assert "Signalement non envoyé" in sent.content.decode() or "error" in sent.content.decode()
    assert not NeighbourhoodReport.objects.exists()


def test_the_public_page_is_limited_per_address(settings: Any) -> None:
    settings.HALTE_PUBLIC_RATES = {"write": "2/m", "read": "100/m"}
    http = Client(REMOTE_ADDR="203.0.113.21")
    codes = [
        http.post(reverse("neighbourhood:report_public"), _form()).status_code for _ in range(4)
    ]
    assert codes == [302, 302, 429, 429]
    assert NeighbourhoodReport.objects.count() == 2
    assert http.get(reverse("neighbourhood:report_public")).status_code == 200


def test_staff_pages_need_a_login() -> None:
    answer = Client().get(reverse("neighbourhood:queue"))
    assert answer.status_code == 302 and "connexion" in answer["Location"]


def test_a_round_on_a_phone_adds_finds_and_ends(
    login: Callable[[User], Client], team: Site, outreach_worker: User
) -> None:
    http = login(outreach_worker)
    home = http.get(reverse("neighbourhood:home"))
    assert home.status_code == 200
    started = http.post(
        reverse("neighbourhood:round_start"), {"team": str(team.public_id), "kind": "pickup"}
    )
    round_ = MediationRound.objects.get()
    assert started["Location"] == reverse("neighbourhood:round", args=[round_.public_id])
    add = reverse("neighbourhood:pickup_record", args=[round_.public_id])
    base = {"item": "syringe", "count": "2", "place_kind": "park"}
    assert http.post(add, {**base, "lon": EOLE[0], "lat": EOLE[1]}).status_code == 302
    assert http.post(add, {**base, "address": "rue d'Aubervilliers"}).status_code == 302
    refused = http.post(add, {**base, "count": "0", "address": "rue d'Aubervilliers"})
    assert refused.status_code == 422
    nowhere = http.post(add, {**base})
    assert nowhere.status_code == 422 and "Indiquez où" in nowhere.content.decode()
    assert Pickup.objects.filter(round=round_).count() == 2
    http.post(
        reverse("neighbourhood:round_end", args=[round_.public_id]),
        {
            "public_consumption_seen": "3",
            "gatherings_seen": "1",
            "people_met": "5",
            "residents_met": "2",
        },
    )
    round_.refresh_from_db()
    assert round_.ended_at and round_.people_met == 5


def test_triage_answer_and_close_on_screen_with_the_contact_for_the_coordinator_only(
    login: Callable[[User], Client], coordinator: User, manager: User, site: Site
) -> None:
    report = report_submit(**report_fields())
    coord, mgr = login(coordinator), login(manager)
    page = reverse("neighbourhood:report", args=[report.public_id])
    assert "06 12 34 56 78" in coord.get(page).content.decode()
    assert mgr.get(page).status_code == 404
    coord.post(
        reverse("neighbourhood:report_assign", args=[report.public_id]),
        {"site": str(site.public_id)},
    )
    shown = mgr.get(page).content.decode()
    assert "06 12 34 56 78" not in shown and report.reference in shown
    assert "06 12" not in mgr.get(reverse("neighbourhood:queue")).content.decode()
    assert "06 12" not in coord.get(reverse("neighbourhood:queue")).content.decode()
    mgr.post(reverse("neighbourhood:report_answer", args=[report.public_id]))
    bad = mgr.post(reverse("neighbourhood:report_close", args=[report.public_id]), {"outcome": "x"})
    assert bad.status_code == 422
    mgr.post(
        reverse("neighbourhood:report_close", args=[report.public_id]),
        {"outcome": "pickup_done", "note": "Ramassage fait le soir même"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED and report.answered_at


def test_staff_log_a_report_on_screen(login: Callable[[User], Client], educator: User) -> None:
    http = login(educator)
    assert http.get(reverse("neighbourhood:report_new")).status_code == 200
    sent = http.post(
        reverse("neighbourhood:report_new"),
        {**_form(), "channel": "phone", "lon": "", "lat": "", "address": "12 rue Ambroise Paré"},
    )
    report = NeighbourhoodReport.objects.get()
    assert sent["Location"] == reverse("neighbourhood:report", args=[report.public_id])
    assert report.channel == "phone" and report.address_label.startswith("Rue Ambroise Paré")


def test_committees_and_decisions_on_screen(
    login: Callable[[User], Client], manager: User, site: Site
) -> None:
    http = login(manager)
    held = (local_today() - dt.timedelta(days=20)).isoformat()
    made = http.post(
        reverse("neighbourhood:committees"),
        {
            "site": str(site.public_id),
            "held_on": held,
            "residents": "9",
            "school": "1",
            "police": "1",
            "city": "1",
            "traders": "2",
            "other": "0",
            "topics": "Square, horaires",
        },
    )
    assert made.status_code == 302
    committee_url = made["Location"]
    http.post(
        committee_url + "decisions/",
        {"text": "Passage du matin", "owner_label": "Équipe de médiation", "due_on": held},
    )
    page = http.get(committee_url).content.decode()
    assert "Passage du matin" in page and "en retard" in page
    refused = http.post(committee_url + "decisions/", {"text": "", "owner_label": ""})
    assert refused.status_code == 422


def test_the_coordinator_sets_the_surroundings(
    login: Callable[[User], Client], coordinator: User, manager: User, site: Site
) -> None:
    url = reverse("neighbourhood:surroundings", args=[site.public_id])
    assert login(manager).get(url).status_code == 403
    http = login(coordinator)
    page = http.get(url)
    assert page.status_code == 200 and "Saint-Vincent de Paul" in page.content.decode()
    sent = http.post(
        url,
        {
            "radius_m": "350",
            "iris_codes": ["Saint-Vincent de Paul 12"],
            "use_iris": "on",
            "contact_phone": "01 00 00 00 00",
        },
    )
    assert sent.status_code == 302
    s = SiteSurroundings.objects.get(site=site)
    assert s.radius_m == 350 and s.use_iris and s.contact_phone == "01 00 00 00 00"
    assert http.post(url, {"radius_m": "5"}).status_code == 422


def test_lists_and_boards_keep_to_a_query_budget(
    login: Callable[[User], Client],
    coordinator: User,
    outreach_worker: User,
    team: Site,
    site: Site,
    django_assert_max_num_queries: Any,
) -> None:
    round_ = round_start(actor=outreach_worker, site=team, kind="pickup")
    for i in range(6):
        pickup_record(
            actor=outreach_worker,
            team=team,
            item="syringe",
            place_kind="street",
            count=i + 1,
            lon=EOLE[0] + i * 0.002,
            lat=EOLE[1],
            round_=round_,
        )
        report = report_submit(**report_fields())
        report_triage(actor=coordinator, report=report, site=site)
    committee = committee_record(actor=coordinator, site=site, held_on=local_today(), attendance={})
    for i in range(4):
        decision_add(actor=coordinator, committee=committee, text=f"D{i}", owner_label="Ville")
    coord, worker = login(coordinator), login(outreach_worker)
    pages = [
        (coord, reverse("neighbourhood:home"), 20),
        (coord, reverse("neighbourhood:queue"), 16),
        (coord, reverse("neighbourhood:queue") + "?etat=all", 16),
        (coord, reverse("neighbourhood:committees"), 19),
        (coord, reverse("neighbourhood:committee", args=[committee.public_id]), 17),
        (worker, reverse("neighbourhood:map"), 20),
        (worker, reverse("neighbourhood:pickups"), 17),
        (worker, reverse("neighbourhood:rounds"), 17),
        (worker, reverse("neighbourhood:round", args=[round_.public_id]), 18),
    ]
    # About a dozen queries are the signed-in page's own (session, user, navigation); the rest
    # must not grow with the rows shown (six finds, six reports, four decisions here).
    for http, url, budget in pages:
        with django_assert_max_num_queries(budget):
            assert http.get(url).status_code == 200, url
