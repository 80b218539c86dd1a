"""Writes of site planning: create a scenario, ask for its solve, run it.

Each takes the acting user, checks the rule, runs in a transaction and leaves an audit event.
``scenario_run`` is the worker: it adapts the scenario to ``planning.solver`` and stores what came
back, reporting its progress on the scenario row as it goes.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.audit.services import audit_record
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import now
from halte.geo.lib import reference
from halte.geo.lib.distance import haversine_matrix_m, walking_matrix_m
from halte.jobs.enums import JobStatus
from halte.jobs.runner import JobContext
from halte.jobs.services import job_cancel, job_enqueue
from halte.network.enums import Admission
from halte.network.models import Site
from halte.planning.enums import (
    MODELS_WITH_P,
    MODELS_WITH_RADIUS,
    PlanningModel,
    ScenarioStatus,
    SolveStage,
)
from halte.planning.graph import GraphError, read_graphml
from halte.planning.models import (
    WALKING_M_PER_MINUTE,
    Candidate,
    DemandPoint,
    Scenario,
    ScenarioResult,
)
from halte.planning.permissions import can_plan, can_read_plans
from halte.planning.presets import DemandInput
from halte.planning.solver import Problem, Progress, Solution, SolveOptions, solve

logger = logging.getLogger("halte.planning")

MAX_DEMAND = 5000
MAX_CANDIDATES = 500
MAX_RADIUS_M = 20_000.0
# Île-de-France, generously: points outside are typing mistakes (a swapped lon/lat, a comma).
IDF_LON = (1.40, 3.60)
IDF_LAT = (48.10, 49.25)
# "Cannot serve": the solver wants finite costs; 10,000 km is beyond any radius or useful walk.
CANNOT_SERVE_M = 1.0e7
GRAPH_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}\.graphml$")
# The neighbourhood layer: residents' reports received over the last year count around a candidate.
REPORTS_WINDOW_DAYS = 365
MAX_REPORTS_RADIUS_M = 2000
MAX_REPORTS = 10_000


@dataclass(frozen=True)
class CandidateInput:
    """A candidate from the registry (``site``) or a typed point (``lon``/``lat``, ``label``)."""

    label: str = ""
    lon: float | None = None
    lat: float | None = None
    site: Site | None = None
    must_open: bool = False
    forbidden: bool = False
    capacity: float | None = None
    women_only: bool | None = None  # None: from the site's admission, else False
    admits_women: bool = True
    location_approximate: bool = False


def graph_dir() -> Path:
    """Where street graphs are dropped by an administrator (``var/graphs``)."""
    return Path(settings.VAR_DIR) / "graphs"


def available_graphs() -> list[str]:
    folder = graph_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.glob("*.graphml") if GRAPH_NAME.match(p.name))


def _require_plan(actor: User) -> None:
    if not can_read_plans(actor):
        raise Http404(_("Introuvable."))
    if not can_plan(actor):
        raise PermissionDenied(_("Seule la coordination du réseau crée et calcule des scénarios."))


def _in_idf(lon: float, lat: float) -> bool:
    return (
        math.isfinite(lon)
        and math.isfinite(lat)
        and IDF_LON[0] <= lon <= IDF_LON[1]
        and IDF_LAT[0] <= lat <= IDF_LAT[1]
    )


@dataclass(frozen=True)
class _Settings:
    model: PlanningModel
    p: int | None
    radius_m: float | None
    walk_minutes: int | None


def _check_settings(
    *,
    model: str,
    p: int | None,
    radius_m: float | None,
    walk_minutes: int | None,
    circuity: float,
    school_min_distance_m: int,
    time_limit_s: int,
    reports_radius_m: int = 0,
    reports_max: int = 0,
) -> _Settings:
    if model not in PlanningModel.values:
        raise DomainError(_("Modèle inconnu : %(m)s.") % {"m": model}, field="model")
    kind = PlanningModel(model)
    if walk_minutes is not None:
        if not 1 <= walk_minutes <= 240:
            raise DomainError(
                _("Le temps de marche est compris entre 1 et 240 minutes."), field="walk_minutes"
            )
        radius_m = round(walk_minutes * WALKING_M_PER_MINUTE, 1)
    if radius_m is not None and not (0 < radius_m <= MAX_RADIUS_M):
        raise DomainError(
            _("La distance maximale doit être positive et d'au plus 20 km."), field="radius_m"
        )
    if kind in MODELS_WITH_RADIUS and radius_m is None:
        raise DomainError(
            _("Ce modèle a besoin d'une distance ou d'un temps de marche maximal."),
            field="radius_m",
        )
    if kind in MODELS_WITH_P and p is None:
        raise DomainError(_("Indiquez le nombre de sites à ouvrir (p)."), field="p")
    if kind == PlanningModel.LSCP:
        p = None
    if p is not None and p < 1:
        raise DomainError(_("Le nombre de sites doit être au moins 1."), field="p")
    if not 1.0 <= circuity <= 3.0:
        raise DomainError(_("Le facteur de détour est compris entre 1 et 3."), field="circuity")
    if not 0 <= school_min_distance_m <= 2000:
        raise DomainError(
            _("La distance aux écoles est comprise entre 0 et 2 000 m."),
            field="school_min_distance_m",
        )
    if not 0 <= reports_radius_m <= MAX_REPORTS_RADIUS_M:
        raise DomainError(
            _("Le rayon des signalements est compris entre 0 et 2 000 m."),
            field="reports_radius_m",
        )
    if not 0 <= reports_max <= MAX_REPORTS:
        raise DomainError(
            _("Le nombre de signalements tolérés est compris entre 0 et 10 000."),
            field="reports_max",
        )
    if not 1 <= time_limit_s <= 3600:
        raise DomainError(
            _("Le temps de calcul est compris entre 1 s et 1 h."), field="time_limit_s"
        )
    return _Settings(kind, p, radius_m, walk_minutes)


@dataclass(frozen=True)
class School:
    name: str
    lon: float
    lat: float


@lru_cache(maxsize=1)
def schools() -> tuple[School, ...]:
    """The schools the distance rule knows: every collège of Paris, and the écoles of the 18e
    (the only arrondissement whose écoles are bundled; elsewhere, écoles are not checked)."""
    found = [School(c.name, c.lon, c.lat) for c in reference.colleges()]
    for feature in reference.ecoles_paris18_geojson()["features"]:
        lon, lat = feature["geometry"]["coordinates"][:2]
        props = feature["properties"]
        kind = {"COL": "Collège", "ELE": "École élémentaire", "MAT": "École maternelle"}.get(
            props.get("type_etabl", ""), "École"
        )
        found.append(School(f"{kind} {str(props.get('libelle', '')).title()}", lon, lat))
    return tuple(found)


def nearest_school(lon: float, lat: float) -> tuple[School, float]:
    """The nearest known school and its straight-line distance in metres."""
    known = schools()
    row = haversine_matrix_m([lon], [lat], [s.lon for s in known], [s.lat for s in known])[0]
    k = int(row.argmin())
    return known[k], float(row[k])


def nearby_report_counts(
    points: Sequence[tuple[float, float]], radius_m: float, *, days: int = REPORTS_WINDOW_DAYS
) -> list[int]:
    """For each (lon, lat), the residents' reports located within ``radius_m`` and received over
    the last ``days`` (halte.neighbourhood): the acceptability layer of a scenario."""
    from halte.neighbourhood.models import NeighbourhoodReport

    if not points or radius_m <= 0:
        return [0] * len(points)
    since = now() - dt.timedelta(days=days)
    located = list(
        NeighbourhoodReport.objects.filter(received_at__gte=since, lon__isnull=False).values_list(
            "lon", "lat"
        )
    )
    if not located:
        return [0] * len(points)
    matrix = haversine_matrix_m(
        [p[0] for p in points],
        [p[1] for p in points],
        [float(r[0] or 0) for r in located],
        [float(r[1] or 0) for r in located],
    )
    return [int(n) for n in (matrix <= radius_m).sum(axis=1)]


def _apply_reports_layer(scenario: Scenario, rows: list[Candidate]) -> None:
    """Count the reports around each candidate; exclude those with more than the scenario
    tolerates (never one that must stay open: it is flagged only)."""
    counts = nearby_report_counts([(c.lon, c.lat) for c in rows], scenario.reports_radius_m)
    for row, count in zip(rows, counts, strict=True):
        row.nearby_reports = count
        row.too_many_reports = scenario.reports_radius_m > 0 and count > scenario.reports_max
        if row.too_many_reports and not row.must_open:
            row.forbidden = True


def _demand_rows(scenario: Scenario, demand: Sequence[DemandInput]) -> list[DemandPoint]:
    if not 1 <= len(demand) <= MAX_DEMAND:
        raise DomainError(
            _("Il faut entre 1 et %(n)s points de demande.") % {"n": MAX_DEMAND}, field="demand"
        )
    rows = []
    for index, point in enumerate(demand):
        if not _in_idf(point.lon, point.lat):
            raise DomainError(
                _("Point de demande n° %(n)s hors d'Île-de-France (%(lon)s, %(lat)s).")
                % {"n": index + 1, "lon": point.lon, "lat": point.lat},
                field="demand",
            )
        if not (math.isfinite(point.weight) and point.weight >= 0):
            raise DomainError(
                _("Point de demande n° %(n)s : le nombre de personnes doit être positif.")
                % {"n": index + 1},
                field="demand",
            )
        rows.append(
            DemandPoint(
                scenario=scenario,
                index=index,
                label=(point.label or f"{point.lat:.5f}, {point.lon:.5f}")[:200],
                source=point.source,
                lon=point.lon,
                lat=point.lat,
                weight=point.weight,
                women_only=point.women_only,
            )
        )
    if sum(r.weight for r in rows) <= 0:
        raise DomainError(_("La demande totale est nulle."), field="demand")
    return rows


def _candidate_row(
    scenario: Scenario, index: int, given: CandidateInput, *, needs_capacity: bool
) -> Candidate:
    site = given.site
    label, lon, lat = given.label, given.lon, given.lat
    approximate, women_only, capacity = given.location_approximate, given.women_only, given.capacity
    if site is not None:
        if site.lon is None or site.lat is None:
            raise DomainError(
                _("Le site « %(s)s » n'a pas d'emplacement : placez-le d'abord.") % {"s": site},
                field="candidates",
            )
        label, lon, lat = label or site.name, site.lon, site.lat
        approximate = approximate or site.location_approximate
        if women_only is None:
            women_only = site.admission == Admission.WOMEN_ONLY
        if capacity is None:
            capacity = float(site.reception_capacity or site.rest_places + site.beds) or None
    if lon is None or lat is None or not _in_idf(lon, lat):
        raise DomainError(
            _("Candidat n° %(n)s hors d'Île-de-France ou sans coordonnées.") % {"n": index + 1},
            field="candidates",
        )
    if capacity is not None and not (math.isfinite(capacity) and capacity > 0):
        raise DomainError(
            _("Candidat n° %(n)s : une capacité doit être positive.") % {"n": index + 1},
            field="candidates",
        )
    if needs_capacity and capacity is None:
        raise DomainError(
            _("Le modèle avec capacités demande la capacité de chaque candidat (« %(s)s »).")
            % {"s": label},
            field="candidates",
        )
    if given.must_open and given.forbidden:
        raise DomainError(
            _("« %(s)s » ne peut pas être à la fois imposé et exclu.") % {"s": label},
            field="candidates",
        )
    school, school_m = nearest_school(lon, lat)
    near = scenario.school_min_distance_m > 0 and school_m < scenario.school_min_distance_m
    forbidden = given.forbidden or (near and scenario.forbid_near_schools and not given.must_open)
    return Candidate(
        scenario=scenario,
        index=index,
        label=(label or f"{lat:.5f}, {lon:.5f}")[:200],
        site=site,
        lon=lon,
        lat=lat,
        location_approximate=approximate,
        must_open=given.must_open,
        forbidden=forbidden,
        capacity=capacity,
        women_only=bool(women_only),
        admits_women=given.admits_women or bool(women_only),
        near_school=near,
        school_name=school.name[:200],
        school_distance_m=round(school_m, 1),
    )


def _check_candidates(kind: PlanningModel, p: int | None, rows: list[Candidate]) -> None:
    if not 1 <= len(rows) <= MAX_CANDIDATES:
        raise DomainError(
            _("Il faut entre 1 et %(n)s sites candidats.") % {"n": MAX_CANDIDATES},
            field="candidates",
        )
    allowed = [c for c in rows if not c.forbidden]
    must_open = [c for c in rows if c.must_open]
    if not allowed:
        raise DomainError(
            _(
                "Tous les candidats sont exclus (règle des écoles ou des signalements ?) : il "
                "n'y a rien à choisir."
            ),
            field="candidates",
        )
    if p is not None and p > len(allowed):
        raise DomainError(
            _("p = %(p)s dépasse le nombre de candidats autorisés (%(n)s).")
            % {"p": p, "n": len(allowed)},
            field="p",
        )
    if p is not None and len(must_open) > p:
        raise DomainError(
            _("%(n)s sites doivent rester ouverts : p doit valoir au moins %(n)s.")
            % {"n": len(must_open)},
            field="p",
        )


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    name: str,
    model: str,
    p: int | None,
    demand: Sequence[DemandInput],
    candidates: Sequence[CandidateInput],
    radius_m: float | None = None,
    walk_minutes: int | None = None,
    description: str = "",
    circuity: float = 1.3,
    street_graph: str = "",
    school_min_distance_m: int = 0,
    forbid_near_schools: bool = False,
    women_only_rule: bool = True,
    time_limit_s: int = 60,
    reports_radius_m: int = 0,
    reports_max: int = 0,
) -> Scenario:
    """Record a scenario with its demand points and candidates, flagging candidates near a school
    (and excluding them if the scenario says so). A travel-time limit becomes a distance at
    4.5 km/h. Nothing is written if any input is refused."""
    _require_plan(actor)
    name = name.strip()
    if not name:
        raise DomainError(_("Donnez un nom au scénario."), field="name")
    checked = _check_settings(
        model=model,
        p=p,
        radius_m=radius_m,
        walk_minutes=walk_minutes,
        circuity=circuity,
        school_min_distance_m=school_min_distance_m,
        time_limit_s=time_limit_s,
        reports_radius_m=reports_radius_m,
        reports_max=reports_max,
    )
    if street_graph and street_graph not in available_graphs():
        raise DomainError(
            _("Graphe des rues inconnu : %(g)s.") % {"g": street_graph[:100]},
            field="street_graph",
        )
    scenario = Scenario(
        name=name[:200],
        description=description,
        model=checked.model,
        p=checked.p,
        radius_m=checked.radius_m,
        walk_minutes=checked.walk_minutes,
        circuity=circuity,
        street_graph=street_graph,
        school_min_distance_m=school_min_distance_m,
        forbid_near_schools=forbid_near_schools,
        women_only_rule=women_only_rule,
        time_limit_s=time_limit_s,
        reports_radius_m=reports_radius_m,
        reports_max=reports_max,
        created_by=actor,
    )
    demand_rows = _demand_rows(scenario, demand)
    candidate_rows = [
        _candidate_row(scenario, k, c, needs_capacity=checked.model == PlanningModel.CAPACITATED)
        for k, c in enumerate(candidates)
    ]
    _apply_reports_layer(scenario, candidate_rows)
    _check_candidates(checked.model, checked.p, candidate_rows)
    scenario.save()
    DemandPoint.objects.bulk_create(demand_rows)
    Candidate.objects.bulk_create(candidate_rows)
    audit_record(
        actor=actor,
        action="scenario.created",
        subject=scenario,
        site=None,
        payload={
            "model": checked.model.value,
            "p": checked.p,
            "radius_m": checked.radius_m,
            "demand_points": len(demand_rows),
            "candidates": len(candidate_rows),
            "near_school": sum(c.near_school for c in candidate_rows),
            "too_many_reports": sum(c.too_many_reports for c in candidate_rows),
        },
    )
    return scenario


def scenario_solve(*, actor: User, scenario: Scenario, background: bool = True) -> Scenario:
    """Queue the solve of a scenario. In the background (the default) it is a job for the worker
    (halte.planning.jobs), recorded in this transaction, that reports its progress, best plan and
    bound on the scenario; ``background=False`` solves before returning (scripts, ``?wait=true``)."""
    with transaction.atomic():
        _require_plan(actor)
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if locked.is_busy:
            raise ConflictError(_("Ce scénario est déjà en cours de calcul."))
        job = None
        if background:
            job = job_enqueue(
                "planning.solve", params={"scenario": str(locked.public_id)}, actor=actor
            )
        Scenario.objects.filter(pk=locked.pk).update(
            status=ScenarioStatus.QUEUED,
            stage=SolveStage.WAITING,
            progress=0,
            failure="",
            solve_requested_by=actor,
            job=job,
            live_objective=None,
            live_bound=None,
        )
        audit_record(
            actor=actor,
            action="scenario.solve_requested",
            subject=locked,
            site=None,
            payload={"background": background},
        )
    if not background:
        scenario_run(scenario_id=locked.pk)
    locked.refresh_from_db()
    return locked


def scenario_cancel(*, actor: User, scenario: Scenario) -> Scenario:
    """Stop a solve: a queued one at once (the scenario goes back to where it was), a running one
    at the solver's next check, keeping the best plan found so far."""
    with transaction.atomic():
        _require_plan(actor)
        locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
        if not locked.is_busy or locked.job is None:
            raise ConflictError(_("Ce scénario n'est pas en cours de calcul."))
        job = job_cancel(job=locked.job)
        if job.status == JobStatus.CANCELLED:
            had_result = locked.results.exists()
            Scenario.objects.filter(pk=locked.pk).update(
                status=ScenarioStatus.SOLVED if had_result else ScenarioStatus.DRAFT,
                stage=SolveStage.NONE,
                progress=0,
            )
        audit_record(
            actor=actor, action="scenario.solve_cancelled", subject=locked, site=None, payload={}
        )
    locked.refresh_from_db()
    return locked


