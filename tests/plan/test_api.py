"""The plan board's API: the coordination writes actions, statuses and budget; the team records an
evacuation with people by code, once per Idempotency-Key; codes go back to the team only; an
evaluator reads the follow-up masked; the access matrix of every plan endpoint by role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.clients.models import Client as Person
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.models import Evacuation, PlanAction, PlanEdition
from halte.plan.services import action_create
from tests.api_client import Api

DAY0 = local_today() - dt.timedelta(days=100)


def _evacuation_body(place: GatheringPlace, team: Site, people: list[Person]) -> dict[str, Any]:
    return {
        "place": str(place.public_id),
        "team": str(team.public_id),
        "happened_on": DAY0.isoformat(),
        "people_present": 25,
        "oriented": [{"code": p.display_code, "destination_kind": "lodging"} for p in people],
    }


def test_the_team_records_an_evacuation_once_per_idempotency_key(
    worker: User, team: Site, stalingrad: GatheringPlace, people: list[Person]
) -> None:
    api = Api(worker)
    body = _evacuation_body(stalingrad, team, people[:2])
    first = api.post("/plan/evacuations", body, key="evac-1")
    again = api.post("/plan/evacuations", body, key="evac-1")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json()
    assert Evacuation.objects.count() == 1
    answer = first.json()
    assert answer["oriented"] == 2 and answer["masked"] is False
    assert sorted(p["code"] for p in answer["people"]) == sorted(p.display_code for p in people[:2])
    assert [w["days"] for w in answer["followup"]] == [7, 30, 90]


def test_bad_input_is_refused_and_writes_nothing(
    worker: User, coordinator: User, team: Site, stalingrad: GatheringPlace, people: list[Person]
) -> None:
    api = Api(worker)
    unknown = _evacuation_body(stalingrad, team, [])
    unknown["oriented"] = [{"code": "ZZZ-999-99", "destination_kind": "csapa"}]
    assert api.post("/plan/evacuations", unknown).status_code == 422
    too_many = _evacuation_body(stalingrad, team, people) | {"people_present": 1}
    assert api.post("/plan/evacuations", too_many).status_code == 422
    bad_kind = _evacuation_body(stalingrad, team, people[:1])
    bad_kind["oriented"][0]["destination_kind"] = "prison"
    assert api.post("/plan/evacuations", bad_kind).status_code == 422
    named = Api(coordinator).post("/plan/evacuations", _evacuation_body(stalingrad, team, people))
    assert named.status_code == 422
    assert not Evacuation.objects.exists()


def test_an_evaluator_reads_the_follow_up_masked_and_no_code(
    evaluator: User,
    coordinator: User,
    people: list[Person],
    evacuate: Callable[..., Evacuation],
) -> None:
    evacuation = evacuate(DAY0, people, "rest_space", present=25)
    masked = Api(evaluator).get(f"/plan/evacuations/{evacuation.public_id}").json()
    exact = Api(coordinator).get(f"/plan/evacuations/{evacuation.public_id}").json()
    assert (masked["oriented"], masked["masked"], masked["people"]) == (None, True, None)
    assert (exact["oriented"], exact["masked"], exact["people"]) == (3, False, None)
    assert masked["followup"][0]["seen"] is None and exact["followup"][0]["seen"] == 0


def test_the_coordination_keeps_actions_and_budget(
    coordinator: User, manager: User, edition: PlanEdition
) -> None:
    api = Api(coordinator)
    created = api.post(
        "/plan/actions",
        {
            "edition": str(edition.public_id),
            "number": 3,
            "title": "Renforcer les maraudes (inventé)",
            "axis": "outreach",
            "owner": "Ville de Paris (DASES)",
            "due_on": (local_today() - dt.timedelta(days=2)).isoformat(),
            "status_since": "2019-05-27",
        },
        key="action-3",
    )
    assert created.status_code == 201 and created.json()["overdue"] is True
    action_id = created.json()["id"]
    moved = api.post(f"/plan/actions/{action_id}/status", {"status": "done"}, key="s-1")
    assert moved.status_code == 200
    assert [h["to_status"] for h in moved.json()["history"]] == ["done", "planned"]  # latest first
    assert api.get("/plan/actions").json()[0]["overdue"] is False
    line = api.post(
        "/plan/budget",
        {"edition": str(edition.public_id), "year": 2019, "amount": "3000000"},
        key="b-1",
    )
    assert line.status_code == 201
    rows = api.get("/plan/budget?first_year=2019&last_year=2021").json()
    assert [r["year"] for r in rows] == [2019, 2020, 2021]
    assert float(rows[0]["planned"]) == 3_000_000 and float(rows[0]["difference"]) == -3_000_000
    out_of_plan = api.post(
        "/plan/budget", {"edition": str(edition.public_id), "year": 2022, "amount": "1"}
    )
    assert out_of_plan.status_code == 422
    refused = Api(manager).post(
        "/plan/actions",
        {
            "edition": str(edition.public_id),
            "number": 4,
            "title": "x",
            "axis": "care",
            "owner": "y",
        },
    )
    assert refused.status_code == 404 and PlanAction.objects.count() == 1


@pytest.fixture
def cast(
    worker: User,
    coordinator: User,
    evaluator: User,
    manager: User,
    admin_user: User,
    other_nurse: User,
    people: list[Person],
    edition: PlanEdition,
    evacuate: Callable[..., Evacuation],
) -> dict[str, Any]:
    evacuation = evacuate(DAY0, people[:1], "csapa", present=25)
    action = action_create(
        actor=coordinator, edition=edition, number=1, title="t", axis="care", owner="ARS"
    )
    return {
        "users": {
            "worker": worker,
            "coordinator": coordinator,
            "evaluator": evaluator,
            "manager": manager,
            "admin": admin_user,
            "stranger": other_nurse,
        },
        "evacuation": evacuation,
        "action": action,
        "code": people[0].display_code,
    }


def test_the_access_matrix_of_the_plan_endpoints(cast: dict[str, Any]) -> None:
    """Every plan endpoint × role: all staff read (counts); only the coordination writes the plan;
    only the team reads the codes; screens answer the same way."""
    evacuation, action, code = cast["evacuation"], cast["action"], cast["code"]
    reads = [
        "/plan/editions",
        "/plan/actions",
        f"/plan/actions/{action.public_id}",
        "/plan/budget",
        "/plan/evacuations",
        f"/plan/evacuations/{evacuation.public_id}",
    ]
    screens = [
        "/plan/",
        f"/plan/actions/{action.public_id}/",
        "/plan/budget/",
        "/plan/evacuations/",
        f"/plan/evacuations/{evacuation.public_id}/",
        f"/plan/lieux/{evacuation.place.public_id}/",
    ]
    problems: list[str] = []
    for name, user in cast["users"].items():
        api = Api(user)
        from django.test import Client

        http = Client()
        http.force_login(user)
        for url in reads:
            answer = api.get(url)
            if answer.status_code != 200:
                problems.append(f"{name} GET {url} → {answer.status_code}")
            if name != "worker" and code in answer.content.decode():
                problems.append(f"{name} GET {url} shows a code")
        for url in screens:
            page = http.get(url)
            if page.status_code != 200:
                problems.append(f"{name} screen {url} → {page.status_code}")
            if name != "worker" and code in page.content.decode():
                problems.append(f"{name} screen {url} shows a code")
        status = api.post(f"/plan/actions/{action.public_id}/status", {"status": "in_progress"})
        expected = 200 if name in {"coordinator", "admin"} else 404
        if status.status_code != expected and not (expected == 200 and status.status_code == 422):
            problems.append(f"{name} POST status → {status.status_code}")
        if name in {"coordinator", "admin"}:
            api.post(f"/plan/actions/{action.public_id}/status", {"status": "planned"})
    assert problems == []
    # Control: the team's worker does get the code, so the check above could fail.
    assert code in Api(cast["users"]["worker"]).get(reads[-1]).content.decode()
    outsider = User.objects.create_user(username="nobody", password="x" * 20)
    assert Api(outsider).get("/plan/actions").status_code == 404
    assert Api(outsider).get(reads[-1]).status_code == 404
