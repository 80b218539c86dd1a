"""The accounts app keeps a failed login only as long as it can lock the account."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from halte.accounts.models import LoginFailure
from halte.retention.rules import Rule, register


def _lockout_window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.HALTE_LOGIN_LOCK_SECONDS)


def _old_failures(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return LoginFailure.objects.filter(at__lt=cutoff)


register(Rule(name="accounts.login_failures", keep=_lockout_window, expired=_old_failures))
