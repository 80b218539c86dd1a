"""The site registry: list with the map's filters, and one site."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

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


@router.get("/{site_id}", response=SiteDetailOut)
def get_site(request: HttpRequest, site_id: uuid.UUID) -> Site:
    """One site: capacities, admission, hours (with their history and exceptions), status history.
    A site you may not see answers 404."""
    site = get_site_for_user(request.user, site_id)
    return _with_state(site, site_open_state(site))