def _progress(scenario_id: int, stage: str, progress: int, **fields: object) -> None:
    Scenario.objects.filter(pk=scenario_id).update(stage=stage, progress=progress, **fields)


class _LiveReport:
    """The solver's progress written on the scenario (and its job), at most once a second."""

    def __init__(self, scenario_id: int, ctx: JobContext | None, time_limit: float) -> None:
        self.scenario_id = scenario_id
        self.ctx = ctx
        self.time_limit = max(time_limit, 1.0)
        self.last = 0.0

    def __call__(self, progress: Progress) -> None:
        clock = time.monotonic()
        if clock - self.last < 1.0:
            return
        self.last = clock
        # 30 % when the search starts, 90 % at the time limit: the bar moves with the clock.
        percent = 30 + int(60 * min(1.0, progress.elapsed / self.time_limit))
        _progress(
            self.scenario_id,
            SolveStage.SOLVING,
            percent,
            live_objective=progress.objective,
            live_bound=progress.bound,
        )
        if self.ctx is not None:
            self.ctx.progress(percent)

    def should_stop(self) -> bool:
        return self.ctx is not None and self.ctx.cancelled()


def scenario_run(*, scenario_id: int, ctx: JobContext | None = None) -> ScenarioResult | None:
    """Solve a queued scenario now and store its result (the worker's job; also ``run_scenario``).
    Any error marks the scenario failed, with a readable reason, and is logged."""
    scenario = Scenario.objects.get(pk=scenario_id)
    _progress(scenario_id, SolveStage.MATRIX, 5, status=ScenarioStatus.RUNNING)
    try:
        demand = list(scenario.demand.order_by("index"))
        candidates = list(scenario.candidates.order_by("index"))
        walk, method = walking_distances(scenario, demand, candidates)
        problem, cannot = build_problem(scenario, demand, candidates, walk)
        _progress(scenario_id, SolveStage.SOLVING, 30)
        live = _LiveReport(scenario_id, ctx, float(scenario.time_limit_s))
        solution = solve(
            problem,
            scenario.planning_model.solver_name,  # type: ignore[arg-type]
            p=scenario.p,
            radius=scenario.radius_m,
            options=SolveOptions(
                time_limit=float(scenario.time_limit_s),
                on_progress=live,
                should_stop=live.should_stop,
            ),
        )
        if solution.status == "stopped" and solution.objective is None:
            raise DomainError(_("Calcul arrêté à la demande avant qu'un plan soit trouvé."))
        _progress(scenario_id, SolveStage.SAVING, 90)
        return _store_result(scenario, demand, walk, cannot, solution, method)
    except (DomainError, GraphError, ValueError, MemoryError) as exc:
        reason = exc.message if isinstance(exc, DomainError) else str(exc)
        logger.warning("scenario %s failed: %s", scenario.public_id, reason)
        _fail(scenario, reason)
    except Exception:
        logger.exception("scenario %s failed unexpectedly", scenario.public_id)
        _fail(scenario, _("Erreur interne pendant le calcul ; elle a été journalisée."))
    return None


