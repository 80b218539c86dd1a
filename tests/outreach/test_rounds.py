"""Rounds, contacts and head counts as an outreach team records them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.http import Http404

from halte.accounts.models import User
from halte.clients.services import client_register
from halte.core.errors import ConflictError, DomainError
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount
from halte.outreach.selectors import round_stats
from halte.outreach.services import contact_record, head_count_record, round_end, round_start
from halte.visits.models import Visit

IDENTITY = {
    "family_name": "Martin",
    "given_name": "Alex",
    "birth_date": dt.date(1980, 1, 2),
    "sex": "man",
}


def test_contacts_are_visits_at_the_team_and_new_people_are_flagged(
    team: Site, worker: User, stalingrad: GatheringPlace
) -> None:
    round_ = round_start(actor=worker, team=team, place=stalingrad)
    assert round_.zone == "stalingrad"
    with pytest.raises(ConflictError):
        round_start(actor=worker, team=team, zone="eole")
    person, _ = client_register(actor=worker, site=team, **IDENTITY)
    first = contact_record(actor=worker, round_=round_, client=person, purposes=["material"])
    again = contact_record(actor=worker, round_=round_, client=person, purposes=[])
    anonymous = contact_record(actor=worker, round_=round_, client=None, purposes=[], is_new=True)
    assert (first.is_new, again.is_new, anonymous.is_new) == (True, False, True)
    visit = first.visit
    assert visit.site == team and visit.left_at == visit.arrived_at
    assert first.place == stalingrad
    assert Visit.objects.filter(site=team, left_at__isnull=True).count() == 0
    stats = round_stats(round_)
    assert (stats.contacts, stats.known, stats.anonymous, stats.new) == (3, 2, 1, 2)
    round_end(actor=worker, round_=round_)
    with pytest.raises(DomainError, match="terminée"):
        contact_record(actor=worker, round_=round_, client=None, purposes=[])


def test_only_the_team_records(team: Site, reception: User, stalingrad: GatheringPlace) -> None:
    with pytest.raises(Http404):
        round_start(actor=reception, team=team, zone="eole")
    with pytest.raises(Http404):
        head_count_record(actor=reception, team=team, place=stalingrad, count=12)


def test_head_counts_refuse_implausible_input(
    team: Site, worker: User, stalingrad: GatheringPlace
) -> None:
    head_count_record(actor=worker, team=team, place=stalingrad, count=42)
    with pytest.raises(DomainError, match="2 000"):
        head_count_record(actor=worker, team=team, place=stalingrad, count=5000)
    with pytest.raises(DomainError, match="futur"):
        head_count_record(
            actor=worker,
            team=team,
            place=stalingrad,
            count=3,
            counted_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        )
    assert HeadCount.objects.get().count == 42


def test_outreach_demo_is_idempotent_and_sourced(db: None) -> None:
    call_command("load_demo")
    call_command("load_outreach_demo")
    first = HeadCount.objects.count()
    call_command("load_outreach_demo")
    assert HeadCount.objects.count() == first > 0
    places = {p.slug: p for p in GatheringPlace.objects.all()}
    assert set(places) == {
        "jardins-eole",
        "rue-riquet",
        "stalingrad",
        "porte-chapelle",
        "square-forceval",
    }
    assert places["jardins-eole"].area_name == "Paris 18e"
    assert places["square-forceval"].area_name == "Paris 19e"
    eole = HeadCount.objects.filter(place=places["jardins-eole"])
    assert all(120 <= c <= 200 for c in eole.values_list("count", flat=True))
    assert (
        max(
            HeadCount.objects.filter(place=places["square-forceval"]).values_list(
                "count", flat=True
            )
        )
        <= 400
    )
    assert all(p.source for p in places.values())
