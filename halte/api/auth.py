"""API authentication: a bearer token, or the browser's session once its second factor is done.

A request that sends a token is judged on the token alone: an unknown, expired or revoked token
answers 401 (with ``WWW-Authenticate``), whatever cookie comes with it, so the client knows to
authenticate again. The session counts only for a signed-in user whose second factor is verified
and no temporary password is left to replace (the same rule as the screens,
``session_signed_in``); its CSRF check applies then, and only
then: a request with no valid credential is told to authenticate (401), not that its CSRF token is
wrong (403)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from halte.accounts.middleware import session_signed_in
from halte.accounts.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class VerifiedSession(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not session_signed_in(request):
            return None
        return super().__call__(request)


AUTH = [BearerToken(), VerifiedSession()]
