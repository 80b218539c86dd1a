"""The demo's plan board: the 2019–2021 plan with its sourced figures (3 M€ a year planned, 33
actions), the second step with no budget, actions whose invented parts say so, and evacuations of
demo gathering places whose people are drawn from the demo's people once it has some."""

from __future__ import annotations

from decimal import Decimal

from django.core.management import call_command

from halte.accounts.models import User
from halte.demo import plan as plan_demo
from halte.network.models import Site
from halte.plan.models import Evacuation, OrientedPerson, PlanAction, PlanEdition
from halte.plan.selectors import budget_rows
from tests.factories import ClientFactory


def test_the_demo_loads_the_plan_and_its_evacuations(db: None) -> None:
    call_command("load_demo")
    first = PlanEdition.objects.get(code="2019-2021")
    assert (first.first_year, first.last_year, first.actions_planned) == (2019, 2021, 33)
    assert "francetvinfo.fr" in first.source
    rows = {r.year: r for r in budget_rows({}, years=[2019, 2020, 2021, 2022])}
    assert [rows[y].planned for y in (2019, 2020, 2021)] == [Decimal(3_000_000)] * 3
    assert rows[2022].planned is None  # the first plan's figures stop in 2021
    for action in PlanAction.objects.all():
        assert action.invented == ("inventé" in action.title.lower()), action.title
        assert action.invented or "inventés" in action.source, action.title
    assert PlanAction.objects.filter(invented=True, due_on__isnull=False).exists()
    published = Evacuation.objects.get(synthetic=False)
    assert published.place.slug == "square-forceval" and "tf1info" in published.source
    assert Evacuation.objects.filter(synthetic=True).count() == 2
    assert not OrientedPerson.objects.exists()  # no people yet in a fresh demo

    team = Site.objects.get(slug="maraude-nord-est")
    worker = User.objects.get(username="outreach-nord-est")
    for _ in range(12):
        ClientFactory.create(actor=worker, site=team)
    admin = User.objects.get(username="admin")
    plan_demo.load(actor=admin)
    assert OrientedPerson.objects.count() == 10
    assert OrientedPerson.objects.values("client").distinct().count() == 10
    plan_demo.load(actor=admin)  # again: nothing doubled
    call_command("load_demo")
    assert OrientedPerson.objects.count() == 10
    assert Evacuation.objects.count() == 3 and PlanAction.objects.count() == 10


def test_make_demo_order_gives_the_invented_evacuations_their_people(db: None) -> None:
    """`make demo` loads the network, then generates the activity: the activity's end orients
    demo people at the invented evacuations, so a fresh demo shows a follow-up."""
    call_command("load_demo")
    assert not OrientedPerson.objects.exists()
    call_command("generate_activity", "--days", "3", "--rollups", "queue")
    assert OrientedPerson.objects.count() == 10
