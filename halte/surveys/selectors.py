"""Reads of the survey week: the weeks a user may see (404 for any other), the day-by-day table and
its response rate, the open weeks to remind the front desk of, and the prefill of a questionnaire
from the person's record and latest situation."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from halte.accounts.models import User
from halte.accounts.permissions import client_site_ids
from halte.care.enums import CareKind
from halte.care.models import CareAct
from halte.clients.models import Client
from halte.core.timeutils import local_today, paris_instant
from halte.network.enums import PROJECT_STATUSES
from halte.network.models import Site
from halte.pathway.enums import DECLINED, NOT_ASKED, Asked
from halte.pathway.models import Situation
from halte.pathway.permissions import can_see_sensitive_situation, can_see_situation
from halte.surveys.answers import Answers
from halte.surveys.enums import (
    NOT_GIVEN,
    OUT_OF_SCOPE_REASONS,
    SURVEY_SITE_KINDS,
    ListAnswer,
    NonResponseReason,
    SurveyRoute,
    YesNo,
)
from halte.surveys.models import NonResponse, Questionnaire, SurveyWeek
from halte.surveys.permissions import (
    can_open_survey_week,
    can_run_survey,
    can_see_survey_week,
    is_survey_coordination,
)
from halte.visits.models import Visit


def weeks_for_user(user: User | AnonymousUser) -> QuerySet[SurveyWeek]:
    """The weeks of the user's sites; every site's for the coordination."""
    weeks = SurveyWeek.objects.select_related("site")
    if is_survey_coordination(user):
        return weeks
    return weeks.filter(site_id__in=client_site_ids(user))


def get_week_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> SurveyWeek:
    """A week the user may see; 404 for any other, whether it exists or not."""
    try:
        week = SurveyWeek.objects.select_related("site").get(public_id=public_id)
    except (SurveyWeek.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Introuvable.") from exc
    if not can_see_survey_week(user, week.site):
        raise Http404("Introuvable.")
    return week


def openable_sites(user: User | AnonymousUser) -> list[Site]:
    """The CAARUD places where the user may open a survey week."""
    sites = Site.objects.filter(kind__in=SURVEY_SITE_KINDS).exclude(status__in=PROJECT_STATUSES)
    return [s for s in sites.order_by("name") if can_open_survey_week(user, s)]


def _day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return paris_instant(first, dt.time(0)), paris_instant(last + dt.timedelta(days=1), dt.time(0))


def seen_during(week: SurveyWeek, client: Client) -> bool:
    """Whether the person came to the week's site during the week."""
    start, end = _day_bounds(week.starts_on, week.ends_on)
    return Visit.objects.filter(
        site_id=week.site_id, client=client, arrived_at__gte=start, arrived_at__lt=end
    ).exists()


def has_answered(week: SurveyWeek, client: Client) -> bool:
    return Questionnaire.objects.filter(week=week, client=client).exists()


@dataclass(frozen=True)
class Reminder:
    week: SurveyWeek
    answered: bool


def reminders_for(user: User | AnonymousUser, client: Client) -> list[Reminder]:
    """The weeks in progress today at the sites where the user runs the survey, and whether this
    person has answered: the front desk's "ask them" on the person's page."""
    today = local_today()
    weeks = SurveyWeek.objects.filter(
        closed_at__isnull=True,
        starts_on__lte=today,
        ends_on__gte=today,
        site_id__in=client_site_ids(user),
    ).select_related("site")
    answered = set(
        Questionnaire.objects.filter(week__in=weeks, client=client).values_list(
            "week_id", flat=True
        )
    )
    return [Reminder(w, w.pk in answered) for w in weeks if can_run_survey(user, w.site)]


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    questionnaires: int
    non_responses: dict[str, int]

    @property
    def non_respondents(self) -> int:
        return sum(self.non_responses.values())


@dataclass(frozen=True)
class WeekTable:
    days: list[DayRow]
    questionnaires: int
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def non_respondents(self) -> int:
        return sum(self.by_reason.values())

    @property
    def asked(self) -> int:
        """The people asked: those who answered and those who refused or could not (those who
        had answered elsewhere are not asked again)."""
        out = sum(n for r, n in self.by_reason.items() if r in OUT_OF_SCOPE_REASONS)
        return self.questionnaires + self.non_respondents - out

    @property
    def response_rate(self) -> float | None:
        """Questionnaires over the people asked, in percent; None before anyone was asked."""
        return round(100 * self.questionnaires / self.asked, 1) if self.asked else None


