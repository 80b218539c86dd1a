"""The waiting list offers tonight's bed only where ``stay_create`` would give it: someone with a
stay in progress (here or elsewhere) is shown as housed, and each person is offered a bed that
fits them. The demo puts nobody on a list while they hold a bed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.clients.models import Client
from halte.demo.activity.lodging import generate
from halte.demo.activity.run import Run
from halte.demo.activity.visits import make_pool
from halte.lodging.enums import WaitingStatus
from halte.lodging.models import WaitingEntry
from halte.lodging.selectors import (
    current_night,
    night_view,
    stays_in_progress,
    waiting_rows,
)
from halte.lodging.services import beds_sync, stay_create, waiting_add
from halte.network.models import Site
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_site: Site) -> tuple[Site, User]:
    """Another site with beds, and an educator who works only there."""
    other_site.beds = 2
    other_site.save()
    beds_sync(site=other_site)
    user = User.objects.create_user(username="hotel", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.EDUCATOR, site=other_site)
    return other_site, user


def _rows(user: User, site: Site) -> list[object]:
    view = night_view(site)
    free = [s.bed for s in view.board if s.stay is None]
    return list(waiting_rows(user, view.waiting_head, free))


def test_who_is_housed_is_shown_and_offered_nothing(
    shelter: Site,
    reception: User,
    person: Callable[..., Client],
    elsewhere: tuple[Site, User],
) -> None:
    other, hotel = elsewhere
    housed_elsewhere, housed_here, man, woman = (
        person(sex="man"),
        person(sex="man"),
        person(sex="man"),
        person(sex="woman"),
    )
    stay_create(actor=hotel, bed=other.lodging_beds.get(number=1), client=housed_elsewhere)
    here = stay_create(actor=reception, bed=shelter.lodging_beds.get(number=2), client=housed_here)
    for client in (housed_elsewhere, housed_here, man, woman):
        waiting_add(actor=reception, site=shelter, client=client)
    rows = {row.entry.client_id: row for row in _rows(reception, shelter)}  # type: ignore[attr-defined]
    assert rows[housed_elsewhere.pk].offer is None
    assert rows[housed_elsewhere.pk].housed is not None
    assert not rows[housed_elsewhere.pk].housed_visible  # another site's stay: no detail
    assert rows[housed_here.pk].housed == here and rows[housed_here.pk].housed_here
    assert rows[housed_here.pk].offer is None
    # Bed 1 is for women: the man is offered bed 3 (bed 2 is taken), the woman bed 1.
    assert rows[man.pk].offer.number == 3
    assert rows[woman.pk].offer.number == 1


def test_the_page_offers_only_what_succeeds(
    shelter: Site,
    reception: User,
    person: Callable[..., Client],
    elsewhere: tuple[Site, User],
    login: Callable[[User], HttpClient],
) -> None:
    other, hotel = elsewhere
    housed, waiting = person(sex="man"), person(sex="man")
    stay_create(actor=hotel, bed=other.lodging_beds.get(number=1), client=housed)
    waiting_add(actor=reception, site=shelter, client=housed, priorities=["health_need"])
    waiting_add(actor=reception, site=shelter, client=waiting)
    http = login(reception)
    page = http.get(reverse("lodging:site", kwargs={"site_id": shelter.public_id}))
    html = page.content.decode()
    assert html.count("ce soir</button>") == 1 and "Déjà hébergé·e ailleurs" in html
    assert f'value="{current_night().isoformat()}"' in html  # the entry date is shown
    night = http.get(reverse("lodging:night", kwargs={"site_id": shelter.public_id}))
    assert "Déjà hébergé·e ailleurs" in night.content.decode()
    listed = http.get(f"/api/v1/waiting-list?site={shelter.public_id}").json()
    assert [e["housed"] for e in listed] == [True, False]


def test_the_demo_puts_nobody_on_a_list_while_they_hold_a_bed(db: None) -> None:
    call_command("load_demo")
    actor = User.objects.get(username="night-sleepin")
    rng = np.random.default_rng(5)
    shelter = Site.objects.get(slug="sleep-in")  # a site with visits: generate_activity's order
    pool = make_pool(rng=rng, site=shelter, actor=actor, years=1, scale=0.2)
    end = current_night()
    counts = generate(
        Run(
            rng=rng,
            sites=[shelter],
            pool=pool,
            start=end - dt.timedelta(days=30),
            end=end,
            scale=0.5,
            actor=actor,
        )
    )
    assert counts["waiting"] > 0 and counts["stays"] > 0
    waiting = WaitingEntry.objects.filter(status=WaitingStatus.WAITING)
    assert waiting.filter(site__slug="sleep-in").exists()
    housed = stays_in_progress().values_list("client_id", flat=True)
    assert not waiting.filter(client_id__in=housed).exists()


def test_a_bed_night_ago_counts_only_as_the_rule_says(
    shelter: Site, reception: User, person: Callable[..., Client]
) -> None:
    """A stay ended this morning no longer holds its person: they may wait and be offered."""
    client = person(sex="woman")
    stay = stay_create(
        actor=reception,
        bed=shelter.lodging_beds.get(number=1),
        client=client,
        entry_date=current_night() - dt.timedelta(days=1),
        planned_exit_date=current_night(),
    )
    assert stays_in_progress().filter(pk=stay.pk).exists()
    from halte.lodging.services import stay_end

    stay_end(actor=reception, stay=stay, exit_reason="end_of_stay", exit_date=current_night())
    waiting_add(actor=reception, site=shelter, client=client)
    (row,) = _rows(reception, shelter)
    assert row.housed is None and row.offer is not None  # type: ignore[attr-defined]
