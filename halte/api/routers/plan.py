"""The plan-crack board: the plan's actions and their dated statuses, the budget by year against
spending, the evacuations of gathering places with the people oriented (by code) and their
follow-up at 7, 30 and 90 days. Every POST honours an Idempotency-Key header
(halte.api.idempotency). Counts of people are rounded to 5 and "<10" (``null``) for an evaluator;
the codes of the people oriented are given to the team that recorded them only."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from halte.accounts.permissions import client_site_ids
from halte.api.common import Strict, acting_user
from halte.clients.selectors import find_client_by_code
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.network.selectors import get_site_for_user
from halte.outreach.selectors import get_place_for_user
from halte.plan.enums import ActionStatus, Axis, Destination
from halte.plan.models import ActionStatusChange, Evacuation, PlanAction, PlanEdition
from halte.plan.permissions import can_manage_plan, can_orient_at, can_see_oriented_people
from halte.plan.selectors import (
    action_history,
    actions_board,
    budget_rows,
    editions,
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
    evacuation_record,
)
from halte.reports.indicators.plan import spending_by_year
from halte.reports.permissions import must_suppress
from halte.reports.suppression import published_count

router = Router(tags=["plan crack"])


def _readers_only(request: HttpRequest) -> None:
    from halte.plan.permissions import can_see_plan

    if not can_see_plan(request.user):
        raise Http404


def _coordination_only(request: HttpRequest) -> None:
    if not can_manage_plan(request.user):
        raise Http404


def _count(value: int, masked: bool) -> int | None:
    return published_count(value) if masked else value


# Editions and actions


class PlanEditionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    code: str
    label: str
    first_year: int
    last_year: int
    actions_planned: int | None
    source: str


@router.get("/plan/editions", response=list[PlanEditionOut])
def list_editions(request: HttpRequest) -> list[PlanEdition]:
    _readers_only(request)
    return list(editions())


class PlanActionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    edition: str = Field(alias="edition.code")
    number: int
    title: str
    axis: str
    owner: str
    due_on: dt.date | None
    status: str
    status_since: dt.date
    overdue: bool = Field(alias="is_overdue")
    source: str
    invented: bool


class PlanActionsQuery(Schema):
    edition: uuid.UUID | None = None
    axis: Axis | None = None
    status: ActionStatus | None = None
    overdue: bool = False


@router.get("/plan/actions", response=list[PlanActionOut])
def list_actions(request: HttpRequest, query: Query[PlanActionsQuery]) -> list[PlanAction]:
    """The actions, overdue first, then by due date."""
    _readers_only(request)
    return list(
        actions_board(
            edition=get_edition(query.edition) if query.edition else None,
            axis=query.axis.value if query.axis else "",
            status=query.status.value if query.status else "",
            overdue_only=query.overdue,
        )
    )


class PlanActionIn(Strict):
    edition: uuid.UUID
    number: int = Field(..., ge=1, le=999)
    title: str = Field(..., min_length=1, max_length=200)
    axis: Axis
    owner: str = Field(..., min_length=1, max_length=120)
    due_on: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    status_since: dt.date | None = None
    source: str = Field("", max_length=400)


@router.post("/plan/actions", response={201: PlanActionOut})
def create_action(request: HttpRequest, payload: PlanActionIn) -> Status[PlanAction]:
    """Add an action to a plan (the coordination only)."""
    _coordination_only(request)
    action = action_create(
        actor=acting_user(request),
        edition=get_edition(payload.edition),
        number=payload.number,
        title=payload.title,
        axis=payload.axis.value,
        owner=payload.owner,
        due_on=payload.due_on,
        status=payload.status.value,
        status_since=payload.status_since,
        source=payload.source,
    )
    return Status(201, action)


class PlanStatusChangeOut(Schema):
    from_status: str
    to_status: str
    effective_on: dt.date
    note: str


class PlanActionDetailOut(PlanActionOut):
    history: list[PlanStatusChangeOut]

    @staticmethod
    def resolve_history(action: PlanAction) -> list[ActionStatusChange]:
        return list(action_history(action))


@router.get("/plan/actions/{action_id}", response=PlanActionDetailOut)
def read_action(request: HttpRequest, action_id: uuid.UUID) -> PlanAction:
    _readers_only(request)
    return get_action(action_id)


class PlanStatusIn(Strict):
    status: ActionStatus
    effective_on: dt.date | None = None
    note: str = Field("", max_length=200)


@router.post("/plan/actions/{action_id}/status", response=PlanActionDetailOut)
def change_status(request: HttpRequest, action_id: uuid.UUID, payload: PlanStatusIn) -> PlanAction:
    """Move an action to another status on a date (the coordination only)."""
    _coordination_only(request)
    return action_set_status(
        actor=acting_user(request),
        action=get_action(action_id),
        status=payload.status.value,
        effective_on=payload.effective_on,
        note=payload.note,
    )


# Budget


class PlanBudgetRowOut(Schema):
    year: int
    editions: list[str]
    planned: Decimal | None
    spent: Decimal
    difference: Decimal | None
    sources: list[str]


class PlanBudgetQuery(Schema):
    first_year: int = Field(2019, ge=2000, le=2100)
    last_year: int | None = Field(None, ge=2000, le=2100)


@router.get("/plan/budget", response=list[PlanBudgetRowOut])
def read_budget(request: HttpRequest, query: Query[PlanBudgetQuery]) -> list[dict[str, object]]:
    """Per year: planned (the plan's budget lines), spent (the funding lines carrying a plan
    action number, every site) and the difference, spent minus planned."""
    _readers_only(request)
    last = query.last_year or local_today().year
    if last < query.first_year:
        raise DomainError(_("La dernière année précède la première."), field="last_year")
    years = list(range(query.first_year, last + 1))[:100]
    return [
        {
            "year": r.year,
            "editions": list(r.editions),
            "planned": r.planned,
            "spent": r.spent,
            "difference": r.difference,
            "sources": list(r.sources),
        }
        for r in budget_rows(spending_by_year(None, years), years=years)
    ]


class PlanBudgetIn(Strict):
    edition: uuid.UUID
    year: int = Field(..., ge=2000, le=2100)
    amount: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    source: str = Field("", max_length=400)
    approximate: bool = False


class PlanBudgetLineOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    edition: str = Field(alias="edition.code")
    year: int
    amount: Decimal
    source: str
    approximate: bool


@router.post("/plan/budget", response={201: PlanBudgetLineOut})
def set_budget(request: HttpRequest, payload: PlanBudgetIn) -> Status[object]:
    """Set what a plan planned for one of its years (the coordination only)."""
    _coordination_only(request)
    line = budget_year_set(
        actor=acting_user(request),
        edition=get_edition(payload.edition),
        year=payload.year,
        amount=payload.amount,
        source=payload.source,
        approximate=payload.approximate,
    )
    return Status(201, line)


# Evacuations


class PlanOrientedIn(Strict):
    code: str = Field(..., min_length=1, max_length=20)
    destination_kind: Destination
    destination_site: uuid.UUID | None = None


class PlanEvacuationIn(Strict):
    place: uuid.UUID
    team: uuid.UUID
    happened_on: dt.date
    people_present: int = Field(..., ge=0, le=5000)
    oriented: list[PlanOrientedIn] = Field(default_factory=list, max_length=500)


class PlanWindowOut(Schema):
    days: int
    ends_on: dt.date
    over: bool
    seen: int | None
    housed: int | None
    in_care: int | None


class PlanOrientedOut(Schema):
    code: str
    destination_kind: str
    destination_site: uuid.UUID | None


class PlanEvacuationOut(Schema):
    id: uuid.UUID
    place: uuid.UUID
    place_name: str
    team: uuid.UUID
    happened_on: dt.date
    people_present: int
    oriented: int | None
    masked: bool
    invented: bool
    followup: list[PlanWindowOut]
    people: list[PlanOrientedOut] | None = Field(
        None, description="Les codes des personnes orientées : pour l'équipe présente seulement."
    )


def _evacuation_out(request: HttpRequest, evacuation: Evacuation) -> dict[str, object]:
    masked = must_suppress(request.user)
    result = followup(evacuation)
    people = None
    if can_see_oriented_people(request.user, evacuation):
        people = [
            {
                "code": p.client.display_code,
                "destination_kind": p.destination_kind,
                "destination_site": p.destination_site.public_id if p.destination_site else None,
            }
            for p in oriented_people(evacuation)
        ]
    return {
        "id": evacuation.public_id,
        "place": evacuation.place.public_id,
        "place_name": evacuation.place.name,
        "team": evacuation.team.public_id,
        "happened_on": evacuation.happened_on,
        "people_present": evacuation.people_present,
        "oriented": _count(result.oriented, masked),
        "masked": masked,
        "invented": evacuation.synthetic,
        "followup": [
            {
                "days": w.days,
                "ends_on": w.ends_on,
                "over": w.over,
                # A masked reader gets a window once it is over (null before).
                "seen": _count(w.seen, masked) if w.over or not masked else None,
                "housed": _count(w.housed, masked) if w.over or not masked else None,
                "in_care": _count(w.in_care, masked) if w.over or not masked else None,
            }
            for w in result.windows
        ],
        "people": people,
    }


class PlanEvacuationRowOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    place: uuid.UUID = Field(alias="place.public_id")
    happened_on: dt.date
    people_present: int
    team: uuid.UUID = Field(alias="team.public_id")
    invented: bool = Field(alias="synthetic")


@router.get("/plan/evacuations", response=list[PlanEvacuationRowOut])
def list_evacuations(request: HttpRequest) -> list[Evacuation]:
    return list(evacuations_for_user(request.user)[:500])


def _orientations(request: HttpRequest, team: Site, payload: PlanEvacuationIn) -> list[Orientation]:
    if payload.oriented and not can_orient_at(request.user, team):
        raise DomainError(
            _("Seule l'équipe présente nomme les personnes orientées."), field="oriented"
        )
    found = []
    for item in payload.oriented:
        person = find_client_by_code(request.user, item.code)
        if person is None:
            raise DomainError(_("Aucune personne n'a ce code."), field="oriented")
        site = (
            get_site_for_user(request.user, item.destination_site)
            if item.destination_site
            else None
        )
        found.append(Orientation(person, item.destination_kind.value, site))
    return found


@router.post("/plan/evacuations", response={201: PlanEvacuationOut})
def record_evacuation(request: HttpRequest, payload: PlanEvacuationIn) -> Status[dict[str, object]]:
    """Record an evacuation with the people oriented (by code): by the team's front-line staff,
    or by the coordination without people. 404 for a team you do not work in."""
    actor = acting_user(request)
    try:
        team = Site.objects.get(public_id=payload.team)
    except Site.DoesNotExist as exc:
        raise Http404 from exc
    if not can_manage_plan(actor) and team.pk not in client_site_ids(actor):
        raise Http404
    evacuation = evacuation_record(
        actor=actor,
        place=get_place_for_user(actor, payload.place),
        team=team,
        happened_on=payload.happened_on,
        people_present=payload.people_present,
        oriented=_orientations(request, team, payload),
    )
    return Status(201, _evacuation_out(request, evacuation))


@router.get("/plan/evacuations/{evacuation_id}", response=PlanEvacuationOut)
def read_evacuation(request: HttpRequest, evacuation_id: uuid.UUID) -> dict[str, object]:
    """An evacuation and the follow-up of the people oriented at 7, 30 and 90 days."""
    return _evacuation_out(request, get_evacuation_for_user(request.user, evacuation_id))
