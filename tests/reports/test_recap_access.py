"""Who gets RECAP, and how bad requests are answered: the manager and the coordination get the file
(each download audited, nothing about a person in the event), an evaluator the masked counts only,
other staff nothing; the API names the field of a bad request; the command writes the file; an
authorisation's places count each person once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client as HttpClient
from openpyxl import load_workbook

from halte.accounts.enums import Role
from halte.accounts.models import Membership, User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.network.enums import AuthorisationKind, SiteKind
from halte.network.models import Authorisation, Operator, Site
from halte.reports import recap
from tests.api_client import Api
from tests.reports.test_recap import person, visit

YEAR = 2025


@pytest.fixture
def csapa(make_site: Callable[..., Site]) -> Site:
    return make_site(name="CSAPA Chapelle", slug="csapa-chapelle", kind=SiteKind.CSAPA)


@pytest.fixture
def csapa_manager(csapa: Site) -> User:
    user = User.objects.create_user(username="csapa-manager", password="x-password-1234")
    Membership.objects.create(user=user, role=Role.MANAGER, site=csapa)
    return user


@pytest.fixture
def seen(csapa: Site, csapa_manager: User) -> list[str]:
    people = [person(csapa, csapa_manager, woman=i < 3) for i in range(14)]
    for p in people:
        visit(csapa, p, dt.date(YEAR, 6, 1), csapa_manager)
    return [p.code for p in people]


def _download(client: HttpClient, csapa: Site, fmt: str = "xlsx", year: int = YEAR) -> object:
    return client.get(
        "/rapports/recap/fichier/",
        {"place": f"site:{csapa.public_id}", "year": year, "format": fmt},
    )


def test_the_manager_sees_exact_counts_and_downloads_an_audited_file(
    login: Callable[[User], HttpClient], csapa: Site, csapa_manager: User, seen: list[str]
) -> None:
    client = login(csapa_manager)
    page = client.get("/rapports/recap/", {"place": f"site:{csapa.public_id}", "year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="recap-persons">14<' in html
    assert 'data-testid="recap-xlsx"' in html
    response = _download(client, csapa)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="recap_csapa-chapelle_2025.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["RECAP"].iter_rows(values_only=True))
    assert len(rows) == 15 and not set(seen) & {cell for row in rows for cell in row}
    event = AuditEvent.objects.get(action="recap.exported")
    assert (event.actor, event.site) == (csapa_manager, csapa)
    assert event.payload == {
        "scope": "csapa-chapelle",
        "year": YEAR,
        "format": "xlsx",
        "records": 14,
    }
    as_csv = _download(client, csapa, "csv")
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    assert AuditEvent.objects.filter(action="recap.exported").count() == 2


def test_the_evaluator_sees_masked_counts_and_is_refused_the_file(
    login: Callable[[User], HttpClient], csapa: Site, evaluator: User, seen: list[str]
) -> None:
    client = login(evaluator)
    page = client.get("/rapports/recap/", {"place": f"site:{csapa.public_id}", "year": YEAR})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="recap-persons">15<' in html  # 14 rounded to 15
    assert 'data-testid="recap-xlsx"' not in html and "&lt;10" in html
    assert _download(client, csapa).status_code == 403
    this_year = client.get(
        "/rapports/recap/", {"place": f"site:{csapa.public_id}", "year": YEAR + 1}
    )
    assert this_year.status_code == 422
    api = Api(evaluator)
    assert api.get(f"/recap?site={csapa.public_id}&year={YEAR}&format=csv").status_code == 403
    counts = api.get(f"/recap?site={csapa.public_id}&year={YEAR}")
    assert counts.status_code == 200
    assert (counts.json()["masked"], counts.json()["persons"]) == (True, "15")
    assert not AuditEvent.objects.filter(action="recap.exported").exists()


def test_front_desk_staff_and_other_sites_get_nothing(
    login: Callable[[User], HttpClient],
    csapa: Site,
    other_manager: User,
    seen: list[str],
) -> None:
    reception = User.objects.create_user(username="csapa-desk", password="x-password-1234")
    Membership.objects.create(user=reception, role=Role.RECEPTION, site=csapa)
    assert login(reception).get("/rapports/recap/").status_code == 404
    assert Api(reception).get(f"/recap?site={csapa.public_id}&year={YEAR}").status_code == 403
    assert login(other_manager).get("/rapports/recap/").status_code == 404
    assert Api(other_manager).get(f"/recap?site={csapa.public_id}&year={YEAR}").status_code == 404


def _field(response: object) -> list[str]:
    details = response.json()["error"]["details"]  # type: ignore[attr-defined]
    return [part for d in details for part in d["loc"]]


def test_api_bad_requests_name_their_field(
    csapa: Site, site: Site, coordinator: User, seen: list[str]
) -> None:
    api = Api(coordinator)
    cases = {
        f"/recap?site={site.public_id}&year={YEAR}": "site",  # an HSA, not a CSAPA
        f"/recap?site={csapa.public_id}&year=1999": "year",
        f"/recap?site={csapa.public_id}&year=2999": "year",
        f"/recap?site={csapa.public_id}&year={YEAR}&format=pdf": "format",
        f"/recap?site={csapa.public_id}": "year",
        f"/recap?year={YEAR}": "site",
        f"/recap?authorisation=750000000&year={YEAR}": "authorisation",
    }
    for path, field in cases.items():
        response = api.get(path)
        assert response.status_code == 422, path
        assert field in _field(response), (path, response.json())
    ok = api.get(f"/recap?site={csapa.public_id}&year={YEAR}&format=csv")
    assert ok.status_code == 200
    rows = list(csv.reader(io.StringIO(ok.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(recap.ITEM_CODES) and rows[15] == []
    assert AuditEvent.objects.get(action="recap.exported").actor == coordinator


def test_an_authorisation_counts_each_person_once_over_its_csapa_places(
    make_site: Callable[..., Site],
    operator: Operator,
    csapa: Site,
    csapa_manager: User,
    coordinator: User,
    seen: list[str],
) -> None:
    annex = make_site(name="CSAPA annexe", slug="csapa-annexe", kind=SiteKind.CSAPA)
    first = person(csapa, csapa_manager)
    visit(annex, first, dt.date(YEAR, 7, 1), csapa_manager)
    visit(annex, Client.objects.get(code=seen[0]), dt.date(YEAR, 7, 2), csapa_manager)
    authorisation = Authorisation.objects.create(
        finess="750012345", kind=AuthorisationKind.CSAPA, operator=operator, label="CSAPA Gaïa"
    )
    authorisation.sites.set([csapa, annex])
    response = Api(coordinator).get(f"/recap?authorisation=750012345&year={YEAR}")
    assert response.status_code == 200 and response.json()["persons"] == "15"
    xlsx = Api(coordinator).get(f"/recap?authorisation=750012345&year={YEAR}&format=xlsx")
    assert 'filename="recap_finess-750012345_2025.xlsx"' in xlsx["Content-Disposition"]
    # The manager of one place only does not get the authorisation's file.
    assert Api(csapa_manager).get(f"/recap?authorisation=750012345&year={YEAR}").status_code == 403


def test_the_command_writes_the_file_and_refuses_what_is_not_a_csapa(
    tmp_path: Path, csapa: Site, site: Site, seen: list[str]
) -> None:
    out = tmp_path / "recap.csv"
    call_command(
        "export_recap",
        "--site",
        "csapa-chapelle",
        "--year",
        str(YEAR),
        "--format",
        "csv",
        "--output",
        str(out),
    )
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(recap.ITEM_CODES) and len([r for r in rows[1:15] if r]) == 14
    event = AuditEvent.objects.get(action="recap.exported")
    assert event.actor is None and event.payload["records"] == 14
    with pytest.raises(CommandError, match="--site"):
        call_command("export_recap", "--site", site.slug, "--year", str(YEAR))
    with pytest.raises(CommandError, match="--year"):
        call_command("export_recap", "--site", "csapa-chapelle", "--year", "1990")


def test_the_reports_menu_offers_recap_and_the_survey_week_to_those_who_can_open_them(
    csapa: Site, csapa_manager: User, make_site: Callable[..., Site]
) -> None:
    """A CSAPA's manager finds RECAP and the survey weeks in the reports' menu; reception at a
    room finds neither (each would answer 404 or 403)."""
    room = make_site(name="Salle", slug="salle-menu", kind=SiteKind.HSA)
    reception = User.objects.create_user(username="reception-menu", password="x-password-1234")
    Membership.objects.create(user=reception, role=Role.RECEPTION, site=room)
    browser = HttpClient()
    browser.force_login(csapa_manager)
    page = browser.get("/rapports/").content.decode()
    assert 'href="/rapports/recap/"' in page and 'href="/enquetes/"' in page
    browser.force_login(reception)
    page = browser.get("/rapports/").content.decode()
    assert 'href="/rapports/recap/"' not in page and 'href="/enquetes/"' not in page
