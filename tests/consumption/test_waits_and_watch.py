"""Waiting for a booth, the watch in the rest area after a session, the oral route and sessions of
several products (issue 16), through the services, the API and the screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.consumption.models import Session, Wait
from halte.consumption.room import wait_end, wait_start, watch_end
from halte.consumption.services import session_end, session_start
from halte.core.errors import ConflictError, DomainError
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import visit_close
from tests.api_client import Api
from tests.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(room: Site, reception: User, client_person: Client) -> Visit:
    return VisitFactory.create(actor=reception, site=room, client=client_person, consumption=True)


def _another_visit(room: Site, reception: User) -> Visit:
    person = ClientFactory.create(actor=reception, site=room)
    return VisitFactory.create(actor=reception, site=room, client=person)


# --- Waiting for a booth -------------------------------------------------------------------------


def test_a_wait_ends_as_served_when_the_session_starts(
    room: Site, nurse: User, visit: Visit
) -> None:
    wait = wait_start(actor=nurse, visit=visit, route="inhalation")
    session = session_start(actor=nurse, visit=visit, route="inhalation", product="crack")
    wait.refresh_from_db()
    assert wait.outcome == "served" and wait.ended_at == session.started_at
    assert AuditEvent.objects.filter(action="wait.ended", payload={"outcome": "served"}).exists()


def test_one_open_wait_per_visit_and_none_after_the_session(
    room: Site, nurse: User, visit: Visit
) -> None:
    wait_start(actor=nurse, visit=visit, route="injection")
    with pytest.raises(DomainError, match="attend déjà"):
        wait_start(actor=nurse, visit=visit, route="inhalation")
    session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    with pytest.raises(DomainError, match="déjà consommé"):
        wait_start(actor=nurse, visit=visit, route="injection")
    assert Wait.objects.count() == 1


def test_a_wait_needs_a_registered_person_and_a_known_route(
    room: Site, nurse: User, reception: User, visit: Visit
) -> None:
    anonymous = VisitFactory.create(actor=reception, site=room)
    with pytest.raises(DomainError):
        wait_start(actor=nurse, visit=anonymous, route="injection")
    with pytest.raises(DomainError):
        wait_start(actor=nurse, visit=visit, route="rectal")
    assert not Wait.objects.exists()


def test_a_person_who_leaves_gives_up_the_wait_and_ends_the_watch(
    room: Site, nurse: User, reception: User, visit: Visit
) -> None:
    other = _another_visit(room, reception)
    wait_start(actor=nurse, visit=other, route="injection")
    session = session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    session_end(actor=nurse, session=session, watch=True)
    closed_other = visit_close(actor=reception, visit=other)
    closed = visit_close(actor=reception, visit=visit)
    wait = Wait.objects.get(visit=other)
    assert (wait.outcome, wait.ended_at) == ("left", closed_other.left_at)
    session.refresh_from_db()
    assert session.watch_ended_at == closed.left_at


def test_ending_a_wait_twice_or_with_an_unknown_outcome_is_refused(
    room: Site, nurse: User, visit: Visit
) -> None:
    wait = wait_start(actor=nurse, visit=visit, route="injection")
    with pytest.raises(DomainError):
        wait_end(actor=nurse, wait=wait, outcome="teleported")
    wait_end(actor=nurse, wait=wait)
    with pytest.raises(DomainError, match="déjà terminée"):
        wait_end(actor=nurse, wait=wait)
    wait.refresh_from_db()
    assert wait.outcome == "left"


def test_the_api_waits_and_ends_with_idempotency(room: Site, nurse: User, visit: Visit) -> None:
    api = Api(nurse)
    body = {"visit": str(visit.public_id), "route": "injection"}
    first = api.post("/waits", body, key="w-1")
    assert first.status_code == 201 and api.post("/waits", body, key="w-1").json() == first.json()
    assert Wait.objects.count() == 1
    listed = api.get(f"/sites/{room.public_id}/waits").json()
    assert [w["id"] for w in listed] == [first.json()["id"]]
    ended = api.post(f"/waits/{first.json()['id']}/end", {"outcome": "left"})
    assert ended.status_code == 200 and ended.json()["outcome"] == "left"
    assert api.get(f"/sites/{room.public_id}/waits").json() == []


def test_another_sites_staff_cannot_see_or_end_a_wait(
    room: Site, nurse: User, other_manager: User, coordinator: User, visit: Visit
) -> None:
    wait = wait_start(actor=nurse, visit=visit, route="injection")
    for user in (other_manager, coordinator):
        api = Api(user)
        assert api.post(f"/waits/{wait.public_id}/end", {}).status_code == 404
        assert api.get(f"/sites/{room.public_id}/waits").status_code == 404
        body = {"visit": str(visit.public_id), "route": "injection"}
        assert api.post("/waits", body).status_code == 404
    wait.refresh_from_db()
    assert wait.ended_at is None


# --- The watch in the rest area ----------------------------------------------------------------


def test_the_watch_begins_when_the_session_ends_and_ends_on_leaving_the_rest_area(
    room: Site, nurse: User, visit: Visit
) -> None:
    session = session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    with pytest.raises(DomainError):
        watch_end(actor=nurse, session=session)  # not in the rest area yet
    session = session_end(actor=nurse, session=session, watch=True)
    assert session.watch_started_at == session.ended_at
    left = session.watch_started_at + dt.timedelta(minutes=1)  # type: ignore[operator]
    session = watch_end(actor=nurse, session=session, at=left)
    assert session.watch_ended_at == left
    with pytest.raises(DomainError):
        watch_end(actor=nurse, session=session)


def test_a_session_ended_without_the_rest_area_has_no_watch(
    room: Site, nurse: User, visit: Visit
) -> None:
    session = session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    session = session_end(actor=nurse, session=session)
    assert session.watch_started_at is None
    with pytest.raises(DomainError):
        watch_end(actor=nurse, session=session)


def test_the_api_ends_a_session_into_the_rest_area_and_out(
    room: Site, nurse: User, visit: Visit
) -> None:
    api = Api(nurse)
    started = api.post(
        "/sessions", {"visit": str(visit.public_id), "route": "injection", "product": "heroin"}
    )
    session_id = started.json()["id"]
    ended = api.post(f"/sessions/{session_id}/end", {"watch": True})
    assert ended.status_code == 200 and ended.json()["watch_started_at"] is not None
    out = api.post(f"/sessions/{session_id}/watch/end", {})
    assert out.status_code == 200 and out.json()["watch_ended_at"] is not None


# --- Oral route, several products ----------------------------------------------------------------


def test_an_oral_session_takes_a_free_place_of_any_route(
    room: Site, nurse: User, reception: User, visit: Visit
) -> None:
    session = session_start(actor=nurse, visit=visit, route="oral", product="methadone")
    assert session.route == "oral" and session.booth.route in ("injection", "inhalation")
    # The place asked for is taken whatever its route.
    asked = room.booths.exclude(pk=session.booth.pk).exclude(route=session.booth.route).first()
    assert asked is not None
    other = _another_visit(room, reception)
    placed = session_start(
        actor=nurse, visit=other, route="oral", product="buprenorphine", booth=asked
    )
    assert placed.booth == asked


def test_an_oral_session_waits_when_every_place_is_taken(
    room: Site, nurse: User, reception: User
) -> None:
    for _ in range(room.booths.filter(is_active=True).count()):
        session_start(
            actor=nurse, visit=_another_visit(room, reception), route="oral", product="other"
        )
    with pytest.raises(ConflictError):
        session_start(
            actor=nurse, visit=_another_visit(room, reception), route="oral", product="other"
        )


def test_the_oral_route_needs_a_room(make_site: Callable[..., Site], nurse: User) -> None:
    from halte.consumption.room import session_routes

    assert "oral" not in session_routes(make_site(booths_injection=0))


def test_several_products_are_kept_and_the_main_one_is_not_repeated(
    room: Site, nurse: User, visit: Visit
) -> None:
    with pytest.raises(DomainError) as caught:
        session_start(
            actor=nurse,
            visit=visit,
            route="injection",
            product="heroin",
            other_products=["heroin", "cocaine"],
        )
    assert caught.value.field == "other_products"
    with pytest.raises(DomainError):
        session_start(
            actor=nurse,
            visit=visit,
            route="injection",
            product="heroin",
            other_products=["plutonium"],
        )
    assert not Session.objects.exists()
    api = Api(nurse)
    body = {
        "visit": str(visit.public_id),
        "route": "injection",
        "product": "heroin",
        "other_products": ["cocaine", "morphine"],
    }
    answer = api.post("/sessions", body)
    assert answer.status_code == 201
    assert sorted(answer.json()["other_products"]) == ["cocaine", "morphine"]
    event = AuditEvent.objects.get(action="session.started")
    assert sorted(event.payload["other_products"]) == ["cocaine", "morphine"]


# --- The screens ---------------------------------------------------------------------------------


def test_the_screens_queue_a_person_start_them_and_watch_them(
    room: Site, nurse: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    http = login(nurse)
    door = reverse("www:door", kwargs={"site_id": room.public_id})
    page = http.get(door).content.decode()
    assert str(visit.public_id) in page and "voie orale" in page.lower()
    queued = http.post(
        reverse("www:start_wait", kwargs={"site_id": room.public_id}),
        {"visit": str(visit.public_id), "route": "injection"},
    )
    assert queued.status_code == 302 and Wait.objects.filter(ended_at=None).count() == 1
    started = http.post(
        reverse("www:start_session", kwargs={"site_id": room.public_id}),
        {
            "visit": str(visit.public_id),
            "route": "oral",
            "product": "methadone",
            "other_products": ["cocaine"],
            "booth": "",
        },
    )
    assert started.status_code == 302
    session = Session.objects.get()
    assert session.route == "oral" and session.other_products
    assert Wait.objects.get().outcome == "served"
    http.post(reverse("www:end_session", kwargs={"session_id": session.public_id}), {"watch": "1"})
    page = http.get(door).content.decode()
    assert "Sortie de l'espace de repos" in page
    http.post(reverse("www:end_watch", kwargs={"session_id": session.public_id}))
    session.refresh_from_db()
    assert session.watch_ended_at is not None
