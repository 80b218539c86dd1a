"""The demo network as `make run` loads it: real places, honest about what is approximate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.models import User
from halte.network.enums import SiteStatus
from halte.network.models import Site


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo")


def test_demo_network_has_the_named_places(demo: None) -> None:
    paris = Site.objects.get(slug="paris-hsa")
    assert (paris.code_insee, paris.booths_injection, paris.booths_inhalation) == ("75110", 12, 0)
    assert {(h.opens, h.closes) for h in paris.weekly_hours.all()} == {
        (dt.time(13, 30), dt.time(20, 30))
    }
    strasbourg = Site.objects.get(slug="strasbourg-hsa")
    assert strasbourg.booths_by_route() == {"injection": 6, "inhalation": 4, "nasal": 2}
    rest = Site.objects.get(slug="repos-chapelle")
    assert rest.rest_places == 16 and rest.code_insee == "75118"


def test_pelleport_was_proposed_then_abandoned_on_15_september_2021(demo: None) -> None:
    pelleport = Site.objects.get(slug="pelleport-2021")
    assert pelleport.status == SiteStatus.ABANDONED
    assert pelleport.code_insee == "75120"
    steps = list(pelleport.status_changes.values_list("to_status", "effective_on"))
    assert steps == [("proposed", dt.date(2021, 8, 30)), ("abandoned", dt.date(2021, 9, 15))]


def test_approximate_places_are_flagged(demo: None) -> None:
    for slug in ("grands-boulevards-1", "grands-boulevards-2", "femmes-19e-2021"):
        site = Site.objects.get(slug=slug)
        assert site.location_approximate and not site.facts_verified
        assert site.status == SiteStatus.PROPOSED
    assert Site.objects.get(slug="femmes-19e-2021").admission == "women_only"
    assert Site.objects.get(slug="grands-boulevards-1").code_insee == "75110"


def test_loading_twice_changes_nothing(demo: None) -> None:
    before = (Site.objects.count(), User.objects.count())
    call_command("load_demo")
    assert (Site.objects.count(), User.objects.count()) == before


def test_each_demo_user_logs_in_with_the_demo_password(demo: None, client: Client) -> None:
    for username in (
        "reception-paris",
        "nurse-paris",
        "manager-paris",
        "coordinator",
        "evaluator",
        "admin",
    ):
        assert client.login(username=username, password="demo-password"), username
        client.logout()
