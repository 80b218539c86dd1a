"""Live views of a site: its booths and what is free now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from halte.consumption.models import Booth, Session
from halte.core.timeutils import now
from halte.network.hours import OpenState
from halte.network.models import Site
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
    moment = at or now()
    running = {
        s.booth_id: s
        for s in Session.objects.filter(booth__site=site, ended_at__isnull=True).select_related(
            "visit__client"
        )
    }
    limit = site.session_time_limit_minutes
    board = []
    for booth in Booth.objects.filter(site=site, is_active=True).order_by("route", "number"):
        session = running.get(booth.pk)
        minutes = (
            None if session is None else int((moment - session.started_at).total_seconds() // 60)
        )
        over = minutes is not None and limit is not None and minutes >= limit
        board.append(BoothState(booth, session, minutes, over))
    return board


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
