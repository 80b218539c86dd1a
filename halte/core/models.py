"""Abstract bases and named constraints shared by the domain apps."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from halte.core.errors import DomainError

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PublicModel(models.Model):
    """A model reachable from a URL: it carries a random public id, never its integer key."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def audit_id(self) -> str:
        """The id the audit trail stores for this object: its public id."""
        return str(self.public_id)


def not_before(
    later: str, earlier: str, *, name: str, message: StrOrPromise
) -> models.CheckConstraint:
    """A named check that ``later``, once set, does not come before ``earlier`` (an end after its
    start, a result after its sample)."""
    return models.CheckConstraint(
        name=name,
        condition=Q(**{f"{later}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)}),
        violation_error_message=message,
    )


def service_period_checks(owner: str, *, open_message: StrOrPromise) -> list[models.BaseConstraint]:
    """What a period something was in service (a booth, a bed) keeps: an ``end``, once set, not
    before its ``start``, and one open period (no ``end`` yet) per ``owner``."""
    return [
        not_before(
            "end",
            "start",
            name=f"{owner}_service_ends_after_it_starts",
            message=_("La fin de service précède sa mise en service."),
        ),
        models.UniqueConstraint(
            fields=[owner],
            condition=Q(end__isnull=True),
            name=f"{owner}_service_one_open_per_{owner}",
            violation_error_message=open_message,
        ),
    ]


def serve_from(
    periods: type[models.Model],
    owner: str,
    *,
    serving: Iterable[int],
    withdrawn: Iterable[int],
    on: dt.date,
) -> None:
    """Rewrite the service periods (``start`` included, ``end`` excluded or None, one open per
    ``owner``, see ``service_period_checks``) so that from ``on`` to today the ``serving`` owners
    (booths, beds: their ids) are in service without a break and the ``withdrawn`` ones are not.
    Before ``on`` nothing moves: a change recorded late says what held since the day it took
    effect, later records of the same owners included. Writes only what differs."""
    manager: Any = periods._default_manager
    serving, withdrawn = list(serving), list(withdrawn)
    gone = manager.filter(**{f"{owner}_id__in": withdrawn})
    gone.filter(start__gte=on).delete()  # never served before ``on``: it goes
    gone.filter(Q(end__isnull=True) | Q(end__gt=on)).update(end=on)
    reaching: dict[int, list[Any]] = {}
    for period in manager.filter(
        Q(end__isnull=True) | Q(end__gte=on), **{f"{owner}_id__in": list(serving)}
    ).order_by("start", "pk"):
        reaching.setdefault(getattr(period, f"{owner}_id"), []).append(period)
    for owner_id in serving:
        rows = reaching.get(owner_id, [])
        if not rows:
            manager.create(**{f"{owner}_id": owner_id}, start=on)
            continue
        first, later = rows[0], rows[1:]
        if later:  # periods after a break since ``on``: the break did not happen
            manager.filter(pk__in=[p.pk for p in later]).delete()
        if first.end is not None or first.start > on:
            manager.filter(pk=first.pk).update(start=min(first.start, on), end=None)


QUANTITY_POSITIVE = _("La quantité doit être positive.")


def positive(
    field: str, *, name: str, message: StrOrPromise = QUANTITY_POSITIVE
) -> models.CheckConstraint:
    """A named check that ``field`` is above zero (a quantity given, a count of something)."""
    return models.CheckConstraint(
        name=name, condition=Q(**{f"{field}__gt": 0}), violation_error_message=message
    )


# The services' words for what model validation refuses most: a code outside the list, a text too
# long for its column.
REFUSALS = {
    "invalid_choice": _("Valeur inconnue."),
    "max_length": _("Texte trop long : %(limit)s caractères au plus."),
}


def validate_fields(
    instance: models.Model, *fields: str, shown_as: Mapping[str, str] | None = None
) -> None:
    """Run the model's validation of ``fields`` (their choices, lengths and validators) before
    anything is written, and raise the first refusal as a DomainError in the services' words, on
    the field the caller knows (``shown_as`` renames a model field, as the API names it)."""
    exclude = {f.name for f in instance._meta.fields} - set(fields)
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        field, errors = next(iter(exc.error_dict.items()))
        error = errors[0]
        message = REFUSALS.get(error.code or "")
        params = {"limit": (error.params or {}).get("limit_value")}
        text = str(message) % params if message else " ".join(error.messages)
        shown = (shown_as or {}).get(field, field)
        raise DomainError(text, field=None if field == NON_FIELD_ERRORS else shown) from exc


def validate_model(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's whole validation (fields, ``clean()``, unique and check constraints) before
    the instance is saved, and raise the first field's refusal as one DomainError in the model's
    own words (its constraints' messages), on that field or on none."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(
            " ".join(messages), field=None if field == NON_FIELD_ERRORS else field
        ) from exc


class IdempotencyRecord(models.Model):
    """The answer to a POST carrying an Idempotency-Key, replayed for the same key.

    Tablets lose their connection and send again; the second request must not create a second
    visit. The record is claimed (inserted, without an answer) before the request runs, so a twin
    sent at the same time finds it and waits for the answer instead of running; the unique
    constraint makes the claim one per key. The fingerprint is keyed (HMAC with the server's
    secret): a copy of the database cannot confirm a guessed request body."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    # NULL while the first request is still running (claimed, not answered yet).
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "key"], name="idempotency_key_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.principal}:{self.key}"
