"""The API keeps the answer to an Idempotency-Key for HALTE_RETENTION_IDEMPOTENCY_DAYS: long
enough for a client's retries, not a record of its requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.core.models import IdempotencyRecord
from halte.retention.rules import Rule, register


def _replay_period() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_RETENTION_IDEMPOTENCY_DAYS)


def _old_records(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return IdempotencyRecord.objects.filter(created_at__lt=cutoff)


register(Rule(name="api.idempotency", keep=_replay_period, expired=_old_records))
