from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.consumption.services import booths_sync
from halte.core.timeutils import PARIS
from halte.network.models import Site, WeeklyHours

IDENTITY: dict[str, Any] = {
    "family_name": "Dupont-Laurentin",
    "given_name": "Maëlle",
    "birth_date": dt.date(1987, 4, 12),
    "sex": "woman",
}


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
    client, _created = client_register(actor=reception, site=room, **IDENTITY)
    return client


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    moment = dt.datetime(2026, 11, 27, 15, 0, tzinfo=PARIS)
    return moment
