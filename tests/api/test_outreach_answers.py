"""The outreach answers, read by the API's schemas from the rows: a round, a contact, head counts
and the gathering places say what was recorded, field by field."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.outreach.models import GatheringPlace, Round

Login = Callable[[User], HttpClient]


def post(http: HttpClient, path: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    response = http.post("/api/v1" + path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_a_round_its_contact_and_a_head_count_come_back_as_recorded(
    login: Login, worker: User, team: object, stalingrad: GatheringPlace
) -> None:
    http = login(worker)
    team_id = str(team.public_id)  # type: ignore[attr-defined]
    place_id = str(stalingrad.public_id)
    status, started = post(http, "/rounds", {"team": team_id, "place": place_id})
    assert status == 201
    round_ = Round.objects.get(public_id=started["id"])
    assert started == {
        "id": str(round_.public_id),
        "team": team_id,
        "zone": round_.zone,
        "place": place_id,
        "started_at": started["started_at"],
        "ended_at": None,
    }
    status, contact = post(http, f"/rounds/{round_.public_id}/contacts", {"anonymous": True})
    assert status == 201
    assert contact == {
        "visit": contact["visit"],
        "round": str(round_.public_id),
        "anonymous": True,
        "is_new": False,
        "place": place_id,  # the round's place
    }
    status, ended = post(http, f"/rounds/{round_.public_id}/end", {})
    assert status == 200 and ended["ended_at"] is not None and ended["place"] == place_id
    status, counted = post(http, "/head-counts", {"team": team_id, "place": place_id, "count": 7})
    assert status == 201
    assert counted == {
        "place": place_id,
        "place_name": stalingrad.name,
        "counted_at": counted["counted_at"],
        "count": 7,
    }
    listed = http.get("/api/v1/head-counts", {"place": place_id}).json()
    assert listed == [counted]
    places = http.get("/api/v1/gathering-places").json()
    assert places == [
        {
            "id": place_id,
            "slug": "stalingrad",
            "name": stalingrad.name,
            "zone": "stalingrad",
            "area_name": stalingrad.area_name,
            "lon": stalingrad.lon,
            "lat": stalingrad.lat,
            "source": stalingrad.source,
        }
    ]
