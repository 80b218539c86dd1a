"""Synthetic activity for the demo network, shaped on published volumes (docs/domain.md §8).

Paris HSA: about 165–200 consumptions a day, about 800 distinct people a year, 13–20 % women,
median age about 38, an emergency intervention about every three weeks. Strasbourg: about 50
visits a day. CAARUD: about 20 a day. Nothing here is a real person: codes are drawn at random.

Rows are written with bulk inserts (millions of rows in minutes); they are synthetic, so they carry
no audit events. Booths are simulated in time order, so no booth ever holds two sessions at once,
and the database constraints hold for every generated row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from halte.accounts.models import User
from halte.clients.codes import code_from_key
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, Incident, Session
from halte.core.timeutils import PARIS, now
from halte.network.hours import intervals_on
from halte.network.models import Site
from halte.network.selectors import site_exceptions, site_spans
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit


@dataclass(frozen=True)
class Profile:
    """Daily volumes of one site kind: visits a day, share that consume, people a year."""

    visits_per_day: float
    consumption_share: float
    people_per_year: int


PROFILES = {
    "paris-hsa": Profile(200, 0.9, 800),
    "strasbourg-hsa": Profile(50, 0.8, 750),
    "ego-caarud": Profile(45, 0.0, 600),
    "doudeauville-caarud": Profile(20, 0.0, 250),
    "step": Profile(30, 0.0, 400),
    "repos-chapelle": Profile(40, 0.0, 500),
    "sleep-in": Profile(25, 0.0, 200),
    "csapa-chapelle": Profile(15, 0.0, 250),
}
WOMEN_SHARE = 0.16
# About one emergency intervention every three weeks in Paris (~17 a year for ~60,000 sessions);
# minor incidents (malaise, injury, violence) are assumed nine times as frequent [assumption].
EMERGENCY_SHARE = 0.1
INCIDENT_PER_SESSION = 17 / 60000 / EMERGENCY_SHARE
PRODUCTS_BY_ROUTE = {
    "injection": (
        [
            Product.MORPHINE,
            Product.HEROIN,
            Product.COCAINE,
            Product.BUPRENORPHINE,
            Product.FENTANYL,
        ],
        [0.6, 0.05, 0.25, 0.08, 0.02],
    ),
    "inhalation": ([Product.CRACK, Product.COCAINE, Product.HEROIN], [0.8, 0.15, 0.05]),
    "nasal": ([Product.COCAINE, Product.HEROIN, Product.OTHER], [0.7, 0.2, 0.1]),
}


def _people(rng: np.random.Generator, site: Site, actor: User, count: int) -> list[Client]:
    """Draw synthetic people: random codes (no identity behind them), ages and sexes."""
    today = now().astimezone(PARIS).date()
    ages = np.clip(rng.normal(38, 8, count), 19, 70).astype(int)
    women = rng.random(count) < WOMEN_SHARE
    return [
        Client(
            code=code_from_key(rng.bytes(8).hex(), rng.bytes(32)),
            birth_year=today.year - int(age),
            sex_gender="woman" if woman else ("other" if rng.random() < 0.01 else "man"),
            registered_at_site=site,
            registered_by=actor,
        )
        for age, woman in zip(ages, women, strict=True)
    ]


@dataclass
class _Booths:
    by_route: dict[str, list[Booth]]
    free_at: dict[int, dt.datetime]

    def take(
        self, route: str, at: dt.datetime, minutes: int
    ) -> tuple[Booth, dt.datetime, dt.datetime] | None:
        booths = self.by_route.get(route) or []
        if not booths:
            return None
        booth = min(booths, key=lambda b: self.free_at.get(b.pk, at))
        start = max(at, self.free_at.get(booth.pk, at))
        end = start + dt.timedelta(minutes=minutes)
        self.free_at[booth.pk] = end
        return booth, start, end


def _days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@dataclass
class Generated:
    clients: int = 0
    visits: int = 0
    sessions: int = 0
    incidents: int = 0


def make_pool(
    *, rng: np.random.Generator, site: Site, actor: User, years: float, scale: float
) -> list[Client]:
    """The network's synthetic people; each site draws its public from this one pool, so some
    people are seen at several sites, as in life, and are counted once across the network."""
    biggest = max(p.people_per_year for p in PROFILES.values())
    people = _people(rng, site, actor, int(biggest * 1.5 * max(years, 1.0) * scale))
    Client.objects.bulk_create(people, batch_size=2000)
    return people


def generate_site(
    *,
    site: Site,
    actor: User,
    pool: list[Client],
    start: dt.date,
    end: dt.date,
    scale: float,
    rng: np.random.Generator,
    tick: Callable[[], object] = lambda: None,
) -> Generated:
    """Fill one site with visits (and sessions and incidents where it has booths) over the days."""
    profile = PROFILES.get(site.slug)
    result = Generated()
    if profile is None:
        return result
    years = max((end - start).days / 365, 0.25)
    # The active file grows more slowly than time: regulars return, newcomers add up.
    size = min(len(pool), int(profile.people_per_year * max(years, 1.0) ** 0.7 * scale))
    people = [pool[int(i)] for i in rng.choice(len(pool), size=size, replace=False)]
    # Heavy users come almost daily, most people now and then: a Zipf-like weight per person.
    weights = 1 / np.arange(1, len(people) + 1) ** 0.8
    weights /= weights.sum()
    booths = _Booths(
        by_route={
            r: list(Booth.objects.filter(site=site, route=r, is_active=True))
            for r in site.allowed_routes()
        },
        free_at={},
    )
    spans, exceptions = site_spans(site), {e.date: e for e in site_exceptions(site)}
    current = now()
    for day in _days(start, end):
        tick()
        for interval in intervals_on(day, spans, exceptions):
            closes = min(interval.end, current)
            _fill_interval(
                _Day(site, actor, interval.start, closes, profile, scale, current),
                people,
                weights,
                booths,
                rng,
                result,
            )
    return result


@dataclass(frozen=True)
class _Day:
    site: Site
    actor: User
    opens: dt.datetime
    closes: dt.datetime
    profile: Profile
    scale: float
    current: dt.datetime


def _fill_interval(
    day: _Day,
    people: list[Client],
    weights: np.ndarray,
    booths: _Booths,
    rng: np.random.Generator,
    result: Generated,
) -> None:
    span_minutes = (day.closes - day.opens).total_seconds() / 60
    if span_minutes <= 30 or not people:
        return
    count = int(rng.poisson(day.profile.visits_per_day * day.scale * min(span_minutes / 420, 2.0)))
    offsets = np.sort(rng.uniform(0, span_minutes - 20, count))
    chosen = rng.choice(len(people), size=count, p=weights)
    visits, wanting = _visits(day, offsets, chosen, people, booths, rng)
    Visit.objects.bulk_create(visits, batch_size=2000)
    result.visits += len(visits)
    sessions = [
        s for s in (_session(day, v, at, booths, rng) for v, at in wanting) if s is not None
    ]
    Session.objects.bulk_create(sessions, batch_size=2000)
    result.sessions += len(sessions)
    incidents = [_incident(day, s, rng) for s in sessions if rng.random() < INCIDENT_PER_SESSION]
    Incident.objects.bulk_create(incidents, batch_size=500)
    result.incidents += len(incidents)


def _visits(
    day: _Day,
    offsets: np.ndarray,
    chosen: np.ndarray,
    people: list[Client],
    booths: _Booths,
    rng: np.random.Generator,
) -> tuple[list[Visit], list[tuple[Visit, dt.datetime]]]:
    visits: list[Visit] = []
    wanting: list[tuple[Visit, dt.datetime]] = []
    inside: set[int] = set()
    for offset, who in zip(offsets, chosen, strict=True):
        arrived = day.opens + dt.timedelta(minutes=float(offset))
        client: Client | None = None if rng.random() < 0.08 else people[int(who)]
        if client is not None and client.pk in inside:
            client = None  # already inside: the same person cannot be checked in twice
        left: dt.datetime | None = arrived + dt.timedelta(minutes=float(rng.uniform(15, 75)))
        if left is not None and left > day.current:
            left = None
            if client is not None:
                inside.add(client.pk)
        consumes = (
            client is not None
            and bool(booths.by_route)
            and rng.random() < day.profile.consumption_share
        )
        purposes = PURPOSE_BITS["material"] | (PURPOSE_BITS["consumption"] if consumes else 0)
        if rng.random() < 0.15:
            purposes |= PURPOSE_BITS["care"]
        visit = Visit(
            site=day.site,
            client=client,
            arrived_at=arrived,
            left_at=left,
            purposes=purposes,
            opened_by=day.actor,
            closed_by=None if left is None else day.actor,
        )
        visits.append(visit)
        if consumes:
            wanting.append((visit, arrived + dt.timedelta(minutes=float(rng.uniform(2, 10)))))
    return visits, wanting


def _session(
    day: _Day, visit: Visit, at: dt.datetime, booths: _Booths, rng: np.random.Generator
) -> Session | None:
    route = str(rng.choice(list(booths.by_route)))
    taken = booths.take(route, at, int(rng.uniform(10, 30)))
    if taken is None:
        return None
    booth, started, ended = taken
    if visit.left_at is not None:
        if started >= visit.left_at:
            return None  # waited too long for a booth and left
        ended = min(ended, visit.left_at)
    products, probabilities = PRODUCTS_BY_ROUTE[route]
    return Session(
        visit=visit,
        booth=booth,
        route=route,
        product=str(rng.choice(products, p=probabilities)),
        started_at=started,
        ended_at=None if ended > day.current else ended,
        started_by=day.actor,
    )


def _incident(day: _Day, session: Session, rng: np.random.Generator) -> Incident:
    emergency = rng.random() < EMERGENCY_SHARE
    kind = (
        IncidentKind.OPIOID_OVERDOSE
        if emergency
        else str(
            rng.choice(
                [
                    IncidentKind.MALAISE,
                    IncidentKind.STIMULANT_TOXICITY,
                    IncidentKind.INJURY,
                    IncidentKind.VIOLENCE,
                ]
            )
        )
    )
    transferred = emergency and rng.random() < 0.4
    return Incident(
        site=day.site,
        visit=session.visit,
        session=session,
        client=session.visit.client,
        kind=kind,
        occurred_at=session.started_at + dt.timedelta(minutes=5),
        oxygen=emergency,
        naloxone_doses=int(rng.integers(1, 3)) if emergency else 0,
        resuscitation=emergency and rng.random() < 0.3,
        emergency_call=emergency,
        hospital_transfer=transferred,
        outcome=Outcome.TRANSFERRED if transferred else Outcome.RECOVERED_ON_SITE,
        recorded_by=day.actor,
    )
