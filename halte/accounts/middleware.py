"""Ends a browser session after a period without a deliberate action."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LAST_SEEN = "halte_last_action"


def _is_background(request: HttpRequest) -> bool:
    # The boards refresh themselves with fetch(); those requests are not someone at the tablet.
    return request.headers.get("X-Requested-With") == "fetch" or request.path.endswith("/status/")


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not request.path.startswith("/api/")
        ):
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - int(last) > settings.HALTE_IDLE_SECONDS:
                logout(request)
                messages.info(
                    request, _("Session fermée après une période d'inactivité : reconnectez-vous.")
                )
                if _is_background(request):
                    return HttpResponse(status=401)
                return redirect_to_login(request.get_full_path())
            if not _is_background(request):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


VERIFIED = "halte_second_factor"
OPEN_PATHS = (
    "/connexion/",
    "/deconnexion/",
    "/compte/second-facteur/",
    "/static/",
    "/api/",
    "/i18n/",
)


def second_factor_satisfied(request: HttpRequest) -> bool:
    """True once the signed-in user of this session has done what the second factor asks: typed
    a valid authenticator code, or has nothing to type (no authenticator, and none required here).

    The one rule for every door: the screens (``SecondFactorMiddleware``), the admin and the API's
    session authentication all ask it."""
    if request.session.get(VERIFIED):
        return True
    device = getattr(request.user, "totp", None) if hasattr(request.user, "totp") else None
    if (device is not None and device.confirmed_at is not None) or settings.HALTE_REQUIRE_2FA:
        return False
    request.session[VERIFIED] = True  # nothing to ask: remember it for this session
    return True


def session_signed_in(request: HttpRequest) -> bool:
    """True when the session may act: its second factor done, and no temporary password left to
    replace. The API's session authentication asks it (the screens send to the page that says
    what is missing instead)."""
    user = request.user
    return second_factor_satisfied(request) and not getattr(user, "must_change_password", False)


class SecondFactorMiddleware:
    """After the password, the authenticator code: a user who has an authenticator is always asked
    for it; where HALTE_REQUIRE_2FA is on, a user without one is sent to set it up first. Then a
    temporary password must be replaced before any other page. The API is left to its own
    authentication, which applies the same rule and answers 401."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PATHS):
            return self.get_response(request)
        if not second_factor_satisfied(request):
            return redirect_to_login(request.get_full_path(), login_url="/compte/second-facteur/")
        if getattr(user, "must_change_password", False) and request.path != PASSWORD_PAGE:
            # A temporary password opens one page only: the one that replaces it.
            return redirect_to_login(request.get_full_path(), login_url=PASSWORD_PAGE)
        return self.get_response(request)


PASSWORD_PAGE = "/comptes/mot-de-passe/"  # noqa: S105 - a URL, not a password
