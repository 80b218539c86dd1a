"""The room's refusals, waits and post-consumption watch in the demo, hung on the sessions the
visits generator made (halte.consumption: ``Refusal``, ``Wait``, ``Session.watch_*``).

Shaped on what the Paris and Strasbourg HSA evaluations describe (Inserm, 2021): a room full at
its busy hours, people kept waiting for a booth, some leaving without consuming, a short rest
after the session for part of them. The shares below have no published figure: all are
[assumption], chosen so that saturation shows by hour of the day in the reports.

Rows are bulk-inserted (synthetic: no audit events); every draw comes from the run's ``rng``,
public ids included; nothing is dated after the run's ``now``; a second run adds nothing to the
sessions and visits already covered."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Sequence

import numpy as np
from django.db.models import Exists, OuterRef

from halte.consumption.enums import PRODUCT_BITS, WaitOutcome
from halte.consumption.models import Refusal, Session, Wait
from halte.core import timeutils
from halte.core.timeutils import PARIS, paris_date
from halte.demo.activity.run import Run
from halte.network.models import Site
from halte.visits.enums import PURPOSE_BITS, RefusalReason, RefusalStage
from halte.visits.models import Visit

CONSUMPTION = PURPOSE_BITS["consumption"]
# A session that began more than this after the arrival was a wait for a booth.
WAITED = dt.timedelta(minutes=6)
# Refusals for a full room, per session started in an hour that kept every booth busy.
FULL_PER_BUSY_SESSION = 0.15
# Other refusals per hundred sessions: at the door after closing time, a ban, a minor, a route
# the room does not offer (Paris: injection only, so inhalation asked at the room).
OTHER_REFUSALS: dict[str, float] = {
    RefusalReason.CLOSED: 0.8,
    RefusalReason.BANNED: 0.3,
    RefusalReason.MINOR: 0.05,
    RefusalReason.ROUTE_NOT_ALLOWED: 0.6,
}
# In an hour when the room queued, some of those who came in left with material only, after a
# wait for a booth they gave up on.
GAVE_UP_SHARE = 0.15
# Post-consumption watch: one session in three rests a while, 5 to 40 minutes.
WATCH_SHARE = 0.35
# More than one product declared in a session (polyconsumption): one in eight.
SEVERAL_PRODUCTS_SHARE = 0.12


def _uuid(rng: np.random.Generator, salt: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"halte-room:{salt}:{rng.bytes(16).hex()}")


def _waits(run: Run, sessions: list[Session], left_without: Sequence[Visit]) -> list[Wait]:
    waits = []
    route_of = {site.pk: _first_route(site) for site in run.sites}
    for session in sessions:
        visit = session.visit
        if session.started_at - visit.arrived_at < WAITED:
            continue
        waits.append(
            Wait(
                public_id=_uuid(run.rng, visit.public_id),
                site_id=visit.site_id,
                visit=visit,
                route=session.route,
                started_at=visit.arrived_at + dt.timedelta(minutes=2),
                ended_at=session.started_at,
                outcome=WaitOutcome.SERVED,
                started_by=run.actor,
            )
        )
    for visit in left_without:
        assert visit.left_at is not None
        waits.append(
            Wait(
                public_id=_uuid(run.rng, visit.public_id),
                site_id=visit.site_id,
                visit=visit,
                route=route_of.get(visit.site_id, "injection"),
                started_at=visit.arrived_at + dt.timedelta(minutes=2),
                ended_at=max(visit.left_at, visit.arrived_at + dt.timedelta(minutes=2)),
                outcome=WaitOutcome.LEFT,
                started_by=run.actor,
            )
        )
    return waits


def _first_route(site: Site) -> str:
    routes = [r for r, n in site.booths_by_route().items() if n]
    return routes[0] if routes else "injection"


def _refusals(run: Run, sessions: list[Session], current: dt.datetime) -> list[Refusal]:
    """Full-room refusals in the hours when the room's sessions queued, and a few others."""
    rng, rows = run.rng, []
    queued: Counter[tuple[int, dt.datetime]] = Counter()
    for session in sessions:
        if session.started_at - session.visit.arrived_at >= WAITED:
            local = session.started_at.astimezone(PARIS)
            queued[(session.visit.site_id, local.replace(minute=0, second=0, microsecond=0))] += 1
    for (site_id, hour), n in sorted(queued.items()):
        for _ in range(int(rng.poisson(n * FULL_PER_BUSY_SESSION))):
            at = hour + dt.timedelta(minutes=float(rng.uniform(0, 60)))
            if at <= current:
                rows.append(_refusal(run, site_id, at, RefusalReason.FULL, RefusalStage.ROOM))
    for session in sessions:
        for reason, per_hundred in OTHER_REFUSALS.items():
            if rng.random() < per_hundred / 100:
                at = session.started_at + dt.timedelta(minutes=float(rng.uniform(1, 30)))
                stage = RefusalStage.DOOR if reason == RefusalReason.CLOSED else RefusalStage.ROOM
                if at <= current:
                    rows.append(_refusal(run, session.visit.site_id, at, reason, stage))
    return rows


