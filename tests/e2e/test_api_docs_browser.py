"""The API documentation under the site's own Content-Security-Policy: served from our origin,
drawn by Swagger UI in a real browser with no policy violation and no request to another host."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from halte.core.middleware import CONTENT_SECURITY_POLICY
from tests.browser import log_in

DOCS_URL = "/api/v1/docs"
# Collected by the browser, outside the page's policy (Playwright injects it through DevTools).
WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    e.effectiveDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber
  );
});
"""


@pytest.mark.django_db
def test_the_docs_page_loads_nothing_from_outside_and_carries_the_policy(client: Client) -> None:
    response = client.get(DOCS_URL)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    html = response.content.decode()
    assert re.findall(r"(?:https?:)?//[\w.-]+", html) == []  # no absolute URL: nothing from outside
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert "style=" not in html and "<style" not in html
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert src.startswith("/static/"), src
        asset = client.get(src)
        asset.close()  # a file response: closed, or its file is left open
        assert asset.status_code == 200, src


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_works_under_the_policy(browser: Any, live_server: Any, shot: Any) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH_VIOLATIONS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: Any) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    log_in(page, live_server.url, "coordinator")

    response = page.goto(f"{live_server.url}{DOCS_URL}")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page.wait_for_selector(".opblock", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/health" in paths and "/api/v1/sites" in paths
    # The schema is drawn whole: one block per operation of the schema.
    spec = page.request.get(f"{live_server.url}/api/v1/openapi.json").json()
    assert len(paths) == sum(len(ops) for ops in spec["paths"].values())

    # "Try it out" answers from the same origin, with the browser's session.
    health = page.locator(".opblock").filter(
        has=page.locator(".opblock-summary-path", has_text=re.compile(r"^/api/v1/health$"))
    )
    health.locator(".opblock-summary-control").click()
    health.locator(".try-out__btn").click()
    health.locator(".execute").click()
    status = health.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for(timeout=15000)
    assert status.inner_text().strip() == "200"
    # And a schema unfolded, drawn by Swagger UI's own components.
    page.locator(".models .json-schema-2020-12-expand-deep-button").first.click()
    page.locator(".models .json-schema-2020-12-property").first.wait_for(timeout=15000)
    shot(page, "api-docs")

    assert page.evaluate("window.__cspViolations || []") == []
    assert errors == []
    own = urlsplit(live_server.url).netloc
    outside = [u for u in requested if urlsplit(u).scheme in ("http", "https", "ws", "wss")]
    assert [u for u in outside if urlsplit(u).netloc != own] == []
