"""A test result or a psychiatric detail reaches the care team only: reception, educators, the
manager and the evaluator never receive it, on any screen or in any API answer."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.care.services import care_act_record, referral_create
from halte.visits.models import Visit
from tests.care.conftest import Api

SECRET_MARKERS = ("Positif", "positive", "Crise prise en charge", "crisis", "antécédents psych")


@pytest.fixture
def secrets_recorded(nurse: User, visit: Visit, educator: User) -> Visit:
    care_act_record(actor=nurse, visit=visit, kind="trod_hcv", result="positive")
    care_act_record(
        actor=nurse,
        visit=visit,
        kind="psychiatric_consultation",
        psychiatric_history=True,
        psychiatric_outcome="crisis",
    )
    referral_create(actor=educator, site=visit.site, visit=visit, destination_kind="psychiatry")
    return visit


def recorded_part(html: str) -> str:
    """What a page shows of recorded data: the care forms (whose choices name every possible
    result) are left out for a manager, who records acts but does not read them back."""
    return re.sub(r"<form.*?</form>", "", html, flags=re.S)


def pages(visit: Visit) -> list[str]:
    site = visit.site.public_id
    client = visit.client
    assert client is not None
    return [
        reverse("care:visit", kwargs={"visit_id": visit.public_id}),
        reverse("care:referrals", kwargs={"site_id": site}),
        reverse("care:stock", kwargs={"site_id": site}),
        reverse("www:reception", kwargs={"site_id": site}),
        reverse("www:client", kwargs={"client_id": client.public_id}),
    ]


def test_the_nurse_reads_the_result(
    secrets_recorded: Visit, nurse: User, login: Callable[[User], HttpClient]
) -> None:
    page = login(nurse).get(pages(secrets_recorded)[0]).content.decode()
    assert "Dépistage VHC (TROD)" in page and "Positif" in page and "Crise prise en charge" in page
    body = Api(nurse).get(f"/visits/{secrets_recorded.public_id}/care").json()
    results = [a["confidential"]["result"] for a in body["care_acts"]]
    assert "positive" in results


@pytest.mark.parametrize("who", ["reception", "educator", "manager"])
def test_colleagues_see_that_a_test_was_done_never_its_result(
    who: str,
    secrets_recorded: Visit,
    request: pytest.FixtureRequest,
    login: Callable[..., HttpClient],
) -> None:
    user: User = request.getfixturevalue(who)
    http = login(user)
    visit_page = http.get(pages(secrets_recorded)[0]).content.decode()
    assert "Dépistage VHC (TROD)" in visit_page  # that it was done is shared with the team
    assert "Consultation psychiatrique" in visit_page
    for url in pages(secrets_recorded):
        response = http.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        text = recorded_part(text) if who == "manager" else text
        assert not any(marker in text for marker in SECRET_MARKERS), url
    body = Api(user).get(f"/visits/{secrets_recorded.public_id}/care")
    assert body.status_code == 200
    assert all(act["confidential"] is None for act in body.json()["care_acts"])
    assert not any(marker in body.content.decode() for marker in SECRET_MARKERS)


def test_a_manager_recording_a_test_gets_no_result_back(manager: User, visit: Visit) -> None:
    response = Api(manager).post(
        "/care-acts", {"visit": str(visit.public_id), "kind": "trod_hiv", "result": "positive"}
    )
    assert response.status_code == 201
    assert response.json()["confidential"] is None
    assert "positive" not in response.content.decode()


def test_the_evaluator_reaches_nothing_of_the_person(
    secrets_recorded: Visit, evaluator: User, login: Callable[[User], HttpClient]
) -> None:
    http = login(evaluator)
    for url in pages(secrets_recorded)[:2] + pages(secrets_recorded)[3:]:
        response = http.get(url)
        assert response.status_code == 404, url
        assert not any(marker in response.content.decode() for marker in SECRET_MARKERS)
    # The stock holds counts only: the evaluator may read it, and it holds nothing personal.
    stock = http.get(pages(secrets_recorded)[2])
    assert stock.status_code == 200
    assert not any(marker in stock.content.decode() for marker in SECRET_MARKERS)
    api = Api(evaluator)
    assert api.get(f"/visits/{secrets_recorded.public_id}/care").status_code == 404
    assert api.get(f"/sites/{secrets_recorded.site.public_id}/stock").status_code == 200
    refused = api.post("/care-acts", {"visit": str(secrets_recorded.public_id), "kind": "nursing"})
    assert refused.status_code == 404
