"""Report screens: choose a report, read it (and print or export it), and four dashboards.

Who sees what is decided in ``halte.reports.permissions``: a site that is not the user's answers
404; the network's pages answer 403 to site staff; evaluators always get masked figures, over
whole months, quarters or years that are over (``halte.reports.periods``)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.reports import dashboards, exports
from halte.reports.frameworks import build_report
from halte.reports.indicators import Scope
from halte.reports.periods import (
    check_masked_period,
    last_closed_month,
    last_closed_year,
    month_end,
)
from halte.reports.permissions import can_see_network_reports, must_suppress
from halte.reports.references import REFERENCES
from halte.reports.selectors import (
    get_report_site,
    report_authorisations_for_user,
    report_scope,
    report_sites_for_user,
)
from halte.reports.services import export_request
from halte.www.reports.forms import (
    CompareForm,
    HoursChangeForm,
    MonthForm,
    ReportForm,
    YearForm,
    default_period,
)
from halte.www.shortcuts import refuse, staff


def file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Choose a report (framework; a site, an authorisation or the network; a period) and open it
    on screen or as a file."""
    sites = report_sites_for_user(request.user)
    network = can_see_network_reports(request.user)
    if not network and not sites.exists():
        raise Http404(_("Introuvable."))
    masked = must_suppress(request.user)
    start, end = default_period(masked=masked)
    form = ReportForm(
        request.GET or None,
        sites=sites,
        network=network,
        authorisations=report_authorisations_for_user(request.user, network=network),
        user=request.user,
        initial={"start": start, "end": end, "framework": "hsa-annual"},
    )
    if request.GET and form.is_valid():
        return _report(request, form)
    status = 422 if request.GET else 200
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "sites": sites,
            "network": network,
            "masked": masked,
            "today": local_today(),
        },
        status=status,
    )


def _report(request: HttpRequest, form: ReportForm) -> HttpResponse:
    data = form.cleaned_data
    site = data.get("site")
    authorisation = data.get("authorisation") or None
    suppressed = must_suppress(request.user, external=data["external"])
    try:
        scope = report_scope(
            request.user,
            site_id=site.public_id if site else None,
            network=site is None and authorisation is None,
            start=data["start"],
            end=data["end"],
            masked=suppressed,
            authorisation=authorisation,
        )
    except DomainError as exc:
        refuse(form, exc)
        return render(
            request, "reports/index.html", {"form": form, "masked": suppressed}, status=422
        )
    if data["format"] and exports.prepared_in_background(scope):
        # Long to build: the worker prepares it; confirm with a POST (a GET changes nothing).
        return render(request, "reports/export_prepare.html", {"query": request.GET})
    report = build_report(data["framework"], scope, suppressed=suppressed)
    if data["format"]:
        fmt = data["format"]
        return file_response(exports.render(report, fmt), fmt, exports.filename(report, fmt))
    query = request.GET.copy()
    links = {}
    for fmt in ("csv", "xlsx"):
        query["format"] = fmt
        links[fmt] = query.urlencode()
    return render(
        request,
        "reports/report.html",
        {"report": report, "links": links, "reference": REFERENCES[report.framework]},
    )


