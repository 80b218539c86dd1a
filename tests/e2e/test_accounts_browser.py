"""A team's first day in a real browser: each role starts on its own screen with only the tabs
it can use, and a site manager creates a colleague's account, who then sets a password."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.network.models import Site
from tests.e2e.conftest import serious_violations
from tests.e2e.test_layout_browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}


def test_each_role_lands_on_its_screen_with_only_the_tabs_it_can_use(
    browser: Any, live_server: Any
) -> None:
    call_command("load_demo")
    hsa = Site.objects.get(slug="paris-hsa").public_id
    shelter = Site.objects.get(slug="sleep-in").public_id
    expected = {
        "reception-paris": (f"/sites/{hsa}/accueil/", {"Accueil"}, {"Hébergement", "Maraude"}),
        "nurse-paris": (f"/sites/{hsa}/salle/", {"Salle"}, {"Hébergement", "Maraude"}),
        "night-sleepin": (f"/hebergement/sites/{shelter}/nuit/", {"Hébergement"}, {"Maraude"}),
        "outreach-nord-est": ("/rue/", {"Maraude"}, {"Accueil", "Hébergement", "Salle"}),
        "manager-paris": (f"/sites/{hsa}/", {"Comptes"}, {"Planification"}),
        "coordinator": ("/reseau/", {"Planification"}, {"Accueil", "Comptes"}),
        "evaluator": ("/rapports/", {"Rapports"}, {"Accueil", "Comptes", "Hébergement"}),
        "admin": ("/reseau/", {"Comptes", "Administration"}, {"Accueil", "Maraude"}),
    }
    for username, (landing, present, absent) in expected.items():
        context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        log_in(page, live_server.url, username)
        assert page.url.split("?")[0] == live_server.url + landing, username
        tabs = set(page.locator("header nav a").all_inner_texts())
        assert present <= tabs and not absent & tabs, (username, tabs)
        context.close()


def test_a_manager_creates_a_colleagues_account_who_chooses_a_password(
    browser: Any, live_server: Any, shot: Any, axe_source: str
) -> None:
    call_command("load_demo")
    page = browser.new_page(locale="fr-FR", viewport={"width": 820, "height": 1180})
    log_in(page, live_server.url, "manager-paris")
    page.click("header nav >> text=Comptes")
    page.click("text=Nouveau compte")
    page.fill("#id_username", "accueil-paris-2")
    page.select_option("#id_role", "reception")
    page.select_option("#id_site", index=1)  # their only site
    page.click("button:has-text('Créer le compte')")
    password = page.inner_text("[data-temporary-password]").strip()
    assert len(password) == 19
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"71-account-created-{name}")
    assert serious_violations(page, axe_source) == []
    page.click("text=C'est noté")
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"72-account-detail-{name}")
    page.goto(f"{live_server.url}/comptes/")
    for name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"73-accounts-list-{name}")
    page.context.clear_cookies()
    # The colleague logs in with it and is asked for a password of their own first.
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", "accueil-paris-2")
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/comptes/mot-de-passe/**")
    shot(page, "74-choose-password-tablet")
    page.fill("#id_password", "un-vrai-mot-de-passe-47")
    page.fill("#id_password_again", "un-vrai-mot-de-passe-47")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/sites/{Site.objects.get(slug='paris-hsa').public_id}/accueil/")
    assert not User.objects.get(username="accueil-paris-2").must_change_password
    page.close()
