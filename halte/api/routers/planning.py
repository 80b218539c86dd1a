"""Site planning: create a scenario, solve it, read its result. Network roles only; anyone else
gets 404 on every endpoint (candidate addresses can be sensitive)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, cast

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
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
    CandidateRow,
    DemandRow,
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
    reports_radius_m: int = Field(
        0, ge=0, le=2000, description="Rayon autour d'un candidat pour les signalements (0 : sans)"
    )
    reports_max: int = Field(
        10, ge=0, le=10000, description="Exclure au-delà de ce nombre de signalements sur un an"
    )


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
    rules: RulesIn = Field(
        default_factory=lambda: RulesIn(school_min_distance_m=0, reports_radius_m=0, reports_max=10)
    )
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


class PlanningCandidateOut(Schema):
    # Read from a CandidateRow: the candidate, and whether the result chose it.
    index: int = Field(alias="candidate.index")
    label: str = Field(alias="candidate.label")
    site_id: uuid.UUID | None
    lon: float = Field(alias="candidate.lon")
    lat: float = Field(alias="candidate.lat")
    location_approximate: bool = Field(alias="candidate.location_approximate")
    must_open: bool = Field(alias="candidate.must_open")
    forbidden: bool = Field(alias="candidate.forbidden")
    capacity: float | None = Field(alias="candidate.capacity")
    women_only: bool = Field(alias="candidate.women_only")
    admits_women: bool = Field(alias="candidate.admits_women")
    near_school: bool = Field(alias="candidate.near_school")
    school_name: str = Field(alias="candidate.school_name")
    school_distance_m: float | None = Field(alias="candidate.school_distance_m")
    chosen: bool
    load: float | None

    @staticmethod
    def resolve_site_id(row: CandidateRow) -> uuid.UUID | None:
        site = row.candidate.site
        return site.public_id if site else None


class DemandOut(Schema):
    # Read from a DemandRow: the point, and the site that serves it.
    index: int = Field(alias="point.index")
    label: str = Field(alias="point.label")
    source: str = Field(alias="point.source")
    lon: float = Field(alias="point.lon")
    lat: float = Field(alias="point.lat")
    weight: float = Field(alias="point.weight")
    women_only: bool = Field(alias="point.women_only")
    site_index: int | None
    walk_m: float | None
    covered: bool

    @staticmethod
    def resolve_site_index(row: DemandRow) -> int | None:
        return None if row.site is None else row.site.index


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
    # Read from a ScenarioView: the scenario, its latest result and their rows.
    id: uuid.UUID = Field(alias="scenario.public_id")
    name: str = Field(alias="scenario.name")
    description: str = Field(alias="scenario.description")
    model: str = Field(alias="scenario.model")
    p: int | None = Field(alias="scenario.p")
    radius_m: float | None = Field(alias="scenario.radius_m")
    walk_minutes: int | None = Field(alias="scenario.walk_minutes")
    circuity: float = Field(alias="scenario.circuity")
    street_graph: str = Field(alias="scenario.street_graph")
    rules: RulesIn
    status: StatusOut
    created_at: dt.datetime = Field(alias="scenario.created_at")
    solved_at: dt.datetime | None = Field(alias="scenario.solved_at")
    result: ResultOut | None
    candidates: list[PlanningCandidateOut]
    demand: list[DemandOut]

    @staticmethod
    def resolve_rules(view: ScenarioView) -> dict[str, object]:
        s = view.scenario
        return {
            "school_min_distance_m": s.school_min_distance_m,
            "forbid_near_schools": s.forbid_near_schools,
            "women_only_rule": s.women_only_rule,
            "reports_radius_m": s.reports_radius_m,
            "reports_max": s.reports_max,
        }

    @staticmethod
    def resolve_status(view: ScenarioView) -> dict[str, Any]:
        return status_payload(view.scenario)


class ScenarioSummaryOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
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


def _candidate(user: User, given: CandidateIn, number: int) -> CandidateInput:
    site = None
    if given.site_id is not None:
        site = sites_visible_to(user).filter(public_id=given.site_id).first()
        if site is None:
            raise DomainError(
                _("Candidat n° %(number)s : site %(site)s introuvable.")
                % {"number": number, "site": given.site_id},
                field="candidates",
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
def list_scenarios(request: HttpRequest) -> QuerySet[Scenario]:
    """Every scenario, newest first."""
    return scenarios_visible_to(_reader(request))


@router.post("/scenarios", response={201: ScenarioOut})
def create_scenario(request: HttpRequest, payload: ScenarioIn) -> Status[ScenarioView]:
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
        reports_radius_m=payload.rules.reports_radius_m,
        reports_max=payload.rules.reports_max,
        demand=[
            DemandInput(d.label, d.lon, d.lat, d.weight, d.source.value, d.women_only)
            for d in payload.demand
        ],
        candidates=[_candidate(user, c, n) for n, c in enumerate(payload.candidates, start=1)],
    )
    return Status(201, scenario_view(scenario))


@router.get("/scenarios/{scenario_id}", response=ScenarioOut)
def get_scenario(request: HttpRequest, scenario_id: uuid.UUID) -> ScenarioView:
    """A scenario, its status and progress, and its latest result."""
    scenario = get_scenario_for_user(_reader(request), scenario_id)
    return scenario_view(scenario)


@router.post("/scenarios/{scenario_id}/solve", response={200: ScenarioOut, 202: StatusOut})
def solve_scenario(
    request: HttpRequest, scenario_id: uuid.UUID, query: Query[SolveQuery]
) -> Status[ScenarioView | dict[str, Any]]:
    """Start the solve in the background (202 with the status to poll at
    ``GET /scenarios/{id}``), or with ``?wait=true`` solve before answering (200, the scenario)."""
    user = _reader(request)
    scenario: Scenario = get_scenario_for_user(user, scenario_id)
    scenario = scenario_solve(actor=user, scenario=scenario, background=not query.wait)
    if query.wait:
        return Status(200, scenario_view(scenario))
    return Status(202, status_payload(scenario))
