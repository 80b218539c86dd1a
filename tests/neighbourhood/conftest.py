from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.core.timeutils import now
from halte.network.models import Site
from tests.conftest import member

# Rue Ambroise-Paré, by Lariboisière (Paris 10e), and the Jardins d'Éole (Paris 18e).
LARIBOISIERE = (2.35339, 48.881946)
EOLE = (2.3638, 48.8881)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def educator(site: Site) -> User:
    return member("educator-nb", Role.EDUCATOR, site=site)


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
