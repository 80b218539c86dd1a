"""``manage.py purge_expired [--apply]``: remove what is past its retention period.

Dry run by default: it says what it would delete. Activity (visits and everything recorded on
them) older than HALTE_RETENTION_ACTIVITY_DAYS goes, then people with no activity left who were
registered before that date; replay records of the API older than HALTE_RETENTION_IDEMPOTENCY_DAYS
and login failures past the lockout window. Audit events are kept (append-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandParser
from django.db import models, transaction
from django.utils import timezone

from halte.core.management.base import HalteCommand


def _dependents_first(cutoff: dt.datetime) -> list[tuple[str, models.QuerySet[Any]]]:
    """Querysets to delete, children before parents (every model pointing at a visit, then
    sessions, then visits, then people left without activity)."""
    from halte.clients.models import Ban, Client
    from halte.consumption.models import Incident, Session
    from halte.visits.models import Visit

    old_visits = Visit.objects.filter(arrived_at__lt=cutoff)
    plan: list[tuple[str, models.QuerySet[Any]]] = []
    for model in apps.get_models():
        if model in {Session, Incident, Visit}:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Visit:
                plan.append(
                    (model._meta.label, model.objects.filter(**{f"{field.name}__in": old_visits}))
                )
    plan.append(("consumption.Incident", Incident.objects.filter(occurred_at__lt=cutoff)))
    plan.append(("consumption.Session", Session.objects.filter(visit__in=old_visits)))
    plan.append(("visits.Visit", old_visits))
    idle = Client.objects.filter(created_at__lt=cutoff).exclude(visits__arrived_at__gte=cutoff)
    plan.append(("clients.Ban", Ban.objects.filter(client__in=idle, starts_on__lt=cutoff.date())))
    plan.append(("clients.Client", idle))
    return plan


class Command(HalteCommand):
    help = "Delete data past its retention period (dry run unless --apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Really delete (default: dry run)."
        )

    def run(self, *args: Any, **options: Any) -> None:
        from halte.accounts.models import LoginFailure
        from halte.core.models import IdempotencyRecord

        now = timezone.now()
        cutoff = now - dt.timedelta(days=settings.HALTE_RETENTION_ACTIVITY_DAYS)
        plan = [
            *_dependents_first(cutoff),
            (
                "core.IdempotencyRecord",
                IdempotencyRecord.objects.filter(
                    created_at__lt=now
                    - dt.timedelta(days=settings.HALTE_RETENTION_IDEMPOTENCY_DAYS)
                ),
            ),
            (
                "accounts.LoginFailure",
                LoginFailure.objects.filter(
                    at__lt=now - dt.timedelta(seconds=settings.HALTE_LOGIN_LOCK_SECONDS)
                ),
            ),
        ]
        verb = "deleted" if options["apply"] else "would be deleted"
        with transaction.atomic():
            for label, queryset in plan:
                count = queryset.count()
                if options["apply"] and count:
                    queryset.delete()
                self.stdout.write(f"{label}: {count} {verb}")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing deleted. Run again with --apply to delete.")
