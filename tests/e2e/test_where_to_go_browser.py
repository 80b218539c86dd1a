""" "Où aller ?" in a real browser (issue 23, points 2 and 3): only places within reach of the
walking time, a plain answer when nothing fits with the nearest place of the same city area as a
fallback (never Strasbourg from Paris), and the place understood, with the other readings to pick.

Every demo site is made open day and night so that the answer does not depend on the hour of the
run: the Strasbourg room then offers everything a woman at Stalingrad asks for, as in the issue.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command

from halte.demo.outreach import PLACES, place_create
from halte.geo.lib.distance import walking_m
from halte.network.models import HoursException, Site, WeeklyHours
from halte.outreach.models import GatheringPlace, HeadCount
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}
STALINGRAD = (2.369479, 48.883317)
PORTE_DE_LA_CHAPELLE = (2.35839, 48.899184)


def _metres(frm: tuple[float, float], site: Site) -> int:
    return round(walking_m(frm[0], frm[1], site.lon or 0, site.lat or 0))


def _open_day_and_night() -> None:
    """Every site open all week, 24 hours a day, with no exception."""
    HoursException.objects.all().delete()
    WeeklyHours.objects.all().delete()
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            site=site,
            weekday=day,
            opens=dt.time(0),
            closes=dt.time(0),
            valid_from=dt.date(2016, 1, 1),
        )
        for site in Site.objects.all()
        for day in range(7)
    )


def _ask(page: Any, base: str, address: str, *, need: str, minutes: int | None = None) -> None:
    page.goto(f"{base}/rue/ou-aller/")
    page.fill("#id_address", address)
    page.check(f"input[name=need][value={need}]")
    page.check("input[name=sex][value=woman]")
    if minutes is not None:
        page.check(f"input[name=max_minutes][value='{minutes}']")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def _shots(page: Any, shot: Any, name: str, *, check_overflow: bool = True) -> None:
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"{name}-{label}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0 or not check_overflow, f"{name} scrolls sideways at {width} px"


def test_a_woman_at_stalingrad_is_sent_only_within_reach_in_paris(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    _open_day_and_night()
    page = browser.new_page(locale="fr-FR", viewport={"width": 820, "height": 1180})
    log_in(page, live_server.url, "outreach-nord-est")

    _ask(page, live_server.url, "Place de la Bataille-de-Stalingrad 75019", need="reception")
    main = page.inner_text("main")
    assert "Strasbourg" not in main
    assert "à moins de 30 min à pied" in main
    distances = [
        int(d)
        for d in page.eval_on_selector_all(
            "[data-place] [data-distance]", "els => els.map(e => e.dataset.distance)"
        )
    ]
    assert distances and distances == sorted(distances)
    assert all(round(metres / 75) <= 30 for metres in distances)
    quickest = page.locator("[data-place] h3").first.inner_text()
    _shots(page, shot, "50-where-stalingrad-within-reach")

    _ask(
        page,
        live_server.url,
        "Place de la Bataille-de-Stalingrad 75019",
        need="reception",
        minutes=10,
    )
    assert "Aucun lieu ouvert" in page.inner_text("[data-nothing-fits]")
    assert "10 min" in page.inner_text("[data-nothing-fits]")
    fallback = page.locator("[data-place].is-fallback")
    assert fallback.count() == 1
    text = fallback.inner_text()
    assert "Strasbourg" not in text
    assert text.startswith(quickest)
    assert re.search(r"\d+ min à pied · [\d,]+ k?m", text)
    _shots(page, shot, "51-where-stalingrad-nothing-within-10-min")


def test_porte_de_la_chapelle_is_understood_and_another_reading_can_be_picked(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    for place in PLACES:  # the plan board's demo already made the places it evacuates
        if not GatheringPlace.objects.filter(slug=place.slug).exists():
            place_create(place.slug)
    _open_day_and_night()
    sleep_in = Site.objects.get(slug="sleep-in")
    expected = _metres(PORTE_DE_LA_CHAPELLE, sleep_in)
    page = browser.new_page(locale="fr-FR", viewport={"width": 820, "height": 1180})
    log_in(page, live_server.url, "outreach-nord-est")

    _ask(page, live_server.url, "Porte de la Chapelle", need="bed")
    assert page.inner_text("[data-understood]") == "Porte de la Chapelle (18e)"
    card = page.locator("[data-place]", has_text="Sleep'In")
    assert int(card.locator("[data-distance]").get_attribute("data-distance")) == expected
    assert expected < 2500
    readings = page.locator("[data-candidate]").all_inner_texts()
    assert readings and not any("75017" in r for r in readings)
    _shots(page, shot, "52-where-porte-de-la-chapelle-understood")

    page.click("[data-candidate]:has-text('Avenue de la Porte de la Chapelle, 75018')")
    page.wait_for_load_state()
    assert page.inner_text("[data-understood]").startswith("Avenue de la Porte de la Chapelle")
    assert page.input_value("#id_address").startswith("Avenue de la Porte de la Chapelle")
    card = page.locator("[data-place]", has_text="Sleep'In")
    assert int(card.locator("[data-distance]").get_attribute("data-distance")) < 2500


def test_head_count_chart_keeps_its_labels_and_shows_a_gap(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    team = Site.objects.get(slug="maraude-nord-est")
    stalingrad = PLACES[2]
    place = GatheringPlace.objects.filter(slug=stalingrad.slug).first() or place_create(
        stalingrad.slug
    )
    old = dt.datetime(2021, 6, 1, 22, tzinfo=dt.UTC)
    today = dt.datetime.now(dt.UTC).replace(microsecond=0)
    HeadCount.objects.bulk_create(
        HeadCount(place=place, team=team, counted_at=moment, count=count, synthetic=True)
        for moment, count in [(old + dt.timedelta(days=3 * i), 300 + i) for i in range(6)]
        + [(today - dt.timedelta(days=2), 1200), (today - dt.timedelta(days=1), 25)]
    )
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, "outreach-nord-est")
    page.goto(f"{live_server.url}/rue/comptages/")
    assert page.locator("svg.chart polyline.series").count() == 2
    outside = page.evaluate(
        """() => { const svg = document.querySelector('svg.chart'); const box = svg.viewBox.baseVal;
        return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBBox()])
          .filter(([_, b]) => b.x < 0 || b.y < 0 || b.x + b.width > box.width
                  || b.y + b.height > box.height).map(([text]) => text); }"""
    )
    _shots(page, shot, "53-head-count-chart", check_overflow=False)  # the map is not ours
    assert outside == []
