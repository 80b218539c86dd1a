"""The neighbourhood demo: finds, rounds, residents' reports and committees around the Paris HSA
(Lariboisière, 10e) and in the north-east (Jardins d'Éole, Stalingrad, Porte de la Chapelle).

Everything here is synthetic (rows flagged ``synthetic``), drawn with a fixed seed. Where a figure
was published it shapes the draw; the rest is invented to be plausible. docs/neighbourhood.md says
which is which:

- Around the Paris HSA, the syringes found fell from about 150 a day before the opening to fewer
  than 10 a day (IGA/IGAS 2024, via bdoc.ofdt.fr): the last twelve months are drawn at a mean of 7
  items a day, picked up on three rounds a week [shaped on the published figure].
- Rue de Maubeuge, 1,078 syringes before the opening against 385 over a comparable period after
  (2016–2017, saphirnews.com, March 2017): six months before (April–September 2016) and the same
  months of 2017 are drawn to those totals [shaped on the published figure; the months are an
  assumption].
- 200 mediation rounds and 7 committee meetings in the first year (francesoir.fr, October 2017):
  the demo holds a mediation round a week and a committee every seven weeks [shaped].
- The north-east clusters, the residents' reports (kinds, channels, delays), committee attendance
  and decisions are invented [hypothèse].
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from halte.core.timeutils import paris_instant
from halte.neighbourhood import places
from halte.neighbourhood.enums import (
    PickupItem,
    PlaceKind,
    ReportChannel,
    ReportKind,
    ReportOutcome,
    ReportStatus,
    RoundKind,
)
from halte.neighbourhood.models import (
    Committee,
    CommitteeDecision,
    MediationRound,
    NeighbourhoodReport,
    Pickup,
)
from halte.network.models import Site

HSA = "paris-hsa"
TEAM = "maraude-nord-est"
SEED = 2016
DAYS = 365
# Published: "moins de 10 par jour" after the opening (IGA/IGAS 2024).
HSA_ITEMS_PER_DAY = 7.0
# Published: rue de Maubeuge, 1 078 before and 385 after, over comparable periods (2016–2017).
MAUBEUGE_BEFORE = 1078
MAUBEUGE_AFTER = 385
MAUBEUGE_BEFORE_MONTHS = (dt.date(2016, 4, 1), dt.date(2016, 9, 30))
MAUBEUGE_AFTER_MONTHS = (dt.date(2017, 4, 1), dt.date(2017, 9, 30))


@dataclass(frozen=True)
class Street:
    """A street of a cluster, as the BAN spells it, and a point on it."""

    label: str
    lon: float
    lat: float


LARIBOISIERE = (
    Street("Rue Ambroise Paré, 75010 Paris", 2.352275, 48.881877),
    Street("Rue de Maubeuge, 75010 Paris", 2.351496, 48.880179),
    Street("Boulevard de la Chapelle, 75010 Paris", 2.356200, 48.883900),
    Street("Rue Saint-Vincent-de-Paul, 75010 Paris", 2.352800, 48.879900),
)
NORTH_EAST = (
    Street("Rue d'Aubervilliers, 75018 Paris", 2.368685, 48.891215),
    Street("Rue Riquet, 75018 Paris", 2.363409, 48.889980),
    Street("Rue Marx Dormoy, 75018 Paris", 2.359489, 48.887403),
    Street("Place de la Bataille de Stalingrad, 75019 Paris", 2.369479, 48.883317),
    Street("Boulevard Ney, 75018 Paris", 2.349492, 48.898451),
    Street("Avenue de la Porte de la Chapelle, 75018 Paris", 2.358390, 48.899184),
)
ITEM_WEIGHTS: dict[str, float] = {
    PickupItem.SYRINGE: 0.6,
    PickupItem.CRACK_PIPE: 0.2,
    PickupItem.KIT: 0.15,
    PickupItem.OTHER: 0.05,
}
PLACE_WEIGHTS: dict[str, float] = {
    PlaceKind.STREET: 0.55,
    PlaceKind.PARK: 0.2,
    PlaceKind.STAIRWELL: 0.1,
    PlaceKind.CAR_PARK: 0.1,
    PlaceKind.OTHER: 0.05,
}
KIND_WEIGHTS: dict[str, float] = {
    ReportKind.DISCARDED_MATERIAL: 0.35,
    ReportKind.PUBLIC_CONSUMPTION: 0.25,
    ReportKind.GATHERING: 0.15,
    ReportKind.NOISE: 0.15,
    ReportKind.AGGRESSION: 0.05,
    ReportKind.OTHER: 0.05,
}
CHANNEL_WEIGHTS: dict[str, float] = {
    ReportChannel.PUBLIC_FORM: 0.5,
    ReportChannel.PHONE: 0.3,
    ReportChannel.MAIL: 0.1,
    ReportChannel.MEETING: 0.1,
}
OUTCOME_BY_KIND = {
    ReportKind.DISCARDED_MATERIAL: ReportOutcome.PICKUP_DONE,
    ReportKind.PUBLIC_CONSUMPTION: ReportOutcome.MEDIATION_DONE,
    ReportKind.GATHERING: ReportOutcome.MEDIATION_DONE,
    ReportKind.NOISE: ReportOutcome.INFORMATION,
    ReportKind.AGGRESSION: ReportOutcome.REFERRED_POLICE,
    ReportKind.OTHER: ReportOutcome.OTHER,
}
DECISIONS = (
    ("Ramassage quotidien rue Ambroise-Paré et rue de Maubeuge", "Équipe de médiation de la HSA"),
    ("Éclairage renforcé du passage Saint-Vincent-de-Paul", "Mairie du 10e"),
    ("Boîte de récupération de seringues près du square", "Ville de Paris, propreté"),
    ("Point d'information des riverains à la sortie de l'école", "Équipe de médiation de la HSA"),
    ("Passage de nuit les soirs de forte affluence", "Commissariat du 10e"),
)


def _pick(rng: np.random.Generator, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    probs = np.array([weights[k] for k in keys])
    return str(keys[int(rng.choice(len(keys), p=probs / probs.sum()))])


def _near(rng: np.random.Generator, street: Street, spread_m: float = 80) -> tuple[float, float]:
    dlat = rng.normal(0, spread_m) / 111_320
    dlon = rng.normal(0, spread_m) / (111_320 * math.cos(math.radians(street.lat)))
    return round(street.lon + dlon, 6), round(street.lat + dlat, 6)


def _moment(rng: np.random.Generator, day: dt.date, first_hour: int, last_hour: int) -> dt.datetime:
    hour = int(rng.integers(first_hour, last_hour))
    return paris_instant(day, dt.time(hour, int(rng.integers(0, 60))))


def _finds(
    rng: np.random.Generator,
    *,
    team: Site,
    round_: MediationRound | None,
    day: dt.date,
    streets: tuple[Street, ...],
    items: int,
) -> list[Pickup]:
    """``items`` items found on a round, in a few finds along the cluster's streets."""
    rows: list[Pickup] = []
    while items > 0:
        count = min(items, 1 + int(rng.poisson(2)))
        items -= count
        street = streets[int(rng.integers(0, len(streets)))]
        lon, lat = _near(rng, street)
        where = places.locate(lon, lat)
        rows.append(
            Pickup(
                team=team,
                round=round_,
                found_at=_moment(rng, day, 8, 11),
                item=_pick(rng, ITEM_WEIGHTS),
                place_kind=_pick(rng, PLACE_WEIGHTS),
                count=count,
                lon=lon,
                lat=lat,
                address_label=street.label,
                iris_code=where.iris_code,
                area_code=where.area_code,
                synthetic=True,
            )
        )
    return rows


