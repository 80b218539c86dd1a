"""The survey week through the API: open, list, read, prefill, record, count, close, export; the
Idempotency-Key replays a POST instead of doing it twice; the access rules answer 404 for what
the caller may not see; nothing carries a person's code."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.visits.models import Visit
from tests.api_client import Api

pytestmark = pytest.mark.django_db


def test_a_manager_opens_a_week_once_even_when_the_request_is_sent_twice(
    site: Site, manager: User
) -> None:
    api = Api(manager)
    body = {"site": str(site.public_id), "starts_on": local_today().isoformat()}
    first = api.post("/surveys/weeks", body, key="open-week-1")
    again = api.post("/surveys/weeks", body, key="open-week-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert SurveyWeek.objects.count() == 1
    assert first.json()["ends_on"] == (local_today() + dt.timedelta(days=6)).isoformat()
    second = api.post("/surveys/weeks", body, key="open-week-2")
    assert second.status_code == 409
    assert [w["id"] for w in api.get("/surveys/weeks").json()] == [first.json()["id"]]


def test_reception_and_other_sites_cannot_open(
    site: Site, reception: User, other_manager: User
) -> None:
    body = {"site": str(site.public_id), "starts_on": local_today().isoformat()}
    assert Api(reception).post("/surveys/weeks", body).status_code == 404
    assert Api(other_manager).post("/surveys/weeks", body).status_code == 404
    assert not SurveyWeek.objects.exists()


def test_a_prefilled_questionnaire_is_recorded_once(
    week: SurveyWeek, person: Client, reception: User, came: Visit
) -> None:
    api = Api(reception)
    base = f"/surveys/weeks/{week.public_id}"
    proposed = api.get(f"{base}/prefill?client={person.public_id}").json()
    assert proposed["answers"]["sex"] == "woman" and proposed["answers"]["birth_year"] == 1985
    assert proposed["sources"] == {"sex": "record", "birth_year": "record"}
    answers = proposed["answers"] | {"housing": "street", "shared_material": "no"}
    body = {"client": str(person.public_id), "answers": answers}
    made = api.post(f"{base}/questionnaires", body, key="q-1")
    assert made.status_code == 201, made.content
    assert made.json()["number"] == 1 and made.json()["with_code"] is True
    assert person.code not in made.content.decode()
    assert api.post(f"{base}/questionnaires", body, key="q-1").json() == made.json()
    assert api.post(f"{base}/questionnaires", body, key="q-2").status_code == 409
    stored = Questionnaire.objects.get()
    assert (stored.housing, stored.shared_material) == ("street", "no")


def test_bad_answers_are_refused_with_the_item_named(week: SurveyWeek, reception: User) -> None:
    api = Api(reception)
    base = f"/surveys/weeks/{week.public_id}"
    contradiction = {
        "answers": {"routes_given": "given", "routes": ["injection"], "injected_30d": "no"}
    }
    refused = api.post(f"{base}/questionnaires", contradiction)
    assert refused.status_code == 422
    assert "injected_30d" in refused.content.decode()
    unknown = api.post(f"{base}/questionnaires", {"answers": {"housing": "palace"}})
    assert unknown.status_code == 422
    typo = api.post(f"{base}/questionnaires", {"answers": {}, "name": "x"})
    assert typo.status_code == 422
    assert not Questionnaire.objects.exists()


def test_non_respondents_are_counted_and_the_week_reads_day_by_day(
    week: SurveyWeek, reception: User
) -> None:
    api = Api(reception)
    base = f"/surveys/weeks/{week.public_id}"
    assert api.post(f"{base}/questionnaires", {"answers": {}}).status_code == 201
    counted = api.post(f"{base}/non-respondents", {"reason": "refused", "count": 2}, key="n-1")
    assert counted.status_code == 201 and counted.json()["count"] == 2
    replay = api.post(f"{base}/non-respondents", {"reason": "refused", "count": 2}, key="n-1")
    assert replay.json() == counted.json()
    assert NonResponse.objects.get().count == 2
    read = api.get(base).json()
    assert read["questionnaires"] == 1
    assert read["non_respondents"] == {"refused": 2, "unable": 0, "already_answered": 0}
    assert read["response_rate"] == pytest.approx(33.3)
    assert len(read["days"]) == 7
    assert api.post(f"{base}/non-respondents", {"reason": "bored"}).status_code == 422


def test_close_and_export_are_for_the_manager(
    week: SurveyWeek, reception: User, manager: User, evaluator: User
) -> None:
    base = f"/surveys/weeks/{week.public_id}"
    assert Api(reception).post(f"{base}/close").status_code == 404
    assert Api(reception).get(f"{base}/export").status_code == 404
    assert Api(evaluator).get(base).status_code == 404
    response = Api(manager).get(f"{base}/export?format=xlsx")
    assert response.status_code == 200
    slug = week.site.slug
    assert f"ena-caarud_{slug}_{week.edition_year}.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Questionnaires", "Non-répondants", "Agrégats", "Codes"]
    assert AuditEvent.objects.filter(action="survey_week.exported").count() == 1
    closed = Api(manager).post(f"{base}/close")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert Api(manager).post(f"{base}/close").status_code == 409


def test_another_sites_week_does_not_exist_for_its_neighbours(
    week: SurveyWeek, other_manager: User, coordinator: User
) -> None:
    base = f"/surveys/weeks/{week.public_id}"
    other = Api(other_manager)
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/prefill").status_code == 404
    assert other.post(f"{base}/questionnaires", {"answers": {}}).status_code == 404
    assert other.post(f"{base}/non-respondents", {"reason": "refused"}).status_code == 404
    assert other.get(f"{base}/export").status_code == 404
    assert other.get("/surveys/weeks").json() == []
    assert Api(coordinator).get(base).status_code == 200
