"""The clients app keeps a person while they have activity: someone registered before the
activity's retention period with no visit since goes, with what still hangs on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.clients.models import Client
from halte.retention.rules import Rule, register


def _period() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_RETENTION_ACTIVITY_DAYS)


def _idle_clients(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Client.objects.filter(created_at__lt=cutoff).exclude(visits__arrived_at__gte=cutoff)


register(Rule(name="clients", keep=_period, expired=_idle_clients, with_dependents=True))
