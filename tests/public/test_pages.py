"""The public orientation pages over HTTP: no login, published places only, nearest first from a
place typed or a position (never stored), today's closures at once, the languages, the limiter,
and the manager's publication choice on the registry screen."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.consumption.models import Booth
from halte.core.timeutils import PARIS, local_today
from halte.network.models import HoursException, Site, WeeklyHours

URL = "/orientation/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _names(html: str) -> list[str]:
    return re.findall(r"<h3>(.*?)</h3>", _section(html, "data-open-now"))


def _section(html: str, marker: str) -> str:
    start = html.index(marker)
    return html[start : html.index("</section>", start)]


def test_anyone_sees_the_published_places_open_now_and_nothing_else(
    published: dict[str, Site], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(20):
        response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Accueil Stalingrad", "HSA Lariboisière", "Abri des femmes"):
        assert name in _section(html, "data-open-now")
    for name in ("Lieu non publié", "Projet Pelleport", "Projet abandonné", "Maraude Nord-Est"):
        assert name not in html
    assert "Métro" in html and "Chiens acceptés" in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*src=\"/static/)", html)  # no inline, no third party
    assert not re.search(r"(src|href)=\"https?://", html)


def test_a_place_typed_gives_the_nearest_first(published: dict[str, Site]) -> None:
    response = Client().post(URL, {"lieu": "Stalingrad"})
    html = response.content.decode()
    assert "Les plus proches de : Stalingrad" in html
    assert _names(html) == ["Accueil Stalingrad", "HSA Lariboisière", "Abri des femmes"]
    assert "min à pied" in html


def test_a_position_gives_the_nearest_first_and_is_neither_stored_nor_logged(
    published: dict[str, Site], caplog: pytest.LogCaptureFixture
) -> None:
    audit_before = AuditEvent.objects.count()
    caplog.set_level(logging.DEBUG)
    response = Client().post(URL, {"lat": "48.898", "lon": "2.360"})
    html = response.content.decode()
    assert _names(html)[0] == "Abri des femmes"
    assert "votre position" in html
    assert AuditEvent.objects.count() == audit_before
    assert "48.898" not in caplog.text and "2.360" not in caplog.text
    assert 'value="48.898"' not in html  # not even echoed back into the page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tapez un lieu"),
        ({"lieu": "   "}, "Tapez un lieu"),
        ({"lieu": "zzqxw"}, "Ce lieu est introuvable"),
        ({"lat": "200", "lon": "2.3"}, "Tapez un lieu"),
        ({"lat": "abc", "lon": "2.3"}, "Tapez un lieu"),
    ],
)
def test_bad_input_gets_a_plain_message(
    published: dict[str, Site], data: dict[str, str], message: str
) -> None:
    response = Client().post(URL, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_closure_entered_by_the_manager_shows_at_once(published: dict[str, Site]) -> None:
    HoursException.objects.create(site=published["near"], date=local_today(), closed=True)
    html = Client().get(URL).content.decode()
    assert "Accueil Stalingrad" in _section(html, "closed-title")
    assert "Accueil Stalingrad" not in _section(html, "data-open-now")
    assert "Accueil Stalingrad" not in _section(html, "data-later")


def test_a_place_opening_later_today_is_listed_with_its_hour(
    published: dict[str, Site], monkeypatch: pytest.MonkeyPatch
) -> None:
    evening = published["far"]
    WeeklyHours.objects.filter(site=evening).update(opens=dt.time(20, 0), closes=dt.time(23, 0))
    morning = dt.datetime.combine(local_today(), dt.time(9, 0), tzinfo=PARIS)
    monkeypatch.setattr("halte.network.publication.now", lambda: morning)
    monkeypatch.setattr("halte.www.public.places.now", lambda: morning)
    html = Client().get(URL).content.decode()
    later = _section(html, "data-later")
    assert "HSA Lariboisière" in later and "Ouvre à 20:00" in later
    assert "HSA Lariboisière" not in _section(html, "data-open-now")


@pytest.mark.parametrize(
    ("lang", "direction", "text"),
    [
        ("fr", "ltr", "Où aller maintenant ?"),
        ("ar", "rtl", "أين أذهب الآن؟"),
        ("fa", "rtl", "حالا کجا بروم؟"),
        ("ru", "ltr", "Куда пойти сейчас?"),
        ("ka", "ltr", "სად წავიდე ახლა?"),
        ("ro", "ltr", "Unde merg acum?"),
    ],
)
def test_each_language_is_served_with_its_direction(
    published: dict[str, Site], lang: str, direction: str, text: str
) -> None:
    html = Client().get(URL, {"lang": lang}).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert text in html
    assert f'action="/orientation/?lang={lang}"' in html


def test_the_browser_language_is_followed_when_none_is_chosen(published: dict[str, Site]) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="ar-SY,ar;q=0.9").get(URL).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_the_network_page_lists_the_published_places_and_their_week(
    published: dict[str, Site], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(10):
        response = Client().get("/orientation/lieux/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Abri des femmes" in html and "Horaires de la semaine" in html
    for name in ("Lieu non publié", "Projet Pelleport", "Projet abandonné", "Maraude Nord-Est"):
        assert name not in html


@override_settings(HALTE_PUBLIC_RATES={"write": "5/m", "read": "2/m"})
def test_the_page_is_throttled(published: dict[str, Site]) -> None:
    http = Client(REMOTE_ADDR="203.0.113.20")
    assert [http.get(URL).status_code for _ in range(2)] == [200, 200]
    refused = http.post(URL, {"lieu": "Stalingrad"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


def test_the_manager_chooses_what_is_published_and_it_is_audited(
    site: Site, manager: User, reception: User, login: Any
) -> None:
    edit = f"/sites/{site.public_id}/capacites/"
    form = {
        "booths_injection": 12,
        "booths_inhalation": 0,
        "booths_nasal": 0,
        "rest_places": 0,
        "beds": 0,
        "reception_capacity": 0,
        "admission": "everyone",
        "adults_only": "on",
        "publish_room_level": "on",  # without publishing the place: not kept
    }
    assert login(reception).post(edit, form).status_code == 403
    response = login(manager).post(edit, form)
    assert response.status_code == 302
    site.refresh_from_db()
    assert (site.publish_public, site.publish_room_level) == (False, False)
    assert Client().get(URL).content.decode().count("HSA Paris") == 0
    login(manager).post(edit, {**form, "publish_public": "on"})
    site.refresh_from_db()
    assert (site.publish_public, site.publish_room_level) == (True, True)
    event = AuditEvent.objects.get(action="site.publication_changed")
    assert event.actor == manager
    assert event.payload == {
        "changes": {"publish_public": [False, True], "publish_room_level": [False, True]}
    }


def test_the_room_level_is_shown_coarse_only_where_the_site_publishes_it(
    published: dict[str, Site],
) -> None:
    for key in ("near", "far"):
        Booth.objects.bulk_create(
            Booth(site=published[key], route="injection", number=n) for n in (1, 2)
        )
    html = Client().get(URL).content.decode()
    shown = dict(re.findall(r"<h3>(.*?)</h3>(.*?)class=\"where\"", html, re.S))
    assert "Salle : De la place" in shown["Accueil Stalingrad"]
    assert "Salle :" not in shown["HSA Lariboisière"]  # it does not publish its room level
    assert not re.search(r"\d+ (postes?|places?|lits?) libres?", html)
