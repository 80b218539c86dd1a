"""Accommodation: stays in beds, the waiting list and the night view.

Every POST honours an Idempotency-Key header (halte.core.idempotency). A bed holds one person a
night: a stay that would share a night answers 409."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from halte.api.common import Strict, acting_user
from halte.clients.selectors import get_client_for_user
from halte.lodging.enums import ExitReason, Priority
from halte.lodging.models import Stay, WaitingEntry
from halte.lodging.selectors import (
    get_bed_for_user,
    get_lodging_site_for_user,
    get_stay_for_user,
    get_waiting_for_user,
    night_view,
    stays_in_progress,
    waiting_list,
)
from halte.lodging.services import (
    stay_create,
    stay_end,
    stay_renew,
    waiting_add,
    waiting_withdraw,
)

router = Router(tags=["hébergement"])


class StayIn(Strict):
    bed: uuid.UUID
    client: uuid.UUID
    entry_date: dt.date | None = None
    planned_exit_date: dt.date | None = None
    waiting_entry: uuid.UUID | None = None


class StayOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="bed.site.public_id")
    bed: str = Field(alias="bed.label")
    client: uuid.UUID = Field(alias="client.public_id")
    entry_date: dt.date
    planned_exit_date: dt.date | None
    exit_date: dt.date | None
    exit_reason: str


@router.post("/stays", response={201: StayOut})
def create_stay(request: HttpRequest, payload: StayIn) -> Status[Stay]:
    """Give a bed from an entry date (tonight by default). 409 when the bed is taken one of the
    nights; 422 when a rule refuses it (women-only, minor, excluded, already staying)."""
    bed = get_bed_for_user(request.user, payload.bed)
    client = get_client_for_user(request.user, payload.client)
    entry = (
        get_waiting_for_user(request.user, payload.waiting_entry) if payload.waiting_entry else None
    )
    stay = stay_create(
        actor=acting_user(request),
        bed=bed,
        client=client,
        entry_date=payload.entry_date,
        planned_exit_date=payload.planned_exit_date,
        waiting_entry=entry,
    )
    return Status(201, stay)


class EndIn(Strict):
    exit_reason: ExitReason
    exit_date: dt.date | None = None


@router.post("/stays/{stay_id}/end", response=StayOut)
def end_stay(request: HttpRequest, stay_id: uuid.UUID, payload: EndIn) -> Stay:
    """End a stay with a coded reason; the nights from the exit date on are released."""
    stay = get_stay_for_user(request.user, stay_id)
    return stay_end(
        actor=acting_user(request),
        stay=stay,
        exit_reason=payload.exit_reason,
        exit_date=payload.exit_date,
    )


class RenewIn(Strict):
    planned_exit_date: dt.date


@router.post("/stays/{stay_id}/renew", response=StayOut)
def renew_stay(request: HttpRequest, stay_id: uuid.UUID, payload: RenewIn) -> Stay:
    """Push the planned exit later (409 if the bed is booked for one of the added nights)."""
    stay = get_stay_for_user(request.user, stay_id)
    return stay_renew(
        actor=acting_user(request), stay=stay, planned_exit_date=payload.planned_exit_date
    )


class WaitingIn(Strict):
    site: uuid.UUID
    client: uuid.UUID
    priorities: list[Priority] = Field(default_factory=list, max_length=4)


class WaitingOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    client: uuid.UUID = Field(alias="client.public_id")
    requested_at: dt.datetime
    priorities: list[str] = Field(alias="priority_list")
    status: str
    housed: bool = Field(
        description="La personne a déjà un séjour en cours (ici ou ailleurs) : aucun lit ne "
        "peut lui être attribué avant sa sortie."
    )


def _with_housed(entries: QuerySet[WaitingEntry]) -> QuerySet[WaitingEntry]:
    """The entries, each with ``housed``: whether the person has a stay in progress."""
    in_progress = stays_in_progress().filter(client_id=OuterRef("client_id"))
    return entries.select_related("site", "client").annotate(housed=Exists(in_progress))


def _one_with_housed(entry: WaitingEntry) -> WaitingEntry:
    return _with_housed(WaitingEntry.objects.filter(pk=entry.pk)).get()


@router.post("/waiting-list", response={201: WaitingOut})
def add_to_waiting_list(request: HttpRequest, payload: WaitingIn) -> Status[WaitingEntry]:
    """Put someone on a site's waiting list; woman and age priorities follow from the record."""
    site = get_lodging_site_for_user(request.user, payload.site)
    client = get_client_for_user(request.user, payload.client)
    entry = waiting_add(
        actor=acting_user(request),
        site=site,
        client=client,
        priorities=[p.value for p in payload.priorities],
    )
    return Status(201, _one_with_housed(entry))


@router.post("/waiting-list/{entry_id}/withdraw", response=WaitingOut)
def withdraw_from_waiting_list(request: HttpRequest, entry_id: uuid.UUID) -> WaitingEntry:
    entry = get_waiting_for_user(request.user, entry_id)
    return _one_with_housed(waiting_withdraw(actor=acting_user(request), entry=entry))


class LodgingSiteQuery(Schema):
    site: uuid.UUID


@router.get("/waiting-list", response=list[WaitingOut])
def list_waiting(request: HttpRequest, query: Query[LodgingSiteQuery]) -> QuerySet[WaitingEntry]:
    """The site's waiting list in serving order (priorities, then first come)."""
    site = get_lodging_site_for_user(request.user, query.site)
    return _with_housed(waiting_list(site))


class BedOut(Schema):
    id: uuid.UUID
    label: str
    women_only: bool
    stay: uuid.UUID | None
    client_code: str | None


class NightOut(Schema):
    site: uuid.UUID
    night: dt.date
    beds_total: int
    beds_free: int
    beds_free_women_only: int
    arrivals: int
    departures: int
    waiting: int
    beds: list[BedOut]


@router.get("/sites/{site_id}/night", response=NightOut)
def night(request: HttpRequest, site_id: uuid.UUID) -> dict[str, object]:
    """Tonight at a site with beds: who is in which bed (by code), free beds, arrivals and
    departures expected, the length of the waiting list."""
    site = get_lodging_site_for_user(request.user, site_id)
    view = night_view(site)
    return {
        "site": site.public_id,
        "night": view.night,
        "beds_total": len(view.board),
        "beds_free": view.free,
        "beds_free_women_only": view.free_women_only,
        "arrivals": len(view.arrivals),
        "departures": len(view.departures),
        "waiting": view.waiting_count,
        "beds": [
            {
                "id": s.bed.public_id,
                "label": s.bed.label,
                "women_only": s.bed.women_only,
                "stay": s.stay.public_id if s.stay else None,
                "client_code": s.stay.client.display_code if s.stay else None,
            }
            for s in view.board
        ],
    }
