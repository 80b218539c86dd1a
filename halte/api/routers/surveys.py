"""The national CAARUD survey week (ENa-CAARUD): open a week, list the weeks, read one with its
day-by-day table, prefill and record a questionnaire, count a non-respondent, close the week and
fetch its results file. Every POST honours an Idempotency-Key header (halte.core.idempotency).
Nothing here carries a person's code: questionnaires are numbered in the week."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from halte.api.common import Strict, acting_user
from halte.clients.selectors import get_client_for_user
from halte.network.models import Site
from halte.network.selectors import get_site_for_user
from halte.reports.presentation import publish_breakdown
from halte.surveys import exports
from halte.surveys.answers import Answers
from halte.surveys.enums import (
    ListAnswer,
    MainProduct,
    NonResponseReason,
    Sex,
    Substitution,
    SurveyCoverage,
    SurveyHousing,
    SurveyProduct,
    SurveyResources,
    SurveyRoute,
    YesNo,
)
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.surveys.selectors import (
    DayRow,
    WeekTable,
    get_week_for_user,
    prefill,
    week_table,
    weeks_for_user,
)
from halte.surveys.services import (
    non_respondent_add,
    questionnaire_record,
    survey_week_close,
    survey_week_export,
    survey_week_open,
)

router = Router(tags=["enquetes"])


class SurveyWeekIn(Strict):
    site: uuid.UUID
    starts_on: dt.date
    edition_year: int | None = Field(None, ge=2006, le=2100)


class SurveyWeekOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    site_slug: str = Field(alias="site.slug")
    edition_year: int
    starts_on: dt.date
    ends_on: dt.date
    closed_at: dt.datetime | None
    synthetic: bool


class SurveyDayOut(Schema):
    day: dt.date
    questionnaires: int
    non_responses: dict[str, int]

    @staticmethod
    def resolve_day(row: DayRow) -> dt.date:
        return row.day


class SurveyWeekDetailOut(Schema):
    week: SurveyWeekOut
    questionnaires: int
    non_respondents: dict[str, int]
    asked: int
    response_rate: float | None = Field(
        description="Questionnaires sur personnes sollicitées, en % ; null avant la première."
    )
    days: list[SurveyDayOut]


def _detail(week: SurveyWeek, table: WeekTable) -> dict[str, object]:
    return {
        "week": week,
        "questionnaires": table.questionnaires,
        "non_respondents": table.by_reason,
        "asked": table.asked,
        "response_rate": table.response_rate,
        "days": table.days,
    }


@router.get("/surveys/weeks", response=list[SurveyWeekOut])
def list_weeks(request: HttpRequest) -> list[SurveyWeek]:
    """The survey weeks of the user's sites (of the network for the coordination)."""
    return list(weeks_for_user(request.user)[:200])


@router.post("/surveys/weeks", response={201: SurveyWeekOut})
def open_week(request: HttpRequest, payload: SurveyWeekIn) -> Status[SurveyWeek]:
    """Open seven days of collection at a CAARUD place (its manager or the coordination; 404 for
    a site you may not see). 409 when a week is open there already or the edition has its week."""
    site: Site = get_site_for_user(request.user, payload.site)
    week = survey_week_open(
        actor=acting_user(request),
        site=site,
        starts_on=payload.starts_on,
        edition_year=payload.edition_year,
    )
    return Status(201, week)


@router.get("/surveys/weeks/{week_id}", response=SurveyWeekDetailOut)
def read_week(request: HttpRequest, week_id: uuid.UUID) -> dict[str, object]:
    """The week, day by day: questionnaires, non-respondents per reason, the response rate."""
    week = get_week_for_user(request.user, week_id)
    return _detail(week, week_table(week))


class SurveyAnswersIO(Schema):
    sex: Sex = Sex.NOT_GIVEN
    birth_year: int | None = Field(None, ge=1900, le=2100)
    housing: SurveyHousing = SurveyHousing.NOT_GIVEN
    resources: SurveyResources = SurveyResources.NOT_GIVEN
    coverage: SurveyCoverage = SurveyCoverage.NOT_GIVEN
    products_given: ListAnswer = ListAnswer.NOT_GIVEN
    products: list[SurveyProduct] = Field(default_factory=list, max_length=20)
    main_product: MainProduct = MainProduct.NOT_GIVEN
    routes_given: ListAnswer = ListAnswer.NOT_GIVEN
    routes: list[SurveyRoute] = Field(default_factory=list, max_length=10)
    injected_30d: YesNo = YesNo.NOT_GIVEN
    shared_material: YesNo = YesNo.NOT_GIVEN
    hiv_tested_12m: YesNo = YesNo.NOT_GIVEN
    hiv_result_known: YesNo = YesNo.NOT_GIVEN
    hcv_tested_12m: YesNo = YesNo.NOT_GIVEN
    hcv_result_known: YesNo = YesNo.NOT_GIVEN
    substitution: Substitution = Substitution.NOT_GIVEN

    model_config = {"extra": "forbid"}

    def answers(self) -> Answers:
        values = {
            name: (value.value if isinstance(value, Enum) else value)
            for name, value in self
            if name not in ("products", "routes")
        }
        return Answers(
            **values,
            products=tuple(p.value for p in self.products),
            routes=tuple(r.value for r in self.routes),
        )


