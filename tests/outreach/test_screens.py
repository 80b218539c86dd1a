"""The outreach screens: a round in two taps, the counts map and chart, where to go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from halte.accounts.models import User
from halte.clients.models import Client
from halte.core.timeutils import paris_date
from halte.demo.activity import outreach
from halte.demo.activity.run import Run
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount, Round, RoundContact

Login = Callable[[User], HttpClient]


def test_a_round_from_the_screens(
    team: Site, worker: User, login: Login, stalingrad: GatheringPlace
) -> None:
    http = login(worker)
    assert http.get(reverse("outreach:home")).status_code == 200
    http.post(
        reverse("outreach:round_start", kwargs={"team_id": team.public_id}),
        {"place": str(stalingrad.public_id)},
    )
    round_ = Round.objects.get(team=team)
    page = reverse("outreach:round", kwargs={"round_id": round_.public_id})
    assert http.get(page).status_code == 200
    http.post(
        reverse("outreach:contact_record", kwargs={"round_id": round_.public_id}),
        {"is_new": "on", "purposes": ["material"], "place": str(stalingrad.public_id)},
    )
    contact = RoundContact.objects.get()
    assert contact.visit.client is None and contact.is_new and contact.visit.site == team
    http.post(
        reverse("outreach:head_count_record"),
        {"team": str(team.public_id), "place": str(stalingrad.public_id), "count": "37"},
    )
    assert HeadCount.objects.get().count == 37
    counts = http.get(reverse("outreach:head_counts")).content.decode()
    assert "<svg" in counts and "count-places" in counts and "37" in counts


def test_where_screen_lists_big_cards(site: Site, reception: User, login: Login) -> None:
    http = login(reception)
    response = http.get(
        reverse("outreach:where"),
        {"address": "place de la Bataille de Stalingrad", "need": "care", "when": "now"},
    )
    assert response.status_code == 200
    assert http.get(reverse("outreach:where"), {"need": "consumption"}).status_code == 200


def test_demo_outreach_activity(db: None) -> None:
    call_command("load_demo")
    call_command("load_outreach_demo")
    call_command("generate_activity", "--days", "10")
    actor = User.objects.get(username="outreach-nord-est")
    today = timezone.localdate()
    done = outreach.generate(
        Run(
            rng=np.random.default_rng(3),
            sites=list(Site.objects.filter(slug="paris-hsa")),
            pool=list(Client.objects.all()),
            start=today - dt.timedelta(days=9),
            end=today,
            scale=1.0,
            actor=actor,
        )
    )
    # generate_activity already ran it: a second run adds no second round on an evening.
    rounds = Round.objects.filter(team__slug="maraude-nord-est")
    days = {paris_date(r.started_at) for r in rounds}
    assert len(days) == rounds.count() and 5 <= rounds.count() <= 10
    assert done["rounds"] <= 10 - rounds.count() + done["rounds"]
    contacts = RoundContact.objects.filter(visit__site__slug="maraude-nord-est")
    assert contacts.count() > 50 and contacts.filter(visit__client__isnull=True).exists()
    assert not Round.objects.filter(ended_at__isnull=True).exists()
