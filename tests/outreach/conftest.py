from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.demo.outreach import place_create
from halte.network.enums import SiteKind
from halte.network.models import Operator, Site
from halte.outreach.models import GatheringPlace
from tests.conftest import PASSWORD


@pytest.fixture
def team(make_site, operator: Operator) -> Site:  # type: ignore[no-untyped-def]
    return make_site(
        name="Maraude nord-est",
        kind=SiteKind.OUTREACH_TEAM,
        booths_injection=0,
        hours=("18:00", "23:30"),
        lon=2.3690,
        lat=48.8840,
    )


@pytest.fixture
def worker(team: Site) -> User:
    user = User.objects.create_user(username="outreach", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.OUTREACH, site=team)
    return user


@pytest.fixture
def stalingrad(db: None) -> GatheringPlace:
    return place_create("stalingrad")


@pytest.fixture
def evening() -> dt.time:
    return dt.time(21, 0)
