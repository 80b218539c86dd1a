"""One login, one lock, one second factor, whichever door is used: the login page, the admin's,
the API with the browser's session."""

from __future__ import annotations

import json

from django.contrib.auth import authenticate
from django.test import Client, override_settings
from django.urls import reverse

from halte.accounts import totp
from halte.accounts.models import TotpDevice, User
from halte.network.models import Site
from halte.planning.models import Scenario
from tests.accounts.test_second_factor import current_code
from tests.conftest import PASSWORD


def lock(user: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("www:login"), {"username": user.username, "password": "wrong"})


def enrol(user: User) -> None:
    TotpDevice.objects.create(
        user=user, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00:00Z"
    )


def test_the_admins_login_page_does_not_open_a_locked_account(admin_user: User) -> None:
    lock(admin_user)
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # The lock still holds on the main door: the admin's did not clear it.
    again = client.post(reverse("www:login"), {"username": "admin", "password": PASSWORD})
    assert "verrouillé" in again.text and "_auth_user_id" not in client.session
    # The admin's door leads to the main one, keeping where to go next.
    assert response.status_code == 302 and response.url == "/connexion/?next=/admin/"


def test_the_lock_is_the_backends_so_no_door_can_skip_it(admin_user: User) -> None:
    assert authenticate(username="admin", password=PASSWORD) == admin_user
    lock(admin_user)
    assert authenticate(username="admin", password=PASSWORD) is None
    assert authenticate(username="ADMIN", password=PASSWORD) is None


def test_the_admin_asks_for_the_second_factor_too(admin_user: User) -> None:
    enrol(admin_user)
    client = Client()
    client.post(reverse("www:login"), {"username": "admin", "password": PASSWORD})
    page = client.get("/admin/")
    assert page.status_code == 302 and page.url.startswith("/compte/second-facteur/")
    client.post(reverse("www:second_factor"), {"code": current_code(admin_user)})
    assert client.get("/admin/").status_code == 200


def scenario_body() -> str:
    return json.dumps(
        {
            "name": "Plan",
            "model": "p_median",
            "p": 1,
            "demand": [{"lon": 2.36, "lat": 48.88}],
            "candidates": [{"label": "A", "lon": 2.35, "lat": 48.85}],
        }
    )


def test_the_api_refuses_a_session_that_has_typed_only_the_password(coordinator: User) -> None:
    enrol(coordinator)
    client = Client()
    client.post(reverse("www:login"), {"username": "coordinator", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    read = client.get("/api/v1/sites")
    assert read.status_code == 401 and read.json()["error"]["code"] == "unauthenticated"
    write = client.post("/api/v1/planning/scenarios", scenario_body(), "application/json")
    assert write.status_code == 401 and Scenario.objects.count() == 0
    # Once the code is typed, the same session reads and writes.
    client.post(reverse("www:second_factor"), {"code": current_code(coordinator)})
    assert client.get("/api/v1/sites").status_code == 200
    assert (
        client.post("/api/v1/planning/scenarios", scenario_body(), "application/json").status_code
        == 201
    )


@override_settings(HALTE_REQUIRE_2FA=True)
def test_where_the_second_factor_is_required_the_api_asks_for_it_before_enrolment(
    site: Site, reception: User
) -> None:
    client = Client()
    client.post(reverse("www:login"), {"username": "reception", "password": PASSWORD})
    assert client.get(f"/api/v1/sites/{site.public_id}/availability").status_code == 401


def test_without_an_authenticator_or_a_requirement_the_session_reads_the_api(
    coordinator: User,
) -> None:
    client = Client()
    client.post(reverse("www:login"), {"username": "coordinator", "password": PASSWORD})
    assert client.get("/api/v1/sites").status_code == 200


def test_the_api_refuses_a_session_whose_temporary_password_is_not_replaced(
    coordinator: User,
) -> None:
    coordinator.must_change_password = True
    coordinator.save(update_fields=["must_change_password"])
    client = Client()
    client.post(reverse("www:login"), {"username": "coordinator", "password": PASSWORD})
    assert client.get("/api/v1/sites").status_code == 401
    coordinator.must_change_password = False
    coordinator.save(update_fields=["must_change_password"])
    assert client.get("/api/v1/sites").status_code == 200
