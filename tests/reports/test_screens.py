"""Report screens and exports, as each role sees them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.network.services import HoursInput, site_set_weekly_hours
from tests.reports.conftest import Activity

Login = Callable[[User], Client]
PERIOD = {"start": "2025-03-01", "end": "2025-03-31"}


def report_url(**params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {**PERIOD, **params}.items())
    return f"{reverse('reports:index')}?{query}"


def test_coordinator_reads_the_network_report_with_exact_figures(
    activity: Activity, coordinator: User, login: Login
) -> None:
    page = login(coordinator).get(report_url(framework="hsa-annual", site=""))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Réseau entier" in text and "Chiffres exacts" in text
    assert "data-print" in text and "reports/reports.css" in text


def test_evaluator_gets_small_counts_masked(
    activity: Activity, evaluator: User, login: Login
) -> None:
    page = login(evaluator).get(report_url(framework="hsa-annual", site=""))
    text = page.content.decode()
    assert page.status_code == 200 and "&lt;10" in text
    assert "Petits effectifs masqués" in text


def test_manager_sees_own_site_not_another_and_not_the_network(
    activity: Activity, manager: User, login: Login
) -> None:
    client = login(manager)
    own = client.get(report_url(framework="asa-caarud", site=str(activity.site.public_id)))
    assert own.status_code == 200
    other = client.get(report_url(framework="asa-caarud", site=str(activity.other_site.public_id)))
    assert other.status_code == 422  # not among the choices: the form refuses it
    month = reverse("reports:site_month", kwargs={"site_id": activity.other_site.public_id})
    assert client.get(month).status_code == 404
    assert client.get(reverse("reports:network_year")).status_code == 403


def test_reception_sees_its_site_dashboards(
    activity: Activity, reception: User, login: Login
) -> None:
    url = reverse("reports:site_month", kwargs={"site_id": activity.site.public_id})
    page = login(reception).get(url + "?month=2025-03")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'role="img"' in text and "Passages par jour" in text and "<rect" in text


def test_outsider_sees_nothing(activity: Activity, outsider: User, login: Login) -> None:
    assert login(outsider).get(reverse("reports:index")).status_code == 404


def test_csv_and_xlsx_exports_hold_aggregates_and_no_person(
    activity: Activity, coordinator: User, login: Login
) -> None:
    client = login(coordinator)
    site = str(activity.site.public_id)
    exported = client.get(report_url(framework="hsa-annual", site=site, format="csv"))
    assert exported["Content-Type"].startswith("text/csv")
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    values = {r[3]: r[6] for r in rows if len(r) == 8 and r[3] and r[5] == ""}
    assert values["file_active"] == "12" and values["sessions"] == "20"
    for person in activity.people:
        assert person.code not in text and person.nickname not in text
    book = client.get(report_url(framework="hsa-annual", site=site, format="xlsx", external="on"))
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    cells = [row for row in sheet.iter_rows(values_only=True) if row and row[3] == "file_active"]
    assert cells[0][6] == 10  # meant to leave the network: rounded even for a coordinator


def test_bad_period_is_a_clear_422(activity: Activity, coordinator: User, login: Login) -> None:
    page = login(coordinator).get(
        f"{reverse('reports:index')}?framework=hsa-annual&site=&start=2025-03-31&end=2025-03-01"
    )
    assert page.status_code == 422
    assert "précède son début" in page.content.decode()


def test_network_year_and_compare(activity: Activity, coordinator: User, login: Login) -> None:
    client = login(coordinator)
    year = client.get(reverse("reports:network_year") + "?year=2025")
    assert year.status_code == 200 and "File active par site" in year.content.decode()
    sites = f"sites={activity.site.public_id}&sites={activity.other_site.public_id}"
    page = client.get(f"{reverse('reports:compare')}?{sites}&start=2025-03-01&end=2025-03-31")
    assert page.status_code == 200
    text = page.content.decode()
    assert activity.other_site.name in text and "Passages par jour (moyenne)" in text


def test_before_and_after_a_change_of_hours(
    activity: Activity, manager: User, login: Login
) -> None:
    # The room opens an hour earlier from 6 March 2025.
    site_set_weekly_hours(
        actor=manager,
        site=activity.site,
        spans=[HoursInput(d, dt.time(12, 30), dt.time(20, 30)) for d in range(7)],
        valid_from=dt.date(2025, 3, 6),
    )
    url = reverse("reports:hours_change", kwargs={"site_id": activity.site.public_id})
    page = login(manager).get(url + "?change=2025-03-06&days=7")
    assert page.status_code == 200
    text = page.content.decode()
    assert "49,0" in text and "56,0" in text  # hours a week, before and after
    assert "+7,0" in text
