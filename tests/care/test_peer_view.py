"""Peer workers (issue 16): a front-line role that leads the acts of the door and the room
(check-ins, supervised sessions and their watch, refusals, waits) but never reads what only the
care roles read: a test's result, a psychiatric detail, a referral's note. On every screen and in
every API answer a peer can reach."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.enums import SITE_ROLES, Role
from halte.accounts.models import Membership, User
from halte.accounts.permissions import can_ban, grantable_roles
from halte.audit.models import AuditEvent
from halte.care.models import CareAct
from halte.care.permissions import can_see_care_details, can_see_referral_note
from halte.care.services import care_act_record, referral_create
from halte.clients.models import Client
from halte.consumption.services import booths_sync, session_start
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.reports.frameworks import evaluate
from halte.reports.indicators import Scope
from halte.visits.models import Visit
from tests.api_client import Api
from tests.care.test_confidentiality import SECRET_MARKERS
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db

NOTE = "Apporter l'ordonnance, demander Dr Martin"


@pytest.fixture
def peer(site: Site) -> User:
    user = User.objects.create_user(username="peer", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.PEER, site=site)
    return user


@pytest.fixture
def secrets_recorded(nurse: User, visit: Visit) -> Visit:
    care_act_record(actor=nurse, visit=visit, kind="trod_hcv", result="positive")
    care_act_record(
        actor=nurse,
        visit=visit,
        kind="psychiatric_consultation",
        psychiatric_history=True,
        psychiatric_outcome="crisis",
    )
    referral_create(actor=nurse, site=visit.site, visit=visit, destination_kind="csapa", note=NOTE)
    return visit


def _pages(visit: Visit) -> list[str]:
    site = visit.site.public_id
    assert visit.client is not None
    return [
        reverse("care:visit", kwargs={"visit_id": visit.public_id}),
        reverse("care:referrals", kwargs={"site_id": site}),
        reverse("www:reception", kwargs={"site_id": site}),
        reverse("www:room", kwargs={"site_id": site}),
        reverse("www:door", kwargs={"site_id": site}),
        reverse("www:client", kwargs={"client_id": visit.client.public_id}),
    ]


def test_a_peer_sees_the_team_s_work_never_a_care_only_field_on_the_screens(
    secrets_recorded: Visit, peer: User, nurse: User, login: Callable[[User], HttpClient]
) -> None:
    http = login(peer)
    visit_page = http.get(_pages(secrets_recorded)[0]).content.decode()
    assert "Dépistage VHC (TROD)" in visit_page  # that a test was done is the team's
    for url in _pages(secrets_recorded):
        response = http.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not any(marker in text for marker in SECRET_MARKERS), url
        assert "ordonnance" not in text and "Martin" not in text, url
    # Control: the nurse's own page does carry them, so the checks above would see a leak.
    nurse_page = login(nurse).get(_pages(secrets_recorded)[0]).content.decode()
    assert "Positif" in nurse_page and "ordonnance" in nurse_page


def test_a_peer_gets_no_care_only_field_from_the_api(secrets_recorded: Visit, peer: User) -> None:
    answer = Api(peer).get(f"/visits/{secrets_recorded.public_id}/care")
    assert answer.status_code == 200
    body = answer.json()
    assert body["care_acts"] and all(act["confidential"] is None for act in body["care_acts"])
    assert [r["note"] for r in body["referrals"]] == [None]
    assert not any(marker in answer.content.decode() for marker in SECRET_MARKERS)
    assert "ordonnance" not in answer.content.decode()


def test_a_peer_records_no_care_act_excludes_nobody_and_grants_nothing(
    peer: User, visit: Visit, site: Site
) -> None:
    refused = Api(peer).post("/care-acts", {"visit": str(visit.public_id), "kind": "nursing"})
    assert refused.status_code in (403, 404, 422)
    assert not CareAct.objects.exists()
    assert not can_see_care_details(peer, site) and not can_see_referral_note(peer, site)
    assert not can_ban(peer, site) and grantable_roles(peer) == []


def test_a_peer_leads_the_door_and_the_room(desk: Site, peer: User, person: Client) -> None:
    desk.booths_injection = 2
    desk.save(update_fields=["booths_injection"])
    booths_sync(site=desk)
    api = Api(peer)
    visit = api.post("/visits", {"site": str(desk.public_id), "client": str(person.public_id)})
    assert visit.status_code == 201
    waited = api.post("/waits", {"visit": visit.json()["id"], "route": "injection"})
    assert waited.status_code == 201
    started = api.post(
        "/sessions", {"visit": visit.json()["id"], "route": "injection", "product": "heroin"}
    )
    assert started.status_code == 201
    assert started.json()["led_by_peer"] is True
    session = started.json()["id"]
    assert api.post(f"/sessions/{session}/end", {"watch": True}).status_code == 200
    assert api.post(f"/sessions/{session}/watch/end", {}).status_code == 200
    refusal = api.post(f"/sites/{desk.public_id}/refusals", {"reason": "full"})
    assert refusal.status_code == 201
    led = set(AuditEvent.objects.filter(actor=peer).values_list("action", flat=True))
    assert {
        "visit.opened",
        "wait.started",
        "session.started",
        "session.ended",
        "session.watch_ended",
        "refusal.recorded",
    } <= led


def test_a_manager_may_give_the_peer_role(manager: User) -> None:
    assert Role.PEER in SITE_ROLES and Role.PEER in grantable_roles(manager)


def test_a_peer_of_another_site_reaches_nothing_here(
    secrets_recorded: Visit, other_site: Site, login: Callable[[User], HttpClient]
) -> None:
    elsewhere = User.objects.create_user(username="peer-elsewhere", password=PASSWORD)
    Membership.objects.create(user=elsewhere, role=Role.PEER, site=other_site)
    http = login(elsewhere)
    for url in _pages(secrets_recorded)[:2] + _pages(secrets_recorded)[3:5]:
        assert http.get(url).status_code == 404, url
    assert Api(elsewhere).get(f"/visits/{secrets_recorded.public_id}/care").status_code == 404


def test_the_sessions_a_peer_leads_are_counted_as_such(
    desk: Site, peer: User, nurse: User, reception: User, person: Client
) -> None:
    desk.booths_injection = 2
    desk.save(update_fields=["booths_injection"])
    booths_sync(site=desk)
    by_peer = VisitFactory.create(actor=reception, site=desk, client=person)
    other = ClientFactory.create(actor=reception, site=desk)
    by_nurse = VisitFactory.create(actor=reception, site=desk, client=other)
    assert session_start(actor=peer, visit=by_peer, route="injection", product="heroin").led_by_peer
    led = session_start(actor=nurse, visit=by_nurse, route="injection", product="crack")
    assert not led.led_by_peer
    today = local_today()
    result = evaluate(["sessions_led_by_peers"], Scope((desk.pk,), today, today))
    assert result["sessions_led_by_peers"].value == 1
