"""The neighbourhood app keeps a resident's contact only while it serves to answer them: it is
deleted ``HALTE_NEIGHBOURHOOD_CONTACT_DAYS`` days (90 by default) after the report is closed.
Reports themselves (codes, street-level place, times) stay for the figures; pick-ups, rounds and
committees hold no personal data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.neighbourhood.enums import ReportStatus
from halte.neighbourhood.models import ReportContact
from halte.retention.rules import Rule, register


def _period() -> dt.timedelta:
    return dt.timedelta(days=settings.HALTE_NEIGHBOURHOOD_CONTACT_DAYS)


def _expired_contacts(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return ReportContact.objects.filter(
        report__status=ReportStatus.CLOSED, report__closed_at__lt=cutoff
    )


register(Rule(name="neighbourhood_report_contacts", keep=_period, expired=_expired_contacts))
