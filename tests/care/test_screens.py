"""The care screens on a tablet: a visit's acts and material, bulk entry and stock, referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.care.models import CareAct, Distribution, Referral, SocialAct, StockLevel
from halte.care.services import referral_advance, referral_create
from halte.network.models import Site
from halte.visits.models import Visit

Login = Callable[[User], HttpClient]


def test_a_nurse_records_a_test_and_material_on_a_visit(
    nurse: User, visit: Visit, stocked: Site, login: Login
) -> None:
    http = login(nurse)
    url = reverse("care:visit", kwargs={"visit_id": visit.public_id})
    page = http.get(url)
    assert page.status_code == 200 and "Acte de soin" in page.content.decode()
    done = http.post(
        reverse("care:care_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "trod_hiv", "result": "negative"},
        follow=True,
    )
    assert "Acte de soin enregistré." in done.content.decode()
    assert "Négatif" in done.content.decode()
    http.post(
        reverse("care:visit_material", kwargs={"visit_id": visit.public_id}),
        {"q_syringe_1ml": "6", "q_injection_kit": "1", "q_used_syringe": "12", "q_cup": ""},
    )
    assert StockLevel.objects.get(site=stocked, item="syringe_1ml").quantity == 94
    assert CareAct.objects.get().result == "negative"


def test_a_refused_screen_action_says_why_and_writes_nothing(
    nurse: User, reception: User, visit: Visit, stocked: Site, login: Login
) -> None:
    missing = login(nurse).post(
        reverse("care:care_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "trod_hcv"},
        follow=True,
    )
    assert "Indiquez le résultat du dépistage" in missing.content.decode()
    too_many = login(reception).post(
        reverse("care:visit_material", kwargs={"visit_id": visit.public_id}),
        {"q_crack_kit": "50"},
        follow=True,
    )
    assert "Stock insuffisant" in too_many.content.decode()
    assert CareAct.objects.count() == 0 and Distribution.objects.count() == 0


def test_reception_has_no_care_form_but_records_social_acts_and_referrals(
    reception: User, visit: Visit, other_site: Site, login: Login
) -> None:
    http = login(reception)
    page = http.get(reverse("care:visit", kwargs={"visit_id": visit.public_id})).content.decode()
    assert "Enregistrer l'acte" not in page
    http.post(
        reverse("care:social_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "housing_siao", "outcome": "requested"},
    )
    http.post(
        reverse("care:visit_referral", kwargs={"visit_id": visit.public_id}),
        {"destination_kind": "network_site", "destination_site": str(other_site.public_id)},
    )
    assert SocialAct.objects.get().kind == "housing_siao"
    assert Referral.objects.get().destination_site == other_site


def test_bulk_entry_receipt_correction_and_low_stock(
    manager: User, stocked: Site, login: Login
) -> None:
    http = login(manager)
    site_id = stocked.public_id
    http.post(
        reverse("care:bulk_distribution", kwargs={"site_id": site_id}),
        {"bulk-q_syringe_1ml": "40", "bulk-q_crack_kit": "8", "bulk-q_sharps_container": "2"},
    )
    bulk = Distribution.objects.get()
    assert bulk.visit is None and bulk.lines.count() == 3
    http.post(
        reverse("care:stock_receipt", kwargs={"site_id": site_id}), {"receipt-q_condom": "200"}
    )
    http.post(
        reverse("care:stock_correction", kwargs={"site_id": site_id}),
        {"item": "syringe_1ml", "counted": "55"},
    )
    http.post(
        reverse("care:stock_threshold", kwargs={"site_id": site_id}),
        {"item": "crack_kit", "threshold": "5"},
    )
    levels = dict(StockLevel.objects.filter(site=stocked).values_list("item", "quantity"))
    assert levels["syringe_1ml"] == 55 and levels["crack_kit"] == 2 and levels["condom"] == 200
    page = http.get(reverse("care:stock", kwargs={"site_id": site_id})).content.decode()
    assert 'data-testid="low-stock"' in page and "Kit base (2)" in page


def test_stock_screen_is_404_for_another_sites_staff(
    other_manager: User, stocked: Site, login: Login
) -> None:
    http = login(other_manager)
    assert http.get(reverse("care:stock", kwargs={"site_id": stocked.public_id})).status_code == 404
    assert (
        http.post(
            reverse("care:bulk_distribution", kwargs={"site_id": stocked.public_id}),
            {"bulk-q_syringe_1ml": "1"},
        ).status_code
        == 404
    )
    assert StockLevel.objects.get(site=stocked, item="syringe_1ml").quantity == 100


def test_open_referrals_oldest_first_overdue_flagged_and_closed_from_the_list(
    educator: User, visit: Visit, login: Login
) -> None:
    old = referral_create(actor=educator, site=visit.site, visit=visit, destination_kind="csapa")
    Referral.objects.filter(pk=old.pk).update(proposed_at=old.proposed_at - dt.timedelta(days=10))
    recent = referral_create(
        actor=educator, site=visit.site, visit=visit, destination_kind="emergency"
    )
    closed = referral_create(actor=educator, site=visit.site, visit=visit, destination_kind="detox")
    referral_advance(actor=educator, referral=closed, status="refused")
    http = login(educator)
    url = reverse("care:referrals", kwargs={"site_id": visit.site.public_id})
    page = http.get(url).content.decode()
    assert page.index("CSAPA") < page.index("Urgences")
    assert "Sevrage" not in page
    assert page.count('class="overdue"') == 1  # the old one only
    http.post(
        reverse("care:referral_status", kwargs={"referral_id": recent.public_id}),
        {"status": "accepted"},
    )
    http.post(
        reverse("care:referral_status", kwargs={"referral_id": recent.public_id}),
        {"status": "proposed"},
    )
    assert Referral.objects.get(pk=recent.pk).status == "accepted"
