"""Finished background jobs are kept HALTE_RETENTION_JOBS_DAYS for the jobs page, then go (a
report file goes with its job: halte.reports.jobs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.jobs.enums import FINISHED_STATUSES
from halte.jobs.models import Job
from halte.retention.rules import Rule, register


def _kept() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_RETENTION_JOBS_DAYS)


def _old_jobs(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Job.objects.filter(
        status__in=FINISHED_STATUSES,
        created_at__lt=cutoff,
    )


register(Rule(name="jobs.finished", keep=_kept, expired=_old_jobs))
