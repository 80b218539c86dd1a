"""Issue 23.11, the street: an anonymous contact is never told "déjà rencontrée", and the
head-count chart draws a gap in the counts as a gap, with every label inside the drawing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.core.timeutils import now
from halte.network.models import Site
from halte.outreach.models import GatheringPlace, HeadCount, Round
from halte.outreach.services import round_start

Login = Callable[[User], HttpClient]


def _said(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_an_anonymous_contact_is_never_told_already_met(
    team: Site, worker: User, login: Login, stalingrad: GatheringPlace
) -> None:
    http = login(worker)
    round_ = round_start(actor=worker, team=team, zone="", place=stalingrad)
    url = reverse("outreach:contact_record", kwargs={"round_id": round_.public_id})
    said = _said(http.post(url, {"purposes": ["material"]}))
    assert said == ["Contact enregistré (contact anonyme)."]
    said = _said(http.post(url, {"purposes": ["care"], "is_new": "on"}))
    assert said[-1] == "Contact enregistré (contact anonyme, première rencontre)."
    assert not any("déjà rencontrée" in s for s in said)
    assert Round.objects.get(pk=round_.pk).contacts.count() == 2


def test_a_four_year_gap_is_drawn_as_a_gap_with_labels_inside(
    team: Site, worker: User, login: Login, stalingrad: GatheringPlace
) -> None:
    old = dt.datetime(2021, 6, 1, 22, tzinfo=dt.UTC)
    rows = [(old + dt.timedelta(days=3 * i), 40 + i) for i in range(5)]
    rows += [(now() - dt.timedelta(days=2), 1500), (now() - dt.timedelta(days=1), 12)]
    HeadCount.objects.bulk_create(
        HeadCount(place=stalingrad, team=team, counted_at=moment, count=count, synthetic=True)
        for moment, count in rows
    )
    page = login(worker).get(reverse("outreach:head_counts")).content.decode()
    segments = re.findall(r'<polyline class="series s0" points="([^"]*)" data-segment>', page)
    assert len(segments) == 2  # 2021, then today: no line across the years between
    assert [len(s.split()) for s in segments] == [5, 2]
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', page)
    assert viewbox
    width, height = int(viewbox.group(1)), int(viewbox.group(2))
    for x, y, label in re.findall(
        r'<text class="tick count" x="([\d.]+)" y="([\d.]+)">(\d+)', page
    ):
        # Right-aligned at x: the widest label, "1500", is about 4 × 7 px wide at 11 px.
        assert float(x) - 7 * len(label) >= 0 and 0 <= float(y) <= height
    for y in re.findall(r'<text class="tick[^"]*" x="[\d.]+" y="([\d.]+)">\d+/\d{4}', page):
        assert float(y) + 3 <= height  # descenders stay inside the box
    assert "2023" in page and "2025" in page and width == 640
