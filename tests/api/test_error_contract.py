"""Every answer under /api/v1/ that is not a success has one JSON shape, whatever made it: an
unknown path, a method the path does not take, a missing or dead token, a body too large, an
unknown query parameter, a NUL character; and the OpenAPI document lists those answers."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from halte.accounts.models import ApiToken, User
from halte.accounts.services import api_token_issue
from halte.api.api import api as ninja_api
from halte.clients.models import Client
from halte.network.models import Site
from halte.planning.models import Scenario

pytestmark = pytest.mark.django_db


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["message"] and isinstance(error["details"], list)
    return dict(error)


def operations() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return [(path, method) for path, ops in schema["paths"].items() for method in ops]


# What anyone may send without signing in (throttled per address instead): a resident's report.
PUBLIC_POSTS = {"/api/v1/neighbourhood-reports"}


def test_only_the_listed_posts_are_open_to_anyone() -> None:
    schema = ninja_api.get_openapi_schema()
    open_posts = {
        path
        for path, ops in schema["paths"].items()
        if "post" in ops and not ops["post"].get("security")
    }
    assert open_posts == PUBLIC_POSTS


def _fill(path: str) -> str:
    parts = []
    for part in path.split("/"):
        parts.append(str(uuid.uuid4()) if part.startswith("{") else part)
    return "/".join(parts)


@pytest.fixture
def token(coordinator: User) -> str:
    return api_token_issue(user=coordinator)


def test_unknown_paths_and_methods_answer_in_the_error_shape(token: str) -> None:
    http = HttpClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for path in ("/api/v1/nothing-here", "/api/v1/sites/x/y/z/w", "/api/v1/visits/x/y/z"):
        assert_error_shape(http.get(path, **auth), 404)
    wrong = http.put("/api/v1/visits", "{}", content_type="application/json", **auth)
    error = assert_error_shape(wrong, 405)
    assert error["code"] == "method_not_allowed" and "POST" in wrong["Allow"]
    # Every operation's path refuses the methods it does not take, in the same shape. (The
    # schema is built once: building it again for each path took most of the test's time.)
    every = operations()
    for path, _method in every:
        declared = {m.upper() for p, m in every if p == path}
        for method in {"PUT", "PATCH", "DELETE"} - declared:
            response = http.generic(method, _fill(path), **auth)
            assert_error_shape(response, 405)


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer halte_" + "0" * 40, "Basic x"])
def test_a_post_without_a_valid_token_is_told_to_authenticate(
    header: str | None, site: Site
) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    for path, method in operations():
        if method != "post" or path in PUBLIC_POSTS:
            continue
        response = http.post(_fill(path), "{}", content_type="application/json", **extra)
        error = assert_error_shape(response, 401)
        assert error["code"] == "unauthenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_expired_token_is_401_not_403(coordinator: User) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    token = api_token_issue(user=coordinator)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert http.get("/api/v1/sites", **auth).status_code == 200
    ApiToken.objects.filter(user=coordinator).update(revoked_at="2026-01-01T00:00:00Z")
    response = http.post(
        "/api/v1/planning/scenarios", "{}", content_type="application/json", **auth
    )
    assert_error_shape(response, 401)
    assert "WWW-Authenticate" in response


def test_a_signed_in_browser_without_its_csrf_token_is_refused_in_the_shape(
    coordinator: User,
) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(coordinator)
    response = http.post("/api/v1/planning/scenarios", "{}", content_type="application/json")
    assert assert_error_shape(response, 403)["code"] == "csrf_failed"
    assert Scenario.objects.count() == 0


@pytest.mark.parametrize("key", [None, "retry-0001"])
def test_a_body_over_the_limit_is_413_with_or_without_an_idempotency_key(
    key: str | None, token: str
) -> None:
    http = HttpClient()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key:
        extra["HTTP_IDEMPOTENCY_KEY"] = key
    body = json.dumps({"name": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = http.post(
        "/api/v1/planning/scenarios", body, content_type="application/json", **extra
    )
    assert assert_error_shape(response, 413)["code"] == "too_large"
    assert Scenario.objects.count() == 0


def test_an_unknown_query_parameter_is_refused_and_named(token: str) -> None:
    http = HttpClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    typo = http.get("/api/v1/sites?open_nw=true", **auth)
    error = assert_error_shape(typo, 422)
    assert "open_nw" in error["message"] and error["details"][0]["loc"] == ["query", "open_nw"]
    assert http.get("/api/v1/sites?open_now=true", **auth).status_code == 200
    # Every GET operation refuses a parameter it does not declare.
    for path, method in operations():
        if method == "get":
            response = http.get(_fill(path) + "?zz_unknown=1", **auth)
            assert "zz_unknown" in assert_error_shape(response, 422)["message"], path


def test_declared_query_parameters_are_the_openapi_ones() -> None:
    schema = ninja_api.get_openapi_schema()
    sites = schema["paths"]["/api/v1/sites"]["get"]
    names = {p["name"] for p in sites["parameters"] if p["in"] == "query"}
    assert {"open_now", "kind", "women_only"} <= names


def test_nul_characters_are_refused_in_every_text_field(
    reception: User, coordinator: User, site: Site
) -> None:
    http = HttpClient()
    desk = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=reception)}"}
    city = {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=coordinator)}"}
    person = {
        "family_name": "Martin",
        "given_name": "Léa",
        "birth_date": "1990-02-03",
        "sex": "woman",
        "site": str(site.public_id),
        "nickname": "a\u0000b",
    }
    response = http.post(
        "/api/v1/clients", json.dumps(person), content_type="application/json", **desk
    )
    error = assert_error_shape(response, 422)
    assert ["body", "nickname"] in [d["loc"] for d in error["details"]]
    assert Client.objects.count() == 0
    scenario = {
        "name": "Plan\u0000",
        "model": "p_median",
        "p": 1,
        "demand": [{"lon": 2.36, "lat": 48.88}],
        "candidates": [{"label": "a\u0000", "lon": 2.35, "lat": 48.85}],
    }
    response = http.post(
        "/api/v1/planning/scenarios", json.dumps(scenario), content_type="application/json", **city
    )
    locs = [d["loc"] for d in assert_error_shape(response, 422)["details"]]
    assert ["body", "name"] in locs and ["body", "candidates", "0", "label"] in locs
    assert Scenario.objects.count() == 0
    query = http.get("/api/v1/geo/addresses?q=rue%00Riquet", **city)
    assert assert_error_shape(query, 422)["details"][0]["loc"] == ["query", "q"]


def test_the_openapi_document_lists_each_operations_error_answers() -> None:
    schema = ninja_api.get_openapi_schema()
    assert "Error" in schema["components"]["schemas"]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            statuses = set(op["responses"])
            assert {"405", "422"} <= statuses, (method, path)
            if op.get("security"):
                assert "401" in statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if method == "post":
                assert {"409", "413"} <= statuses, (method, path)


def test_every_get_of_the_api_answers_head_without_a_body(token: str) -> None:
    http = HttpClient()
    health = http.head("/api/v1/health")
    assert health.status_code == 200 and health.content == b""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for path in ("/api/v1/sites", "/api/v1/openapi.json"):
        got, head = http.get(path, **auth), http.head(path, **auth)
        assert head.status_code == got.status_code == 200 and head.content == b""
        assert head["Content-Type"] == got["Content-Type"]
    assert http.head("/api/v1/sites").status_code == 401


def test_planning_input_refuses_misspelt_fields_like_every_other_operation(token: str) -> None:
    http = HttpClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    good = {
        "name": "Plan",
        "model": "p_median",
        "p": 1,
        "demand": [{"lon": 2.36, "lat": 48.88, "weight": 3}],
        "candidates": [{"label": "A", "lon": 2.35, "lat": 48.85}],
    }
    typos = [
        ({**good, "demand": [{"lon": 2.36, "lat": 48.88, "wieght": 3}]}, "wieght"),
        (
            {**good, "candidates": [{"label": "A", "lon": 2.35, "lat": 48.85, "capacty": 4}]},
            "capacty",
        ),
        ({**good, "rules": {"school_min_distance": 200}}, "school_min_distance"),
        ({**good, "modle": "p_median"}, "modle"),
    ]
    for body, field in typos:
        response = http.post(
            "/api/v1/planning/scenarios", json.dumps(body), content_type="application/json", **auth
        )
        error = assert_error_shape(response, 422)
        assert any(d["loc"][-1] == field for d in error["details"]), error
    assert Scenario.objects.count() == 0
    created = http.post(
        "/api/v1/planning/scenarios", json.dumps(good), content_type="application/json", **auth
    )
    assert created.status_code == 201


def test_every_request_body_of_the_api_refuses_unknown_fields() -> None:
    schema = ninja_api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            body = op.get("requestBody")
            if not body:
                continue
            shape = body["content"]["application/json"]["schema"]
            refs = [shape.get("$ref")] + [s.get("$ref") for s in shape.get("anyOf", [])]
            names = [ref.rsplit("/", 1)[-1] for ref in refs if ref]
            assert names, (method, path)
            for name in names:
                assert components[name].get("additionalProperties") is False, (method, path, name)


def test_the_api_answers_its_errors_in_the_readers_language(token: str) -> None:
    http = HttpClient()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    english = http.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert assert_error_shape(english, 404)["message"] == "Not found."
    french = http.get("/api/v1/nothing-here", HTTP_ACCEPT_LANGUAGE="fr", **auth)
    assert assert_error_shape(french, 404)["message"] == "Introuvable."
    typo = http.get("/api/v1/sites?open_nw=1", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert assert_error_shape(typo, 422)["message"] == "Unknown query parameter: open_nw."
