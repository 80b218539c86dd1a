"""Issue 23, points 5, 6, 7 and 11 (reports), in a real browser.

A month that is over at the Paris room: 40 men, 15 women and 3 people of another gender, one visit
each, 20 sessions and 3 overdoses. The evaluator must read the women's cell, hidden only to
protect the small one, as "masqué" (not a false "<10"), no share of women that gives it back, and
the overdoses exactly (safety events are not masked). The coordinator must read one cost per visit
on the network's year page and in the HSA report of the same year, and the year's charts must show
whole site names and distinct month labels. The CSV is named by the site's slug and the month and
holds numbers in one convention."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Outcome, Product
from halte.consumption.models import Booth, Incident, Session
from halte.core.timeutils import local_today, paris_instant
from halte.network.models import Site
from halte.reports.exports import HEADER, VALUE_COLUMN
from halte.reports.periods import last_closed_month, month_end
from halte.visits.models import Visit
from tests.browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1366, 768), "tablet": (820, 1180), "phone": (390, 844)}
NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def _month_of_activity() -> tuple[Site, dt.date]:
    """The activity above, in the last month that is over; returns the site and the month."""
    site = Site.objects.get(slug="paris-hsa")
    actor = User.objects.get(username="reception-paris")
    month = last_closed_month(local_today())
    booth = Booth.objects.filter(site=site, route="injection").first() or Booth.objects.create(
        site=site, route="injection", number=90, label="I90"
    )
    sexes = ["man"] * 40 + ["woman"] * 15 + ["other"] * 3
    for i, sex in enumerate(sexes):
        client = Client.objects.create(
            code=f"E23{i:09d}",
            birth_year=1980 + i % 20,
            sex_gender=sex,
            registered_at_site=site,
            registered_by=actor,
        )
        at = paris_instant(month + dt.timedelta(days=i % 25), dt.time(14, 0))
        visit = Visit.objects.create(
            site=site,
            client=client,
            arrived_at=at,
            left_at=at + dt.timedelta(hours=1),
            opened_by=actor,
        )
        if i < 20:
            start = at + dt.timedelta(minutes=5)
            Session.objects.create(
                visit=visit,
                booth=booth,
                route="injection",
                product=Product.HEROIN,
                started_at=start,
                ended_at=start + dt.timedelta(minutes=15),
                started_by=actor,
            )
    for day in (3, 9, 17):
        Incident.objects.create(
            site=site,
            kind=IncidentKind.OPIOID_OVERDOSE,
            occurred_at=paris_instant(month.replace(day=day), dt.time(15, 0)),
            naloxone_doses=1,
            emergency_call=True,
            outcome=Outcome.RECOVERED_ON_SITE,
            recorded_by=actor,
        )
    return site, month


def _value(page: Any, label: str, *, sub: bool = False) -> str:
    name = f'th:text-is("{label}")' if sub else f'th abbr:text-is("{label}")'
    row = page.locator("tr.sub" if sub else "tr:not(.sub)").filter(has=page.locator(name))
    return str(row.first.locator("td.num").inner_text()).strip()


def _shots(page: Any, shot: Any, name: str) -> None:
    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"23-{name}-{width_name}")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_evaluator_reads_true_figures_that_give_nothing_back(
    browser: Any, live_server: Any, shot: Any, tmp_path: Path
) -> None:
    call_command("load_demo")
    site, month = _month_of_activity()
    page = browser.new_page(
        locale="fr-FR", viewport={"width": 1366, "height": 768}, accept_downloads=True
    )
    log_in(page, live_server.url, "evaluator")
    page.goto(
        f"{live_server.url}/rapports/?framework=hsa-annual&site={site.public_id}"
        f"&start={month.isoformat()}&end={month_end(month).isoformat()}"
    )
    # Point 5: the cell hidden to protect the small one says so; nothing gives it back.
    assert _value(page, "Homme", sub=True) == "40"
    assert _value(page, "Autre / non binaire", sub=True) == "<10"
    assert _value(page, "Femme", sub=True) == "masqué"
    assert _value(page, "Part des femmes") == "masqué"
    # Point 6: safety events are published exactly, and their rate with them.
    assert _value(page, "Surdoses d'opioïdes") == "3"
    assert _value(page, "Intoxications aux stimulants") == "0"
    assert _value(page, "Surdoses d'opioïdes pour 1 000 consommations") == "150,00"
    assert _value(page, "Appels au 15 (SAMU)") == "3"
    _shots(page, shot, "report-evaluator")
    # Point 11: the file is named by the site's slug and the month; numbers in one convention.
    with page.expect_download() as download:
        page.click("text=Exporter en CSV")
    assert download.value.suggested_filename == f"hsa-annual_paris-hsa_{month:%Y-%m}.csv"
    saved = tmp_path / "report.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig")), delimiter=";"))
    header = rows.index(list(HEADER))
    values = [
        row[VALUE_COLUMN]
        for row in rows[header + 1 :]
        if len(row) > VALUE_COLUMN and row[HEADER.index("code")]
    ]
    assert values and all(
        NUMBER.match(v) or v in {"<10", "masqué", "—", "pas encore disponible"} for v in values
    ), [v for v in values if not NUMBER.match(v)]


def test_coordinator_reads_one_cost_per_visit_and_whole_chart_labels(
    browser: Any, live_server: Any, shot: Any
) -> None:
    call_command("load_demo")
    _site, month = _month_of_activity()
    year = month.year
    page = browser.new_page(locale="fr-FR", viewport={"width": 1366, "height": 768})
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/rapports/reseau/annee/?year={year}")
    figure = page.locator(".figure").filter(has=page.locator("dt:text-is('Coût par passage')"))
    on_board = figure.locator("dd strong").inner_text().strip()
    # Point 11: whole site names, inside the drawing; June and July told apart.
    labels = page.locator("svg text.cat")
    texts = [" ".join(t.split()) for t in labels.all_text_contents()]
    assert "Halte soins addictions Jean-Pierre Lhomme (Paris)" in texts, texts
    assert "juin" in texts and "juil." in texts, texts
    outside = page.evaluate(
        "() => [...document.querySelectorAll('svg text.cat')].filter(t => {"
        " const svg = t.ownerSVGElement.getBoundingClientRect();"
        " const r = t.getBoundingClientRect();"
        " return r.left < svg.left - 1 || r.right > svg.right + 1 || r.bottom > svg.bottom + 1;"
        "}).map(t => t.textContent)"
    )
    assert outside == []
    _shots(page, shot, "network-year")
    # Point 7: the HSA report of the same network and year gives the same cost per visit.
    page.goto(
        f"{live_server.url}/rapports/?framework=hsa-annual&site=&start={year}-01-01"
        f"&end={year}-12-31"
    )
    assert _value(page, "Coût par passage") == on_board
