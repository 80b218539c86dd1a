"""Periodic jobs come from the settings (``HALTE_PERIODIC_JOBS``), not from cron lines.

Each entry is a job kind with either ``every_minutes`` or ``daily_at`` ("HH:MM", Paris time). The
worker writes them as the queue's schedules when it starts; a schedule removed from the settings
is removed from the queue. Several workers may start at once: the rows are keyed by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from halte.jobs.registry import get_kind

PREFIX = "halte:"
RUN_PERIODIC = "halte.jobs.services.run_periodic"


def _next_daily(at: str, now: dt.datetime) -> dt.datetime:
    try:
        hour, minute = (int(part) for part in at.split(":"))
        wanted = dt.time(hour, minute)
    except ValueError as exc:
        raise ImproperlyConfigured(f"daily_at {at!r}: expected HH:MM") from exc
    local = timezone.localtime(now)
    candidate = local.replace(hour=wanted.hour, minute=wanted.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + dt.timedelta(days=1)


def schedule_fields(kind: str, spec: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    """The queue's schedule for one entry of ``HALTE_PERIODIC_JOBS``."""
    get_kind(kind)  # a typo in the settings fails here, not silently at night
    if "every_minutes" in spec:
        minutes = int(spec["every_minutes"])
        if minutes < 1:
            raise ImproperlyConfigured(f"{kind}: every_minutes must be at least 1")
        return {
            "schedule_type": Schedule.MINUTES,
            "minutes": minutes,
            "next_run": now + dt.timedelta(seconds=5),
        }
    if "daily_at" in spec:
        return {"schedule_type": Schedule.DAILY, "next_run": _next_daily(spec["daily_at"], now)}
    raise ImproperlyConfigured(f"{kind}: give every_minutes or daily_at")


def sync_schedules(periodic: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """Write the configured periodic jobs as the queue's schedules; returns their names."""
    wanted = cast(
        "Mapping[str, Mapping[str, Any]]",
        settings.HALTE_PERIODIC_JOBS if periodic is None else periodic,
    )
    now = timezone.now()
    names = []
    with transaction.atomic():
        for kind, spec in wanted.items():
            fields = schedule_fields(kind, spec, now)
            name = PREFIX + kind
            existing = Schedule.objects.filter(name=name).first()
            same = existing is not None and (
                existing.schedule_type == fields["schedule_type"]
                and existing.minutes == fields.get("minutes")
                and (
                    fields["schedule_type"] != Schedule.DAILY
                    or timezone.localtime(existing.next_run).time()
                    == timezone.localtime(fields["next_run"]).time()
                )
            )
            if not same:
                Schedule.objects.update_or_create(
                    name=name,
                    defaults={
                        "func": RUN_PERIODIC,
                        "args": repr((kind,)),
                        "repeats": -1,
                        "minutes": fields.get("minutes"),
                        **fields,
                    },
                )
            names.append(name)
        Schedule.objects.filter(name__startswith=PREFIX).exclude(name__in=names).delete()
    return names
