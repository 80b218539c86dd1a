"""Deleting what is past its retention period, by the rules the apps declare (``rules``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone

from halte.retention.rules import registered
from halte.retention.signals import purged

# Deep enough for the longest chain of protected keys (visit → session → incident ...).
MAX_DEPTH = 6


def children_first(
    model: type[models.Model], queryset: models.QuerySet[Any], depth: int = 0
) -> list[tuple[str, models.QuerySet[Any]]]:
    """Deleting ``queryset`` needs its protected dependents gone first: plan them, recursively."""
    plan: list[tuple[str, models.QuerySet[Any]]] = []
    if depth < MAX_DEPTH:
        # Hidden reverse relations too (a foreign key with related_name="+" still protects).
        relations = [
            f
            for f in model._meta.get_fields(include_hidden=True)
            if f.auto_created and not f.concrete and isinstance(f, ForeignObjectRel)
        ]
        for relation in relations:
            if relation.on_delete is not models.PROTECT or not (
                relation.one_to_many or relation.one_to_one
            ):
                continue
            child = relation.related_model
            if not isinstance(child, type):
                continue
            dependents = child._default_manager.filter(**{f"{relation.field.name}__in": queryset})
            plan.extend(children_first(child, dependents, depth + 1))
    plan.append((model._meta.label, queryset))
    return plan


def purge_plan(*, now: dt.datetime) -> list[tuple[str, models.QuerySet[Any]]]:
    """Querysets to delete, in order: each rule's expired rows, their dependents first."""
    plan: list[tuple[str, models.QuerySet[Any]]] = []
    for rule in registered():
        expired = rule.expired(now - rule.keep())
        if rule.with_dependents:
            plan.extend(children_first(expired.model, expired))
        else:
            plan.append((expired.model._meta.label, expired))
    return plan


def purge_expired(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete every row past its app's retention period, in one transaction; answer the rows
    deleted per model label (with ``dry_run``, the rows that would be, deleting nothing). Audit
    events are kept: the audit app declares no rule."""
    moment = now or timezone.now()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for label, queryset in purge_plan(now=moment):
            count = queryset.count()
            counts[label] += count
            if count and not dry_run:
                queryset.delete()
    if not dry_run and any(counts.values()):
        purged.send(sender=purge_expired, counts=dict(counts))
    return dict(counts)
