"""Login lockout: after too many failures for one account, it is locked for a while.

Counted per account, not per address: on a shared tablet every attempt comes from one address, and
an attacker changes addresses easily. Failures are forgotten after the window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.forms import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from halte.accounts.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.HALTE_LOGIN_LOCK_SECONDS)


def login_locked(username: str) -> bool:
    """True while the account has had too many failures within the window."""
    recent = LoginFailure.objects.filter(username=username.lower(), at__gte=_window_start()).count()
    return recent >= settings.HALTE_LOGIN_MAX_FAILURES


@receiver(user_login_failed)
def _record_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150].lower()
    if username:
        LoginFailure.objects.filter(at__lt=_window_start()).delete()
        LoginFailure.objects.create(username=username)


@receiver(user_logged_in)
def _clear_failures(sender: Any, user: Any, **kwargs: Any) -> None:
    LoginFailure.objects.filter(username=user.get_username().lower()).delete()


class LockoutModelBackend(ModelBackend):
    """The password check, which a locked account never passes, whichever door asks (the login
    page, the admin's, a command): the lock is the backend's, not a form's."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if name and login_locked(str(name)):
            # authenticate() stops at PermissionDenied and counts the attempt as a failure.
            raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
        "locked": _(
            "Compte verrouillé après trop d'échecs : réessayez dans 15 minutes ou demandez à "
            "l'administration."
        ),
    }

    def clean(self) -> dict[str, Any]:
        # Checked before the password, to say why; the backend refuses a locked account anyway.
        username = self.cleaned_data.get("username")
        if username and login_locked(username):
            raise ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
