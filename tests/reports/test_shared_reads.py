"""The figures read in one shared query per report (the sessions by route and product with their
kinds and watches; the nights spent in a bed per site) equal plain counts of random rows, over
periods that cut through them."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from halte.accounts.models import User
from halte.consumption.enums import Product
from halte.consumption.models import Booth, Session
from halte.core.timeutils import paris_date, paris_instant
from halte.lodging.models import Bed, BedNight, Stay
from halte.network.models import Site
from halte.reports.indicators import REGISTRY, Scope
from halte.reports.router import reading_replica
from halte.visits.models import Visit
from tests.factories import PastClientFactory

FIRST = dt.date(2025, 3, 1)
SCOPES = [(dt.date(2025, 3, 1), dt.date(2025, 3, 31)), (dt.date(2025, 3, 10), dt.date(2025, 3, 12))]


def _sessions(rng: random.Random, sites: list[Site], actor: User) -> list[Session]:
    made = []
    for site in sites:
        booth = Booth.objects.create(site=site, route="inhalation", number=1, label="A1")
        at = paris_instant(FIRST, dt.time(9, 0))
        for _ in range(rng.randrange(15, 40)):
            at += dt.timedelta(hours=rng.randrange(1, 30))
            visit = Visit.objects.create(site=site, arrived_at=at, opened_by=actor)
            ended = None if rng.random() < 0.1 else at + dt.timedelta(minutes=rng.randrange(5, 40))
            watch = ended if ended and rng.random() < 0.6 else None
            watch_end = watch + dt.timedelta(minutes=rng.randrange(1, 50)) if watch else None
            made.append(
                Session.objects.create(
                    visit=visit,
                    booth=booth,
                    route="inhalation",
                    product=rng.choice([Product.CRACK, Product.COCAINE]),
                    other_products=rng.choice([0, 0, 1, 2]),
                    led_by_peer=rng.random() < 0.3,
                    started_at=at,
                    ended_at=ended,
                    watch_started_at=watch,
                    watch_ended_at=watch_end if rng.random() < 0.8 else None,
                    started_by=actor,
                )
            )
            if ended is None:
                break  # a booth holds one open session at most
    return made


def _nights(rng: random.Random, sites: list[Site], actor: User) -> list[BedNight]:
    made = []
    for site in sites:
        for number in range(1, 4):
            bed = Bed.objects.create(site=site, number=number, label=f"L{number}")
            day = FIRST + dt.timedelta(days=rng.randrange(5))
            while day < FIRST + dt.timedelta(days=31):
                client = PastClientFactory.create(registered_at_site=site, registered_by=actor)
                length = rng.randrange(1, 9)
                stay = Stay.objects.create(
                    bed=bed,
                    client=client,
                    entry_date=day,
                    exit_date=day + dt.timedelta(days=length),
                    exit_reason="left",
                    created_by=actor,
                )
                for _ in range(length):
                    made.append(
                        BedNight.objects.create(bed=bed, night=day, stay=stay, client=client)
                    )
                    day += dt.timedelta(days=1)
                day += dt.timedelta(days=rng.randrange(0, 3))
    return made


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shared_session_and_bed_reads_equal_plain_counts(
    seed: int, site: Site, other_site: Site, reception: User
) -> None:
    rng = random.Random(seed)
    sites = [site, other_site]
    sessions, nights = _sessions(rng, sites, reception), _nights(rng, sites, reception)
    for start, end in SCOPES:
        scope = Scope((site.pk, other_site.pk), start, end)
        kept = [s for s in sessions if start <= paris_date(s.started_at) <= end]
        watched = [
            (s.watch_ended_at - s.watch_started_at).total_seconds() / 60
            for s in kept
            if s.watch_started_at and s.watch_ended_at
        ]
        slept = [n for n in nights if start <= n.night <= end]
        with reading_replica():
            figures = {
                code: REGISTRY[code].evaluate(scope).value
                for code in (
                    "sessions",
                    "sessions_several_products",
                    "sessions_led_by_peers",
                    "watch_minutes",
                    "bed_nights",
                    "people_housed",
                )
            }
        several = sum(s.other_products > 0 for s in kept)
        assert figures["sessions"] == len(kept)
        share = 100 * several / len(kept) if kept else None
        assert figures["sessions_several_products"] == pytest.approx(share)
        assert figures["sessions_led_by_peers"] == sum(s.led_by_peer for s in kept)
        mean = sum(watched) / len(watched) if watched else None
        assert figures["watch_minutes"] == pytest.approx(mean)
        assert figures["bed_nights"] == len(slept)
        assert figures["people_housed"] == len({n.client_id for n in slept})
