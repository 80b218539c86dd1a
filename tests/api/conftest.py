"""Fixtures of the API's tests: the outreach team, its worker and a gathering place."""

from tests.outreach.conftest import stalingrad, team, worker

__all__ = ["stalingrad", "team", "worker"]
