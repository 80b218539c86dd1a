"""The room's refusals (issue 16): every rule that turns someone away at the door (check-in) or
at the room (session start) counts the refusal itself, with its reason and no person; the staff
count what no rule sees (the site full). Through the services, the API and the screen."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.consumption.models import Refusal
from halte.consumption.room import refusal_record
from halte.consumption.services import session_start
from halte.core.errors import DomainError
from halte.core.timeutils import PARIS, local_today, now
from halte.network.enums import Admission, SiteStatus
from halte.network.models import Site, WeeklyHours
from halte.visits.models import Visit
from halte.visits.services import RefusedEntry, visit_open
from tests.api_client import Api
from tests.factories import BanFactory, ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db

# What a refusal row and its audit event may hold: nothing else (no person, no visit, no code).
REFUSAL_FIELDS = {
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "site",
    "at",
    "stage",
    "reason",
    "route",
    "recorded_by",
}


def test_a_refusal_holds_no_person_by_construction() -> None:
    assert {f.name for f in Refusal._meta.get_fields()} == REFUSAL_FIELDS


def _only_refusal(site: Site, *, stage: str, reason: str, route: str = "") -> Refusal:
    refusal = Refusal.objects.get()
    assert (refusal.site, refusal.stage, refusal.reason, refusal.route) == (
        site,
        stage,
        reason,
        route,
    )
    event = AuditEvent.objects.get(action="refusal.recorded")
    assert event.payload == {"stage": stage, "reason": reason, "route": route}
    assert event.object_id == str(refusal.public_id)
    return refusal


def _refused(call: Callable[[], Any]) -> RefusedEntry:
    with pytest.raises(RefusedEntry) as caught:
        call()
    return caught.value


# --- At the door: the check-in's own rules ---------------------------------------------------


def test_an_excluded_person_is_refused_at_the_door_and_counted(
    room: Site, reception: User, manager: User, client_person: Client
) -> None:
    BanFactory.create(actor=manager, client=client_person, site=room)
    error = _refused(
        lambda: visit_open(actor=reception, site=room, client=client_person, purposes=[])
    )
    assert error.reason == "banned" and "exclue" in error.message
    assert not Visit.objects.exists()
    _only_refusal(room, stage="door", reason="banned")


def test_a_minor_at_an_adults_only_site_is_counted_as_minor(room: Site, reception: User) -> None:
    minor = ClientFactory.create(actor=reception, site=room, minor=True)
    _refused(lambda: visit_open(actor=reception, site=room, client=minor, purposes=[]))
    _only_refusal(room, stage="door", reason="minor")


def test_a_man_at_a_women_only_site_is_counted(room: Site, reception: User) -> None:
    room.admission = Admission.WOMEN_ONLY
    room.save(update_fields=["admission"])
    man = ClientFactory.create(actor=reception, site=room, man=True)
    _refused(lambda: visit_open(actor=reception, site=room, client=man, purposes=[]))
    _only_refusal(room, stage="door", reason="women_only")


def test_a_site_out_of_activity_counts_a_closed_refusal_even_for_an_anonymous_contact(
    room: Site, reception: User
) -> None:
    Site.objects.filter(pk=room.pk).update(status=SiteStatus.SUSPENDED)
    room.refresh_from_db()
    _refused(lambda: visit_open(actor=reception, site=room, client=None, purposes=[]))
    _only_refusal(room, stage="door", reason="closed")


def test_an_admitted_person_and_a_wrong_input_count_no_refusal(
    room: Site, reception: User, client_person: Client
) -> None:
    with pytest.raises(DomainError) as caught:
        visit_open(actor=reception, site=room, client=client_person, purposes=["no-such"])
    assert not isinstance(caught.value, RefusedEntry)
    visit_open(actor=reception, site=room, client=client_person, purposes=[])
    assert not Refusal.objects.exists()


# --- At the room: the session's own rules ----------------------------------------------------


@pytest.fixture
def visit(room: Site, reception: User, client_person: Client) -> Visit:
    return VisitFactory.create(actor=reception, site=room, client=client_person, consumption=True)


def test_a_route_the_site_does_not_offer_is_counted_with_the_route(
    room: Site, nurse: User, visit: Visit
) -> None:
    error = _refused(
        lambda: session_start(actor=nurse, visit=visit, route="nasal", product="cocaine")
    )
    assert error.field == "route"
    _only_refusal(room, stage="room", reason="route_not_allowed", route="nasal")


def test_the_room_closed_outside_its_hours_is_counted(
    room: Site, nurse: User, visit: Visit
) -> None:
    hour = now().astimezone(dt.UTC).hour
    # Open only for one hour far from now, every day.
    far = dt.time((hour + 12) % 24)
    WeeklyHours.objects.filter(site=room).update(opens=far, closes=dt.time((far.hour + 1) % 24))
    _refused(lambda: session_start(actor=nurse, visit=visit, route="injection", product="heroin"))
    _only_refusal(room, stage="room", reason="closed")


def test_an_exclusion_pronounced_after_the_check_in_is_counted_at_the_room(
    room: Site, nurse: User, manager: User, visit: Visit
) -> None:
    assert visit.client is not None
    BanFactory.create(actor=manager, client=visit.client, site=room)
    _refused(lambda: session_start(actor=nurse, visit=visit, route="injection", product="heroin"))
    _only_refusal(room, stage="room", reason="banned")


def test_a_question_to_the_staff_is_no_refusal(room: Site, nurse: User, reception: User) -> None:
    turning_18 = ClientFactory.create(
        actor=reception, site=room, birth_date=dt.date(local_today().year - 18, 1, 1)
    )
    visit = VisitFactory.create(actor=reception, site=room, client=turning_18)
    with pytest.raises(DomainError) as caught:
        session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    assert caught.value.field == "adult_confirmed"
    assert not Refusal.objects.exists()


# --- Counted by the staff ----------------------------------------------------------------------


def test_the_staff_count_a_refusal_because_full_without_anyone(room: Site, reception: User) -> None:
    refusal_record(actor=reception, site=room, reason="full")
    _only_refusal(room, stage="door", reason="full")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"reason": "full", "stage": "street"}, "stage"),
        ({"reason": "route_not_allowed"}, "route"),
        ({"reason": "route_not_allowed", "route": "rectal"}, "route"),
        ({"reason": "full", "at": "future"}, "at"),
        ({"reason": "full", "at": "two days ago"}, "at"),
    ],
)
def test_a_bad_refusal_is_refused_and_writes_nothing(
    room: Site, reception: User, fields: dict[str, Any], field: str
) -> None:
    moments = {
        "future": now() + dt.timedelta(hours=1),
        "two days ago": now() - dt.timedelta(days=2),
    }
    if "at" in fields:
        fields = {**fields, "at": moments[fields["at"]]}
    with pytest.raises(DomainError) as caught:
        refusal_record(actor=reception, site=room, **fields)
    assert caught.value.field == field
    assert (
        not Refusal.objects.exists()
        and not AuditEvent.objects.filter(action="refusal.recorded").exists()
    )


def test_the_api_counts_a_refusal_and_replays_it_for_the_same_key(
    room: Site, reception: User
) -> None:
    api = Api(reception)
    path = f"/sites/{room.public_id}/refusals"
    body = {"reason": "route_not_allowed", "stage": "room", "route": "nasal"}
    first = api.post(path, body, key="door-1")
    again = api.post(path, body, key="door-1")
    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    assert first.json()["reason"] == "route_not_allowed" and first.json()["route"] == "nasal"
    assert Refusal.objects.count() == 1
    assert api.post(path, {"reason": "full", "name": "x"}).status_code == 422
    assert api.post(path, {"reason": "nope"}).status_code == 422
    assert Refusal.objects.count() == 1


def test_a_refusal_made_by_a_rule_through_the_api_stays_with_its_answer(
    room: Site, reception: User, manager: User, client_person: Client
) -> None:
    # With an Idempotency-Key the request runs in one transaction, and its 422 is kept: the
    # refusal lands with it, once, and a retry replays the answer without counting again.
    BanFactory.create(actor=manager, client=client_person, site=room)
    api = Api(reception)
    body = {"site": str(room.public_id), "client": str(client_person.public_id)}
    first = api.post("/visits", body, key="k-ban")
    again = api.post("/visits", body, key="k-ban")
    assert first.status_code == 422 and again.status_code == 422
    assert again.json() == first.json()
    _only_refusal(room, stage="door", reason="banned")
    assert client_person.code not in json.dumps(first.json())


def test_another_sites_staff_and_network_roles_cannot_count_or_read_refusals(
    room: Site, other_manager: User, coordinator: User
) -> None:
    for user in (other_manager, coordinator):
        api = Api(user)
        assert api.post(f"/sites/{room.public_id}/refusals", {"reason": "full"}).status_code == 404
        assert api.get(f"/sites/{room.public_id}/door").status_code == 404
    assert not Refusal.objects.exists()


def test_the_door_answers_counts_per_paris_hour(room: Site, reception: User) -> None:
    hour_start = now().astimezone(PARIS).replace(minute=0, second=0, microsecond=0)
    refusal_record(actor=reception, site=room, reason="full", at=hour_start)
    refusal_record(actor=reception, site=room, reason="minor", at=hour_start)
    rows = Api(reception).get(f"/sites/{room.public_id}/door").json()
    assert rows == [{"hour": hour_start.hour, "refused": 2, "full": 1, "waits": 0}]


# --- The screen --------------------------------------------------------------------------------


def test_the_screen_counts_a_refusal_and_refuses_a_route_refusal_without_its_route(
    room: Site, reception: User, login: Callable[[User], HttpClient]
) -> None:
    http = login(reception)
    page = http.get(reverse("www:door", kwargs={"site_id": room.public_id}))
    assert page.status_code == 200 and "Personne refusée" in page.content.decode()
    url = reverse("www:record_refusal", kwargs={"site_id": room.public_id})
    missing = http.post(url, {"reason": "route_not_allowed", "stage": "door", "route": ""})
    assert missing.status_code == 422
    assert "Indiquez la voie demandée." in missing.content.decode()
    assert not Refusal.objects.exists()
    done = http.post(url, {"reason": "full", "stage": "door", "route": ""})
    assert done.status_code == 302
    _only_refusal(room, stage="door", reason="full")


def test_the_screen_is_404_for_another_site_and_network_roles(
    room: Site, other_manager: User, coordinator: User, login: Callable[[User], HttpClient]
) -> None:
    for user in (other_manager, coordinator):
        http = login(user)
        assert http.get(reverse("www:door", kwargs={"site_id": room.public_id})).status_code == 404
        url = reverse("www:record_refusal", kwargs={"site_id": room.public_id})
        assert http.post(url, {"reason": "full", "stage": "door"}).status_code == 404
    assert not Refusal.objects.exists()
