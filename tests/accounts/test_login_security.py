"""Logins: lockout after repeated failures, idle sessions end, passwords hashed with Argon2."""

from __future__ import annotations

import time

from django.test import Client, override_settings
from django.urls import reverse

from halte.accounts.middleware import LAST_SEEN
from halte.accounts.models import User
from halte.network.models import Site
from tests.conftest import PASSWORD


def test_account_locks_after_five_failures_even_with_the_right_password(
    client: Client, reception: User
) -> None:
    url = reverse("www:login")
    for _ in range(5):
        response = client.post(url, {"username": "reception", "password": "wrong"})
        assert "incorrect" in response.text
    locked = client.post(url, {"username": "reception", "password": PASSWORD})
    assert locked.status_code == 200 and "verrouillé" in locked.text
    assert "_auth_user_id" not in client.session


def test_a_success_clears_earlier_failures(client: Client, reception: User) -> None:
    url = reverse("www:login")
    for _ in range(4):
        client.post(url, {"username": "reception", "password": "wrong"})
    assert client.post(url, {"username": "reception", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(url, {"username": "reception", "password": "wrong"})
    assert client.post(url, {"username": "reception", "password": PASSWORD}).status_code == 302


def test_idle_session_ends_but_automatic_refreshes_do_not_keep_it_alive(
    client: Client, site: Site, reception: User
) -> None:
    client.force_login(reception)
    assert client.get(reverse("www:map")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 16 * 60
    session.save()
    # A background refresh neither renews the session nor is served.
    background = client.get(reverse("www:map"), HTTP_X_REQUESTED_WITH="fetch")
    assert background.status_code == 401
    assert client.get(reverse("www:map")).status_code == 302


def test_recent_activity_keeps_the_session(client: Client, site: Site, reception: User) -> None:
    client.force_login(reception)
    client.get(reverse("www:map"))
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 5 * 60
    session.save()
    assert client.get(reverse("www:map")).status_code == 200


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(db: None) -> None:
    user = User.objects.create_user(username="new-nurse", password="a-long-password-2026")
    assert user.password.startswith("argon2$argon2id$")
