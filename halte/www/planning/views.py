"""Site planning screens: the scenarios, a new scenario, its result on a map, and a comparison.
Network roles only; everyone else gets 404 on every page."""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.accounts.models import User
from halte.core.errors import DomainError
from halte.planning.enums import ScenarioStatus
from halte.planning.models import ScenarioResult
from halte.planning.permissions import can_plan, can_read_plans
from halte.planning.selectors import (
    get_scenario_for_user,
    scenario_view,
    scenarios_visible_to,
    status_payload,
)
from halte.planning.services import scenario_cancel, scenario_create, scenario_solve
from halte.www.planning.forms import ScenarioForm
from halte.www.shortcuts import refuse, reported

MAX_COMPARED = 3


def _reader(request: HttpRequest) -> User:
    if not can_read_plans(request.user):
        raise Http404(_("Introuvable."))
    return cast("User", request.user)


def _planner(request: HttpRequest) -> User:
    # Evaluators read scenarios, so they may learn that creating one is refused: 403, not 404.
    user = _reader(request)
    if not can_plan(user):
        raise PermissionDenied(_("Seule la coordination du réseau crée et calcule des scénarios."))
    return user


@require_safe
def scenario_list(request: HttpRequest) -> HttpResponse:
    """Every scenario, newest first, with a form to compare two or three solved ones."""
    user = _reader(request)
    scenarios = list(scenarios_visible_to(user))
    # Each scenario's latest result, read in one query rather than one per scenario.
    latest: dict[int, ScenarioResult] = {}
    for result in ScenarioResult.objects.filter(scenario__in=scenarios).order_by(
        "created_at", "pk"
    ):
        latest[result.scenario_id] = result
    return render(
        request,
        "planning/list.html",
        {
            "scenarios": [(s, latest.get(s.pk)) for s in scenarios],
            "can_plan": can_plan(user),
            "max_compared": MAX_COMPARED,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def scenario_create_view(request: HttpRequest) -> HttpResponse:
    """A new scenario: model, rules, demand from presets or typed, candidates from the registry."""
    user = _planner(request)
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scenario = scenario_create(
                actor=user,
                name=data["name"],
                description=data["description"],
                model=data["model"],
                p=data["p"],
                radius_m=data["radius_m"],
                walk_minutes=data["walk_minutes"],
                circuity=data["circuity"],
                street_graph=data["street_graph"],
                school_min_distance_m=data["school_min_distance_m"],
                forbid_near_schools=data["forbid_near_schools"],
                women_only_rule=data["women_only_rule"],
                time_limit_s=data["time_limit_s"],
                reports_radius_m=data["reports_radius_m"] or 0,
                reports_max=data["reports_max"] or 0,
                demand=form.demand(),
                candidates=form.candidates(),
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Scénario enregistré. Lancez le calcul quand vous voulez."))
            return redirect(scenario.get_absolute_url())
    return render(request, "planning/create.html", {"form": form})


@require_safe
def scenario_detail(request: HttpRequest, scenario_id: uuid.UUID) -> HttpResponse:
    """The scenario, its progress while it runs, and its result on the map and in figures."""
    user = _reader(request)
    scenario = get_scenario_for_user(user, scenario_id)
    view = scenario_view(scenario)
    return render(
        request,
        "planning/detail.html",
        {
            "scenario": scenario,
            "view": view,
            "result": view.result,
            "map_data": view.map_data(),
            "status": status_payload(scenario),
            "can_plan": can_plan(user),
        },
    )


@require_POST
def scenario_solve_view(request: HttpRequest, scenario_id: uuid.UUID) -> HttpResponse:
    user = _reader(request)
    scenario = get_scenario_for_user(user, scenario_id)
    with reported(request, _("Calcul lancé.")):
        scenario_solve(actor=user, scenario=scenario)
    return redirect(scenario.get_absolute_url())


@require_POST
def scenario_cancel_view(request: HttpRequest, scenario_id: uuid.UUID) -> HttpResponse:
    user = _reader(request)
    scenario = get_scenario_for_user(user, scenario_id)
    with reported(request, _("Arrêt demandé : le meilleur plan trouvé sera gardé.")):
        scenario_cancel(actor=user, scenario=scenario)
    return redirect(scenario.get_absolute_url())


@require_safe
def scenario_status(request: HttpRequest, scenario_id: uuid.UUID) -> JsonResponse:
    """The progress of a solve, polled by the page's progress indicator."""
    scenario = get_scenario_for_user(_reader(request), scenario_id)
    return JsonResponse(status_payload(scenario))


@require_safe
def scenario_compare(request: HttpRequest) -> HttpResponse:
    """Two or three scenarios side by side."""
    user = _reader(request)
    wanted = request.GET.getlist("s")
    views = []
    for public_id in dict.fromkeys(wanted):
        try:
            views.append(scenario_view(get_scenario_for_user(user, public_id)))
        except Http404:
            continue
    error = ""
    if not 2 <= len(views) <= MAX_COMPARED:
        error = _("Choisissez de 2 à %(n)s scénarios à comparer.") % {"n": MAX_COMPARED}
        views = views[:MAX_COMPARED] if len(views) > MAX_COMPARED else views
    return render(
        request,
        "planning/compare.html",
        {"views": views, "error": error, "solved": ScenarioStatus.SOLVED},
        status=200,
    )
