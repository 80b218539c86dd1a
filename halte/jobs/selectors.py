"""Reading background jobs for the screens."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, QuerySet
from django.http import Http404

from halte.accounts.models import User
from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.permissions import can_see_all_jobs, can_see_job


def jobs_for_user(user: User | AnonymousUser, *, status: str = "") -> QuerySet[Job]:
    """The jobs a user may see, newest first: everyone's for a coordinator or an admin, one's
    own otherwise."""
    jobs = Job.objects.select_related("requested_by")
    if not can_see_all_jobs(user):
        jobs = jobs.filter(requested_by_id=user.pk)
    if status:
        jobs = jobs.filter(status=status)
    return jobs.order_by("-created_at", "-pk")


def job_counts(jobs: QuerySet[Job]) -> dict[str, int]:
    """How many jobs in each state (every state listed, zero included)."""
    found = dict(jobs.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: found.get(status, 0) for status in JobStatus.values}


def get_job_for_user(user: User | AnonymousUser, public_id: uuid.UUID) -> Job:
    """The job, or 404 for a job the user may not see (its existence is not revealed)."""
    job = Job.objects.select_related("requested_by").filter(public_id=public_id).first()
    if job is None or not can_see_job(user, job):
        raise Http404
    return job
