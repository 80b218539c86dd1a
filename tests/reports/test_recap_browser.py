"""The RECAP page in a real browser on a phone (390 px): the CSAPA's manager chooses the place and
last year, reads the count, downloads the XLSX file and it holds one anonymous row per person."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.core.timeutils import local_today
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.reports import recap
from tests.conftest import PASSWORD
from tests.reports.test_recap import person, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_manager_reads_the_count_and_downloads_the_file_on_a_phone(
    browser: Any,
    live_server: Any,
    shot: Any,
    make_site: Callable[..., Site],
) -> None:
    csapa = make_site(name="CSAPA Chapelle", slug="csapa-chapelle", kind=SiteKind.CSAPA)
    manager = User.objects.create_user(username="csapa-manager", password=PASSWORD)
    Membership.objects.create(user=manager, role=Role.MANAGER, site=csapa)
    year = local_today().year - 1
    people = [person(csapa, manager, woman=i % 3 == 0) for i in range(12)]
    for p in people:
        visit(csapa, p, dt.date(year, 3, 14), manager)

    phone = browser.new_context(
        locale="fr-FR", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    page = phone.new_page()
    page.goto(f"{live_server.url}/connexion/")
    page.fill("#id_username", "csapa-manager")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)

    page.goto(f"{live_server.url}/rapports/recap/")
    page.select_option("#id_place", f"site:{csapa.public_id}")
    page.fill("#id_year", str(year))
    page.click("[data-testid=recap-form] button[type=submit]")
    page.wait_for_selector("[data-testid=recap-summary]")
    assert page.inner_text("[data-testid=recap-persons]") == "12"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "the RECAP page scrolls sideways at 390 px"
    shot(page, "recap-01-counts")

    with page.expect_download() as download:
        page.click("[data-testid=recap-xlsx]")
    assert download.value.suggested_filename == f"recap_csapa-chapelle_{year}.xlsx"
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    rows = [list(r) for r in book["RECAP"].iter_rows(values_only=True)]
    assert rows[0] == list(recap.ITEM_CODES)
    assert len(rows) == 13
    assert not {p.code for p in people} & {cell for row in rows for cell in row}
    phone.close()
