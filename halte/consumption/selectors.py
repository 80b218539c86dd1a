"""Live views of a site: its booths and what is free now."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.consumption.enums import RefusalReason
from halte.consumption.models import Booth, Refusal, Session, Wait
from halte.core.timeutils import PARIS, now, paris_instant
from halte.network.hours import OpenState
from halte.network.models import Site
from halte.network.publication import room_levels
from halte.network.selectors import site_open_state
from halte.visits.selectors import occupancy


@dataclass(frozen=True)
class BoothState:
    booth: Booth
    session: Session | None
    minutes: int | None
    over_limit: bool


def booth_board(site: Site, at: dt.datetime | None = None) -> list[BoothState]:
    """Each active booth, free or busy and for how long; busy past the site's limit is flagged."""
    return booth_boards([site], at)[site.pk]


def booth_boards(
    sites: Sequence[Site], at: dt.datetime | None = None
) -> dict[int, list[BoothState]]:
    """:func:`booth_board` of several sites at once (two queries whatever their number), by site
    id; a site without booths has an empty board."""
    moment = at or now()
    by_id = {site.pk: site for site in sites}
    running = {
        s.booth_id: s
        for s in Session.objects.filter(
            booth__site_id__in=by_id, ended_at__isnull=True
        ).select_related("visit__client")
    }
    boards: dict[int, list[BoothState]] = {pk: [] for pk in by_id}
    booths = Booth.objects.filter(site_id__in=by_id, is_active=True).order_by("route", "number")
    for booth in booths:
        limit = by_id[booth.site_id].session_time_limit_minutes
        session = running.get(booth.pk)
        minutes = (
            None if session is None else int((moment - session.started_at).total_seconds() // 60)
        )
        over = minutes is not None and limit is not None and minutes >= limit
        boards[booth.site_id].append(BoothState(booth, session, minutes, over))
    return boards


@dataclass(frozen=True)
class Availability:
    open_state: OpenState
    occupancy: int
    reception_capacity: int
    booths: dict[str, dict[str, int]]  # route → total, busy, free
    beds_total: int
    beds_free: int | None  # None until the accommodation module records stays


def _beds_free_tonight(site: Site) -> int:
    from halte.lodging.selectors import beds_free_tonight

    return beds_free_tonight(site)


def site_availability(site: Site) -> Availability:
    """What a front desk or an outreach worker needs to know to send someone: open now, how full,
    free booths by route, beds."""
    booths: dict[str, dict[str, int]] = {}
    for state in booth_board(site):
        entry = booths.setdefault(state.booth.route, {"total": 0, "busy": 0, "free": 0})
        entry["total"] += 1
        entry["busy" if state.session else "free"] += 1
    return Availability(
        open_state=site_open_state(site),
        occupancy=occupancy(site),
        reception_capacity=site.reception_capacity,
        booths=booths,
        beds_total=site.beds,
        beds_free=_beds_free_tonight(site) if site.beds else None,
    )


def site_room_levels(site: Site) -> dict[str, str]:
    """The coarse room levels of a site that publishes them, for the public page and the open
    data (no query otherwise)."""
    if not (site.publish_public and site.publish_room_level):
        return {}
    availability = site_availability(site)
    booths = availability.booths.values()
    return room_levels(
        site,
        booths_free=sum(b["free"] for b in booths),
        booths_total=sum(b["total"] for b in booths),
        beds_free=availability.beds_free,
        beds_total=availability.beds_total,
    )


# The door and the queue (``consumption.room``). A refusal holds no person; a wait and a watch
# belong to a visit, so they are read through the site gate like visits.


def get_wait_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Wait:
    """A wait at one of the sites where the user works with people, else 404."""
    try:
        return (
            Wait.objects.filter(site_id__in=client_site_ids(user))
            .select_related("site", "visit")
            .get(public_id=public_id)
        )
    except (Wait.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("Attente introuvable.")) from exc


def get_session_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> Session:
    """A session at one of the sites where the user works with people, else 404."""
    try:
        return (
            Session.objects.filter(booth__site_id__in=client_site_ids(user))
            .select_related("booth__site", "visit__client")
            .get(public_id=public_id)
        )
    except (Session.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404(_("Consommation introuvable.")) from exc


@dataclass(frozen=True)
class Timed:
    """A wait or a watch running now, and for how many minutes."""

    item: Wait | Session
    minutes: int


def _minutes(since: dt.datetime, moment: dt.datetime) -> int:
    return max(int((moment - since).total_seconds() // 60), 0)


def open_waits(site: Site, at: dt.datetime | None = None) -> list[Timed]:
    """Who waits for a booth now, longest first. Callers have checked the user may see this
    site's people."""
    moment = at or now()
    rows = (
        Wait.objects.filter(site=site, ended_at__isnull=True)
        .select_related("visit__client")
        .order_by("started_at")
    )
    return [Timed(w, _minutes(w.started_at, moment)) for w in rows]


def in_watch(site: Site, at: dt.datetime | None = None) -> list[Timed]:
    """Who is in the rest area after a session now, longest first."""
    moment = at or now()
    rows = (
        Session.objects.filter(
            booth__site=site, watch_started_at__isnull=False, watch_ended_at__isnull=True
        )
        .select_related("visit__client", "booth")
        .order_by("watch_started_at")
    )
    return [Timed(s, _minutes(s.watch_started_at or moment, moment)) for s in rows]


@dataclass(frozen=True)
class DoorHour:
    hour: int
    refused: int
    full: int
    waits: int


def door_day(site: Site, day: dt.date) -> list[DoorHour]:
    """A site's day at the door, hour by hour (Paris time), the hours with something only:
    people turned away (of whom because full) and waits begun. Counts, no person."""
    t0 = paris_instant(day, dt.time(0, 0))
    t1 = paris_instant(day + dt.timedelta(days=1), dt.time(0, 0))
    refused = (
        Refusal.objects.filter(site=site, at__gte=t0, at__lt=t1)
        .annotate(hour=ExtractHour("at", tzinfo=PARIS))
        .values("hour")
        .annotate(n=Count("*"), full=Count("pk", filter=Q(reason=RefusalReason.FULL)))
        .order_by()
    )
    waits = dict(
        Wait.objects.filter(site=site, started_at__gte=t0, started_at__lt=t1)
        .annotate(hour=ExtractHour("started_at", tzinfo=PARIS))
        .values("hour")
        .annotate(n=Count("*"))
        .values_list("hour", "n")
        .order_by()
    )
    by_hour = {r["hour"]: (r["n"], r["full"]) for r in refused}
    hours = sorted(set(by_hour) | set(waits))
    return [
        DoorHour(h, by_hour.get(h, (0, 0))[0], by_hour.get(h, (0, 0))[1], waits.get(h, 0))
        for h in hours
    ]
