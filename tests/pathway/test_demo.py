"""The demo's situations, pathways and accompaniments: generated on the demo network's visits and
positive tests, shaped on the published shares, repeatable, and within every database rule."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import numpy as np
import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

from halte.accounts.models import User
from halte.core import timeutils
from halte.core.timeutils import local_today
from halte.demo.activity.run import Run
from halte.demo.activity.situations import generate
from halte.network.models import Site
from halte.pathway.enums import WITHOUT_HOUSING, Asked
from halte.pathway.models import Accompaniment, Interpreting, Pathway, PathwayStep, Situation
from halte.pathway.services import pathway_is_finished
from tests.module_rows import rows_for_the_module


def _load() -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "21", "--seed", "7")


@pytest.fixture(scope="module")
def _demo_rows(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    # Loaded once for the module (tests/module_rows.py): what a test wipes or adds is rolled back
    # with its own transaction, before the next test.
    yield from rows_for_the_module(django_db_blocker, _load)


@pytest.fixture
def demo(_demo_rows: None, db: None) -> None:
    pass


def test_the_demo_has_situations_shaped_on_the_survey(demo: None) -> None:
    situations = list(Situation.objects.all())
    assert len(situations) > 100
    answered = [s for s in situations if s.housing not in ("not_asked", "declined")]
    paris = Site.objects.get(slug="paris-hsa").pk

    def without_housing(rows: list[Situation]) -> float:
        return sum(s.housing in WITHOUT_HOUSING for s in rows) / len(rows)

    # The Paris room as published for 2023 (79 % homeless, IGA/IGAS 2024); the other sites about a
    # third without housing (ENa-CAARUD).
    assert 0.65 < without_housing([s for s in answered if s.site_id == paris]) < 0.9
    assert 0.2 < without_housing([s for s in answered if s.site_id != paris]) < 0.5
    declined = sum(s.housing == "declined" for s in situations)
    unasked = sum(s.housing == "not_asked" for s in situations)
    assert declined and unasked  # both kept, apart
    for s in situations:
        assert (s.products_asked == Asked.ANSWERED) == bool(s.products)
        if s.age_first_use is not None:
            assert s.age_first_use <= s.client.age_in(s.asked_on.year)


def test_the_demo_pathways_follow_the_rules_of_the_service(demo: None) -> None:
    for pathway in Pathway.objects.prefetch_related("steps").select_related("screening"):
        assert pathway.screening is not None and pathway.screening.result == "positive"
        days = [s.done_on for s in sorted(pathway.steps.all(), key=lambda s: s.pk)]
        assert days == sorted(days) and all(d >= pathway.tested_on for d in days)
        pathway_is_finished(pathway)


def _wipe() -> None:
    for model in (PathwayStep, Pathway, Accompaniment, Interpreting, Situation):
        model.objects.all().delete()


def test_the_same_seed_gives_the_same_rows(demo: None) -> None:
    run = Run(
        rng=np.random.default_rng(11),
        sites=list(Site.objects.filter(status="operational")),
        pool=[],
        start=local_today() - dt.timedelta(days=20),
        end=local_today(),
        scale=1.0,
        actor=User.objects.get(username="reception-paris"),
        now=timeutils.now(),
    )
    ids = []
    for _ in range(2):
        _wipe()
        counts = generate(dataclasses.replace(run, rng=np.random.default_rng(11)))
        assert counts["situations"] > 0
        ids.append(sorted(map(str, Situation.objects.values_list("public_id", flat=True))))
    assert ids[0] == ids[1]
    again = generate(dataclasses.replace(run, rng=np.random.default_rng(11)))
    # a second run adds none
    assert again["situations"] == again["pathways"] == again["accompaniments"] == 0
    assert again["interpretings"] == 0