def pickup_rounds(
    rng: np.random.Generator,
    *,
    team: Site,
    streets: tuple[Street, ...],
    today: dt.date,
    items_per_day: float,
    weekdays: tuple[int, ...] = (0, 2, 4),
) -> tuple[int, int]:
    """A year of pick-up rounds of a team (three mornings a week), each finding what the days
    since the last round left: the rounds and the finds created."""
    n_rounds = n_finds = 0
    gap = 7 / len(weekdays)
    for offset in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        started = paris_instant(day, dt.time(8, 0))
        round_ = MediationRound.objects.create(
            site=team,
            kind=RoundKind.PICKUP,
            started_at=started,
            ended_at=started + dt.timedelta(hours=3),
            area_label=streets[0].label.split(",")[0],
            synthetic=True,
        )
        items = int(rng.poisson(items_per_day * gap))
        finds = _finds(rng, team=team, round_=round_, day=day, streets=streets, items=items)
        Pickup.objects.bulk_create(finds)
        n_rounds += 1
        n_finds += len(finds)
    return n_rounds, n_finds


def maubeuge_before_after(rng: np.random.Generator, *, team: Site) -> int:
    """The published totals of rue de Maubeuge before and after the opening, spread over days."""
    street = (LARIBOISIERE[1],)
    rows: list[Pickup] = []
    for (first, last), total in (
        (MAUBEUGE_BEFORE_MONTHS, MAUBEUGE_BEFORE),
        (MAUBEUGE_AFTER_MONTHS, MAUBEUGE_AFTER),
    ):
        days = (last - first).days + 1
        per_day = np.bincount(rng.integers(0, days, size=total), minlength=days)
        for i, items in enumerate(per_day):
            if items:
                day = first + dt.timedelta(days=i)
                rows += _finds(
                    rng, team=team, round_=None, day=day, streets=street, items=int(items)
                )
    Pickup.objects.bulk_create(rows)
    return len(rows)


