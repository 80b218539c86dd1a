"""The neighbourhood's screens and API reads × every role: a report given to another site is not
found (404) for that site's outsiders, a resident's contact reaches the coordinator only, and
anonymous visitors reach the public report page and nothing else."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.accounts.services import api_token_issue
from halte.core.timeutils import local_today, now
from halte.neighbourhood.services import (
    committee_record,
    decision_add,
    pickup_record,
    report_submit,
    report_triage,
    round_start,
)
from halte.network.enums import SiteKind
from halte.network.models import Site

pytestmark = pytest.mark.django_db

CONTACT = "contact-secret@example.org"
PUBLIC_ROUTES = {"report_public"}


def _neighbourhood_routes() -> list[URLPattern]:
    resolver = get_resolver()
    found: list[URLPattern] = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == "neighbourhood":
            found.extend(p for p in pattern.url_patterns if isinstance(p, URLPattern))
    return found


@pytest.fixture
def world(
    make_site: Callable[..., Site], site: Site, other_site: Site, coordinator: User
) -> dict[str, Any]:
    team = make_site(
        name="Maraude nord-est",
        kind=SiteKind.OUTREACH_TEAM,
        booths_injection=0,
        lon=2.369,
        lat=48.884,
    )
    worker = User.objects.create_user(username="outreach-m", password="x" * 20)
    Membership.objects.create(user=worker, role=Role.OUTREACH, site=team)
    round_ = round_start(actor=worker, site=team, kind="pickup")
    pickup_record(
        actor=worker,
        team=team,
        item="syringe",
        place_kind="park",
        count=2,
        lon=2.3638,
        lat=48.8881,
        round_=round_,
    )
    report = report_submit(
        kind="noise", seen_at=now(), lon=2.3534, lat=48.8819, contact=CONTACT, description="bruit"
    )
    report_triage(actor=coordinator, report=report, site=other_site)
    committee = committee_record(actor=coordinator, site=site, held_on=local_today(), attendance={})
    decision = decision_add(actor=coordinator, committee=committee, text="D", owner_label="Ville")
    return {
        "values": {
            "round_id": str(round_.public_id),
            "report_id": str(report.public_id),
            "committee_id": str(committee.public_id),
            "decision_id": str(decision.public_id),
            "site_id": str(site.public_id),
        },
        "worker": worker,
    }


def _url(pattern: URLPattern, values: dict[str, str]) -> str | None:
    names = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))
    if any(n not in values for n in names):
        return None
    return reverse(f"neighbourhood:{pattern.name}", kwargs={n: values[n] for n in names})


def test_every_role_on_every_neighbourhood_screen(
    world: dict[str, Any],
    reception: User,
    nurse: User,
    manager: User,
    other_manager: User,
    coordinator: User,
    evaluator: User,
    admin_user: User,
    outsider: User,
) -> None:
    users = [
        reception,
        nurse,
        manager,
        other_manager,
        coordinator,
        evaluator,
        admin_user,
        outsider,
        world["worker"],
    ]
    leaks: list[str] = []
    checked = 0
    for user in users:
        http = Client()
        http.force_login(user)
        for pattern in _neighbourhood_routes():
            url = _url(pattern, world["values"])
            if url is None:
                continue
            answer = http.get(url)
            checked += 1
            assert answer.status_code < 500, (user.username, url)
            body = answer.content.decode("utf-8", "replace")
            if CONTACT in body and user != coordinator:
                leaks.append(f"{user.username} GET {url} shows a contact")
            if (
                pattern.name == "report"
                and answer.status_code == 200
                and user
                not in (
                    coordinator,
                    other_manager,
                )
            ):
                leaks.append(f"{user.username} GET {url} reads another site's report")
    assert leaks == []
    assert checked > 50


def test_anonymous_visitors_reach_the_public_page_only(world: dict[str, Any]) -> None:
    http = Client()
    for pattern in _neighbourhood_routes():
        url = _url(pattern, world["values"])
        if url is None or pattern.name in ("public_network", "public_site"):
            continue
        answer = http.get(url)
        if pattern.name in PUBLIC_ROUTES:
            assert answer.status_code == 200
        elif pattern.name == "report_thanks":  # public too: with nothing sent, back to the form
            assert answer["Location"] == reverse("neighbourhood:report_public")
        else:
            assert answer.status_code == 302 and "connexion" in answer["Location"], url


def test_the_api_gives_the_contact_to_the_coordinator_only(
    world: dict[str, Any], coordinator: User, other_manager: User, evaluator: User, admin_user: User
) -> None:
    report_id = world["values"]["report_id"]
    reads = [
        "/neighbourhood-reports",
        f"/neighbourhood-reports/{report_id}",
        "/pickups",
        "/mediation-rounds",
        "/committees",
    ]
    for user in (coordinator, other_manager, evaluator, admin_user, world["worker"]):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}
        for path in reads:
            answer = Client().get(f"/api/v1{path}", **headers)
            assert answer.status_code in (200, 404), (user.username, path)
            shows = CONTACT in answer.content.decode()
            expected = user == coordinator and path.endswith(report_id)
            assert shows == expected, (user.username, path)
    assert Client().get("/api/v1/neighbourhood-reports").status_code == 401
