"""The survey week's rules: who opens it, one open week per site and one per edition, a
questionnaire prefilled from the person's record and situation (which the survey leaves as it
was), a person answering once and only if they came, non-respondents counted and never linked,
bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.http import Http404

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.services import care_act_record
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import local_today
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.pathway.enums import Asked, Coverage, Housing, Resources
from halte.pathway.models import Situation
from halte.pathway.services import Answers as SituationAnswers
from halte.pathway.services import situation_record
from halte.surveys.answers import Answers
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.surveys.selectors import prefill, week_table
from halte.surveys.services import (
    non_respondent_add,
    non_respondent_remove,
    questionnaire_record,
    survey_week_close,
    survey_week_open,
)
from halte.visits.models import Visit

pytestmark = pytest.mark.django_db


def test_a_week_lasts_seven_days_and_is_audited(week: SurveyWeek) -> None:
    assert week.ends_on - week.starts_on == dt.timedelta(days=6)
    assert week.edition_year == week.starts_on.year
    assert AuditEvent.objects.filter(action="survey_week.opened", object_id=week.audit_id).exists()


def test_one_open_week_per_site_and_one_per_edition(
    week: SurveyWeek, site: Site, manager: User
) -> None:
    with pytest.raises(ConflictError):
        survey_week_open(actor=manager, site=site, starts_on=local_today())
    survey_week_close(actor=manager, week=week)
    with pytest.raises(ConflictError):
        survey_week_open(actor=manager, site=site, starts_on=local_today())
    assert SurveyWeek.objects.count() == 1


def test_only_a_manager_or_the_coordination_opens_and_only_at_a_caarud(
    site: Site,
    reception: User,
    coordinator: User,
    other_manager: User,
    make_site: Callable[..., Site],
) -> None:
    for refused in (reception, other_manager):
        with pytest.raises(Http404):
            survey_week_open(actor=refused, site=site, starts_on=local_today())
    shelter = make_site(kind=SiteKind.NIGHT_SHELTER, booths_injection=0)
    with pytest.raises(DomainError):
        survey_week_open(actor=coordinator, site=shelter, starts_on=local_today())
    assert not SurveyWeek.objects.exists()
    assert survey_week_open(actor=coordinator, site=site, starts_on=local_today()).is_open


def test_a_start_far_in_the_past_or_a_wrong_edition_is_refused(site: Site, manager: User) -> None:
    with pytest.raises(DomainError) as far:
        survey_week_open(actor=manager, site=site, starts_on=local_today() - dt.timedelta(days=40))
    assert far.value.field == "starts_on"
    with pytest.raises(DomainError) as edition:
        survey_week_open(actor=manager, site=site, starts_on=local_today(), edition_year=2001)
    assert edition.value.field == "edition_year"
    assert not SurveyWeek.objects.exists()


def _situation(person: Client, site: Site, nurse: User) -> Situation:
    return situation_record(
        actor=nurse,
        site=site,
        client=person,
        answers=SituationAnswers(
            housing=Housing.SQUAT,
            coverage=Coverage.AME,
            resources=Resources.RSA,
            products_asked=Asked.ANSWERED,
            products=("crack", "morphine"),
            routes_asked=Asked.ANSWERED,
            routes=("inhalation", "injection"),
        ),
    )


def test_the_questionnaire_is_prefilled_from_the_record_and_the_situation(
    week: SurveyWeek, person: Client, site: Site, nurse: User, reception: User, came: Visit
) -> None:
    _situation(person, site, nurse)
    care_act_record(actor=nurse, visit=came, kind="trod_hcv", result="negative")
    for_nurse = prefill(nurse, week, person)
    answers = for_nurse.answers
    assert (answers.sex, answers.birth_year) == ("woman", 1985)
    assert (answers.housing, answers.coverage, answers.resources) == ("squat", "ame", "rsa")
    assert answers.products == ("crack", "morphine") and answers.products_given == "given"
    assert answers.routes == ("inhalation", "injection") and answers.injected_30d == "yes"
    assert (answers.hcv_tested_12m, answers.hcv_result_known) == ("yes", "yes")
    assert answers.hiv_tested_12m == "not_given"
    assert for_nurse.sources["housing"] == "situation" and for_nurse.sources["sex"] == "record"
    # Resources and tests are read by care roles only: the front desk gets them blank.
    at_desk = prefill(reception, week, person).answers
    assert at_desk.housing == "squat"
    assert (at_desk.resources, at_desk.hcv_tested_12m) == ("not_given", "not_given")


def test_what_staff_change_is_recorded_and_the_situation_is_left_as_it_was(
    week: SurveyWeek, person: Client, site: Site, nurse: User, came: Visit
) -> None:
    situation = _situation(person, site, nurse)
    proposed = prefill(nurse, week, person).answers
    recorded = questionnaire_record(
        actor=nurse,
        week=week,
        client=person,
        answers=proposed.replace(housing="hotel", shared_material="no", main_product="crack"),
    )
    assert (recorded.number, recorded.housing, recorded.main_product) == (1, "hotel", "crack")
    assert recorded.age == local_today().year - 1985
    situation.refresh_from_db()
    assert situation.housing == Housing.SQUAT
    assert Situation.objects.filter(client=person).count() == 1
    event = AuditEvent.objects.get(action="survey_questionnaire.recorded")
    assert person.code not in str(event.payload) and "hotel" not in str(event.payload)


def test_a_person_answers_once_a_week_and_only_if_they_came(
    week: SurveyWeek, person: Client, reception: User
) -> None:
    with pytest.raises(DomainError) as absent:
        questionnaire_record(actor=reception, week=week, client=person, answers=Answers())
    assert absent.value.field == "client"
    Visit.objects.create(
        site=week.site, client=person, arrived_at=week_start(week), opened_by=reception
    )
    questionnaire_record(actor=reception, week=week, client=person, answers=Answers())
    with pytest.raises(ConflictError):
        questionnaire_record(actor=reception, week=week, client=person, answers=Answers())
    assert Questionnaire.objects.count() == 1


def week_start(week: SurveyWeek) -> dt.datetime:
    from halte.core.timeutils import paris_instant

    return paris_instant(week.starts_on, dt.time(15, 0))


def test_anonymous_questionnaires_are_numbered_in_turn_without_prefill(
    week: SurveyWeek, reception: User
) -> None:
    assert prefill(reception, week, None).answers == Answers()
    first = questionnaire_record(actor=reception, week=week, answers=Answers(sex="man"))
    second = questionnaire_record(actor=reception, week=week, answers=Answers())
    assert (first.number, second.number) == (1, 2)
    assert first.client is None


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (Answers(housing="palace"), "housing"),
        (
            Answers(products_given="given", products=("crack",), main_product="heroin"),
            "main_product",
        ),
        (Answers(products=("crack",)), "products_given"),
        (Answers(routes_given="given", routes=("injection",), injected_30d="no"), "injected_30d"),
        (Answers(hiv_tested_12m="no", hiv_result_known="yes"), "hiv_result_known"),
        (Answers(birth_year=1850), "birth_year"),
        (Answers(routes_given="given", routes=("teleport",)), "routes"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    week: SurveyWeek, reception: User, answers: Answers, field: str
) -> None:
    with pytest.raises(DomainError) as refused:
        questionnaire_record(actor=reception, week=week, answers=answers)
    assert refused.value.field == field
    assert not Questionnaire.objects.exists()
    assert not AuditEvent.objects.filter(action="survey_questionnaire.recorded").exists()


def test_a_day_outside_the_week_or_to_come_is_refused(week: SurveyWeek, reception: User) -> None:
    for day in (week.starts_on - dt.timedelta(days=1), local_today() + dt.timedelta(days=1)):
        with pytest.raises(DomainError):
            questionnaire_record(actor=reception, week=week, answers=Answers(), day=day)
        with pytest.raises(DomainError):
            non_respondent_add(actor=reception, week=week, reason="refused", day=day)
    assert not Questionnaire.objects.exists() and not NonResponse.objects.exists()


def test_non_respondents_are_counted_by_day_and_reason_and_the_rate_follows(
    week: SurveyWeek, reception: User
) -> None:
    today = local_today()
    questionnaire_record(actor=reception, week=week, answers=Answers())
    for reason in ("refused", "refused", "unable", "already_answered"):
        non_respondent_add(actor=reception, week=week, reason=reason)
    non_respondent_add(actor=reception, week=week, reason="refused", day=week.starts_on, count=3)
    non_respondent_remove(actor=reception, week=week, reason="refused", day=week.starts_on)
    table = week_table(week)
    by_day = {row.day: row for row in table.days}
    assert by_day[today].non_responses == {"refused": 2, "unable": 1, "already_answered": 1}
    assert by_day[week.starts_on].non_responses["refused"] == 2
    assert table.by_reason == {"refused": 4, "unable": 1, "already_answered": 1}
    # 1 answered out of 6 asked (the one who had answered elsewhere was not asked again).
    assert table.asked == 6 and table.response_rate == pytest.approx(16.7)
    with pytest.raises(DomainError):
        non_respondent_add(actor=reception, week=week, reason="bored")
    with pytest.raises(DomainError):
        non_respondent_remove(actor=reception, week=week, reason="unable", day=week.starts_on)
    assert week_table(week).by_reason == table.by_reason


def test_a_closed_week_takes_nothing_more(week: SurveyWeek, manager: User, reception: User) -> None:
    with pytest.raises(Http404):
        survey_week_close(actor=reception, week=week)
    survey_week_close(actor=manager, week=week)
    assert week.closed_at is not None and week.closed_by == manager
    with pytest.raises(DomainError):
        questionnaire_record(actor=reception, week=week, answers=Answers())
    with pytest.raises(DomainError):
        non_respondent_add(actor=reception, week=week, reason="refused")
    with pytest.raises(ConflictError):
        survey_week_close(actor=manager, week=week)


def test_another_sites_staff_cannot_record(week: SurveyWeek, other_manager: User) -> None:
    with pytest.raises(Http404):
        questionnaire_record(actor=other_manager, week=week, answers=Answers())
    with pytest.raises(Http404):
        non_respondent_add(actor=other_manager, week=week, reason="refused")


def test_the_database_holds_the_rules_when_two_requests_race(
    week: SurveyWeek, person: Client, reception: User, manager: User, came: Visit
) -> None:
    """What the services check first, the constraints settle when two requests pass together."""
    from django.db import IntegrityError, transaction

    questionnaire_record(actor=reception, week=week, client=person, answers=Answers())
    twin = Questionnaire.objects.get()
    twin.pk, twin.public_id, twin.number = None, uuid.uuid4(), 2
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    second = SurveyWeek(
        site=week.site,
        edition_year=week.edition_year + 1,
        starts_on=week.starts_on,
        ends_on=week.ends_on,
        opened_by=manager,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Questionnaire.objects.count() == 1 and SurveyWeek.objects.count() == 1
