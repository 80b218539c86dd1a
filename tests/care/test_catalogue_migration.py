"""The material recorded before the catalogue is tied to it by the data migration: each line
points at its catalogue version and counts its syringe equivalents (a Stéribox: two)."""

from __future__ import annotations

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from halte.accounts.models import User
from halte.care.defaults import reseed_after_flush
from halte.care.models import CatalogueItem, KitComponent
from halte.core.timeutils import now
from halte.network.models import Site

BEFORE = [("care", "0003_vaccine_dose_and_syphilis_test")]
AFTER = [("care", "0005_seed_material_catalogue")]


@pytest.mark.django_db(transaction=True)
def test_existing_lines_get_their_catalogue_item_and_syringe_equivalents(
    site: Site, reception: User
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    distribution = old.get_model("care", "Distribution").objects.create(
        site_id=site.pk, given_at=now(), recorded_by_id=reception.pk
    )
    line = old.get_model("care", "DistributionLine")
    for item, quantity in (("injection_kit", 3), ("syringe_1ml", 5), ("used_syringe", 4)):
        line.objects.create(distribution=distribution, item=item, quantity=quantity)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("care", "DistributionLine").objects.order_by("item")
    assert [
        (r.item, r.catalogue_item.code, r.catalogue_item.version, r.syringe_equivalents)
        for r in rows
    ] == [
        ("injection_kit", "injection_kit", 1, 6),
        ("syringe_1ml", "syringe_1ml", 1, 5),
        ("used_syringe", "used_syringe", 1, 4),
    ]
    assert new.get_model("care", "Distribution").objects.get().channel == "desk"


@pytest.mark.django_db
def test_an_emptied_catalogue_gets_the_migrations_list_back() -> None:
    seeded = list(
        CatalogueItem.objects.order_by("position").values_list("code", "syringe_equivalents")
    )
    KitComponent.objects.all().delete()
    CatalogueItem.objects.all().delete()

    reseed_after_flush(django_apps.get_app_config("care"))

    again = CatalogueItem.objects.order_by("position")
    assert list(again.values_list("code", "syringe_equivalents")) == seeded
    assert len(seeded) == 30 and ("injection_kit", 2) in seeded  # a Stéribox: two syringes
    assert KitComponent.objects.filter(kit__code="crack_kit").count() == 4
