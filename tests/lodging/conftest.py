from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from halte.accounts.models import User
from halte.clients.models import Client
from halte.clients.services import client_register
from halte.lodging.services import beds_sync
from halte.network.models import Site, WeeklyHours

IDENTITY: dict[str, Any] = {
    "family_name": "Dupont-Laurentin",
    "given_name": "Maëlle",
    "birth_date": dt.date(1987, 4, 12),
    "sex": "woman",
}


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
    counter = {"n": 0}

    def make(**identity: Any) -> Client:
        counter["n"] += 1
        n = counter["n"]
        # Letters 2, 3 and 5 of the family name make the code: n written in base 26 keeps them
        # letters (a digit or a bracket is dropped, and two people would be one).
        high, low = divmod(n, 26)
        values = {
            **IDENTITY,
            "family_name": f"Z{chr(65 + high % 26)}{chr(65 + low)}Q{chr(90 - low)}",
        }
        values.update(identity)
        return client_register(actor=reception, site=shelter, **values)[0]

    return make
