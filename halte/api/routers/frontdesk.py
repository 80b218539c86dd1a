"""Front desk and consumption room: clients, visits, sessions, incidents, availability.

Every POST honours an Idempotency-Key header (see halte.core.idempotency). Identity inputs are
accepted by two endpoints only, used to derive the code, and never echoed back."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from halte.accounts.permissions import can_record_at, can_see_clients
from halte.api.common import Strict, acting_user
from halte.api.types import ParisDateTime
from halte.clients.codes import display_code
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.clients.selectors import find_client_by_code
from halte.clients.services import client_code, client_read_record, client_register
from halte.consumption.enums import IncidentKind, Outcome, Product, SessionRoute, mask_to_products
from halte.consumption.models import Booth, Incident, Session
from halte.consumption.selectors import site_availability
from halte.consumption.services import incident_record, session_end, session_start
from halte.core.errors import DomainError
from halte.network.selectors import get_site_for_user
from halte.visits.enums import Purpose
from halte.visits.models import Visit
from halte.visits.selectors import get_visit_for_user, visits_visible_to
from halte.visits.services import visit_check_in, visit_close

router = Router(tags=["accueil et salle de consommation"])

MIN_BIRTH = dt.date(1900, 1, 1)


class IdentityIn(Strict):
    family_name: str = Field(..., min_length=1, max_length=100)
    given_name: str = Field(..., min_length=1, max_length=100)
    birth_date: dt.date
    sex: SexGender


class CodeOut(Schema):
    code: str
    display: str


class RegisterIn(IdentityIn):
    site: uuid.UUID
    nickname: str = Field("", max_length=40)


class ClientOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    code: str
    display_code: str
    birth_year: int
    sex_gender: str
    nickname: str
    created: bool = False

    @staticmethod
    def resolve_created(client: Client, context: dict[str, object]) -> bool:
        # A registration answers 201 exactly when it created the person.
        return context["response_status"] == 201


@router.post("/clients/code", response=CodeOut)
def derive_client_code(request: HttpRequest, payload: IdentityIn) -> dict[str, str]:
    """Derive the code for these identity inputs; nothing is stored."""
    if not can_see_clients(request.user):
        raise Http404
    code = client_code(
        family_name=payload.family_name,
        given_name=payload.given_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
    )
    return {"code": code, "display": display_code(code)}


@router.post("/clients", response={200: ClientOut, 201: ClientOut})
def register_client(request: HttpRequest, payload: RegisterIn) -> Status[Client]:
    """Register someone at a site (201), or find them if their code already exists (200)."""
    site = get_site_for_user(request.user, payload.site)
    client, created = client_register(
        actor=acting_user(request),
        site=site,
        family_name=payload.family_name,
        given_name=payload.given_name,
        birth_date=payload.birth_date,
        sex=payload.sex,
        nickname=payload.nickname,
    )
    return Status(201 if created else 200, client)


class CodeQuery(Schema):
    code: str = Field(..., min_length=4, max_length=40)


@router.get("/clients", response=list[ClientOut])
def find_client(request: HttpRequest, query: Query[CodeQuery]) -> list[Client]:
    """Find a client by code (typed with or without dashes, or scanned). Empty list if none."""
    client = find_client_by_code(request.user, query.code)
    if client is None:
        return []
    client_read_record(actor=acting_user(request), client=client, what="lookup")
    return [client]


class VisitIn(Strict):
    site: uuid.UUID
    client: uuid.UUID | None = None
    anonymous: bool = False
    purposes: list[Purpose] = Field(default_factory=list, max_length=8)
    arrived_at: ParisDateTime | None = None


class VisitOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    client: uuid.UUID | None
    arrived_at: dt.datetime
    left_at: dt.datetime | None
    purposes: list[str] = Field(alias="purpose_list")

    @staticmethod
    def resolve_client(visit: Visit) -> uuid.UUID | None:
        return visit.client.public_id if visit.client else None


@router.post("/visits", response={201: VisitOut})
def check_in(request: HttpRequest, payload: VisitIn) -> Status[Visit]:
    """Check someone in, or count an anonymous contact (`anonymous: true`, no client)."""
    if payload.anonymous == (payload.client is not None):
        raise DomainError(
            _("Indiquez soit une personne (client), soit un contact anonyme."), field="client"
        )
    visit = visit_check_in(
        actor=acting_user(request),
        site_id=payload.site,
        client_id=payload.client,
        purposes=[p.value for p in payload.purposes],
        arrived_at=payload.arrived_at,
    )
    return Status(201, visit)


class CloseIn(Strict):
    left_at: ParisDateTime | None = None


@router.post("/visits/{visit_id}/close", response=VisitOut)
def check_out(request: HttpRequest, visit_id: uuid.UUID, payload: CloseIn | None = None) -> Visit:
    visit = get_visit_for_user(request.user, visit_id)
    return visit_close(
        actor=acting_user(request), visit=visit, left_at=payload.left_at if payload else None
    )


class SessionIn(Strict):
    visit: uuid.UUID
    route: SessionRoute
    product: Product
    other_products: list[Product] = Field(
        default_factory=list, max_length=8, description="Autres produits de la même session."
    )
    booth: str | None = Field(None, max_length=8, description="Libellé du poste (ex. I3)")
    adult_confirmed: bool = False


class SessionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    visit: uuid.UUID = Field(alias="visit.public_id")
    booth: str = Field(alias="booth.label")
    route: str
    product: str
    other_products: list[str]
    led_by_peer: bool
    started_at: dt.datetime
    ended_at: dt.datetime | None
    watch_started_at: dt.datetime | None
    watch_ended_at: dt.datetime | None

    @staticmethod
    def resolve_other_products(session: Session) -> list[str]:
        return mask_to_products(session.other_products)


@router.post("/sessions", response={201: SessionOut})
def start_session(request: HttpRequest, payload: SessionIn) -> Status[Session]:
    """Start a supervised consumption. 409 when the booth is busy (or none is free), 422 when a
    rule refuses it (minor, excluded, route not allowed, second session, site closed): such a
    refusal is counted, without the person. The oral route takes any free place."""
    visit = get_visit_for_user(request.user, payload.visit)
    booth = None
    if payload.booth:
        booth = Booth.objects.filter(
            site=visit.site, label=payload.booth.upper(), is_active=True
        ).first()
        if booth is None:
            raise DomainError(_("Ce poste n'existe pas sur ce site."), field="booth")
    session = session_start(
        actor=acting_user(request),
        visit=visit,
        route=payload.route,
        product=payload.product,
        other_products=[p.value for p in payload.other_products],
        booth=booth,
        adult_confirmed=payload.adult_confirmed,
    )
    return Status(201, session)


class SessionEndIn(Strict):
    watch: bool = Field(False, description="La personne va en espace de repos, sous surveillance.")


@router.post("/sessions/{session_id}/end", response=SessionOut)
def end_session(
    request: HttpRequest, session_id: uuid.UUID, payload: SessionEndIn | None = None
) -> Session:
    """End a session; with `watch` the post-consumption watch in the rest area begins."""
    session = (
        Session.objects.filter(public_id=session_id, visit__in=visits_visible_to(request.user))
        .select_related("booth__site", "visit")
        .first()
    )
    if session is None:
        raise Http404
    return session_end(
        actor=acting_user(request), session=session, watch=payload.watch if payload else False
    )


class IncidentIn(Strict):
    site: uuid.UUID
    kind: IncidentKind
    outcome: Outcome
    visit: uuid.UUID | None = None
    session: uuid.UUID | None = None
    occurred_at: ParisDateTime | None = None
    oxygen: bool = False
    naloxone_doses: int = Field(0, ge=0, le=20)
    resuscitation: bool = False
    emergency_call: bool = False
    hospital_transfer: bool = False


class IncidentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    kind: str
    outcome: str
    occurred_at: dt.datetime
    naloxone_doses: int
    emergency_call: bool
    hospital_transfer: bool


@router.post("/incidents", response={201: IncidentOut})
def record_incident(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    """Record an overdose or another incident, with each intervention and the outcome."""
    site = get_site_for_user(request.user, payload.site)
    if not can_record_at(request.user, site):
        raise Http404
    visit = get_visit_for_user(request.user, payload.visit) if payload.visit else None
    session = None
    if payload.session:
        session = Session.objects.filter(public_id=payload.session, booth__site=site).first()
        if session is None:
            raise Http404
    incident = incident_record(
        actor=acting_user(request),
        site=site,
        kind=payload.kind,
        outcome=payload.outcome,
        visit=visit,
        session=session,
        occurred_at=payload.occurred_at,
        oxygen=payload.oxygen,
        naloxone_doses=payload.naloxone_doses,
        resuscitation=payload.resuscitation,
        emergency_call=payload.emergency_call,
        hospital_transfer=payload.hospital_transfer,
    )
    return Status(201, incident)


class RouteAvailability(Schema):
    total: int
    busy: int
    free: int


class AvailabilityOut(Schema):
    site: uuid.UUID
    is_open: bool
    open_until: dt.datetime | None
    next_opening: dt.datetime | None
    occupancy: int
    reception_capacity: int
    booths: dict[str, RouteAvailability]
    beds_total: int
    beds_free: int | None


@router.get("/sites/{site_id}/availability", response=AvailabilityOut)
def availability(request: HttpRequest, site_id: uuid.UUID) -> dict[str, object]:
    """Open now, occupancy against capacity, free booths by route, beds. Counts only: no person."""
    site = get_site_for_user(request.user, site_id)
    state = site_availability(site)
    return {
        "site": site.public_id,
        "is_open": state.open_state.is_open,
        "open_until": state.open_state.until,
        "next_opening": state.open_state.next_opening,
        "occupancy": state.occupancy,
        "reception_capacity": state.reception_capacity,
        "booths": state.booths,
        "beds_total": state.beds_total,
        "beds_free": state.beds_free,
    }
