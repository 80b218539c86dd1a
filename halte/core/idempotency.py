"""The records behind the API's Idempotency-Key (``halte.api.idempotency`` speaks HTTP; this
module only claims, answers and drops records).

A key is claimed by inserting its record without an answer, in its own short transaction: the
unique constraint lets one request claim it. The claimant writes its answer into the claim in the
same transaction as its own writes. A claim left without an answer by a request that died is
taken over after ``HALTE_IDEMPOTENCY_STALE_SECONDS``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from halte.core.models import IdempotencyRecord


@dataclass(frozen=True)
class Claimed:
    """This request holds the key: it runs, then answers."""

    record: IdempotencyRecord


@dataclass(frozen=True)
class Answered:
    """The key was answered already (or is held for another body): replay or refuse."""

    record: IdempotencyRecord


def idempotency_claim(*, principal: str, key: str, fingerprint: str) -> Claimed | Answered | None:
    """Claim the key for this request; or the record answered for it; or None while another
    request holding the key is still running (ask again shortly)."""
    try:
        with transaction.atomic():
            return Claimed(
                IdempotencyRecord.objects.create(
                    principal=principal, key=key, fingerprint=fingerprint
                )
            )
    except IntegrityError:
        pass
    found = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
    if found is None:
        return None  # the holder dropped its claim: claim again
    if found.status_code is not None or (found.fingerprint and found.fingerprint != fingerprint):
        return Answered(found)
    stale = timezone.now() - dt.timedelta(seconds=settings.HALTE_IDEMPOTENCY_STALE_SECONDS)
    if found.created_at < stale:
        now = timezone.now()
        taken = IdempotencyRecord.objects.filter(
            pk=found.pk, status_code__isnull=True, created_at=found.created_at
        ).update(created_at=now)
        if taken:
            found.created_at = now
            return Claimed(found)
    return None


def idempotency_answer(*, claim: Claimed, status_code: int, body: str) -> bool:
    """Write the answer into the claim, inside the request's own transaction; False if the claim
    was taken over meanwhile (the request ran past the stale limit) and must not land."""
    record = claim.record
    return bool(
        IdempotencyRecord.objects.filter(
            pk=record.pk, status_code__isnull=True, created_at=record.created_at
        ).update(status_code=status_code, body=body)
    )


def idempotency_drop(*, claim: Claimed) -> None:
    """Give the key back: the request was not acknowledged and wrote nothing."""
    IdempotencyRecord.objects.filter(pk=claim.record.pk, status_code__isnull=True).delete()
