"""Fixtures of the plan-crack board's tests: the outreach team's worker, a gathering place, the
2019–2021 plan, a way to record an evacuation and a way to put visits, bed nights and care on a
given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.care.models import CareAct, Referral
from halte.clients.models import Client
from halte.core.timeutils import paris_instant
from halte.lodging.models import Bed, BedNight, Stay
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.plan.models import Evacuation, PlanEdition
from halte.plan.services import Orientation, edition_create, evacuation_record
from halte.visits.models import Visit
from tests.factories import ClientFactory
from tests.outreach.conftest import stalingrad, worker

__all__ = ["stalingrad", "worker"]


@pytest.fixture
def edition(coordinator: User) -> PlanEdition:
    return edition_create(
        actor=coordinator,
        code="2019-2021",
        label="Plan crack 2019–2021",
        first_year=2019,
        last_year=2021,
        actions_planned=33,
        source="francetvinfo.fr, 27 mai 2019",
    )


@pytest.fixture
def people(worker: User, team: Site) -> list[Client]:
    return [ClientFactory.create(actor=worker, site=team) for _ in range(3)]


@pytest.fixture
def evacuate(worker: User, team: Site, stalingrad: GatheringPlace) -> Callable[..., Evacuation]:
    """An evacuation of Stalingrad recorded by the team's worker on that day, the people given
    oriented to one destination, out of ``present`` people at the scene."""

    def make(
        day: dt.date, people: list[Client], destination: str = "rest_space", *, present: int = 30
    ) -> Evacuation:
        return evacuation_record(
            actor=worker,
            place=stalingrad,
            team=team,
            happened_on=day,
            people_present=present,
            oriented=[Orientation(p, destination) for p in people],
        )

    return make


@pytest.fixture
def seen_at(site: Site, nurse: User) -> Callable[[Client, dt.date], Visit]:
    """A visit of the person at the HSA (another site of the network) at 15:00 on that day."""

    def make(person: Client, day: dt.date, at_site: Site | None = None) -> Visit:
        arrived = paris_instant(day, dt.time(15, 0))
        return Visit.objects.create(
            site=at_site or site,
            client=person,
            arrived_at=arrived,
            left_at=arrived + dt.timedelta(minutes=30),
            opened_by=nurse,
        )

    return make


@pytest.fixture
def housed_at(make_site: Callable[..., Site], nurse: User) -> Callable[[Client, dt.date], Any]:
    """One bed night of the person at a hotel site on that night."""
    hotel = make_site(name="Hôtel", kind="accommodation", booths_injection=0, beds=5)

    def make(person: Client, night: dt.date) -> BedNight:
        bed, _ = Bed.objects.get_or_create(site=hotel, number=1, defaults={"label": "1"})
        stay = Stay.objects.create(
            bed=bed,
            client=person,
            entry_date=night,
            exit_date=night + dt.timedelta(days=1),
            exit_reason="left",
            created_by=nurse,
        )
        return BedNight.objects.create(bed=bed, night=night, stay=stay, client=person)

    return make


@pytest.fixture
def cared_at(seen_at: Callable[..., Visit], nurse: User) -> Callable[[Client, dt.date], CareAct]:
    def make(person: Client, day: dt.date) -> CareAct:
        visit = seen_at(person, day)
        return CareAct.objects.create(
            site=visit.site,
            visit=visit,
            client=person,
            kind="nursing",
            performed_at=visit.arrived_at,
            recorded_by=nurse,
        )

    return make


@pytest.fixture
def referred_done(site: Site, nurse: User) -> Callable[[Client, dt.date], Referral]:
    def make(person: Client, day: dt.date) -> Referral:
        at = paris_instant(day, dt.time(11, 0))
        return Referral.objects.create(
            site=site,
            client=person,
            destination_kind="csapa",
            status="completed",
            proposed_at=at - dt.timedelta(days=1),
            closed_at=at,
            recorded_by=nurse,
        )

    return make
