"""Abstract bases shared by the domain apps."""

import uuid

from django.db import models


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
