"""Synthetic care activity: shaped on the published figures, repeatable, and consistent with the
database rules (stock never negative, referrals dated in order)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.management import call_command
from django.db.models import Sum
from pytest_django import DjangoDbBlocker

from halte.accounts.models import User
from halte.care.models import (
    CareAct,
    Distribution,
    DistributionLine,
    Referral,
    ReferralStep,
    StockLevel,
    StockMovement,
)
from halte.core.timeutils import local_today
from halte.demo.activity.care import generate
from halte.demo.activity.run import Run
from halte.network.models import Site
from halte.visits.models import Visit
from tests.module_rows import rows_for_the_module


def _wipe_care() -> None:
    from halte.care.models import SocialAct
    from halte.pathway.models import Pathway, PathwayStep

    # The demo's pathways hang on its positive rapid tests (the care acts are protected).
    PathwayStep.objects.all().delete()
    Pathway.objects.all().delete()
    CareAct.objects.all().delete()
    DistributionLine.objects.all().delete()
    Distribution.objects.all().delete()
    ReferralStep.objects.all().delete()
    Referral.objects.all().delete()
    SocialAct.objects.all().delete()
    StockMovement.objects.all().delete()
    StockLevel.objects.all().delete()


def _load() -> dt.date:
    call_command("load_demo")
    call_command("generate_activity", "--days", "10", "--seed", "5")
    # generate_activity fills care too; start again from bare visits to test generate() itself.
    assert CareAct.objects.exists()
    _wipe_care()
    return local_today()


@pytest.fixture(scope="module")
def _visits_rows(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[dt.date]:
    # Loaded once for the module (tests/module_rows.py): the care each test generates or wipes is
    # rolled back with its own transaction, before the next test.
    yield from rows_for_the_module(django_db_blocker, _load)


@pytest.fixture
def activity(_visits_rows: dt.date, db: None) -> dict[str, object]:
    end = _visits_rows
    args: dict[str, object] = {
        "sites": list(Site.objects.filter(slug__in=["paris-hsa", "strasbourg-hsa", "step"])),
        "pool": [],
        "start": end - dt.timedelta(days=9),
        "end": end,
        "scale": 1.0,
        "actor": User.objects.get(username="reception-paris"),
    }
    return args


def test_care_activity_looks_like_the_published_figures(activity: dict[str, object]) -> None:
    counts = generate(Run(rng=np.random.default_rng(11), **activity))  # type: ignore[arg-type]
    paris = Visit.objects.filter(site__slug="paris-hsa").count()
    acts = CareAct.objects.filter(site__slug="paris-hsa").count()
    assert 0.10 <= acts / paris <= 0.20, (acts, paris)  # care on ~15 % of visits
    with_material = Distribution.objects.filter(site__slug="paris-hsa", visit__isnull=False)
    assert with_material.count() / paris > 0.6  # material on most visits
    # Strasbourg: ~88,000 syringes a year → ~240 a day, scaled on its ~50 visits a day.
    syringes = DistributionLine.objects.filter(
        distribution__site__slug="strasbourg-hsa", item="syringe_1ml"
    ).aggregate(n=Sum("quantity"))["n"]
    assert 100 <= syringes / 10 <= 400, syringes
    assert counts["care_acts"] == CareAct.objects.count()
    assert counts["stock_receipts"] == StockMovement.objects.filter(kind="receipt").count()
    # Deliveries cover what was given: the levels are what came in minus what went out.
    for level in StockLevel.objects.filter(site__slug="paris-hsa"):
        came = StockMovement.objects.filter(site=level.site, item=level.item).aggregate(
            n=Sum("delta")
        )["n"]
        went = DistributionLine.objects.filter(
            distribution__site=level.site, item=level.item
        ).aggregate(n=Sum("quantity"))["n"]
        assert level.quantity == came - went >= 0
    # Referrals: closed ones carry their closing step, dated after the proposal.
    for referral in Referral.objects.exclude(status__in=["proposed", "accepted"])[:20]:
        assert referral.closed_at is not None and referral.closed_at >= referral.proposed_at
        assert ReferralStep.objects.filter(referral=referral, stage=2).count() == 1


def test_same_seed_same_rows_and_no_double_run(activity: dict[str, object]) -> None:
    first = generate(Run(rng=np.random.default_rng(3), **activity))  # type: ignore[arg-type]
    ids = set(CareAct.objects.values_list("public_id", flat=True))
    again = generate(Run(rng=np.random.default_rng(3), **activity))  # type: ignore[arg-type]
    assert again.get("care_acts", 0) == 0  # visits already carrying care are left alone
    assert CareAct.objects.count() == first["care_acts"]
    _wipe_care()
    generate(Run(rng=np.random.default_rng(3), **activity))  # type: ignore[arg-type]
    assert set(CareAct.objects.values_list("public_id", flat=True)) == ids
