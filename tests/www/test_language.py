"""French by default, English on request: the language follows the browser and can be switched."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.network.models import Site


def test_french_by_default_and_english_for_an_english_browser(site: Site, reception: User) -> None:
    french = Client()
    french.force_login(reception)
    assert "Le réseau" in french.get(reverse("www:map")).text
    english = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    english.force_login(reception)
    page = english.get(reverse("www:map")).text
    assert "The network" in page and '<html lang="en">' in page


def test_the_switch_changes_the_language_and_keeps_the_page(site: Site, reception: User) -> None:
    http = Client()
    http.force_login(reception)
    response = http.post(reverse("set_language"), {"language": "en", "next": reverse("www:map")})
    assert response.status_code == 302 and response.url == reverse("www:map")
    assert "The network" in http.get(reverse("www:map")).text
    http.post(reverse("set_language"), {"language": "fr", "next": reverse("www:map")})
    assert "Le réseau" in http.get(reverse("www:map")).text
