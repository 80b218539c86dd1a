"""The visits app keeps a visit, and everything recorded on it, for HALTE_RETENTION_ACTIVITY_DAYS
after the person arrived."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.retention.rules import Rule, register
from halte.visits.models import Visit


def activity_period() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_RETENTION_ACTIVITY_DAYS)


def _old_visits(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Visit.objects.filter(arrived_at__lt=cutoff)


register(Rule(name="visits", keep=activity_period, expired=_old_visits, with_dependents=True))
