"""The one module that talks to the task queue (django-q2, ADR 0007).

Messages carry a job's integer key and nothing else; the job row holds the rest. With the ORM
broker the message is a row in the same database, written in the caller's transaction: a job and
its message are committed together or not at all. Moving to Django's own tasks framework, when it
has a worker, retries and schedules, means rewriting this module and nothing else.
"""

from __future__ import annotations

import datetime as dt

from django_q.models import Schedule
from django_q.tasks import async_task

RUNNER = "halte.jobs.runner.run"


def send(job_id: int, *, kind: str) -> None:
    """Queue the job now."""
    async_task(RUNNER, job_id, task_name=f"{kind}:{job_id}", group=kind)


def send_at(job_id: int, *, kind: str, when: dt.datetime) -> None:
    """Queue the job at ``when`` (a retry after a failure): a one-off schedule."""
    Schedule.objects.create(
        name=f"retry:{kind}:{job_id}:{when.timestamp():.0f}",
        func=RUNNER,
        args=repr((job_id,)),
        schedule_type=Schedule.ONCE,
        repeats=1,
        next_run=when,
    )
