"""Published places of the north-east of Paris, each choosing what it shows the public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from halte.network.enums import Admission, Service, SiteKind, SiteStatus
from halte.network.models import Site, SiteService

# Around the clock, so that "open now" does not depend on the hour the tests run.
ALWAYS = ("00:00", "00:00")
STALINGRAD = {"lat": 48.8842, "lon": 2.3690}


def with_services(site: Site, *services: str) -> Site:
    SiteService.objects.bulk_create(SiteService(site=site, service=s) for s in services)
    return site


@pytest.fixture
def published(make_site: Callable[..., Site]) -> dict[str, Site]:
    return make_published(make_site)


def make_published(make_site: Callable[..., Site]) -> dict[str, Site]:
    """Three published places (one far, one near Stalingrad, one for women with beds), one
    unpublished, a project and an abandoned site that asked to be published (refused anyway)."""
    near = with_services(
        make_site(
            name="Accueil Stalingrad",
            kind=SiteKind.CAARUD,
            hours=ALWAYS,
            lon=2.3675,
            lat=48.8838,
            address="10 Quai de la Seine",
            postcode="75019",
            code_insee="75119",
            publish_public=True,
            publish_room_level=True,
            booths_injection=0,
            rest_places=10,
            reception_capacity=40,
            dogs_accepted=True,
        ),
        Service.RECEPTION,
        Service.MATERIAL,
        Service.NURSING,
        Service.OUTREACH,
    )
    far = with_services(
        make_site(name="HSA Lariboisière", hours=ALWAYS, publish_public=True),
        Service.SUPERVISED_CONSUMPTION,
    )
    women = with_services(
        make_site(
            name="Abri des femmes",
            kind=SiteKind.NIGHT_SHELTER,
            hours=ALWAYS,
            lon=2.3599,
            lat=48.8975,
            address="1 Rue de la Chapelle",
            postcode="75018",
            code_insee="75118",
            admission=Admission.WOMEN_ONLY,
            booths_injection=0,
            beds=20,
            publish_public=True,
        ),
        Service.NIGHT_SHELTER,
        Service.HYGIENE,
    )
    hidden = make_site(name="Lieu non publié", hours=ALWAYS)
    project = make_site(
        name="Projet Pelleport",
        status=SiteStatus.PROPOSED,
        hours=ALWAYS,
        publish_public=True,
    )
    abandoned = make_site(
        name="Projet abandonné",
        status=SiteStatus.ABANDONED,
        hours=ALWAYS,
        publish_public=True,
    )
    team = make_site(
        name="Maraude Nord-Est",
        kind=SiteKind.OUTREACH_TEAM,
        hours=ALWAYS,
        publish_public=True,
        booths_injection=0,
    )
    return {
        "near": near,
        "far": far,
        "women": women,
        "hidden": hidden,
        "project": project,
        "abandoned": abandoned,
        "team": team,
    }


def names(data: Any) -> set[str]:
    return {row["nom"] for row in data}
