"""Every tab of the header opens for the person it is shown to: no tab leads to a refusal."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from halte.accounts.models import User

TAB = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


@pytest.mark.django_db
def test_each_demo_role_can_open_every_tab_it_sees(login: Callable[[User], Client]) -> None:
    call_command("load_demo", verbosity=0)
    seen: dict[str, set[str]] = {}
    for user in User.objects.filter(is_active=True).exclude(username="admin"):
        http = login(user)
        page = http.get("/", follow=True)
        assert page.status_code == 200, user.username
        nav = TAB.search(page.content.decode())
        assert nav is not None, user.username
        hrefs = set(HREF.findall(nav.group(1)))
        seen[user.username] = hrefs
        for href in hrefs:
            if href.startswith("/admin/"):
                continue
            answer = http.get(href, follow=True)
            assert answer.status_code == 200, (user.username, href, answer.status_code)
    assert any("/quartier/" in hrefs and "/alertes/" in hrefs for hrefs in seen.values())
    assert "/quartier/" in seen["coordinator"] and "/alertes/" in seen["coordinator"]
    assert "/alertes/" not in seen["evaluator"] and "/quartier/" not in seen["evaluator"]
