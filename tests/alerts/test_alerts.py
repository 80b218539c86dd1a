"""Issuing an alert, the banner on front-line screens until each person has acknowledged it, the
coordination's view of who has not seen it, the API for phones, the public page and feed."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from halte.accounts.models import User
from halte.alerts.models import Acknowledgement, Alert
from halte.audit.models import AuditEvent
from halte.core.errors import DomainError
from halte.core.timeutils import PARIS, now
from halte.network.models import Site


def _valid_until() -> str:
    return (now() + dt.timedelta(days=3)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def test_the_coordinator_issues_an_alert_from_the_form(
    coordinator: User, site: Site, team: Site, login: Callable[[User], Client]
) -> None:
    http = login(coordinator)
    assert http.get("/alertes/emettre/").status_code == 200
    response = http.post(
        "/alertes/emettre/",
        {
            "severity": "danger",
            "product": "heroin",
            "title": "Héroïne avec nitazène",
            "looks_like": "Poudre marron, sachets bleus",
            "seen_in": "Paris 18e",
            "advice": "Ne pas consommer seul·e ; naloxone à portée.",
            "valid_until": _valid_until(),
            "sites": [str(site.public_id), str(team.public_id)],
            "is_public": "on",
        },
    )
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{alert.public_id}/")
    assert set(alert.sites.all()) == {site, team}
    event = AuditEvent.objects.get(action="alert.issued")
    assert event.payload["severity"] == "danger" and "title" not in event.payload


def test_a_bad_alert_is_refused_in_french_and_writes_nothing(
    coordinator: User, login: Callable[[User], Client]
) -> None:
    response = login(coordinator).post(
        "/alertes/emettre/",
        {
            "severity": "danger",
            "product": "heroin",
            "title": "X",
            "looks_like": "Poudre",
            "seen_in": "Paris 18e",
            "advice": "Prudence",
            "valid_until": _valid_until(),
        },
    )
    assert response.status_code == 200
    assert "Choisissez les sites et équipes visés" in response.content.decode()
    assert not Alert.objects.exists()


def test_only_the_coordination_issues(
    nurse: User, manager: User, evaluator: User, login: Callable[[User], Client]
) -> None:
    for user in (nurse, manager, evaluator):
        assert login(user).get("/alertes/emettre/").status_code == 404


def test_the_banner_shows_until_acknowledged_then_is_gone_for_that_person_only(
    site: Site,
    reception: User,
    nurse: User,
    other_manager: User,
    other_site: Site,
    coordinator: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
) -> None:
    alert = issue(site, title="Cathinone vendue comme cocaïne")
    desk = f"/sites/{site.public_id}/accueil/"
    http = login(reception)
    page = http.get(desk).content.decode()
    assert "Cathinone vendue comme cocaïne" in page and "data-acknowledge" in page
    # Another site's staff does not see it.
    other = login(other_manager).get(f"/sites/{other_site.public_id}/accueil/").content.decode()
    assert "Cathinone vendue comme cocaïne" not in other
    # Not on a screen where nobody is met (the network map).
    assert "Cathinone" not in http.get("/reseau/").content.decode()

    response = http.post(f"/alertes/{alert.public_id}/vue/", {"next": desk, "channel": "desk"})
    assert response.status_code == 302 and response["Location"] == desk
    assert "Cathinone vendue comme cocaïne" not in http.get(desk).content.decode()
    ack = Acknowledgement.objects.get()
    assert ack.user == reception and ack.channel == "desk"
    assert AuditEvent.objects.filter(action="alert.acknowledged", actor=reception).count() == 1
    # Twice is once.
    http.post(f"/alertes/{alert.public_id}/vue/", {"next": "https://evil.example/"})
    assert Acknowledgement.objects.count() == 1
    # The nurse still sees it in the room.
    room = login(nurse).get(f"/sites/{site.public_id}/salle/").content.decode()
    assert "Cathinone vendue comme cocaïne" in room

    User.objects.filter(pk=reception.pk).update(first_name="Inès", last_name="Morel")
    follow = login(coordinator).get(f"/alertes/{alert.public_id}/").content.decode()
    assert "pas encore vue par 1" in follow
    not_seen = follow.split("data-not-seen>")[1].split("</ul>")[0]
    assert "nurse · Infirmier·e / soignant·e" in not_seen and "reception" not in not_seen
    seen = follow.split("data-seen>")[1].split("</ul>")[0]
    assert "Inès Morel · Accueil · " in seen and "reception" not in seen  # a name, not a login
    assert "other-manager" not in follow


def test_someone_not_addressed_cannot_acknowledge(
    site: Site,
    other_manager: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
) -> None:
    alert = issue(site)
    assert login(other_manager).post(f"/alertes/{alert.public_id}/vue/").status_code == 404
    assert not Acknowledgement.objects.exists()


def test_a_withdrawn_or_expired_alert_leaves_the_screens_and_the_feed(
    site: Site,
    reception: User,
    coordinator: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
) -> None:
    alert = issue(all_sites=True, title="Alerte réseau")
    desk = f"/sites/{site.public_id}/accueil/"
    assert "Alerte réseau" in login(reception).get(desk).content.decode()
    assert len(Client().get("/api/v1/alerts/feed").json()["alerts"]) == 1
    login(coordinator).post(f"/alertes/{alert.public_id}/retrait/")
    assert "Alerte réseau" not in login(reception).get(desk).content.decode()
    assert Client().get("/api/v1/alerts/feed").json()["alerts"] == []


def test_the_banner_costs_one_query(
    site: Site,
    reception: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory
    from django.urls import resolve

    for n in range(4):
        issue(site, title=f"Alerte {n}")
    request = RequestFactory().get(f"/sites/{site.public_id}/accueil/")
    request.user = reception
    request.resolver_match = resolve(request.path)
    template = Template('{% include "alerts/_banner.html" %}')
    with django_assert_max_num_queries(1):
        html = template.render(Context({"request": request, "csrf_token": "x"}))
    assert html.count("data-acknowledge") == 4


def test_the_coordination_board_has_a_query_budget(
    site: Site,
    coordinator: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(6):
        issue(site, title=f"Alerte {n}")
    http = login(coordinator)
    http.get("/alertes/")
    with django_assert_max_num_queries(24):
        assert http.get("/alertes/").status_code == 200


def test_a_phone_syncs_its_alerts_and_acknowledges_them_offline(
    team: Site,
    outreach_worker: User,
    issue: Callable[..., Alert],
    login: Callable[[User], Client],
) -> None:
    alert = issue(team, title="Comprimés bleus")
    http = login(outreach_worker)
    current = http.get("/api/v1/alerts/current").json()
    assert [a["title"] for a in current["alerts"]] == ["Comprimés bleus"]
    key = str(uuid.uuid4())
    first = http.post(f"/api/v1/alerts/{alert.public_id}/acknowledge", HTTP_IDEMPOTENCY_KEY=key)
    again = http.post(f"/api/v1/alerts/{alert.public_id}/acknowledge", HTTP_IDEMPOTENCY_KEY=key)
    third = http.post(f"/api/v1/alerts/{alert.public_id}/acknowledge")
    assert first.status_code == again.status_code == third.status_code == 200
    assert first.json() == again.json()
    assert first.json()["acknowledged_at"] == third.json()["acknowledged_at"]
    assert first.json()["channel"] == "phone"
    assert Acknowledgement.objects.count() == 1
    assert http.get("/api/v1/alerts/current").json()["alerts"] == []


def test_the_api_issues_lists_and_follows_alerts(
    site: Site,
    nurse: User,
    coordinator: User,
    other_manager: User,
    login: Callable[[User], Client],
) -> None:
    http = login(coordinator)
    body = {
        "severity": "warning",
        "product": "cocaine",
        "title": "Cocaïne au lévamisole",
        "looks_like": "Poudre blanche",
        "seen_in": "Paris 10e",
        "advice": "Vigilance.",
        "valid_until": (now() + dt.timedelta(days=2)).isoformat(),
        "sites": [str(site.public_id)],
    }
    created = http.post("/api/v1/alerts", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    alert_id = created.json()["id"]
    follow = http.get(f"/api/v1/alerts/{alert_id}/acknowledgements").json()
    assert follow == {"seen": [], "not_seen": ["nurse"]}
    assert [a["id"] for a in login(nurse).get("/api/v1/alerts").json()] == [alert_id]
    assert login(other_manager).get(f"/api/v1/alerts/{alert_id}").status_code == 404
    refused = login(nurse).post("/api/v1/alerts", json.dumps(body), content_type="application/json")
    assert refused.status_code == 404
    bad = http.post(
        "/api/v1/alerts",
        json.dumps({**body, "valid_until": "2020-01-01T00:00:00+01:00"}),
        content_type="application/json",
    )
    assert bad.status_code == 422 and "futur" in bad.json()["error"]["message"]


def test_the_public_page_and_feed_show_products_and_areas_only(
    site: Site, issue: Callable[..., Alert], django_assert_max_num_queries: Any
) -> None:
    issue(site, title="Héroïne au nitazène", seen_in="Paris 18e")
    issue(site, title="Interne", is_public=False)
    with django_assert_max_num_queries(3):
        page = Client().get("/alertes/public/")
    html = page.content.decode()
    assert page.status_code == 200 and "Héroïne au nitazène" in html
    assert "Interne" not in html and site.name not in html
    feed = Client().get("/api/v1/alerts/feed").json()
    assert [a["title"] for a in feed["alerts"]] == ["Héroïne au nitazène"]
    assert set(feed["alerts"][0]) == {
        "id",
        "severity",
        "product",
        "title",
        "looks_like",
        "seen_in",
        "advice",
        "issued_at",
        "valid_until",
        "invented",
    }
    assert site.name not in json.dumps(feed)


def test_the_public_reads_are_throttled(settings: Any, db: None) -> None:
    """The feed's limiter is built at import from the "read" rate: ask that many times."""
    allowed = int(settings.HALTE_PUBLIC_RATES["read"].split("/")[0])
    http = Client(REMOTE_ADDR="203.0.113.19")
    codes = {http.get("/api/v1/alerts/feed").status_code for _ in range(allowed)}
    assert codes == {200}
    assert http.get("/api/v1/alerts/feed").status_code == 429
    assert http.get("/alertes/public/").status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.20").get("/alertes/public/").status_code == 200


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"severity": "apocalypse"}, "severity", "Valeur inconnue."),
        ({"product": "licorne"}, "product", "Valeur inconnue."),
        ({"title": "x" * 121}, "title", "120 caractères au plus"),
        ({"seen_in": "x" * 161}, "seen_in", "160 caractères au plus"),
        ({"advice": "x" * 1501}, "advice", "1500 caractères au plus"),
        ({"advice": "   "}, "advice", "obligatoire"),
    ],
)
def test_a_bad_draft_is_refused_on_its_field(
    issue: Callable[..., Alert], site: Site, fields: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        issue(site, **fields)
    assert refused.value.field == field and words in refused.value.message
    assert not Alert.objects.exists()
