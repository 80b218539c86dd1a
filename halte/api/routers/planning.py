"""Site planning: create a scenario, solve it, read its result. Network roles only; anyone else
gets 404 on every endpoint (candidate addresses can be sensitive)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from halte.accounts.models import User
from halte.api.common import Strict
from halte.core.errors import DomainError
from halte.network.selectors import sites_visible_to
from halte.planning.enums import DemandSource, PlanningModel
from halte.planning.models import Scenario
from halte.planning.permissions import can_read_plans
from halte.planning.presets import DemandInput
from halte.planning.selectors import (
    ScenarioView,
    get_scenario_for_user,
    scenario_view,
    scenarios_visible_to,
    status_payload,
)
from halte.planning.services import (
    MAX_CANDIDATES,
    MAX_DEMAND,
    MAX_RADIUS_M,
    CandidateInput,
    scenario_create,
    scenario_solve,
)

router = Router(tags=["planification"])


class RulesIn(Strict):
    school_min_distance_m: int = Field(0, ge=0, le=2000)
    forbid_near_schools: bool = False
    women_only_rule: bool = True


class DemandIn(Strict):
    label: str = Field("", max_length=200)
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    weight: float = Field(1.0, ge=0, le=1_000_000)
    source: DemandSource = DemandSource.DRAWN
    women_only: bool = False


class CandidateIn(Strict):
    site_id: uuid.UUID | None = Field(None, description="Site du registre (id public)")
    label: str = Field("", max_length=200)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    must_open: bool = False
    forbidden: bool = False
    capacity: float | None = Field(None, gt=0, le=1_000_000)
    women_only: bool | None = None
    admits_women: bool = True


class ScenarioIn(Strict):
    name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    model: PlanningModel
    p: int | None = Field(None, ge=1, le=MAX_CANDIDATES)
    radius_m: float | None = Field(None, gt=0, le=MAX_RADIUS_M)
    walk_minutes: int | None = Field(None, ge=1, le=240)
    circuity: float = Field(1.3, ge=1, le=3)
    street_graph: str = Field("", max_length=120)
    time_limit_s: int = Field(60, ge=1, le=3600)
    rules: RulesIn = Field(default_factory=lambda: RulesIn(school_min_distance_m=0))
    demand: list[DemandIn] = Field(..., min_length=1, max_length=MAX_DEMAND)
    candidates: list[CandidateIn] = Field(..., min_length=1, max_length=MAX_CANDIDATES)


class StatusOut(Schema):
    id: uuid.UUID
    status: str
    status_label: str
    stage: str
    stage_label: str
    progress: int
    done: bool
    failure: str


class CandidateOut(Schema):
    index: int
    label: str
    site_id: uuid.UUID | None
    lon: float
    lat: float
    location_approximate: bool
    must_open: bool
    forbidden: bool
    capacity: float | None
    women_only: bool
    admits_women: bool
    near_school: bool
    school_name: str
    school_distance_m: float | None
    chosen: bool
    load: float | None


class DemandOut(Schema):
    index: int
    label: str
    source: str
    lon: float
    lat: float
    weight: float
    women_only: bool
    site_index: int | None
    walk_m: float | None
    covered: bool


class ResultOut(Schema):
    solver_status: str
    proven_optimal: bool
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    distance_method: str
    chosen: list[int]
    people_total: float
    people_covered: float
    covered_pct: float
    mean_walk_m: float | None
    worst_walk_m: float | None


class ScenarioOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    model: str
    p: int | None
    radius_m: float | None
    walk_minutes: int | None
    circuity: float
    street_graph: str
    rules: RulesIn
    status: StatusOut
    created_at: dt.datetime
    solved_at: dt.datetime | None
    result: ResultOut | None
    candidates: list[CandidateOut]
    demand: list[DemandOut]


class ScenarioSummaryOut(Schema):
    id: uuid.UUID
    name: str
    model: str
    p: int | None
    radius_m: float | None
    status: str
    created_at: dt.datetime


class SolveQuery(Schema):
    wait: bool = Field(False, description="Résoudre avant de répondre (scripts).")


def _reader(request: HttpRequest) -> User:
    if not can_read_plans(request.user):
        raise Http404("Introuvable.")
    return cast("User", request.user)


def _scenario_out(view: ScenarioView) -> dict[str, Any]:
    s, r = view.scenario, view.result
    return {
        "id": s.public_id,
        "name": s.name,
        "description": s.description,
        "model": s.model,
        "p": s.p,
        "radius_m": s.radius_m,
        "walk_minutes": s.walk_minutes,
        "circuity": s.circuity,
        "street_graph": s.street_graph,
        "rules": {
            "school_min_distance_m": s.school_min_distance_m,
            "forbid_near_schools": s.forbid_near_schools,
            "women_only_rule": s.women_only_rule,
        },
        "status": status_payload(s),
        "created_at": s.created_at,
        "solved_at": s.solved_at,
        "result": None if r is None else {f: getattr(r, f) for f in ResultOut.model_fields},
        "candidates": [
            {
                **{
                    f: getattr(row.candidate, f)
                    for f in CandidateOut.model_fields
                    if f not in {"site_id", "chosen", "load"}
                },
                "site_id": row.candidate.site.public_id if row.candidate.site else None,
                "chosen": row.chosen,
                "load": row.load,
            }
            for row in view.candidates
        ],
        "demand": [
            {
                "index": row.point.index,
                "label": row.point.label,
                "source": row.point.source,
                "lon": row.point.lon,
                "lat": row.point.lat,
                "weight": row.point.weight,
                "women_only": row.point.women_only,
                "site_index": None if row.site is None else row.site.index,
                "walk_m": row.walk_m,
                "covered": row.covered,
            }
            for row in view.demand
        ],
    }


def _candidate(user: User, given: CandidateIn, number: int) -> CandidateInput:
    site = None
    if given.site_id is not None:
        site = sites_visible_to(user).filter(public_id=given.site_id).first()
        if site is None:
            raise DomainError(
                f"Candidat n° {number} : site {given.site_id} introuvable.", field="candidates"
            )
    return CandidateInput(
        label=given.label,
        lon=given.lon,
        lat=given.lat,
        site=site,
        must_open=given.must_open,
        forbidden=given.forbidden,
        capacity=given.capacity,
        women_only=given.women_only,
        admits_women=given.admits_women,
    )


@router.get("/scenarios", response=list[ScenarioSummaryOut])
def list_scenarios(request: HttpRequest) -> list[dict[str, Any]]:
    """Every scenario, newest first."""
    user = _reader(request)
    return [
        {
            "id": s.public_id,
            "name": s.name,
            "model": s.model,
            "p": s.p,
            "radius_m": s.radius_m,
            "status": s.status,
            "created_at": s.created_at,
        }
        for s in scenarios_visible_to(user)
    ]


@router.post("/scenarios", response={201: ScenarioOut})
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> Status[dict[str, Any]]:
    """Create a scenario from demand points and candidates (registry sites by id, or points).
    Coordinators and admins; refused input answers 422 and writes nothing."""
    user = _reader(request)
    scenario = scenario_create(
        actor=user,
        name=payload.name,
        description=payload.description,
        model=payload.model.value,
        p=payload.p,
        radius_m=payload.radius_m,
        walk_minutes=payload.walk_minutes,
        circuity=payload.circuity,
        street_graph=payload.street_graph,
        time_limit_s=payload.time_limit_s,
        school_min_distance_m=payload.rules.school_min_distance_m,
        forbid_near_schools=payload.rules.forbid_near_schools,
        women_only_rule=payload.rules.women_only_rule,
        demand=[
            DemandInput(d.label, d.lon, d.lat, d.weight, d.source.value, d.women_only)
            for d in payload.demand
        ],
        candidates=[_candidate(user, c, n) for n, c in enumerate(payload.candidates, start=1)],
    )
    return Status(201, _scenario_out(scenario_view(scenario)))


@router.get("/scenarios/{scenario_id}", response=ScenarioOut)
def get_scenario(request: HttpRequest, scenario_id: uuid.UUID) -> dict[str, Any]:
    """A scenario, its status and progress, and its latest result."""
    scenario = get_scenario_for_user(_reader(request), scenario_id)
    return _scenario_out(scenario_view(scenario))


@router.post("/scenarios/{scenario_id}/solve", response={200: ScenarioOut, 202: StatusOut})
def solve_scenario(
    request: HttpRequest, scenario_id: uuid.UUID, query: Query[SolveQuery]
) -> Status[dict[str, Any]]:
    """Start the solve in the background (202 with the status to poll at
    ``GET /scenarios/{id}``), or with ``?wait=true`` solve before answering (200, the scenario)."""
    user = _reader(request)
    scenario: Scenario = get_scenario_for_user(user, scenario_id)
    scenario = scenario_solve(actor=user, scenario=scenario, background=not query.wait)
    if query.wait:
        return Status(200, _scenario_out(scenario_view(scenario)))
    return Status(202, status_payload(scenario))
