"""The scenario form as the planning screens' tests fill it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from halte.network.models import Site


@pytest.fixture
def scenario_form(site: Site, project_site: Site) -> Callable[..., dict[str, Any]]:
    """The fields of the scenario form: one site to place among the projects (Pelleport), the
    Paris site operational, a 20-minute walk and one point of demand typed in; ``fields`` add to
    them or replace them."""

    def make(**fields: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "model": "mclp",
            "p": "1",
            "walk_minutes": "20",
            "circuity": "1.3",
            "school_min_distance_m": "0",
            "time_limit_s": "30",
            "demand_lines": "2.3700, 48.8880 ; 25 ; Sortie du métro",
            "proposed_sites": [str(project_site.public_id)],
            "operational_sites": [str(site.public_id)],
        }
        data.update(fields)
        return data

    return make
