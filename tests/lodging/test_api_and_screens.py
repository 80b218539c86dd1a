"""The accommodation API and screens as staff use them; another site's staff get 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
from django.core.management import call_command
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from halte.accounts.models import User
from halte.clients.models import Client
from halte.demo.activity import lodging
from halte.demo.activity.run import Run
from halte.lodging.models import Bed, BedNight, Stay
from halte.lodging.selectors import current_night
from halte.network.models import Site

Login = Callable[[User], HttpClient]


def test_post_stays_409_when_the_bed_is_taken_and_end_frees_it(
    shelter: Site, reception: User, login: Login, person: Callable[..., Client]
) -> None:
    http = login(reception)
    bed = Bed.objects.get(site=shelter, number=2)
    first, second = person(sex="man"), person(sex="man")
    body = {"bed": str(bed.public_id), "client": str(first.public_id)}
    created = http.post(
        "/api/v1/stays", body, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert created.status_code == 201, created.json()
    replay = http.post(
        "/api/v1/stays", body, content_type="application/json", headers={"Idempotency-Key": "k-1"}
    )
    assert replay.json()["id"] == created.json()["id"] and Stay.objects.count() == 1
    taken = http.post(
        "/api/v1/stays",
        {"bed": str(bed.public_id), "client": str(second.public_id)},
        content_type="application/json",
    )
    assert taken.status_code == 409
    assert (
        http.post(
            f"/api/v1/stays/{created.json()['id']}/end",
            {"exit_reason": "nope"},
            content_type="application/json",
        ).status_code
        == 422
    )
    ended = http.post(
        f"/api/v1/stays/{created.json()['id']}/end",
        {"exit_reason": "housing_found", "exit_date": current_night().isoformat()},
        content_type="application/json",
    )
    assert ended.status_code == 200 and ended.json()["exit_reason"] == "housing_found"
    night = http.get(f"/api/v1/sites/{shelter.public_id}/night").json()
    assert night["beds_free"] == 4


def test_post_stays_409_for_a_later_stay_in_a_bed_held_with_no_end(
    shelter: Site, reception: User, login: Login, person: Callable[..., Client]
) -> None:
    http = login(reception)
    bed = str(Bed.objects.get(site=shelter, number=2).public_id)
    tomorrow = current_night() + dt.timedelta(days=1)

    def ask(entry: dt.date, exit_: dt.date | None) -> HttpResponse:
        body = {
            "bed": bed,
            "client": str(person(sex="man").public_id),
            "entry_date": entry.isoformat(),
            "planned_exit_date": exit_.isoformat() if exit_ else None,
        }
        response: HttpResponse = http.post("/api/v1/stays", body, content_type="application/json")
        return response

    assert ask(tomorrow, None).status_code == 201
    later = ask(tomorrow + dt.timedelta(days=5), tomorrow + dt.timedelta(days=7))
    assert later.status_code == 409
    assert later.json()["error"]["message"] == "Ce lit est occupé par un séjour en cours."
    assert Stay.objects.count() == 1 and BedNight.objects.count() == 1


def test_other_site_staff_get_404(
    shelter: Site, other_manager: User, login: Login, person: Callable[..., Client]
) -> None:
    http = login(other_manager)
    bed = Bed.objects.get(site=shelter, number=2)
    response = http.post(
        "/api/v1/stays",
        {"bed": str(bed.public_id), "client": str(person(sex="man").public_id)},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert (
        http.get(reverse("lodging:night", kwargs={"site_id": shelter.public_id})).status_code == 404
    )


def test_screens_give_a_bed_and_show_the_night(
    shelter: Site, reception: User, login: Login, person: Callable[..., Client]
) -> None:
    http = login(reception)
    someone = person(sex="man")
    page = reverse("lodging:site", kwargs={"site_id": shelter.public_id})
    assert http.get(page).status_code == 200
    bed = Bed.objects.get(site=shelter, number=3)
    http.post(
        reverse("lodging:stay_create", kwargs={"site_id": shelter.public_id}),
        {
            "code": someone.code,
            "bed": str(bed.public_id),
            "entry_date": current_night().isoformat(),
        },
    )
    assert Stay.objects.filter(bed=bed, client=someone).exists()
    http.post(
        reverse("lodging:waiting_add", kwargs={"site_id": shelter.public_id}),
        {"code": person(sex="woman").code, "priorities": ["health_need"]},
    )
    night = http.get(reverse("lodging:night", kwargs={"site_id": shelter.public_id}))
    text = night.content.decode()
    assert night.status_code == 200 and "data-refresh-url" in text
    assert someone.display_code in text and "Besoin de santé" in text


def test_demo_activity_keeps_every_rule(db: None) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "10")
    sites = list(Site.objects.filter(slug__in=lodging.PROFILES))
    actor = User.objects.get(username="reception-paris")
    pool = list(Client.objects.all())
    today = timezone.localdate()
    done = lodging.generate(
        Run(
            rng=np.random.default_rng(5),
            sites=sites,
            pool=pool,
            start=today - dt.timedelta(days=9),
            end=today,
            scale=0.2,
            actor=actor,
        )
    )
    # generate_activity already called it: a second run leaves the filled sites as they are.
    assert done["stays"] == 0 and done["bed_nights"] == 0
    assert Stay.objects.filter(bed__site__slug="strasbourg-hsa").exists()
    assert BedNight.objects.filter(bed__site__slug="assore-hotels").exists()
    strasbourg = Bed.objects.filter(site__slug="strasbourg-hsa", is_active=True).count()
    assert strasbourg == 20
    assert not BedNight.objects.values("bed", "night").annotate(n=Count("pk")).filter(n__gt=1)
    assert (
        not Stay.objects.filter(exit_date__isnull=True)
        .values("client")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
