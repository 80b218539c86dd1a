"""A small, exactly known activity: the figures each test expects can be counted by hand.

At the Paris room (``site``), in March 2025: 12 people (3 women), one of them also seen at the
other site; 30 visits plus 2 anonymous contacts; 20 injection sessions of 15 minutes; 2 overdoses
(one with naloxone and a call to the emergency services). At the other site (``other_site``): 4
people, 5 visits. One person was first seen in 2024, so 11 people are new at the Paris room."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, Incident, Session
from halte.core.timeutils import paris_instant
from halte.network.models import Site
from halte.visits.models import Visit
from tests.factories import PastClientFactory

MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@dataclass
class Activity:
    site: Site
    other_site: Site
    people: list[Client]


def _client(site: Site, actor: User, *, woman: bool, born: int) -> Client:
    return PastClientFactory.create(
        registered_at_site=site, registered_by=actor, woman=woman, birth_year=born
    )


def _visit(site: Site, client: Client | None, day: dt.date, hour: int, actor: User) -> Visit:
    at = paris_instant(day, dt.time(hour, 0))
    return Visit.objects.create(
        site=site, client=client, arrived_at=at, left_at=at + dt.timedelta(hours=1), opened_by=actor
    )


@pytest.fixture
def activity(site: Site, other_site: Site, reception: User) -> Activity:
    people = [_client(site, reception, woman=i < 3, born=1980 + i) for i in range(12)] + [
        _client(other_site, reception, woman=False, born=1990) for _ in range(3)
    ]
    booth = Booth.objects.create(site=site, route="injection", number=1, label="I1")
    _visit(site, people[11], dt.date(2024, 6, 1), 14, reception)  # seen before: not new
    for i in range(30):
        day = dt.date(2025, 3, 1 + i % 10)
        visit = _visit(site, people[i % 12], day, 14 + i // 10, reception)
        if i < 20:
            start = visit.arrived_at + dt.timedelta(minutes=5)
            Session.objects.create(
                visit=visit,
                booth=booth,
                route="injection",
                product=Product.MORPHINE if i % 2 else Product.HEROIN,
                started_at=start,
                ended_at=start + dt.timedelta(minutes=15),
                started_by=reception,
            )
    for hour in (15, 16):
        _visit(site, None, dt.date(2025, 3, 2), hour, reception)
    for i in range(3):
        _visit(other_site, people[12 + i], dt.date(2025, 3, 5 + i), 15, reception)
    _visit(other_site, people[0], dt.date(2025, 3, 8), 15, reception)
    _visit(other_site, people[0], dt.date(2025, 3, 9), 15, reception)
    at = paris_instant(dt.date(2025, 3, 3), dt.time(15, 0))
    Incident.objects.create(
        site=site,
        kind=IncidentKind.OPIOID_OVERDOSE,
        occurred_at=at,
        naloxone_doses=2,
        emergency_call=True,
        outcome=Outcome.RECOVERED_ON_SITE,
        recorded_by=reception,
    )
    Incident.objects.create(
        site=site,
        kind=IncidentKind.STIMULANT_TOXICITY,
        occurred_at=at + dt.timedelta(hours=1),
        outcome=Outcome.RECOVERED_ON_SITE,
        recorded_by=reception,
    )
    return Activity(site, other_site, people)
