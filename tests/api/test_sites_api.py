"""The registry API: authentication, filters, one error shape, 404 for what one may not see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.models import ApiToken, User
from halte.accounts.services import api_token_issue
from halte.core.timeutils import PARIS
from halte.network.models import Site


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}


def at_paris(monkeypatch: pytest.MonkeyPatch, *args: int) -> None:
    moment = dt.datetime(*args, tzinfo=PARIS)
    monkeypatch.setattr("halte.network.selectors.now", lambda: moment)


def assert_error_shape(body: dict[str, Any], code: str) -> None:
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)


def test_health_answers_without_auth(client: Client, db: None) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_and_docs_are_served(client: Client, db: None) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/sites" in spec["paths"] and "/api/v1/sites/{site_id}" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_sites_need_authentication(client: Client, site: Site) -> None:
    response = client.get("/api/v1/sites")
    assert response.status_code == 401
    assert_error_shape(response.json(), "unauthenticated")
    bad = client.get("/api/v1/sites", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert bad.status_code == 401


def test_expired_or_revoked_token_is_refused(client: Client, site: Site, reception: User) -> None:
    headers = bearer(reception)
    assert client.get("/api/v1/sites", **headers).status_code == 200
    ApiToken.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert client.get("/api/v1/sites", **headers).status_code == 401


def test_issue_token_command_prints_a_working_token(
    client: Client, site: Site, reception: User, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("issue_token", "reception")
    token = capsys.readouterr().out.strip()
    assert token.startswith("halte_")
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    assert not ApiToken.objects.filter(key_hash=token).exists()  # stored hashed


def test_session_auth_works_for_the_browser(
    login: Callable[[User], Client], site: Site, reception: User
) -> None:
    assert login(reception).get("/api/v1/sites").status_code == 200


def test_list_hides_projects_from_site_staff_and_shows_them_to_the_coordinator(
    client: Client,
    site: Site,
    other_site: Site,
    project_site: Site,
    reception: User,
    coordinator: User,
) -> None:
    names = {s["name"] for s in client.get("/api/v1/sites", **bearer(reception)).json()}
    assert names == {site.name, other_site.name}
    names = {s["name"] for s in client.get("/api/v1/sites", **bearer(coordinator)).json()}
    assert names == {site.name, other_site.name, project_site.name}


def test_project_detail_answers_404_to_other_staff(
    client: Client, project_site: Site, reception: User, coordinator: User
) -> None:
    url = f"/api/v1/sites/{project_site.public_id}"
    response = client.get(url, **bearer(reception))
    assert response.status_code == 404
    assert_error_shape(response.json(), "not_found")
    assert client.get(url, **bearer(coordinator)).status_code == 200
    missing = client.get(f"/api/v1/sites/{uuid.uuid4()}", **bearer(coordinator))
    assert missing.status_code == 404


def test_user_without_membership_sees_nothing(client: Client, site: Site, outsider: User) -> None:
    assert client.get("/api/v1/sites", **bearer(outsider)).json() == []
    assert client.get(f"/api/v1/sites/{site.public_id}", **bearer(outsider)).status_code == 404


def test_filters(
    client: Client,
    site: Site,
    other_site: Site,
    project_site: Site,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = bearer(coordinator)

    def names(query: str) -> set[str]:
        response = client.get(f"/api/v1/sites?{query}", **headers)
        assert response.status_code == 200, response.content
        return {s["name"] for s in response.json()}

    assert names("status=proposed") == {project_site.name}
    assert names("kind=hsa") == {site.name, other_site.name}
    assert names("commune=67482") == {other_site.name}
    site.services.create(service="naloxone")
    assert names("service=naloxone") == {site.name}
    at_paris(monkeypatch, 2026, 11, 27, 15, 0)
    assert names("open_now=true") == {site.name, other_site.name}
    at_paris(monkeypatch, 2026, 11, 27, 22, 0)
    assert names("open_now=true") == set()
    assert names("women_only=true") == set()


def test_detail_carries_what_the_site_page_shows(
    client: Client, site: Site, reception: User
) -> None:
    body = client.get(f"/api/v1/sites/{site.public_id}", **bearer(reception)).json()
    assert body["booths"] == {"injection": 12, "inhalation": 0, "nasal": 0}
    assert body["allowed_routes"] == ["injection"]
    assert body["week"]["0"] == [
        {"opens": "13:30", "closes": "20:30", "past_midnight": False, "women_only": False}
    ]
    assert body["status_history"][0]["to_status"] == "operational"
    assert body["area_name"] == "Paris 10e"


@pytest.mark.parametrize(
    "query",
    ["kind=castle", "status=open", "commune=paris", "open_now=maybe", "service=<script>"],
)
def test_bad_filters_are_a_clear_422(
    client: Client, site: Site, reception: User, query: str
) -> None:
    response = client.get(f"/api/v1/sites?{query}", **bearer(reception))
    assert response.status_code == 422
    body = response.json()
    assert_error_shape(body, "invalid_input")
    assert body["error"]["details"][0]["loc"]


def test_malformed_site_id_is_a_4xx(client: Client, site: Site, reception: User) -> None:
    response = client.get("/api/v1/sites/not-a-uuid", **bearer(reception))
    assert 400 <= response.status_code < 500


def test_address_lookup_places_an_address_and_derives_the_arrondissement(
    client: Client, reception: User
) -> None:
    response = client.get("/api/v1/geo/addresses?q=4 rue Ambroise-Paré", **bearer(reception))
    assert response.status_code == 200
    first = response.json()[0]
    assert first["exact"] is True
    assert first["area"]["code_insee"] == "75110"
    assert abs(first["lat"] - 48.881946) < 1e-4 and abs(first["lon"] - 2.35339) < 1e-4
    assert (
        client.get(
            "/api/v1/geo/addresses?q=rue qui n existe pas du tout", **bearer(reception)
        ).json()
        == []
    )
    assert client.get("/api/v1/geo/addresses?q=x", **bearer(reception)).status_code == 422
