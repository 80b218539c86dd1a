"""The material catalogue: versioned items and kits counted in syringe equivalents, lots and
expiry dates, channels; kept by the coordinator; the reports count syringes in kits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.catalogue import (
    catalogue_item_save,
    catalogue_item_withdraw,
    material_lot_receive,
)
from halte.care.models import CatalogueItem, Distribution, DistributionLine, StockLevel
from halte.care.services import distribution_record, stock_receive
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.reports.indicators import REGISTRY, Scope
from halte.visits.models import Visit
from tests.api_client import Api


def scope(site: Site) -> Scope:
    return Scope((site.pk,), local_today() - dt.timedelta(days=1), local_today())


def test_the_default_catalogue_holds_the_official_list_and_kits_count_their_syringes(
    db: None,
) -> None:
    active = {i.code: i for i in CatalogueItem.objects.filter(is_active=True)}
    for code in (
        "needle_25g",
        "sterifilt",
        "ascorbic_acid",
        "foil",
        "hiv_self_test",
        "syphilis_rapid_test",
        "kit_plus",
    ):
        assert code in active
    assert active["injection_kit"].is_kit and active["injection_kit"].syringe_equivalents == 2
    assert active["kit_plus"].syringe_equivalents == 2
    assert active["naloxone_kit"].tracks_lots
    assert active["used_syringe"].collected and active["used_syringe"].syringe_equivalents == 1


def test_a_line_keeps_its_version_and_syringe_equivalents_when_the_kit_changes(
    stocked: Site, visit: Visit, reception: User, coordinator: User
) -> None:
    distribution_record(actor=reception, site=stocked, visit=visit, lines=[("injection_kit", 3)])
    catalogue_item_save(
        actor=coordinator,
        code="injection_kit",
        label="Kit d'injection (Stéribox, 4 seringues)",
        category="injection",
        components=[("syringe_1ml", 4), ("cup", 4)],
    )
    distribution_record(actor=reception, site=stocked, visit=visit, lines=[("injection_kit", 1)])
    lines = DistributionLine.objects.filter(item="injection_kit").order_by("pk")
    counted = lines.values_list("catalogue_item__version", "syringe_equivalents")
    assert list(counted) == [(1, 6), (2, 4)]
    # One stock per code whatever the version: 20 received, 4 given.
    assert StockLevel.objects.get(site=stocked, item="injection_kit").quantity == 16
    assert CatalogueItem.objects.filter(code="injection_kit", is_active=True).count() == 1
    event = AuditEvent.objects.get(action="catalogue.item_saved")
    assert event.payload["version"] == 2 and event.payload["syringe_equivalents"] == 4


def test_only_the_coordinator_keeps_the_catalogue_and_bad_items_are_refused(
    manager: User, coordinator: User
) -> None:
    with pytest.raises(DomainError):
        catalogue_item_save(actor=manager, code="straw", label="Paille", category="sniffing")
    bads: tuple[dict[str, Any], ...] = (
        {"code": "Bad Code", "label": "x", "category": "sniffing"},
        {"code": "straw", "label": "", "category": "sniffing"},
        {"code": "straw", "label": "Paille", "category": "smoking"},
        {"code": "kit2", "label": "K", "category": "injection", "components": [("nope", 1)]},
        {
            "code": "kit3",
            "label": "K",
            "category": "injection",
            "components": [("used_syringe", 1)],
        },
        {"code": "kit4", "label": "K", "category": "injection", "components": [("cup", 0)]},
        {
            "code": "back",
            "label": "B",
            "category": "collected",
            "collected": True,
            "tracks_lots": True,
        },
    )
    for bad in bads:
        with pytest.raises(DomainError):
            catalogue_item_save(actor=coordinator, **bad)
    assert not CatalogueItem.objects.filter(code__in=["straw", "kit2", "back"]).exists()
    catalogue_item_withdraw(actor=coordinator, code="foil")
    with pytest.raises(DomainError):
        catalogue_item_withdraw(actor=coordinator, code="foil")


def test_a_withdrawn_item_is_no_longer_given(
    stocked: Site, reception: User, coordinator: User
) -> None:
    catalogue_item_withdraw(actor=coordinator, code="crack_kit")
    with pytest.raises(DomainError, match="inconnu"):
        distribution_record(actor=reception, site=stocked, lines=[("crack_kit", 1)])
    assert not Distribution.objects.exists()


def test_naloxone_goes_out_from_the_lot_expiring_first_never_an_expired_one(
    desk: Site, reception: User, visit: Visit
) -> None:
    today = local_today()
    later = material_lot_receive(
        actor=reception,
        site=desk,
        item="naloxone_kit",
        lot_number="B-2",
        expires_on=today + dt.timedelta(days=400),
        quantity=2,
    )
    sooner = material_lot_receive(
        actor=reception,
        site=desk,
        item="naloxone_kit",
        lot_number="A-1",
        expires_on=today + dt.timedelta(days=30),
        quantity=2,
    )
    distribution_record(actor=reception, site=desk, visit=visit, lines=[("naloxone_kit", 1)])
    assert DistributionLine.objects.get(item="naloxone_kit").lot == sooner
    assert StockLevel.objects.get(site=desk, item="naloxone_kit").quantity == 3
    with pytest.raises(DomainError):
        material_lot_receive(
            actor=reception,
            site=desk,
            item="naloxone_kit",
            lot_number="C-3",
            expires_on=today,
            quantity=1,
        )
    with pytest.raises(ConflictError):
        material_lot_receive(
            actor=reception,
            site=desk,
            item="naloxone_kit",
            lot_number="B-2",
            expires_on=today + dt.timedelta(days=9),
            quantity=1,
        )
    with pytest.raises(DomainError):
        material_lot_receive(
            actor=reception,
            site=desk,
            item="syringe_1ml",
            lot_number="S",
            expires_on=today + dt.timedelta(days=9),
            quantity=1,
        )
    # Every lot past its date: the kit is refused rather than handed out expired.
    type(later).objects.filter(site=desk).update(expires_on=today - dt.timedelta(days=1))
    with pytest.raises(DomainError, match="périmés"):
        distribution_record(actor=reception, site=desk, visit=visit, lines=[("naloxone_kit", 1)])


def test_channel_is_recorded_and_unknown_ones_refused(stocked: Site, reception: User) -> None:
    d = distribution_record(
        actor=reception, site=stocked, lines=[("syringe_1ml", 10)], channel="vending_machine"
    )
    assert d.channel == "vending_machine"
    assert AuditEvent.objects.get(action="distribution.recorded").payload["channel"] == (
        "vending_machine"
    )
    with pytest.raises(DomainError):
        distribution_record(actor=reception, site=stocked, lines=[("syringe_1ml", 1)], channel="x")


def test_reports_count_syringes_in_kits_and_the_return_rate_on_equivalents(
    stocked: Site, visit: Visit, reception: User
) -> None:
    stock_receive(actor=reception, site=stocked, lines=[("sterifilt", 5)])
    distribution_record(
        actor=reception,
        site=stocked,
        visit=visit,
        lines=[("syringe_1ml", 6), ("injection_kit", 2), ("sterifilt", 3), ("used_syringe", 5)],
    )
    given = {c.key: c.value for c in REGISTRY["material_given"].evaluate(scope(stocked)).cells}
    assert given["sterifilt"] == 3 and given["injection_kit"] == 2
    assert REGISTRY["syringe_equivalents_given"].evaluate(scope(stocked)).value == 10
    # 5 used syringes back for 6 loose + 2 kits × 2 = 10 given: 50 %, not 5/6.
    assert REGISTRY["syringe_return_rate"].evaluate(scope(stocked)).value == pytest.approx(50.0)
    # Bulk entries name nobody: the coverage counts the one person's 10 syringes.
    distribution_record(actor=reception, site=stocked, lines=[("injection_kit", 5)])
    coverage = REGISTRY["syringe_coverage"].evaluate(scope(stocked))
    assert coverage.value == pytest.approx(10.0) and coverage.basis == 1


def test_catalogue_screen_for_staff_and_its_forms_for_the_coordinator(
    login: Callable[[User], HttpClient], reception: User, coordinator: User
) -> None:
    page = login(reception).get(reverse("care:catalogue"))
    assert page.status_code == 200
    assert "Stéribox" in page.content.decode() and "catalogue_save" not in page.content.decode()
    refused = login(reception).post(
        reverse("care:catalogue_save"), {"code": "straw", "label": "Paille", "category": "sniffing"}
    )
    assert refused.status_code == 404
    client = login(coordinator)
    made = client.post(
        reverse("care:catalogue_save"),
        {
            "code": "sniff_kit",
            "label": "Kit sniff (2 pailles)",
            "category": "sniffing",
            "contents": "swab:2, water:1",
        },
    )
    assert made.status_code == 302
    kit = CatalogueItem.objects.get(code="sniff_kit")
    assert kit.is_kit and kit.components.count() == 2
    bad = client.post(
        reverse("care:catalogue_save"),
        {"code": "sniff2", "label": "K", "category": "sniffing", "contents": "swab two"},
    )
    assert bad.status_code == 422
    assert client.post(reverse("care:catalogue_withdraw", args=["sniff_kit"])).status_code == 302
    assert not CatalogueItem.objects.filter(code="sniff_kit", is_active=True).exists()


def test_api_gives_the_catalogue_and_takes_catalogue_codes_with_a_channel(
    stocked: Site, reception: User, django_assert_max_num_queries: Any
) -> None:
    api = Api(reception)
    with django_assert_max_num_queries(12):
        listing = api.get("/material/catalogue")
    assert listing.status_code == 200
    kit = next(i for i in listing.json() if i["code"] == "injection_kit")
    assert (
        kit["syringe_equivalents"] == 2
        and {"label": "Seringue 1 ml", "quantity": 2} in kit["components"]
    )
    made = api.post(
        "/distributions",
        {
            "site": str(stocked.public_id),
            "lines": [{"item": "injection_kit", "quantity": 2}],
            "channel": "peer",
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["channel"] == "peer"
    assert made.json()["lines"][0]["syringe_equivalents"] == 4
    unknown = api.post(
        "/distributions",
        {"site": str(stocked.public_id), "lines": [{"item": "massage_oil", "quantity": 1}]},
    )
    assert unknown.status_code == 422


def test_stock_screen_takes_a_channel_and_a_naloxone_lot_within_budget(
    stocked: Site,
    manager: User,
    login: Callable[[User], HttpClient],
    django_assert_max_num_queries: Any,
) -> None:
    http = login(manager)
    stock_url = reverse("care:stock", args=[stocked.public_id])
    with django_assert_max_num_queries(35):
        page = http.get(stock_url)
    assert page.status_code == 200 and "Lot reçu" in page.content.decode()
    bulk = http.post(
        reverse("care:bulk_distribution", args=[stocked.public_id]),
        {"bulk-channel": "pharmacy", "bulk-q_syringe_1ml": "10", "bulk-q_injection_kit": "2"},
    )
    assert bulk.status_code == 302
    given = Distribution.objects.get()
    assert given.channel == "pharmacy"
    assert sum(line.syringe_equivalents for line in given.lines.all()) == 14
    expiry = (local_today() + dt.timedelta(days=45)).isoformat()
    lot = http.post(
        reverse("care:stock_lot", args=[stocked.public_id]),
        {"item": "naloxone_kit", "lot_number": "NX-77", "expires_on": expiry, "quantity": "5"},
    )
    assert lot.status_code == 302
    assert StockLevel.objects.get(site=stocked, item="naloxone_kit").quantity == 3 + 5
    page = http.get(stock_url)
    assert 'data-testid="expiring-lots"' in page.content.decode()  # within 60 days


def test_catalogue_page_keeps_to_its_budget(
    coordinator: User,
    login: Callable[[User], HttpClient],
    django_assert_max_num_queries: Any,
) -> None:
    http = login(coordinator)
    with django_assert_max_num_queries(20):
        page = http.get(reverse("care:catalogue"))
    assert page.status_code == 200 and "kit_plus" in page.content.decode()
