"""The room of the front-desk tests (open around the clock, 12 injection and 2 inhalation
booths), a person registered there, and a peer worker of the site."""

from __future__ import annotations

import pytest

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.network.models import Site
from tests.conftest import PASSWORD
from tests.frontdesk.conftest import client_person, room

__all__ = ["client_person", "room"]


@pytest.fixture
def peer(site: Site) -> User:
    user = User.objects.create_user(username="peer", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.PEER, site=site)
    return user
