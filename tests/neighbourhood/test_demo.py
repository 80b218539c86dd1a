"""The neighbourhood demo: seeded, safe to run twice, shaped on the published figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from halte.audit.models import AuditEvent
from halte.core.timeutils import local_today
from halte.demo import neighbourhood as demo
from halte.neighbourhood.models import (
    MediationRound,
    NeighbourhoodReport,
    Pickup,
    ReportContact,
    SiteSurroundings,
)
from halte.network.models import Site
from halte.network.publication import is_published, published_sites

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
    hsa = SiteSurroundings.objects.select_related("site").get(site__slug=demo.HSA)
    assert hsa.contact_phone and is_published(hsa.site)  # published by load_demo, not here


WALK_IN = ("paris-hsa", "ego-caarud", "step", "csapa-chapelle", "sleep-in", "repos-chapelle")


def test_the_demo_publishes_its_walk_in_places_once(client: Client) -> None:
    """After load_demo, the walk-in places of Paris are in the open data and on the transparency
    list (one rule for both), the room level only for the HSA and the sleep-in; a second run
    changes and audits nothing."""
    call_command("load_demo")
    cache.clear()
    sites = Site.objects.filter(slug__in=WALK_IN)
    assert len(sites) == len(WALK_IN)
    names = {s.name for s in sites}
    assert {s.slug for s in published_sites()} == set(WALK_IN)
    assert {s.slug for s in sites if s.publish_room_level} == {"paris-hsa", "sleep-in"}
    structures = client.get("/api/v1/open/structures")
    assert structures.status_code == 200
    assert {row["nom"] for row in structures.json()} == names
    listing = client.get(reverse("neighbourhood:public_network")).content.decode()
    for site in sites:
        assert escape(site.name) in listing
        page = reverse("neighbourhood:public_site", kwargs={"site_id": site.public_id})
        assert page in listing
    for hidden in Site.objects.exclude(slug__in=WALK_IN):
        assert escape(hidden.name) not in listing
    events = AuditEvent.objects.filter(action="site.publication_changed").count()
    assert events == len(WALK_IN)
    call_command("load_demo")
    assert AuditEvent.objects.filter(action="site.publication_changed").count() == events
