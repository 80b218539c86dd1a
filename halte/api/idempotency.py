"""Idempotency-Key for the API's POSTs: every request carrying a key already seen gets the first
answer, and writes nothing new.

The key is claimed first (``halte.core.idempotency``: a record without an answer, which the
unique constraint lets one request make). The claimant runs the request and writes its answer into
the claim in the same transaction as the request's own writes: both land or neither does. A twin
sent at the same time, or a retry while the first is still running, finds the claim and waits for
the answer, then replays it. Answers about the request (successes, refusals such as 409 or 422)
are kept; answers about the credentials (401, 403) or a server error are not: nothing was written,
the claim is dropped and the request may run again. A claim left without an answer by a request
that died is taken over after ``HALTE_IDEMPOTENCY_STALE_SECONDS``.

The fingerprint of the request is an HMAC keyed with the server's secret, never a plain hash: the
body may hold identity inputs, and a copy of the database must not confirm a guess of them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from halte.accounts.models import hash_token
from halte.api.errors import error_response, is_api_request
from halte.core.idempotency import (
    Answered,
    Claimed,
    idempotency_answer,
    idempotency_claim,
    idempotency_drop,
)
from halte.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")
POLL_SECONDS = 0.05


def _principal(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return "t:" + hash_token(auth[7:].strip())[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def request_fingerprint(path: str, body: bytes) -> str:
    """Keyed: without the server's secret, nobody can tell which body gave this fingerprint."""
    return salted_hmac(
        "halte.api.idempotency", path.encode() + b"\0" + body, algorithm="sha256"
    ).hexdigest()


def _kept(response: HttpResponse) -> bool:
    status = response.status_code
    return not response.streaming and status < 500 and status not in (401, 403)


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint and record.fingerprint != fingerprint:
        return error_response(
            422,
            "idempotency_key_reused",
            _("Cette Idempotency-Key a déjà servi pour une autre requête."),
        )
    status = record.status_code or 200
    response = HttpResponse(record.body, status=status, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not is_api_request(request):
            return self.get_response(request)
        if not KEY_PATTERN.match(key):
            return error_response(
                400,
                "bad_idempotency_key",
                _("Idempotency-Key : 1 à 100 caractères parmi A-Z a-z 0-9 _ . : -"),
            )
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)  # the API will answer 401
        try:
            body = request.body
        except RequestDataTooBig:
            return error_response(413)
        fingerprint = request_fingerprint(request.path, body)
        deadline = time.monotonic() + settings.HALTE_IDEMPOTENCY_WAIT_SECONDS
        while True:
            claim = idempotency_claim(principal=principal, key=key, fingerprint=fingerprint)
            if isinstance(claim, Claimed):
                return self._run(request, claim)
            if isinstance(claim, Answered):
                return _replay(claim.record, fingerprint)
            if time.monotonic() > deadline:
                response = error_response(
                    409,
                    "idempotency_in_progress",
                    _("Une requête de même Idempotency-Key est encore en cours : réessayez."),
                )
                response["Retry-After"] = "1"
                return response
            time.sleep(POLL_SECONDS)

    def _run(self, request: HttpRequest, claim: Claimed) -> HttpResponse:
        with transaction.atomic():
            response = self.get_response(request)
            if _kept(response) and idempotency_answer(
                claim=claim,
                status_code=response.status_code,
                body=response.content.decode("utf-8"),
            ):
                return response
            transaction.set_rollback(True)  # not acknowledged: nothing of it may stay
        idempotency_drop(claim=claim)
        return response
