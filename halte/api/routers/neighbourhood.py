"""The neighbourhood: pick-ups in public space, residents' reports (a public create, staff read and
triage), mediation rounds, committees and their decisions.

Every POST honours an Idempotency-Key header (halte.api.idempotency). The public create of a report
needs no sign-in and is limited per address (halte.core.throttle, scope "write"); it answers a
reference to quote, never the report's id. A resident's contact is answered to the coordinating
role only (``contact`` is null for everyone else) and never appears in a list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from halte.api.common import Strict, acting_user
from halte.api.types import ParisDateTime
from halte.core.errors import DomainError
from halte.core.throttle import PublicThrottle
from halte.neighbourhood.enums import (
    PickupItem,
    PlaceKind,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportStatus,
    RoundKind,
)
from halte.neighbourhood.models import (
    CONTACT_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
)
from halte.neighbourhood.selectors import (
    committees_visible_to,
    get_committee_for_user,
    get_decision_for_user,
    get_report_for_user,
    get_round_for_user,
    get_street_team_for_user,
    hours_to_answer,
    is_overdue,
    pickups_visible_to,
    report_contact_for,
    reports_visible_to,
    rounds_visible_to,
)
from halte.neighbourhood.services import (
    committee_record,
    decision_add,
    decision_done,
    pickup_record,
    report_answer,
    report_close,
    report_log,
    report_submit,
    report_triage,
    round_end,
    round_start,
)
from halte.network.selectors import get_site_for_user

router = Router(tags=["quartier"])

MAX_LIST = 500


class SiteListQuery(Schema):
    site: uuid.UUID | None = None
    limit: int = Field(100, ge=1, le=MAX_LIST)


class PickupQuery(Schema):
    team: uuid.UUID | None = None
    area_code: str | None = Field(None, max_length=5)
    since: dt.date | None = None
    limit: int = Field(200, ge=1, le=MAX_LIST)


class NeighbourhoodReportQuery(Schema):
    status: ReportStatus | None = None
    limit: int = Field(200, ge=1, le=MAX_LIST)


# Rounds


class MediationRoundIn(Strict):
    site: uuid.UUID
    kind: RoundKind
    area_label: str = Field("", max_length=200)


class MediationRoundEndIn(Strict):
    public_consumption_seen: int = Field(0, ge=0, le=500)
    gatherings_seen: int = Field(0, ge=0, le=500)
    people_met: int = Field(0, ge=0, le=500)
    residents_met: int = Field(0, ge=0, le=500)


class MediationRoundOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    kind: str
    area_label: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    public_consumption_seen: int
    gatherings_seen: int
    people_met: int
    residents_met: int


@router.post("/mediation-rounds", response={201: MediationRoundOut})
def start_round(request: HttpRequest, payload: MediationRoundIn) -> Status[MediationRound]:
    """Start a pick-up or mediation round of a site's team (409 if one of that kind is running)."""
    site = get_street_team_for_user(request.user, payload.site)
    round_ = round_start(
        actor=acting_user(request),
        site=site,
        kind=payload.kind.value,
        area_label=payload.area_label,
    )
    return Status(201, round_)


@router.post("/mediation-rounds/{round_id}/end", response=MediationRoundOut)
def end_round(
    request: HttpRequest, round_id: uuid.UUID, payload: MediationRoundEndIn
) -> MediationRound:
    """End a round with what was seen, as counts."""
    round_ = get_round_for_user(request.user, round_id)
    return round_end(actor=acting_user(request), round_=round_, seen=payload.model_dump())


@router.get("/mediation-rounds", response=list[MediationRoundOut])
def list_rounds(request: HttpRequest, query: Query[SiteListQuery]) -> list[MediationRound]:
    rounds = rounds_visible_to(request.user)
    if query.site is not None:
        rounds = rounds.filter(site__public_id=query.site)
    return list(rounds.order_by("-started_at")[: query.limit])


@router.get("/mediation-rounds/{round_id}", response=MediationRoundOut)
def get_round(request: HttpRequest, round_id: uuid.UUID) -> MediationRound:
    return get_round_for_user(request.user, round_id)


# Pick-ups


class PickupIn(Strict):
    team: uuid.UUID
    item: PickupItem
    place_kind: PlaceKind
    count: int = Field(..., ge=1, le=500)
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    address: str = Field("", max_length=200)
    found_at: ParisDateTime | None = None
    round: uuid.UUID | None = None


class PickupOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    team: uuid.UUID = Field(alias="team.public_id")
    round: uuid.UUID | None
    found_at: dt.datetime
    item: str
    place_kind: str
    count: int
    lon: float
    lat: float
    address_label: str
    iris_code: str
    area_code: str

    @staticmethod
    def resolve_round(pickup: Pickup) -> uuid.UUID | None:
        return pickup.round.public_id if pickup.round else None


