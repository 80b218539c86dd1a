"""What the public may see of the network: a site's choice to appear on the public orientation page
and in the open data, and to show whether there is room, as a coarse level and never a count.

Only operational sites whose manager chose to publish ever appear: projects (proposed, approved, in
preparation), abandoned, suspended and closed sites never do, nor do outreach teams (no fixed
place). Nothing internal leaves through here: no status, no capacity, no note, no occupancy figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halte.accounts.models import User
from halte.accounts.permissions import can_edit_site, can_see_site
from halte.audit.services import audit_record
from halte.core.timeutils import local_today, now, paris_date
from halte.geo.lib import reference
from halte.geo.lib.distance import haversine_m
from halte.network.enums import Admission, Service, SiteKind, SiteStatus
from halte.network.hours import OpenState
from halte.network.models import Site

# The departments of the Greater Paris whose stations are offered as "the nearest metro".
STATION_DEPARTMENTS = ("75", "92", "93", "94")
# Below this share of free places (and above none), a place is "almost full" [assumption: a
# quarter, so that a site of 4 booths with 1 free says "almost full"].
ALMOST_FULL_SHARE = 0.25


class RoomLevel(models.TextChoices):
    ROOM = "room", gettext_lazy("De la place")
    ALMOST_FULL = "almost_full", gettext_lazy("Presque plein")
    FULL = "full", gettext_lazy("Complet")


class Facet(models.TextChoices):
    """What a place offers, in the public's words (each has an icon)."""

    CONSUMPTION = "consumption", gettext_lazy("Salle de consommation")
    REST = "rest", gettext_lazy("Repos")
    BED = "bed", gettext_lazy("Un lit pour la nuit")
    WOMEN_ONLY = "women_only", gettext_lazy("Femmes uniquement")
    DOGS = "dogs", gettext_lazy("Chiens acceptés")
    CARE = "care", gettext_lazy("Soins")
    MATERIAL = "material", gettext_lazy("Matériel")
    FOOD = "food", gettext_lazy("À manger")
    HYGIENE = "hygiene", gettext_lazy("Douche")


