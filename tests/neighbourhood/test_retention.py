"""A resident's contact is deleted once its period after the report's closure is over; the report
stays for the figures, and an open report keeps its contact."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from halte.accounts.models import User
from halte.core.timeutils import now
from halte.neighbourhood.models import NeighbourhoodReport, ReportContact
from halte.neighbourhood.services import report_close, report_submit, report_triage
from halte.network.models import Site
from halte.retention.services import purge_expired
from tests.neighbourhood.conftest import report_fields

pytestmark = pytest.mark.django_db


@override_settings(HALTE_NEIGHBOURHOOD_CONTACT_DAYS=30)
def test_contacts_go_after_the_period_following_closure(coordinator: User, site: Site) -> None:
    closed = report_submit(**report_fields())
    report_triage(actor=coordinator, report=closed, site=site)
    report_close(actor=coordinator, report=closed, outcome="pickup_done")
    still_open = report_submit(**report_fields(contact="07 00 00 00 00"))
    assert purge_expired(dry_run=True).get("neighbourhood.ReportContact", 0) == 0
    later = now() + dt.timedelta(days=31)
    counts = purge_expired(now=later)
    assert counts["neighbourhood.ReportContact"] == 1
    assert NeighbourhoodReport.objects.count() == 2
    assert list(ReportContact.objects.values_list("report_id", flat=True)) == [still_open.pk]
    # Twenty-nine days after closure, it would still have been there.
    report_close(actor=coordinator, report=still_open, outcome="information")
    assert (
        purge_expired(now=now() + dt.timedelta(days=29)).get("neighbourhood.ReportContact", 0) == 0
    )
