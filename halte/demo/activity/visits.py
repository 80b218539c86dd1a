"""Synthetic activity for the demo network, shaped on published volumes (docs/domain.md §8).

Paris HSA: about 165–200 consumptions a day, about 800 distinct people a year, 13–20 % women,
median age about 38, an emergency intervention about every three weeks (opioid overdose or
stimulant toxicity together, §2.1), mostly morphine sulfate (Skenan) injected, heroin about 1 %.
Strasbourg: about 50 visits a day, a quarter women, cocaine about 37 % and Skenan about 25 % of the
consumptions, then heroin and buprenorphine (§2.2), the routes drawn as its booths are. CAARUD:
about 20 a day. Nothing here is a real person: codes are drawn at random.

Rows are written with bulk inserts (millions of rows in minutes); they are synthetic, so they carry
no audit events. Booths are simulated in time order, so no booth ever holds two sessions at once,
and the database constraints hold for every generated row.

The clock only cuts: every opening is simulated whole, with every random number drawn up front,
and what comes after ``now`` is left out (an arrival not yet come, a session not yet started) or
left open (a visit or session in progress). So a run at one hour is the run at a later hour of the
same day cut at the earlier one, a seed and an instant always give the same rows, and no booth
holds two open sessions, whatever the hour (a queue at ``now`` once gave two, issue 13).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from halte.accounts.models import User
from halte.clients.codes import code_from_key
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, Incident, Session
from halte.core import timeutils
from halte.core.timeutils import UTC, paris_date
from halte.demo.activity import care, lodging, outreach, room, situations, social_files
from halte.demo.activity.run import Run
from halte.network.hours import Interval, intervals_on
from halte.network.models import Site
from halte.network.selectors import site_exceptions, site_spans
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit

ProductMix = dict[str, tuple[list[str], list[float]]]

# The products declared by route, as a room's users describe them. Paris: mostly morphine sulfate
# (Skenan) injected, heroin about 1 % (asud.org; francebleu.fr, 2017; docs/domain.md §2.1); the
# rest of the split has no published figure [assumption]. Paris has injection booths only since
# 2020; the other routes serve a site that has them and no mix of its own [assumption].
PARIS_PRODUCTS: ProductMix = {
    "injection": (
        [
            Product.MORPHINE,
            Product.HEROIN,
            Product.COCAINE,
            Product.BUPRENORPHINE,
            Product.FENTANYL,
        ],
        [0.64, 0.01, 0.25, 0.09, 0.01],
    ),
    "inhalation": ([Product.CRACK, Product.COCAINE, Product.HEROIN], [0.8, 0.15, 0.05]),
    "nasal": ([Product.COCAINE, Product.HEROIN, Product.OTHER], [0.7, 0.2, 0.1]),
}
# Strasbourg, year 1: cocaine 37 % and Skenan 25 % of the consumptions, then heroin and
# buprenorphine (francebleu.fr, Dec 2017; docs/domain.md §2.2). Only these totals are published;
# the split by route is ours [assumption], chosen so that with the routes drawn as the booths are
# (6 injection, 4 inhalation, 2 nasal of 12) the totals come out: cocaine 0.5 × 0.14 + 1/3 × 0.55
# + 1/6 × 0.70 = 0.37; morphine 0.5 × 0.50 = 0.25; heroin ≈ 0.24; buprenorphine 0.07.
STRASBOURG_PRODUCTS: ProductMix = {
    "injection": (
        [
            Product.MORPHINE,
            Product.HEROIN,
            Product.COCAINE,
            Product.BUPRENORPHINE,
            Product.FENTANYL,
        ],
        [0.50, 0.20, 0.14, 0.14, 0.02],
    ),
    "inhalation": ([Product.COCAINE, Product.HEROIN, Product.CRACK], [0.55, 0.30, 0.15]),
    "nasal": ([Product.COCAINE, Product.HEROIN, Product.OTHER], [0.70, 0.25, 0.05]),
}


@dataclass(frozen=True)
class Profile:
    """Daily volumes of one site: visits a day, share that consume, people a year, the share of
    women among its people, and the products declared in its room."""

    visits_per_day: float
    consumption_share: float
    people_per_year: int
    # CAARUD: about 20 % women (OFDT, ASA-CAARUD analyses; docs/domain.md §1.7).
    women_share: float = 0.2
    products: ProductMix = field(default_factory=lambda: PARIS_PRODUCTS)


PROFILES = {
    # 13 % women in 2017, 20 % in the Inserm cohort (docs/domain.md §2.1, §3): 15 %.
    "paris-hsa": Profile(200, 0.9, 800, women_share=0.15),
    # "Un quart de femmes", year 1 (francebleu.fr, Dec 2017).
    "strasbourg-hsa": Profile(50, 0.8, 750, women_share=0.25, products=STRASBOURG_PRODUCTS),
    "ego-caarud": Profile(45, 0.0, 600),
    "doudeauville-caarud": Profile(20, 0.0, 250),
    "step": Profile(30, 0.0, 400),
    "repos-chapelle": Profile(40, 0.0, 500),
    "sleep-in": Profile(25, 0.0, 200),
    "csapa-chapelle": Profile(15, 0.0, 250),
}
# The network's pool of people: as many women as the CAARUD average, so that each site can draw
# its own share from it (at most a quarter, Strasbourg).
WOMEN_SHARE = 0.22
# About one emergency intervention every three weeks in Paris, year 1 (~17 a year for ~55,000 to
# 60,000 sessions: francebleu.fr, francesoir.fr, 2017; docs/domain.md §2.1, §8): an emergency is
# an opioid overdose or a stimulant toxicity, by the session's product, so that the two together
# (the "overdoses" sum) land on the published order. Minor incidents (malaise, injury, violence)
# are assumed nine times as frequent [assumption].
EMERGENCY_SHARE = 0.1
INCIDENT_PER_SESSION = 17 / 60000 / EMERGENCY_SHARE
MINOR_INCIDENTS = (
    IncidentKind.MALAISE,
    IncidentKind.INJURY,
    IncidentKind.VIOLENCE,
)
# The products whose emergency is a stimulant toxicity; the others are opioid overdoses (an
# "other" product counted with the opioids [assumption]).
STIMULANTS = frozenset({Product.COCAINE, Product.CRACK})


CONSUMPTION = PURPOSE_BITS["consumption"]

# The other apps fill their part of the day once the visits exist.
EXTENSIONS: dict[str, Callable[[Run], dict[str, int]]] = {
    "care": care.generate,
    "lodging": lodging.generate,
    "outreach": outreach.generate,
    # After care: the pathways follow its positive rapid tests.
    "situations": situations.generate,
    # The room's refusals, waits and watches, on the sessions made above.
    "room": room.generate,
    # A few consented social files, with invented names.
    "social files": social_files.generate,
}


def _people(
    rng: np.random.Generator, site: Site, actor: User, count: int, today: dt.date
) -> list[Client]:
    """Draw synthetic people: random codes (no identity behind them), ages and sexes."""
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
    """A site's booths by route and when each is free again; a booth holding a session left open
    by an earlier run is not offered."""

    by_route: dict[str, list[Booth]]
    free_at: dict[int, dt.datetime]

    def take(
        self, route: str, at: dt.datetime, minutes: int, deadline: dt.datetime
    ) -> tuple[Booth, dt.datetime, dt.datetime] | None:
        """The booth of ``route`` free first, from ``at`` (or when it frees up) for ``minutes``;
        nothing is taken when no booth frees up before ``deadline`` (the person has left)."""
        booths = self.by_route.get(route) or []
        if not booths:
            return None
        booth = min(booths, key=lambda b: self.free_at.get(b.pk, at))
        start = max(at, self.free_at.get(booth.pk, at))
        if start >= deadline:
            return None
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
    *,
    rng: np.random.Generator,
    site: Site,
    actor: User,
    years: float,
    scale: float,
    today: dt.date | None = None,
) -> list[Client]:
    """The network's synthetic people; each site draws its public from this one pool, so some
    people are seen at several sites, as in life, and are counted once across the network.
    Birth years count from ``today`` (default: the clock's date in Paris)."""
    biggest = max(p.people_per_year for p in PROFILES.values())
    count = int(biggest * 1.5 * max(years, 1.0) * scale)
    people = _people(rng, site, actor, count, today or timeutils.local_today())
    Client.objects.bulk_create(people, batch_size=2000)
    return people


@dataclass(frozen=True)
class _Draw:
    """The random numbers of one arrival, each uniform on [0, 1). They are all drawn, used or not,
    so what the clock cuts off or who turns out to be inside already never shifts the draws that
    follow."""

    anonymous: float
    stay: float
    consumes: float
    care: float
    wait: float
    route: float
    minutes: float
    product: float
    incident: float
    emergency: float
    kind: float
    transfer: float
    naloxone: float
    resuscitation: float


DRAWS_PER_ARRIVAL = len(dataclasses.fields(_Draw))


def _pick(options: Sequence[str], weights: Sequence[float], u: float) -> str:
    """The option at ``u`` on the cumulated weights (``u`` uniform on [0, 1))."""
    index = int(np.searchsorted(np.cumsum(weights) / sum(weights), u, side="right"))
    return str(options[min(index, len(options) - 1)])


@dataclass
class _SiteRun:
    """One site's simulation, carried from one opening to the next: its booths, who is inside
    until when, and the instant that cuts it."""

    site: Site
    actor: User
    profile: Profile
    scale: float
    now: dt.datetime
    booths: _Booths
    inside_until: dict[int, dt.datetime]


def _site_state(
    site: Site, actor: User, profile: Profile, scale: float, now: dt.datetime
) -> _SiteRun:
    """The simulation's start; what an earlier run left open (a person still inside, a session
    still running) stays out of it, so a run with --force cannot open a second one."""
    held = set(
        Session.objects.filter(booth__site=site, ended_at__isnull=True).values_list(
            "booth_id", flat=True
        )
    )
    booths = {
        route: [
            b
            for b in Booth.objects.filter(site=site, route=route, is_active=True).order_by("number")
            if b.pk not in held
        ]
        for route in site.allowed_routes()
    }
    inside = Visit.objects.filter(site=site, left_at__isnull=True, client__isnull=False)
    forever = dt.datetime.max.replace(tzinfo=UTC)
    return _SiteRun(
        site=site,
        actor=actor,
        profile=profile,
        scale=scale,
        now=now,
        booths=_Booths(by_route=booths, free_at={}),
        inside_until=dict.fromkeys(inside.values_list("client_id", flat=True), forever),
    )


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
    now: dt.datetime | None = None,
) -> Generated:
    """Fill one site with visits (and sessions and incidents where it has booths) over the days,
    as they stand at ``now`` (default: the clock): each opening is simulated whole, then cut."""
    profile = PROFILES.get(site.slug)
    result = Generated()
    if profile is None:
        return result
    years = max((end - start).days / 365, 0.25)
    # The active file grows more slowly than time: regulars return, newcomers add up.
    size = min(len(pool), int(profile.people_per_year * max(years, 1.0) ** 0.7 * scale))
    people = _site_people(rng, pool, size, profile.women_share)
    # Heavy users come almost daily, most people now and then: a Zipf-like weight per person.
    weights = 1 / np.arange(1, len(people) + 1) ** 0.8
    weights /= weights.sum()
    state = _site_state(site, actor, profile, scale, (now or timeutils.now()).astimezone(UTC))
    spans, exceptions = site_spans(site), {e.date: e for e in site_exceptions(site)}
    for day in _days(start, end):
        tick()
        for interval in intervals_on(day, spans, exceptions):
            _fill_interval(state, interval, people, weights, rng, result)
    return result


