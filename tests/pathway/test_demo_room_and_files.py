"""The demo's room (refusals, waits, watches, several products), the pathways other than HCV,
material from the catalogue with kits and channels, and a few invented social files."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.care.models import Distribution, DistributionLine
from halte.care.services import care_act_record
from halte.consumption.models import Refusal, Session, Wait
from halte.core import timeutils
from halte.core.timeutils import local_today
from halte.demo.activity import situations
from halte.demo.activity.run import Run
from halte.network.models import Site
from halte.pathway.enums import STAGES_FOR
from halte.pathway.models import Pathway, SocialFile
from halte.pathway.socialfile import social_file_read
from halte.visits.models import Visit


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "28", "--seed", "5")


def test_the_demo_room_pathways_material_and_social_files(demo: None) -> None:
    reasons = Counter(Refusal.objects.values_list("reason", flat=True))
    assert reasons["full"] > 10 and len(reasons) >= 3, reasons
    outcomes = Counter(Wait.objects.values_list("outcome", flat=True))
    assert outcomes["served"] > 10 and outcomes["left"] > 0, outcomes
    for wait in Wait.objects.select_related("visit")[:200]:
        assert wait.visit.arrived_at <= wait.started_at <= (wait.ended_at or wait.started_at)
    watched = Session.objects.exclude(watch_started_at=None)
    assert watched.count() > 10
    for s in watched[:200]:
        assert s.ended_at is not None and s.watch_started_at is not None
        assert s.watch_started_at >= s.ended_at
    assert Session.objects.exclude(other_products=0).exists()

    lines = DistributionLine.objects.all()
    assert not lines.filter(catalogue_item=None).exists()
    kit = lines.filter(item="injection_kit").first()
    assert kit is not None and kit.syringe_equivalents == 2 * kit.quantity
    assert lines.filter(item__in=["kit_plus", "sterifilt"]).exists()
    assert set(Distribution.objects.values_list("channel", flat=True)) - {"desk"}
    assert lines.filter(item="naloxone_kit").exclude(lot=None).exists()

    files = list(SocialFile.objects.select_related("site"))
    assert files, "a few invented social files"
    reader = User.objects.get(username="nurse-paris")
    paris = [f for f in files if f.site.slug == "paris-hsa"]
    identity = social_file_read(actor=reader, social_file=paris[0])
    assert identity.family_name.startswith("DÉMO ")
    assert identity.documents[0].reference.startswith("DEMO-")


def test_the_demo_follows_hiv_hbv_and_syphilis_tests_too(
    desk: Site, nurse: User, visit: Visit
) -> None:
    for kind in ("trod_hcv", "trod_hiv", "trod_hbv", "trod_syphilis"):
        care_act_record(actor=nurse, visit=visit, kind=kind, result="positive")
    today = local_today()
    run = Run(
        rng=np.random.default_rng(3),
        sites=[desk],
        pool=[],
        start=today - dt.timedelta(days=1),
        end=today,
        scale=1.0,
        actor=nurse,
        now=timeutils.now() + dt.timedelta(days=400),
    )
    situations.generate(run)
    pathways = Pathway.objects.prefetch_related("steps")
    assert {p.infection for p in pathways} == {"hcv", "hiv", "hbv", "syphilis"}
    for pathway in pathways:
        steps = sorted(pathway.steps.all(), key=lambda s: s.pk)
        assert steps and steps[0].stage == "confirmed"
        assert {s.stage for s in steps} <= STAGES_FOR[pathway.infection]
        assert [s.done_on for s in steps] == sorted(s.done_on for s in steps)
