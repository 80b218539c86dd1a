"""The access matrix of the consented social file and of the pathways after a test: every role of
the file's site, another site's social worker who also sees the person, and the network roles,
through the screens and the API. Only the site's educators (its social workers) and nurses (its
care roles) see a social file exists; only nurses see pathways. Nobody else ever receives the
identity, whatever the route."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.care.services import care_act_record
from halte.clients.models import Client
from halte.network.models import Site, WeeklyHours
from halte.pathway.models import SocialFile
from halte.pathway.services import pathway_open
from halte.pathway.socialfile import Document, Identity, social_file_open
from tests.api_client import Api
from tests.conftest import PASSWORD
from tests.factories import ClientFactory, VisitFactory

NAME = "Quirinal-Xanthe"
REFERENCE = "AME-775533"
# Who reads the social file (True) and who gets a 404 (False); pathways: nurses only.
SOCIAL = {
    "reception": False,
    "nurse": True,
    "educator": True,
    "peer": False,
    "outreach": False,
    "manager": False,
    "other-educator": False,
    "coordinator": False,
    "evaluator": False,
    "admin": False,
}
PATHWAYS = {name: name == "nurse" for name in SOCIAL}


def _member(name: str, role: str, site: Site | None) -> User:
    user = User.objects.create_user(username=f"m-{name}", password=PASSWORD)
    Membership.objects.create(user=user, role=role, site=site)
    return user


@pytest.fixture
def world(site: Site, other_site: Site) -> dict[str, object]:
    for place in (site, other_site):
        WeeklyHours.objects.filter(site=place).update(opens="00:00", closes="00:00")
    cast = {
        "reception": _member("reception", Role.RECEPTION, site),
        "nurse": _member("nurse", Role.NURSE, site),
        "educator": _member("educator", Role.EDUCATOR, site),
        "peer": _member("peer", Role.PEER, site),
        "outreach": _member("outreach", Role.OUTREACH, site),
        "manager": _member("manager", Role.MANAGER, site),
        "other-educator": _member("other-educator", Role.EDUCATOR, other_site),
        "coordinator": _member("coordinator", Role.COORDINATOR, None),
        "evaluator": _member("evaluator", Role.EVALUATOR, None),
        "admin": _member("admin", Role.ADMIN, None),
    }
    person: Client = ClientFactory.create(actor=cast["reception"], site=site)
    visit = VisitFactory.create(actor=cast["reception"], site=site, client=person, care=True)
    # The person also came to the other site: its educator sees them, not this site's file.
    VisitFactory.create(actor=cast["other-educator"], site=other_site, client=person)
    act = care_act_record(actor=cast["nurse"], visit=visit, kind="trod_hcv", result="positive")
    pathway_open(actor=cast["nurse"], site=site, client=person, infection="hcv", screening=act)
    social_file = social_file_open(
        actor=cast["educator"],
        site=site,
        client=person,
        purpose="rights_ame",
        consent=True,
        identity=Identity(
            family_name=NAME, given_names="Yvette", documents=(Document("ame", REFERENCE),)
        ),
    )
    return {"cast": cast, "site": site, "person": person, "file": social_file}


def _screens(world: dict[str, object]) -> list[str]:
    site, person, social_file = world["site"], world["person"], world["file"]
    assert isinstance(site, Site) and isinstance(person, Client)
    assert isinstance(social_file, SocialFile)
    return [
        reverse(
            "care:social_files",
            kwargs={"site_id": site.public_id, "client_id": person.public_id},
        ),
        reverse("care:social_file", args=[social_file.public_id]),
    ]


def test_social_file_screens_and_api_per_role(world: dict[str, object]) -> None:
    cast = world["cast"]
    person, social_file = world["person"], world["file"]
    assert isinstance(cast, dict) and isinstance(person, Client)
    assert isinstance(social_file, SocialFile)
    wrong: list[str] = []
    for name, allowed in SOCIAL.items():
        user = cast[name]
        http = HttpClient()
        http.force_login(user)
        for url in _screens(world):
            response = http.get(url)
            if (response.status_code == 200) != allowed:
                wrong.append(f"{name} GET {url} → {response.status_code}")
            if not allowed and NAME in response.content.decode():
                wrong.append(f"{name} GET {url} shows the identity")
        api = Api(user)
        read = api.get(f"/social-files/{social_file.public_id}")
        if (read.status_code == 200) != allowed:
            wrong.append(f"{name} API read → {read.status_code}")
        listing = api.get(f"/clients/{person.public_id}/social-files")
        listed = listing.status_code == 200 and len(listing.json()) == 1
        if listed != allowed:
            wrong.append(f"{name} API list → {listing.status_code} {listing.content[:80]!r}")
        for response in (read, listing):
            if not allowed and (
                NAME in response.content.decode() or REFERENCE in str(response.content)
            ):
                wrong.append(f"{name} API shows the identity")
        if not allowed:
            removed = api.post(f"/social-files/{social_file.public_id}/delete", {})
            if removed.status_code != 404:
                wrong.append(f"{name} API delete → {removed.status_code}")
    assert wrong == []
    assert SocialFile.objects.filter(pk=social_file.pk).exists()


def test_pathways_per_role(world: dict[str, object]) -> None:
    cast, person = world["cast"], world["person"]
    assert isinstance(cast, dict) and isinstance(person, Client)
    wrong = []
    for name, allowed in PATHWAYS.items():
        response = Api(cast[name]).get(f"/clients/{person.public_id}/pathways")
        sees = response.status_code == 200 and len(response.json()) == 1
        if sees != allowed:
            wrong.append(f"{name} → {response.status_code}")
    assert wrong == []
