"""The demo's facts as an outside review checked them (issue 22): each figure that can be read
from the loaded demo is the published one, or says how it was derived."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

from halte.accounts.models import User
from halte.clients.models import Client
from halte.consumption.enums import IncidentKind, Product
from halte.consumption.models import Session
from halte.core.timeutils import PARIS, paris_date
from halte.demo import funding
from halte.demo.activity import visits
from halte.demo.network import SITES, load_sites
from halte.network.enums import Admission, SiteKind, SiteStatus
from halte.network.models import Site
from halte.reports.enums import Funder
from halte.reports.models import FundingLine
from tests.module_rows import rows_for_the_module

SITE = """
[events.none]
status = "proposed"
on = 2021-08-30
note = "x"

[service_sets]

[[sites]]
slug = "a"
name = "A"
operator = "Aurore"
kind = "caarud"
history = [{ status = "operational", on = 1995-01-01, precision = "year", note = "En 1995." }]
"""


def test_no_history_claims_a_date_nobody_published() -> None:
    sites = {site.slug: site for site in SITES}
    # The placeholders the review found (1 January 2016) are gone: a sourced day, or said.
    assert sites["sleep-in"].history[0][:2] == ("operational", dt.date(1995, 4, 6))
    step_on, step_note = sites["step"].history[0][1:]
    assert step_on == dt.date(1995, 1, 1) and step_note.startswith("Jour et mois non publiés")
    ego_on, ego_note = sites["ego-caarud"].history[0][1:]
    assert ego_on == dt.date(1996, 1, 1) and ego_note.startswith("Date inconnue")
    for site in SITES:
        for _status, on, note in site.history:
            assert on != dt.date(2016, 1, 1), site.slug
            # A 1 January is a published year or an attestation, and its note says so.
            if (on.month, on.day) == (1, 1):
                assert note.startswith(("Jour et mois non publiés", "Date inconnue")), site.slug


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("on = 1995-01-01", "on = 1995-04-06"), "stored as 1 January"),
        (('precision = "year"', 'precision = "month"'), "'month'"),
        (('note = "En 1995."', f'note = "{"x" * 300}"'), "over 300 characters"),
    ],
)
def test_a_date_precision_is_checked(tmp_path: Path, change: tuple[str, str], said: str) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(SITE)
    [site] = load_sites(path)
    assert site.history[0][2] == "Jour et mois non publiés : seule l'année est connue. En 1995."
    path.write_text(SITE.replace(*change))
    with pytest.raises(ValueError, match=said):
        load_sites(path)


def _load_demo() -> None:
    call_command("load_demo")


@pytest.fixture(scope="module")
def _demo_rows(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    # Loaded once for the module; the tests only read it (tests/module_rows.py).
    yield from rows_for_the_module(django_db_blocker, _load_demo)


@pytest.fixture
def demo(_demo_rows: None, db: None) -> None:
    pass


def test_the_18th_has_its_women_only_place_and_its_mediation_team(demo: None) -> None:
    boutique = Site.objects.get(slug="boutique18-espace-femmes")
    assert boutique.admission == Admission.WOMEN_ONLY and boutique.code_insee == "75118"
    assert set(boutique.services.values_list("service", flat=True)) >= {
        "women_space",
        "material",
        "hygiene",
    }
    # Open since 1995; closed when the Boutique 18 lost its premises, reopened in the 10th.
    assert list(boutique.status_changes.values_list("to_status", "effective_on")) == [
        (SiteStatus.OPERATIONAL, dt.date(1995, 1, 1)),
        (SiteStatus.CLOSED, dt.date(2019, 8, 22)),
    ]
    tenth = Site.objects.get(slug="espace-femmes-10e")
    assert tenth.status == SiteStatus.OPERATIONAL and tenth.admits_women_only
    assert tenth.operator == boutique.operator
    mediation = Site.objects.get(slug="coordination-toxicomanies")
    assert (mediation.kind, mediation.code_insee) == (SiteKind.OUTREACH_TEAM, "75118")
    assert mediation.operator.name == "Coordination Toxicomanies"
    assert "material" not in set(mediation.services.values_list("service", flat=True))
    assert Site.objects.get(slug="sleep-in").operator.name == "Groupe SOS"


def test_funding_follows_the_places_and_starts_at_the_opening(demo: None) -> None:
    assore = dict(
        FundingLine.objects.filter(site__slug="assore-hotels").values_list("year", "amount")
    )
    # 220 places in 2019, 440 in 2020–2021, 510 from February 2022, 610 from 2023.
    assert assore[2019] < assore[2020] == assore[2021] < assore[2022] < assore[2023]
    assert assore[2023] == assore[2026]
    assert float(assore[2023] / assore[2020]) == pytest.approx(610 / 440, rel=0.01)
    assert float(assore[2019] / assore[2020]) == pytest.approx(220 / 440, rel=0.01)
    # The rest space opened in December 2019: its yearly budget starts in 2020.
    rest = FundingLine.objects.filter(site__slug="repos-chapelle")
    assert not rest.filter(funder=Funder.ARS_ONDAM, year__lt=2020).exists()
    assert list(rest.filter(year=2019).values_list("amount", flat=True)) == [95_250]
    team = dict(
        FundingLine.objects.filter(site__slug="maraude-nord-est").values_list("year", "amount")
    )
    assert team[2019] < team[2020]  # from the plan's signature, 27 May 2019


def test_funding_derivation() -> None:
    assert funding.places_on(dt.date(2022, 1, 31)) == 440
    assert funding.places_on(dt.date(2022, 2, 1)) == 510
    assert funding.from_opening(dt.date(2019, 7, 2), 365_000) == {
        2019: 183_000,
        **dict.fromkeys(range(2020, 2027), 365_000),
    }


def test_an_emergency_follows_the_product_at_the_published_rate() -> None:
    # About 17 emergencies a year for about 60,000 sessions (Paris, year 1), both kinds together.
    emergencies = visits.INCIDENT_PER_SESSION * visits.EMERGENCY_SHARE * 60_000
    assert emergencies == pytest.approx(17)
    assert IncidentKind.STIMULANT_TOXICITY not in visits.MINOR_INCIDENTS
    assert frozenset({Product.COCAINE, Product.CRACK}) == visits.STIMULANTS


def _generate_activity() -> None:
    sites = list(Site.objects.filter(slug__in=["paris-hsa", "strasbourg-hsa"]).order_by("slug"))
    now = dt.datetime(2026, 3, 1, 23, 0, tzinfo=PARIS)
    visits.generate_network(
        sites=sites,
        actor=User.objects.get(username="admin"),
        days=40,
        seed=11,
        scale=1.0,
        now=now,
    )


@pytest.fixture(scope="module")
def _activity_rows(_demo_rows: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    # 40 days generated once for the module's readers, rolled back at its end.
    yield from rows_for_the_module(django_db_blocker, _generate_activity)


@pytest.fixture
def activity(_activity_rows: None, db: None) -> None:
    pass


def _shares(values: list[str]) -> dict[str, float]:
    return {key: count / len(values) for key, count in Counter(values).items()}


def test_strasbourg_draws_its_routes_products_and_women_as_published(activity: None) -> None:
    sessions = Session.objects.filter(booth__site__slug="strasbourg-hsa")
    routes = _shares(list(sessions.values_list("route", flat=True)))
    # As its booths: 6 injection, 4 inhalation, 2 nasal.
    assert routes["injection"] == pytest.approx(6 / 12, abs=0.04)
    assert routes["inhalation"] == pytest.approx(4 / 12, abs=0.04)
    assert routes["nasal"] == pytest.approx(2 / 12, abs=0.04)
    products = _shares(list(sessions.values_list("product", flat=True)))
    assert products["cocaine"] == pytest.approx(0.37, abs=0.04)
    assert products["morphine"] == pytest.approx(0.25, abs=0.04)
    paris = _shares(
        list(
            Session.objects.filter(booth__site__slug="paris-hsa").values_list("product", flat=True)
        )
    )
    assert paris["morphine"] > 0.55 and paris.get("heroin", 0) < 0.03  # heroin ~1 % in Paris

    def women(slug: str) -> float:
        people = Client.objects.filter(visits__site__slug=slug).distinct()
        return people.filter(sex_gender="woman").count() / people.count()

    assert women("strasbourg-hsa") == pytest.approx(0.25, abs=0.04)
    assert women("paris-hsa") == pytest.approx(0.15, abs=0.04)


def test_the_paris_room_public_is_as_precarious_as_published(activity: None) -> None:
    from halte.pathway.enums import Coverage, Housing, Resources
    from halte.pathway.models import Situation

    asked = Situation.objects.filter(site__slug="paris-hsa")

    def share(field: str, among: set[str]) -> float:
        values = [
            v for v in asked.values_list(field, flat=True) if v not in ("not_asked", "declined")
        ]
        return sum(v in among for v in values) / len(values)

    homeless = {Housing.STREET, Housing.SQUAT, Housing.EMERGENCY_SHELTER, Housing.HOTEL}
    # 2023: 79 % homeless, 49 % without coverage, 65 % without resources (IGA/IGAS 2024).
    assert share("housing", homeless) == pytest.approx(0.79, abs=0.06)
    assert share("coverage", {Coverage.NONE, Coverage.PENDING}) == pytest.approx(0.49, abs=0.06)
    assert share("resources", {Resources.NONE}) == pytest.approx(0.65, abs=0.06)


def test_the_paris_room_sees_its_published_daily_volume(activity: None) -> None:
    from halte.visits.models import Visit

    paris = Visit.objects.filter(site__slug="paris-hsa")
    days = len({paris_date(v) for v in paris.values_list("arrived_at", flat=True)})
    sessions = Session.objects.filter(booth__site__slug="paris-hsa").count()
    # 165 consumptions a day on average at first, 194 in 2023 (docs/domain.md §8).
    assert 160 <= sessions / days <= 200
    # Anonymous contacts at the staff's own share (8 %): a heavy user drawn again while still
    # inside is another regular's arrival, not an anonymous one.
    assert paris.filter(client=None).count() / paris.count() == pytest.approx(0.08, abs=0.02)
    # Nobody is ever inside twice at once.
    stays = sorted(paris.exclude(client=None).values_list("client_id", "arrived_at", "left_at"))
    for (who, _, left), (again, arrived, _) in pairwise(stays):
        assert who != again or left is None or arrived >= left
