"""The second factor: RFC 6238 codes, enrolment, verification at each login, no replay."""

from __future__ import annotations

import base64

from django.test import Client, override_settings
from django.urls import reverse

from halte.accounts import totp
from halte.accounts.models import TotpDevice, User
from halte.network.models import Site
from tests.conftest import PASSWORD


def test_codes_match_the_rfc_6238_test_vectors() -> None:
    key = b"12345678901234567890"
    # RFC 6238 appendix B (SHA-1): the last 6 digits of the 8-digit values.
    for moment, expected in [(59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")]:
        assert totp.hotp(key, moment // 30, digits=8) == expected
    secret = base64.b32encode(key).decode()
    assert totp.matching_step(secret, "287082", moment=59) == 1
    assert totp.matching_step(secret, "287083", moment=59) is None
    assert totp.matching_step(secret, "12ab56", moment=59) is None


def current_code(user: User) -> str:
    device = TotpDevice.objects.get(user=user)
    return totp.hotp(base64.b32decode(device.secret), totp.step_at())


@override_settings(HALTE_REQUIRE_2FA=True)
def test_required_second_factor_enrols_then_is_asked_at_each_login(
    client: Client, site: Site, reception: User
) -> None:
    client.post(reverse("www:login"), {"username": "reception", "password": PASSWORD})
    page = client.get(reverse("www:map"))
    assert page.status_code == 302 and page.url.startswith("/compte/second-facteur/")
    enrol = client.get(page.url)
    assert "data:image/svg+xml;base64," in enrol.text
    wrong = client.post(reverse("www:second_factor"), {"code": "000000"})
    assert "Code incorrect" in wrong.text
    used = current_code(reception)
    done = client.post(reverse("www:second_factor"), {"code": used, "next": "/reseau/"})
    assert done.status_code == 302 and client.get(reverse("www:map")).status_code == 200
    # A new login asks again, and the same code cannot be used twice.
    other = Client()
    other.post(reverse("www:login"), {"username": "reception", "password": PASSWORD})
    assert other.get(reverse("www:map")).status_code == 302
    # The very code used above: asking for the current one again would give the next code
    # whenever the 30-second step turned meanwhile, which is a valid code.
    replay = other.post(reverse("www:second_factor"), {"code": used})
    assert "déjà utilisé" in replay.text


def test_without_the_requirement_a_password_is_enough_until_one_enrols(
    client: Client, site: Site, reception: User
) -> None:
    client.post(reverse("www:login"), {"username": "reception", "password": PASSWORD})
    assert client.get(reverse("www:map")).status_code == 200
    TotpDevice.objects.create(
        user=reception, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00:00Z"
    )
    again = Client()
    again.post(reverse("www:login"), {"username": "reception", "password": PASSWORD})
    assert again.get(reverse("www:map")).status_code == 302
