"""Synthetic outreach for the demo: rounds most evenings, contacts as visits at the team's site,
head counts at the gathering places.

Shape [assumptions, no published per-round figures found]: a round on 6 evenings out of 7,
19:00–22:30; about 25 people met a round, 30 % of them anonymous; a count at two or three places a
round, at the orders of magnitude of a dispersed scene after Forceval (docs/domain.md, 4.3: "no
reconstitution of a Forceval-size scene", 2025), 10 to 60 people a place.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from halte.clients.models import Client
from halte.core import timeutils
from halte.core.timeutils import paris_date, paris_instant
from halte.demo.activity.run import Run
from halte.network.enums import SiteKind, SiteStatus
from halte.network.models import Site
from halte.outreach.enums import Zone
from halte.outreach.models import GatheringPlace, HeadCount, Round, RoundContact
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit

ROUND_SHARE = 6 / 7
CONTACTS_PER_ROUND = 25
ANONYMOUS_SHARE = 0.3
ROUND_FROM, ROUND_MINUTES = dt.time(19, 0), 210


# Teams of the demo network that do mediation, not rounds handing out material: Coordination
# Toxicomanies does no needle exchange (entretemps.asso.fr, 2002).
MEDIATION_ONLY = frozenset({"coordination-toxicomanies"})


def _teams(sites: list[Site]) -> list[Site]:
    teams = [s for s in sites if s.kind == SiteKind.OUTREACH_TEAM]
    if not teams:
        # generate_activity passes the sites it fills; the team has no fixed-site profile there.
        teams = list(
            Site.objects.filter(kind=SiteKind.OUTREACH_TEAM, status=SiteStatus.OPERATIONAL)
        )
    return [team for team in teams if team.slug not in MEDIATION_ONLY]


def _contacts(
    rng: np.random.Generator,
    round_: Round,
    pool: list[Client],
    met: set[int],
    places: list[GatheringPlace],
) -> tuple[list[Visit], list[RoundContact]]:
    visits, contacts = [], []
    span = (round_.ended_at - round_.started_at).total_seconds() / 60 if round_.ended_at else 0
    for _i in range(int(rng.poisson(CONTACTS_PER_ROUND))):
        moment = round_.started_at + dt.timedelta(minutes=float(rng.uniform(0, span)))
        client = (
            None
            if rng.random() < ANONYMOUS_SHARE or not pool
            else pool[int(rng.integers(len(pool)))]
        )
        is_new = client.pk not in met if client else bool(rng.random() < 0.1)
        if client is not None:
            met.add(client.pk)
        purposes = PURPOSE_BITS["material"] | (PURPOSE_BITS["care"] if rng.random() < 0.1 else 0)
        visit = Visit(
            site=round_.team,
            client=client,
            arrived_at=moment,
            left_at=moment,
            purposes=purposes,
            opened_by=round_.started_by,
            closed_by=round_.started_by,
        )
        visits.append(visit)
        place = places[int(rng.integers(len(places)))] if places else None
        contacts.append(RoundContact(round=round_, visit=visit, place=place, is_new=is_new))
    return visits, contacts


def generate(run: Run) -> dict[str, int]:
    """Rounds, contacts (visits at the team's site) and head counts over the days, the rounds
    over by ``now`` (default: the clock)."""
    # A child generator: one draw from the caller's, whatever this run finds in the database, so
    # what the other apps generate after this one does not depend on it.
    rng = np.random.default_rng(int(run.rng.integers(2**62)))
    result = {"rounds": 0, "contacts": 0, "head_counts": 0}
    places = list(GatheringPlace.objects.filter(is_active=True).order_by("slug"))
    zones = [z for z in Zone.values if z != Zone.OTHER]
    current = run.now or timeutils.now()
    for team in _teams(run.sites):
        met: set[int] = set()
        # Evenings that already have a round (a second run) are left as they are.
        done_days = {
            paris_date(moment)
            for moment in Round.objects.filter(team=team, contacts__isnull=False)
            .distinct()
            .values_list("started_at", flat=True)
        }
        day = run.start
        while day <= run.end:
            started = paris_instant(day, ROUND_FROM)
            ended = started + dt.timedelta(minutes=ROUND_MINUTES)
            day += dt.timedelta(days=1)
            if rng.random() > ROUND_SHARE or ended > current or paris_date(started) in done_days:
                continue
            round_ = Round.objects.create(
                team=team,
                zone=zones[int(rng.integers(len(zones)))],
                started_at=started,
                ended_at=ended,
                started_by=run.actor,
            )
            visits, contacts = _contacts(rng, round_, run.pool, met, places)
            Visit.objects.bulk_create(visits, batch_size=2000)
            for contact in contacts:
                contact.visit_id = contact.visit.pk
            RoundContact.objects.bulk_create(contacts, batch_size=2000)
            counts = [
                HeadCount(
                    place=place,
                    team=team,
                    counted_at=started + dt.timedelta(minutes=30 + 20 * i),
                    count=int(rng.integers(10, 61) * min(run.scale, 1.0)),
                    recorded_by=run.actor,
                    synthetic=True,
                )
                for i, place in enumerate(places[: int(rng.integers(2, 4))])
            ]
            HeadCount.objects.bulk_create(counts, ignore_conflicts=True)
            result["rounds"] += 1
            result["contacts"] += len(contacts)
            result["head_counts"] += len(counts)
    return result
