"""Product alerts in a real browser: the coordinator issues an alert; the front desk sees it above
its screen and acknowledges it; an outreach worker on a phone (390 px) gets it on the next sync
and on the street screens, acknowledges it, and the coordinator sees who has not seen it yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.alerts.models import Acknowledgement, Alert
from halte.core.timeutils import PARIS, now
from halte.network.models import Site
from tests.browser import assert_no_sideways_scroll, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Héroïne coupée au nitazène (test)"


def test_an_alert_is_issued_seen_and_acknowledged_at_the_desk_and_on_a_phone(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    base = live_server.url
    paris = Site.objects.get(slug="paris-hsa")
    team = Site.objects.get(slug="maraude-nord-est")

    # The coordinator issues the alert to the Paris room and the north-east team.
    coordination = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    desk_page = coordination.new_page()
    log_in(desk_page, base, "coordinator")
    desk_page.goto(f"{base}/alertes/emettre/")
    desk_page.check("input[name=severity][value=danger]")
    desk_page.select_option("#id_product", "heroin")
    desk_page.fill("#id_title", TITLE)
    desk_page.fill("#id_looks_like", "Poudre beige, sachets bleus")
    desk_page.fill("#id_seen_in", "Paris 18e, Porte de la Chapelle")
    desk_page.fill("#id_advice", "Ne pas consommer seul·e ; avoir de la naloxone.")
    until = (now() + dt.timedelta(days=5)).astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    desk_page.fill("#id_valid_until", until)
    desk_page.check(f"input[name=sites][value='{paris.public_id}']")
    desk_page.check(f"input[name=sites][value='{team.public_id}']")
    shot(desk_page, "alerts-01-issue")
    desk_page.click("[data-alert-form] button[type=submit]")
    desk_page.wait_for_selector("[data-follow]")
    alert = Alert.objects.get(title=TITLE)
    follow_url = desk_page.url
    not_seen = desk_page.inner_text("[data-not-seen]")
    assert "reception-paris" in not_seen and "outreach-nord-est" in not_seen

    # The front desk sees it above the desk and acknowledges it once.
    front = browser.new_context(locale="fr-FR", viewport={"width": 820, "height": 1180})
    page = front.new_page()
    log_in(page, base, "reception-paris")
    page.goto(f"{base}/sites/{paris.public_id}/accueil/")
    banner = page.locator(f"[data-alert='{alert.public_id}']")
    assert TITLE in banner.inner_text() and "naloxone" in banner.inner_text()
    shot(page, "alerts-02-front-desk-banner")
    banner.locator("[data-acknowledge]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/sites/{paris.public_id}/accueil/")
    assert page.locator("[data-alert-banner]").count() == 0
    assert "Alerte notée comme vue" in page.inner_text("main")
    page.reload()
    assert page.locator("[data-alert-banner]").count() == 0
    front.close()

    # On a phone: the next sync brings it, the street screens show it until acknowledged.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    log_in(page, base, "outreach-nord-est")
    synced = page.request.get(f"{base}/api/v1/alerts/current").json()
    assert [a["title"] for a in synced["alerts"]] == [TITLE]
    page.goto(f"{base}/rue/ou-aller/")
    assert TITLE in page.inner_text("[data-alert-banner]")
    assert_no_sideways_scroll(page)
    shot(page, "alerts-03-phone-where-to-go-banner")
    page.goto(f"{base}/rue/")
    page.locator(f"[data-alert='{alert.public_id}'] [data-acknowledge]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/rue/")
    assert page.locator("[data-alert-banner]").count() == 0
    assert_no_sideways_scroll(page)
    assert page.request.get(f"{base}/api/v1/alerts/current").json()["alerts"] == []
    phone.close()

    channels = dict(Acknowledgement.objects.values_list("user__username", "channel"))
    assert channels == {"reception-paris": "desk", "outreach-nord-est": "outreach"}

    # The coordinator sees who has seen it and who has not.
    desk_page.goto(follow_url)
    seen = desk_page.inner_text("[data-seen]")
    not_seen = desk_page.inner_text("[data-not-seen]")
    assert "reception-paris" in seen and "outreach-nord-est" in seen
    assert "reception-paris" not in not_seen and "nurse-paris" in not_seen
    shot(desk_page, "alerts-04-who-has-not-seen")
    coordination.close()
