"""Schemathesis against the API's own OpenAPI document, for every operation, as users of several
roles: zero server errors, and every documented answer matches its schema.

Bounded for CI (a few examples per operation and role); `HALTE_FUZZ_EXAMPLES` and
`HALTE_FUZZ_ROLES` make it longer (scripts/fuzz_api.sh)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from config.wsgi import application
from halte.accounts.models import User
from halte.accounts.services import api_token_issue

EXAMPLES = int(os.environ.get("HALTE_FUZZ_EXAMPLES", "3"))
ROLES = os.environ.get("HALTE_FUZZ_ROLES", "reception,coordinator").split(",")
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tokens(transactional_db: None) -> dict[str, str]:
    from django.core.management import call_command

    call_command("load_demo")
    names = {
        "reception": "reception-paris",
        "nurse": "nurse-paris",
        "manager": "manager-paris",
        "coordinator": "coordinator",
        "evaluator": "evaluator",
        "outreach": "outreach-nord-est",
    }
    return {role: api_token_issue(user=User.objects.get(username=names[role])) for role in ROLES}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_answers_match_the_schema(
    case: Any, tokens: dict[str, str], live_server: Any
) -> None:
    # Over real HTTP against a live server in threads, as a client would call it.
    for role, token in tokens.items():
        response = case.call(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        assert response.status_code < 500, (role, case.method, case.path)
