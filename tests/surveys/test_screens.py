"""The survey week's screens as plain form posts: opening, the questionnaire (prefilled, refused
input kept on the form with nothing written), the non-respondents' buttons, closing, the files;
the front desk's reminder on the person's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.clients.models import Client
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.visits.models import Visit

pytestmark = pytest.mark.django_db

Login = Callable[[User], HttpClient]


def test_the_manager_opens_a_week_from_the_list(site: Site, manager: User, login: Login) -> None:
    http = login(manager)
    page = http.get("/enquetes/")
    assert page.status_code == 200 and "Ouvrir la semaine" in page.content.decode()
    done = http.post(
        "/enquetes/", {"site": str(site.public_id), "starts_on": local_today().isoformat()}
    )
    week = SurveyWeek.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/enquetes/{week.public_id}/"
    again = http.post(
        "/enquetes/", {"site": str(site.public_id), "starts_on": local_today().isoformat()}
    )
    assert again.status_code == 200 and "déjà ouverte" in again.content.decode()
    assert SurveyWeek.objects.count() == 1


def test_reception_runs_the_week_but_does_not_open_or_close_it(
    week: SurveyWeek, reception: User, login: Login
) -> None:
    http = login(reception)
    assert "Ouvrir la semaine" not in http.get("/enquetes/").content.decode()
    page = http.get(f"/enquetes/{week.public_id}/").content.decode()
    assert "Questionnaire sans code" in page and "Clore la semaine" not in page
    assert "resultats.xlsx" not in page
    assert http.get(f"/enquetes/{week.public_id}/resultats.xlsx").status_code == 404
    http.post(f"/enquetes/{week.public_id}/cloture/")
    week.refresh_from_db()
    assert week.is_open


def test_the_questionnaire_is_prefilled_and_recorded(
    week: SurveyWeek, person: Client, reception: User, came: Visit, login: Login
) -> None:
    http = login(reception)
    url = f"/enquetes/{week.public_id}/questionnaire/?personne={person.public_id}"
    form = http.get(url).content.decode()
    assert re.search(r'name="sex" value="woman"[^>]*checked', form)
    assert not re.search(r'name="sex" value="man"[^>]*checked', form)
    assert 'name="birth_year" value="1985"' in form
    posted = http.post(
        url,
        {
            "personne": str(person.public_id),
            "day": local_today().isoformat(),
            "sex": "woman",
            "birth_year": "1985",
            "housing": "hotel",
            "products": ["crack"],
            "main_product": "crack",
            "no_route": "on",
            "injected_30d": "no",
        },
    )
    assert posted.status_code == 302
    stored = Questionnaire.objects.get()
    assert (stored.client, stored.housing, stored.products, stored.routes_given) == (
        person,
        "hotel",
        ["crack"],
        "given",
    )
    assert stored.routes == [] and stored.resources == "not_given"
    page = http.get(f"/personnes/{person.public_id}/").content.decode()
    assert "A déjà répondu cette semaine." in page


def test_a_refused_questionnaire_keeps_the_form_and_writes_nothing(
    week: SurveyWeek, reception: User, login: Login
) -> None:
    http = login(reception)
    refused = http.post(
        f"/enquetes/{week.public_id}/questionnaire/",
        {"day": local_today().isoformat(), "products": ["crack"], "main_product": "heroin"},
    )
    assert refused.status_code == 200
    assert "Rien n'a été enregistré" in refused.content.decode()
    both = http.post(
        f"/enquetes/{week.public_id}/questionnaire/",
        {"day": local_today().isoformat(), "products": ["crack"], "no_product": "on"},
    )
    assert "pas les deux" in both.content.decode()
    assert not Questionnaire.objects.exists()


def test_the_person_page_reminds_the_desk_of_the_week(
    week: SurveyWeek, person: Client, reception: User, other_manager: User, login: Login
) -> None:
    page = login(reception).get(f"/personnes/{person.public_id}/").content.decode()
    assert "ENa-CAARUD" in page and f"?personne={person.public_id}" in page
    elsewhere = login(other_manager).get(f"/personnes/{person.public_id}/")
    assert elsewhere.status_code == 200 and "ENa-CAARUD" not in elsewhere.content.decode()


def test_non_respondents_are_counted_with_one_tap_and_taken_back(
    week: SurveyWeek, reception: User, login: Login
) -> None:
    http = login(reception)
    url = f"/enquetes/{week.public_id}/non-repondant/"
    http.post(url, {"reason": "refused"})
    http.post(url, {"reason": "refused"})
    http.post(url, {"reason": "refused", "day": local_today().isoformat(), "remove": "on"})
    http.post(url, {"reason": "bored"})
    assert list(NonResponse.objects.values_list("reason", "count")) == [("refused", 1)]
    page = http.get(f"/enquetes/{week.public_id}/").content.decode()
    assert 'data-testid="non-respondent-count">1<' in page


def test_the_manager_closes_and_downloads(week: SurveyWeek, manager: User, login: Login) -> None:
    http = login(manager)
    xlsx = http.get(f"/enquetes/{week.public_id}/resultats.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    csv = http.get(f"/enquetes/{week.public_id}/resultats.csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert f"ena-caarud_{week.site.slug}_{week.edition_year}.csv" in csv["Content-Disposition"]
    http.post(f"/enquetes/{week.public_id}/cloture/")
    week.refresh_from_db()
    assert not week.is_open
    assert http.get(f"/enquetes/{week.public_id}/questionnaire/").status_code == 404


def test_another_site_and_network_evaluators_see_nothing(
    week: SurveyWeek, other_manager: User, evaluator: User, coordinator: User, login: Login
) -> None:
    for user in (other_manager, evaluator):
        http = login(user)
        for url in ("", "questionnaire/", "resultats.xlsx", "resultats.csv"):
            assert http.get(f"/enquetes/{week.public_id}/{url}").status_code == 404, (user, url)
        posted = http.post(f"/enquetes/{week.public_id}/non-repondant/", {"reason": "refused"})
        assert posted.status_code == 404
        assert not NonResponse.objects.exists()
    coordination = login(coordinator)
    assert coordination.get(f"/enquetes/{week.public_id}/").status_code == 200
    assert coordination.get(f"/enquetes/{week.public_id}/resultats.xlsx").status_code == 200


def test_a_code_typed_at_the_week_page_opens_the_prefilled_questionnaire(
    week: SurveyWeek, person: Client, reception: User, login: Login
) -> None:
    http = login(reception)
    url = f"/enquetes/{week.public_id}/personne/"
    found = http.post(url, {"code": person.display_code.lower()})
    assert found.status_code == 302
    assert found["Location"].endswith(f"/questionnaire/?personne={person.public_id}")
    unknown = http.post(url, {"code": "ZZZZ-ZZZZ-ZZZZ"}, follow=True)
    assert "Aucune personne avec ce code" in unknown.content.decode()
    assert person.code not in unknown.redirect_chain[-1][0]


def test_the_week_page_reads_in_a_fixed_number_of_queries(
    week: SurveyWeek, reception: User, login: Login, django_assert_max_num_queries: Any
) -> None:
    from halte.surveys.answers import Answers
    from halte.surveys.services import non_respondent_add, questionnaire_record

    http = login(reception)
    http.get(f"/enquetes/{week.public_id}/")
    for _ in range(25):
        questionnaire_record(actor=reception, week=week, answers=Answers(sex="man"))
    for day in week.days()[:3]:
        non_respondent_add(actor=reception, week=week, reason="unable", day=day)
    with django_assert_max_num_queries(20):
        page = http.get(f"/enquetes/{week.public_id}/")
    assert page.content.decode().count("<td>Homme</td>") == 25
