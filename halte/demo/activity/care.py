"""Synthetic care activity for the demo network, attached to visits already generated, shaped on
the published figures of docs/domain.md (§8 and the indicator list):

- Paris HSA year 1: 827 health consultations (doctors, nurses), 123 infectious-disease screenings,
  324 users seen in social interviews; 2023: 145 users oriented to adapted treatment.
- Strasbourg HSA year 1: about 88,000 syringes delivered.

Care acts go on the visits whose purposes include care (about 15 % of visits); the mix of acts is
set so that consultations and screenings land near the Paris yearly figures for ~73,000 visits.
Figures marked [assumption] have no published source. Rows are bulk-inserted (synthetic, so no
audit events); every draw comes from ``rng``, public ids included, so a seed gives the same rows.
Deliveries are generated week by week ahead of use, so no stock level ever goes below zero.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Exists, F, OuterRef

from halte.accounts.models import User
from halte.care.catalogue import active_by_code
from halte.care.enums import CareKind, Channel, MovementKind, ReferralStatus
from halte.care.models import (
    CareAct,
    CatalogueItem,
    Distribution,
    DistributionLine,
    MaterialLot,
    Referral,
    ReferralStep,
    SocialAct,
    StockLevel,
    StockMovement,
)
from halte.core import timeutils
from halte.core.timeutils import PARIS, paris_date
from halte.demo.activity.run import Run
from halte.network.models import Site
from halte.visits.enums import PURPOSE_BITS
from halte.visits.models import Visit

# Mix of care acts on care visits: ~11,000 care visits a year in Paris (73,000 visits × 15 %);
# 827 consultations → 7.5 % (of which psychiatry 1 % [assumption]); 123 screenings → 1.1 %.
CARE_MIX: dict[str, float] = {
    CareKind.NURSING: 0.570,
    CareKind.WOUND_CARE: 0.300,
    CareKind.MEDICAL_CONSULTATION: 0.065,
    CareKind.PSYCHIATRIC_CONSULTATION: 0.010,
    CareKind.TROD_HCV: 0.005,
    CareKind.TROD_HIV: 0.004,
    CareKind.TROD_HBV: 0.002,
    CareKind.TROD_SYPHILIS: 0.002,
    CareKind.VACCINATION: 0.010,
    CareKind.TSO_STARTED: 0.006,
    CareKind.TSO_REFERRED: 0.008,
    CareKind.NALOXONE_TRAINING: 0.020,
}
# Positive rates of rapid tests [assumption: HCV prevalence among people who inject is high].
POSITIVE_RATE: dict[str, float] = {
    CareKind.TROD_HCV: 0.10,
    CareKind.TROD_HIV: 0.02,
    CareKind.TROD_HBV: 0.03,
    # Syphilis is rising among people who use crack [assumption: a few % positive].
    CareKind.TROD_SYPHILIS: 0.04,
}
REFUSED_RATE = 0.10
# 324 people in social interviews in year 1, a few interviews each → ~1.5 % of visits
# [assumption on the number of interviews per person].
SOCIAL_SHARE = 0.015
SOCIAL_MIX = {
    "interview": 0.55,
    "rights_puma": 0.08,
    "rights_css": 0.07,
    "rights_ame": 0.06,
    "domiciliation": 0.08,
    "id_papers": 0.08,
    "housing_siao": 0.08,
}
# 145 people oriented to treatment (Paris 2023) → ~200 treatment referrals a year, as many to
# other destinations [assumption] → ~400 a year for ~73,000 visits.
REFERRAL_SHARE = 400 / 73_000
DESTINATION_MIX = {
    "csapa": 0.20,
    "hospital_addiction": 0.10,
    "tso_prescriber": 0.12,
    "detox": 0.05,
    "residential_care": 0.03,
    "psychiatry": 0.10,
    "emergency": 0.12,
    "accommodation": 0.20,
    "network_site": 0.08,
}
# Completed 50 %, no-show 20 %, refused 10 %, still open 20 % [assumption].
OUTCOME_MIX = {"completed": 0.5, "no_show": 0.2, "refused": 0.1, "accepted": 0.1, "proposed": 0.1}
DISTRIBUTION_SHARE = 0.75
# Strasbourg: 88,000 syringes a year for ~18,000 visits, 75 % with material, 70 % of it for
# injection → about 9 syringes per injection basket.
SYRINGES_MEAN = 9
DEFAULT_ROUTES = {"injection": 0.35, "inhalation": 0.60, "nasal": 0.05}  # 18th: crack [assumption]
BULK_SHARE_PER_DAY = 0.2
# Bulk material goes out through the site's other channels too: the vending machine, partner
# pharmacies, parcels by post, peers [assumption: shares of a Paris CAARUD's channels].
BULK_CHANNELS: dict[str, float] = {
    Channel.DESK: 0.45,
    Channel.VENDING_MACHINE: 0.25,
    Channel.PHARMACY: 0.15,
    Channel.POST: 0.05,
    Channel.PEER: 0.10,
}
# Items of the official list taken now and then beside the basket [assumption].
EXTRAS = {
    "injection": (
        ("sterifilt", 0.25),
        ("ascorbic_acid", 0.15),
        ("needle_25g", 0.1),
        ("kit_plus", 0.2),
    ),
    "inhalation": (("foil", 0.1),),
    "nasal": (),
}
SELF_TEST_SHARE = 0.02
NALOXONE_LOT = "DEMO-NX-24"


def _uuid(rng: np.random.Generator, salt: object) -> uuid.UUID:
    """A public id drawn from ``rng`` and salted with what the row hangs on (a visit's public id),
    so the same seed on the same visits gives the same ids, and other visits never collide."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"halte-care:{salt}:{rng.bytes(16).hex()}")


def _pick(rng: np.random.Generator, mix: dict[str, float]) -> str:
    keys = list(mix)
    weights = np.array([mix[k] for k in keys], dtype=float)
    return str(keys[int(rng.choice(len(keys), p=weights / weights.sum()))])


def _route_mix(site: Site) -> dict[str, float]:
    booths: dict[str, float] = {r: float(n) for r, n in site.booths_by_route().items() if n}
    return booths or DEFAULT_ROUTES


def _basket(rng: np.random.Generator, route: str) -> dict[str, int]:
    """What one person takes in one go, by route; some bring used material back."""
    lines: dict[str, int] = {}
    if route == "injection":
        n = 1 + int(rng.poisson(SYRINGES_MEAN - 1))
        lines.update(syringe_1ml=n, cup=max(1, n // 2), filter=max(1, n // 2), water=n, swab=n)
        if rng.random() < 0.5:
            lines["injection_kit"] = int(rng.integers(1, 3))
        if rng.random() < 0.05:
            lines["tourniquet"] = 1
    elif route == "inhalation":
        lines["crack_kit"] = int(rng.integers(1, 4))
        for item, share in (("mouthpiece", 0.5), ("grille", 0.5), ("lip_balm", 0.2), ("pipe", 0.2)):
            if rng.random() < share:
                lines[item] = int(rng.integers(1, 4))
    else:
        lines["nasal_kit"] = int(rng.integers(1, 3))
    for item, share in EXTRAS[route]:
        if rng.random() < share:
            lines[item] = int(rng.integers(1, 3))
    if rng.random() < SELF_TEST_SHARE:
        lines["hiv_self_test"] = 1
    if rng.random() < 0.15:
        lines["condom"] = int(rng.integers(1, 6))
    if route == "injection" and rng.random() < 0.3:
        lines["used_syringe"] = 1 + int(rng.poisson(9))
    return lines


@dataclass
class _Batch:
    """Rows of one site, built in memory, written in a few bulk inserts."""

    care: list[CareAct] = field(default_factory=list)
    social: list[SocialAct] = field(default_factory=list)
    referrals: list[tuple[Referral, list[ReferralStep]]] = field(default_factory=list)
    distributions: list[tuple[Distribution, dict[str, int]]] = field(default_factory=list)
    # Material used per (week start, item), to plan the deliveries ahead of it.
    used: dict[tuple[dt.date, str], int] = field(default_factory=lambda: defaultdict(int))


@dataclass(frozen=True)
class _Ctx:
    site: Site
    actor: User
    rng: np.random.Generator
    others: list[Site]
    start: dt.date
    current: dt.datetime
    catalogue: dict[str, CatalogueItem]


def _week(ctx: _Ctx, at: dt.datetime) -> dt.date:
    day = paris_date(at)
    return max(ctx.start, day - dt.timedelta(days=day.weekday()))


def _within(visit: Visit, ctx: _Ctx, minutes: float) -> dt.datetime:
    moment = visit.arrived_at + dt.timedelta(minutes=minutes)
    return min(moment, visit.left_at or ctx.current, ctx.current)


def _give(
    ctx: _Ctx,
    batch: _Batch,
    visit: Visit | None,
    at: dt.datetime,
    lines: dict[str, int],
    channel: str = Channel.DESK,
) -> None:
    row = Distribution(
        public_id=_uuid(ctx.rng, visit.public_id if visit else f"{ctx.site.public_id}:{at}"),
        site=ctx.site,
        visit=visit,
        given_at=at,
        channel=channel,
        recorded_by=ctx.actor,
    )
    batch.distributions.append((row, lines))
    for item, quantity in lines.items():
        if not ctx.catalogue[item].collected:
            batch.used[(_week(ctx, at), item)] += quantity


def _care_act(ctx: _Ctx, batch: _Batch, visit: Visit) -> None:
    rng = ctx.rng
    kind = _pick(rng, CARE_MIX)
    act = CareAct(
        public_id=_uuid(rng, visit.public_id),
        site=ctx.site,
        visit=visit,
        client_id=visit.client_id,
        kind=kind,
        performed_at=_within(visit, ctx, float(rng.uniform(2, 30))),
        recorded_by=ctx.actor,
    )
    if kind in POSITIVE_RATE:
        draw = rng.random()
        act.result = (
            "refused"
            if draw < REFUSED_RATE
            else ("positive" if draw < REFUSED_RATE + POSITIVE_RATE[kind] else "negative")
        )
    elif kind == CareKind.PSYCHIATRIC_CONSULTATION:
        act.psychiatric_history = bool(rng.random() < 0.75) if rng.random() < 0.8 else None
        act.psychiatric_outcome = _pick(
            rng, {"follow_up": 0.5, "treatment_adjusted": 0.2, "referred": 0.2, "crisis": 0.1}
        )
    elif kind == CareKind.NALOXONE_TRAINING and rng.random() < 0.8:
        act.naloxone_kit_given = True
        _give(ctx, batch, visit, act.performed_at, {"naloxone_kit": 1})
    batch.care.append(act)


def _social_act(ctx: _Ctx, batch: _Batch, visit: Visit) -> None:
    rng = ctx.rng
    kind = _pick(rng, SOCIAL_MIX)
    outcome = (
        "done"
        if kind == "interview"
        else _pick(rng, {"requested": 0.5, "obtained": 0.35, "declined": 0.15})
    )
    batch.social.append(
        SocialAct(
            public_id=_uuid(rng, visit.public_id),
            site=ctx.site,
            visit=visit,
            client_id=visit.client_id,
            kind=kind,
            outcome=outcome,
            performed_at=_within(visit, ctx, float(rng.uniform(5, 40))),
            recorded_by=ctx.actor,
        )
    )


def _referral(ctx: _Ctx, batch: _Batch, visit: Visit) -> None:
    rng = ctx.rng
    kind = _pick(rng, DESTINATION_MIX)
    target = None
    if kind == "network_site":
        if not ctx.others:
            kind = "accommodation"
        else:
            target = ctx.others[int(rng.integers(len(ctx.others)))]
    proposed = _within(visit, ctx, float(rng.uniform(5, 40)))
    referral = Referral(
        public_id=_uuid(rng, visit.public_id),
        site=ctx.site,
        visit=visit,
        client_id=visit.client_id,
        destination_kind=kind,
        destination_site=target,
        status=ReferralStatus.PROPOSED,
        proposed_at=proposed,
        recorded_by=ctx.actor,
    )
    steps = [ReferralStep(status="proposed", stage=0, at=proposed, by=ctx.actor)]
    _follow_up(ctx, referral, steps)
    batch.referrals.append((referral, steps))


def _follow_up(ctx: _Ctx, referral: Referral, steps: list[ReferralStep]) -> None:
    """Move a generated referral along its loop; steps that would fall in the future stay open."""
    rng = ctx.rng
    outcome = _pick(rng, OUTCOME_MIX)
    if outcome == "proposed":
        return
    # Both delays are drawn before the clock is looked at, so the draws that follow do not
    # depend on the hour of the run.
    accepted = referral.proposed_at + dt.timedelta(days=float(rng.uniform(0.2, 3)))
    closed = accepted + dt.timedelta(days=float(rng.uniform(0.5, 10)))
    if accepted > ctx.current:
        return
    if outcome != "refused":
        referral.status, referral.accepted_at = ReferralStatus.ACCEPTED, accepted
        steps.append(ReferralStep(status="accepted", stage=1, at=accepted, by=ctx.actor))
    if outcome == "accepted" or closed > ctx.current:
        return
    referral.status, referral.closed_at = outcome, closed
    steps.append(ReferralStep(status=outcome, stage=2, at=closed, by=ctx.actor))


def _site_visits(site: Site, start: dt.date, end: dt.date) -> list[Visit]:
    """The site's visits over the days that carry no care record yet (a second run adds none)."""
    return list(
        Visit.objects.filter(site=site, arrived_at__date__range=(start, end))
        .exclude(Exists(CareAct.objects.filter(visit=OuterRef("pk"))))
        .exclude(Exists(Distribution.objects.filter(visit=OuterRef("pk"))))
        .exclude(Exists(SocialAct.objects.filter(visit=OuterRef("pk"))))
        .exclude(Exists(Referral.objects.filter(visit=OuterRef("pk"))))
        .order_by("arrived_at", "pk")
    )


def _fill_site(ctx: _Ctx, visits: list[Visit]) -> _Batch:
    rng, batch = ctx.rng, _Batch()
    routes = _route_mix(ctx.site)
    care_bit = PURPOSE_BITS["care"]
    days: dict[dt.date, list[Visit]] = defaultdict(list)
    for visit in visits:
        days[paris_date(visit.arrived_at)].append(visit)
        if visit.purposes & care_bit:
            _care_act(ctx, batch, visit)
        if visit.client_id is not None and rng.random() < SOCIAL_SHARE:
            _social_act(ctx, batch, visit)
        if visit.client_id is not None and rng.random() < REFERRAL_SHARE:
            _referral(ctx, batch, visit)
        if rng.random() < DISTRIBUTION_SHARE:
            at = _within(visit, ctx, 1)
            _give(ctx, batch, visit, at, _basket(rng, _pick(rng, routes)))
    for day_visits in days.values():
        if rng.random() < BULK_SHARE_PER_DAY:
            moment = day_visits[int(rng.integers(len(day_visits)))].arrived_at
            bulk = {k: v * 5 for k, v in _basket(rng, _pick(rng, routes)).items()}
            channel = _pick(rng, BULK_CHANNELS)
            _give(ctx, batch, None, min(moment, ctx.current), bulk, channel)
    return batch


def _write(ctx: _Ctx, batch: _Batch) -> dict[str, int]:
    CareAct.objects.bulk_create(batch.care, batch_size=2000)
    SocialAct.objects.bulk_create(batch.social, batch_size=2000)
    Referral.objects.bulk_create([r for r, _ in batch.referrals], batch_size=2000)
    steps = []
    for referral, referral_steps in batch.referrals:
        for step in referral_steps:
            step.referral = referral
            steps.append(step)
    ReferralStep.objects.bulk_create(steps, batch_size=2000)
    Distribution.objects.bulk_create([d for d, _ in batch.distributions], batch_size=2000)
    lot = _naloxone_lot(ctx)
    lines = [
        DistributionLine(
            distribution=d,
            item=item,
            catalogue_item=ctx.catalogue[item],
            quantity=quantity,
            syringe_equivalents=quantity * ctx.catalogue[item].syringe_equivalents,
            lot=lot if ctx.catalogue[item].tracks_lots else None,
        )
        for d, items in batch.distributions
        for item, quantity in sorted(items.items())
    ]
    DistributionLine.objects.bulk_create(lines, batch_size=5000)
    receipts = _restock(ctx, batch)
    return {
        "care_acts": len(batch.care),
        "social_acts": len(batch.social),
        "referrals": len(batch.referrals),
        "distributions": len(batch.distributions),
        "distribution_lines": len(lines),
        "stock_receipts": receipts,
    }


def _naloxone_lot(ctx: _Ctx) -> MaterialLot:
    """One lot of naloxone per site, received at the start, expiring two years later (the
    shelf life of nasal naloxone) [assumption]."""
    received = dt.datetime.combine(ctx.start, dt.time(8), tzinfo=PARIS)
    lot, _created = MaterialLot.objects.get_or_create(
        site=ctx.site,
        item="naloxone_kit",
        lot_number=NALOXONE_LOT,
        defaults={
            "expires_on": ctx.start + dt.timedelta(days=730),
            "received_at": min(received, ctx.current),
            "recorded_by": ctx.actor,
        },
    )
    return lot


def _restock(ctx: _Ctx, batch: _Batch) -> int:
    """A delivery at the start of each week covering that week's use and a margin, so the level
    never goes below zero; the threshold is about half a week of use [assumption]."""
    movements: list[StockMovement] = []
    totals: defaultdict[str, int] = defaultdict(int)
    weekly: dict[str, list[int]] = defaultdict(list)
    for (week, item), used in sorted(batch.used.items()):
        delivered = math.ceil(used * 1.2) + 10
        totals[item] += delivered - used
        weekly[item].append(used)
        at = min(dt.datetime.combine(week, dt.time(8), tzinfo=PARIS), ctx.current)
        movements.append(
            StockMovement(
                site=ctx.site,
                item=item,
                kind=MovementKind.RECEIPT,
                delta=delivered,
                quantity_after=totals[item] + used,
                at=at,
                recorded_by=ctx.actor,
            )
        )
    StockMovement.objects.bulk_create(movements, batch_size=2000)
    for item, extra in totals.items():
        level, _created = StockLevel.objects.get_or_create(site=ctx.site, item=item)
        threshold = max(1, int(np.mean(weekly[item]) / 2))
        StockLevel.objects.filter(pk=level.pk).update(
            quantity=F("quantity") + extra, threshold=threshold
        )
    return len(movements)


def generate(run: Run) -> dict[str, int]:
    """Care acts, social acts, referrals, material and deliveries on the visits of the run's
    sites between its ``start`` and ``end``, nothing after its ``now`` (default: the clock). The
    pool and the scale are unused: care hangs on visits, which already carry their person and were
    already scaled. Repeatable for a given ``rng`` and ``now``; a second run adds nothing to visits
    that already carry care records."""
    totals: defaultdict[str, int] = defaultdict(int)
    current = run.now or timeutils.now()
    catalogue = active_by_code()
    for site in run.sites:
        visits = _site_visits(site, run.start, run.end)
        if not visits:
            continue
        others = [s for s in run.sites if s.pk != site.pk]
        ctx = _Ctx(
            site=site,
            actor=run.actor,
            rng=run.rng,
            others=others,
            start=run.start,
            current=current,
            catalogue=catalogue,
        )
        for key, value in _write(ctx, _fill_site(ctx, visits)).items():
            totals[key] += value
    return dict(totals)
