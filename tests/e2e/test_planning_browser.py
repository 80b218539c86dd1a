"""The 2021 planning scenario in a real browser: the coordinator solves it again on the background
worker, sees the proof and 172 rue Pelleport flagged near a school, on the map."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from halte.planning.models import Scenario
from tests.browser import log_in
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_runs_the_2021_scenario(
    browser: Any, live_server: Any, worker: Any, shot: Any, axe_source: str
) -> None:
    call_command("load_demo")
    call_command("load_planning_demo", "--no-solve")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, "coordinator")
    page.click("nav >> text=Planification")
    assert serious_violations(page, axe_source) == []
    scenario = Scenario.objects.order_by("created_at").first()
    assert scenario is not None
    page.locator("td a", has_text=scenario.name).click()
    page.click("button:has-text('Lancer le calcul')")
    # The solve runs on the worker (another process); the page shows progress, then the result.
    page.wait_for_selector("text=optimal", timeout=60000)
    scenario.refresh_from_db()
    assert scenario.job is not None and scenario.job.kind == "planning.solve"
    # The coordinator finds it among the background jobs, done.
    page.goto(live_server.url + "/travaux/")
    assert "Calcul d'un scénario de planification" in page.inner_text("main")
    assert serious_violations(page, axe_source) == []
    page.goto(live_server.url + scenario.get_absolute_url())
    text = page.inner_text("main")
    assert "172 rue Pelleport" in text
    assert "Près d'une école" in text
    # The map draws after its boundary files load: wait for the markers, then count them.
    page.wait_for_selector(".leaflet-interactive", state="attached")
    assert page.locator(".leaflet-interactive").count() > 0
    shot(page, "20-planning-2021-scenario")
    assert serious_violations(page, axe_source) == []
    assert errors == []


def test_coordinator_picks_points_on_the_map(browser: Any, live_server: Any, shot: Any) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 1200})
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/planification/nouveau/")
    # Both boundary layers drawn (the arrondissements, outlined in slate, come second).
    page.wait_for_selector("#pick-map path[stroke='#3d4a5c']", state="attached")
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    assert box is not None
    for dx, dy in [(0.45, 0.45), (0.55, 0.40)]:
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    page.check("input[name=pick][value=id_candidate_lines]")
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    demand = page.input_value("#id_demand_lines").splitlines()
    candidates = page.input_value("#id_candidate_lines").splitlines()
    assert len(demand) == 2 and len(candidates) == 1
    lon, lat = (float(v) for v in candidates[0].split(","))
    assert 2.2 < lon < 2.5 and 48.8 < lat < 48.95
    shot(page, "21-planning-points-picked")
