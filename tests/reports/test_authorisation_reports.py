"""Reports of an authorisation (FINESS) on the screen, over the API and from the command: its
places added up, people counted once, refused to whoever does not manage all of them."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.network.enums import AuthorisationKind
from halte.network.models import Authorisation, Site
from halte.network.services import authorisation_create
from tests.reports.conftest import Activity

Login = Callable[[User], Client]
FINESS = "750000031"
PERIOD = "start=2025-03-01&end=2025-03-31"
API = "/api/v1/reports/monthly-scs"


@pytest.fixture
def authorisation(activity: Activity, coordinator: User) -> Authorisation:
    Site.objects.filter(pk=activity.other_site.pk).update(operator=activity.site.operator)
    return authorisation_create(
        actor=coordinator,
        operator=activity.site.operator,
        finess=FINESS,
        kind=AuthorisationKind.CAARUD,
        label="CAARUD des deux lieux",
        sites=Site.objects.filter(pk__in=[activity.site.pk, activity.other_site.pk]),
    )


def _figures(body: dict[str, object]) -> dict[str, object]:
    return {
        line["code"]: line["number"]
        for section in body["sections"]  # type: ignore[attr-defined]
        for line in section["lines"]
    }


def test_the_api_answers_an_authorisation_with_its_people_counted_once(
    authorisation: Authorisation, coordinator: User, login: Login
) -> None:
    answer = login(coordinator).get(f"{API}?authorisation={FINESS}&{PERIOD}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert "750000031" in body["scope"] and not body["network"]
    assert _figures(body)["file_active"] == 15  # 12 + 4, one person at both places
    items = [i for s in body["sections"] for i in s["items"]]
    assert items[0]["number"] == "1.1" and items[0]["codes"] == [
        "visits",
        "visits_per_day",
        "anonymous_contacts",
    ]
    book = login(coordinator).get(f"{API}?authorisation={FINESS}&{PERIOD}&format=xlsx")
    assert f'filename="monthly-scs_finess-{FINESS}_2025-03.xlsx"' in book["Content-Disposition"]
    assert load_workbook(io.BytesIO(book.content)).active is not None


@pytest.mark.parametrize(
    "query",
    [
        "authorisation=999999999",
        f"authorisation={FINESS}&network=true",
        f"authorisation={FINESS}&site=00000000-0000-0000-0000-000000000000",
    ],
)
def test_an_unknown_or_combined_authorisation_is_a_422_on_its_field(
    authorisation: Authorisation, coordinator: User, login: Login, query: str
) -> None:
    answer = login(coordinator).get(f"{API}?{query}&{PERIOD}")
    assert answer.status_code == 422, answer.content
    assert answer.json()["error"]["details"][0]["loc"] == ["authorisation"]


def test_only_who_manages_every_place_reads_it(
    authorisation: Authorisation, activity: Activity, manager: User, login: Login
) -> None:
    # The manager of the Paris room only: not the authorisation of both places.
    assert login(manager).get(f"{API}?authorisation={FINESS}&{PERIOD}").status_code == 403
    Membership.objects.create(user=manager, role=Role.MANAGER, site=activity.other_site)
    assert login(manager).get(f"{API}?authorisation={FINESS}&{PERIOD}").status_code == 200


def test_an_authorisation_not_in_force_then_is_refused(
    authorisation: Authorisation, coordinator: User, login: Login
) -> None:
    Authorisation.objects.filter(pk=authorisation.pk).update(valid_from="2025-06-01")
    answer = login(coordinator).get(f"{API}?authorisation={FINESS}&{PERIOD}")
    assert answer.status_code == 422
    assert answer.json()["error"]["details"][0]["loc"] == ["authorisation"]


def test_the_screen_offers_and_shows_an_authorisation(
    authorisation: Authorisation, coordinator: User, login: Login
) -> None:
    client = login(coordinator)
    form = client.get(reverse("reports:index")).content.decode()
    assert "CAARUD des deux lieux (750000031)" in form
    page = client.get(
        f"{reverse('reports:index')}?framework=asa-caarud&site=&authorisation={FINESS}&{PERIOD}"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "FINESS 750000031" in text and "Ne peut pas être rempli" in text
    assert "1.1 Nombre et implantation des sites et antennes" in text


def test_a_manager_with_an_authorisation_finds_her_own_site_chosen(
    authorisation: Authorisation, activity: Activity, manager: User, login: Login
) -> None:
    # A site's manager who also manages the authorisation's other place: the screen opens on her
    # site (not on a blank that would be refused), the authorisation one choice away.
    Membership.objects.create(user=manager, role=Role.MANAGER, site=activity.other_site)
    client = login(manager)
    form = client.get(reverse("reports:index")).content.decode()
    assert "réseau entier" not in form and "CAARUD des deux lieux (750000031)" in form
    first = Site.objects.filter(pk__in=[activity.site.pk, activity.other_site.pk]).order_by("name")[
        0
    ]
    assert f'<option value="{first.public_id}" selected>' in form
    page = client.get(f"{reverse('reports:index')}?framework=asa-caarud&site=&{PERIOD}")
    assert page.status_code == 422
    assert "Choisissez un site ou une autorisation." in page.content.decode()


def test_the_command_exports_an_authorisation(authorisation: Authorisation, tmp_path: Path) -> None:
    out = tmp_path / "caarud.csv"
    call_command(
        "export_report",
        "asa-caarud",
        "--authorisation",
        FINESS,
        "--year",
        "2025",
        "--month",
        "3",
        "--format",
        "csv",
        "--output",
        str(out),
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "FINESS 750000031" in text and ";file_active;File active;;15;" in text
    assert "Ne peut pas être rempli" in text
    with pytest.raises(CommandError):
        call_command("export_report", "asa-caarud", "--authorisation", "123", "--year", "2025")


def test_an_authorisation_s_year_is_prepared_in_the_background(
    authorisation: Authorisation, coordinator: User, login: Login
) -> None:
    from halte.jobs.models import Job
    from halte.jobs.runner import run

    year = {
        "framework": "hsa-annual",
        "authorisation": FINESS,
        "start": "2025-01-01",
        "end": "2025-12-31",
        "format": "xlsx",
    }
    http = login(coordinator)
    assert http.post(reverse("reports:export"), year).status_code == 302
    job = Job.objects.get(kind="reports.export")
    assert job.params["authorisation"] == FINESS and job.params["site"] == ""
    assert run(job.pk) == "done"
    job.refresh_from_db()
    assert job.result["filename"] == f"hsa-annual_finess-{FINESS}_2025.xlsx"