@router.post("/pickups", response={201: PickupOut})
def record_pickup(request: HttpRequest, payload: PickupIn) -> Status[Pickup]:
    """Record one find (a point, or an address snapped to its street)."""
    team = get_street_team_for_user(request.user, payload.team)
    round_ = get_round_for_user(request.user, payload.round) if payload.round else None
    pickup = pickup_record(
        actor=acting_user(request),
        team=team,
        item=payload.item.value,
        place_kind=payload.place_kind.value,
        count=payload.count,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        found_at=payload.found_at,
        round_=round_,
    )
    return Status(201, pickup)


@router.get("/pickups", response=list[PickupOut])
def list_pickups(request: HttpRequest, query: Query[PickupQuery]) -> list[Pickup]:
    """Finds, the latest first."""
    pickups = pickups_visible_to(request.user).select_related("round")
    if query.team is not None:
        pickups = pickups.filter(team__public_id=query.team)
    if query.area_code:
        pickups = pickups.filter(area_code=query.area_code)
    if query.since is not None:
        pickups = pickups.filter(found_at__date__gte=query.since)
    return list(pickups.order_by("-found_at")[: query.limit])


# Residents' reports


class PublicReportIn(Strict):
    kind: ReportKind
    seen_at: ParisDateTime
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    address: str = Field("", max_length=200)
    description: str = Field("", max_length=DESCRIPTION_MAX)
    contact: str = Field("", max_length=CONTACT_MAX)


class PublicReportOut(Schema):
    reference: str
    received_at: dt.datetime


@router.post(
    "/neighbourhood-reports",
    response={201: PublicReportOut},
    auth=None,
    throttle=[PublicThrottle("write")],
)
def submit_report(request: HttpRequest, payload: PublicReportIn) -> Status[NeighbourhoodReport]:
    """A resident's report, without signing in: answers the reference to quote when calling."""
    report = report_submit(
        kind=payload.kind.value,
        seen_at=payload.seen_at,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        description=payload.description,
        contact=payload.contact,
    )
    return Status(201, report)


class LoggedReportIn(PublicReportIn):
    channel: ReportChannel
    site: uuid.UUID | None = None


class NeighbourhoodReportOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    reference: str
    kind: str
    channel: str
    status: str
    seen_at: dt.datetime
    received_at: dt.datetime
    triaged_at: dt.datetime | None
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    hours_to_answer: float | None
    lon: float | None
    lat: float | None
    address_label: str
    iris_code: str
    area_code: str
    assigned_site: uuid.UUID | None
    outcome: str
    outcome_note: str
    description: str

    @staticmethod
    def resolve_assigned_site(report: NeighbourhoodReport) -> uuid.UUID | None:
        return report.assigned_site.public_id if report.assigned_site else None

    @staticmethod
    def resolve_hours_to_answer(report: NeighbourhoodReport) -> float | None:
        return hours_to_answer(report)


class ReportDetailOut(NeighbourhoodReportOut):
    contact: str | None = Field(
        None, description="Le contact du riverain : pour la coordination seulement, sinon null."
    )

    @staticmethod
    def resolve_contact(report: NeighbourhoodReport, context: dict[str, Any]) -> str | None:
        request = context.get("request") if context else None
        if request is None:
            return None
        return report_contact_for(request.user, report)


@router.post("/neighbourhood-reports/logged", response={201: ReportDetailOut})
def log_report(request: HttpRequest, payload: LoggedReportIn) -> Status[NeighbourhoodReport]:
    """A report received by phone, mail or at a meeting, logged by staff."""
    if payload.channel == ReportChannel.PUBLIC_FORM:
        raise DomainError(_("Le formulaire public n'est pas un canal de saisie."), field="channel")
    site = get_site_for_user(request.user, payload.site) if payload.site else None
    report = report_log(
        actor=acting_user(request),
        channel=payload.channel.value,
        kind=payload.kind.value,
        seen_at=payload.seen_at,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        description=payload.description,
        contact=payload.contact,
        site=site,
    )
    return Status(201, report)


@router.get("/neighbourhood-reports", response=list[NeighbourhoodReportOut])
def list_reports(
    request: HttpRequest, query: Query[NeighbourhoodReportQuery]
) -> list[NeighbourhoodReport]:
    """The reports the user handles (the coordinator: all), the latest first; no contact."""
    reports = reports_visible_to(request.user)
    if query.status is not None:
        reports = reports.filter(status=query.status.value)
    return list(reports.order_by("-received_at")[: query.limit])