def mediation_rounds(rng: np.random.Generator, *, site: Site, today: dt.date) -> int:
    """A mediation round a week around the site, with what was seen."""
    n = 0
    for offset in range(DAYS, 0, -7):
        day = today - dt.timedelta(days=offset)
        started = _moment(rng, day, 17, 20)
        MediationRound.objects.create(
            site=site,
            kind=RoundKind.MEDIATION,
            started_at=started,
            ended_at=started + dt.timedelta(hours=2),
            area_label="Lariboisière, rue Ambroise-Paré, rue de Maubeuge",
            public_consumption_seen=int(rng.poisson(2)),
            gatherings_seen=int(rng.poisson(1)),
            people_met=int(rng.poisson(8)),
            residents_met=int(rng.poisson(3)),
            synthetic=True,
        )
        n += 1
    return n


def reports(
    rng: np.random.Generator, *, sites: list[tuple[Site, tuple[Street, ...]]], today: dt.date
) -> int:
    """Residents' reports, about one every three days per site: older ones answered and closed,
    the last fortnight's still open. No contact is invented."""
    rows: list[NeighbourhoodReport] = []
    for site, streets in sites:
        for offset in range(DAYS, 0, -1):
            if rng.random() > 1 / 3:
                continue
            day = today - dt.timedelta(days=offset)
            kind = _pick(rng, KIND_WEIGHTS)
            street = streets[int(rng.integers(0, len(streets)))]
            lon, lat = _near(rng, street, 120)
            where = places.locate(lon, lat)
            received = _moment(rng, day, 7, 22)
            report = NeighbourhoodReport(
                kind=kind,
                seen_at=received - dt.timedelta(minutes=int(rng.integers(5, 600))),
                lon=lon,
                lat=lat,
                address_label=street.label,
                iris_code=where.iris_code,
                area_code=where.area_code,
                channel=_pick(rng, CHANNEL_WEIGHTS),
                received_at=received,
                assigned_site=site,
                triaged_at=received + dt.timedelta(hours=float(rng.uniform(0.5, 12))),
                status=ReportStatus.TRIAGED,
                synthetic=True,
            )
            if offset > 14:
                answered = received + dt.timedelta(hours=float(rng.gamma(2.0, 12.0)) + 1)
                report.answered_at = answered
                report.closed_at = answered + dt.timedelta(hours=float(rng.uniform(1, 72)))
                report.status = ReportStatus.CLOSED
                report.outcome = OUTCOME_BY_KIND[ReportKind(kind)]
            rows.append(report)
    NeighbourhoodReport.objects.bulk_create(rows)
    return len(rows)


def committees(rng: np.random.Generator, *, site: Site, today: dt.date) -> int:
    """A committee every seven weeks, with decisions: those of older meetings mostly done, a few
    late."""
    n = 0
    for k, offset in enumerate(range(DAYS - 10, 0, -49)):
        held = today - dt.timedelta(days=offset)
        committee = Committee.objects.create(
            site=site,
            held_on=held,
            residents=int(rng.integers(6, 25)),
            school=int(rng.integers(0, 3)),
            police=int(rng.integers(1, 3)),
            city=int(rng.integers(1, 4)),
            traders=int(rng.integers(0, 6)),
            other=int(rng.integers(0, 3)),
            topics="Matériel abandonné, horaires, sortie d'école",
            synthetic=True,
        )
        text, owner = DECISIONS[k % len(DECISIONS)]
        due = held + dt.timedelta(days=30)
        done = due - dt.timedelta(days=int(rng.integers(0, 20))) if offset > 90 and k % 3 else None
        CommitteeDecision.objects.create(
            committee=committee, text=text, owner_label=owner, due_on=due, done_on=done
        )
        n += 1
    return n
