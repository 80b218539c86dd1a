"""The JSON API, version 1. One error shape for everything: ``{"error": {"code", "message",
"details"}}``, with a message a person can read."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from halte.api.auth import AUTH
from halte.api.routers import (
    care,
    frontdesk,
    geo,
    health,
    lodging,
    outreach,
    planning,
    reports,
    sites,
)
from halte.core.errors import DomainError

logger = logging.getLogger("halte.api")

api = NinjaAPI(
    title="Halte API",
    version="1",
    description=(
        "Registre du réseau de réduction des risques. Authentification : "
        "`Authorization: Bearer <jeton>` (`manage.py issue_token USER`) ou session du navigateur."
    ),
    auth=AUTH,
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: Any = None
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Echoing the input back could echo personal data: keep where and what, not the value.
    return [
        {"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in errors
    ]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        422,
        "invalid_input",
        "Données invalides : vérifiez les champs indiqués.",
        _validation_details(exc.errors),
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "unauthenticated", "Authentification requise (jeton ou session)."
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Introuvable.")


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Action non autorisée pour votre rôle."
    return error_response(request, 403, "forbidden", message)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    details = [{"loc": [exc.field], "msg": exc.message}] if exc.field else []
    return error_response(request, exc.status_code, exc.code, exc.message, details)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(request, 413, "too_large", "Requête trop volumineuse (1 Mo au plus).")


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(request, 400, "bad_request", "Requête refusée.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error on %s %s", request.method, request.path)
    return error_response(request, 500, "server_error", "Erreur interne ; elle a été journalisée.")


api.add_router("/", health.router)
api.add_router("/", frontdesk.router)
api.add_router("/sites", sites.router)
api.add_router("/geo", geo.router)
api.add_router("/planning", planning.router)
api.add_router("/", care.router)
api.add_router("/", lodging.router)
api.add_router("/", outreach.router)
api.add_router("/", reports.router)
