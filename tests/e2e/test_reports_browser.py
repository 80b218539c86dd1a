"""A report in a real browser: the manager opens the annual HSA report, then exports it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from halte.core.timeutils import local_today
from tests.browser import log_in
from tests.e2e.conftest import serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_opens_a_report_and_exports_it(
    browser: Any, live_server: Any, shot: Any, axe_source: str, tmp_path: Any
) -> None:
    call_command("load_demo")
    call_command("generate_activity", "--days", "20", "--seed", "4")
    page = browser.new_page(
        locale="fr-FR", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    log_in(page, live_server.url, "manager-paris")
    page.click("nav >> text=Rapports")
    page.select_option("#id_framework", "hsa-annual")
    page.fill("#id_start", (local_today() - dt.timedelta(days=19)).isoformat())
    page.fill("#id_end", local_today().isoformat())
    page.click("button:has-text('Produire le rapport')")
    page.wait_for_selector("h2:has-text('Usage supervisé')")
    shot(page, "30-report-hsa-annual")
    assert serious_violations(page, axe_source) == []
    with page.expect_download() as download:
        page.click("text=Exporter en XLSX")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx" and saved.stat().st_size > 1000
