"""The material catalogue managed through the API, as on the coordinator's screen: an item added or
revised (a new version), withdrawn; a naloxone lot received at a site, as on the stock screen."""

from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.models import CatalogueItem, MaterialLot, StockLevel
from halte.core.timeutils import local_today
from halte.network.models import Site
from tests.api_client import Api

KIT = {
    "label": "Kit essai",
    "category": "injection",
    "components": [{"item": "syringe_1ml", "quantity": 2}],
}


def _lot(days: int = 200, **changes: object) -> dict[str, object]:
    return {
        "item": "naloxone_kit",
        "lot_number": "NX-2026-01",
        "expires_on": (local_today() + dt.timedelta(days=days)).isoformat(),
        "quantity": 5,
    } | changes


def test_the_coordinator_adds_revises_and_withdraws_an_item(coordinator: User) -> None:
    api = Api(coordinator)
    added = api.post("/material/catalogue/kit_essai/versions", KIT)
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["version"] == 1 and body["is_kit"] and body["is_active"]
    assert body["syringe_equivalents"] == 2
    assert [c["quantity"] for c in body["components"]] == [2]
    revised = api.post("/material/catalogue/kit_essai/versions", KIT | {"label": "Kit essai bis"})
    assert revised.status_code == 201 and revised.json()["version"] == 2
    listed = {row["code"]: row for row in api.get("/material/catalogue").json()}
    assert listed["kit_essai"]["label"] == "Kit essai bis"
    withdrawn = api.post("/material/catalogue/kit_essai/withdraw")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["is_active"] is False and withdrawn.json()["version"] == 2
    assert "kit_essai" not in {row["code"] for row in api.get("/material/catalogue").json()}
    assert CatalogueItem.objects.filter(code="kit_essai").count() == 2
    actions = AuditEvent.objects.filter(action__startswith="catalogue.").values_list(
        "action", flat=True
    )
    assert sorted(actions) == [
        "catalogue.item_saved",
        "catalogue.item_saved",
        "catalogue.item_withdrawn",
    ]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/material/catalogue/Bad-Code/versions", KIT, "code"),
        ("/material/catalogue/kit_essai/versions", KIT | {"label": "  "}, "label"),
        ("/material/catalogue/kit_essai/versions", KIT | {"label": "x" * 81}, "label"),
        (
            "/material/catalogue/kit_essai/versions",
            KIT | {"components": [{"item": "nothing_here", "quantity": 1}]},
            "components",
        ),
        (
            "/material/catalogue/kit_essai/versions",
            KIT | {"components": [{"item": "syringe_1ml", "quantity": 500}]},
            "components",
        ),
        (
            "/material/catalogue/plain_item/versions",
            {"label": "Article", "category": "injection", "syringe_equivalents": 1000},
            "syringe_equivalents",
        ),
        ("/material/catalogue/kit_essai/versions", KIT | {"category": "cheese"}, "category"),
        ("/material/catalogue/kit_essai/versions", KIT | {"note": "libre"}, "note"),
        ("/material/catalogue/nothing_here/withdraw", None, "code"),
    ],
)
def test_bad_catalogue_input_is_a_422_in_french_and_writes_nothing(
    coordinator: User, path: str, body: dict[str, object] | None, field: str
) -> None:
    api = Api(coordinator)
    before = list(CatalogueItem.objects.values_list("pk", "is_active"))
    events = AuditEvent.objects.count()
    response = api.post(path, body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["message"]
    assert field in {d["loc"][-1] for d in error["details"]} or error.get("field") == field
    assert list(CatalogueItem.objects.values_list("pk", "is_active")) == before
    assert AuditEvent.objects.count() == events


def test_only_the_coordinator_keeps_the_catalogue(
    reception: User, evaluator: User, manager: User
) -> None:
    for user in (reception, evaluator, manager):
        api = Api(user)
        assert api.post("/material/catalogue/kit_essai/versions", KIT).status_code == 404
        assert api.post("/material/catalogue/cup/withdraw").status_code == 404
        assert api.get("/material/catalogue").status_code == 200
    assert not CatalogueItem.objects.filter(code="kit_essai").exists()
    assert CatalogueItem.objects.get(code="cup", is_active=True)


def test_a_replayed_catalogue_request_makes_one_version(coordinator: User) -> None:
    api = Api(coordinator)
    first = api.post("/material/catalogue/kit_essai/versions", KIT, key="kit-1")
    again = api.post("/material/catalogue/kit_essai/versions", KIT, key="kit-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert CatalogueItem.objects.filter(code="kit_essai").count() == 1


def test_the_site_staff_receive_a_naloxone_lot_into_the_stock(nurse: User, desk: Site) -> None:
    api = Api(nurse)
    response = api.post(f"/sites/{desk.public_id}/lots", _lot(), key="lot-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["site"] == str(desk.public_id) and body["lot_number"] == "NX-2026-01"
    again = api.post(f"/sites/{desk.public_id}/lots", _lot(), key="lot-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert MaterialLot.objects.count() == 1
    assert StockLevel.objects.get(site=desk, item="naloxone_kit").quantity == 5
    assert AuditEvent.objects.filter(action="stock.lot_received").count() == 1
    stock = {row["item"]: row for row in api.get(f"/sites/{desk.public_id}/stock").json()["items"]}
    assert stock["naloxone_kit"]["quantity"] == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_lot(item="syringe_1ml"), "item"),
        (_lot(days=-1), "expires_on"),
        (_lot(days=0), "expires_on"),
        (_lot(lot_number="   "), "lot"),
        (_lot(lot_number="N" * 41), "lot"),
        (_lot(quantity=0), "quantity"),
        (_lot(expires_on="demain"), "expires_on"),
    ],
)
def test_a_bad_lot_is_a_422_and_writes_nothing(
    nurse: User, desk: Site, body: dict[str, object], field: str
) -> None:
    response = Api(nurse).post(f"/sites/{desk.public_id}/lots", body)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["message"]
    assert field in {d["loc"][-1] for d in error["details"]} or error.get("field") == field
    assert MaterialLot.objects.count() == 0
    assert not StockLevel.objects.filter(site=desk, item="naloxone_kit", quantity__gt=0).exists()
    assert not AuditEvent.objects.filter(action="stock.lot_received").exists()


def test_a_second_receipt_of_the_same_lot_is_refused(nurse: User, desk: Site) -> None:
    api = Api(nurse)
    assert api.post(f"/sites/{desk.public_id}/lots", _lot()).status_code == 201
    assert api.post(f"/sites/{desk.public_id}/lots", _lot()).status_code == 409
    assert StockLevel.objects.get(site=desk, item="naloxone_kit").quantity == 5


def test_lots_are_received_only_by_the_sites_own_staff(
    evaluator: User, coordinator: User, other_manager: User, desk: Site
) -> None:
    for user in (evaluator, coordinator, other_manager):
        assert Api(user).post(f"/sites/{desk.public_id}/lots", _lot()).status_code == 404
    assert MaterialLot.objects.count() == 0
