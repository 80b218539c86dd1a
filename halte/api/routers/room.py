"""The room's door and queue: refusals (counted, never linked to a person), waits for a booth,
the watch in the rest area after a session, and a site's day hour by hour.

Every POST honours an Idempotency-Key header, as the rest of the API."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from halte.accounts.permissions import can_record_at
from halte.api.common import Strict, acting_user
from halte.api.types import ParisDateTime
from halte.consumption.enums import RefusalReason, RefusalStage, SessionRoute, WaitOutcome
from halte.consumption.models import Refusal, Session, Wait
from halte.consumption.room import refusal_record, wait_end, wait_start, watch_end
from halte.consumption.selectors import (
    door_day,
    get_session_for_user,
    get_wait_for_user,
    open_waits,
)
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.network.selectors import get_site_for_user
from halte.visits.selectors import get_visit_for_user

router = Router(tags=["entrée et attente"])


def _recording_site(request: HttpRequest, site_id: uuid.UUID) -> Site:
    site = get_site_for_user(request.user, site_id)
    if not can_record_at(request.user, site):
        raise Http404
    return site


class RefusalIn(Strict):
    reason: RefusalReason
    stage: RefusalStage = RefusalStage.DOOR
    route: SessionRoute | None = Field(None, description="La voie demandée (motif « voie »).")
    at: ParisDateTime | None = None


class RefusalOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    at: dt.datetime
    stage: str
    reason: str
    route: str


@router.post("/sites/{site_id}/refusals", response={201: RefusalOut})
def record_refusal(request: HttpRequest, site_id: uuid.UUID, payload: RefusalIn) -> Status[Refusal]:
    """Count someone turned away by the staff (no person: never a name, a code or a visit).
    Refusals made by Halte's own rules at check-in or at a session start are counted already."""
    site = _recording_site(request, site_id)
    refusal = refusal_record(
        actor=acting_user(request),
        site=site,
        reason=payload.reason,
        stage=payload.stage,
        route=payload.route or "",
        at=payload.at,
    )
    return Status(201, refusal)


class DoorHourOut(Schema):
    hour: int
    refused: int
    full: int
    waits: int


class DayQuery(Schema):
    date: dt.date | None = None


@router.get("/sites/{site_id}/door", response=list[DoorHourOut])
def door(request: HttpRequest, site_id: uuid.UUID, query: Query[DayQuery]) -> list[object]:
    """A site's day at the door, hour by hour (Paris time): refusals, of which because full, and
    waits begun. Counts only; today when no date is given."""
    site = _recording_site(request, site_id)
    return list(door_day(site, query.date or local_today()))


class WaitIn(Strict):
    visit: uuid.UUID
    route: SessionRoute


class WaitOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    visit: uuid.UUID = Field(alias="visit.public_id")
    route: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    outcome: str


@router.post("/waits", response={201: WaitOut})
def start_wait(request: HttpRequest, payload: WaitIn) -> Status[Wait]:
    """Someone present waits for a booth. 422 when they wait already or have had their session."""
    visit = get_visit_for_user(request.user, payload.visit)
    wait = wait_start(actor=acting_user(request), visit=visit, route=payload.route)
    return Status(201, wait)


@router.get("/sites/{site_id}/waits", response=list[WaitOut])
def waits(request: HttpRequest, site_id: uuid.UUID) -> list[Wait]:
    """Who waits for a booth now, longest first."""
    site = _recording_site(request, site_id)
    return [t.item for t in open_waits(site) if isinstance(t.item, Wait)]


class WaitEndIn(Strict):
    outcome: WaitOutcome = WaitOutcome.LEFT
    at: ParisDateTime | None = None


@router.post("/waits/{wait_id}/end", response=WaitOut)
def end_wait(request: HttpRequest, wait_id: uuid.UUID, payload: WaitEndIn | None = None) -> Wait:
    """End a wait: the person left (default) or got a booth (starting the session does it)."""
    wait = get_wait_for_user(request.user, wait_id)
    body = payload or WaitEndIn()
    return wait_end(actor=acting_user(request), wait=wait, outcome=body.outcome, at=body.at)


class WatchEndIn(Strict):
    at: ParisDateTime | None = None


class WatchOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    ended_at: dt.datetime | None
    watch_started_at: dt.datetime | None
    watch_ended_at: dt.datetime | None


@router.post("/sessions/{session_id}/watch/end", response=WatchOut)
def end_watch(
    request: HttpRequest, session_id: uuid.UUID, payload: WatchEndIn | None = None
) -> Session:
    """The person leaves the rest area after their session."""
    session = get_session_for_user(request.user, session_id)
    return watch_end(
        actor=acting_user(request), session=session, at=payload.at if payload else None
    )
