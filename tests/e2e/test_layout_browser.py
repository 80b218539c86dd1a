"""Every main page, for every role, at phone width: nothing scrolls sideways; and the header of
the busiest role holds on one line of a desktop screen."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from halte.network.models import Site

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-password")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/connexion/" not in page.url


def _pages(site: dict[str, str]) -> dict[str, list[str]]:
    """The main pages of each role (beyond the tabs of its header, walked too)."""
    hsa, shelter = site["paris-hsa"], site["sleep-in"]
    return {
        "reception-paris": [f"/sites/{hsa}/"],
        "nurse-paris": [f"/soins/sites/{hsa}/materiel/", f"/soins/sites/{hsa}/orientations/"],
        "manager-paris": [
            f"/sites/{hsa}/capacites/",
            f"/sites/{hsa}/horaires/",
            f"/rapports/site/{hsa}/mois/",
            "/comptes/",
            "/comptes/nouveau/",
        ],
        "night-sleepin": [f"/hebergement/sites/{shelter}/nuit/"],
        "outreach-nord-est": ["/rue/comptages/"],
        "coordinator": [
            f"/sites/{hsa}/statut/",
            "/rapports/reseau/annee/",
            "/rapports/comparer/",
            "/planification/nouveau/",
            "/planification/comparer/",
        ],
        "evaluator": ["/rapports/reseau/annee/"],
        "admin": ["/comptes/", "/comptes/nouveau/"],
    }


def test_no_main_page_scrolls_sideways_on_a_phone(browser: Any, live_server: Any) -> None:
    call_command("load_demo")
    ids = {
        s.slug: str(s.public_id) for s in Site.objects.filter(slug__in=["paris-hsa", "sleep-in"])
    }
    wide: list[str] = []
    walked = 0
    for username, extra in _pages(ids).items():
        context = browser.new_context(locale="fr-FR", viewport=PHONE)
        page = context.new_page()
        log_in(page, live_server.url, username)
        tabs = page.eval_on_selector_all(
            "header nav a", "links => links.map(a => a.getAttribute('href'))"
        )
        for path in dict.fromkeys(["/", *tabs, *extra]):
            response = page.goto(live_server.url + path)
            assert response is not None and response.ok, (username, path)
            walked += 1
            if page.evaluate(OVERFLOW) > 0:
                wide.append(f"{username} {path} +{page.evaluate(OVERFLOW)}px")
        context.close()
    assert walked >= 40
    assert wide == [], "\n".join(wide)


def test_the_header_holds_on_one_line_at_1366_and_the_phone_nav_is_whole(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    for username in ("nurse-paris", "manager-paris", "admin"):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        log_in(page, live_server.url, username)
        tops = page.eval_on_selector_all(
            ".topbar .brand, .topbar nav li, .topbar .who, .topbar .lang",
            "items => items.map(e => Math.round(e.getBoundingClientRect().top))",
        )
        assert max(tops) - min(tops) < 20, (username, tops)
        shot(page, f"70-header-{username}-desktop")
        context.close()
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    log_in(page, live_server.url, "nurse-paris")
    # Every tab is on screen (not cut at the right edge), big enough to tap.
    boxes = page.eval_on_selector_all(
        "header nav a",
        "links => links.map(a => { const r = a.getBoundingClientRect();"
        " return [r.left, r.right, r.height]; })",
    )
    assert boxes and all(left >= 0 and right <= 390 and h >= 44 for left, right, h in boxes)
    shot(page, "70-header-nurse-paris-phone")
    context.close()