def _fill_interval(
    state: _SiteRun,
    interval: Interval,
    people: list[Client],
    weights: np.ndarray,
    rng: np.random.Generator,
    result: Generated,
) -> None:
    """One opening: the arrivals and all their draws for the whole opening, then the rows of
    those who have arrived by ``now``."""
    span_minutes = (interval.end - interval.start).total_seconds() / 60
    if span_minutes <= 30 or not people:
        return
    profile = state.profile
    count = int(rng.poisson(profile.visits_per_day * state.scale * min(span_minutes / 420, 2.0)))
    offsets = np.sort(rng.uniform(0, span_minutes - 20, count))
    chosen = rng.choice(len(people), size=count, p=weights)
    draws = rng.random((count, DRAWS_PER_ARRIVAL))
    visits: list[Visit] = []
    sessions: list[Session] = []
    incidents: list[Incident] = []
    for offset, who, row in zip(offsets, chosen, draws, strict=True):
        arrived = interval.start + dt.timedelta(minutes=float(offset))
        if arrived > state.now:
            break  # the offsets are sorted: nobody else has come yet
        draw = _Draw(*(float(u) for u in row))
        visit, left = _visit(state, arrived, _not_inside(state, people, int(who), arrived), draw)
        visits.append(visit)
        session = _session(state, visit, left, draw) if visit.purposes & CONSUMPTION else None
        if session is not None:
            sessions.append(session)
            if draw.incident < INCIDENT_PER_SESSION:
                incident = _incident(state, session, draw)
                if incident.occurred_at <= state.now:
                    incidents.append(incident)
    Visit.objects.bulk_create(visits, batch_size=2000)
    Session.objects.bulk_create(sessions, batch_size=2000)
    Incident.objects.bulk_create(incidents, batch_size=500)
    result.visits += len(visits)
    result.sessions += len(sessions)
    result.incidents += len(incidents)


