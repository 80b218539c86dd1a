"""A team's first day (issue 23): the day/month swap and the minor asked before registering, refused
forms kept as typed, nothing chosen for the worker, confirmations, the app's own error pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.codes import swapped_day_month
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.consumption.models import Session
from halte.core.timeutils import local_today
from halte.network.models import Site, WeeklyHours
from halte.visits.models import Visit
from halte.visits.services import visit_open
from tests.frontdesk.conftest import IDENTITY

Login = Callable[[User], HttpClient]
SWAPPED = {**IDENTITY, "birth_date": dt.date(1987, 12, 4)}  # IDENTITY is born 12 April 1987


def _post(identity: dict[str, Any], **extra: str) -> dict[str, Any]:
    return {**identity, "birth_date": identity["birth_date"].isoformat(), **extra}


@pytest.mark.parametrize(
    ("day", "swapped"),
    [
        (dt.date(1987, 4, 12), dt.date(1987, 12, 4)),
        (dt.date(1990, 12, 4), dt.date(1990, 4, 12)),
        (dt.date(1990, 5, 5), None),  # the same date either way
        (dt.date(1990, 4, 13), None),  # no 13th month
        (dt.date(2001, 2, 29 - 1), None),  # 28 February: no 28th month either
        (dt.date(1990, 1, 1), None),
    ],
)
def test_swapped_day_month(day: dt.date, swapped: dt.date | None) -> None:
    assert swapped_day_month(day) == swapped


def test_a_swap_known_here_is_asked_before_a_new_person(
    login: Login, room: Site, reception: User, client_person: Client
) -> None:
    http = login(reception)
    url = reverse("www:register", kwargs={"site_id": room.public_id})
    page = http.post(url, _post(SWAPPED))
    assert page.status_code == 200 and page.context["check"]["near"] == client_person
    assert "né·e le 4 décembre 1987" in page.text and "né·e le 12 avril 1987" in page.text
    assert "no-store" in page["Cache-Control"]
    assert Client.objects.count() == 1
    confirmed = http.post(url, _post(SWAPPED, confirm_new="1"))
    assert confirmed.status_code == 302 and Client.objects.count() == 2
    assert "Dupont" not in confirmed["Location"] and "1987" not in confirmed["Location"]
    for event in AuditEvent.objects.all():
        assert "Dupont" not in str(event.payload) and "1987" not in str(event.payload)


def test_a_swap_known_only_at_another_site_is_not_asked(
    login: Login, room: Site, other_site: Site, reception: User, other_manager: User
) -> None:
    client_register(actor=other_manager, site=other_site, **IDENTITY)
    response = login(reception).post(
        reverse("www:register", kwargs={"site_id": room.public_id}), _post(SWAPPED)
    )
    assert response.status_code == 302 and Client.objects.count() == 2


def test_a_minor_is_warned_at_an_adults_only_site_in_the_doors_words(
    login: Login, room: Site, make_site: Callable[..., Site], reception: User
) -> None:
    sixteen = local_today().replace(year=local_today().year - 16, month=1, day=15)
    http = login(reception)
    url = reverse("www:register", kwargs={"site_id": room.public_id})
    page = http.post(url, _post({**IDENTITY, "birth_date": sixteen}))
    assert "Personne mineure : ce lieu accueille uniquement des personnes majeures." in page.text
    assert not Client.objects.exists()
    assert (
        http.post(url, _post({**IDENTITY, "birth_date": sixteen}, confirm_new="1")).status_code
        == 302
    )
    assert Client.objects.count() == 1
    # Nothing to say at a site that admits minors, nor for someone who turns 18 this year.
    room.adults_only = False
    room.save(update_fields=["adults_only"])
    other = {**IDENTITY, "given_name": "Zoé", "birth_date": sixteen}
    assert http.post(url, _post(other)).status_code == 302
    room.adults_only = True
    room.save(update_fields=["adults_only"])
    eighteen = local_today().replace(year=local_today().year - 18, month=12, day=31)
    adult = {**IDENTITY, "given_name": "Inès", "birth_date": eighteen}
    assert http.post(url, _post(adult)).status_code == 302
    assert Client.objects.count() == 3


def test_a_refused_registration_is_shown_again_as_typed(
    login: Login, room: Site, reception: User
) -> None:
    response = login(reception).post(
        reverse("www:register", kwargs={"site_id": room.public_id}),
        _post({**IDENTITY, "birth_date": dt.date(2099, 1, 1)}, nickname="Mao"),
    )
    assert response.status_code == 422 and not Client.objects.exists()
    form = response.context["register"]
    assert form["family_name"].value() == "Dupont-Laurentin" and form["nickname"].value() == "Mao"
    assert "Date de naissance invalide" in response.text
    assert "no-store" in response["Cache-Control"]


def test_a_refused_form_is_shown_again_without_its_nul(
    login: Login, room: Site, reception: User
) -> None:
    response = login(reception).post(
        reverse("www:register", kwargs={"site_id": room.public_id}),
        _post(IDENTITY, nickname="a\x00b"),
    )
    assert response.status_code == 422 and not Client.objects.exists()
    assert "\x00" not in response.text and 'value="ab"' in response.text


def _waiting(room: Site, nurse: User, client: Client) -> Visit:
    return visit_open(actor=nurse, site=room, client=client, purposes=["consumption"])


def test_the_session_form_chooses_nothing_and_a_refusal_keeps_the_choice(
    login: Login, room: Site, nurse: User, client_person: Client
) -> None:
    visit = _waiting(room, nurse, client_person)
    http = login(nurse)
    page = http.get(reverse("www:room", kwargs={"site_id": room.public_id}))
    assert '<option value="" selected>' in page.text and " selected>" not in page.text.replace(
        '<option value="" selected>', ""
    )
    assert "checked" not in page.text.split('name="route"')[1].split(">")[0]
    url = reverse("www:start_session", kwargs={"site_id": room.public_id})
    refused = http.post(url, {"visit": visit.public_id, "route": "injection"})
    assert refused.status_code == 422 and not Session.objects.exists()
    assert f'value="{visit.public_id}" selected' in refused.text
    assert "Choisissez la personne, la voie et le produit." in refused.text
    busy = http.post(
        url, {"visit": visit.public_id, "route": "nasal", "product": "cocaine", "booth": "I2"}
    )
    assert busy.status_code == 422 and busy.context["session_form"]["booth"].value() == "I2"
    started = http.post(
        url, {"visit": visit.public_id, "route": "injection", "product": "heroin"}, follow=True
    )
    assert "Consommation commencée au poste I1." in started.text
    ended = http.post(
        reverse("www:end_session", kwargs={"session_id": Session.objects.get().public_id}),
        follow=True,
    )
    assert "Consommation terminée au poste I1." in ended.text
    left = http.post(reverse("www:check_out", kwargs={"visit_id": visit.public_id}), follow=True)
    assert "Départ enregistré : " + client_person.display_code in left.text


def test_an_anonymous_departure_is_confirmed(login: Login, room: Site, reception: User) -> None:
    visit = visit_open(actor=reception, site=room, client=None, purposes=[])
    left = login(reception).post(
        reverse("www:check_out", kwargs={"visit_id": visit.public_id}), follow=True
    )
    assert "Départ enregistré : contact anonyme." in left.text


def test_the_room_is_said_closed_in_the_feminine(login: Login, site: Site, nurse: User) -> None:
    WeeklyHours.objects.filter(site=site).delete()
    page = login(nurse).get(reverse("www:room", kwargs={"site_id": site.public_id}))
    assert ">fermée</span>" in page.text


def test_the_paris_demo_room_has_a_time_limit(db: None) -> None:
    call_command("load_demo")
    assert Site.objects.get(slug="paris-hsa").session_time_limit_minutes == 30


def test_error_pages_are_the_apps_own_in_french(login: Login, reception: User) -> None:
    missing = login(reception).get("/nulle-part/")
    assert missing.status_code == 404 and "Page introuvable" in missing.text
    assert "Se déconnecter" in missing.text  # the app's layout, with its header
    request = RequestFactory().get("/")
    request.user = reception
    denied = defaults.permission_denied(request, PermissionDenied())
    assert denied.status_code == 403 and "Accès refusé" in denied.content.decode()
    # 500 and 400 are drawn without a request: the templates must not need one (the test settings
    # fail on any undefined variable).
    crashed = defaults.server_error(request)
    assert crashed.status_code == 500 and "Erreur du serveur" in crashed.content.decode()
    bad = defaults.bad_request(request, Exception())
    assert bad.status_code == 400 and "Demande invalide" in bad.content.decode()
