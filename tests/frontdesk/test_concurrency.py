"""Concurrent requests released together: a booth never holds two sessions, a visit never gets
two, a person is never checked in twice. The database constraints decide, not Python checks."""

from __future__ import annotations

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.models import Booth, Session
from halte.consumption.services import session_start
from halte.core.errors import DomainError
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import visit_open
from tests.factories import ClientFactory, VisitFactory
from tests.race import REPEAT, THREADS, race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_booth_one_session_under_a_race(attempt: int, room: Site, reception: User) -> None:
    visits = [
        VisitFactory.create(
            actor=reception,
            site=room,
            client=ClientFactory.create(actor=reception, site=room),
            consumption=True,
        )
        for _ in range(THREADS)
    ]
    booth = Booth.objects.get(site=room, label="I1")
    results = race(
        lambda i: session_start(
            actor=User.objects.get(pk=reception.pk),
            visit=Visit.objects.select_related("site", "client").get(pk=visits[i].pk),
            route="injection",
            product="heroin",
            booth=booth,
        )
    )
    won = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1, results
    assert len(refused) == THREADS - 1, results
    assert Session.objects.filter(booth=booth, ended_at__isnull=True).count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_visit_one_session_under_a_race(attempt: int, room: Site, reception: User) -> None:
    person = ClientFactory.create(actor=reception, site=room)
    visit = VisitFactory.create(actor=reception, site=room, client=person, consumption=True)
    results = race(
        lambda i: session_start(
            actor=User.objects.get(pk=reception.pk),
            visit=Visit.objects.select_related("site", "client").get(pk=visit.pk),
            route="injection",
            product="heroin",
        )
    )
    assert sum(isinstance(r, Session) for r in results) == 1, results
    assert Session.objects.filter(visit=visit).count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_check_in_per_person_under_a_race(attempt: int, room: Site, reception: User) -> None:
    person = ClientFactory.create(actor=reception, site=room)
    results = race(
        lambda i: visit_open(
            actor=User.objects.get(pk=reception.pk),
            site=Site.objects.get(pk=room.pk),
            client=Client.objects.get(pk=person.pk),
            purposes=[],
        )
    )
    assert sum(isinstance(r, Visit) for r in results) == 1, results
    assert Visit.objects.filter(client=person, left_at__isnull=True).count() == 1
