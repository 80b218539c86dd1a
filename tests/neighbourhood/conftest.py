from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.core.timeutils import now
from halte.network.enums import SiteKind
from halte.network.models import Site
from tests.conftest import PASSWORD

# Rue Ambroise-Paré, by Lariboisière (Paris 10e), and the Jardins d'Éole (Paris 18e).
LARIBOISIERE = (2.35339, 48.881946)
EOLE = (2.3638, 48.8881)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def team(make_site: Callable[..., Site]) -> Site:
    return make_site(
        name="Maraude nord-est",
        kind=SiteKind.OUTREACH_TEAM,
        booths_injection=0,
        hours=("18:00", "23:30"),
        lon=2.3690,
        lat=48.8840,
    )


@pytest.fixture
def outreach_worker(team: Site) -> User:
    user = User.objects.create_user(username="outreach-nb", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.OUTREACH, site=team)
    return user


@pytest.fixture
def educator(site: Site) -> User:
    user = User.objects.create_user(username="educator-nb", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.EDUCATOR, site=site)
    return user


def an_hour_ago() -> dt.datetime:
    return now() - dt.timedelta(hours=1)


def report_fields(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": "discarded_material",
        "seen_at": an_hour_ago(),
        "lon": LARIBOISIERE[0],
        "lat": LARIBOISIERE[1],
        "description": "Trois seringues au pied de l'arbre",
        "contact": "06 12 34 56 78",
    }
    fields.update(extra)
    return fields
