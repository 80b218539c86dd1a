from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.lodging.services import beds_sync
from halte.network.models import Site, WeeklyHours
from tests.factories import ClientFactory


@pytest.fixture
def shelter(site: Site) -> Site:
    """The test site with four beds, the first one for women only, open around the clock."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    site.beds = 4
    site.save()
    beds_sync(site=site)
    site.lodging_beds.filter(number=1).update(women_only=True)
    return site


@pytest.fixture
def person(reception: User, shelter: Site) -> Callable[..., Client]:
    """A new person registered at the shelter each call (identity fields or traits may be given)."""

    def make(**fields: Any) -> Client:
        return ClientFactory.create(actor=reception, site=shelter, **fields)

    return make