@router.get("/neighbourhood-reports/{report_id}", response=ReportDetailOut)
def get_report(request: HttpRequest, report_id: uuid.UUID) -> NeighbourhoodReport:
    report = get_report_for_user(request.user, report_id)
    return report


class TriageIn(Strict):
    site: uuid.UUID


@router.post("/neighbourhood-reports/{report_id}/triage", response=ReportDetailOut)
def triage_report(
    request: HttpRequest, report_id: uuid.UUID, payload: TriageIn
) -> NeighbourhoodReport:
    """The coordinator gives a report to a site or team."""
    report = get_report_for_user(request.user, report_id)
    site = get_site_for_user(request.user, payload.site)
    report_triage(actor=acting_user(request), report=report, site=site)
    return report


@router.post("/neighbourhood-reports/{report_id}/answer", response=ReportDetailOut)
def answer_report(request: HttpRequest, report_id: uuid.UUID) -> NeighbourhoodReport:
    """The person who reported has been answered: the time to answer stops."""
    report = get_report_for_user(request.user, report_id)
    report_answer(actor=acting_user(request), report=report)
    return report


class ReportCloseIn(Strict):
    outcome: ReportOutcome
    note: str = Field("", max_length=NOTE_MAX)


@router.post("/neighbourhood-reports/{report_id}/close", response=ReportDetailOut)
def close_report(
    request: HttpRequest, report_id: uuid.UUID, payload: ReportCloseIn
) -> NeighbourhoodReport:
    """Close a report with what was done."""
    report = get_report_for_user(request.user, report_id)
    report_close(
        actor=acting_user(request), report=report, outcome=payload.outcome.value, note=payload.note
    )
    return report


# Committees


class CommitteeIn(Strict):
    site: uuid.UUID
    held_on: dt.date
    residents: int = Field(0, ge=0, le=500)
    school: int = Field(0, ge=0, le=500)
    police: int = Field(0, ge=0, le=500)
    city: int = Field(0, ge=0, le=500)
    traders: int = Field(0, ge=0, le=500)
    other: int = Field(0, ge=0, le=500)
    topics: str = Field("", max_length=NOTE_MAX)


class DecisionIn(Strict):
    text: str = Field(..., min_length=1, max_length=NOTE_MAX)
    owner_label: str = Field(..., min_length=1, max_length=120)
    due_on: dt.date | None = None


class DecisionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    text: str
    owner_label: str
    due_on: dt.date | None
    done_on: dt.date | None
    overdue: bool

    @staticmethod
    def resolve_overdue(decision: CommitteeDecision) -> bool:
        return is_overdue(decision)


class CommitteeOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    held_on: dt.date
    residents: int
    school: int
    police: int
    city: int
    traders: int
    other: int
    topics: str
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(committee: Committee) -> list[CommitteeDecision]:
        return list(committee.decisions.all())


@router.post("/committees", response={201: CommitteeOut})
def record_committee(request: HttpRequest, payload: CommitteeIn) -> Status[Committee]:
    """A committee meeting of a site: who came, by kind, and the topics."""
    site = get_site_for_user(request.user, payload.site)
    attendance = payload.model_dump(
        include={"residents", "school", "police", "city", "traders", "other"}
    )
    committee = committee_record(
        actor=acting_user(request),
        site=site,
        held_on=payload.held_on,
        attendance=attendance,
        topics=payload.topics,
    )
    return Status(201, committee)


@router.get("/committees", response=list[CommitteeOut])
def list_committees(request: HttpRequest, query: Query[SiteListQuery]) -> list[Committee]:
    committees = committees_visible_to(request.user).prefetch_related("decisions")
    if query.site is not None:
        committees = committees.filter(site__public_id=query.site)
    return list(committees.order_by("-held_on")[: query.limit])


@router.get("/committees/{committee_id}", response=CommitteeOut)
def get_committee(request: HttpRequest, committee_id: uuid.UUID) -> Committee:
    return get_committee_for_user(request.user, committee_id)


@router.post("/committees/{committee_id}/decisions", response={201: DecisionOut})
def add_decision(
    request: HttpRequest, committee_id: uuid.UUID, payload: DecisionIn
) -> Status[CommitteeDecision]:
    """A decision with its owner (a service or organisation, not a person) and due date."""
    committee = get_committee_for_user(request.user, committee_id)
    decision = decision_add(
        actor=acting_user(request),
        committee=committee,
        text=payload.text,
        owner_label=payload.owner_label,
        due_on=payload.due_on,
    )
    return Status(201, decision)


@router.post("/committees/decisions/{decision_id}/done", response=DecisionOut)
def mark_decision_done(request: HttpRequest, decision_id: uuid.UUID) -> CommitteeDecision:
    decision = get_decision_for_user(request.user, decision_id)
    return decision_done(actor=acting_user(request), decision=decision)
