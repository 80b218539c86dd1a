"""Errors raised by services, shown to users as they are.

Services raise these with a message a person can act on (in French, translatable); views turn them
into form errors and the API into its one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import IntegrityError, transaction


class DomainError(Exception):
    """A rule of the domain refused the action; nothing was written."""

    status_code = 422
    code = "rule_refused"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """The action collides with the current state (a busy booth, a taken bed)."""

    status_code = 409
    code = "conflict"


@contextmanager
def integrity_as_conflict(message: str, *, field: str | None = None) -> Iterator[None]:
    """Run the block's writes in a savepoint; when the database refuses them (a twin request took
    the place first), roll the savepoint back and raise a ConflictError saying ``message`` on
    ``field``."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise ConflictError(message, field=field) from exc
