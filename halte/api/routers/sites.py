"""The site registry: list with the map's filters, and one site."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from halte.core.timeutils import local_today
from halte.network.enums import Service, SiteKind, SiteStatus
from halte.network.hours import OpenState, weekly_table
from halte.network.models import Site
from halte.network.selectors import (
    SiteFilters,
    filter_sites,
    get_site_for_user,
    site_open_state,
    site_spans,
    sites_visible_to,
)

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


class SiteOut(Schema):
    id: uuid.UUID
    slug: str
    name: str
    operator: str
    kind: str
    kind_label: str
    status: str
    status_label: str
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
    open: OpenStateOut


class SpanOut(Schema):
    opens: str
    closes: str
    past_midnight: bool
    women_only: bool


class HoursVersionOut(Schema):
    weekday: int
    opens: str
    closes: str
    women_only: bool
    valid_from: dt.date
    valid_until: dt.date | None


class ExceptionOut(Schema):
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
    operator_finess: str
    booths: dict[str, int]
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
    hours_history: list[HoursVersionOut]
    exceptions: list[ExceptionOut]
    status_history: list[StatusStepOut]


def _hhmm(value: dt.time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def site_out(site: Site, state: OpenState) -> dict[str, object]:
    return {
        "id": site.public_id,
        "slug": site.slug,
        "name": site.name,
        "operator": site.operator.name,
        "kind": site.kind,
        "kind_label": str(SiteKind(site.kind).label),
        "status": site.status,
        "status_label": str(SiteStatus(site.status).label),
        "address": site.address,
        "postcode": site.postcode,
        "city": site.city,
        "code_insee": site.code_insee,
        "area_name": site.area_name,
        "lon": site.lon,
        "lat": site.lat,
        "location_approximate": site.location_approximate,
        "facts_verified": site.facts_verified,
        "admission": site.admission,
        "services": sorted(s.service for s in site.services.all()),
        "open": state,
    }


def site_detail_out(site: Site, state: OpenState) -> dict[str, object]:
    table = weekly_table(site_spans(site), local_today())
    return {
        **site_out(site, state),
        "operator_finess": site.operator.finess,
        "booths": site.booths_by_route(),
        "allowed_routes": site.allowed_routes(),
        "rest_places": site.rest_places,
        "beds": site.beds,
        "reception_capacity": site.reception_capacity,
        "session_time_limit_minutes": site.session_time_limit_minutes,
        "adults_only": site.adults_only,
        "dogs_accepted": site.dogs_accepted,
        "authorisation_act": site.authorisation_act,
        "authorisation_end": site.authorisation_end,
        "data_note": site.data_note,
        "week": {
            day: [
                {"opens": _hhmm(o), "closes": _hhmm(c), "past_midnight": c <= o, "women_only": w}
                for o, c, w in spans
            ]
            for day, spans in table.items()
        },
        "hours_history": [
            {
                "weekday": h.weekday,
                "opens": _hhmm(h.opens),
                "closes": _hhmm(h.closes),
                "women_only": h.women_only,
                "valid_from": h.valid_from,
                "valid_until": h.valid_until,
            }
            for h in site.weekly_hours.all()
        ],
        "exceptions": [
            {
                "date": e.date,
                "closed": e.closed,
                "opens": _hhmm(e.opens),
                "closes": _hhmm(e.closes),
                "label": e.label,
            }
            for e in site.hours_exceptions.all()
        ],
        "status_history": [
            {
                "from_status": s.from_status,
                "to_status": s.to_status,
                "effective_on": s.effective_on,
                "note": s.note,
            }
            for s in site.status_changes.all()
        ],
    }


@router.get("", response=list[SiteOut])
def list_sites(request: HttpRequest, filters: Query[SiteQuery]) -> list[dict[str, object]]:
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
        site_out(site, state)
        for site, state in filter_sites(sites_visible_to(request.user), chosen)
    ]


@router.get("/{site_id}", response=SiteDetailOut)
def get_site(request: HttpRequest, site_id: uuid.UUID) -> dict[str, object]:
    """One site: capacities, admission, hours (with their history and exceptions), status history.
    A site you may not see answers 404."""
    site = get_site_for_user(request.user, site_id)
    return site_detail_out(site, site_open_state(site))
