"""The one place where the demo asks the reports to take in what it wrote: through the task queue,
as every background work (``halte.jobs``)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from halte.jobs.enums import JobStatus
from halte.jobs.models import Job
from halte.jobs.services import job_enqueue, job_run_here

KIND = "reports.refresh_rollups"
QUEUE, NOW = "queue", "now"


def add_rollups_argument(parser: CommandParser) -> None:
    """``--rollups queue|now``: leave the roll-ups to the worker (``make run`` starts one) or run
    the job here; by default here only where no worker runs (HALTE_ENV=test: tests, CI)."""
    parser.add_argument(
        "--rollups",
        choices=(QUEUE, NOW),
        default=None,
        help=(
            "queue: the worker folds the activity into the reports' roll-ups; now: this command "
            "runs that job itself (default: now with HALTE_ENV=test, queue otherwise)."
        ),
    )


def reports_follow(how: str | None) -> tuple[Job, str]:
    """Queue the roll-up job for what the demo just wrote, or run it here (``how``, see
    ``add_rollups_argument``), and say what became of it (for the command's output, in English
    as the rest of it). A job run here that does not finish stops the command."""
    # The reports' own refresh without its settling delay: the delay guards against a check-in
    # still being written, and none is once the demo has loaded: every visit is folded in at once.
    params = {"settle_seconds": 0}
    if (how or (NOW if settings.HALTE_ENV == "test" else QUEUE)) == QUEUE:
        job = job_enqueue(KIND, params=params)
        return job, "reports roll-ups: job queued, the worker will fold the activity in"
    job = job_run_here(KIND, params=params)
    if job.status != JobStatus.DONE:
        raise CommandError(f"reports roll-ups: the job did not finish ({job.failure})")
    return job, f"reports roll-ups: {job.result['visits']} visits folded in"
