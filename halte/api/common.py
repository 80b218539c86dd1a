"""Pieces every router of the API shares."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Schema

from halte.accounts.models import User


def acting_user(request: HttpRequest) -> User:
    """The member of staff behind the request (token or session); the routers' auth guarantees
    one, this makes it typed."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


class Strict(Schema):
    """An input schema that refuses unknown fields, so a typo is a 422, not silently ignored."""

    model_config = {"extra": "forbid"}
