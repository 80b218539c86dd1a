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


class IdempotencyRecord(models.Model):
    """The first answer to a POST carrying an Idempotency-Key, replayed for the same key.

    Tablets lose their connection and send again; the second request must not create a second
    visit. The unique constraint makes two concurrent requests with one key yield one write."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "key"], name="idempotency_key_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.principal}:{self.key}"
