"""The survey week's screens: the weeks and opening one, the week's page (days, questionnaires,
non-respondents and response rate), the questionnaire (prefilled from the person's record and
situation when they have a code), the non-respondents' counter, closing, and the results file."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.clients.models import Client
from halte.clients.selectors import find_client_by_code, get_client_for_user
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.reports.presentation import publish_breakdown
from halte.surveys import exports
from halte.surveys.enums import NonResponseReason
from halte.surveys.models import SurveyWeek
from halte.surveys.permissions import can_export_survey, can_open_survey_week, can_run_survey
from halte.surveys.selectors import (
    get_week_for_user,
    has_answered,
    openable_sites,
    prefill,
    week_table,
    weeks_for_user,
)
from halte.surveys.services import (
    non_respondent_add,
    non_respondent_remove,
    questionnaire_record,
    survey_week_close,
    survey_week_export,
    survey_week_open,
)
from halte.www.shortcuts import refuse, reported, staff
from halte.www.surveys.forms import (
    CodeForm,
    NonRespondentForm,
    QuestionnaireForm,
    WeekOpenForm,
    initial_from,
)


@require_http_methods(["GET", "HEAD", "POST"])
def weeks(request: HttpRequest) -> HttpResponse:
    """The survey weeks of the user's sites, and opening one where the user may."""
    sites = openable_sites(request.user)
    visible = weeks_for_user(request.user)
    if not sites and not visible.exists():
        raise Http404(_("Introuvable."))
    form = WeekOpenForm(request.POST or None, sites=sites, initial={"starts_on": local_today()})
    if request.method == "POST" and form.is_valid():
        try:
            week = survey_week_open(
                actor=staff(request),
                site=form.chosen_site(),
                starts_on=form.cleaned_data["starts_on"],
                edition_year=form.cleaned_data["edition_year"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Semaine d'enquête ouverte."))
            return redirect("surveys:week", week_id=week.public_id)
    return render(
        request,
        "surveys/weeks.html",
        {"weeks": visible[:50], "form": form if sites else None, "today": local_today()},
    )


@require_safe
def week_page(request: HttpRequest, week_id: uuid.UUID) -> HttpResponse:
    week = get_week_for_user(request.user, week_id)
    table = week_table(week)
    today = local_today()
    return render(
        request,
        "surveys/week.html",
        {
            "week": week,
            "table": table,
            "reasons": NonResponseReason.choices,
            "questionnaires": week.questionnaires.order_by("-number")[:200],
            "in_progress": week.is_open and week.covers(today),
            "today": today,
            "count_day": min(today, week.ends_on),
            "can_run": week.is_open and can_run_survey(request.user, week.site),
            "can_close": week.is_open and can_open_survey_week(request.user, week.site),
            "can_export": can_export_survey(request.user, week.site),
        },
    )


def _person(request: HttpRequest) -> Client | None:
    public_id = request.GET.get("personne") or request.POST.get("personne")
    return get_client_for_user(request.user, public_id) if public_id else None


@require_http_methods(["GET", "HEAD", "POST"])
def questionnaire(request: HttpRequest, week_id: uuid.UUID) -> HttpResponse:
    """The questionnaire of one person who agreed: prefilled when they have a code (staff confirm
    or change each answer; the person's situation is left as it is), blank when they have none."""
    week = get_week_for_user(request.user, week_id)
    if not (week.is_open and can_run_survey(request.user, week.site)):
        raise Http404(_("Introuvable."))
    client = _person(request)
    proposed = prefill(request.user, week, client)
    day = min(local_today(), week.ends_on)
    form = QuestionnaireForm(request.POST or None, initial=initial_from(proposed.answers, day))
    if request.method == "POST" and form.is_valid():
        try:
            done = questionnaire_record(
                actor=staff(request),
                week=week,
                answers=form.answers(),
                client=client,
                day=form.cleaned_data["day"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(
                request, _("Questionnaire n° %(n)s enregistré. Merci !") % {"n": done.number}
            )
            return redirect("surveys:week", week_id=week.public_id)
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "week": week,
            "form": form,
            "client": client,
            "already": client is not None and has_answered(week, client),
            "sources": proposed.sources,
            "situation_on": proposed.situation_on,
        },
    )


@require_POST
def find_person(request: HttpRequest, week_id: uuid.UUID) -> HttpResponse:
    """The person's code typed or scanned at the week's page (sent in the body, never in a URL):
    their questionnaire, prefilled."""
    week = get_week_for_user(request.user, week_id)
    if not (week.is_open and can_run_survey(request.user, week.site)):
        raise Http404(_("Introuvable."))
    form = CodeForm(request.POST)
    person = (
        find_client_by_code(request.user, form.cleaned_data["code"]) if form.is_valid() else None
    )
    if person is None:
        messages.error(
            request,
            _(
                "Aucune personne avec ce code : vérifiez-le, ou remplissez le "
                "questionnaire sans code."
            ),
        )
        return redirect("surveys:week", week_id=week.public_id)
    url = reverse("surveys:questionnaire", kwargs={"week_id": week.public_id})
    return redirect(f"{url}?personne={person.public_id}")


@require_POST
def non_respondent(request: HttpRequest, week_id: uuid.UUID) -> HttpResponse:
    """Count one person who came and did not answer (or take back one tapped by mistake)."""
    week = get_week_for_user(request.user, week_id)
    form = NonRespondentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Motif inconnu."))
        return redirect("surveys:week", week_id=week.public_id)
    day = form.cleaned_data["day"] or min(local_today(), week.ends_on)
    reason = form.cleaned_data["reason"]
    label = NonResponseReason(reason).label
    if form.cleaned_data["remove"]:
        with reported(request, _("Un « %(r)s » retiré.") % {"r": label}):
            non_respondent_remove(actor=staff(request), week=week, reason=reason, day=day)
    else:
        with reported(request, _("Un non-répondant compté : %(r)s.") % {"r": label}):
            non_respondent_add(actor=staff(request), week=week, reason=reason, day=day)
    return redirect(reverse("surveys:week", kwargs={"week_id": week.public_id}) + "#jours")


@require_POST
def close(request: HttpRequest, week_id: uuid.UUID) -> HttpResponse:
    week = get_week_for_user(request.user, week_id)
    with reported(request, _("Semaine d'enquête close.")):
        survey_week_close(actor=staff(request), week=week)
    return redirect("surveys:week", week_id=week.public_id)


def week_file(request: HttpRequest, week: SurveyWeek, fmt: str) -> HttpResponse:
    body = survey_week_export(actor=staff(request), week=week, fmt=fmt, publish=publish_breakdown)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(week, fmt)}"'
    return response


@require_safe
def export(request: HttpRequest, week_id: uuid.UUID, fmt: str) -> HttpResponse:
    """The results file: anonymous numbered questionnaires, non-respondents by day and reason,
    and the masked aggregate for sending out."""
    week = get_week_for_user(request.user, week_id)
    if not can_export_survey(request.user, week.site) or fmt not in exports.CONTENT_TYPES:
        raise Http404(_("Introuvable."))
    return week_file(request, week, fmt)
