"""The background jobs: the coordinator's list (waiting, running, done, failed, how long each
took), one job's page (its progress, its failure in plain words, its file), cancel. While a job
is open, each page reloads its live part in place (``?partial=1``, through ``www/live.js``)."""

from __future__ import annotations

import uuid

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.registry import kinds
from halte.jobs.selectors import get_job_for_user, job_counts, jobs_for_user
from halte.jobs.services import job_cancel
from halte.reports.exports import CONTENT_TYPES
from halte.reports.jobs import export_path
from halte.www.shortcuts import reported, staff

PAGE_SIZE = 50


def _file_ready_for(request: HttpRequest, job: Job) -> bool:
    """A prepared report file is downloaded by the person who asked for it, once it is done."""
    return (
        job.kind == "reports.export"
        and job.status == JobStatus.DONE
        and job.requested_by_id == request.user.pk
    )


def _labels() -> dict[str, str]:
    return {name: str(kind.label) for name, kind in kinds().items()}


@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    user = staff(request)
    status = request.GET.get("etat", "")
    if status and status not in JobStatus.values:
        status = ""
    jobs = jobs_for_user(user, status=status)
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = _labels()
    rows = [(job, labels.get(job.kind, job.kind)) for job in page.object_list]
    counts = job_counts(jobs_for_user(user))
    return render(
        request,
        "jobs/_list.html" if request.GET.get("partial") else "jobs/list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "states": [(value, label, counts[value]) for value, label in JobStatus.choices],
            "any_open": counts[JobStatus.WAITING] + counts[JobStatus.RUNNING] > 0,
            "refresh_url": _partial_url(request),
        },
    )


def _partial_url(request: HttpRequest) -> str:
    """This page's address asking for its live part only (``live.js`` reloads it in place)."""
    query = request.GET.copy()
    query["partial"] = "1"
    return f"{request.path}?{query.urlencode()}"


@require_safe
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(staff(request), job_id)
    return render(
        request,
        "jobs/_detail.html" if request.GET.get("partial") else "jobs/detail.html",
        {
            "job": job,
            "label": _labels().get(job.kind, job.kind),
            "has_file": _file_ready_for(request, job),
        },
    )


@require_POST
def job_cancel_view(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = get_job_for_user(staff(request), job_id)
    with reported(request, _("Annulation demandée.")):
        job_cancel(job=job)
    return redirect("jobs:detail", job_id=job.public_id)


@require_safe
def job_file(request: HttpRequest, job_id: uuid.UUID) -> FileResponse:
    """A prepared export, for the person who asked for it only."""
    job = get_job_for_user(staff(request), job_id)
    if not _file_ready_for(request, job):
        raise Http404(_("Introuvable."))
    fmt = str(job.result.get("format", ""))
    path = export_path(str(job.public_id), fmt)
    if fmt not in CONTENT_TYPES or not path.exists():
        raise Http404(_("Ce fichier n'est plus disponible ; demandez-le à nouveau."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=str(job.result.get("filename") or path.name),
        content_type=CONTENT_TYPES[fmt],
    )
