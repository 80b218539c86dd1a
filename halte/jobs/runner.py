"""Run one job, once, however often the queue delivers it.

The queue (ADR 0007) delivers at least once: a message whose worker was killed comes back after
the broker's ``retry`` delay. The job row decides what happens: a finished or cancelled job is not
run again; a job still marked running since less than the queue's timeout is running elsewhere
(left alone); an older running mark is a dead attempt, and the job starts again, counting it, up
to its kind's number of attempts. A handler raising a ``DomainError`` fails at once with its
message (trying again would change nothing); any other error is logged and tried again later,
then shown as failed with a plain sentence, never a trace.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from halte.core.errors import DomainError
from halte.jobs import queue
from halte.jobs.enums import FINISHED_STATUSES, JobStatus
from halte.jobs.models import Job
from halte.jobs.registry import get_kind

logger = logging.getLogger(__name__)

# Between two reads of the cancel flag, and two writes of the progress of one job.
POLL_SECONDS = 1.0


class JobCancelled(Exception):
    """Raised by a handler (through ``JobContext.stop_if_cancelled``) when asked to stop."""


class JobContext:
    """What a handler sees of its job: the parameters, a progress reporter and the cancel flag."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = dict(job.params)
        self._last_cancel_check = 0.0
        self._cancelled = job.cancel_requested

    def progress(self, percent: int) -> None:
        """Record how far the job is (0–100)."""
        Job.objects.filter(pk=self.job.pk).update(progress=max(0, min(100, int(percent))))

    def cancelled(self) -> bool:
        """True once someone asked to stop this job (read at most once a second)."""
        now = time.monotonic()
        if not self._cancelled and now - self._last_cancel_check >= POLL_SECONDS:
            self._last_cancel_check = now
            self._cancelled = Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()
        return self._cancelled

    def stop_if_cancelled(self) -> None:
        if self.cancelled():
            raise JobCancelled


def lease() -> dt.timedelta:
    """How long a running attempt may live: the queue kills it after its timeout."""
    return dt.timedelta(seconds=settings.HALTE_JOB_TIMEOUT)


def _finish(job_id: int, status: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(status=status, finished_at=timezone.now(), **fields)


def _claim(job_id: int) -> Job | None:
    """Mark the job running for this attempt, or say why it must not run (None)."""
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in FINISHED_STATUSES:
            return None
        if job.status == JobStatus.RUNNING and job.started_at and now - job.started_at < lease():
            logger.info("job %s is running elsewhere: this delivery is dropped", job.public_id)
            return None
        if job.cancel_requested:
            _finish(job.pk, JobStatus.CANCELLED)
            return None
        if job.attempts >= job.max_attempts:
            _finish(
                job.pk,
                JobStatus.FAILED,
                failure=_("Abandonné après %(n)d essais interrompus.") % {"n": job.attempts},
            )
            return None
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.finished_at = None
        job.progress = 0
        job.save(update_fields=["status", "attempts", "started_at", "finished_at", "progress"])
    return job


def run(job_id: int) -> str:
    """Entry point of the queue's message: run the job if it still has to run. Returns a word
    saying what happened (kept in the queue's own results)."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    kind = get_kind(job.kind)
    try:
        result = kind.handler(JobContext(job))
    except JobCancelled:
        _finish(job.pk, JobStatus.CANCELLED)
        return "cancelled"
    except DomainError as exc:
        _finish(job.pk, JobStatus.FAILED, failure=str(exc.message)[:300])
        return "failed"
    except Exception:
        logger.exception("job %s (%s) failed on attempt %d", job.public_id, job.kind, job.attempts)
        if job.attempts < job.max_attempts:
            when = timezone.now() + dt.timedelta(seconds=settings.HALTE_JOB_RETRY_SECONDS)
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(
                    status=JobStatus.WAITING,
                    failure=_("L'essai %(n)d a échoué (erreur journalisée) ; nouvel essai prévu.")
                    % {"n": job.attempts},
                )
                queue.send_at(job.pk, kind=job.kind, when=when)
            return "retry"
        _finish(
            job.pk,
            JobStatus.FAILED,
            failure=_("Échec après %(n)d essais ; l'erreur est journalisée.") % {"n": job.attempts},
        )
        return "failed"
    _finish(job.pk, JobStatus.DONE, result=result or {}, progress=100, failure="")
    return "done"
