"""Concurrent requests released together: a bed holds one person a night and a person holds one
open stay. The database constraints decide, not Python checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError
from halte.lodging.models import Bed, BedNight, Stay
from halte.lodging.selectors import current_night
from halte.lodging.services import stay_create
from halte.network.models import Site
from tests.race import REPEAT, THREADS, race

pytestmark = pytest.mark.django_db(transaction=True)


def _stay(reception: User, bed: Bed, client: Client, **fields: Any) -> Stay:
    """``stay_create`` with its rows read again in the racing thread's own connection."""
    return stay_create(
        actor=User.objects.get(pk=reception.pk),
        bed=Bed.objects.select_related("site").get(pk=bed.pk),
        client=Client.objects.get(pk=client.pk),
        **fields,
    )


def _men_race_for_bed_two(
    shelter: Site,
    reception: User,
    person: Callable[..., Client],
    fields_of: Callable[[int], dict[str, Any]],
) -> tuple[Bed, list[Any]]:
    """THREADS men ask for bed 2 of the shelter at once, request i with ``fields_of(i)``."""
    people = [person(sex="man") for _ in range(THREADS)]
    target = Bed.objects.get(site=shelter, number=2)
    return target, race(lambda i: _stay(reception, target, people[i], **fields_of(i)))


def _one_winner(results: list[Any], refusal: type[Exception]) -> Stay:
    """The one stay that won the race, every other request refused with ``refusal``."""
    won = [r for r in results if isinstance(r, Stay)]
    assert len(won) == 1, results
    assert sum(isinstance(r, refusal) for r in results) == THREADS - 1, results
    return won[0]


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_bed_one_person_a_night_under_a_race(
    attempt: int, shelter: Site, reception: User, person: Callable[..., Client]
) -> None:
    tonight = current_night()
    # Overlapping planned stays, each from tonight, of different lengths.
    target, results = _men_race_for_bed_two(
        shelter,
        reception,
        person,
        lambda i: {"planned_exit_date": tonight + dt.timedelta(days=1 + i)},
    )
    _one_winner(results, DomainError)
    assert BedNight.objects.filter(bed=target, night=tonight).count() == 1
    assert Stay.objects.filter(bed=target).count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_one_open_stay_per_person_under_a_race(
    attempt: int, shelter: Site, reception: User, person: Callable[..., Client]
) -> None:
    someone = person(sex="woman")
    beds = list(Bed.objects.filter(site=shelter).order_by("number"))
    results = race(lambda i: _stay(reception, beds[i % len(beds)], someone))
    assert sum(isinstance(r, Stay) for r in results) == 1, results
    assert Stay.objects.filter(client=someone, exit_date__isnull=True).count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_open_ended_stays_from_different_nights_hold_the_bed_once(
    attempt: int, shelter: Site, reception: User, person: Callable[..., Client]
) -> None:
    # Each open-ended stay writes its first night only, each on a different night: no two rows
    # collide in (bed, night), yet every one of them would hold the bed from its entry on.
    tonight = current_night()
    target, results = _men_race_for_bed_two(
        shelter, reception, person, lambda i: {"entry_date": tonight + dt.timedelta(days=i)}
    )
    won = _one_winner(results, ConflictError)
    assert Stay.objects.filter(bed=target).count() == 1
    assert set(BedNight.objects.filter(bed=target).values_list("stay", flat=True)) == {won.pk}
    assert AuditEvent.objects.filter(action="stay.created").count() == 1


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_an_open_ended_stay_and_later_dated_stays_do_not_share_the_bed(
    attempt: int, shelter: Site, reception: User, person: Callable[..., Client]
) -> None:
    # Request 0 is open-ended from tomorrow; the others are one night each, on later nights that
    # do not touch one another. Either the open-ended stay wins alone, or every dated one does.
    people = [person(sex="man") for _ in range(THREADS)]
    target = Bed.objects.get(site=shelter, number=3)
    tomorrow = current_night() + dt.timedelta(days=1)

    def ask(i: int) -> Stay:
        entry = tomorrow + dt.timedelta(days=i)
        return _stay(
            reception,
            target,
            people[i],
            entry_date=entry,
            planned_exit_date=None if i == 0 else entry + dt.timedelta(days=1),
        )

    results = race(ask)
    won = {i for i, r in enumerate(results) if isinstance(r, Stay)}
    assert all(isinstance(r, Stay | ConflictError) for r in results), results
    assert won in ({0}, set(range(1, THREADS))), results
    assert Stay.objects.filter(bed=target).count() == len(won)
