"""How the consumption app follows the other apps' changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from halte.accounts.models import User
from halte.consumption.room import refusal_write, room_leave
from halte.consumption.services import booths_sync
from halte.core.timeutils import now
from halte.network.models import Site
from halte.network.signals import capacities_changed
from halte.visits.models import Visit
from halte.visits.signals import turned_away, visit_closing


def booths_follow_counts(sender: type[Site], *, site: Site, **kwargs: Any) -> None:
    """A site's booths follow its counts (network.services sends the change)."""
    booths_sync(site=site, on=kwargs.get("effective_on"))


def refusal_counted(
    sender: type[Visit],
    *,
    actor: User,
    site: Site,
    stage: str,
    reason: str,
    route: str,
    **kwargs: Any,
) -> None:
    """A rule turned someone away, at the door or in the room: the refusal is counted, now."""
    refusal_write(actor=actor, site=site, stage=stage, reason=reason, route=route, at=now())


def room_follows_departure(
    sender: type[Visit], *, actor: User, visit: Visit, at: dt.datetime, **kwargs: Any
) -> None:
    """The person leaves the site: their session, wait and watch end at the same time."""
    room_leave(actor=actor, visit=visit, at=at)


capacities_changed.connect(booths_follow_counts, dispatch_uid="consumption.booths_follow_counts")
turned_away.connect(refusal_counted, dispatch_uid="consumption.refusal_counted")
visit_closing.connect(room_follows_departure, dispatch_uid="consumption.room_follows_departure")