def _site_people(
    rng: np.random.Generator, pool: list[Client], size: int, women_share: float
) -> list[Client]:
    """``size`` people of the pool, ``women_share`` of them women (as far as the pool has them),
    in a random order: the order gives each their weight, so heavy users are of either sex."""
    women = [i for i, person in enumerate(pool) if person.sex_gender == "woman"]
    others = [i for i, person in enumerate(pool) if person.sex_gender != "woman"]
    wanted = min(len(women), round(size * women_share))
    chosen = list(rng.choice(len(women), size=wanted, replace=False)) if wanted else []
    rest = min(len(others), size - wanted)
    picked = [women[int(i)] for i in chosen] + [
        others[int(i)] for i in rng.choice(len(others), size=rest, replace=False)
    ]
    return [pool[int(i)] for i in rng.permutation(picked)]


def _not_inside(
    state: _SiteRun, people: list[Client], who: int, arrived: dt.datetime
) -> Client | None:
    """The person drawn, or, when they are still inside from an earlier visit, the next one down
    the ranking who is not: a heavy user does not arrive again while still there, the arrival is
    another regular's. So anonymous contacts stay at their own share (the staff's, 8 %) instead
    of absorbing every repeat draw of the heaviest users, and the room sees the published daily
    volume. None when everyone is inside."""
    for step in range(len(people)):
        person = people[(who + step) % len(people)]
        if state.inside_until.get(person.pk, arrived) <= arrived:
            return person
    return None


