"""The shape every screen repeats: a form, a service, a message, a redirect. Pages need a signed-in
user (``LoginRequiredMiddleware``); the few open ones say so with ``login_not_required``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.accounts.permissions import can_record_at
from halte.core.errors import DomainError
from halte.network.models import Site
from halte.network.selectors import get_site_for_user


def staff(request: HttpRequest) -> User:
    """The signed-in member of staff: the login middleware lets no one else reach a screen."""
    return cast("User", request.user)


def desk_site(request: HttpRequest, site_id: uuid.UUID) -> Site:
    """A site where the user records (front desk, room, material): 404 for any other."""
    site = get_site_for_user(request.user, site_id)
    if not can_record_at(request.user, site):
        raise Http404(_("Site introuvable."))
    return site


@contextmanager
def reported(request: HttpRequest, success: str = "") -> Iterator[None]:
    """Run a service in the block: say ``success`` when it is done, or the refusal's own words.
    A refusal does not propagate: the caller redirects either way."""
    try:
        yield
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if success:
            messages.success(request, success)


def refuse(form: forms.BaseForm, exc: DomainError) -> None:
    """Put a service's refusal on the form: on its field when the form has it, else on the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
