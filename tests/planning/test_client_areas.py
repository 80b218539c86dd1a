"""Demand from where people are met in outreach: distinct people per cell, small cells dropped."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

from halte.core.timeutils import local_today
from halte.outreach.models import RoundContact
from halte.planning.presets import CLIENT_AREA_MIN_PEOPLE, client_areas_demand


def test_client_areas_count_distinct_people_and_drop_small_cells(db: None) -> None:
    call_command("load_demo")
    call_command("load_outreach_demo")
    call_command("generate_activity", "--days", "30", "--seed", "8")
    since = local_today() - dt.timedelta(days=365)
    contacts = RoundContact.objects.filter(
        visit__client__isnull=False, visit__arrived_at__date__gte=since
    )
    assert contacts.exists()
    points = client_areas_demand()
    assert points, "outreach contacts should give at least one area"
    assert all(p.weight >= CLIENT_AREA_MIN_PEOPLE for p in points)
    people = contacts.values("visit__client").distinct().count()
    # A person met in two areas counts in both (demand is per area), never twice in one.
    assert all(p.weight <= people for p in points)
    assert all(2.2 < p.lon < 2.5 and 48.8 < p.lat < 48.95 for p in points)
