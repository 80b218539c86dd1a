"""The neighbourhood API: the public create (no sign-in, limited per address, a reference back),
staff read and triage, pick-ups, rounds and committees; the contact for the coordinator only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from halte.accounts.models import User
from halte.neighbourhood.models import NeighbourhoodReport, Pickup, ReportContact
from halte.network.models import Site
from tests.api_client import Api
from tests.neighbourhood.conftest import EOLE, LARIBOISIERE

pytestmark = pytest.mark.django_db

PUBLIC = {
    "kind": "public_consumption",
    "seen_at": "2026-12-04T21:30:00",
    "lon": LARIBOISIERE[0],
    "lat": LARIBOISIERE[1],
    "description": "Deux personnes qui fument devant l'école",
    "contact": "voisin@example.org",
}


def _public_post(body: dict[str, object], addr: str = "203.0.113.9") -> object:
    return Client().post(
        "/api/v1/neighbourhood-reports",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=addr,
    )


def test_a_resident_reports_without_signing_in_and_gets_a_reference() -> None:
    answer = _public_post(PUBLIC)
    assert answer.status_code == 201, answer.content  # type: ignore[attr-defined]
    body = answer.json()  # type: ignore[attr-defined]
    assert set(body) == {"reference", "received_at"}
    report = NeighbourhoodReport.objects.get()
    assert body["reference"] == report.reference and report.channel == "public_form"
    assert ReportContact.objects.get().contact == "voisin@example.org"


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "ufo"},
        {"description": "x" * 501},
        {"contact": "x" * 121},
        {"lon": None, "lat": None, "address": ""},
        {"seen_at": "2099-01-01T10:00:00"},
        {"surprise": 1},
    ],
)
def test_bad_public_input_is_a_422_and_stores_nothing(bad: dict[str, object]) -> None:
    answer = _public_post({**PUBLIC, **bad})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert not NeighbourhoodReport.objects.exists()


def test_the_public_create_is_limited_per_address(settings: Any) -> None:
    """The operation's limiter is built at import from the "write" rate: post that many times."""
    allowed = int(settings.HALTE_PUBLIC_RATES["write"].split("/")[0])
    codes = [_public_post(PUBLIC).status_code for _ in range(allowed + 2)]  # type: ignore[attr-defined]
    assert codes == [201] * allowed + [429, 429]
    assert NeighbourhoodReport.objects.count() == allowed
    assert _public_post(PUBLIC, addr="198.51.100.4").status_code == 201  # type: ignore[attr-defined]


