"""An invented history of drug checking and product alerts for the demo (``load_alerts_demo``).

Every row is flagged ``synthetic`` and shown as "exemple inventé": the products and cuts are those
the French watch (SINTES, OFDT) has reported in recent years (nitazenes sold as heroin, cathinones
sold as cocaine, crack cut with levamisole), but these samples, results and alerts never existed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from halte.accounts.models import User
from halte.alerts.models import Alert, Sample
from halte.alerts.services import (
    AlertDraft,
    Found,
    alert_acknowledge,
    alert_issue,
    result_record,
    sample_record,
)
from halte.core.timeutils import local_today, now, paris_instant
from halte.network.models import Site


@dataclass(frozen=True)
class DemoSample:
    days_ago: int
    site: str
    sold_as: str
    believed: str
    form: str
    route: str
    circumstance: str
    found: tuple[tuple[str, str, str | None], ...]  # substance, role, purity
    sent_to: str = "sintes"
    result_after: int = 12


SAMPLES = [
    DemoSample(
        55,
        "paris-hsa",
        "heroin",
        "heroin",
        "powder",
        "injection",
        "routine",
        (
            ("heroin", "active", "11.0"),
            ("paracetamol", "adulterant", "38"),
            ("caffeine", "adulterant", "20"),
        ),
    ),
    DemoSample(
        48,
        "maraude-nord-est",
        "cocaine",
        "cocaine",
        "powder",
        "nasal",
        "unexpected_effects",
        (("3mmc", "active", "62"), ("caffeine", "adulterant", None)),
    ),
    DemoSample(
        41,
        "paris-hsa",
        "crack",
        "crack",
        "rock",
        "inhalation",
        "routine",
        (("cocaine", "active", "71"), ("levamisole", "adulterant", "9")),
    ),
    DemoSample(
        34,
        "maraude-nord-est",
        "cocaine",
        "cocaine",
        "powder",
        "nasal",
        "routine",
        (
            ("cocaine", "active", "58"),
            ("levamisole", "adulterant", "12"),
            ("phenacetin", "adulterant", None),
        ),
    ),
    DemoSample(
        27,
        "paris-hsa",
        "opioid_medicine",
        "opioid_medicine",
        "capsule",
        "injection",
        "routine",
        (("morphine", "active", None),),
        "on_site",
        0,
    ),
    DemoSample(
        20,
        "paris-hsa",
        "heroin",
        "heroin",
        "powder",
        "injection",
        "unexpected_effects",
        (
            ("heroin", "active", "6.5"),
            ("nitazene", "active", None),
            ("paracetamol", "adulterant", "45"),
        ),
        "sintes",
        9,
    ),
    DemoSample(
        16,
        "maraude-nord-est",
        "heroin",
        "heroin",
        "powder",
        "inhalation",
        "unexpected_effects",
        (("nitazene", "active", None), ("caffeine", "adulterant", "30")),
    ),
    DemoSample(
        9,
        "paris-hsa",
        "crack",
        "crack",
        "rock",
        "inhalation",
        "routine",
        (("cocaine", "active", "76"),),
        "on_site",
        0,
    ),
    DemoSample(
        5,
        "maraude-nord-est",
        "benzodiazepine",
        "benzodiazepine",
        "pill",
        "oral",
        "unexpected_effects",
        (),
    ),
    DemoSample(2, "paris-hsa", "heroin", "heroin", "powder", "injection", "routine", (), ""),
]

NETWORK_TEAMS = ("paris-hsa", "maraude-nord-est", "repos-chapelle", "ego-caarud", "step")


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _samples(today: dt.date) -> int:
    nurse, street, coordinator = (
        _user("nurse-paris"),
        _user("outreach-nord-est"),
        _user("coordinator"),
    )
    sites = {s.slug: s for s in Site.objects.filter(slug__in=("paris-hsa", "maraude-nord-est"))}
    for demo in SAMPLES:
        collected = today - dt.timedelta(days=demo.days_ago)
        collector = nurse if demo.site == "paris-hsa" else street
        sample = sample_record(
            actor=collector,
            site=sites[demo.site],
            collected_on=collected,
            sold_as=demo.sold_as,
            believed=demo.believed,
            form=demo.form,
            route=demo.route,
            circumstance=demo.circumstance,
            sent_to=demo.sent_to,
            sent_on=collected if demo.sent_to else None,
            synthetic=True,
        )
        if demo.found:
            result_record(
                actor=nurse if demo.site == "paris-hsa" else coordinator,
                sample=sample,
                found=[
                    Found(substance=s, role=r, purity=Decimal(p) if p else None)
                    for s, r, p in demo.found
                ],
                result_on=min(collected + dt.timedelta(days=demo.result_after), today),
                source="demo",
            )
    return len(SAMPLES)


def _alerts(today: dt.date) -> int:
    coordinator = _user("coordinator")
    teams = list(Site.objects.filter(slug__in=NETWORK_TEAMS))
    samples = {s.collected_on: s for s in Sample.objects.filter(synthetic=True)}
    nitazene = samples.get(today - dt.timedelta(days=20))
    cathinone = samples.get(today - dt.timedelta(days=48))
    issued = [
        alert_issue(
            actor=coordinator,
            draft=AlertDraft(
                severity="warning",
                product="cocaine",
                title="« Cocaïne » qui est de la 3-MMC",
                looks_like="Poudre blanche cristalline, odeur chimique, vendue en pochons de 0,5 g",
                seen_in="Paris 19e, secteur Stalingrad",
                advice=(
                    "Ce produit vendu comme cocaïne est une cathinone : effets plus longs, envie "
                    "de reprendre, risque cardiaque. Commencer par une petite quantité, espacer, "
                    "boire de l'eau, ne pas mélanger avec l'alcool."
                ),
                valid_until=paris_instant(today - dt.timedelta(days=16), dt.time(23, 0)),
                all_sites=True,
            ),
            sample=cathinone,
            issued_at=paris_instant(today - dt.timedelta(days=35), dt.time(11, 0)),
            synthetic=True,
        ),
        alert_issue(
            actor=coordinator,
            draft=AlertDraft(
                severity="danger",
                product="heroin",
                title="Héroïne coupée aux nitazènes : surdoses",
                looks_like="Poudre beige à brune, parfois en petits cailloux, sachets bleus",
                seen_in="Paris 18e, Porte de la Chapelle ; Paris 10e",
                advice=(
                    "Des opioïdes de synthèse très puissants (nitazènes) ont été trouvés dans "
                    "de l'héroïne. Ne pas consommer seul·e, tester une petite dose, consommer "
                    "à la salle, avoir de la naloxone et savoir s'en servir. La naloxone peut "
                    "devoir être donnée plusieurs fois."
                ),
                valid_until=now() + dt.timedelta(days=10),
            ),
            sites=teams,
            sample=nitazene,
            issued_at=now() - dt.timedelta(days=3),
            synthetic=True,
        ),
    ]
    current = issued[-1]
    for username in ("manager-paris",):
        alert_acknowledge(actor=_user(username), alert=current, channel="desk")
    return len(issued)


def load(today: dt.date | None = None) -> tuple[int, int]:
    """Create the invented samples, results and alerts once; (0, 0) when they are already there."""
    if (
        Sample.objects.filter(synthetic=True).exists()
        or Alert.objects.filter(synthetic=True).exists()
    ):
        return 0, 0
    day = today or local_today()
    return _samples(day), _alerts(day)
