"""Idempotency-Key: twins sent at once all get the first answer; the record of a request cannot
confirm a guess of the identity it carried."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import requests
from django.db import connections
from django.test import Client as HttpClient
from django.test import override_settings

from halte.accounts.models import User
from halte.accounts.services import api_token_issue
from halte.clients.models import Client
from halte.core.models import IdempotencyRecord
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import visit_close
from tests.frontdesk.conftest import IDENTITY
from tests.race import REPEAT, THREADS, race

# Identical requests over real HTTP, half the crowd of the other races: each goes through the
# live server's threads.
TWINS = max(2, THREADS // 2)


def send_twins(url: str, body: dict[str, Any], headers: dict[str, str]) -> list[Any]:
    """TWINS identical requests released together over real HTTP, as a tablet's retries."""
    return race(lambda i: requests.post(url, json=body, headers=headers, timeout=60), threads=TWINS)


@pytest.mark.django_db(transaction=True)
def test_twins_with_one_key_all_get_the_first_answer(
    live_server: Any, room: Site, client_person: Client, reception: User
) -> None:
    token = api_token_issue(user=reception)
    body = {"site": str(room.public_id), "client": str(client_person.public_id)}
    for attempt in range(REPEAT):
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"tablet-7-{attempt}"}
        results = send_twins(f"{live_server.url}/api/v1/visits", body, headers)
        statuses = [getattr(r, "status_code", r) for r in results]
        assert statuses == [201] * TWINS, statuses
        assert len({r.json()["id"] for r in results}) == 1
        assert sum(r.headers.get("Idempotent-Replayed") == "true" for r in results) == TWINS - 1
        visits = Visit.objects.filter(client=client_person, left_at__isnull=True)
        assert visits.count() == 1
        visit_close(actor=reception, visit=visits.get())
    connections.close_all()


def post(http: HttpClient, token: str, path: str, body: dict[str, Any], key: str) -> Any:
    return http.post(
        f"/api/v1{path}",
        json.dumps(body, default=str),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.mark.django_db
def test_a_refusal_is_the_answer_for_its_key_too(
    room: Site, client_person: Client, reception: User
) -> None:
    http = HttpClient()
    token = api_token_issue(user=reception)
    body = {"site": str(room.public_id), "client": str(client_person.public_id)}
    assert post(http, token, "/visits", body, "k-1").status_code == 201
    refused = post(http, token, "/visits", body, "k-2")
    assert refused.status_code == 409
    again = post(http, token, "/visits", body, "k-2")
    assert again.status_code == 409 and again.json() == refused.json()
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_the_record_of_a_registration_cannot_confirm_a_guessed_identity(
    room: Site, reception: User
) -> None:
    http = HttpClient()
    token = api_token_issue(user=reception)
    body = {
        **{k: str(v) for k, v in IDENTITY.items()},
        "site": str(room.public_id),
    }
    answer = post(http, token, "/clients", body, "register-1")
    assert answer.status_code == 201
    record = IdempotencyRecord.objects.get(key="register-1")
    raw = json.dumps(body, default=str).encode()
    # Someone with a copy of the database and a guess of the body cannot check the guess.
    guesses = {
        hashlib.sha256(b"/api/v1/clients\0" + raw).hexdigest(),
        hashlib.sha256(raw).hexdigest(),
        hashlib.sha256(b"/api/v1/clients" + raw).hexdigest(),
    }
    assert record.fingerprint not in guesses
    for column in ("fingerprint", "body", "key", "principal"):
        value = str(getattr(record, column))
        assert IDENTITY["family_name"] not in value and IDENTITY["given_name"] not in value
    # The fingerprint depends on the server's secret: another secret, another fingerprint.
    with override_settings(SECRET_KEY="another-secret-" + "k" * 50):
        replay = post(http, token, "/clients", body, "register-1")
    assert replay.status_code == 422
    assert replay.json()["error"]["code"] == "idempotency_key_reused"
    assert post(http, token, "/clients", body, "register-1").json() == answer.json()
