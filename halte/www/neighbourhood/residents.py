"""Residents' reports: the public page (no login, phone first, limited per address, a hidden field
robots fill), the staff's log of a report received by phone, mail or at a meeting, the triage
queue and a report's page (given to a site, answered, closed). A resident's contact is shown to
the coordinating role only."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from halte.core.errors import DomainError
from halte.core.timeutils import now
from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.permissions import (
    can_handle_report,
    can_log_report,
    can_triage_reports,
)
from halte.neighbourhood.selectors import (
    answer_delay_label,
    get_report_for_user,
    get_street_team_for_user,
    report_contact_for,
    reports_visible_to,
)
from halte.neighbourhood.services import (
    report_answer,
    report_close,
    report_log,
    report_submit,
    report_triage,
)
from halte.network.models import Site
from halte.network.selectors import get_site_for_user, sites_visible_to
from halte.www.neighbourhood.forms import (
    CloseForm,
    PublicReportForm,
    StaffReportForm,
    TriageForm,
)
from halte.www.shortcuts import refuse, reported, staff
from halte.www.throttle import public_rate_limit

QUEUE_LIMIT = 200
THANKS_KEY = "neighbourhood_report_sent"


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@public_rate_limit("write")
def public_report(request: HttpRequest) -> HttpResponse:
    """A resident or a shop tells what they saw, where and when; answers a reference to quote.
    Nothing is stored when the form is refused."""
    if request.method == "POST":
        form = PublicReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                form.add_error(None, _("Envoi refusé. Réessayez sans remplir le champ caché."))
                return render(
                    request, "neighbourhood/report_public.html", {"form": form}, status=400
                )
            try:
                report = report_submit(
                    kind=data["kind"],
                    seen_at=data["seen_at"],
                    lon=data["lon"],
                    lat=data["lat"],
                    address=data["address"],
                    description=data["description"],
                    contact=data["contact"],
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                # Post, then redirect: reloading the answer must not send the report again.
                request.session[THANKS_KEY] = [report.reference, bool(data["contact"])]
                return redirect("neighbourhood:report_thanks")
        return render(request, "neighbourhood/report_public.html", {"form": form}, status=422)
    form = PublicReportForm(initial={"seen_at": now()})
    return render(request, "neighbourhood/report_public.html", {"form": form})


@login_not_required
@require_safe
def public_thanks(request: HttpRequest) -> HttpResponse:
    """The reference of the report just sent, once; without one, back to the form."""
    sent = request.session.pop(THANKS_KEY, None)
    if not sent:
        return redirect("neighbourhood:report_public")
    reference, with_contact = sent
    return render(
        request,
        "neighbourhood/report_thanks.html",
        {"reference": reference, "with_contact": with_contact},
    )


def _require_logger(request: HttpRequest) -> None:
    if not can_log_report(request.user):
        raise PermissionDenied(_("Réservé à l'équipe."))


@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """Log a report received by phone, mail or at a meeting."""
    _require_logger(request)
    if request.method == "POST":
        form = StaffReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            site = get_street_team_for_user(request.user, data["site"]) if data["site"] else None
            try:
                report = report_log(
                    actor=staff(request),
                    channel=data["channel"],
                    kind=data["kind"],
                    seen_at=data["seen_at"],
                    lon=data["lon"],
                    lat=data["lat"],
                    address=data["address"],
                    description=data["description"],
                    contact=data["contact"],
                    site=site,
                )
            except DomainError as exc:
                refuse(form, exc)
            else:
                messages.success(
                    request, _("Signalement %(ref)s enregistré.") % {"ref": report.reference}
                )
                return redirect("neighbourhood:report", report_id=report.public_id)
        status = 422
    else:
        form = StaffReportForm(initial={"seen_at": now()})
        status = 200
    return render(request, "neighbourhood/report_new.html", {"form": form}, status=status)


@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The reports to handle, oldest open first, then the latest closed; the time to answer."""
    _require_logger(request)
    wanted = request.GET.get("etat", "open")
    reports = reports_visible_to(request.user)
    if wanted == "open":
        reports = reports.exclude(status=ReportStatus.CLOSED).order_by("received_at")
    elif wanted in ReportStatus.values:
        reports = reports.filter(status=wanted).order_by("-received_at")
    else:
        reports = reports.order_by("-received_at")
    rows = [(r, answer_delay_label(r)) for r in reports[:QUEUE_LIMIT]]
    return render(
        request,
        "neighbourhood/queue.html",
        {"rows": rows, "wanted": wanted, "statuses": ReportStatus.choices},
    )


def _triage_sites(request: HttpRequest) -> list[Site]:
    return list(sites_visible_to(request.user).prefetch_related(None).order_by("name"))


def _report_page(
    request: HttpRequest,
    report_id: uuid.UUID,
    close_form: CloseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    may_triage = can_triage_reports(request.user) and report.is_open
    return render(
        request,
        "neighbourhood/report.html",
        {
            "report": report,
            "contact": report_contact_for(request.user, report),
            "delay": answer_delay_label(report),
            "may_triage": may_triage,
            "may_handle": can_handle_report(request.user, report) and report.is_open,
            "sites": _triage_sites(request) if may_triage else [],
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


@require_safe
def report_page(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    return _report_page(request, report_id)


@require_POST
def report_assign(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un site ou une équipe."))
    else:
        site = get_site_for_user(request.user, form.cleaned_data["site"])
        with reported(request, _("Signalement attribué à %(site)s.") % {"site": site.name}):
            report_triage(actor=staff(request), report=report, site=site)
    return redirect("neighbourhood:report", report_id=report.public_id)


@require_POST
def report_answered(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    with reported(request, _("Réponse notée.")):
        report_answer(actor=staff(request), report=report)
    return redirect("neighbourhood:report", report_id=report.public_id)


@require_POST
def report_closed(request: HttpRequest, report_id: uuid.UUID) -> HttpResponse:
    report = get_report_for_user(request.user, report_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            report_close(
                actor=staff(request),
                report=report,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            refuse(form, exc)
        else:
            messages.success(request, _("Signalement clos."))
            return redirect("neighbourhood:report", report_id=report.public_id)
    return _report_page(request, report_id, form, status=422)
