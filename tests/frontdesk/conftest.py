from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.services import booths_sync
from halte.core.timeutils import PARIS
from halte.network.models import Site, WeeklyHours
from tests.factories import IDENTITY, ClientFactory

__all__ = ["IDENTITY"]  # the person the front-desk tests type in


@pytest.fixture
def room(site: Site) -> Site:
    """The Paris room, open around the clock for the tests, with its 12 injection booths and 2
    inhalation booths."""
    WeeklyHours.objects.filter(site=site).update(opens=dt.time(0), closes=dt.time(0))
    site.booths_inhalation = 2
    site.session_time_limit_minutes = 30
    site.save()
    booths_sync(site=site)
    return site


@pytest.fixture
def client_person(room: Site, reception: User) -> Client:
    return ClientFactory.create(actor=reception, site=room, **IDENTITY)


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 11, 27, 15, 0, tzinfo=PARIS)
    return moment