def test_staff_triage_answer_and_close_through_the_api(
    coordinator: User, manager: User, site: Site
) -> None:
    _public_post(PUBLIC)
    report = NeighbourhoodReport.objects.get()
    coord, mgr = Api(coordinator), Api(manager)
    # The manager sees nothing until the report is given to their site.
    assert mgr.get("/neighbourhood-reports").json() == []
    assert mgr.get(f"/neighbourhood-reports/{report.public_id}").status_code == 404
    listed = coord.get("/neighbourhood-reports").json()
    assert len(listed) == 1 and "contact" not in listed[0]
    detail = coord.get(f"/neighbourhood-reports/{report.public_id}").json()
    assert detail["contact"] == "voisin@example.org"
    answer = coord.post(
        f"/neighbourhood-reports/{report.public_id}/triage", {"site": str(site.public_id)}, key="t1"
    )
    assert answer.status_code == 200 and answer.json()["status"] == "triaged"
    # Not the manager's to triage; theirs to answer and close; never their contact to read.
    assert (
        mgr.post(
            f"/neighbourhood-reports/{report.public_id}/triage", {"site": str(site.public_id)}
        ).status_code
        == 404
    )
    seen = mgr.get(f"/neighbourhood-reports/{report.public_id}").json()
    assert seen["contact"] is None and "voisin" not in json.dumps(seen)
    assert (
        mgr.post(f"/neighbourhood-reports/{report.public_id}/answer").json()["hours_to_answer"]
        is not None
    )
    closed = mgr.post(
        f"/neighbourhood-reports/{report.public_id}/close",
        {"outcome": "mediation_done", "note": "Passage de l'équipe à 22 h"},
        key="c1",
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    again = mgr.post(
        f"/neighbourhood-reports/{report.public_id}/close",
        {"outcome": "mediation_done", "note": "Passage de l'équipe à 22 h"},
        key="c1",
    )
    assert again.status_code == 200  # replayed, not closed twice
    assert (
        mgr.post(
            f"/neighbourhood-reports/{report.public_id}/close", {"outcome": "other"}
        ).status_code
        == 409
    )


def test_staff_log_a_report_received_by_phone(educator: User, site: Site, evaluator: User) -> None:
    body = {**PUBLIC, "channel": "phone", "site": str(site.public_id)}
    api = Api(educator)
    answer = api.post("/neighbourhood-reports/logged", body, key="l1")
    assert answer.status_code == 201 and answer.json()["channel"] == "phone"
    assert answer.json()["contact"] is None
    assert api.post("/neighbourhood-reports/logged", body, key="l1").status_code == 201
    assert NeighbourhoodReport.objects.count() == 1
    assert Api(evaluator).post("/neighbourhood-reports/logged", body).status_code == 404
    public = {**body, "channel": "public_form"}
    assert api.post("/neighbourhood-reports/logged", public).status_code == 422


def test_a_pickup_round_through_the_api(team: Site, outreach_worker: User, reception: User) -> None:
    api = Api(outreach_worker)
    started = api.post(
        "/mediation-rounds", {"site": str(team.public_id), "kind": "pickup"}, key="r1"
    )
    assert started.status_code == 201
    round_id = started.json()["id"]
    find = {
        "team": str(team.public_id),
        "round": round_id,
        "item": "syringe",
        "place_kind": "park",
        "count": 4,
        "lon": EOLE[0],
        "lat": EOLE[1],
    }
    assert api.post("/pickups", find, key="p1").status_code == 201
    assert api.post("/pickups", find, key="p1").status_code == 201  # replay
    assert Pickup.objects.count() == 1
    assert api.post("/pickups", {**find, "count": 0}).status_code == 422
    assert Api(reception).post("/pickups", find).status_code == 404
    ended = api.post(f"/mediation-rounds/{round_id}/end", {"people_met": 3})
    assert ended.status_code == 200 and ended.json()["ended_at"]
    listed = Api(reception).get("/pickups").json()
    assert listed[0]["area_code"] == "75118" and listed[0]["count"] == 4
    assert "recorded_by" not in listed[0]


def test_committees_and_decisions_through_the_api(
    manager: User, site: Site, reception: User
) -> None:
    api = Api(manager)
    body = {"site": str(site.public_id), "held_on": "2026-11-20", "residents": 14, "police": 2}
    made = api.post("/committees", body, key="k1")
    assert made.status_code == 201
    cid = made.json()["id"]
    assert Api(reception).post("/committees", body).status_code == 404
    decision = api.post(
        f"/committees/{cid}/decisions",
        {"text": "Éclairage du square", "owner_label": "Mairie du 10e", "due_on": "2026-11-30"},
    )
    assert decision.status_code == 201 and decision.json()["overdue"] is True
    done = api.post(f"/committees/decisions/{decision.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_on"]
    listed = Api(reception).get("/committees").json()
    assert listed[0]["decisions"][0]["overdue"] is False


def test_lists_keep_to_a_query_budget(
    coordinator: User, team: Site, django_assert_max_num_queries: object
) -> None:
    for _ in range(5):
        _public_post(PUBLIC, addr=f"203.0.113.{_}")
    api = Api(coordinator)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert len(api.get("/neighbourhood-reports").json()) == 5
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        api.get("/pickups")
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        api.get("/committees")
