"""The access matrix, extended to the survey week: every survey screen and API route × every demo
role × a week of another site. Another site's week does not exist for its neighbours (404, its id
never listed); the coordination follows it without ever reading a person's code; evaluators get
nothing person-level."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.clients.services import client_register
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.surveys.answers import Answers
from halte.surveys.services import questionnaire_record, survey_week_open
from halte.visits.services import visit_open

pytestmark = pytest.mark.django_db

ROLES = [
    "reception-paris",
    "nurse-paris",
    "manager-paris",
    "coordinator",
    "evaluator",
    "outreach-nord-est",
    "night-sleepin",
    "admin",
]
COORDINATION = {"coordinator", "admin"}
LISTS = ["/enquetes/", "/api/v1/surveys/weeks"]


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    call_command("load_demo")
    other = Site.objects.get(slug="strasbourg-hsa")
    manager = User.objects.create_user(username="manager-strasbourg", password="x" * 20)
    Membership.objects.create(user=manager, role=Role.MANAGER, site=other)
    week = survey_week_open(actor=manager, site=other, starts_on=local_today())
    person, _ = client_register(
        actor=manager,
        site=other,
        family_name="Zimmer",
        given_name="Odile",
        birth_date=dt.date(1975, 5, 5),
        sex="woman",
    )
    visit_open(actor=manager, site=other, client=person, purposes=["material"])
    questionnaire_record(actor=manager, week=week, client=person, answers=Answers(sex="woman"))
    return {"week": week, "person": person}


def test_no_role_reaches_another_sites_survey_week(world: dict[str, Any]) -> None:
    week, person = world["week"], world["person"]
    w = week.public_id
    reads = {
        f"/enquetes/{w}/": True,
        f"/enquetes/{w}/resultats.xlsx": True,
        f"/enquetes/{w}/resultats.csv": True,
        f"/enquetes/{w}/questionnaire/": False,
        f"/enquetes/{w}/questionnaire/?personne={person.public_id}": False,
        f"/api/v1/surveys/weeks/{w}": True,
        f"/api/v1/surveys/weeks/{w}/export": True,
        f"/api/v1/surveys/weeks/{w}/prefill": True,
        f"/api/v1/surveys/weeks/{w}/prefill?client={person.public_id}": False,
    }
    writes = [
        f"/enquetes/{w}/questionnaire/",
        f"/enquetes/{w}/non-repondant/",
        f"/enquetes/{w}/personne/",
        f"/enquetes/{w}/cloture/",
    ]
    leaks: list[str] = []
    errors: list[str] = []
    codes = (person.code, person.display_code)
    for username in ROLES:
        http = Client()
        http.force_login(User.objects.get(username=username))
        for url, coordination_reads in reads.items():
            response = http.get(url)
            expected = 200 if username in COORDINATION and coordination_reads else 404
            if response.status_code != expected:
                leaks.append(f"{username} GET {url} → {response.status_code}, not {expected}")
            if any(code in response.content.decode("utf-8", "replace") for code in codes):
                leaks.append(f"{username} GET {url} shows the person's code")
        for url in LISTS:
            response = http.get(url)
            if response.status_code >= 500:
                errors.append(f"{username} GET {url} → {response.status_code}")
            listed = str(w) in response.content.decode()
            if listed != (username in COORDINATION):
                leaks.append(f"{username} GET {url} lists the week: {listed}")
        for url in writes:
            status = http.post(url, {"reason": "refused"}).status_code
            if status not in (404, 405) and username not in COORDINATION:
                leaks.append(f"{username} POST {url} → {status}")
    assert errors == []
    assert leaks == []
    week.refresh_from_db()
    # Only the coordination could close it (it follows every site's week); no one else wrote.
    assert week.closed_by is not None and week.closed_by.username in COORDINATION
    assert week.non_responses.count() == 0
    assert week.questionnaires.count() == 1


def test_the_matrix_would_see_a_leak(world: dict[str, Any]) -> None:
    """Control: the week's own manager reads all of it, so the matrix above would notice."""
    http = Client()
    http.force_login(User.objects.get(username="manager-strasbourg"))
    w = world["week"].public_id
    for url in (f"/enquetes/{w}/", f"/api/v1/surveys/weeks/{w}", f"/enquetes/{w}/questionnaire/"):
        assert http.get(url).status_code == 200, url
    assert str(w) in http.get("/enquetes/").content.decode()
