"""Beds, stays and nights as the staff of a shelter use them: one person a bed a night, women-only
beds and places, exits that free the bed, the waiting list in its order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.consumption.selectors import site_availability
from halte.core.errors import ConflictError, DomainError
from halte.lodging.enums import ExitReason, WaitingStatus
from halte.lodging.models import Bed, BedNight, Stay
from halte.lodging.selectors import beds_free, current_night, night_view, waiting_list
from halte.lodging.services import (
    beds_sync,
    stay_create,
    stay_end,
    stay_renew,
    stays_extend,
    waiting_add,
)
from halte.network.enums import Admission
from halte.network.models import Site

Person = Callable[..., Client]


def bed(site: Site, number: int) -> Bed:
    return Bed.objects.get(site=site, number=number)


def test_beds_follow_the_site_count_and_are_never_deleted(shelter: Site) -> None:
    shelter.beds = 2
    beds_sync(site=shelter)
    assert Bed.objects.filter(site=shelter, is_active=True).count() == 2
    assert Bed.objects.filter(site=shelter).count() == 4
    shelter.beds = 5
    beds_sync(site=shelter)
    assert list(
        Bed.objects.filter(site=shelter, is_active=True).values_list("label", flat=True)
    ) == ["L1", "L2", "L3", "L4", "L5"]


def test_a_planned_stay_holds_every_night_and_the_bed_is_taken(
    shelter: Site, reception: User, person: Person
) -> None:
    tonight = current_night()
    stay = stay_create(
        actor=reception,
        bed=bed(shelter, 2),
        client=person(sex="man"),
        planned_exit_date=tonight + dt.timedelta(days=3),
    )
    assert list(stay.nights.values_list("night", flat=True)) == [
        tonight + dt.timedelta(days=i) for i in range(3)
    ]
    with pytest.raises(ConflictError):
        stay_create(
            actor=reception,
            bed=bed(shelter, 2),
            client=person(sex="man"),
            entry_date=tonight + dt.timedelta(days=2),
        )
    assert beds_free(shelter) == 3
    assert site_availability(shelter).beds_free == 3


def test_one_open_stay_per_person(shelter: Site, reception: User, person: Person) -> None:
    someone = person(sex="man")
    stay_create(actor=reception, bed=bed(shelter, 2), client=someone)
    with pytest.raises(DomainError, match="déjà un séjour"):
        stay_create(actor=reception, bed=bed(shelter, 3), client=someone)


def test_women_only_bed_and_women_only_place(
    shelter: Site, reception: User, person: Person
) -> None:
    with pytest.raises(DomainError, match="réservé aux femmes"):
        stay_create(actor=reception, bed=bed(shelter, 1), client=person(sex="man"))
    assert stay_create(actor=reception, bed=bed(shelter, 1), client=person(sex="woman"))
    shelter.admission = Admission.WOMEN_ONLY
    shelter.save()
    with pytest.raises(DomainError, match="uniquement des femmes"):
        stay_create(actor=reception, bed=bed(shelter, 3), client=person(sex="other"))
    assert beds_free(shelter, sex="man") == 0


def test_exit_frees_the_remaining_nights_with_a_coded_reason(
    shelter: Site, reception: User, person: Person
) -> None:
    tonight = current_night()
    stay = stay_create(
        actor=reception,
        bed=bed(shelter, 2),
        client=person(sex="man"),
        planned_exit_date=tonight + dt.timedelta(days=10),
    )
    with pytest.raises(DomainError, match="Motif"):
        stay_end(actor=reception, stay=stay, exit_reason="vanished")
    stay_end(
        actor=reception,
        stay=stay,
        exit_reason=ExitReason.HOSPITAL,
        exit_date=tonight + dt.timedelta(days=1),
    )
    assert list(BedNight.objects.filter(stay=stay).values_list("night", flat=True)) == [tonight]
    later = stay_create(
        actor=reception,
        bed=bed(shelter, 2),
        client=person(sex="man"),
        entry_date=tonight + dt.timedelta(days=1),
    )
    assert later.bed.label == "L2"


def test_open_ended_stays_are_confirmed_night_by_night(
    shelter: Site, reception: User, person: Person
) -> None:
    tonight = current_night()
    stay = stay_create(actor=reception, bed=bed(shelter, 2), client=person(sex="man"))
    assert stay.nights.count() == 1
    # The bed stays with the person: nobody else is booked into it tomorrow.
    with pytest.raises(ConflictError):
        stay_create(
            actor=reception,
            bed=bed(shelter, 2),
            client=person(sex="man"),
            entry_date=tonight + dt.timedelta(days=1),
        )
    result = stays_extend(actor=None, night=tonight + dt.timedelta(days=1))
    assert (result.confirmed, result.conflicts) == (1, 0)
    assert stays_extend(actor=None, night=tonight + dt.timedelta(days=1)).confirmed == 0
    assert stay.nights.count() == 2


def test_an_open_ended_stay_holds_the_bed_from_its_entry_on(
    shelter: Site, reception: User, person: Person
) -> None:
    night = [current_night() + dt.timedelta(days=i) for i in range(12)]
    held = stay_create(
        actor=reception, bed=bed(shelter, 2), client=person(sex="man"), entry_date=night[1]
    )
    # Into it or after it, however far: its nights are not written yet, but they are its nights.
    for entry, exit_ in [(night[0], night[2]), (night[5], night[7]), (night[10], None)]:
        with pytest.raises(ConflictError, match="séjour en cours"):
            stay_create(
                actor=reception,
                bed=bed(shelter, 2),
                client=person(sex="man"),
                entry_date=entry,
                planned_exit_date=exit_,
            )
    # Refused means nothing written.
    assert Stay.objects.filter(bed=bed(shelter, 2)).count() == 1
    assert AuditEvent.objects.filter(action="stay.created").count() == 1
    # Before it: a stay that leaves the morning it begins is fine.
    stay_create(
        actor=reception, bed=bed(shelter, 2), client=person(sex="man"), planned_exit_date=night[1]
    )
    stay_end(actor=reception, stay=held, exit_reason=ExitReason.LEFT, exit_date=night[1])
    stay_create(
        actor=reception,
        bed=bed(shelter, 2),
        client=person(sex="man"),
        entry_date=night[5],
        planned_exit_date=night[7],
    )


def test_an_open_ended_stay_needs_every_later_night_free(
    shelter: Site, reception: User, person: Person
) -> None:
    tonight = current_night()
    stay_create(
        actor=reception,
        bed=bed(shelter, 3),
        client=person(sex="man"),
        entry_date=tonight + dt.timedelta(days=4),
        planned_exit_date=tonight + dt.timedelta(days=6),
    )
    # Open-ended from tonight, it would run into the nights booked from the 4th on.
    with pytest.raises(ConflictError, match="L3 est déjà occupé"):
        stay_create(actor=reception, bed=bed(shelter, 3), client=person(sex="man"))
    assert Stay.objects.filter(bed=bed(shelter, 3)).count() == 1
    # From the morning that stay leaves, the bed is free for good.
    stay_create(
        actor=reception,
        bed=bed(shelter, 3),
        client=person(sex="man"),
        entry_date=tonight + dt.timedelta(days=6),
    )


def test_the_database_keeps_one_open_ended_stay_per_bed(
    shelter: Site, reception: User, person: Person
) -> None:
    tonight = current_night()
    stay_create(actor=reception, bed=bed(shelter, 2), client=person(sex="man"))
    second = Stay(
        bed=bed(shelter, 2),
        client=person(sex="man"),
        entry_date=tonight + dt.timedelta(days=9),
        created_by=reception,
    )
    with pytest.raises(ValidationError, match="Ce lit est occupé par un séjour en cours"):
        second.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # A dated stay is not one of them (the nights decide for it).
    second.planned_exit_date = tonight + dt.timedelta(days=10)
    second.save()


def test_renewal_adds_nights(shelter: Site, reception: User, person: Person) -> None:
    tonight = current_night()
    stay = stay_create(
        actor=reception,
        bed=bed(shelter, 3),
        client=person(sex="man"),
        planned_exit_date=tonight + dt.timedelta(days=2),
    )
    stay_renew(actor=reception, stay=stay, planned_exit_date=tonight + dt.timedelta(days=5))
    assert stay.nights.count() == 5


def test_waiting_list_order_and_admission(shelter: Site, reception: User, person: Person) -> None:
    first_man = waiting_add(actor=reception, site=shelter, client=person(sex="man"))
    woman = waiting_add(actor=reception, site=shelter, client=person(sex="woman"))
    sick_man = waiting_add(
        actor=reception, site=shelter, client=person(sex="man"), priorities=["health_need"]
    )
    pregnant = waiting_add(
        actor=reception, site=shelter, client=person(sex="woman"), priorities=["pregnancy"]
    )
    assert list(waiting_list(shelter)) == [pregnant, sick_man, woman, first_man]
    with pytest.raises(DomainError, match="grossesse"):
        waiting_add(
            actor=reception, site=shelter, client=person(sex="man"), priorities=["pregnancy"]
        )
    with pytest.raises(ConflictError):
        waiting_add(actor=reception, site=shelter, client=first_man.client)
    stay_create(
        actor=reception, bed=bed(shelter, 1), client=pregnant.client, waiting_entry=pregnant
    )
    pregnant.refresh_from_db()
    assert pregnant.status == WaitingStatus.ADMITTED
    view = night_view(shelter)
    assert view.free == 3 and view.waiting_head[0] == sick_man and view.waiting_count == 3


def test_other_site_staff_cannot_give_a_bed(
    shelter: Site, other_manager: User, person: Person
) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        stay_create(actor=other_manager, bed=bed(shelter, 2), client=person(sex="man"))
