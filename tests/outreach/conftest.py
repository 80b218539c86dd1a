from __future__ import annotations

import datetime as dt

import pytest

from halte.accounts.models import User
from halte.demo.outreach import place_create
from halte.outreach.models import GatheringPlace


@pytest.fixture
def worker(outreach_worker: User) -> User:
    """The team's worker (tests/conftest.py), by the name these tests give it: here it stands in
    for the background worker of the same name."""
    return outreach_worker


@pytest.fixture
def stalingrad(db: None) -> GatheringPlace:
    return place_create("stalingrad")


@pytest.fixture
def evening() -> dt.time:
    return dt.time(21, 0)