def _visit(
    state: _SiteRun, arrived: dt.datetime, drawn: Client | None, draw: _Draw
) -> tuple[Visit, dt.datetime]:
    """The visit of one arrival and the instant the person leaves; still open if that is after
    ``now``. The person drawn is never one still inside (``_not_inside``): the same person is
    never checked in twice at once, whatever the hour cuts."""
    client = None if draw.anonymous < 0.08 else drawn
    left = arrived + dt.timedelta(minutes=15 + 60 * draw.stay)
    if client is not None:
        state.inside_until[client.pk] = left
    consumes = (
        client is not None
        and bool(state.booths.by_route)
        and draw.consumes < state.profile.consumption_share
    )
    purposes = PURPOSE_BITS["material"] | (CONSUMPTION if consumes else 0)
    if draw.care < 0.15:
        purposes |= PURPOSE_BITS["care"]
    still_inside = left > state.now
    visit = Visit(
        site=state.site,
        client=client,
        arrived_at=arrived,
        left_at=None if still_inside else left,
        purposes=purposes,
        opened_by=state.actor,
        closed_by=None if still_inside else state.actor,
    )
    return visit, left


def _session(state: _SiteRun, visit: Visit, left: dt.datetime, draw: _Draw) -> Session | None:
    """The session of a visit that came to consume, on the booth of its route free first; none
    if the person left before a booth freed up or if it has not started by ``now``. The booth is
    taken whatever ``now`` is: the sessions that follow queue as they would have."""
    # The routes are drawn as the booths are: 6 injection, 4 inhalation and 2 nasal booths give
    # 1/2, 1/3 and 1/6 of the sessions [assumption: no published split by route].
    routes = list(state.booths.by_route)
    weights = [len(state.booths.by_route[r]) for r in routes]
    if not any(weights):
        return None
    route = _pick(routes, weights, draw.route)
    at = visit.arrived_at + dt.timedelta(minutes=2 + 8 * draw.wait)
    taken = state.booths.take(route, at, int(10 + 20 * draw.minutes), deadline=left)
    if taken is None:
        return None
    booth, started, ended = taken
    if started > state.now:
        return None
    ended = min(ended, left)
    products, probabilities = state.profile.products[route]
    return Session(
        visit=visit,
        booth=booth,
        route=route,
        product=_pick(products, probabilities, draw.product),
        started_at=started,
        ended_at=None if ended > state.now else ended,
        started_by=state.actor,
    )


