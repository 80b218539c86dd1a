"""What the room counts goes after the activity's retention period, like the visits: refusals by
their own rule, waits and the watch with the visit they hang on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.models import Refusal, Session, Wait
from halte.consumption.room import refusal_record, wait_start
from halte.consumption.services import session_end, session_start
from halte.core.timeutils import now
from halte.network.models import Site
from halte.retention.services import purge_expired
from halte.visits.services import visit_close
from tests.factories import VisitFactory

pytestmark = pytest.mark.django_db


def test_refusals_waits_and_watches_go_after_the_period_and_not_before(
    room: Site, nurse: User, reception: User, client_person: Client
) -> None:
    refusal_record(actor=reception, site=room, reason="full")
    visit = VisitFactory.create(actor=reception, site=room, client=client_person)
    wait_start(actor=nurse, visit=visit, route="injection")
    session = session_start(actor=nurse, visit=visit, route="injection", product="heroin")
    session_end(actor=nurse, session=session, watch=True)
    visit_close(actor=reception, visit=visit)
    period = dt.timedelta(days=settings.HALTE_RETENTION_ACTIVITY_DAYS)
    purge_expired(now=now() + period - dt.timedelta(days=1))
    assert Refusal.objects.count() == 1 and Wait.objects.count() == 1
    counts = purge_expired(now=now() + period + dt.timedelta(hours=1))
    assert counts["consumption.Refusal"] == 1 and counts["consumption.Wait"] == 1
    assert not Refusal.objects.exists() and not Wait.objects.exists()
    assert not Session.objects.exists()
