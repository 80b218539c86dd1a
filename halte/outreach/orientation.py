""" "Where can this person go now?": the sites open now (or tonight) that admit this person and
have room for what they need, within a walking time the worker can change, quickest first.
When nothing is within reach, the nearest place of the same city area (the Greater Paris) is
offered as a fallback, with its distance: never a site of another city. Counts only: no person in
the answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import prefetch_related_objects

from halte.accounts.models import User
from halte.clients.enums import SexGender
from halte.clients.models import Client
from halte.clients.selectors import active_bans
from halte.consumption.selectors import BoothState, booth_boards
from halte.core.timeutils import local_today, now, paris_instant
from halte.geo.lib import areas
from halte.geo.lib.distance import walking_m
from halte.lodging.selectors import beds_free_by_site, current_night
from halte.network.enums import Admission, Service, SiteKind, SiteStatus
from halte.network.hours import OpenState
from halte.network.models import Site
from halte.network.selectors import site_open_state, sites_visible_to
from halte.outreach.enums import Need, When
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit

WALKING_KMH = 4.5
# Half an hour on foot (about 2 km) is what a worker would ask a person to walk to a place
# [assumption]; the worker may choose another limit.
DEFAULT_MAX_MINUTES = 30
MAX_MINUTES_CHOICES = (10, 20, 30, 45, 60)
# The only city area whose outline Halte bundles: the Métropole du Grand Paris.
GREATER_PARIS = "grand-paris"
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
    max_minutes: int = DEFAULT_MAX_MINUTES


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
    area: str | None = None  # the city area of the site (GREATER_PARIS), None elsewhere

    @property
    def open_now(self) -> bool:
        return self.opens_at is None

    @property
    def km(self) -> float:
        return self.distance_m / 1000


@dataclass(frozen=True)
class Reach:
    """The answer: the places within ``max_minutes`` on foot, quickest first; when there is none,
    ``fallback`` is the nearest place of the seeker's city area beyond the limit (or None)."""

    max_minutes: int
    options: list[PlaceOption]
    fallback: PlaceOption | None = None

    def as_list(self) -> list[tuple[PlaceOption, bool]]:
        """Each place with whether it is the fallback (the API's flat answer)."""
        extra = [(self.fallback, True)] if self.fallback is not None else []
        return [(o, False) for o in self.options] + extra


def city_area(lon: float, lat: float) -> str | None:
    """The city area of a point: the Greater Paris when it lies in one of its arrondissements or
    communes, None elsewhere (no fallback is offered outside a known area)."""
    return GREATER_PARIS if areas.locate(lon, lat) is not None else None


def walking(lon: float, lat: float, to_lon: float, to_lat: float) -> tuple[int, int]:
    """Metres and minutes on foot (great-circle × 1.3, at 4.5 km/h; at least one minute)."""
    metres = walking_m(lon, lat, to_lon, to_lat)
    return round(metres), max(1, round(metres / (WALKING_KMH * 1000 / 60)))


def within_reach(
    options: Sequence[PlaceOption], *, max_minutes: int, seeker_area: str | None
) -> Reach:
    """Keep the places reachable in ``max_minutes`` on foot, quickest first (then nearest, then
    by name). When none is, offer the nearest place beyond the limit as a fallback, but only if it
    lies in the seeker's own city area: a woman at Stalingrad is never sent to Strasbourg."""
    ordered = sorted(options, key=lambda o: (o.minutes, o.distance_m, o.site.name))
    reachable = [o for o in ordered if o.minutes <= max_minutes]
    if reachable or seeker_area is None:
        return Reach(max_minutes, reachable)
    same_area = [o for o in ordered if o.area == seeker_area]
    return Reach(max_minutes, [], same_area[0] if same_area else None)


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


@dataclass(frozen=True)
class _Live:
    """What the candidate sites hold now, read once for them all: open visits (their purposes),
    booth boards, free beds tonight."""

    open_visits: dict[int, list[int]]
    boards: dict[int, list[BoothState]]
    beds: dict[int, int]