def _fail(scenario: Scenario, reason: str) -> None:
    with transaction.atomic():
        _progress(
            scenario.pk, SolveStage.DONE, 100, status=ScenarioStatus.FAILED, failure=reason[:300]
        )
        audit_record(
            actor=scenario.solve_requested_by,
            action="scenario.failed",
            subject=scenario,
            site=None,
            payload={},
        )


FloatMatrix = npt.NDArray[np.float64]
BoolMatrix = npt.NDArray[np.bool_]


def walking_distances(
    scenario: Scenario, demand: list[DemandPoint], candidates: list[Candidate]
) -> tuple[FloatMatrix, str]:
    """Metres on foot, demand × candidates: over the street graph when the scenario names one
    (``inf`` where it does not connect), else great-circle distance × the circuity factor."""
    d = ([p.lon for p in demand], [p.lat for p in demand])
    c = ([k.lon for k in candidates], [k.lat for k in candidates])
    if scenario.street_graph:
        graph = read_graphml(graph_dir() / scenario.street_graph)
        method = _("graphe des rues %(g)s (%(n)s nœuds)") % {
            "g": scenario.street_graph,
            "n": graph.n_nodes,
        }
        return graph.walking_matrix_m(d, c), method
    method = _("distance à vol d'oiseau × %(c)s (détour supposé)") % {"c": scenario.circuity}
    return walking_matrix_m(*d, *c, circuity=scenario.circuity), method


