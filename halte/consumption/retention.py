"""The consumption app keeps a refusal at the door or at the room for HALTE_RETENTION_ACTIVITY_DAYS,
as the visits it is counted beside. Sessions, waits and their watch hang on a visit and go with it
(``visits.retention``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from halte.consumption.models import Refusal
from halte.retention.rules import Rule, register
from halte.visits.retention import activity_period


def _old_refusals(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return Refusal.objects.filter(at__lt=cutoff)


register(Rule(name="consumption.refusals", keep=activity_period, expired=_old_refusals))
