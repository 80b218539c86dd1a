"""The access matrix, extended to samples and alerts: every alerts screen and API read × every
role × an object of another site. Another site's samples and the alerts addressed only to it do
not exist for its neighbours (404, and their references never appear); the coordination sees the
network; evaluators read the reports, not the samples."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.alerts.services import AlertDraft, alert_issue, sample_record
from halte.core.timeutils import now
from halte.network.models import Site

ROLES = [
    "reception-paris",
    "nurse-paris",
    "manager-paris",
    "coordinator",
    "evaluator",
    "outreach-nord-est",
    "night-sleepin",
]
COORDINATION = {"coordinator", "admin"}
LISTS = [
    "/alertes/",
    "/alertes/echantillons/",
    "/alertes/echantillons/nouveau/",
    "/alertes/echantillons/import/",
    "/alertes/emettre/",
    "/alertes/public/",
    "/api/v1/samples",
    "/api/v1/alerts",
    "/api/v1/alerts/current",
    "/api/v1/alerts/signals",
    "/api/v1/alerts/feed",
]


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    call_command("load_demo")
    call_command("load_alerts_demo")
    other = Site.objects.get(slug="strasbourg-hsa")
    nurse = User.objects.create_user(username="nurse-strasbourg", password="x" * 20)
    Membership.objects.create(user=nurse, role=Role.NURSE, site=other)
    sample = sample_record(
        actor=nurse,
        site=other,
        sold_as="heroin",
        believed="heroin",
        form="powder",
        route="injection",
        circumstance="routine",
    )
    alert = alert_issue(
        actor=User.objects.get(username="coordinator"),
        draft=AlertDraft(
            severity="danger",
            product="heroin",
            title="Alerte de Strasbourg seulement",
            looks_like="Poudre",
            seen_in="Strasbourg",
            advice="Prudence.",
            valid_until=now() + dt.timedelta(days=2),
            is_public=False,
        ),
        sites=[other],
    )
    return {"sample": sample, "alert": alert}


def test_no_role_reaches_another_sites_samples_or_alerts(world: dict[str, Any]) -> None:
    sample, alert = world["sample"], world["alert"]
    objects = [
        f"/alertes/echantillons/{sample.public_id}/",
        f"/api/v1/samples/{sample.public_id}",
        f"/alertes/{alert.public_id}/",
        f"/api/v1/alerts/{alert.public_id}",
        f"/api/v1/alerts/{alert.public_id}/acknowledgements",
    ]
    leaks: list[str] = []
    errors: list[str] = []
    for username in ROLES:
        http = Client()
        http.force_login(User.objects.get(username=username))
        for url in objects:
            status = http.get(url).status_code
            expected = 200 if username in COORDINATION else 404
            if status != expected:
                leaks.append(f"{username} GET {url} → {status}, expected {expected}")
        for url in LISTS:
            response = http.get(url)
            if response.status_code >= 500:
                errors.append(f"{username} GET {url} → {response.status_code}")
            body = response.content.decode()
            if username not in COORDINATION and (
                sample.reference in body or "Strasbourg seulement" in body
            ):
                leaks.append(f"{username} GET {url} shows another site's sample or alert")
        acknowledged = http.post(f"/alertes/{alert.public_id}/vue/")
        if acknowledged.status_code != 404:
            leaks.append(f"{username} acknowledged another site's alert")
        results = http.post(f"/alertes/echantillons/{sample.public_id}/resultat/", {})
        if results.status_code != 404 and username not in COORDINATION:
            leaks.append(f"{username} could post another site's result")
    assert errors == []
    assert leaks == []


def test_only_the_coordination_issues_and_follows(world: dict[str, Any]) -> None:
    for username in ROLES:
        http = Client()
        http.force_login(User.objects.get(username=username))
        issue = http.get("/alertes/emettre/").status_code
        signals = http.get("/api/v1/alerts/signals").status_code
        assert (issue, signals) == ((200, 200) if username in COORDINATION else (404, 404)), (
            username
        )


def test_the_matrix_would_see_a_leak(world: dict[str, Any]) -> None:
    """Control: Strasbourg's own nurse does reach them, so the checks above can fail."""
    http = Client()
    http.force_login(User.objects.get(username="nurse-strasbourg"))
    sample, alert = world["sample"], world["alert"]
    assert http.get(f"/alertes/echantillons/{sample.public_id}/").status_code == 200
    assert http.get(f"/alertes/{alert.public_id}/").status_code == 200
    assert sample.reference in http.get("/alertes/echantillons/").content.decode()
    assert "Strasbourg seulement" in http.get("/api/v1/alerts/current").content.decode()
