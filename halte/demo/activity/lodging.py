"""Synthetic stays for the demo sites with beds, shaped on docs/domain.md.

Strasbourg (Argos): 20 beds, stays of 2 months renewable (section 2, strasbourg.eu 2021).
Sleep'In: night places, one to three nights at a time [assumption: existence and capacity
unverified, see the site's note]. ASSORE: 610 hotel places since 2023, 536 persons hosted at one
count (section 4.2), so about 88 % occupancy; stays of 3 to 12 months [assumption].
Each bed is simulated as a sequence of stays with short gaps; a client never holds two beds on one
night nor two open stays, so every database constraint holds for the generated rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from halte.accounts.models import User
from halte.clients.models import Client
from halte.core import timeutils
from halte.demo.activity.run import Run
from halte.lodging.enums import PRIORITY_BITS, ExitReason, WaitingStatus
from halte.lodging.models import Bed, BedNight, Stay, WaitingEntry
from halte.lodging.selectors import current_night
from halte.lodging.services import beds_sync
from halte.network.enums import SiteStatus
from halte.network.models import Site


@dataclass(frozen=True)
class BedProfile:
    min_nights: int
    max_nights: int
    occupancy: float  # share of nights a bed is taken
    planned: bool  # stays with a planned exit (renewable) or night by night


PROFILES = {
    "strasbourg-hsa": BedProfile(30, 120, 0.9, True),  # 2 months, often renewed once
    "sleep-in": BedProfile(1, 3, 0.8, True),
    "assore-hotels": BedProfile(90, 365, 0.88, True),
}
# Exit reasons [assumption: no published breakdown; "lack of downstream housing" (Cour des
# comptes 2021) keeps housing exits rare].
EXITS = (
    [
        ExitReason.END_OF_STAY,
        ExitReason.OTHER_ACCOMMODATION,
        ExitReason.LEFT,
        ExitReason.HOUSING_FOUND,
        ExitReason.HOSPITAL,
        ExitReason.EXCLUSION,
        ExitReason.DEATH,
    ],
    [0.45, 0.15, 0.14, 0.1, 0.08, 0.07, 0.01],
)


@dataclass
class _Clients:
    """The nights each person is booked for: a person never holds two beds on one night."""

    pool: list[Client]
    booked: dict[int, list[tuple[dt.date, dt.date]]]

    def is_free(self, client_id: int, entry: dt.date, exit_: dt.date) -> bool:
        return all(exit_ <= start or entry >= end for start, end in self.booked.get(client_id, []))

    def pick(self, rng: np.random.Generator, entry: dt.date, exit_: dt.date) -> Client | None:
        for _attempt in range(30):
            client = self.pool[int(rng.integers(len(self.pool)))]
            if self.is_free(client.pk, entry, exit_):
                self.booked.setdefault(client.pk, []).append((entry, exit_))
                return client
        return None


def _intervals(
    rng: np.random.Generator, profile: BedProfile, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date]]:
    """(entry, planned exit) per stay of one bed, gaps sized to reach the profile's occupancy."""
    mean = (profile.min_nights + profile.max_nights) / 2
    mean_gap = mean * (1 - profile.occupancy) / profile.occupancy
    day = start - dt.timedelta(days=int(rng.integers(0, profile.max_nights)))
    result = []
    while day <= end:
        nights = int(rng.integers(profile.min_nights, profile.max_nights + 1))
        result.append((day, day + dt.timedelta(days=nights)))
        day += dt.timedelta(days=nights + int(rng.poisson(mean_gap)))
    return [(a, b) for a, b in result if b > start]


def _stays_for_site(
    site: Site, profile: BedProfile, ctx: _Context
) -> list[tuple[Stay, list[dt.date]]]:
    beds = list(Bed.objects.filter(site=site, is_active=True).order_by("number"))
    used = beds[: max(1, int(len(beds) * min(ctx.scale, 1.0)))]
    plans = [
        (bed, a, b) for bed in used for a, b in _intervals(ctx.rng, profile, ctx.start, ctx.end)
    ]
    plans.sort(key=lambda p: p[1])
    made = []
    for bed, entry, planned_exit in plans:
        entry = max(entry, ctx.start)
        still_open = planned_exit > ctx.tonight
        # An open stay holds its person until it ends, whenever that is.
        client = ctx.clients.pick(ctx.rng, entry, dt.date.max if still_open else planned_exit)
        if client is None:
            continue
        exit_date = None if still_open else planned_exit
        stay = Stay(
            bed=bed,
            client=client,
            entry_date=entry,
            planned_exit_date=planned_exit,
            exit_date=exit_date,
            exit_reason="" if still_open else str(ctx.rng.choice(EXITS[0], p=EXITS[1])),
            created_by=ctx.actor,
            ended_by=None if still_open else ctx.actor,
        )
        nights = [entry + dt.timedelta(days=i) for i in range((planned_exit - entry).days)]
        made.append((stay, nights))
    return made


