"""Care, referrals, material and stock through the API, as a tablet uses it."""

from __future__ import annotations

import pytest

from halte.accounts.models import User
from halte.care.models import CareAct, Distribution, Referral, SocialAct
from halte.care.services import stock_threshold_set
from halte.clients.models import Client
from halte.network.models import Site
from halte.visits.models import Visit
from tests.care.conftest import Api


@pytest.fixture
def nurse_api(nurse: User) -> Api:
    return Api(nurse)


def test_care_act_created_with_its_result_for_the_nurse(nurse_api: Api, visit: Visit) -> None:
    response = nurse_api.post(
        "/care-acts", {"visit": str(visit.public_id), "kind": "trod_hbv", "result": "refused"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "trod_hbv" and body["confidential"]["result"] == "refused"
    assert CareAct.objects.get().result == "refused"


def test_care_act_refusals_are_422_with_the_field(nurse_api: Api, visit: Visit) -> None:
    missing = nurse_api.post("/care-acts", {"visit": str(visit.public_id), "kind": "trod_hiv"})
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["loc"] == ["result"]
    unknown = nurse_api.post("/care-acts", {"visit": str(visit.public_id), "kind": "massage"})
    assert unknown.status_code == 422
    extra = nurse_api.post(
        "/care-acts", {"visit": str(visit.public_id), "kind": "nursing", "note": "texte libre"}
    )
    assert extra.status_code == 422
    reception = Api(User.objects.get(username="reception"))
    assert (
        reception.post("/care-acts", {"visit": str(visit.public_id), "kind": "nursing"}).status_code
        == 422
    )
    assert CareAct.objects.count() == 0


def test_another_sites_visit_is_404(other_manager: User, visit: Visit) -> None:
    api = Api(other_manager)
    for path, body in [
        ("/care-acts", {"visit": str(visit.public_id), "kind": "nursing"}),
        ("/social-acts", {"visit": str(visit.public_id), "kind": "interview"}),
        ("/referrals", {"visit": str(visit.public_id), "destination_kind": "csapa"}),
        (
            "/distributions",
            {"visit": str(visit.public_id), "lines": [{"item": "cup", "quantity": 1}]},
        ),
        (
            "/distributions",
            {"site": str(visit.site.public_id), "lines": [{"item": "cup", "quantity": 1}]},
        ),
    ]:
        assert api.post(path, body).status_code == 404, path
    assert api.get(f"/visits/{visit.public_id}/care").status_code == 404
    assert api.get(f"/sites/{visit.site.public_id}/stock").status_code == 404


def test_social_act_and_idempotency(reception: User, visit: Visit) -> None:
    api = Api(reception)
    body = {"visit": str(visit.public_id), "kind": "domiciliation", "outcome": "obtained"}
    first = api.post("/social-acts", body, key="k-social-1")
    again = api.post("/social-acts", body, key="k-social-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert SocialAct.objects.count() == 1


def test_referral_loop_through_the_api(
    reception: User, visit: Visit, person: Client, desk: Site, other_site: Site
) -> None:
    api = Api(reception)
    created = api.post(
        "/referrals",
        {
            "visit": str(visit.public_id),
            "destination_kind": "network_site",
            "destination_site": str(other_site.public_id),
        },
    )
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["status"] == "proposed"
    accepted = api.post(f"/referrals/{rid}/status", {"status": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["accepted_at"]
    back = api.post(f"/referrals/{rid}/status", {"status": "proposed"})
    assert back.status_code == 422
    done = api.post(f"/referrals/{rid}/status", {"status": "completed"})
    assert done.json()["status"] == "completed" and done.json()["closed_at"]
    assert api.post(f"/referrals/{rid}/status", {"status": "no_show"}).status_code == 422
    # For a person at the site, without a visit.
    direct = api.post(
        "/referrals",
        {"site": str(desk.public_id), "client": str(person.public_id), "destination_kind": "detox"},
    )
    assert direct.status_code == 201 and direct.json()["visit"] is None
    assert Referral.objects.count() == 2


def test_another_sites_referral_is_404(reception: User, other_manager: User, visit: Visit) -> None:
    rid = (
        Api(reception)
        .post("/referrals", {"visit": str(visit.public_id), "destination_kind": "emergency"})
        .json()["id"]
    )
    assert (
        Api(other_manager).post(f"/referrals/{rid}/status", {"status": "accepted"}).status_code
        == 404
    )
    assert Referral.objects.get().status == "proposed"


def test_distributions_per_visit_and_in_bulk(reception: User, visit: Visit, stocked: Site) -> None:
    api = Api(reception)
    per_visit = api.post(
        "/distributions",
        {
            "visit": str(visit.public_id),
            "lines": [
                {"item": "syringe_1ml", "quantity": 4},
                {"item": "used_syringe", "quantity": 6},
            ],
        },
    )
    assert per_visit.status_code == 201, per_visit.content
    assert per_visit.json()["visit"] == str(visit.public_id)
    bulk = api.post(
        "/distributions",
        {
            "site": str(stocked.public_id),
            "lines": [
                {"item": "syringe_1ml", "quantity": 30},
                {"item": "crack_kit", "quantity": 5},
            ],
        },
    )
    assert bulk.status_code == 201 and bulk.json()["visit"] is None
    stock = {
        row["item"]: row for row in api.get(f"/sites/{stocked.public_id}/stock").json()["items"]
    }
    assert stock["syringe_1ml"]["quantity"] == 66 and stock["crack_kit"]["quantity"] == 5


def test_a_distribution_beyond_the_stock_is_409_and_writes_nothing(
    reception: User, stocked: Site
) -> None:
    response = Api(reception).post(
        "/distributions",
        {
            "site": str(stocked.public_id),
            "lines": [
                {"item": "syringe_1ml", "quantity": 1},
                {"item": "crack_kit", "quantity": 50},
            ],
        },
    )
    assert response.status_code == 409
    assert "Stock insuffisant" in response.json()["error"]["message"]
    assert Distribution.objects.count() == 0


def test_bad_distribution_input_is_422(reception: User, visit: Visit, stocked: Site) -> None:
    api = Api(reception)
    both = {"visit": str(visit.public_id), "site": str(stocked.public_id)}
    for body in [
        {"site": str(stocked.public_id), "lines": []},
        {"site": str(stocked.public_id), "lines": [{"item": "cup", "quantity": 0}]},
        {"site": str(stocked.public_id), "lines": [{"item": "pipe", "quantity": -3}]},
        {"site": str(stocked.public_id), "lines": [{"item": "rope", "quantity": 1}]},
        {**both, "lines": [{"item": "cup", "quantity": 1}]},
        {"site": str(stocked.public_id), "lines": [{"item": "syringe_1ml", "quantity": 1}] * 2},
    ]:
        assert api.post("/distributions", body).status_code == 422, body


def test_stock_shows_levels_thresholds_and_low_flags(manager: User, stocked: Site) -> None:
    stock_threshold_set(actor=manager, site=stocked, item="naloxone_kit", threshold=5)
    stock_threshold_set(actor=manager, site=stocked, item="syringe_1ml", threshold=20)
    body = Api(manager).get(f"/sites/{stocked.public_id}/stock").json()
    assert body["low"] == ["naloxone_kit"]
    rows = {row["item"]: row for row in body["items"]}
    assert rows["naloxone_kit"] == {
        "item": "naloxone_kit",
        "label": "Kit de naloxone",
        "quantity": 3,
        "threshold": 5,
        "low": True,
    }
    assert "used_syringe" not in rows  # collected material has no stock
