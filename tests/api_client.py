"""The API as a client sees it: a staff member's bearer token on every request, an idempotency key
when asked."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client as HttpClient

from halte.accounts.models import User
from halte.accounts.services import api_token_issue


class Api:
    """Requests to ``/api/v1`` as ``user``."""

    def __init__(self, user: User) -> None:
        self.http = HttpClient()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=user)}"}

    def post(self, path: str, body: dict[str, Any] | None = None, key: str | None = None) -> Any:
        extra = dict(self.headers)
        if key:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        return self.http.post(
            f"/api/v1{path}",
            json.dumps(body or {}, default=str),
            content_type="application/json",
            **extra,
        )

    def get(self, path: str) -> Any:
        return self.http.get(f"/api/v1{path}", **self.headers)
