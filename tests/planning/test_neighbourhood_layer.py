"""The neighbourhood's layers: residents' reports around a candidate exclude it from a scenario
past a tolerated number (acceptability), pick-ups add demand where material is found; each changes
the plan on a small constructed case. And the school rule's distances reach the result map."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.core.timeutils import now
from halte.neighbourhood.enums import PickupItem, PlaceKind, ReportChannel, ReportKind
from halte.neighbourhood.models import NeighbourhoodReport, Pickup
from halte.network.models import Site
from halte.planning.enums import DemandSource
from halte.planning.models import Scenario
from halte.planning.presets import DemandInput, pickups_demand
from halte.planning.selectors import scenario_view
from halte.planning.services import CandidateInput, scenario_solve
from tests.planning.test_services import EAST_400M, STALINGRAD, WEST_1500M, create


def _report(lon: float, lat: float, *, days_ago: int = 10) -> None:
    at = now() - dt.timedelta(days=days_ago)
    NeighbourhoodReport.objects.create(
        kind=ReportKind.PUBLIC_CONSUMPTION,
        seen_at=at,
        lon=lon,
        lat=lat,
        channel=ReportChannel.PUBLIC_FORM,
        received_at=at,
    )


@pytest.fixture
def complaints_near_east(db: None) -> None:
    """Three reports about 100 m from the eastern candidate, one far away, one too old."""
    for step in range(3):
        _report(EAST_400M[0] + 0.0014, EAST_400M[1] + step * 0.0001)
    _report(WEST_1500M[0] - 0.02, WEST_1500M[1])
    _report(EAST_400M[0], EAST_400M[1], days_ago=400)


def _chosen(actor: User, scenario: Scenario) -> list[str]:
    solved = scenario_solve(actor=actor, scenario=scenario, background=False)
    return [c.label for c in scenario_view(solved).chosen()]


def test_the_layer_changes_the_chosen_site(coordinator: User, complaints_near_east: None) -> None:
    # Without the layer, the eastern candidate covers Stalingrad (400 m) and is chosen.
    assert _chosen(coordinator, create(coordinator)) == ["Est"]
    # Three reports within 300 m of it, two tolerated: it is excluded, the western one is chosen.
    layered = create(coordinator, reports_radius_m=300, reports_max=2)
    east = layered.candidates.get(label="Est")
    assert east.nearby_reports == 3 and east.too_many_reports and east.forbidden
    assert layered.candidates.get(label="Ouest").nearby_reports == 0
    assert _chosen(coordinator, layered) == ["Ouest"]
    # Three tolerated: nothing changes.
    tolerant = create(coordinator, reports_radius_m=300, reports_max=3)
    assert _chosen(coordinator, tolerant) == ["Est"]


def test_a_site_that_must_stay_open_is_flagged_not_excluded(
    coordinator: User, complaints_near_east: None
) -> None:
    kept = create(
        coordinator,
        reports_radius_m=300,
        reports_max=0,
        candidates=[
            CandidateInput(label="Est", lon=EAST_400M[0], lat=EAST_400M[1], must_open=True)
        ],
    )
    east = kept.candidates.get()
    assert east.too_many_reports and not east.forbidden


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reports_radius_m": 5000}, "reports_radius_m"),
        ({"reports_radius_m": 300, "reports_max": 20000}, "reports_max"),
    ],
)
def test_bad_layer_settings_are_refused_and_nothing_is_written(
    coordinator: User, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        create(coordinator, **overrides)
    assert refused.value.field == field
    assert Scenario.objects.count() == 0


def test_everything_excluded_by_the_layer_says_why(
    coordinator: User, complaints_near_east: None
) -> None:
    with pytest.raises(DomainError, match="signalements"):
        create(
            coordinator,
            reports_radius_m=300,
            reports_max=0,
            candidates=[CandidateInput(label="Est", lon=EAST_400M[0], lat=EAST_400M[1])],
        )


def test_the_result_map_shows_each_candidate_s_school_and_distance(
    coordinator: User, project_site: Site
) -> None:
    scenario = create(
        coordinator, school_min_distance_m=300, candidates=[CandidateInput(site=project_site)]
    )
    data = scenario_view(scenario).map_data()
    school = data["candidates"][0]["school"]
    assert school["name"] == "Collège privé Notre-Dame de Lourdes"
    assert school["distance_m"] == 256
    assert 2.3 < school["lon"] < 2.5 and 48.8 < school["lat"] < 48.95
    assert data["school_min_distance_m"] == 300


def test_the_layer_is_set_from_the_form_and_shown_on_the_scenario(
    login: Any, coordinator: User, project_site: Site, scenario_form: Callable[..., dict[str, Any]]
) -> None:
    _report(project_site.lon or 0, project_site.lat or 0)
    client = login(coordinator)
    response = client.post(
        reverse("planning:create"),
        scenario_form(name="Avec les signalements", reports_radius_m="200", reports_max="0"),
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert (scenario.reports_radius_m, scenario.reports_max) == (200, 0)
    pelleport = scenario.candidates.get(site=project_site)
    assert pelleport.forbidden and pelleport.nearby_reports == 1
    page = client.get(scenario.get_absolute_url())
    assert "1 signalement de riverains à moins de 200 m sur un an" in page.text
    assert "plus de 0 dans un rayon de 200 m sur un an" in page.text


def _found(team: Site, lon: float, lat: float, count: int, *, days_ago: int = 20) -> None:
    Pickup.objects.create(
        team=team,
        found_at=now() - dt.timedelta(days=days_ago),
        item=PickupItem.SYRINGE,
        place_kind=PlaceKind.STREET,
        count=count,
        lon=lon,
        lat=lat,
        area_code="75110",
    )


def test_demand_from_pick_ups_changes_the_chosen_site(coordinator: User, site: Site) -> None:
    """Stalingrad (50 people) is covered from the east; 800 items found by the western candidate
    over the year weigh 80 people there: the plan moves west."""
    for _ in range(4):
        _found(site, WEST_1500M[0] + 0.0003, WEST_1500M[1], 200)
    _found(site, WEST_1500M[0] - 0.03, WEST_1500M[1], 9)  # a cell under 10 items: left out
    _found(site, WEST_1500M[0], WEST_1500M[1], 500, days_ago=400)  # more than a year ago
    demand = pickups_demand()
    assert [(p.weight, p.source) for p in demand] == [(80.0, DemandSource.PICKUPS)]
    assert _chosen(coordinator, create(coordinator)) == ["Est"]
    stalingrad = DemandInput("Stalingrad", *STALINGRAD, 50)
    with_pickups = create(coordinator, demand=[stalingrad, *demand])
    assert _chosen(coordinator, with_pickups) == ["Ouest"]


def test_the_api_sets_the_layer_and_reads_it_back(
    client: Any, coordinator: User, complaints_near_east: None
) -> None:
    from tests.planning.test_api import BASE, bearer

    body = {
        "name": "Couche par l'API",
        "model": "mclp",
        "p": 1,
        "radius_m": 600,
        "rules": {"reports_radius_m": 300, "reports_max": 2},
        "demand": [{"label": "Stalingrad", "lon": STALINGRAD[0], "lat": STALINGRAD[1]}],
        "candidates": [
            {"label": "Est", "lon": EAST_400M[0], "lat": EAST_400M[1]},
            {"label": "Ouest", "lon": WEST_1500M[0], "lat": WEST_1500M[1]},
        ],
    }
    created = client.post(BASE, body, content_type="application/json", **bearer(coordinator))
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["rules"]["reports_radius_m"] == 300 and answer["rules"]["reports_max"] == 2
    east = next(c for c in answer["candidates"] if c["label"] == "Est")
    assert east["forbidden"]
    too_wide = {**body, "rules": {"reports_radius_m": 2001}}
    refused = client.post(BASE, too_wide, content_type="application/json", **bearer(coordinator))
    assert refused.status_code == 422
    assert Scenario.objects.count() == 1
