"""The places of the public orientation page: the published places open now and later today,
nearest first, with what each offers, the walk, the nearest metro and, where published, a coarse
room level. Built on the registry's publication rules (halte.network.publication), the staff's
walking time (halte.outreach.orientation) and the rooms' availability (halte.consumption)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from halte.consumption.selectors import site_room_levels
from halte.core.timeutils import now, paris_date
from halte.network.hours import OpenState
from halte.network.models import Site
from halte.network.publication import (
    Station,
    facets,
    later_today,
    nearest_metro,
    published_sites,
    todays_exception,
)
from halte.network.selectors import site_open_state
from halte.outreach.orientation import walking


@dataclass(frozen=True)
class PublicPlace:
    site: Site
    state: OpenState
    opens_at: dt.datetime | None  # later today, when closed now
    facets: list[str]
    rooms: dict[str, str]
    metro: Station | None
    changed_today: bool
    closed_today: bool
    distance_m: int | None = None
    minutes: int | None = None


def public_places(
    *, lon: float | None = None, lat: float | None = None, at: dt.datetime | None = None
) -> tuple[list[PublicPlace], list[PublicPlace]]:
    """The published places open now and those opening later today, nearest first from the point
    when one is given (walking time as the staff's where-to-go computes it), by name otherwise.
    The point is only used to compute: it is neither stored nor logged."""
    moment = at or now()
    open_now: list[PublicPlace] = []
    later: list[PublicPlace] = []
    for site in published_sites():
        state = site_open_state(site, moment)
        opens_at = later_today(state, moment)
        if not state.is_open and opens_at is None:
            continue
        metres = minutes = None
        metro = None
        if site.lon is not None and site.lat is not None:
            metro = nearest_metro(site.lon, site.lat)
            if lon is not None and lat is not None:
                metres, minutes = walking(lon, lat, site.lon, site.lat)
        changed, closed = todays_exception(site, paris_date(moment))
        place = PublicPlace(
            site=site,
            state=state,
            opens_at=opens_at,
            facets=facets(site),
            rooms=site_room_levels(site) if state.is_open else {},
            metro=metro,
            changed_today=changed,
            closed_today=closed,
            distance_m=metres,
            minutes=minutes,
        )
        (open_now if state.is_open else later).append(place)

    def key(p: PublicPlace) -> tuple[int, str]:
        return (p.distance_m if p.distance_m is not None else 10**9, p.site.name)

    return sorted(open_now, key=key), sorted(later, key=key)
