"""The neighbourhood demo: seeded, safe to run twice, shaped on the published figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Sum

from halte.core.timeutils import local_today
from halte.demo import neighbourhood as demo
from halte.neighbourhood.models import (
    MediationRound,
    NeighbourhoodReport,
    Pickup,
    ReportContact,
    SiteSurroundings,
)

pytestmark = pytest.mark.django_db


def test_the_demo_is_shaped_on_the_published_figures_and_loads_once() -> None:
    call_command("load_demo")
    call_command("load_neighbourhood_demo")
    counts = (Pickup.objects.count(), NeighbourhoodReport.objects.count())
    call_command("load_neighbourhood_demo")
    assert (Pickup.objects.count(), NeighbourhoodReport.objects.count()) == counts

    def total(first: dt.date, last: dt.date) -> int:
        rows = Pickup.objects.filter(
            address_label__startswith="Rue de Maubeuge",
            round__isnull=True,
            found_at__date__range=(first, last + dt.timedelta(days=1)),
        )
        return int(rows.aggregate(n=Sum("count"))["n"] or 0)

    assert total(*demo.MAUBEUGE_BEFORE_MONTHS) == demo.MAUBEUGE_BEFORE
    assert total(*demo.MAUBEUGE_AFTER_MONTHS) == demo.MAUBEUGE_AFTER
    since = local_today() - dt.timedelta(days=365)
    hsa_year = Pickup.objects.filter(team__slug=demo.HSA, found_at__date__gte=since)
    per_day = (hsa_year.aggregate(n=Sum("count"))["n"] or 0) / 365
    assert 4 < per_day < 10  # "moins de 10 par jour" (IGA/IGAS 2024)
    assert not Pickup.objects.filter(area_code="").exists()
    assert set(Pickup.objects.values_list("area_code", flat=True)) <= {
        "75109",
        "75110",
        "75118",
        "75119",
    }
    assert MediationRound.objects.filter(kind="mediation").count() >= 50
    assert not NeighbourhoodReport.objects.filter(status="closed", outcome="").exists()
    assert not ReportContact.objects.exists()
    assert SiteSurroundings.objects.get(site__slug=demo.HSA).publish
