"""The public limiter: a scope's rate per address, then 429 with Retry-After and nothing done."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from halte.core.throttle import public_request_allowed
from halte.www.throttle import public_rate_limit

calls: list[str] = []


@public_rate_limit("write")
def _form(request: HttpRequest) -> HttpResponse:
    calls.append(request.method or "")
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()
    calls.clear()


@override_settings(HALTE_PUBLIC_RATES={"write": "3/m", "read": "100/m"})
def test_an_address_is_refused_past_the_rate_and_nothing_runs() -> None:
    rf = RequestFactory()
    answers = [_form(rf.post("/", REMOTE_ADDR="203.0.113.7")).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]
    assert calls == ["POST"] * 3
    refused = _form(rf.post("/", REMOTE_ADDR="203.0.113.7"))
    assert int(refused["Retry-After"]) >= 1
    # another address, and reading, are not affected
    assert _form(rf.post("/", REMOTE_ADDR="203.0.113.8")).status_code == 200
    assert _form(rf.get("/", REMOTE_ADDR="203.0.113.7")).status_code == 200


@override_settings(HALTE_PUBLIC_RATES={"write": "1/m", "read": "2/m"})
def test_scopes_count_apart() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1")
    assert public_request_allowed(request, "write")[0]
    assert public_request_allowed(request, "read")[0]
    assert public_request_allowed(request, "read")[0]
    assert not public_request_allowed(request, "read")[0]
    assert not public_request_allowed(request, "write")[0]