def cannot_serve(
    scenario: Scenario, demand: list[DemandPoint], candidates: list[Candidate], walk: FloatMatrix
) -> BoolMatrix:
    """Pairs that may not be matched: unreachable on the graph; a women-only place for other
    demand; and, under the women-only rule, women's demand at a place that does not admit women."""
    blocked = ~np.isfinite(walk)
    women_demand = np.array([p.women_only for p in demand], dtype=bool)
    women_only_site = np.array([c.women_only for c in candidates], dtype=bool)
    admits_women = np.array([c.admits_women for c in candidates], dtype=bool)
    blocked |= np.outer(~women_demand, women_only_site)
    if scenario.women_only_rule:
        blocked |= np.outer(women_demand, ~admits_women)
    return blocked


def build_problem(
    scenario: Scenario,
    demand: list[DemandPoint],
    candidates: list[Candidate],
    walk: FloatMatrix,
) -> tuple[Problem, BoolMatrix]:
    """The solver's problem: whole metres (integral objectives prove optimality cleanly), with
    pairs that cannot be matched priced out of reach."""
    cannot = cannot_serve(scenario, demand, candidates, walk)
    costs = np.where(cannot, CANNOT_SERVE_M, np.round(np.where(cannot, 0.0, walk)))
    capacities = None
    if scenario.planning_model == PlanningModel.CAPACITATED:
        capacities = np.array([c.capacity or 0.0 for c in candidates], dtype=np.float64)
    problem = Problem(
        costs=costs,
        weights=np.array([p.weight for p in demand], dtype=np.float64),
        capacities=capacities,
        must_open=tuple(c.index for c in candidates if c.must_open),
        forbidden=tuple(c.index for c in candidates if c.forbidden),
    )
    return problem, cannot


