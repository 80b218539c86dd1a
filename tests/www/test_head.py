"""Every page that answers GET answers HEAD the same way, with no body: uptime monitors and link
checkers ask with HEAD. Django's `require_GET` refuses HEAD, so the screens use `require_safe`.

The routes are read from the URL configuration, so a new page joins the check by itself. The JSON
API's operations answer the methods they declare (ninja), and are left to the API's own tests; its
documentation page and schema are plain views and are walked here."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from halte.accounts.models import User
from halte.network.models import Site

HALTE = Path(__file__).resolve().parents[2] / "halte"
ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>")
# The API's operations are ninja's; its docs and schema (plain Django views) stay in the walk.
SKIPPED = re.compile(r"^api/v1/(?!docs$|openapi\.json$)")


def _routes() -> list[str]:
    found: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                if "(?P" not in route and "^" not in route and not SKIPPED.match(route):
                    found.append(route)

    walk(get_resolver().url_patterns, "")
    return found


def _urls(values: dict[str, str]) -> list[str]:
    """The routes whose arguments are all in `values`, filled in; the others are left out."""
    urls = []
    for route in _routes():
        if all(name in values for name in ARGUMENT.findall(route)):
            urls.append("/" + ARGUMENT.sub(lambda m: values[m.group(1)], route))
    return urls


def _mismatches(http: Client, urls: list[str]) -> tuple[list[str], int]:
    mismatches = []
    ok = 0
    for url in urls:
        got = http.get(url)
        head = http.head(url)
        if (head.status_code, head.get("Location")) != (got.status_code, got.get("Location")):
            mismatches.append(
                f"{url}: GET {got.status_code} {got.get('Location', '')}, "
                f"HEAD {head.status_code} {head.get('Location', '')}"
            )
        elif head.content:
            mismatches.append(f"{url}: HEAD answered with a body")
        ok += got.status_code == 200
    return mismatches, ok


def test_head_on_the_home_page(client: Client, db: None) -> None:
    got, head = client.get("/"), client.head("/")
    assert head.status_code in (200, 302)
    assert (head.status_code, head.get("Location")) == (got.status_code, got.get("Location"))
    assert head.content == b""


def test_head_on_the_home_page_when_logged_in(
    login: Callable[[User], Client], manager: User
) -> None:
    http = login(manager)
    got, head = http.get("/"), http.head("/")
    assert head.status_code in (200, 302)
    assert (head.status_code, head.get("Location")) == (got.status_code, got.get("Location"))


def test_every_page_answers_head_like_get_when_anonymous(client: Client, db: None) -> None:
    urls = _urls({})
    assert "/" in urls and "/reseau/" in urls and "/api/v1/docs" in urls
    mismatches, ok = _mismatches(client, urls)
    assert mismatches == []
    assert ok >= 3  # the login page, the API docs and schema at least


def test_every_page_answers_head_like_get_for_staff(
    login: Callable[[User], Client], manager: User, coordinator: User, site: Site
) -> None:
    # Routes that take only a site: the manager's own site, so that the screens really render.
    urls = _urls({}) + _urls({"site_id": str(site.public_id)})
    assert f"/sites/{site.public_id}/" in urls
    for user in (manager, coordinator):
        mismatches, ok = _mismatches(login(user), urls)
        assert mismatches == [], user.username
        assert ok >= 10, user.username


def test_no_view_refuses_head() -> None:
    """Convention: `require_GET` refuses HEAD; use `require_safe`, and list "HEAD" wherever
    `require_http_methods` lists "GET"."""
    offenders = []
    for path in sorted(HALTE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(HALTE.parent)
        if "require_GET" in source:
            offenders.append(f"{name}: require_GET")
        for methods in re.findall(r"require_http_methods\(\s*\[([^\]]*)\]", source):
            if '"GET"' in methods and '"HEAD"' not in methods:
                offenders.append(f"{name}: require_http_methods([{methods}])")
    assert offenders == []