@dataclass
class _Context:
    rng: np.random.Generator
    start: dt.date
    end: dt.date
    tonight: dt.date
    scale: float
    actor: User
    clients: _Clients
    now: dt.datetime


def _booked() -> dict[int, list[tuple[dt.date, dt.date]]]:
    """The stays already written (a second run): their people are not given a bed twice."""
    booked: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for client_id, entry, exit_ in Stay.objects.values_list("client_id", "entry_date", "exit_date"):
        booked.setdefault(client_id, []).append((entry, exit_ or dt.date.max))
    return booked


def _lodging_sites(sites: list[Site]) -> list[Site]:
    # generate_activity passes the sites with a visit profile; ASSORE (hotel rooms, no visits) is
    # not among them, so the demo sites with beds are looked up too.
    extra = Site.objects.filter(slug__in=PROFILES, status=SiteStatus.OPERATIONAL)
    seen = {s.pk for s in sites}
    return [*sites, *(s for s in extra.order_by("slug") if s.pk not in seen)]


def generate(run: Run) -> dict[str, int]:
    """Stays and their nights in the beds of the demo sites, and a short waiting list at each,
    as they stand at ``now`` (default: the clock)."""
    # A child generator: one draw from the caller's, whatever this run finds in the database, so
    # what the other apps generate after this one does not depend on it.
    rng = np.random.default_rng(int(run.rng.integers(2**62)))
    now = run.now or timeutils.now()
    clients = _Clients(run.pool, _booked())
    ctx = _Context(rng, run.start, run.end, current_night(now), run.scale, run.actor, clients, now)
    result = {"stays": 0, "bed_nights": 0, "waiting": 0}
    generated = []
    for site in _lodging_sites(run.sites):
        profile = PROFILES.get(site.slug)
        if profile is None or site.beds <= 0 or not run.pool:
            continue
        if Stay.objects.filter(bed__site=site).exists():
            continue  # generated already: a second run adds nothing here
        beds_sync(site=site)
        made = _stays_for_site(site, profile, ctx)
        Stay.objects.bulk_create([s for s, _n in made], batch_size=2000)
        nights = [
            BedNight(bed=s.bed, night=n, stay=s, client=s.client)
            for s, ns in made
            for n in ns
            if s.exit_date is None or n < s.exit_date
        ]
        BedNight.objects.bulk_create(nights, batch_size=5000)
        result["stays"] += len(made)
        result["bed_nights"] += len(nights)
        generated.append(site)
    # The waiting lists come once every site's stays are drawn: someone holding a bed anywhere
    # (a hotel room for months) is not waiting for a night shelter's bed.
    for site in generated:
        result["waiting"] += _waiting(site, ctx)
    return result


def _waiting(site: Site, ctx: _Context) -> int:
    """A few people waiting [assumption: 3 to 8 per site], drawn among those with no stay in
    progress anywhere, nor one booked: nobody waits for a bed while holding one."""
    size = int(ctx.rng.integers(3, 9))
    chosen: list[Client] = []
    for _attempt in range(size * 5):
        client = ctx.clients.pool[int(ctx.rng.integers(len(ctx.clients.pool)))]
        busy = not ctx.clients.is_free(client.pk, ctx.tonight, dt.date.max)
        if not busy and client not in chosen:
            chosen.append(client)
        if len(chosen) == size:
            break
    moment = ctx.now
    rows = [
        WaitingEntry(
            site=site,
            client=client,
            requested_at=moment - dt.timedelta(hours=float(ctx.rng.uniform(1, 24 * 20))),
            priorities=(PRIORITY_BITS["woman"] if client.sex_gender == "woman" else 0)
            | (PRIORITY_BITS["health_need"] if ctx.rng.random() < 0.3 else 0),
            status=WaitingStatus.WAITING,
            created_by=ctx.actor,
        )
        for client in chosen
    ]
    WaitingEntry.objects.bulk_create(rows)
    return len(rows)
