"""The 2021 scenario of the demo: the four proposals against the scenes of summer 2021."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.models import User
from halte.planning.enums import ScenarioStatus
from halte.planning.models import Scenario


@pytest.mark.django_db
def test_the_2021_scenario_flags_pelleport_and_is_solved_to_proven_optimality() -> None:
    call_command("load_demo")
    call_command("load_planning_demo")
    call_command("load_planning_demo")  # idempotent
    assert Scenario.objects.count() == 2
    scenario = Scenario.objects.get(name="Scénario 2021 — les quatre propositions")
    assert scenario.status == ScenarioStatus.SOLVED
    assert (scenario.model, scenario.p, scenario.radius_m) == ("mclp", 2, 1500)

    pelleport = scenario.candidates.get(site__slug="pelleport-2021")
    assert pelleport.near_school and not pelleport.forbidden
    assert pelleport.school_name == "Collège privé Notre-Dame de Lourdes"
    assert pelleport.school_distance_m == pytest.approx(256, abs=1)
    women = scenario.candidates.get(site__slug="femmes-19e-2021")
    assert women.location_approximate and women.women_only
    assert scenario.candidates.get(site__slug="paris-hsa").must_open

    result = scenario.latest_result()
    assert result is not None and result.proven_optimal and result.solver_status == "optimal"
    chosen = {scenario.candidates.get(index=j).site.slug for j in result.chosen}  # type: ignore[union-attr]
    # The HSA stays; of the four proposals only the 19e women's shelter reaches a scene on foot.
    assert chosen == {"paris-hsa", "femmes-19e-2021"}
    assert 0 < result.covered_pct < 100

    strict = Scenario.objects.get(name="Scénario 2021 — règle des 300 m appliquée")
    assert strict.candidates.get(site__slug="pelleport-2021").forbidden
    strict_result = strict.latest_result()
    assert strict_result is not None and strict_result.proven_optimal
    assert strict_result.people_covered < result.people_covered


@pytest.mark.django_db
def test_the_2021_scenario_page_says_which_flags_are_to_be_checked(client: Client) -> None:
    call_command("load_demo")
    call_command("load_planning_demo")
    client.force_login(User.objects.get(username="coordinator"))
    scenario = Scenario.objects.get(name="Scénario 2021 — les quatre propositions")
    page = client.get(scenario.get_absolute_url())
    assert page.status_code == 200
    assert "Optimal (prouvé)" in page.text
    assert "Collège privé Notre-Dame de Lourdes à 256 m" in page.text
    assert "Emplacement approximatif : la distance à l&#x27;école est à vérifier." in page.text or (
        "Emplacement approximatif : la distance à l'école est à vérifier." in page.text
    )
    client.force_login(User.objects.get(username="reception-paris"))
    assert client.get(scenario.get_absolute_url()).status_code == 404
