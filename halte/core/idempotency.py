"""Idempotency-Key for the API's POSTs: a replay returns the first answer and writes nothing new.

The request runs in one transaction with the insertion of its record; a concurrent twin fails on
the record's unique constraint, rolls back everything it wrote, and answers with the winner's
response. Only successful answers are kept: a refused request may be retried as it is.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from halte.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "details": []}}, status=status)


def _principal(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return "t:" + hashlib.sha256(auth[7:].strip().encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status_code, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            return _error(
                400,
                "bad_idempotency_key",
                "Idempotency-Key : 1 à 100 caractères parmi A-Z a-z 0-9 _ . : -",
            )
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # the API will answer 401
        fingerprint = hashlib.sha256(request.path.encode() + b"\0" + request.body).hexdigest()
        found = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
        if found is not None:
            return self._answer_replay(found, fingerprint)
        try:
            with transaction.atomic():
                response = self.get_response(request)
                if 200 <= response.status_code < 300:
                    IdempotencyRecord.objects.create(
                        principal=principal,
                        key=key,
                        fingerprint=fingerprint,
                        status_code=response.status_code,
                        body=response.content.decode("utf-8"),
                    )
        except IntegrityError:
            winner = IdempotencyRecord.objects.filter(principal=principal, key=key).first()
            if winner is None:
                raise
            return self._answer_replay(winner, fingerprint)
        return response

    @staticmethod
    def _answer_replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
        if record.fingerprint != fingerprint:
            return _error(
                422,
                "idempotency_key_reused",
                "Cette Idempotency-Key a déjà servi pour une autre requête.",
            )
        return _replay(record)
