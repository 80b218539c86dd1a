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
