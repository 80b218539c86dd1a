"""The front desk and the room as screens: register, check in, start and end, incident, client page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.consumption.models import Incident, Session
from halte.consumption.services import session_start
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import visit_open
from tests.frontdesk.conftest import IDENTITY

Login = Callable[[User], HttpClient]


def test_register_never_shows_the_inputs_back_and_finds_the_person(
    login: Login, room: Site, reception: User
) -> None:
    http = login(reception)
    data = {**IDENTITY, "birth_date": IDENTITY["birth_date"].isoformat(), "nickname": "Mao"}
    response = http.post(
        reverse("www:register", kwargs={"site_id": room.public_id}), data, follow=True
    )
    client = Client.objects.get()
    assert client.display_code in response.text and "Mao" in response.text
    for secret in ("Dupont", "Laurentin", "Maëlle", "1987-04-12"):
        assert secret not in response.text
    assert "Enregistrer l&#x27;arrivée" in response.text or "Enregistrer l'arrivée" in response.text


def test_bad_registration_is_refused_without_echo(
    login: Login, room: Site, reception: User
) -> None:
    http = login(reception)
    data = {**IDENTITY, "birth_date": "2099-01-01"}
    response = http.post(reverse("www:register", kwargs={"site_id": room.public_id}), data)
    assert response.status_code == 422 and "Date de naissance invalide" in response.text
    assert not Client.objects.exists() and "no-store" in response["Cache-Control"]
    # What was typed comes back in the form only (to correct it), never in a message or a link.
    text = response.text
    family = IDENTITY["family_name"]
    assert text.count(family) == text.count(f'value="{family}"') == 1
    assert family not in response.get("Location", "")


def test_check_in_by_code_then_board_then_check_out(
    login: Login, room: Site, reception: User, client_person: Client
) -> None:
    http = login(reception)
    page = http.get(
        reverse("www:reception", kwargs={"site_id": room.public_id}),
        {"code": client_person.display_code.lower()},
    )
    assert page.context["found"] == client_person
    http.post(
        reverse("www:check_in", kwargs={"site_id": room.public_id}),
        {"client": client_person.public_id, "purposes": ["consumption", "care"]},
    )
    board = http.get(
        reverse("www:reception", kwargs={"site_id": room.public_id}), {"partial": "present"}
    )
    assert board.context["occupancy"] == 1 and "Consommation" in board.text
    visit = Visit.objects.get()
    http.post(reverse("www:check_out", kwargs={"visit_id": visit.public_id}))
    visit.refresh_from_db()
    assert visit.left_at is not None


def test_unknown_code_says_so(login: Login, room: Site, reception: User) -> None:
    page = login(reception).get(
        reverse("www:reception", kwargs={"site_id": room.public_id}), {"code": "ZZZZ-ZZZZ-ZZZZ"}
    )
    assert "Aucun code ne correspond" in page.text


def test_room_start_end_and_overdose(
    login: Login, room: Site, nurse: User, client_person: Client
) -> None:
    http = login(nurse)
    http.post(
        reverse("www:check_in", kwargs={"site_id": room.public_id}),
        {"client": client_person.public_id},
    )
    visit = Visit.objects.get()
    page = http.get(reverse("www:room", kwargs={"site_id": room.public_id}))
    assert [row["visit"] for row in page.context["waiting"]] == [visit]
    http.post(
        reverse("www:start_session", kwargs={"site_id": room.public_id}),
        {"visit": visit.public_id, "route": "inhalation", "product": "crack"},
    )
    session = Session.objects.get()
    assert session.booth.label == "F1"
    booths = http.get(
        reverse("www:room", kwargs={"site_id": room.public_id}), {"partial": "booths"}
    )
    assert "F1" in booths.text and "Terminer" in booths.text
    http.post(
        reverse("www:record_incident", kwargs={"site_id": room.public_id}),
        {
            "kind": "opioid_overdose",
            "session": session.public_id,
            "oxygen": "on",
            "naloxone_doses": 1,
            "outcome": "recovered_on_site",
        },
    )
    incident = Incident.objects.get()
    assert (incident.session, incident.naloxone_doses, incident.oxygen) == (session, 1, True)
    http.post(reverse("www:end_session", kwargs={"session_id": session.public_id}))
    session.refresh_from_db()
    assert session.ended_at is not None


def test_refusal_is_shown_as_a_message(
    login: Login, room: Site, reception: User, client_person: Client
) -> None:
    http = login(reception)
    http.post(
        reverse("www:check_in", kwargs={"site_id": room.public_id}),
        {"client": client_person.public_id},
    )
    visit = Visit.objects.get()
    response = http.post(
        reverse("www:start_session", kwargs={"site_id": room.public_id}),
        {"visit": visit.public_id, "route": "nasal", "product": "cocaine"},
        follow=True,
    )
    assert "n&#x27;accepte pas la voie" in response.text or "n'accepte pas la voie" in response.text
    assert not Session.objects.exists()


def test_client_page_card_and_ban(
    login: Login, room: Site, manager: User, client_person: Client
) -> None:
    http = login(manager)
    page = http.get(reverse("www:client", kwargs={"client_id": client_person.public_id}))
    assert client_person.display_code in page.text
    card = http.get(reverse("www:client_card", kwargs={"client_id": client_person.public_id}))
    # The QR code as a whole SVG document, with its namespace (an <img> shows nothing otherwise).
    assert "data:image/svg+xml;charset=utf-8,%3Csvg%20xmlns%3D" in card.text
    assert client_person.display_code in card.text
    http.post(
        reverse("www:client", kwargs={"client_id": client_person.public_id}),
        {"scope": "site", "starts_on": "2026-01-01", "reason": "violence"},
    )
    ban = client_person.bans.get()
    assert ban.site == room
    http.post(
        reverse("www:lift_ban", kwargs={"client_id": client_person.public_id, "ban_id": ban.pk})
    )
    ban.refresh_from_db()
    assert ban.lifted_at is not None


def test_people_screens_are_404_for_network_roles_and_other_sites(
    login: Login, room: Site, client_person: Client, coordinator: User, other_manager: User
) -> None:
    for user in (coordinator, other_manager):
        http = login(user)
        assert (
            http.get(reverse("www:reception", kwargs={"site_id": room.public_id})).status_code
            == 404
        )
        assert http.get(reverse("www:room", kwargs={"site_id": room.public_id})).status_code == 404
    assert (
        login(coordinator)
        .get(reverse("www:client", kwargs={"client_id": client_person.public_id}))
        .status_code
        == 404
    )


def _in_the_room(site: Site, actor: User, numbers: range) -> None:
    """People checked in, each in a session on a booth (the board shows the booth's label)."""
    for n in numbers:
        person, _ = client_register(
            actor=actor,
            site=site,
            **{**IDENTITY, "family_name": f"Z{chr(65 + n)}{chr(75 + n)}Q{chr(90 - n)}"},
        )
        visit = visit_open(actor=actor, site=site, client=person, purposes=["consumption"])
        session_start(actor=actor, visit=visit, route="injection", product="heroin")


# The whole page: session, user, navigation, site and hours, the product alerts not yet read, then
# the board. Not one more per person.
BUDGETS = {"www:reception": 26, "www:room": 29}


def test_the_boards_queries_do_not_grow_with_the_people_in_the_room(
    login: Login,
    room: Site,
    reception: User,
    django_assert_max_num_queries: Callable[..., Any],
) -> None:
    http = login(reception)

    def queries(name: str) -> int:
        with django_assert_max_num_queries(BUDGETS[name]) as captured:
            page = http.get(reverse(name, kwargs={"site_id": room.public_id}))
        assert page.status_code == 200
        return len(captured)

    for name in BUDGETS:
        http.get(reverse(name, kwargs={"site_id": room.public_id}))  # the session's first page
    _in_the_room(room, reception, range(2))
    few = {name: queries(name) for name in BUDGETS}
    _in_the_room(room, reception, range(2, 8))
    assert {name: queries(name) for name in BUDGETS} == few
    assert Visit.objects.filter(site=room, left_at__isnull=True).count() == 8
