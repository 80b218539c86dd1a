"""The site registry: list with the map's filters, and one site; the authorisations (FINESS) that
cover the sites, listed to whoever sees them, created and changed by the coordination."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from halte.api.common import Strict, acting_user
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.enums import AuthorisationKind, Service, SiteKind, SiteStatus
from halte.network.hours import OpenState, weekly_table
from halte.network.models import Authorisation, Operator, Site
from halte.network.selectors import (
    SiteFilters,
    authorisations_visible_to,
    filter_sites,
    get_authorisation_for_user,
    get_site_for_user,
    site_open_state,
    site_spans,
    sites_visible_to,
)
from halte.network.services import authorisation_create, authorisation_update

router = Router(tags=["sites"])


class SiteQuery(Schema):
    kind: SiteKind | None = None
    service: Service | None = None
    status: SiteStatus | None = None
    commune: str | None = Field(None, pattern=r"^[0-9][0-9AB][0-9]{3}$", description="Code INSEE")
    women_only: bool = False
    open_now: bool = False


class OpenStateOut(Schema):
    is_open: bool
    until: dt.datetime | None
    next_opening: dt.datetime | None
    women_only_now: bool
    around_the_clock: bool


# Read from the model; ``open`` is the state the handler attached (``_with_state``).
class SiteOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    slug: str
    name: str
    operator: str = Field(alias="operator.name")
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    status: str
    status_label: str = Field(alias="get_status_display")
    address: str
    postcode: str
    city: str
    code_insee: str
    area_name: str
    lon: float | None
    lat: float | None
    location_approximate: bool
    facts_verified: bool
    admission: str
    services: list[str]
    open: OpenStateOut = Field(alias="open_state")

    @staticmethod
    def resolve_services(site: Site) -> list[str]:
        return sorted(s.service for s in site.services.all())


class _HoursSchema(Schema):
    """Opening and closing times as HH:MM."""

    @staticmethod
    def resolve_opens(row: Any) -> str | None:
        return _hhmm(row.opens)

    @staticmethod
    def resolve_closes(row: Any) -> str | None:
        return _hhmm(row.closes)


class SpanOut(Schema):
    opens: str
    closes: str
    past_midnight: bool
    women_only: bool


class HoursVersionOut(_HoursSchema):
    weekday: int
    opens: str
    closes: str
    women_only: bool
    valid_from: dt.date
    valid_until: dt.date | None


class ExceptionOut(_HoursSchema):
    date: dt.date
    closed: bool
    opens: str | None
    closes: str | None
    label: str


class StatusStepOut(Schema):
    from_status: str
    to_status: str
    effective_on: dt.date
    note: str


class SiteDetailOut(SiteOut):
    operator_finess: str = Field(alias="operator.finess")
    booths: dict[str, int] = Field(alias="booths_by_route")
    allowed_routes: list[str]
    rest_places: int
    beds: int
    reception_capacity: int
    session_time_limit_minutes: int | None
    adults_only: bool
    dogs_accepted: bool
    authorisation_act: str
    authorisation_end: dt.date | None
    data_note: str
    week: dict[int, list[SpanOut]]
    hours_history: list[HoursVersionOut] = Field(alias="weekly_hours")
    exceptions: list[ExceptionOut] = Field(alias="hours_exceptions")
    status_history: list[StatusStepOut] = Field(alias="status_changes")

    @staticmethod
    def resolve_week(site: Site) -> dict[int, list[dict[str, object]]]:
        table = weekly_table(site_spans(site), local_today())
        return {
            day: [
                {"opens": _hhmm(o), "closes": _hhmm(c), "past_midnight": c <= o, "women_only": w}
                for o, c, w in spans
            ]
            for day, spans in table.items()
        }


def _hhmm(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def _with_state(site: Site, state: OpenState) -> Site:
    """The site, carrying its open state for ``SiteOut.open``."""
    site.open_state = state  # type: ignore[attr-defined]
    return site


@router.get("", response=list[SiteOut])
def list_sites(request: HttpRequest, filters: Query[SiteQuery]) -> list[Site]:
    """The sites you may see, with the map's filters; each says whether it is open now."""
    chosen = SiteFilters(
        kind=filters.kind or "",
        service=filters.service or "",
        status=filters.status or "",
        commune=filters.commune or "",
        women_only=filters.women_only,
        open_now=filters.open_now,
    )
    return [
        _with_state(site, state)
        for site, state in filter_sites(sites_visible_to(request.user), chosen)
    ]


class AuthorisationOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    finess: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    label: str
    operator: uuid.UUID = Field(alias="operator.public_id")
    operator_name: str = Field(alias="operator.name")
    sites: list[uuid.UUID]
    valid_from: dt.date | None
    valid_until: dt.date | None
    note: str

    @staticmethod
    def resolve_sites(authorisation: Authorisation) -> list[uuid.UUID]:
        return sorted((s.public_id for s in authorisation.sites.all()), key=str)


class AuthorisationIn(Strict):
    finess: str = Field(
        ..., max_length=20, description="N° FINESS de l'établissement (9 caractères)."
    )
    kind: AuthorisationKind
    operator: uuid.UUID = Field(..., description="L'opérateur qui détient l'autorisation.")
    label: str = Field(..., max_length=200)
    sites: list[uuid.UUID] = Field(default_factory=list, description="Les lieux couverts.")
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str = Field("", max_length=2000, description="Sources et réserves.")


class AuthorisationPatch(Strict):
    finess: str | None = Field(None, max_length=20)
    kind: AuthorisationKind | None = None
    label: str | None = Field(None, max_length=200)
    sites: list[uuid.UUID] | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    note: str | None = Field(None, max_length=2000)


def _sites(ids: list[uuid.UUID]) -> list[Site]:
    found = list(Site.objects.filter(public_id__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError(_("Un des lieux est introuvable."), field="sites")
    return found


@router.get("/authorisations", response=list[AuthorisationOut])
def list_authorisations(request: HttpRequest) -> list[Authorisation]:
    """The authorisations (FINESS) you may see: all for the network roles, those of your operator
    or covering one of your sites otherwise."""
    return list(authorisations_visible_to(request.user).order_by("label"))


@router.post("/authorisations", response={201: AuthorisationOut})
def create_authorisation(request: HttpRequest, payload: AuthorisationIn) -> Status[Authorisation]:
    """Register an authorisation and the operator's places it covers (coordination; 403 for
    anyone else; 422 on a malformed or taken FINESS number, or another operator's place)."""
    operator = Operator.objects.filter(public_id=payload.operator).first()
    if operator is None:
        raise DomainError(_("Opérateur introuvable."), field="operator")
    made = authorisation_create(
        actor=acting_user(request),
        operator=operator,
        finess=payload.finess,
        kind=payload.kind.value,
        label=payload.label,
        sites=_sites(payload.sites),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        note=payload.note,
    )
    return Status(201, made)


@router.patch("/authorisations/{authorisation_id}", response=AuthorisationOut)
def update_authorisation(
    request: HttpRequest, authorisation_id: uuid.UUID, payload: AuthorisationPatch
) -> Authorisation:
    """Change an authorisation: only the fields sent (``sites`` replaces the places). 404 for an
    authorisation you do not see, 403 unless you coordinate."""
    authorisation = get_authorisation_for_user(request.user, authorisation_id)
    changes = payload.model_dump(exclude_unset=True)
    sites = changes.pop("sites", None)
    if "kind" in changes and changes["kind"] is not None:
        changes["kind"] = AuthorisationKind(changes["kind"]).value
    return authorisation_update(
        actor=acting_user(request),
        authorisation=authorisation,
        sites=None if sites is None else _sites(sites),
        **changes,
    )


@router.get("/{site_id}", response=SiteDetailOut)
def get_site(request: HttpRequest, site_id: uuid.UUID) -> Site:
    """One site: capacities, admission, hours (with their history and exceptions), status history.
    A site you may not see answers 404."""
    site = get_site_for_user(request.user, site_id)
    return _with_state(site, site_open_state(site))
