"""Fixtures of the API's tests: the outreach team's worker and a gathering place (the team itself
is in tests/conftest.py)."""

from tests.outreach.conftest import stalingrad, worker

__all__ = ["stalingrad", "worker"]
