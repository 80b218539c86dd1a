"""The differencing attack, at the interface: an evaluator asks two overlapping periods and
subtracts (138 − 136 = 2 people). Free periods are refused to masked audiences; the fixed ones
they may ask for give rounded figures whose difference never pins a small count; coordinators
keep free periods and exact counts. Screens, API and exports alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable

from django.test import Client as HttpClient
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Outcome
from halte.consumption.models import Incident
from halte.core.timeutils import local_today, paris_instant
from halte.network.models import Site
from halte.reports.periods import last_closed_month
from halte.reports.suppression import ROUNDING_BASE
from halte.visits.models import Visit
from tests.reports.conftest import Activity
from tests.reports.test_rounding import could_be

Login = Callable[[User], HttpClient]
API = "/api/v1/reports/monthly-scs"
FIRST_HALF, FIRST_HALF_AND_A_DAY = (
    "start=2025-03-01&end=2025-03-15",
    "start=2025-03-01&end=2025-03-16",
)
MARCH, Q1 = "start=2025-03-01&end=2025-03-31", "start=2025-01-01&end=2025-03-31"
CODES = itertools.count()


def seed(
    site: Site, actor: User, *, march: int, january_only: int, overdoses: tuple[int, int, int]
) -> None:
    """``march`` people who came in March 2025, ``january_only`` more who came only in January,
    and the overdoses of January, February and March."""
    people = Client.objects.bulk_create(
        Client(
            code=f"D{next(CODES):011d}",
            birth_year=1985,
            sex_gender="man",
            registered_at_site=site,
            registered_by=actor,
        )
        for _ in range(march + january_only)
    )
    days = [dt.date(2025, 3, 1 + i % 28) for i in range(march)]
    days += [dt.date(2025, 1, 1 + i % 28) for i in range(january_only)]
    Visit.objects.bulk_create(
        Visit(
            site=site,
            client=person,
            arrived_at=paris_instant(day, dt.time(15)),
            left_at=paris_instant(day, dt.time(16)),
            opened_by=actor,
        )
        for person, day in zip(people, days, strict=True)
    )
    Incident.objects.bulk_create(
        Incident(
            site=site,
            kind=IncidentKind.OPIOID_OVERDOSE,
            occurred_at=paris_instant(dt.date(2025, month, 1 + i), dt.time(17)),
            outcome=Outcome.RECOVERED_ON_SITE,
            recorded_by=actor,
        )
        for month, n in zip((1, 2, 3), overdoses, strict=True)
        for i in range(n)
    )


def figure(client: HttpClient, site: Site, period: str, code: str) -> int | None:
    response = client.get(f"{API}?site={site.public_id}&{period}")
    assert response.status_code == 200, response.content
    lines = {line["code"]: line for s in response.json()["sections"] for line in s["lines"]}
    number = lines[code]["number"]
    return None if number is None else int(number)


def test_the_overlap_attack_is_refused_to_an_evaluator(
    activity: Activity, evaluator: User, login: Login
) -> None:
    client = login(evaluator)
    for period in (FIRST_HALF, FIRST_HALF_AND_A_DAY):
        answer = client.get(f"{API}?site={activity.site.public_id}&{period}")
        assert answer.status_code == 422
        error = answer.json()["error"]
        assert error["details"][0]["loc"] == ["start"]
        assert "un mois, un trimestre ou une année" in error["message"]
    page = client.get(
        f"{reverse('reports:index')}?framework=hsa-annual&site=&{FIRST_HALF}&format=csv"
    )
    assert page.status_code == 422 and page["Content-Type"].startswith("text/html")
    assert "un mois, un trimestre ou une année" in page.content.decode()
    sites = f"sites={activity.site.public_id}&sites={activity.other_site.public_id}"
    compare = client.get(f"{reverse('reports:compare')}?{sites}&{FIRST_HALF_AND_A_DAY}")
    assert compare.status_code == 422
    assert "les périodes libres sont réservées" in compare.content.decode().lower()


def test_a_coordinator_keeps_free_periods_and_exact_counts(
    activity: Activity, coordinator: User, login: Login
) -> None:
    client = login(coordinator)
    site = activity.site
    # 12 people came from 1 to 10 March, 9 of them from the 6th: exact figures, so exactly 3
    # came only from 1 to 5 March. Staff and coordination may know it; an evaluator may not.
    assert figure(client, site, FIRST_HALF, "file_active") == 12
    assert figure(client, site, FIRST_HALF_AND_A_DAY, "file_active") == 12
    assert figure(client, site, "start=2025-03-06&end=2025-03-15", "file_active") == 9
    # Meant to leave the network, the same request is masked, so refused.
    external = client.get(f"{API}?site={site.public_id}&{FIRST_HALF}&external=true")
    assert external.status_code == 422


def test_a_period_not_over_is_refused_to_masked_figures(
    activity: Activity, evaluator: User, login: Login
) -> None:
    client = login(evaluator)
    first = local_today().replace(day=1)
    this_year = f"start={first.year}-01-01&end={first.year}-12-31"
    answer = client.get(f"{API}?network=true&{this_year}")
    assert answer.status_code == 422 and answer.json()["error"]["details"][0]["loc"] == ["end"]
    month = reverse("reports:site_month", kwargs={"site_id": activity.site.public_id})
    assert client.get(f"{month}?month={first:%Y-%m}").status_code == 422
    assert client.get(month).status_code == 200  # by default, the last month that is over
    year = reverse("reports:network_year")
    assert client.get(f"{year}?year={first.year}").status_code == 422
    assert client.get(year).status_code == 200
    assert client.get(f"{year}?year=2025").status_code == 200
    assert last_closed_month(local_today()) < first


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    march=st.integers(5, 150),
    january_only=st.integers(1, 4),
    overdoses=st.tuples(st.integers(0, 14), st.integers(0, 14), st.integers(0, 14)),
)
def test_nested_fixed_periods_never_give_away_a_small_difference(
    make_site: Callable[..., Site],
    reception: User,
    evaluator: User,
    coordinator: User,
    march: int,
    january_only: int,
    overdoses: tuple[int, int, int],
) -> None:
    site = make_site()
    seed(site, reception, march=march, january_only=january_only, overdoses=overdoses)
    masked, exact = HttpClient(), HttpClient()
    masked.force_login(evaluator)
    exact.force_login(coordinator)
    # People: the quarter's file active minus March's is the people seen only in January.
    p_march = figure(masked, site, MARCH, "file_active")
    p_quarter = figure(masked, site, Q1, "file_active")
    for p in (p_march, p_quarter):
        assert p is None or p % ROUNDING_BASE == 0
    differences = {q - m for m in could_be(p_march) for q in could_be(p_quarter) if q >= m}
    assert january_only in differences and len(differences) >= 5
    assert figure(exact, site, Q1, "file_active") == march + january_only
    assert figure(exact, site, MARCH, "file_active") == march
    # Safety events are published exactly to every audience (docs/reports.md, "Safety events"):
    # the quarter's overdoses and its months' are the true ones, and add up.
    periods = [
        "start=2025-01-01&end=2025-01-31",
        "start=2025-02-01&end=2025-02-28",
        MARCH,
        Q1,
    ]
    published = [figure(masked, site, period, "opioid_overdoses") for period in periods]
    assert published == [*overdoses, sum(overdoses)]


def test_masked_exports_hold_the_rounded_figures(
    activity: Activity, evaluator: User, coordinator: User, login: Login
) -> None:
    site = str(activity.site.public_id)
    query = f"framework=hsa-annual&site={site}&{MARCH}"
    url = f"{reverse('reports:index')}?{query}"
    # 12 people at the Paris room in March: 10 for the evaluator, in every format.
    rows = list(
        csv.reader(
            io.StringIO(login(evaluator).get(url + "&format=csv").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    values = {r[3]: r[6] for r in rows if len(r) == 8 and r[3] and r[5] == ""}
    assert values["file_active"] == "10" and values["opioid_overdoses"] == "1"
    assert any("arrondis à 5" in cell for row in rows for cell in row)
    book = login(evaluator).get(url + "&format=xlsx")
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    numbers = {
        row[3]: row[6]
        for row in sheet.iter_rows(values_only=True)
        if row and len(row) > 6 and row[3] and not row[5]
    }
    assert numbers["file_active"] == 10 and numbers["sessions"] == 20  # activity stays exact
    api = login(evaluator).get(f"/api/v1/reports/hsa-annual?site={site}&{MARCH}&format=csv")
    assert ";file_active;File active;;10;" in api.content.decode("utf-8-sig")
    body = login(evaluator).get(f"/api/v1/reports/hsa-annual?site={site}&{MARCH}").json()
    assert body["rounded_to"] == ROUNDING_BASE
    exact = login(coordinator).get(url + "&format=csv").content.decode("utf-8-sig")
    assert ";file_active;File active;;12;" in exact


def test_the_hours_change_windows_show_no_people_to_an_evaluator(
    activity: Activity, evaluator: User, coordinator: User, login: Login
) -> None:
    url = reverse("reports:hours_change", kwargs={"site_id": activity.site.public_id})
    query = "?change=2025-03-08&days=7"
    masked = login(evaluator).get(url + query)
    assert masked.status_code == 200
    text = masked.content.decode()
    assert "ne sont publiés que pour un mois" in text
    row = text[text.index("File active") :].split("</tr>")[0]
    assert row.count("masqué") == 2
    exact = login(coordinator).get(url + query).content.decode()
    row = exact[exact.index("File active") :].split("</tr>")[0]
    assert "masqué" not in row and any(char.isdigit() for char in row)
