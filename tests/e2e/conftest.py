"""The browser tests' helpers live in tests/browser.py (their fixtures are registered once, in
tests/conftest.py, for every directory); here, the demo network the desk's tests start from."""

import pytest
from django.core.management import call_command

from halte.network.models import Site, WeeklyHours
from tests.browser import serious_violations

__all__ = ["serious_violations"]


@pytest.fixture
def demo_open_now(db: None) -> Site:
    """The demo network; its Paris room, returned, open around the clock, so that a test does not
    depend on the hour it runs at."""
    call_command("load_demo")
    site = Site.objects.get(slug="paris-hsa")
    WeeklyHours.objects.filter(site=site).update(opens="00:00", closes="00:00")
    return site
