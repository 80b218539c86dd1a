"""One limiter for what anyone may call without signing in: the residents' report form, the public
orientation pages, the open data and the alert feed.

django-ninja's own throttle does the counting (a sliding window kept in Django's cache); this module
only names the scopes and their rates (settings ``HALTE_PUBLIC_RATES``) so that a public API operation
and a public page share one rule. The cache is per process unless ``CACHES`` says otherwise: with
several web processes, a client gets at most the rate times their number (docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


class PublicThrottle(SimpleRateThrottle):
    """Requests from one address within one scope, at the scope's rate from the settings."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__(settings.HALTE_PUBLIC_RATES[scope])

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def public_request_allowed(request: HttpRequest, scope: str) -> tuple[bool, int]:
    """Whether a public page may serve this request now, and the seconds to wait when not."""
    throttle = PublicThrottle(scope)
    if throttle.allow_request(request):
        return True, 0
    return False, max(1, round(throttle.wait() or throttle.duration or 1))
