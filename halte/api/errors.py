"""The API's error contract, in one place.

Every answer under ``/api/`` that is not a success is JSON of one shape::

    {"error": {"code": "...", "message": "...", "details": [...]}}

with a message a person can read (French first). The API's exception handlers, the Idempotency-Key
middleware and the middleware that guards answers produced outside the API's views (an unknown
path, a method the path does not take, a crash in a middleware) all build it here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from halte.core.text import has_nul, nul_locations

API_PREFIX = "/api/"


class ErrorStatus(NamedTuple):
    """One error status of the API: its code, the generic message for an answer that no handler
    described more precisely (translated when the answer is made, in the language of the
    request), and what may cause it, written into the OpenAPI document of the operations that
    can answer it (empty: not documented per operation)."""

    code: str
    message: Promise
    causes: str = ""


ERRORS: dict[int, ErrorStatus] = {
    400: ErrorStatus(
        "bad_request",
        gettext_lazy("Requête refusée."),
        "En-tête Idempotency-Key mal formé, ou corps JSON illisible.",
    ),
    401: ErrorStatus(
        "unauthenticated",
        gettext_lazy("Authentification requise (jeton ou session)."),
        "Jeton absent, inconnu, expiré ou révoqué (en-tête WWW-Authenticate), ou session sans "
        "second facteur.",
    ),
    403: ErrorStatus(
        "forbidden",
        gettext_lazy("Action non autorisée pour votre rôle."),
        "Action non autorisée pour ce rôle.",
    ),
    404: ErrorStatus(
        "not_found",
        gettext_lazy("Introuvable."),
        "Introuvable, ou hors du périmètre de l'utilisateur.",
    ),
    405: ErrorStatus(
        "method_not_allowed",
        gettext_lazy("Méthode non permise sur ce chemin."),
        "Méthode non permise sur ce chemin (voir l'en-tête Allow).",
    ),
    409: ErrorStatus(
        "conflict",
        gettext_lazy("Conflit avec l'état actuel."),
        "Conflit avec l'état actuel, ou requête de même Idempotency-Key encore en cours.",
    ),
    413: ErrorStatus(
        "too_large",
        gettext_lazy("Requête trop volumineuse (1 Mo au plus)."),
        "Corps de requête trop volumineux (1 Mo au plus).",
    ),
    415: ErrorStatus(
        "unsupported_media_type",
        gettext_lazy("Type de contenu non pris en charge : envoyez du JSON."),
    ),
    422: ErrorStatus(
        "invalid_input",
        gettext_lazy("Données invalides : vérifiez les champs indiqués."),
        "Données invalides : champ inconnu ou mal formé, paramètre de requête inconnu, règle "
        "refusée.",
    ),
    500: ErrorStatus("server_error", gettext_lazy("Erreur interne ; elle a été journalisée.")),
    503: ErrorStatus("unavailable", gettext_lazy("Service momentanément indisponible.")),
}

# What a client whose token is missing, unknown, expired or revoked is told to do (RFC 6750).
WWW_AUTHENTICATE = 'Bearer realm="halte"'


def error_body(code: str, message: str, details: Iterable[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": list(details or [])}}


def error_response(
    status: int,
    code: str | None = None,
    message: str | None = None,
    details: Iterable[Any] | None = None,
) -> JsonResponse:
    """The one error answer of the API. ``code`` and ``message`` default to the status's own."""
    default_code, default_message, _causes = ERRORS.get(
        status, ERRORS[500 if status >= 500 else 400]
    )
    response = JsonResponse(
        error_body(code or default_code, message or str(default_message), details),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    if status == 401:
        response["WWW-Authenticate"] = WWW_AUTHENTICATE
    return response


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _is_error_shape(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return isinstance(error, dict) and {"code", "message", "details"} <= error.keys()


_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def route_template(request: HttpRequest) -> str | None:
    """The OpenAPI path of the request (``/api/v1/sites/{site_id}``), or None if no route."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return "/" + _ROUTE_PARAM.sub(r"{\1}", match.route)


class ApiErrorContractMiddleware:
    """HEAD is answered as GET without a body. Answers under ``/api/`` that Django or a middleware made (an unknown path, a method the
    path does not take, an exception outside the views) come out in the API's error shape, and a
    request with a query parameter the operation does not declare is refused with 422.

    ``query_names`` gives, for an OpenAPI path and a method, the query parameters declared; it is
    read from the API's own OpenAPI document, so the document and the check cannot disagree."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_request(request):
            return self.get_response(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"  # every GET of the API answers HEAD: the same, without a body
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                length = len(response.content)
                response.content = b""
                response["Content-Length"] = str(length)
        if response.status_code >= 400 and not _is_error_shape(response):
            replacement = error_response(response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not is_api_request(request):
            return None
        return _unknown_query_parameters(request) or _nul_characters(request)


def _unknown_query_parameters(request: HttpRequest) -> HttpResponse | None:
    if not request.GET:
        return None
    from halte.api.api import declared_query_names  # the API imports this module

    declared = declared_query_names(route_template(request) or "", request.method or "")
    if declared is None:
        return None  # not an operation of the API: the method answers 405, the path 404
    unknown = sorted(set(request.GET.keys()) - declared)
    if not unknown:
        return None
    return error_response(
        422,
        "unknown_query_parameter",
        _("Paramètre de requête inconnu : %(names)s.") % {"names": ", ".join(unknown)},
        [{"loc": ["query", name], "msg": _("Paramètre non reconnu.")} for name in unknown],
    )


def _nul_characters(request: HttpRequest) -> HttpResponse | None:
    """No stored text may hold a NUL character (PostgreSQL refuses it, and no person types one):
    one rule for every field of every operation, body and query alike."""
    found: list[tuple[str, ...]] = [
        ("query", name) for name, value in request.GET.lists() if has_nul([name, *value])
    ]
    try:
        raw = request.body if request.content_type == "application/json" else b""
    except RequestDataTooBig:
        return error_response(413)
    if raw:
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            body = None  # the operation answers the malformed body itself
        found += [("body", *loc) for loc in nul_locations(body)]
    if not found:
        return None
    return error_response(
        422,
        "invalid_input",
        _("Caractère nul (U+0000) refusé : retirez-le du champ indiqué."),
        [
            {"loc": [str(part) for part in loc], "msg": _("Caractère nul interdit.")}
            for loc in found
        ],
    )
