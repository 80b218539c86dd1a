"""The API's documentation page: Swagger UI from our own static files, under the site's CSP.

ninja's default page loads Swagger UI from a public CDN, without integrity checks, and starts it
with an inline script; on the origin of the staff login that is a way in. Here the bundle comes from
the django-ninja wheel (installed from the lock file, served as `vendor/swagger-ui/`), and a static
script of ours starts it from a JSON block: no inline code, nothing from another host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

SWAGGER_SETTINGS: dict[str, Any] = {
    "layout": "BaseLayout",
    "deepLinking": True,
    # Swagger UI would otherwise send the schema to validator.swagger.io and show its badge.
    "validatorUrl": None,
    # No `?url=` or `?configUrl=` from the address bar: the page shows our schema and no other.
    "queryConfigEnabled": False,
}


class LocalSwagger(DocsBase):
    """Swagger UI served from our origin; its settings travel in a `json_script` block."""

    template = "api/docs.html"

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        self.settings = {**SWAGGER_SETTINGS, **(settings or {})}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_config": config})


DOCS = LocalSwagger()
