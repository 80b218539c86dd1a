""" "Where can this person go now?": the sites open now (or tonight) that admit this person and
have room for what they need, nearest first on foot. Counts only: no person in the answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from halte.accounts.models import User
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.clients.selectors import active_bans
from halte.consumption.selectors import booth_board
from halte.core.timeutils import local_today, now, paris_instant
from halte.geo.lib.distance import walking_m
from halte.lodging.selectors import beds_free, current_night
from halte.network.enums import Admission, Service, SiteKind, SiteStatus
from halte.network.hours import OpenState
from halte.network.models import Site
from halte.network.selectors import site_open_state, sites_visible_to
from halte.outreach.enums import Need, When
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit

WALKING_KMH = 4.5
ADULT_AGE = 18
CARE_SERVICES = frozenset({Service.NURSING, Service.MEDICAL, Service.SCREENING})
# "Tonight" is the window from 20:00 to 06:00 (Paris): a place open at some moment of it counts.
TONIGHT_FROM = dt.time(20, 0)
TONIGHT_UNTIL = dt.time(6, 0)


@dataclass(frozen=True)
class Seeker:
    """Who asks and for what. ``client`` is only used to apply bans, and to fill sex and year of
    birth when they are not given."""

    lon: float
    lat: float
    need: str
    route: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    when: str = When.NOW
    client: Client | None = None


@dataclass(frozen=True)
class PlaceOption:
    site: Site
    distance_m: int
    minutes: int
    state: OpenState  # at the moment it is (or will be) open
    opens_at: dt.datetime | None  # None when open at the moment asked
    free_places: int | None  # reception capacity minus occupancy; None when no capacity is known
    beds_free: int | None
    booths_free: dict[str, int] = field(default_factory=dict)

    @property
    def open_now(self) -> bool:
        return self.opens_at is None


def _open_during(
    site: Site, start: dt.datetime, end: dt.datetime
) -> tuple[OpenState, dt.datetime | None] | None:
    """The site's state at the first moment it is open in [start, end) and that moment (None if
    open at ``start``); None if it stays closed."""
    state = site_open_state(site, start)
    if state.is_open:
        return state, None
    if state.next_opening is not None and state.next_opening < end:
        return site_open_state(site, state.next_opening), state.next_opening
    return None


def _window(seeker: Seeker, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if seeker.when == When.TONIGHT:
        night = current_night(at)
        start = max(at, paris_instant(night, TONIGHT_FROM))
        return start, paris_instant(night + dt.timedelta(days=1), TONIGHT_UNTIL)
    return at, at + dt.timedelta(seconds=1)


def _offers(site: Site, seeker: Seeker) -> bool:
    services = {s.service for s in site.services.all()}
    if seeker.need == Need.CONSUMPTION:
        return seeker.route in site.allowed_routes()
    if seeker.need == Need.REST:
        return site.rest_places > 0 or Service.REST in services
    if seeker.need == Need.BED:
        return site.beds > 0
    if seeker.need == Need.RECEPTION:
        return Service.RECEPTION in services
    return bool(services & CARE_SERVICES)


def _admits(site: Site, seeker: Seeker, state: OpenState) -> bool:
    woman = seeker.sex == SexGender.WOMAN
    if not woman and (site.admission == Admission.WOMEN_ONLY or state.women_only_now):
        return False
    age = None if seeker.birth_year is None else local_today().year - seeker.birth_year
    adults = site.adults_only or seeker.need == Need.CONSUMPTION
    if age is not None and adults and age < ADULT_AGE:
        return False
    return not (seeker.client is not None and active_bans(seeker.client, site_id=site.pk))


def _room(site: Site, seeker: Seeker) -> tuple[int | None, int | None, dict[str, int], bool]:
    """Free places, free beds tonight, free booths by route, and whether there is room."""
    occupied = Visit.objects.filter(site=site, left_at__isnull=True)
    free_places = None
    if site.reception_capacity:
        free_places = max(site.reception_capacity - occupied.count(), 0)
    booths: dict[str, int] = {}
    for state in booth_board(site):
        booths.setdefault(state.booth.route, 0)
        booths[state.booth.route] += 0 if state.session else 1
    beds = beds_free(site, current_night(), sex=seeker.sex) if site.beds else None
    if seeker.need == Need.CONSUMPTION:
        room = booths.get(seeker.route or "", 0) > 0
    elif seeker.need == Need.BED:
        room = bool(beds)
    elif seeker.need == Need.REST and site.rest_places:
        resting = occupied.values_list("purposes", flat=True)
        in_rest = sum(1 for mask in resting if mask & PURPOSE_BITS["rest"])
        room = site.rest_places - in_rest > 0
    else:
        room = free_places is None or free_places > 0
    return free_places, beds, booths, room


def places_now(
    user: User | AnonymousUser, seeker: Seeker, *, at: dt.datetime | None = None
) -> list[PlaceOption]:
    """The sites this user may see that are open now (or tonight), offer the need, admit this
    person (sex against women-only places and slots, age against adults-only places, bans) and
    have room; nearest first by walking distance (great-circle × 1.3, at 4.5 km/h)."""
    moment = at or now()
    start, end = _window(seeker, moment)
    candidates = (
        sites_visible_to(user)
        .filter(status=SiteStatus.OPERATIONAL, lat__isnull=False, lon__isnull=False)
        .exclude(kind=SiteKind.OUTREACH_TEAM)
    )
    options = []
    for site in candidates:
        if not _offers(site, seeker):
            continue
        opening = _open_during(site, start, end)
        if opening is None or not _admits(site, seeker, opening[0]):
            continue
        free_places, beds, booths, room = _room(site, seeker)
        if not room:
            continue
        metres = walking_m(seeker.lon, seeker.lat, float(site.lon or 0), float(site.lat or 0))
        options.append(
            PlaceOption(
                site=site,
                distance_m=round(metres),
                minutes=max(1, round(metres / (WALKING_KMH * 1000 / 60))),
                state=opening[0],
                opens_at=opening[1],
                free_places=free_places,
                beds_free=beds,
                booths_free=booths,
            )
        )
    return sorted(options, key=lambda o: o.distance_m)