CARE_SERVICES = frozenset(
    {Service.NURSING, Service.MEDICAL, Service.SCREENING, Service.PSYCHIATRY, Service.SUBSTITUTION}
)


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def site_set_publication(*, actor: User, site: Site, public: bool, room_level: bool) -> Site:
    """Choose whether the site appears on the public page and in the open data, and whether its
    room level (coarse) is shown there (the site's manager). A room level is only published with
    the site itself."""
    if not can_see_site(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_edit_site(actor, site):
        raise PermissionDenied(_("Seul·e la ou le responsable du site peut modifier ce site."))
    site = Site.objects.select_for_update().get(pk=site.pk)
    room_level = room_level and public
    changes = {}
    if site.publish_public != public:
        changes["publish_public"] = [site.publish_public, public]
        site.publish_public = public
    if site.publish_room_level != room_level:
        changes["publish_room_level"] = [site.publish_room_level, room_level]
        site.publish_room_level = room_level
    if not changes:
        return site
    site.save(update_fields=[*changes, "updated_at"])
    audit_record(
        actor=actor,
        action="site.publication_changed",
        subject=site,
        site=site,
        payload={"changes": changes},
    )
    return site


# --- Reads --------------------------------------------------------------------------------------


# What the public may see: operational, chosen for publication, not an outreach team (one rule).
PUBLISHED = {"publish_public": True, "status": SiteStatus.OPERATIONAL}
NEVER_PUBLISHED_KIND = SiteKind.OUTREACH_TEAM


def is_published(site: Site) -> bool:
    """Whether the public may see the site (the rule of ``published_sites``, for one site already
    read)."""
    matches = all(getattr(site, name) == value for name, value in PUBLISHED.items())
    return matches and site.kind != NEVER_PUBLISHED_KIND


def published_sites() -> QuerySet[Site]:
    """The sites the public may see (``is_published``). The public orientation pages, the open
    data and the transparency pages all read this one list."""
    return (
        Site.objects.filter(**PUBLISHED)
        .exclude(kind=NEVER_PUBLISHED_KIND)
        .select_related("operator")
        .prefetch_related("services", "weekly_hours", "hours_exceptions")
        .order_by("name")
    )


def coarse_level(free: int, total: int) -> str | None:
    """A level for ``free`` places out of ``total``: never the figures themselves."""
    if total <= 0:
        return None
    if free <= 0:
        return RoomLevel.FULL
    if free / total <= ALMOST_FULL_SHARE:
        return RoomLevel.ALMOST_FULL
    return RoomLevel.ROOM


def room_levels(
    site: Site, *, booths_free: int, booths_total: int, beds_free: int | None, beds_total: int
) -> dict[str, str]:
    """The coarse room levels the site chose to publish, from its counts (the callers read them
    with ``consumption.selectors.site_availability``): booths of the consumption room now and beds
    tonight. Empty when the site does not publish them; never the counts themselves."""
    if not (site.publish_public and site.publish_room_level):
        return {}
    levels = {}
    booths = coarse_level(booths_free, booths_total)
    if booths is not None:
        levels["consumption"] = booths
    beds = None if beds_free is None else coarse_level(beds_free, beds_total)
    if beds is not None:
        levels["beds"] = beds
    return levels


def facets(site: Site) -> list[str]:
    """What the place offers, in the public's words (services must be prefetched)."""
    services = {s.service for s in site.services.all()}
    found = []
    if site.allowed_routes() or Service.SUPERVISED_CONSUMPTION in services:
        found.append(Facet.CONSUMPTION)
    if site.rest_places or Service.REST in services:
        found.append(Facet.REST)
    if site.beds or services & {Service.NIGHT_SHELTER, Service.ACCOMMODATION}:
        found.append(Facet.BED)
    if site.admission == Admission.WOMEN_ONLY:
        found.append(Facet.WOMEN_ONLY)
    if site.dogs_accepted:
        found.append(Facet.DOGS)
    if services & CARE_SERVICES:
        found.append(Facet.CARE)
    if services & {Service.MATERIAL, Service.NALOXONE}:
        found.append(Facet.MATERIAL)
    if Service.FOOD in services:
        found.append(Facet.FOOD)
    if Service.HYGIENE in services:
        found.append(Facet.HYGIENE)
    return [str(f) for f in found]


@dataclass(frozen=True)
class Station:
    name: str
    lines: tuple[str, ...]
    distance_m: int


@lru_cache(maxsize=1)
def _stations() -> tuple[reference.Station, ...]:
    return tuple(
        s
        for s in reference.stations()
        if s.code_insee.startswith(STATION_DEPARTMENTS) and any("METRO" in ln for ln in s.lines)
    )


def nearest_metro(lon: float, lat: float) -> Station | None:
    """The nearest metro station of the Greater Paris (straight line), with its metro lines."""
    best = min(_stations(), key=lambda s: haversine_m(lon, lat, s.lon, s.lat), default=None)
    if best is None:
        return None
    lines = tuple(ln.replace("METRO ", "") for ln in best.lines if ln.startswith("METRO"))
    return Station(best.name, lines, round(haversine_m(lon, lat, best.lon, best.lat)))


def todays_exception(site: Site, day: dt.date | None = None) -> tuple[bool, bool]:
    """Whether the site has an exception today, and whether it closes the whole day
    (``hours_exceptions`` prefetched)."""
    today = day or local_today()
    for exception in site.hours_exceptions.all():
        if exception.date == today:
            return True, exception.closed
    return False, False


def later_today(state: OpenState, at: dt.datetime) -> dt.datetime | None:
    """When a closed site opens later the same Paris day, that moment; None otherwise."""
    if state.is_open or state.next_opening is None:
        return None
    opening = state.next_opening
    same_day = paris_date(opening) == paris_date(at)
    return opening if same_day else None


def closed_today(at: dt.datetime | None = None) -> list[Site]:
    """Published sites closed today by an exception their manager entered (shown to the public
    at once, so that nobody walks to a closed door)."""
    today = paris_date(at or now())
    return [
        site
        for site in published_sites()
        if any(e.date == today and e.closed for e in site.hours_exceptions.all())
    ]
