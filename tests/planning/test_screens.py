"""The planning screens as the coordinator and the evaluator use them; 404 for site staff."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.network.models import Site
from halte.planning.enums import PlanningModel, ScenarioStatus
from halte.planning.models import Scenario
from halte.planning.presets import DemandInput
from halte.planning.services import CandidateInput, scenario_create, scenario_solve

Login = Callable[[User], Client]


@pytest.fixture
def scenario(coordinator: User, site: Site, project_site: Site) -> Scenario:
    return scenario_create(
        actor=coordinator,
        name="Nord-Est",
        model=PlanningModel.MCLP,
        p=2,
        radius_m=1500,
        school_min_distance_m=300,
        demand=[
            DemandInput("Stalingrad", 2.3695, 48.8833, 50),
            DemandInput("Gambetta", 2.3985, 48.8650, 30),
        ],
        candidates=[CandidateInput(site=site, must_open=True), CandidateInput(site=project_site)],
    )


def test_site_staff_get_404_on_every_planning_page(
    login: Login, scenario: Scenario, reception: User, manager: User
) -> None:
    urls = [
        reverse("planning:list"),
        reverse("planning:create"),
        reverse("planning:compare"),
        scenario.get_absolute_url(),
        reverse("planning:status", kwargs={"scenario_id": scenario.public_id}),
    ]
    for user in (reception, manager):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert (
            client.post(
                reverse("planning:solve", kwargs={"scenario_id": scenario.public_id})
            ).status_code
            == 404
        )
    assert Scenario.objects.get().status == ScenarioStatus.DRAFT


def test_create_from_the_form_with_presets_and_typed_points(
    login: Login,
    coordinator: User,
    site: Site,
    project_site: Site,
    scenario_form: Callable[..., dict[str, Any]],
) -> None:
    client = login(coordinator)
    page = client.get(reverse("planning:create"))
    assert page.status_code == 200 and project_site.name in page.text
    response = client.post(
        reverse("planning:create"),
        scenario_form(
            name="Été 2021 et un point saisi",
            p="2",
            school_min_distance_m="300",
            women_only_rule="on",
            demand_2021="on",
            candidate_lines="4 rue Ambroise-Paré 75010 ; 40",
        ),
    )
    scenario = Scenario.objects.get()
    assert response.status_code == 302 and response.url == scenario.get_absolute_url()
    assert scenario.radius_m == 1500
    labels = list(scenario.demand.values_list("label", flat=True))
    assert "Sortie du métro" in labels and any("Éole" in label for label in labels)
    assert scenario.demand.filter(women_only=True).exists()
    kept = scenario.candidates.get(site=site)
    assert kept.must_open
    typed = scenario.candidates.get(site=None)
    assert typed.capacity == 40 and "Ambroise" in typed.label


def test_a_bad_form_says_what_is_wrong_and_writes_nothing(
    login: Login, coordinator: User, site: Site
) -> None:
    response = login(coordinator).post(
        reverse("planning:create"),
        {
            "name": "Mauvais",
            "model": "mclp",
            "p": "1",
            "radius_m": "1000",
            "circuity": "1.3",
            "school_min_distance_m": "0",
            "time_limit_s": "30",
            "demand_lines": "rue qui n'existe nulle part ; 10",
            "operational_sites": [str(site.public_id)],
        },
    )
    assert response.status_code == 200
    assert "ligne 1 : adresse introuvable" in response.text
    assert Scenario.objects.count() == 0


def test_detail_before_and_after_solving(
    login: Login, coordinator: User, scenario: Scenario, project_site: Site
) -> None:
    client = login(coordinator)
    page = client.get(scenario.get_absolute_url())
    assert page.status_code == 200 and "Lancer le calcul" in page.text
    assert "Près d'une école : Collège privé Notre-Dame de Lourdes à 256 m" in page.text
    scenario_solve(actor=coordinator, scenario=scenario, background=False)
    page = client.get(scenario.get_absolute_url())
    assert "Optimal (prouvé)" in page.text
    data = page.context["map_data"]
    covered = {d["label"]: d["covered"] for d in data["demand"]}
    assert covered == {"Stalingrad": False, "Gambetta": True}
    assert [c["chosen"] for c in data["candidates"]] == [True, True]
    assert 'id="planning-data"' in page.text and "planning/map.js" in page.text


def test_solve_from_the_page_queues_and_the_status_endpoint_reports_progress(
    login: Login, coordinator: User, scenario: Scenario
) -> None:
    client = login(coordinator)
    response = client.post(reverse("planning:solve", kwargs={"scenario_id": scenario.public_id}))
    assert response.status_code == 302
    page = client.get(scenario.get_absolute_url())
    assert (
        "Calcul en cours" in page.text
        and "Rafraîchir" in page.text
        and "planning/progress.js" in page.text
        and "Meilleure borne prouvée" in page.text
        and "Arrêter le calcul" in page.text
    )
    status = client.get(
        reverse("planning:status", kwargs={"scenario_id": scenario.public_id})
    ).json()
    assert status["status"] == "queued" and status["done"] is False and status["progress"] == 0
    assert status["objective"] is None and status["bound"] is None and status["gap_pct"] is None
    # Stopped before it started: the scenario is back as it was, and the page offers the solve.
    stop = client.post(reverse("planning:cancel", kwargs={"scenario_id": scenario.public_id}))
    assert stop.status_code == 302
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DRAFT
    assert "Lancer le calcul" in client.get(scenario.get_absolute_url()).text


def test_evaluator_reads_but_does_not_create_or_solve(
    login: Login, evaluator: User, scenario: Scenario
) -> None:
    client = login(evaluator)
    assert client.get(reverse("planning:list")).status_code == 200
    page = client.get(scenario.get_absolute_url())
    assert page.status_code == 200 and "Lancer le calcul" not in page.text
    assert client.get(reverse("planning:create")).status_code == 403
    assert (
        client.post(
            reverse("planning:solve", kwargs={"scenario_id": scenario.public_id})
        ).status_code
        == 403
    )
    assert Scenario.objects.get().status == ScenarioStatus.DRAFT


def test_compare_two_scenarios_side_by_side(
    login: Login, coordinator: User, scenario: Scenario, site: Site
) -> None:
    other = scenario_create(
        actor=coordinator,
        name="Une seule HSA",
        model=PlanningModel.P_MEDIAN,
        p=1,
        demand=[DemandInput("Stalingrad", 2.3695, 48.8833, 50)],
        candidates=[CandidateInput(site=site)],
    )
    for s in (scenario, other):
        scenario_solve(actor=coordinator, scenario=s, background=False)
    client = login(coordinator)
    listing = client.get(reverse("planning:list"))
    assert "Nord-Est" in listing.text and "Une seule HSA" in listing.text
    page = client.get(
        reverse("planning:compare"), {"s": [str(scenario.public_id), str(other.public_id)]}
    )
    assert page.status_code == 200
    assert "Couverture maximale" in page.text and "p-médiane" in page.text
    assert page.text.count("Optimal (prouvé)") == 2
    alone = client.get(reverse("planning:compare"), {"s": [str(scenario.public_id)]})
    assert "Choisissez de 2 à 3 scénarios" in alone.text
