"""Outreach: rounds, contacts, head counts at gathering places, and "where can this person go
now?". Every POST honours an Idempotency-Key header (halte.core.idempotency)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from halte.accounts.models import User
from halte.api.common import Strict, acting_user
from halte.api.types import ParisDateTime
from halte.care.services import MAX_LINE_QUANTITY
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.clients.selectors import find_client_by_code, get_client_for_user
from halte.core.errors import DomainError
from halte.network.enums import Route
from halte.outreach.enums import Need, When, Zone
from halte.outreach.lookup import Candidate, where_candidates
from halte.outreach.models import GatheringPlace, HeadCount, Round, RoundContact
from halte.outreach.orientation import (
    DEFAULT_MAX_MINUTES,
    MAX_MINUTES_CHOICES,
    PlaceOption,
    Seeker,
    places_now,
)
from halte.outreach.permissions import can_ask_where_to_go, can_see_head_counts
from halte.outreach.selectors import (
    gathering_places,
    get_place_for_user,
    get_round_for_user,
    get_team_for_user,
)
from halte.outreach.services import contact_record, head_count_record, round_end, round_start
from halte.visits.enums import Purpose

router = Router(tags=["maraude"])
MAX_MATERIAL_LINES = 30


class RoundIn(Strict):
    team: uuid.UUID
    zone: Zone | None = None
    place: uuid.UUID | None = None
    id: uuid.UUID | None = Field(
        None,
        description="An id chosen by the client (a random UUID), so that a phone offline can "
        "record the round's contacts before the round reaches the server. 409 if taken.",
    )
    started_at: ParisDateTime | None = Field(
        None, description="When the round started, if not now (a round recorded offline)."
    )


def _place_id(row: Round | RoundContact) -> uuid.UUID | None:
    return row.place.public_id if row.place else None


class RoundOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    team: uuid.UUID = Field(alias="team.public_id")
    zone: str
    place: uuid.UUID | None
    started_at: dt.datetime
    ended_at: dt.datetime | None

    resolve_place = staticmethod(_place_id)


@router.post("/rounds", response={201: RoundOut})
def start_round(request: HttpRequest, payload: RoundIn) -> Status[Round]:
    """Start a round of a team over a zone or around a place (409 if one is running)."""
    team = get_team_for_user(request.user, payload.team)
    place = get_place_for_user(request.user, payload.place) if payload.place else None
    round_ = round_start(
        actor=acting_user(request),
        team=team,
        zone=payload.zone.value if payload.zone else "",
        place=place,
        started_at=payload.started_at,
        public_id=payload.id,
    )
    return Status(201, round_)


class RoundEndIn(Strict):
    ended_at: ParisDateTime | None = Field(
        None, description="When the round ended, if not now (a round ended offline)."
    )


@router.post("/rounds/{round_id}/end", response=RoundOut)
def end_round(
    request: HttpRequest, round_id: uuid.UUID, payload: RoundEndIn | None = None
) -> Round:
    round_ = get_round_for_user(request.user, round_id)
    ended_at = payload.ended_at if payload else None
    return round_end(actor=acting_user(request), round_=round_, ended_at=ended_at)


class MaterialIn(Strict):
    item: str = Field(
        ..., pattern=r"^[a-z][a-z0-9_]{1,31}$", description="The code of an item of material."
    )
    quantity: int = Field(..., ge=1, le=MAX_LINE_QUANTITY)


class ContactIn(Strict):
    client: uuid.UUID | None = None
    code: str | None = Field(
        None,
        min_length=4,
        max_length=40,
        description="The person's code, instead of ``client`` (what a phone offline knows).",
    )
    anonymous: bool = False
    is_new: bool = False
    purposes: list[Purpose] = Field(default_factory=list, max_length=8)
    place: uuid.UUID | None = None
    lon: float | None = Field(None, ge=-180, le=180)
    lat: float | None = Field(None, ge=-90, le=90)
    at: ParisDateTime | None = Field(
        None, description="When the person was met, if not now (a contact recorded offline)."
    )
    material: list[MaterialIn] = Field(
        default_factory=list,
        max_length=MAX_MATERIAL_LINES,
        description="Material given at the contact, taken from the team's stock in the same "
        "transaction (409 if the stock would go below zero: nothing is written).",
    )


class ContactOut(Schema):
    visit: uuid.UUID = Field(alias="visit.public_id")
    round: uuid.UUID = Field(alias="round.public_id")
    anonymous: bool
    is_new: bool
    place: uuid.UUID | None

    resolve_place = staticmethod(_place_id)

    @staticmethod
    def resolve_anonymous(contact: RoundContact) -> bool:
        return contact.visit.client_id is None


@router.post("/rounds/{round_id}/contacts", response={201: ContactOut})
def record_contact(
    request: HttpRequest, round_id: uuid.UUID, payload: ContactIn
) -> Status[RoundContact]:
    """Record a person met (by client id or code) or an anonymous contact: a visit at the team's
    site, with the material given if any (all or nothing)."""
    round_ = get_round_for_user(request.user, round_id)
    named = (payload.client is not None) + (payload.code is not None)
    if named > 1 or payload.anonymous == bool(named):
        raise DomainError(
            _("Indiquez soit une personne (client ou code), soit un contact anonyme."),
            field="client",
        )
    client = _contact_client(acting_user(request), payload)
    place = get_place_for_user(request.user, payload.place) if payload.place else None
    with transaction.atomic():
        contact = contact_record(
            actor=acting_user(request),
            round_=round_,
            client=client,
            purposes=[p.value for p in payload.purposes],
            is_new=payload.is_new,
            place=place,
            lon=payload.lon,
            lat=payload.lat,
            at=payload.at,
            material=[(line.item, line.quantity) for line in payload.material],
        )
    return Status(201, contact)


def _contact_client(user: User, payload: ContactIn) -> Client | None:
    if payload.client is not None:
        return get_client_for_user(user, payload.client)
    if payload.code is None:
        return None
    client = find_client_by_code(user, payload.code)
    if client is None:
        raise DomainError(_("Aucune personne avec ce code."), field="code")
    return client


class HeadCountIn(Strict):
    team: uuid.UUID
    place: uuid.UUID
    count: int = Field(..., ge=0, le=2000)
    counted_at: ParisDateTime | None = None


class HeadCountOut(Schema):
    place: uuid.UUID = Field(alias="place.public_id")
    place_name: str = Field(alias="place.name")
    counted_at: dt.datetime
    count: int


@router.post("/head-counts", response={201: HeadCountOut})
def record_head_count(request: HttpRequest, payload: HeadCountIn) -> Status[HeadCount]:
    """Record how many people a team counted at a gathering place."""
    team = get_team_for_user(request.user, payload.team)
    place = get_place_for_user(request.user, payload.place)
    head_count = head_count_record(
        actor=acting_user(request),
        team=team,
        place=place,
        count=payload.count,
        counted_at=payload.counted_at,
    )
    return Status(201, head_count)


class CountsQuery(Schema):
    place: uuid.UUID | None = None
    since: ParisDateTime | None = None


@router.get("/head-counts", response=list[HeadCountOut])
def list_head_counts(request: HttpRequest, query: Query[CountsQuery]) -> QuerySet[HeadCount]:
    """Head counts, oldest first (numbers only), for one place or all, since a moment."""
    if not can_see_head_counts(request.user):
        raise Http404
    rows = HeadCount.objects.filter(place__in=gathering_places(request.user)).select_related(
        "place"
    )
    if query.place:
        rows = rows.filter(place=get_place_for_user(request.user, query.place))
    if query.since:
        rows = rows.filter(counted_at__gte=query.since)
    return rows.order_by("counted_at")[:5000]


class PlaceOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    slug: str
    name: str
    zone: str
    area_name: str
    lon: float
    lat: float
    source: str


@router.get("/gathering-places", response=list[PlaceOut])
def list_places(request: HttpRequest) -> QuerySet[GatheringPlace]:
    return gathering_places(request.user)


class WhereQuery(Schema):
    lat: float = Field(..., ge=-90, le=90)
    lon: float = Field(..., ge=-180, le=180)
    need: Need
    route: Route | None = None
    sex: SexGender | None = None
    birth_year: int | None = Field(None, ge=1900, le=2100)
    when: When = When.NOW
    client: str | None = Field(None, min_length=4, max_length=40)
    max_minutes: int = Field(
        DEFAULT_MAX_MINUTES,
        ge=min(MAX_MINUTES_CHOICES),
        le=max(MAX_MINUTES_CHOICES),
        description="Walking time limit in minutes; beyond it, a place is only a fallback.",
    )


class OptionOut(Schema):
    # Read from an ``Offered``: a place and whether it is the fallback.
    site: uuid.UUID = Field(alias="option.site.public_id")
    name: str = Field(alias="option.site.name")
    kind: str = Field(alias="option.site.kind")
    address: str = Field(alias="option.site.address")
    lon: float = Field(alias="option.site.lon")
    lat: float = Field(alias="option.site.lat")
    distance_m: int = Field(alias="option.distance_m")
    walking_minutes: int = Field(alias="option.minutes")
    is_open_now: bool = Field(alias="option.open_now")
    open_until: dt.datetime | None = Field(alias="option.state.until")
    opens_at: dt.datetime | None = Field(alias="option.opens_at")
    free_places: int | None = Field(alias="option.free_places")
    beds_free_tonight: int | None = Field(alias="option.beds_free")
    booths_free: dict[str, int] = Field(alias="option.booths_free")
    fallback: bool = Field(
        description="True for the one nearest place beyond the walking limit, offered only when "
        "nothing is within reach and only in the same city area (the Greater Paris).",
    )


class Offered(NamedTuple):
    option: PlaceOption
    fallback: bool


def resolve_client(user: User, typed: str) -> Client:
    """A client by public id or by code; 404 when not found or not allowed."""
    try:
        return get_client_for_user(user, uuid.UUID(typed))
    except ValueError:
        client = find_client_by_code(user, typed)
    if client is None:
        raise Http404
    return client


@router.get("/places/now", response=list[OptionOut])
def where_to_go(request: HttpRequest, query: Query[WhereQuery]) -> list[Offered]:
    """The sites open now (or tonight) that admit this person and have room for the need, within
    ``max_minutes`` on foot (30 by default), quickest first. When none is, the answer holds at most
    the nearest place of the same city area, marked ``fallback``; an empty list means nothing
    fits. Counts only: no person in the answer."""
    if not can_ask_where_to_go(request.user):
        raise Http404
    if query.need == Need.CONSUMPTION and query.route is None:
        raise DomainError(_("Choisissez la voie de consommation (route)."), field="route")
    client = resolve_client(acting_user(request), query.client) if query.client else None
    seeker = Seeker(
        lon=query.lon,
        lat=query.lat,
        need=query.need,
        route=query.route.value if query.route else None,
        sex=query.sex.value if query.sex else (client.sex_gender if client else None),
        birth_year=query.birth_year or (client.birth_year if client else None),
        when=query.when,
        client=client,
        max_minutes=query.max_minutes,
    )
    reach = places_now(request.user, seeker)
    return [Offered(o, f) for o, f in reach.as_list()]


class CandidatesQuery(Schema):
    q: str = Field(..., min_length=2, max_length=120)


class CandidateOut(Schema):
    label: str
    kind: str = Field(description="place (a gathering place of the network), station or address")
    lon: float
    lat: float
    code_insee: str
    score: float
    exact: bool


@router.get("/places/candidates", response=list[CandidateOut])
def place_candidates(request: HttpRequest, query: Query[CandidatesQuery]) -> list[Candidate]:
    """What a typed place may mean, best first: the network's gathering places, then stations,
    then addresses (those of the arrondissements where the network works first). The
    where-to-go screen reads the same list; pass the chosen one's lon/lat to ``/places/now``."""
    if not can_ask_where_to_go(request.user):
        raise Http404
    return where_candidates(request.user, query.q)