@require_POST
def export_prepare(request: HttpRequest) -> HttpResponse:
    """Queue a report file for the worker; its page says when it is ready to download."""
    user = staff(request)
    form = ReportForm(
        request.POST,
        sites=report_sites_for_user(user),
        network=can_see_network_reports(user),
        authorisations=report_authorisations_for_user(user),
        user=user,
    )
    if not form.is_valid() or not form.cleaned_data["format"]:
        messages.error(
            request, _("Demande de fichier incomplète : choisissez le rapport et le format.")
        )
        return redirect("reports:index")
    data = form.cleaned_data
    site = data.get("site")
    try:
        job = export_request(
            actor=user,
            framework=data["framework"],
            site_id=str(site.public_id) if site else None,
            authorisation=data.get("authorisation") or None,
            start=data["start"],
            end=data["end"],
            external=data["external"],
            fmt=data["format"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:index")
    messages.success(
        request, _("Le fichier est en préparation ; cette page dira quand il est prêt.")
    )
    return redirect("jobs:detail", job_id=job.public_id)


def _fixed_period_error(start: dt.date, end: dt.date, *, masked: bool) -> str | None:
    """Why a masked audience may not have this month or year (still running), if it may not."""
    if not masked:
        return None
    try:
        check_masked_period(start, end, today=local_today())
    except DomainError as exc:
        return exc.message
    return None


@require_safe
def site_month(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """A site's month: key figures, visits day by day, arrivals by hour, sessions by product."""
    site = get_report_site(request.user, site_id)
    masked = must_suppress(request.user)
    today = local_today()
    month = last_closed_month(today) if masked else today
    form = MonthForm(request.GET or {"month": month.strftime("%Y-%m")})
    if not form.is_valid():
        return render(
            request,
            "reports/site_month.html",
            {"form": form, "site": site, "board": None},
            status=422,
        )
    start = form.cleaned_data["month"].replace(day=1)
    end = min(month_end(start), today)
    refused = _fixed_period_error(start, month_end(start), masked=masked)
    if end < start or refused:
        form.add_error("month", refused or _("Ce mois n'a pas encore commencé."))
        return render(
            request,
            "reports/site_month.html",
            {"form": form, "site": site, "board": None},
            status=422,
        )
    scope = Scope((site.pk,), start, end, label=site.name)
    board = dashboards.site_month(scope, suppressed=masked)
    return render(request, "reports/site_month.html", {"form": form, "site": site, "board": board})


@require_safe
def network_year(request: HttpRequest) -> HttpResponse:
    """The network's year: key figures, visits month by month, people and visits per site."""
    if not can_see_network_reports(request.user):
        raise PermissionDenied(_("Les rapports du réseau sont réservés aux rôles du réseau."))
    masked = must_suppress(request.user)
    today = local_today()
    form = YearForm(request.GET or {"year": last_closed_year(today) if masked else today.year})
    if not form.is_valid():
        return render(
            request, "reports/network_year.html", {"form": form, "board": None}, status=422
        )
    year = form.cleaned_data["year"]
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    refused = _fixed_period_error(start, dt.date(year, 12, 31), masked=masked)
    if end < start or refused:
        form.add_error("year", refused or _("Cette année n'a pas encore commencé."))
        return render(
            request, "reports/network_year.html", {"form": form, "board": None}, status=422
        )
    ids = tuple(report_sites_for_user(request.user).values_list("pk", flat=True))
    scope = Scope(ids, start, end, network=True, label=_("Réseau entier"))
    board = dashboards.network_year(scope, suppressed=masked)
    return render(request, "reports/network_year.html", {"form": form, "board": board})


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Two to six sites side by side over one period."""
    sites = report_sites_for_user(request.user)
    masked = must_suppress(request.user)
    start, end = default_period(masked=masked)
    form = CompareForm(
        request.GET or None, sites=sites, user=request.user, initial={"start": start, "end": end}
    )
    board = None
    status = 200
    if request.GET:
        if form.is_valid():
            chosen = list(form.cleaned_data["sites"])
            board = dashboards.compare(
                chosen,
                form.cleaned_data["start"],
                form.cleaned_data["end"],
                suppressed=masked,
            )
        else:
            status = 422
    return render(request, "reports/compare.html", {"form": form, "board": board}, status=status)


@require_safe
def hours_change(request: HttpRequest, site_id: uuid.UUID) -> HttpResponse:
    """Before and after a change of opening hours: hours, attendance and arrivals by hour."""
    site = get_report_site(request.user, site_id)
    changes = dashboards.hours_change_dates(site)
    initial = {"change": changes[-1] if changes else local_today(), "days": 28}
    form = HoursChangeForm(request.GET or initial)
    board = None
    status = 200
    if form.is_valid():
        board = dashboards.hours_change(
            site,
            form.cleaned_data["change"],
            form.cleaned_data["days"],
            suppressed=must_suppress(request.user),
        )
    else:
        status = 422
    return render(
        request,
        "reports/hours_change.html",
        {"form": form, "site": site, "board": board, "changes": changes},
        status=status,
    )
