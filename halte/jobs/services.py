"""Queue, cancel and schedule background jobs (the rules; the queue itself is halte.jobs.queue)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.core.errors import ConflictError
from halte.jobs import queue, runner
from halte.jobs.enums import OPEN_STATUSES, JobStatus
from halte.jobs.models import Job
from halte.jobs.registry import get_kind


def _job_create(
    kind: str, *, params: dict[str, Any] | None, actor: User | None, dedupe_key: str = ""
) -> Job:
    return Job.objects.create(
        kind=kind,
        params=params or {},
        requested_by=actor,
        max_attempts=get_kind(kind).max_attempts,
        dedupe_key=dedupe_key,
    )


def job_enqueue(
    kind: str,
    *,
    params: dict[str, Any] | None = None,
    actor: User | None = None,
    periodic: bool = False,
) -> Job:
    """Record a job and queue it, in the caller's transaction. A periodic job is not queued again
    while an earlier run is waiting or alive (it answers the open one)."""
    get_kind(kind)
    with transaction.atomic():
        if periodic:
            recent = timezone.now() - runner.lease()
            open_job = (
                Job.objects.select_for_update()
                .filter(dedupe_key=kind, status__in=OPEN_STATUSES)
                .filter(created_at__gte=recent)
                .first()
            )
            if open_job is not None:
                return open_job
        job = _job_create(kind, params=params, actor=actor, dedupe_key=kind if periodic else "")
        if not periodic:
            queue.send(job.pk, kind=kind)
    return job


def job_run_here(
    kind: str, *, params: dict[str, Any] | None = None, actor: User | None = None
) -> Job:
    """Record a job and run it in this process through the runner, as a worker would: the same
    handler, the same row on the jobs page, for a command run where no worker runs (tests, CI, a
    script). Nothing is queued, so no worker runs it again (but a failed attempt is retried by a
    worker, as a queued job's)."""
    job = _job_create(kind, params=params, actor=actor)
    runner.run(job.pk)
    job.refresh_from_db()
    return job


def job_cancel(*, job: Job) -> Job:
    """Stop a job: a waiting one at once, a running one at its next check (a solve keeps the best
    plan found so far)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not locked.is_open:
            raise ConflictError(_already_over(locked))
        if locked.status == JobStatus.WAITING:
            locked.status = JobStatus.CANCELLED
            locked.finished_at = timezone.now()
        locked.cancel_requested = True
        locked.save(update_fields=["status", "finished_at", "cancel_requested"])
    return locked


def _already_over(job: Job) -> str:
    return _("Ce travail est déjà terminé (%(status)s).") % {"status": job.get_status_display()}


def run_periodic(kind: str) -> str:
    """What a periodic schedule calls: a job row (so the run shows on the jobs page), run here."""
    job = job_enqueue(kind, periodic=True)
    if job.status != JobStatus.WAITING or job.attempts:
        return "skipped"
    return runner.run(job.pk)
