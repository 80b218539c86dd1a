"""Scenario services: the rules (schools, must-open, women-only, capacities), the validation that
writes nothing, permissions, and solving with honest figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django_q.models import OrmQ

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.core.errors import ConflictError, DomainError
from halte.jobs.enums import JobStatus
from halte.jobs.runner import run
from halte.network.models import Site
from halte.planning.enums import PlanningModel, ScenarioStatus
from halte.planning.models import Scenario
from halte.planning.presets import DemandInput
from halte.planning.services import (
    CandidateInput,
    scenario_cancel,
    scenario_create,
    scenario_solve,
)
from tests.planning.test_graph import NODES, write_graph

# Around the canal Saint-Martin; about 100 m of longitude = 0.00137°.
STALINGRAD = (2.3695, 48.8833)
EAST_400M = (2.3750, 48.8833)
WEST_1500M = (2.3490, 48.8833)


def create(actor: User, **overrides: Any) -> Scenario:
    values: dict[str, Any] = {
        "name": "Essai",
        "model": PlanningModel.MCLP,
        "p": 1,
        "radius_m": 1000,
        "demand": [DemandInput("Stalingrad", *STALINGRAD, 50)],
        "candidates": [
            CandidateInput(label="Est", lon=EAST_400M[0], lat=EAST_400M[1]),
            CandidateInput(label="Ouest", lon=WEST_1500M[0], lat=WEST_1500M[1]),
        ],
    }
    values.update(overrides)
    return scenario_create(actor=actor, **values)


def test_a_candidate_near_a_school_is_flagged_with_the_school_and_excluded_if_asked(
    coordinator: User, project_site: Site
) -> None:
    flagged = create(
        coordinator,
        school_min_distance_m=300,
        candidates=[
            CandidateInput(site=project_site),
            CandidateInput(label="Est", lon=EAST_400M[0], lat=EAST_400M[1]),
        ],
    )
    pelleport = flagged.candidates.get(index=0)
    assert pelleport.near_school and not pelleport.forbidden
    assert pelleport.school_name == "Collège privé Notre-Dame de Lourdes"
    assert pelleport.school_distance_m == pytest.approx(256, abs=1)
    assert pelleport.label == project_site.name and pelleport.site == project_site

    excluded = create(
        coordinator,
        school_min_distance_m=300,
        forbid_near_schools=True,
        candidates=[
            CandidateInput(site=project_site),
            CandidateInput(label="Est", lon=EAST_400M[0], lat=EAST_400M[1], must_open=True),
        ],
    )
    assert excluded.candidates.get(index=0).forbidden
    # 250 m is less than 256 m: no flag.
    relaxed = create(
        coordinator, school_min_distance_m=250, candidates=[CandidateInput(site=project_site)]
    )
    assert not relaxed.candidates.get().near_school


def test_an_existing_site_kept_open_is_never_excluded_by_the_school_rule(
    coordinator: User, project_site: Site
) -> None:
    scenario = create(
        coordinator,
        school_min_distance_m=300,
        forbid_near_schools=True,
        candidates=[CandidateInput(site=project_site, must_open=True)],
    )
    kept = scenario.candidates.get()
    assert kept.must_open and kept.near_school and not kept.forbidden


def test_a_travel_time_becomes_a_distance_at_4_5_km_h(coordinator: User) -> None:
    scenario = create(coordinator, radius_m=None, walk_minutes=20)
    assert scenario.radius_m == 1500 and scenario.walk_minutes == 20


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"p": 3}, "p"),
        ({"p": None}, "p"),
        ({"radius_m": 25_000}, "radius_m"),
        ({"radius_m": None}, "radius_m"),
        ({"model": PlanningModel.LSCP, "radius_m": 0}, "radius_m"),
        ({"model": "teleport"}, "model"),
        ({"demand": [DemandInput("Lyon", 4.835, 45.764, 10)]}, "demand"),
        ({"demand": [DemandInput("Inversé", 48.88, 2.37, 10)]}, "demand"),
        ({"demand": []}, "demand"),
        ({"candidates": [CandidateInput(label="Nulle part")]}, "candidates"),
        ({"model": PlanningModel.CAPACITATED}, "candidates"),
        (
            {"candidates": [CandidateInput(label="X", lon=2.37, lat=48.88, must_open=True)] * 2},
            "p",
        ),
        ({"name": "  "}, "name"),
    ],
)
def test_refused_input_says_why_and_writes_nothing(
    coordinator: User, overrides: dict[str, Any], field: str
) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        create(coordinator, **overrides)
    assert refused.value.field == field and refused.value.message
    assert Scenario.objects.count() == 0 and AuditEvent.objects.count() == before


def test_only_coordinators_and_admins_plan_and_site_staff_learn_nothing(
    coordinator: User, admin_user: User, evaluator: User, reception: User, manager: User
) -> None:
    assert create(coordinator).created_by == coordinator
    assert create(admin_user).created_by == admin_user
    with pytest.raises(PermissionDenied):
        create(evaluator)
    for staff in (reception, manager):
        with pytest.raises(Http404):
            create(staff)


def test_mclp_covers_what_lies_within_the_radius(coordinator: User) -> None:
    scenario = create(
        coordinator,
        demand=[
            DemandInput("Stalingrad", *STALINGRAD, 50),
            DemandInput("Loin à l'ouest", WEST_1500M[0] - 0.002, WEST_1500M[1], 20),
        ],
    )
    solved = scenario_solve(actor=coordinator, scenario=scenario, background=False)
    assert solved.status == ScenarioStatus.SOLVED and solved.progress == 100
    result = solved.latest_result()
    assert result is not None and result.proven_optimal
    assert result.chosen == [0]
    assert (result.people_covered, result.people_total) == (50, 70)
    assert result.covered_pct == pytest.approx(71.4)
    assert result.assignment == {"0": 0, "1": -1}
    # The uncovered point walks to the nearest chosen site: counted in the worst walk.
    assert result.worst_walk_m is not None and result.worst_walk_m > 1000
    actions = list(
        AuditEvent.objects.filter(object_id=str(scenario.public_id))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["scenario.created", "scenario.solve_requested", "scenario.solved"]


def test_women_only_demand_goes_to_a_place_that_admits_women(coordinator: User) -> None:
    candidates = [
        CandidateInput(
            label="Tout près, sans femmes", lon=EAST_400M[0], lat=EAST_400M[1], admits_women=False
        ),
        CandidateInput(label="Plus loin, mixte", lon=WEST_1500M[0], lat=WEST_1500M[1]),
    ]
    women = [DemandInput("Femmes à Stalingrad", *STALINGRAD, 12, women_only=True)]
    common = {
        "model": PlanningModel.P_MEDIAN,
        "p": 1,
        "radius_m": None,
        "demand": women,
        "candidates": candidates,
    }
    ruled = scenario_solve(
        actor=coordinator, scenario=create(coordinator, **common), background=False
    )
    unruled = scenario_solve(
        actor=coordinator,
        scenario=create(coordinator, women_only_rule=False, **common),
        background=False,
    )
    assert ruled.latest_result().chosen == [1]  # type: ignore[union-attr]
    assert unruled.latest_result().chosen == [0]  # type: ignore[union-attr]


def test_a_women_only_place_serves_no_one_else(coordinator: User) -> None:
    scenario = create(
        coordinator,
        radius_m=3000,
        candidates=[
            CandidateInput(
                label="Femmes, tout près", lon=EAST_400M[0], lat=EAST_400M[1], women_only=True
            ),
            CandidateInput(label="Mixte, loin", lon=WEST_1500M[0], lat=WEST_1500M[1]),
        ],
    )
    result = scenario_solve(actor=coordinator, scenario=scenario, background=False).latest_result()
    assert result is not None and result.chosen == [1]


def test_capacities_split_the_demand(coordinator: User) -> None:
    scenario = create(
        coordinator,
        model=PlanningModel.CAPACITATED,
        p=2,
        radius_m=None,
        demand=[
            DemandInput("A", *STALINGRAD, 30),
            DemandInput("B", STALINGRAD[0], STALINGRAD[1] + 0.001, 30),
        ],
        candidates=[
            CandidateInput(label="Près", lon=EAST_400M[0], lat=EAST_400M[1], capacity=40),
            CandidateInput(label="Loin", lon=WEST_1500M[0], lat=WEST_1500M[1], capacity=40),
        ],
    )
    result = scenario_solve(actor=coordinator, scenario=scenario, background=False).latest_result()
    assert result is not None and result.proven_optimal
    assert result.loads == {"0": 30.0, "1": 30.0}


def test_solving_in_the_background_is_a_job_written_with_the_request(coordinator: User) -> None:
    scenario = create(coordinator)
    queued = scenario_solve(actor=coordinator, scenario=scenario)
    assert queued.status == ScenarioStatus.QUEUED and queued.job is not None
    assert queued.job.kind == "planning.solve" and queued.job.status == JobStatus.WAITING
    assert OrmQ.objects.count() == 1  # its message for the worker, in the same transaction
    with pytest.raises(ConflictError):
        scenario_solve(actor=coordinator, scenario=queued)
    assert run(queued.job.pk) == "done"  # what the worker does with the message
    queued.refresh_from_db()
    assert queued.status == ScenarioStatus.SOLVED and queued.latest_result() is not None
    assert run(queued.job.pk) == "skipped"  # delivered twice, solved once
    assert queued.results.count() == 1


def test_a_queued_solve_can_be_cancelled_and_the_scenario_goes_back(coordinator: User) -> None:
    scenario = create(coordinator)
    queued = scenario_solve(actor=coordinator, scenario=scenario)
    cancelled = scenario_cancel(actor=coordinator, scenario=queued)
    assert cancelled.status == ScenarioStatus.DRAFT
    assert cancelled.job is not None and cancelled.job.status == JobStatus.CANCELLED
    assert run(cancelled.job.pk) == "skipped"
    with pytest.raises(ConflictError):
        scenario_cancel(actor=coordinator, scenario=cancelled)


def test_run_scenario_solves_and_reports(
    coordinator: User, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = create(coordinator)
    call_command("run_scenario", str(scenario.public_id))
    assert "optimal (proven optimal)" in capsys.readouterr().out
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.SOLVED and scenario.solved_at is not None


def test_a_street_graph_gives_the_walks(
    coordinator: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("halte.planning.services.graph_dir", lambda: tmp_path)
    write_graph(tmp_path / "detour.graphml")
    a, b = NODES["a"], NODES["b"]
    common: dict[str, Any] = {
        "radius_m": 1200,
        "demand": [DemandInput("A", *a, 10)],
        "candidates": [CandidateInput(label="B", lon=b[0], lat=b[1])],
    }
    straight = scenario_solve(
        actor=coordinator, scenario=create(coordinator, **common), background=False
    )
    streets = scenario_solve(
        actor=coordinator,
        scenario=create(coordinator, street_graph="detour.graphml", **common),
        background=False,
    )
    # 730 m × 1.3 is within 1,200 m; around the river it is about 2,950 m.
    assert straight.latest_result().people_covered == 10  # type: ignore[union-attr]
    on_graph = streets.latest_result()
    assert on_graph is not None and on_graph.people_covered == 0
    assert on_graph.worst_walk_m is not None and on_graph.worst_walk_m > 2900
    assert "detour.graphml" in on_graph.distance_method
    with pytest.raises(DomainError):
        create(coordinator, street_graph="../../etc/passwd", **common)
