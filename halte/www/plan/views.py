"""The plan-crack board: the plan's actions (overdue first) and their statuses, the budget by year
against spending, the evacuations of gathering places with the follow-up of the people oriented,
and a place's evacuations. Counts of people are masked for an evaluator (halte.reports)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from halte.accounts.permissions import client_site_ids
from halte.clients.selectors import find_client_by_code
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Site
from halte.outreach.models import GatheringPlace
from halte.outreach.selectors import gathering_places, get_place_for_user
from halte.plan.enums import ActionStatus, Axis
from halte.plan.models import Evacuation
from halte.plan.permissions import (
    can_manage_plan,
    can_orient_at,
    can_see_oriented_people,
    can_see_plan,
)
from halte.plan.selectors import (
    FollowUp,
    action_history,
    actions_board,
    budget_rows,
    editions,
    evacuations_at,
    evacuations_for_user,
    followup,
    get_action,
    get_edition,
    get_evacuation_for_user,
    oriented_people,
)
from halte.plan.services import (
    Orientation,
    action_create,
    action_set_status,
    budget_year_set,
    evacuation_orient,
    evacuation_record,
)
from halte.reports.indicators.plan import spending_by_year
from halte.reports.permissions import must_suppress
from halte.reports.presentation import masked_label
from halte.reports.suppression import SUPPRESSED, published_count
from halte.www.plan.forms import (
    ActionFilterForm,
    ActionForm,
    BudgetForm,
    EvacuationForm,
    MoreOrientedRows,
    OrientedRows,
    StatusForm,
)
from halte.www.shortcuts import refuse, staff


def _readers_only(request: HttpRequest) -> None:
    if not can_see_plan(request.user):
        raise Http404(_("Introuvable."))


def _coordination_only(request: HttpRequest) -> None:
    if not can_manage_plan(request.user):
        raise Http404(_("Introuvable."))


def _edition_choices() -> list[tuple[str, str]]:
    return [(str(e.public_id), e.label) for e in editions()]


# Actions


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """The actions, overdue first; filtered by plan, axis, status or lateness."""
    _readers_only(request)
    form = ActionFilterForm(request.GET or None)
    form.set_choices("edition", [("", _("Tous")), *_edition_choices()])
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "edition": get_edition(data["edition"]) if data["edition"] else None,
            "axis": data["axis"],
            "status": data["status"],
            "overdue_only": data["overdue"],
        }
    actions = list(actions_board(**filters))
    counts = {s: sum(1 for a in actions if a.status == s) for s in ActionStatus.values}
    return render(
        request,
        "plan/board.html",
        {
            "form": form,
            "actions": actions,
            "overdue": sum(1 for a in actions if a.is_overdue),
            "counts": [(label, counts[value]) for value, label in ActionStatus.choices],
            "editions": editions(),
            "coordination": can_manage_plan(request.user),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    _coordination_only(request)
    form = ActionForm(request.POST or None, initial={"axis": Axis.CARE})
    form.set_choices("edition", _edition_choices())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = action_create(
                actor=staff(request),
                edition=get_edition(data["edition"]),
                number=data["number"],
                title=data["title"],
                axis=data["axis"],
                owner=data["owner"],
                due_on=data["due_on"],
                source=data["source"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Action ajoutée."))
            return redirect("plan:action", action_id=action.public_id)
    return render(request, "plan/action_new.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def action_page(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """An action, its dated history; the coordination changes its status with its date."""
    _readers_only(request)
    action = get_action(action_id)
    coordination = can_manage_plan(request.user)
    form = StatusForm(
        request.POST or None, initial={"effective_on": local_today().strftime("%Y-%m-%d")}
    )
    if request.method == "POST":
        _coordination_only(request)
        if form.is_valid():
            try:
                action_set_status(actor=staff(request), action=action, **form.cleaned_data)
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Statut changé."))
                return redirect("plan:action", action_id=action.public_id)
    return render(
        request,
        "plan/action.html",
        {
            "action": action,
            "history": action_history(action),
            "form": form if coordination else None,
        },
    )


# Budget


@require_http_methods(["GET", "HEAD", "POST"])
def budget(request: HttpRequest) -> HttpResponse:
    """Per year: planned, spent (funding lines with a plan action number) and the difference."""
    _readers_only(request)
    coordination = can_manage_plan(request.user)
    form = BudgetForm(request.POST or None) if coordination else None
    if form is not None:
        form.set_choices("edition", _edition_choices())
    if request.method == "POST":
        _coordination_only(request)
        assert form is not None
        if form.is_valid():
            data = form.cleaned_data
            try:
                budget_year_set(
                    actor=staff(request),
                    edition=get_edition(data["edition"]),
                    year=data["year"],
                    amount=data["amount"],
                    source=data["source"],
                    approximate=data["approximate"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Budget de l'année enregistré."))
                return redirect("plan:budget")
    years = sorted({y for e in editions() for y in e.years} | {local_today().year})
    rows = budget_rows(spending_by_year(None, years))
    return render(
        request,
        "plan/budget.html",
        {"rows": rows, "form": form, "editions": editions()},
    )


# Evacuations


@dataclass(frozen=True)
class ShownWindow:
    days: int
    ends_on: Any
    over: bool
    seen: str
    housed: str
    in_care: str


def _count(value: int, masked: bool) -> str:
    """A count of people as this reader may read it: exact, or rounded to 5 and "<10"."""
    if not masked:
        return str(value)
    published = published_count(value)
    return SUPPRESSED if published is None else str(published)


def _shown(result: FollowUp, masked: bool) -> dict[str, Any]:
    """The follow-up as this reader may read it. For a masked reader, a window not over yet is
    not shown: its figures would change from one day to the next and tell the change."""
    windows = [
        ShownWindow(
            w.days,
            w.ends_on,
            w.over,
            _count(w.seen, masked) if w.over or not masked else masked_label(),
            _count(w.housed, masked) if w.over or not masked else masked_label(),
            _count(w.in_care, masked) if w.over or not masked else masked_label(),
        )
        for w in result.windows
    ]
    return {"oriented": _count(result.oriented, masked), "windows": windows}


@require_safe
def evacuations(request: HttpRequest) -> HttpResponse:
    _readers_only(request)
    masked = must_suppress(request.user)
    listed = evacuations_for_user(request.user).annotate(n=Count("oriented"))[:200]
    rows = [(e, _count(e.n, masked)) for e in listed]
    return render(
        request,
        "plan/evacuations.html",
        {"rows": rows, "can_record": _can_record_any(request), "masked": masked},
    )


def _can_record_any(request: HttpRequest) -> bool:
    return can_manage_plan(request.user) or bool(client_site_ids(request.user))


def _team_choices(request: HttpRequest) -> list[tuple[str, str]]:
    sites = Site.objects.exclude(status__in=PROJECT_STATUSES).order_by("name")
    if not can_manage_plan(request.user):
        sites = sites.filter(pk__in=client_site_ids(request.user))
    return [(str(s.public_id), s.name) for s in sites]


def _destination_choices() -> list[tuple[str, str]]:
    sites = Site.objects.exclude(status__in=PROJECT_STATUSES).order_by("name")
    return [("", "—"), *((str(s.public_id), s.name) for s in sites)]


def _orientations(request: HttpRequest, rows: Any, team: Site | None) -> list[Orientation] | None:
    """The people of the filled rows, found by code; None after putting errors on the rows."""
    filled = [r.cleaned_data for r in rows if r.cleaned_data.get("code")]
    if filled and (team is None or not can_orient_at(request.user, team)):
        rows.forms[0].add_error("code", _("Seule l'équipe présente nomme les personnes orientées."))
        return None
    found: list[Orientation] = []
    sites = {str(s.public_id): s for s in Site.objects.exclude(status__in=PROJECT_STATUSES)}
    for row in rows:
        data = row.cleaned_data
        if not data.get("code"):
            continue
        person = find_client_by_code(request.user, data["code"])
        if person is None:
            row.add_error("code", _("Aucune personne n'a ce code."))
            return None
        found.append(
            Orientation(person, data["destination_kind"], sites.get(data["destination_site"]))
        )
    return found


def _place(request: HttpRequest, value: str) -> GatheringPlace:
    return get_place_for_user(request.user, value)


@require_http_methods(["GET", "HEAD", "POST"])
def evacuation_new(request: HttpRequest) -> HttpResponse:
    """Record an evacuation: the place, the day, the people present and the people oriented."""
    _readers_only(request)
    if not _can_record_any(request):
        raise Http404(_("Introuvable."))
    teams = _team_choices(request)
    initial = {"happened_on": local_today().strftime("%Y-%m-%d")}
    if request.GET.get("lieu"):
        initial["place"] = request.GET["lieu"]
    form = EvacuationForm(request.POST or None, initial=initial)
    form.set_choices("place", [(str(p.public_id), p.name) for p in gathering_places(request.user)])
    form.set_choices("team", teams)
    rows = OrientedRows(request.POST or None, prefix="p")
    destinations = _destination_choices()
    for row in rows:
        row.set_choices("destination_site", destinations)
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        data = form.cleaned_data
        team = Site.objects.get(public_id=data["team"])
        oriented = _orientations(request, rows, team)
        if oriented is not None:
            try:
                evacuation = evacuation_record(
                    actor=staff(request),
                    place=_place(request, data["place"]),
                    team=team,
                    happened_on=data["happened_on"],
                    people_present=data["people_present"],
                    oriented=oriented,
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(request, _("Évacuation enregistrée."))
                return redirect("plan:evacuation", evacuation_id=evacuation.public_id)
    return render(request, "plan/evacuation_new.html", {"form": form, "rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
def evacuation_page(request: HttpRequest, evacuation_id: uuid.UUID) -> HttpResponse:
    """The evacuation and the follow-up of the people oriented at 7, 30 and 90 days (counts,
    masked for an evaluator); the team's own staff also read the codes and add people."""
    evacuation = get_evacuation_for_user(request.user, evacuation_id)
    may_orient = can_orient_at(request.user, evacuation.team)
    rows = MoreOrientedRows(request.POST or None, prefix="p")
    destinations = _destination_choices()
    for row in rows:
        row.set_choices("destination_site", destinations)
    if request.method == "POST":
        if not may_orient:
            raise Http404(_("Introuvable."))
        if rows.is_valid():
            oriented = _orientations(request, rows, evacuation.team)
            if oriented:
                try:
                    evacuation_orient(
                        actor=staff(request), evacuation=evacuation, oriented=oriented
                    )
                except DomainError as exc:
                    refuse(rows.forms[0], exc)
                else:
                    messages.success(request, _("Personnes orientées ajoutées."))
                    return redirect("plan:evacuation", evacuation_id=evacuation.public_id)
    masked = must_suppress(request.user)
    result = followup(evacuation)
    return render(
        request,
        "plan/evacuation.html",
        {
            "evacuation": evacuation,
            "followup": _shown(result, masked),
            "masked": masked,
            "destinations": [
                (_destination_label(kind), _count(n, masked)) for kind, n in result.by_destination
            ],
            "people": oriented_people(evacuation)
            if can_see_oriented_people(request.user, evacuation)
            else None,
            "rows": rows if may_orient else None,
        },
    )


def _destination_label(kind: str) -> str:
    from halte.plan.enums import Destination

    return str(dict(Destination.choices).get(kind, kind))


@require_safe
def place_history(request: HttpRequest, place_id: uuid.UUID) -> HttpResponse:
    """A gathering place's evacuations, latest first."""
    _readers_only(request)
    place = get_place_for_user(request.user, place_id)
    masked = must_suppress(request.user)
    rows: list[tuple[Evacuation, str]] = [
        (e, _count(e.n, masked)) for e in evacuations_at(place).annotate(n=Count("oriented"))
    ]
    return render(
        request,
        "plan/place.html",
        {
            "place": place,
            "rows": rows,
            "can_record": _can_record_any(request),
        },
    )
