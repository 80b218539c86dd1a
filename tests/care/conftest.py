from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.care.services import stock_receive
from halte.clients.models import Client
from halte.network.models import Site, WeeklyHours
from halte.visits.models import Visit
from tests.api_client import Api  # noqa: F401 - other test folders import it from here
from tests.conftest import PASSWORD
from tests.factories import IDENTITY, ClientFactory, VisitFactory


@pytest.fixture
def desk(site: Site) -> Site:
    """The Paris site, open around the clock for the tests."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    return site


@pytest.fixture
def educator(site: Site) -> User:
    user = User.objects.create_user(username="educator", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.EDUCATOR, site=site)
    return user


@pytest.fixture
def person(desk: Site, reception: User) -> Client:
    return ClientFactory.create(actor=reception, site=desk, **IDENTITY)


@pytest.fixture
def visit(desk: Site, reception: User, person: Client) -> Visit:
    return VisitFactory.create(actor=reception, site=desk, client=person, care=True)


@pytest.fixture
def stocked(desk: Site, manager: User) -> Site:
    """The site with a delivery of the common items."""
    stock_receive(
        actor=manager,
        site=desk,
        lines=[("syringe_1ml", 100), ("injection_kit", 20), ("crack_kit", 10), ("naloxone_kit", 3)],
    )
    return desk