def _incident(state: _SiteRun, session: Session, draw: _Draw) -> Incident:
    emergency = draw.emergency < EMERGENCY_SHARE
    stimulant = session.product in STIMULANTS
    if emergency:
        kind = IncidentKind.STIMULANT_TOXICITY if stimulant else IncidentKind.OPIOID_OVERDOSE
    else:
        kind = MINOR_INCIDENTS[min(int(draw.kind * len(MINOR_INCIDENTS)), len(MINOR_INCIDENTS) - 1)]
    transferred = emergency and draw.transfer < 0.4
    return Incident(
        site=state.site,
        visit=session.visit,
        session=session,
        client=session.visit.client,
        kind=kind,
        occurred_at=session.started_at + dt.timedelta(minutes=5),
        oxygen=emergency,
        # Naloxone reverses opioids only.
        naloxone_doses=1 + int(2 * draw.naloxone) if emergency and not stimulant else 0,
        resuscitation=emergency and draw.resuscitation < 0.3,
        emergency_call=emergency,
        hospital_transfer=transferred,
        outcome=Outcome.TRANSFERRED if transferred else Outcome.RECOVERED_ON_SITE,
        recorded_by=state.actor,
    )


def generate_network(
    *,
    sites: list[Site],
    actor: User,
    days: int,
    seed: int,
    scale: float,
    now: dt.datetime,
    end: dt.date | None = None,
    tick: Callable[[], object] = lambda: None,
) -> tuple[Generated, dict[str, dict[str, int]]]:
    """The whole demo activity of ``sites`` over ``days`` ending on ``end`` (default: the date
    of ``now`` in Paris), as it stands at ``now``, in one transaction: the people, then each
    site's visits, sessions and incidents, then what the other apps hang on them
    (``EXTENSIONS``). The same seed and the same ``now`` give the same rows, whatever the hour
    of ``now``."""
    now = now.astimezone(UTC)
    today = paris_date(now)
    end = end or today
    start = end - dt.timedelta(days=days - 1)
    rng = np.random.default_rng(seed)
    total = Generated()
    with transaction.atomic():
        pool = make_pool(
            rng=rng, site=sites[0], actor=actor, years=days / 365, scale=scale, today=today
        )
        total.clients = len(pool)
        for site in sites:
            done = generate_site(
                site=site,
                actor=actor,
                pool=pool,
                start=start,
                end=end,
                scale=scale,
                rng=rng,
                tick=tick,
                now=now,
            )
            total.visits += done.visits
            total.sessions += done.sessions
            total.incidents += done.incidents
        run = Run(
            rng=rng, sites=sites, pool=pool, start=start, end=end, scale=scale, actor=actor, now=now
        )
        extra = {name: generate(run) for name, generate in EXTENSIONS.items()}
    return total, extra
