"""``manage.py purge_expired [--apply]``: remove what is past its retention period.

Dry run by default: it says what it would delete. Activity (visits and everything recorded on
them) older than HALTE_RETENTION_ACTIVITY_DAYS goes, then people with no activity left who were
registered before that date; replay records of the API older than HALTE_RETENTION_IDEMPOTENCY_DAYS
and login failures past the lockout window. Audit events are kept (append-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import models, transaction
from django.utils import timezone

from halte.core.management.base import HalteCommand


def _children_first(
    model: type[models.Model], queryset: models.QuerySet[Any], depth: int = 0
) -> list[tuple[str, models.QuerySet[Any]]]:
    """Deleting ``queryset`` needs its protected dependents gone first: plan them, recursively
    (sessions before visits, referral steps before referrals...)."""
    plan: list[tuple[str, models.QuerySet[Any]]] = []
    if depth < 6:
        for relation in model._meta.related_objects:
            if relation.on_delete is not models.PROTECT or not (
                relation.one_to_many or relation.one_to_one
            ):
                continue
            child = relation.related_model
            if not isinstance(child, type):
                continue
            dependents = child._default_manager.filter(**{f"{relation.field.name}__in": queryset})
            plan.extend(_children_first(child, dependents, depth + 1))
    plan.append((model._meta.label, queryset))
    return plan


def _dependents_first(cutoff: dt.datetime) -> list[tuple[str, models.QuerySet[Any]]]:
    """Querysets to delete, children before parents: old visits and all that hangs on them, then
    people registered before the cut-off with no visit since."""
    from halte.clients.models import Client
    from halte.visits.models import Visit

    plan = _children_first(Visit, Visit.objects.filter(arrived_at__lt=cutoff))
    idle = Client.objects.filter(created_at__lt=cutoff).exclude(visits__arrived_at__gte=cutoff)
    plan.extend(_children_first(Client, idle))
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
        visits_deleted = 0
        with transaction.atomic():
            for label, queryset in plan:
                count = queryset.count()
                if options["apply"] and count:
                    queryset.delete()
                    if label == "visits.Visit":
                        visits_deleted = count
                self.stdout.write(f"{label}: {count} {verb}")
        if visits_deleted:
            # The reports' roll-ups still counted the deleted visits: rebuild them from what is left.
            from halte.reports.rollups import refresh

            done = refresh(full=True)
            self.stdout.write(f"reports roll-ups rebuilt from {done.visits} visits")
        if not options["apply"]:
            self.stdout.write("Dry run: nothing deleted. Run again with --apply to delete.")
