"""The planning API: create, solve, read; 422 on bad input with nothing written; 404 for site
staff; CSRF for session posts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from halte.accounts.models import User
from halte.accounts.services import api_token_issue
from halte.jobs.models import Job
from halte.network.models import Site
from halte.planning.models import Scenario

BASE = "/api/v1/planning/scenarios"


def bearer(user: User) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}


def payload(site: Site, project_site: Site, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Par l'API",
        "model": "mclp",
        "p": 2,
        "radius_m": 1500,
        "rules": {"school_min_distance_m": 300, "forbid_near_schools": False},
        "demand": [
            {"label": "Stalingrad", "lon": 2.3695, "lat": 48.8833, "weight": 50},
            {"label": "Gambetta", "lon": 2.3985, "lat": 48.8650, "weight": 30},
        ],
        "candidates": [
            {"site_id": str(site.public_id), "must_open": True},
            {"site_id": str(project_site.public_id)},
            {"label": "Point saisi", "lon": 2.3800, "lat": 48.8850, "capacity": 20},
        ],
    }
    body.update(overrides)
    return body


def test_create_solve_and_read(
    client: Client, coordinator: User, site: Site, project_site: Site
) -> None:
    auth = bearer(coordinator)
    created = client.post(
        BASE, payload(site, project_site), content_type="application/json", **auth
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"]["status"] == "draft" and body["result"] is None
    pelleport = body["candidates"][1]
    assert pelleport["near_school"] and pelleport["school_distance_m"] == pytest.approx(256, abs=1)
    solved = client.post(f"{BASE}/{body['id']}/solve?wait=true", **auth)
    assert solved.status_code == 200
    result = solved.json()["result"]
    assert result["proven_optimal"] is True and result["solver_status"] == "optimal"
    assert result["people_total"] == 80
    read = client.get(f"{BASE}/{body['id']}", **auth).json()
    assert read["status"]["progress"] == 100 and read["result"] == result
    assert [s["name"] for s in client.get(BASE, **auth).json()] == ["Par l'API"]


def test_solve_without_wait_answers_202_with_the_status_to_poll(
    client: Client,
    coordinator: User,
    site: Site,
    project_site: Site,
) -> None:
    auth = bearer(coordinator)
    scenario_id = client.post(
        BASE, payload(site, project_site), content_type="application/json", **auth
    ).json()["id"]
    response = client.post(f"{BASE}/{scenario_id}/solve", **auth)
    assert response.status_code == 202
    assert response.json()["status"] == "queued" and response.json()["done"] is False
    # The worker's job was written with the answer.
    assert Job.objects.filter(kind="planning.solve", status="waiting").count() == 1
    again = client.post(f"{BASE}/{scenario_id}/solve", **auth)
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


@pytest.mark.parametrize(
    "overrides",
    [
        {"p": 0},
        {"p": 4},
        {"radius_m": 0},
        {"radius_m": 20_001},
        {"radius_m": None},
        {"model": "voronoi"},
        {"demand": []},
        {"demand": [{"lon": 4.835, "lat": 45.764, "weight": 1}]},
        {"demand": [{"lon": 2.37, "lat": 48.88, "weight": 1}] * 5001},
        {"candidates": [{"lon": 2.37, "lat": 48.88}] * 501},
        {"candidates": [{"label": "Sans point"}]},
        {"candidates": [{"site_id": "6f1c5d7e-0000-4000-8000-000000000000"}]},
        {"model": "capacitated_p_median"},
    ],
)
def test_bad_input_is_a_clear_422_and_writes_nothing(
    client: Client, coordinator: User, site: Site, project_site: Site, overrides: dict[str, Any]
) -> None:
    response = client.post(
        BASE,
        payload(site, project_site, **overrides),
        content_type="application/json",
        **bearer(coordinator),
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] in {"invalid_input", "rule_refused"} and error["message"]
    assert Scenario.objects.count() == 0


def test_site_staff_get_404_everywhere_and_evaluators_only_read(
    client: Client,
    coordinator: User,
    evaluator: User,
    reception: User,
    site: Site,
    project_site: Site,
) -> None:
    scenario_id = client.post(
        BASE, payload(site, project_site), content_type="application/json", **bearer(coordinator)
    ).json()["id"]
    staff = bearer(reception)
    assert client.get(BASE, **staff).status_code == 404
    assert client.get(f"{BASE}/{scenario_id}", **staff).status_code == 404
    assert client.post(f"{BASE}/{scenario_id}/solve", **staff).status_code == 404
    assert (
        client.post(
            BASE, payload(site, project_site), content_type="application/json", **staff
        ).status_code
        == 404
    )
    reader = bearer(evaluator)
    assert client.get(f"{BASE}/{scenario_id}", **reader).status_code == 200
    assert client.post(f"{BASE}/{scenario_id}/solve", **reader).status_code == 403
    assert client.get(BASE, **{}).status_code == 401


def test_session_posts_need_the_csrf_token(
    coordinator: User, site: Site, project_site: Site
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)
    response = browser.post(BASE, payload(site, project_site), content_type="application/json")
    assert response.status_code in {401, 403}
    assert Scenario.objects.count() == 0
