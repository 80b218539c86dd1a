"""Reads of site planning, always through what the user may see (network roles only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.network.enums import SiteStatus
from halte.network.models import Site
from halte.planning.enums import ScenarioStatus, SolveStage
from halte.planning.models import Candidate, DemandPoint, Scenario, ScenarioResult
from halte.planning.permissions import can_read_plans
from halte.planning.solver.status import relative_gap


def scenarios_visible_to(user: User | AnonymousUser) -> QuerySet[Scenario]:
    """Every scenario for network roles; none for anyone else (rule in ``can_read_plans``)."""
    base = Scenario.objects.select_related("created_by")
    return base if can_read_plans(user) else base.none()


def get_scenario_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Scenario:
    """The scenario if the user may read plans; 404 otherwise, whether it exists or not."""
    try:
        return scenarios_visible_to(user).get(public_id=public_id)
    except (Scenario.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Scénario introuvable.")) from exc


def planning_sites() -> tuple[QuerySet[Site], QuerySet[Site]]:
    """Registry sites offered as candidates: proposals, and operational sites (kept open)."""
    located = Site.objects.filter(lon__isnull=False, lat__isnull=False).order_by("name")
    return located.filter(status=SiteStatus.PROPOSED), located.filter(status=SiteStatus.OPERATIONAL)


def status_payload(scenario: Scenario) -> dict[str, Any]:
    """What the progress indicator polls."""
    return {
        "id": str(scenario.public_id),
        "status": scenario.status,
        "status_label": str(ScenarioStatus(scenario.status).label),
        "stage": scenario.stage,
        "stage_label": str(SolveStage(scenario.stage).label),
        "progress": scenario.progress,
        "done": not scenario.is_busy,
        "failure": scenario.failure,
        # While the solver runs: the best plan found so far, the best proven bound and the gap
        # between them (0 means the plan is proven best).
        "objective": scenario.live_objective,
        "bound": scenario.live_bound,
        "gap_pct": live_gap_pct(scenario.live_objective, scenario.live_bound),
    }


def live_gap_pct(objective: float | None, bound: float | None) -> float | None:
    """How far the best plan found may be from the best possible, in percent."""
    gap = relative_gap(objective, bound)
    return None if gap is None else round(100 * gap, 2)


@dataclass(frozen=True)
class DemandRow:
    point: DemandPoint
    site: Candidate | None
    walk_m: float | None
    covered: bool


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    chosen: bool
    load: float | None


@dataclass(frozen=True)
class ScenarioView:
    """A scenario with its latest result, row by row, for the detail page, the map and the API."""

    scenario: Scenario
    result: ScenarioResult | None
    demand: list[DemandRow]
    candidates: list[CandidateRow]

    def chosen(self) -> list[Candidate]:
        return [row.candidate for row in self.candidates if row.chosen]

    def map_data(self) -> dict[str, Any]:
        return {
            "demand": [
                {
                    "label": r.point.label,
                    "lon": r.point.lon,
                    "lat": r.point.lat,
                    "weight": r.point.weight,
                    "women_only": r.point.women_only,
                    "covered": r.covered,
                    "solved": self.result is not None,
                    "site": None if r.site is None else r.site.index,
                    "walk_m": r.walk_m,
                }
                for r in self.demand
            ],
            "candidates": [
                {
                    "index": r.candidate.index,
                    "label": r.candidate.label,
                    "lon": r.candidate.lon,
                    "lat": r.candidate.lat,
                    "chosen": r.chosen,
                    "must_open": r.candidate.must_open,
                    "forbidden": r.candidate.forbidden,
                    "near_school": r.candidate.near_school,
                    "approximate": r.candidate.location_approximate,
                    "too_many_reports": r.candidate.too_many_reports,
                    "nearby_reports": r.candidate.nearby_reports,
                    **_school_of(r.candidate),
                }
                for r in self.candidates
            ],
            "school_min_distance_m": self.scenario.school_min_distance_m,
        }


def _school_of(candidate: Candidate) -> dict[str, Any]:
    """The nearest known school of a candidate, where it is and how far (the school rule's
    distance, drawn on the result map)."""
    from halte.planning.services import nearest_school

    if not candidate.school_name:
        return {"school": None}
    school, metres = nearest_school(candidate.lon, candidate.lat)
    return {
        "school": {
            "name": school.name,
            "lon": school.lon,
            "lat": school.lat,
            "distance_m": round(metres),
        }
    }


def scenario_view(scenario: Scenario) -> ScenarioView:
    result = scenario.latest_result()
    candidates = list(scenario.candidates.select_related("site").order_by("index"))
    by_index = {c.index: c for c in candidates}
    chosen = set(result.chosen) if result else set()
    loads = result.loads if result else {}
    covered_rows = set(result.covered) if result else set()
    demand_rows = []
    for point in scenario.demand.order_by("index"):
        site = walk = None
        covered = False
        if result is not None:
            assigned = int(result.assignment.get(str(point.index), -1))
            walk = result.walk_m.get(str(point.index))
            covered = point.index in covered_rows
            site = (
                by_index.get(assigned)
                if assigned >= 0
                else _nearest_chosen(point, walk, candidates, chosen)
            )
        demand_rows.append(DemandRow(point, site, walk, covered))
    return ScenarioView(
        scenario=scenario,
        result=result,
        demand=demand_rows,
        candidates=[
            CandidateRow(c, c.index in chosen, loads.get(str(c.index))) for c in candidates
        ],
    )


def _nearest_chosen(
    point: DemandPoint, walk: float | None, candidates: list[Candidate], chosen: set[int]
) -> Candidate | None:
    # Uncovered in a covering model: the walk stored is to the nearest chosen site that may serve
    # the point; show that site (the one whose straight line is shortest among the chosen).
    if walk is None:
        return None
    from halte.geo.lib.distance import haversine_m

    usable = [
        c for c in candidates if c.index in chosen and (c.admits_women or not point.women_only)
    ]
    usable = [c for c in usable if not c.women_only or point.women_only]
    if not usable:
        return None
    return min(usable, key=lambda c: haversine_m(point.lon, point.lat, c.lon, c.lat))