def _refusal(run: Run, site_id: int, at: dt.datetime, reason: str, stage: str) -> Refusal:
    route = "inhalation" if reason == RefusalReason.ROUTE_NOT_ALLOWED else ""
    return Refusal(
        public_id=_uuid(run.rng, f"{site_id}:{at.isoformat()}"),
        site_id=site_id,
        at=at,
        stage=stage,
        reason=reason,
        route=route,
        recorded_by=run.actor,
    )


def _watch_and_products(run: Run, sessions: list[Session], current: dt.datetime) -> int:
    rng, changed = run.rng, []
    others = list(PRODUCT_BITS.values())
    for session in sessions:
        touched = False
        if session.ended_at is not None and rng.random() < WATCH_SHARE:
            end = session.ended_at + dt.timedelta(minutes=float(rng.uniform(5, 40)))
            if end <= current:
                session.watch_started_at = session.ended_at
                session.watch_ended_at = end
                touched = True
        if rng.random() < SEVERAL_PRODUCTS_SHARE:
            bit = others[int(rng.integers(len(others)))]
            if bit != PRODUCT_BITS.get(session.product):
                session.other_products = bit
                touched = True
        if touched:
            changed.append(session)
    Session.objects.bulk_update(
        changed, ["watch_started_at", "watch_ended_at", "other_products"], batch_size=2000
    )
    return len(changed)


def _queued_hours(sessions: list[Session]) -> set[tuple[int, dt.datetime]]:
    return {
        (s.visit.site_id, s.started_at.astimezone(PARIS).replace(minute=0, second=0, microsecond=0))
        for s in sessions
        if s.started_at - s.visit.arrived_at >= WAITED
    }


def _gave_up(run: Run, sessions: list[Session]) -> list[Visit]:
    """Visits without a session that arrived in an hour when the room queued: a share of them
    waited for a booth and left with material only."""
    queued = _queued_hours(sessions)
    if not queued:
        return []
    visits = (
        Visit.objects.filter(
            site__in=run.sites,
            arrived_at__date__range=(run.start, run.end),
            left_at__isnull=False,
            client__isnull=False,
        )
        .exclude(Exists(Session.objects.filter(visit=OuterRef("pk"))))
        .exclude(Exists(Wait.objects.filter(visit=OuterRef("pk"))))
        .order_by("arrived_at", "pk")
    )
    chosen = []
    for visit in visits:
        hour = visit.arrived_at.astimezone(PARIS).replace(minute=0, second=0, microsecond=0)
        if (visit.site_id, hour) in queued and run.rng.random() < GAVE_UP_SHARE:
            chosen.append(visit)
    return chosen


def _days_done(run: Run) -> set[tuple[int, dt.date]]:
    """The (site, day) pairs that already have waits or refusals: a second run leaves them be."""
    done = set()
    for site_id, moment in Wait.objects.filter(
        site__in=run.sites, started_at__date__range=(run.start, run.end)
    ).values_list("site_id", "started_at"):
        done.add((site_id, paris_date(moment)))
    for site_id, moment in Refusal.objects.filter(
        site__in=run.sites, at__date__range=(run.start, run.end)
    ).values_list("site_id", "at"):
        done.add((site_id, paris_date(moment)))
    return done


def generate(run: Run) -> dict[str, int]:
    """Waits, refusals, watches and several products on the run's sessions between its
    ``start`` and ``end``, nothing after its ``now``; the days that already have some are left
    as they are, so a second run adds nothing."""
    current = run.now or timeutils.now()
    done = _days_done(run)
    sessions = [
        s
        for s in Session.objects.filter(
            visit__site__in=run.sites, started_at__date__range=(run.start, run.end)
        )
        .select_related("visit")
        .order_by("started_at", "pk")
        if (s.visit.site_id, paris_date(s.started_at)) not in done
    ]
    left_without = [
        v for v in _gave_up(run, sessions) if (v.site_id, paris_date(v.arrived_at)) not in done
    ]
    waits = _waits(run, sessions, left_without)
    Wait.objects.bulk_create(waits, batch_size=2000)
    refusals = _refusals(run, sessions, current)
    Refusal.objects.bulk_create(refusals, batch_size=2000)
    watched = _watch_and_products(run, sessions, current)
    return {"waits": len(waits), "refusals": len(refusals), "sessions watched or mixed": watched}
