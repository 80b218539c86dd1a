"""The JSON API, version 1. One error shape for everything: ``{"error": {"code", "message",
"details"}}``, with a message a person can read."""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from halte.api.auth import AUTH
from halte.api.docs import DOCS
from halte.api.errors import ERRORS, error_response
from halte.api.routers import (
    alerts,
    care,
    frontdesk,
    geo,
    health,
    lodging,
    neighbourhood,
    opendata,
    outreach,
    pathway,
    plan,
    planning,
    recap,
    reports,
    room,
    sites,
    surveys,
)
from halte.core.errors import DomainError

logger = logging.getLogger("halte.api")

_ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "array", "items": {}},
            },
        }
    },
}


def _error_statuses(method: str, operation: dict[str, Any], path: str) -> list[int]:
    statuses = [405, 422]
    if operation.get("security"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if method == "post":
        statuses += [400, 409, 413]
    return sorted(statuses)


class HalteAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """The generated document, with the error answers of each operation in the one shape."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in _error_statuses(method, operation, path):
                    responses.setdefault(str(status), {"description": ERRORS[status].causes, **ref})
        return schema


api = HalteAPI(
    title="Halte API",
    version="1",
    description=(
        "Registre du réseau de réduction des risques. Authentification : "
        "`Authorization: Bearer <jeton>` (`manage.py issue_token USER`) ou session du navigateur "
        "(second facteur vérifié, jeton CSRF). Toute erreur répond "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    auth=AUTH,
    urls_namespace="api",
    docs=DOCS,
)


@functools.cache
def _query_names_by_operation() -> dict[tuple[str, str], frozenset[str]]:
    schema = api.get_openapi_schema()
    return {
        (path, method.upper()): frozenset(
            p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
        )
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def declared_query_names(path: str, method: str) -> frozenset[str] | None:
    """The query parameters the operation at this OpenAPI path and method declares, or None when
    the API has no such operation."""
    if method == "HEAD":
        method = "GET"
    return _query_names_by_operation().get((path, method))


def _validation_details(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Echoing the input back could echo personal data: keep where and what, not the value.
    return [
        {"loc": [str(part) for part in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in errors
    ]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(422, details=_validation_details(exc.errors))


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(401)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, message=str(exc) or None)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    details = [{"loc": [exc.field], "msg": exc.message}] if exc.field else []
    return error_response(exc.status_code, exc.code, exc.message, details)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413)


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(400)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        return error_response(
            400, "bad_request", _("Corps de requête illisible : envoyez du JSON.")
        )
    if exc.status_code == 403:
        return error_response(
            403, "csrf_failed", _("Jeton CSRF absent ou invalide : rechargez la page.")
        )
    return error_response(exc.status_code, message=str(exc))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error on %s %s", request.method, request.path)
    return error_response(500)


api.add_router("/", health.router)
api.add_router("/", frontdesk.router)
api.add_router("/sites", sites.router)
api.add_router("/geo", geo.router)
api.add_router("/planning", planning.router)
api.add_router("/", care.router)
api.add_router("/", pathway.router)
api.add_router("/", lodging.router)
api.add_router("/", outreach.router)
api.add_router("/", reports.router)
api.add_router("/", room.router)
api.add_router("/", alerts.router)
api.add_router("/", neighbourhood.router)
api.add_router("/", opendata.router)
api.add_router("/", surveys.router)
api.add_router("/", plan.router)
api.add_router("/", recap.router)
