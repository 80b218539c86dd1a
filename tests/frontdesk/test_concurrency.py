"""Concurrent requests released together: a booth never holds two sessions, a visit never gets
two, a person is never checked in twice. The database constraints decide, not Python checks."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.consumption.models import Booth, Session
from halte.consumption.services import session_start
from halte.core.errors import DomainError
from halte.network.models import Site
from halte.visits.models import Visit
from halte.visits.services import visit_open

from .conftest import IDENTITY

pytestmark = pytest.mark.django_db(transaction=True)
# 32 conflicting requests released together, each race repeated (more with the variables).
THREADS = int(os.environ.get("HALTE_RACE_THREADS", "32"))
REPEAT = int(os.environ.get("HALTE_RACE_REPEAT", "3"))


def race(work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in THREADS threads released at once; return results or exceptions."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the refusals are the point
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def people(site: Site, actor: User, n: int) -> list[Client]:
    return [
        client_register(
            actor=actor,
            site=site,
            **{**IDENTITY, "family_name": f"Z{chr(65 + i // 26)}{chr(65 + i % 26)}ZQ"},
        )[0]
        for i in range(n)
    ]


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_booth_one_session_under_a_race(attempt: int, room: Site, reception: User) -> None:
    visits = [
        visit_open(actor=reception, site=room, client=c, purposes=["consumption"])
        for c in people(room, reception, THREADS)
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
    (person,) = people(room, reception, 1)
    visit = visit_open(actor=reception, site=room, client=person, purposes=["consumption"])
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
    (person,) = people(room, reception, 1)
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


def test_backend_is_reported(room: Site) -> None:
    # Names the database the races above ran on, for the CI log.
    print(f"concurrency tests ran on {connection.vendor}")