def week_table(week: SurveyWeek) -> WeekTable:
    """The week day by day: questionnaires and non-respondents per reason (two queries)."""
    answered = dict(
        Questionnaire.objects.filter(week=week)
        .values_list("answered_on")
        .annotate(n=Count("pk"))
        .values_list("answered_on", "n")
    )
    counters: dict[tuple[dt.date, str], int] = {
        (day, reason): total or 0
        for day, reason, total in NonResponse.objects.filter(week=week)
        .values_list("day", "reason")
        .annotate(total=Sum("count"))
        .values_list("day", "reason", "total")
    }
    reasons = NonResponseReason.values
    days = [
        DayRow(day, answered.get(day, 0), {r: counters.get((day, r), 0) for r in reasons})
        for day in week.days()
    ]
    by_reason = Counter[str]()
    for row in days:
        by_reason.update(row.non_responses)
    return WeekTable(days, sum(answered.values()), {r: by_reason[r] for r in reasons})


@dataclass(frozen=True)
class Prefill:
    """The answers proposed to staff, and which items were taken from where ("record": the
    person's code record; "situation": their latest situation; "care": a test recorded here)."""

    answers: Answers
    sources: dict[str, str]
    situation_on: dt.date | None = None


def _single(value: str) -> str:
    return NOT_GIVEN if value in (NOT_ASKED, DECLINED) else value


def _from_situation(
    user: User | AnonymousUser, client: Client
) -> tuple[dict[str, object], Situation | None]:
    situation = Situation.objects.filter(client=client).first()
    if situation is None:
        return {}, None
    found: dict[str, object] = {
        "housing": _single(situation.housing),
        "coverage": _single(situation.coverage),
    }
    if can_see_sensitive_situation(user, client):
        found["resources"] = _single(situation.resources)
    if situation.products_asked == Asked.ANSWERED:
        found["products_given"] = ListAnswer.GIVEN
        found["products"] = tuple(situation.products)
    if situation.routes_asked == Asked.ANSWERED:
        found["routes_given"] = ListAnswer.GIVEN
        found["routes"] = tuple(situation.routes)
        found["injected_30d"] = YesNo.YES if SurveyRoute.INJECTION in situation.routes else YesNo.NO
    return {k: v for k, v in found.items() if v != NOT_GIVEN}, situation


def _from_screenings(client: Client, site_ids: set[int], day: dt.date) -> dict[str, object]:
    """Rapid tests recorded at the user's sites in the 12 months before ``day``."""
    since = paris_instant(day - dt.timedelta(days=365), dt.time(0))
    kinds = {CareKind.TROD_HIV: "hiv", CareKind.TROD_HCV: "hcv"}
    found: dict[str, object] = {}
    acts = CareAct.objects.filter(
        client=client, site_id__in=site_ids, kind__in=kinds, performed_at__gte=since
    ).values_list("kind", "result")
    for kind, result in acts:
        infection = kinds[CareKind(kind)]
        if result == "refused":
            continue
        found[f"{infection}_tested_12m"] = YesNo.YES
        if result:
            found[f"{infection}_result_known"] = YesNo.YES
    return found


def prefill(user: User | AnonymousUser, week: SurveyWeek, client: Client | None) -> Prefill:
    """The questionnaire as the record already answers it, for staff to confirm or change. The
    situation is read only by those who may read it; resources and tests only by care roles."""
    if client is None:
        return Prefill(Answers(), {})
    day = min(local_today(), week.ends_on)
    values: dict[str, object] = {"sex": client.sex_gender, "birth_year": client.birth_year}
    sources = dict.fromkeys(values, "record")
    situation = None
    if can_see_situation(user, client):
        found, situation = _from_situation(user, client)
        values |= found
        sources |= dict.fromkeys(found, "situation")
    if can_see_sensitive_situation(user, client):
        found = _from_screenings(client, client_site_ids(user), day)
        values |= found
        sources |= dict.fromkeys(found, "care")
    return Prefill(
        Answers().replace(**values),
        sources,
        situation.asked_on if situation is not None else None,
    )