def _live(sites: Sequence[Site], seeker: Seeker) -> _Live:
    ids = [site.pk for site in sites]
    open_visits: dict[int, list[int]] = {pk: [] for pk in ids}
    rows = Visit.objects.filter(site_id__in=ids, left_at__isnull=True).values_list(
        "site_id", "purposes"
    )
    for site_id, purposes in rows:
        open_visits[site_id].append(purposes)
    bedded = [site for site in sites if site.beds]
    beds = beds_free_by_site(bedded, current_night(), sex=seeker.sex) if bedded else {}
    return _Live(open_visits, booth_boards(sites) if sites else {}, beds)


def _room(
    site: Site, seeker: Seeker, live: _Live
) -> tuple[int | None, int | None, dict[str, int], bool]:
    """Free places, free beds tonight, free booths by route, and whether there is room."""
    occupied = live.open_visits.get(site.pk, [])
    free_places = None
    if site.reception_capacity:
        free_places = max(site.reception_capacity - len(occupied), 0)
    booths: dict[str, int] = {}
    for state in live.boards.get(site.pk, []):
        booths.setdefault(state.booth.route, 0)
        booths[state.booth.route] += 0 if state.session else 1
    beds = live.beds[site.pk] if site.beds else None
    if seeker.need == Need.CONSUMPTION:
        room = booths.get(seeker.route or "", 0) > 0
    elif seeker.need == Need.BED:
        room = bool(beds)
    elif seeker.need == Need.REST and site.rest_places:
        in_rest = sum(1 for mask in occupied if mask & PURPOSE_BITS["rest"])
        room = site.rest_places - in_rest > 0
    else:
        room = free_places is None or free_places > 0
    return free_places, beds, booths, room


def places_now(
    user: User | AnonymousUser, seeker: Seeker, *, at: dt.datetime | None = None
) -> Reach:
    """The sites this user may see that are open now (or tonight), offer the need, admit this
    person (sex against women-only places and slots, age against adults-only places, bans), have
    room and are within the seeker's walking time; quickest first (great-circle × 1.3, at
    4.5 km/h). With none in reach, the nearest of the same city area as a fallback
    (:func:`within_reach`). The screen and the API both answer with this."""
    moment = at or now()
    start, end = _window(seeker, moment)
    candidates = (
        sites_visible_to(user)
        .filter(status=SiteStatus.OPERATIONAL, lat__isnull=False, lon__isnull=False)
        .exclude(kind=SiteKind.OUTREACH_TEAM)
    )
    if seeker.client is not None:
        # The bans are read once for every site (``active_bans`` reads ``client.bans.all()``).
        prefetch_related_objects([seeker.client], "bans")
    admitted = []
    for site in candidates:
        if not _offers(site, seeker):
            continue
        opening = _open_during(site, start, end)
        if opening is None or not _admits(site, seeker, opening[0]):
            continue
        admitted.append((site, opening))
    live = _live([site for site, _opening in admitted], seeker)
    options = []
    for site, opening in admitted:
        free_places, beds, booths, room = _room(site, seeker, live)
        if not room:
            continue
        site_lon, site_lat = float(site.lon or 0), float(site.lat or 0)
        metres, minutes = walking(seeker.lon, seeker.lat, site_lon, site_lat)
        options.append(
            PlaceOption(
                site=site,
                distance_m=metres,
                minutes=minutes,
                state=opening[0],
                opens_at=opening[1],
                free_places=free_places,
                beds_free=beds,
                booths_free=booths,
                area=city_area(site_lon, site_lat),
            )
        )
    return within_reach(
        options, max_minutes=seeker.max_minutes, seeker_area=city_area(seeker.lon, seeker.lat)
    )


def needs_offered(site: Site) -> dict[str, bool | list[str]]:
    """What the site offers, need by need (consumption: the routes it has booths for): what a
    phone offline needs to answer "where can this person go" from its cached copy."""
    offered: dict[str, bool | list[str]] = {}
    for need in Need:
        if need == Need.CONSUMPTION:
            offered[need.value] = list(site.allowed_routes())
        else:
            offered[need.value] = _offers(site, Seeker(lon=0, lat=0, need=need))
    return offered
