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
