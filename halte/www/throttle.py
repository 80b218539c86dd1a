"""Public pages answer 429 with a plain page and ``Retry-After`` once an address asks too often
(the limiter and its rates: ``halte.core.throttle``)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from halte.core.throttle import public_request_allowed

View = Callable[..., HttpResponse]


def public_rate_limit(
    scope: str, *, methods: Collection[str] = ("POST",)
) -> Callable[[View], View]:
    """Limit a public view's ``methods`` (POST by default: reading stays free) to the scope's rate."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if request.method in methods:
                allowed, wait = public_request_allowed(request, scope)
                if not allowed:
                    response = render(request, "429.html", {"wait": wait}, status=429)
                    response["Retry-After"] = str(wait)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