@dataclass(frozen=True)
class Figures:
    walk_m: dict[str, float | None]
    covered: list[int]
    people_total: float
    people_covered: float
    mean_walk_m: float | None
    worst_walk_m: float | None
    loads: dict[str, float]


def figures(
    scenario: Scenario,
    demand: list[DemandPoint],
    walk: FloatMatrix,
    cannot: BoolMatrix,
    solution: Solution,
) -> Figures:
    """People covered and walks. Each demand point walks to its assigned site, or (uncovered in a
    covering model) to the nearest chosen site that may serve it. Covered means assigned, able to
    be served and, when the scenario has a radius, within it."""
    chosen = list(solution.sites)
    walks: dict[str, float | None] = {}
    loads: dict[str, float] = {str(j): 0.0 for j in chosen}
    total = covered = walked_people = walked_sum = 0.0
    covered_rows: list[int] = []
    worst: float | None = None
    for i, point in enumerate(demand):
        total += point.weight
        j = solution.assignment[i] if i < len(solution.assignment) else -1
        target = j if j >= 0 and not cannot[i, j] else _nearest(walk[i], cannot[i], chosen)
        metres = None if target is None else float(round(walk[i, target]))
        walks[str(i)] = metres
        if j >= 0 and not cannot[i, j]:
            loads[str(j)] = loads.get(str(j), 0.0) + point.weight
            if scenario.radius_m is None or float(walk[i, j]) <= scenario.radius_m:
                covered += point.weight
                covered_rows.append(i)
        if metres is not None:
            walked_people += point.weight
            walked_sum += point.weight * metres
            worst = metres if worst is None else max(worst, metres)
    return Figures(
        walk_m=walks,
        covered=covered_rows,
        people_total=total,
        people_covered=covered,
        mean_walk_m=round(walked_sum / walked_people, 1) if walked_people else None,
        worst_walk_m=worst,
        loads=loads,
    )


