"""The reports API: the same rules and figures as the screens."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from halte.accounts.models import User
from tests.reports.conftest import Activity

Login = Callable[[User], Client]
URL = "/api/v1/reports/hsa-annual"
PERIOD = "start=2025-03-01&end=2025-03-31"


def lines(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {
        line["code"]: line
        for section in body["sections"]  # type: ignore[attr-defined]
        for line in section["lines"]
    }


def test_indicators_list_their_definitions(
    activity: Activity, evaluator: User, login: Login
) -> None:
    body = login(evaluator).get("/api/v1/indicators").json()
    codes = {i["code"]: i for i in body}
    assert (
        codes["file_active"]["sensitive"]
        and "plusieurs sites" in codes["file_active"]["definition"]
    )
    assert {"sessions_by_route", "bed_occupancy", "cost_per_visit", "head_counts"} <= set(codes)


def test_site_report_as_json_for_its_manager(
    activity: Activity, manager: User, login: Login
) -> None:
    response = login(manager).get(f"{URL}?site={activity.site.public_id}&{PERIOD}")
    assert response.status_code == 200
    figures = lines(response.json())
    assert figures["file_active"]["number"] == 12 and figures["opioid_overdoses"]["value"] == "1"
    assert not response.json()["suppressed"]


def test_evaluator_network_report_is_masked(
    activity: Activity, evaluator: User, login: Login
) -> None:
    body = login(evaluator).get(f"{URL}?network=true&{PERIOD}").json()
    figures = lines(body)
    assert body["suppressed"]
    # Safety events are published exactly (docs/reports.md, "Safety events"); people rounded.
    assert (
        figures["opioid_overdoses"]["value"] == "1" and figures["opioid_overdoses"]["number"] == 1
    )
    assert figures["file_active"]["value"] == "15"
    assert figures["new_people"]["value"] == "15"


def test_other_site_is_404_and_network_is_403_for_site_staff(
    activity: Activity, manager: User, login: Login
) -> None:
    client = login(manager)
    assert client.get(f"{URL}?site={activity.other_site.public_id}&{PERIOD}").status_code == 404
    assert client.get(f"{URL}?network=true&{PERIOD}").status_code == 403


def test_bad_parameters_answer_422(activity: Activity, coordinator: User, login: Login) -> None:
    client = login(coordinator)
    assert client.get(f"/api/v1/reports/nope?network=true&{PERIOD}").status_code == 422
    assert client.get(f"{URL}?network=true&start=2025-03-31&end=2025-03-01").status_code == 422
    assert client.get(f"{URL}?{PERIOD}").status_code == 422
    assert client.get(f"{URL}?network=true&start=not-a-date&end=2025-03-01").status_code == 422
    both = client.get(f"{URL}?network=true&site={activity.site.public_id}&{PERIOD}")
    assert both.status_code == 422 and both.json()["error"]["details"][0]["loc"] == ["network"]


def test_files_from_the_api(activity: Activity, coordinator: User, login: Login) -> None:
    client = login(coordinator)
    xlsx = client.get(f"{URL}?network=true&{PERIOD}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv = client.get(f"{URL}?network=true&{PERIOD}&format=csv&external=true")
    assert "<10" in csv.content.decode("utf-8-sig")


def test_anonymous_caller_is_refused(activity: Activity) -> None:
    assert Client().get(f"{URL}?network=true&{PERIOD}").status_code == 401
