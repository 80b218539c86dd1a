"""Street work offline, at the HTTP interface: the service worker, the manifest, the app shell and
its reference data, the logout that clears the phone, and what the API takes from a phone that
was offline (a round it named itself, contacts by code and at their own time, material)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.clients.enums import BanReason
from halte.clients.services import ban_create, client_register
from halte.core.timeutils import local_today, now
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, Round, RoundContact
from halte.outreach.services import contact_record, round_end, round_start
from halte.www.outreach import offline

Login = Callable[[User], HttpClient]


def post(http: HttpClient, path: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return http.post(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_the_service_worker_is_served_versioned_and_never_cached(db: None) -> None:
    response = HttpClient().get(reverse("outreach:service_worker"))  # no session needed
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    version = offline.offline_version()
    assert f'"version": "{version}"' in body
    assert '"shell": "/rue/terrain/"' in body and "/static/outreach/field.js" in body
    assert "/rue/terrain/donnees.json" not in body  # the data with codes is never cached


def test_a_change_of_the_files_or_the_schema_changes_the_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = offline.offline_version()
    offline.offline_version.cache_clear()
    monkeypatch.setattr(offline, "OFFLINE_SCHEMA", offline.OFFLINE_SCHEMA + 1)
    try:
        assert offline.offline_version() != before
    finally:
        offline.offline_version.cache_clear()


def test_the_manifest_makes_the_app_installable_with_local_icons(db: None) -> None:
    response = HttpClient().get(reverse("outreach:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/rue/terrain/" and manifest["scope"] == "/rue/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/outreach/")
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_every_cached_file_exists(db: None) -> None:
    for asset in offline.SHELL_ASSETS:
        assert finders.find(asset), asset


def test_logging_out_tells_the_browser_to_forget_the_phone_copy(login: Login, worker: User) -> None:
    http = login(worker)
    response = http.post(reverse("www:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert http.get(reverse("outreach:field")).status_code == 302  # signed out


def test_the_app_shell_has_no_inline_script(
    login: Login, worker: User, team: Site, django_assert_max_num_queries: Any
) -> None:
    http = login(worker)
    with django_assert_max_num_queries(20):  # the navigation of base.html, the catalogue
        response = http.get(reverse("outreach:field"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<link rel="manifest" href="/rue/manifest.webmanifest">' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for chunk in page.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert "src=" in head or 'type="application/json"' in head
    assert 'data-form="contact"' in page and 'id="field-text"' in page


def test_the_reference_data_holds_the_week_the_places_and_the_team_codes_only(
    login: Login,
    worker: User,
    team: Site,
    make_site: Callable[..., Site],
    stalingrad: GatheringPlace,
    django_assert_max_num_queries: Any,
) -> None:
    shelter = make_site(name="Accueil de nuit", hours=("20:00", "08:00"))
    make_site(name="Autre accueil")
    met, _created = client_register(
        actor=worker,
        site=team,
        family_name="Martin",
        given_name="Louise",
        birth_date=dt.date(1980, 5, 1),
        sex="woman",
    )
    round_ = round_start(actor=worker, team=team, place=stalingrad)
    contact_record(actor=worker, round_=round_, client=met, purposes=["material"])
    http = login(worker)
    with django_assert_max_num_queries(20):
        response = http.get(reverse("outreach:field_data"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    data = response.json()
    assert data["codes"] == [met.code]
    assert data["codes_ttl_seconds"] == 12 * 3600
    assert data["teams"] == [
        {
            "id": str(team.public_id),
            "name": team.name,
            "round": {
                "id": str(round_.public_id),
                "label": stalingrad.name,
                "started_at": round_.started_at.isoformat(),
            },
        }
    ]
    assert [p["id"] for p in data["places"]] == [str(stalingrad.public_id)]
    night = next(s for s in data["sites"] if s["id"] == str(shelter.public_id))
    assert len(night["openings"]) == offline.OPENINGS_DAYS + 2  # yesterday to a week ahead
    assert night["openings"][0][0].endswith(("+00:00", "Z"))
    assert night["offers"]["consumption"] == ["injection"]
    assert "Louise" not in response.content.decode() and "Martin" not in response.content.decode()
    assert len(data["nights"]) == offline.OPENINGS_DAYS + 1


def test_someone_outside_the_teams_gets_no_codes(login: Login, reception: User, team: Site) -> None:
    data = login(reception).get(reverse("outreach:field_data")).json()
    assert data["teams"] == [] and data["codes"] == []


def test_a_round_named_by_the_phone_and_its_contacts_sent_late(
    login: Login, worker: User, team: Site, stalingrad: GatheringPlace
) -> None:
    http = login(worker)
    round_id = str(uuid.uuid4())
    started = (now() - dt.timedelta(hours=2)).isoformat()
    body = {"team": str(team.public_id), "place": str(stalingrad.public_id), "id": round_id}
    response = post(http, "/rounds", {**body, "started_at": started}, key="r-1")
    assert response.status_code == 201 and response.json()["id"] == round_id
    again = post(http, "/rounds", {**body, "started_at": started}, key="r-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Round.objects.count() == 1
    met_at = (now() - dt.timedelta(hours=1)).isoformat()
    contact = {"anonymous": True, "is_new": True, "at": met_at}
    assert post(http, f"/rounds/{round_id}/contacts", contact, key="c-1").status_code == 201
    assert post(http, f"/rounds/{round_id}/contacts", contact, key="c-1").status_code == 201
    assert RoundContact.objects.count() == 1
    ended = post(http, f"/rounds/{round_id}/end", {"ended_at": met_at}, key="e-1")
    assert ended.status_code == 200
    # A contact made before the end but sent after it is taken; one made after is refused.
    before = {"anonymous": True, "at": (now() - dt.timedelta(hours=1, minutes=5)).isoformat()}
    assert post(http, f"/rounds/{round_id}/contacts", before).status_code == 201
    late = post(http, f"/rounds/{round_id}/contacts", {"anonymous": True})
    assert late.status_code == 422
    assert late.json()["error"]["message"] == "Cette maraude est terminée."
    taken = post(http, "/rounds", {**body, "started_at": started}, key="r-2")
    assert taken.status_code == 409


def test_a_contact_by_code_and_an_unknown_code(
    login: Login, worker: User, team: Site, stalingrad: GatheringPlace
) -> None:
    person, _created = client_register(
        actor=worker,
        site=team,
        family_name="Durand",
        given_name="Paul",
        birth_date=dt.date(1975, 2, 3),
        sex="man",
    )
    round_ = round_start(actor=worker, team=team, place=stalingrad)
    http = login(worker)
    url = f"/rounds/{round_.public_id}/contacts"
    known = post(http, url, {"code": person.display_code, "purposes": ["material"]})
    assert known.status_code == 201 and known.json()["anonymous"] is False
    assert RoundContact.objects.get().visit.client == person
    unknown = post(http, url, {"code": "0000-0000-0000"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "Aucune personne avec ce code."
    both = post(http, url, {"code": person.display_code, "anonymous": True})
    assert both.status_code == 422
    assert RoundContact.objects.count() == 1


def test_material_given_at_a_contact_comes_from_the_team_stock_or_nothing_is_written(
    login: Login, worker: User, team: Site, stalingrad: GatheringPlace
) -> None:
    round_ = round_start(actor=worker, team=team, place=stalingrad)
    http = login(worker)
    url = f"/rounds/{round_.public_id}/contacts"
    body = {"anonymous": True, "material": [{"item": "syringe_1ml", "quantity": 5}]}
    refused = post(http, url, body)
    assert refused.status_code == 409, refused.content
    assert refused.json()["error"]["message"]  # the server's reason, shown on the phone
    assert RoundContact.objects.count() == 0
    round_end(actor=worker, round_=round_)


def test_a_banned_person_met_offline_is_refused_with_the_reason(
    login: Login, worker: User, team: Site, stalingrad: GatheringPlace, manager: User
) -> None:
    person, _created = client_register(
        actor=worker,
        site=team,
        family_name="Petit",
        given_name="Marc",
        birth_date=dt.date(1990, 1, 1),
        sex="man",
    )
    ban_create(
        actor=manager,
        client=person,
        site=None,
        starts_on=local_today(),
        ends_on=None,
        reason=BanReason.VIOLENCE,
    )
    round_ = round_start(actor=worker, team=team, place=stalingrad)
    refused = post(
        login(worker), f"/rounds/{round_.public_id}/contacts", {"code": person.code}, key="b-1"
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["message"] == (
        "Cette personne est exclue de ce site à cette date."
    )
    assert RoundContact.objects.count() == 0