def _nearest(row: FloatMatrix, blocked: npt.NDArray[np.bool_], chosen: list[int]) -> int | None:
    usable = [j for j in chosen if not blocked[j]]
    if not usable:
        return None
    return min(usable, key=lambda j: float(row[j]))


def _store_result(
    scenario: Scenario,
    demand: list[DemandPoint],
    walk: FloatMatrix,
    cannot: BoolMatrix,
    solution: Solution,
    method: str,
) -> ScenarioResult:
    numbers = figures(scenario, demand, walk, cannot, solution)
    with transaction.atomic():
        result = ScenarioResult.objects.create(
            scenario=scenario,
            solver_status=solution.status,
            proven_optimal=solution.proven_optimal,
            objective=solution.objective,
            bound=solution.bound
            if solution.bound is None or math.isfinite(solution.bound)
            else None,
            gap=solution.gap if solution.gap is None or math.isfinite(solution.gap) else None,
            seconds=round(solution.seconds, 3),
            message=solution.message[:300],
            distance_method=method[:200],
            chosen=list(solution.sites),
            assignment={str(i): int(j) for i, j in enumerate(solution.assignment)},
            walk_m=numbers.walk_m,
            covered=numbers.covered,
            people_total=numbers.people_total,
            people_covered=numbers.people_covered,
            covered_pct=round(100 * numbers.people_covered / numbers.people_total, 1)
            if numbers.people_total
            else 0.0,
            mean_walk_m=numbers.mean_walk_m,
            worst_walk_m=numbers.worst_walk_m,
            loads=numbers.loads,
        )
        _progress(scenario.pk, SolveStage.DONE, 100, status=ScenarioStatus.SOLVED, solved_at=now())
        audit_record(
            actor=scenario.solve_requested_by,
            action="scenario.solved",
            subject=scenario,
            site=None,
            payload={"status": solution.status, "proven_optimal": solution.proven_optimal},
        )
    return result
