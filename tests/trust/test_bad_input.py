"""Bad input gets a clear 4xx and writes nothing: malformed JSON, wrong types, unknown fields,
huge payloads, dates in the future or before 1900, times that do not exist in Paris."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.accounts.services import api_token_issue
from halte.network.models import Site
from halte.visits.models import Visit


@pytest.fixture
def post(room: Site, reception: User) -> Any:
    http = HttpClient()
    token = api_token_issue(user=reception)

    def send(body: bytes | str, path: str = "/api/v1/visits") -> Any:
        return http.generic(
            "POST",
            path,
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    return send


def visit(room: Site, **changes: Any) -> str:
    return json.dumps(
        {"site": str(room.public_id), "anonymous": True, "purposes": ["material"], **changes}
    )


@pytest.mark.parametrize(
    ("changes", "expected_message"),
    [
        ({"arrived_at": "2026-03-29T02:30:00"}, "n'existe pas à Paris"),
        ({"arrived_at": "2026-10-25T02:30:00"}, "existe deux fois"),
        ({"arrived_at": "1899-12-31T10:00:00+01:00"}, "1900"),
        ({"arrived_at": "2099-01-01T10:00:00+01:00"}, "futur"),
        ({"arrived_at": "hier"}, ""),
        ({"purposes": "material"}, ""),
        ({"purposes": ["teleportation"]}, ""),
        ({"site": "not-a-uuid"}, ""),
        ({"colour": "blue"}, ""),
    ],
)
def test_bad_fields_are_a_422_and_write_nothing(
    post: Any, room: Site, changes: dict[str, Any], expected_message: str
) -> None:
    response = post(visit(room, **changes))
    assert response.status_code == 422, response.content
    assert expected_message in json.dumps(response.json(), ensure_ascii=False)
    assert not Visit.objects.exists()


def test_an_existing_paris_time_without_offset_is_read_as_paris_time(post: Any, room: Site) -> None:
    from halte.core.timeutils import local_today

    day = local_today().isoformat()
    response = post(visit(room, arrived_at=f"{day}T00:00:30"))
    assert response.status_code == 201, response.content
    assert response.json()["arrived_at"].startswith(day)


def test_malformed_json_and_huge_payloads_are_refused(post: Any, room: Site) -> None:
    assert post('{"site": ').status_code in (400, 422)
    assert post(b"\xff\xfe not json").status_code in (400, 422)
    huge = visit(room, padding="x" * (2 * 1024 * 1024))
    response = post(huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert not Visit.objects.exists()