class SurveyPrefillOut(Schema):
    answers: SurveyAnswersIO
    sources: dict[str, str] = Field(
        description="Les réponses préremplies et leur origine : record (fiche), situation "
        "(dernière situation), care (dépistage noté ici)."
    )
    situation_on: dt.date | None


class SurveyPrefillQuery(Schema):
    client: uuid.UUID | None = None


@router.get("/surveys/weeks/{week_id}/prefill", response=SurveyPrefillOut)
def prefill_questionnaire(
    request: HttpRequest, week_id: uuid.UUID, query: Query[SurveyPrefillQuery]
) -> dict[str, object]:
    """The answers the person's record and latest situation already give, for staff to confirm
    or change (nothing for a questionnaire without code)."""
    week = get_week_for_user(request.user, week_id)
    client = get_client_for_user(request.user, query.client) if query.client else None
    proposed = prefill(request.user, week, client)
    return {
        "answers": proposed.answers.as_fields(),
        "sources": proposed.sources,
        "situation_on": proposed.situation_on,
    }


class SurveyQuestionnaireIn(Strict):
    client: uuid.UUID | None = Field(
        None, description="La personne, si elle a un code (une réponse par semaine) ; sinon rien."
    )
    day: dt.date | None = None
    answers: SurveyAnswersIO


class SurveyQuestionnaireOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: int
    day: dt.date = Field(alias="answered_on")
    with_code: bool

    @staticmethod
    def resolve_with_code(q: Questionnaire) -> bool:
        return q.client_id is not None


@router.post("/surveys/weeks/{week_id}/questionnaires", response={201: SurveyQuestionnaireOut})
def record_questionnaire(
    request: HttpRequest, week_id: uuid.UUID, payload: SurveyQuestionnaireIn
) -> Status[Questionnaire]:
    """Record the answers of one person who agreed. 409 when the person answered this week
    already; 422 when they did not come during the week or the answers contradict each other."""
    week = get_week_for_user(request.user, week_id)
    client = get_client_for_user(request.user, payload.client) if payload.client else None
    questionnaire = questionnaire_record(
        actor=acting_user(request),
        week=week,
        answers=payload.answers.answers(),
        client=client,
        day=payload.day,
    )
    return Status(201, questionnaire)


class NonRespondentIn(Strict):
    reason: NonResponseReason
    day: dt.date | None = None
    count: int = Field(1, ge=1, le=500)


class NonRespondentOut(Schema):
    day: dt.date
    reason: str
    count: int


@router.post("/surveys/weeks/{week_id}/non-respondents", response={201: NonRespondentOut})
def add_non_respondent(
    request: HttpRequest, week_id: uuid.UUID, payload: NonRespondentIn
) -> Status[NonResponse]:
    """Count people who came and did not answer, for one reason: a counter, never a person."""
    week = get_week_for_user(request.user, week_id)
    counter = non_respondent_add(
        actor=acting_user(request),
        week=week,
        reason=payload.reason.value,
        day=payload.day,
        count=payload.count,
    )
    return Status(201, counter)


@router.post("/surveys/weeks/{week_id}/close", response=SurveyWeekOut)
def close_week(request: HttpRequest, week_id: uuid.UUID) -> SurveyWeek:
    """Close the week (its manager or the coordination): nothing more is recorded."""
    week = get_week_for_user(request.user, week_id)
    return survey_week_close(actor=acting_user(request), week=week)


class SurveyExportQuery(Schema):
    format: Literal["xlsx", "csv"] = "xlsx"


@router.get("/surveys/weeks/{week_id}/export")
def export_week(
    request: HttpRequest, week_id: uuid.UUID, query: Query[SurveyExportQuery]
) -> HttpResponse:
    """The results file ``ena-caarud_<site>_<edition>``: numbered anonymous questionnaires with
    their codes, non-respondents by day and reason, the aggregate with small counts masked."""
    week = get_week_for_user(request.user, week_id)
    body = survey_week_export(
        actor=acting_user(request), week=week, fmt=query.format, publish=publish_breakdown
    )
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(week, query.format)}"'
    )
    return response
