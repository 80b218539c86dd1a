"""axe-core on each main page: zero serious or critical violations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from halte.network.models import Site
from tests.browser import log_in
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_main_pages_have_no_serious_accessibility_violation(
    browser: Any, live_server: Any, axe_source: str
) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "2", "--seed", "1")
    paris = Site.objects.get(slug="paris-hsa")
    page = browser.new_page(locale="fr-FR", viewport={"width": 1024, "height": 900})
    page.goto(f"{live_server.url}/connexion/")
    found = {"login": serious_violations(page, axe_source)}
    log_in(page, live_server.url, "nurse-paris")
    for name, path in [
        ("map", "/reseau/"),
        ("site", paris.get_absolute_url()),
        ("reception", f"/sites/{paris.public_id}/accueil/"),
        ("room", f"/sites/{paris.public_id}/salle/"),
        ("addresses", "/adresses/?q=4+rue+Ambroise-Par%C3%A9"),
    ]:
        page.goto(live_server.url + path)
        found[name] = serious_violations(page, axe_source)
    assert {k: v for k, v in found.items() if v} == {}
