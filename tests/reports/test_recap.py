"""RECAP records and files: one known person checked item by item, people seen elsewhere or in
another year left out, generated people (hypothesis) whose every code is in the documented lists,
numbers that are neither the Halte codes nor stable, the CSV and the XLSX read back, and the
evaluator's aggregates masked."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from halte.accounts.models import User
from halte.care.enums import CareKind, DestinationKind, ScreeningResult, Vaccine
from halte.care.models import CareAct, Referral
from halte.clients.models import Client
from halte.core.timeutils import paris_instant
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.pathway.enums import (
    Asked,
    Coverage,
    Housing,
    Infection,
    Method,
    Place,
    Product,
    Resources,
    Route,
    Stage,
    StepOutcome,
    YesNo,
)
from halte.pathway.models import Pathway, PathwayStep, Situation
from halte.reports import recap
from halte.reports.suppression import SUPPRESSED
from halte.visits.models import Visit
from tests.factories import PastClientFactory


@pytest.fixture
def csapa(make_site: Callable[..., Site]) -> Site:
    return make_site(name="CSAPA Chapelle", slug="csapa-chapelle", kind=SiteKind.CSAPA)


def visit(site: Site, person: Client, day: dt.date, actor: User) -> Visit:
    at = paris_instant(day, dt.time(10, 0))
    return Visit.objects.create(
        site=site, client=person, arrived_at=at, left_at=at + dt.timedelta(hours=1), opened_by=actor
    )


def act(v: Visit, actor: User, kind: str, **fields: Any) -> CareAct:
    return CareAct.objects.create(
        site=v.site,
        visit=v,
        client=v.client,
        kind=kind,
        performed_at=v.arrived_at + dt.timedelta(minutes=10),
        recorded_by=actor,
        **fields,
    )


def situation(site: Site, person: Client, day: dt.date, actor: User, **answers: Any) -> Situation:
    return Situation.objects.create(
        client=person, site=site, asked_on=day, recorded_by=actor, **answers
    )


def person(site: Site, actor: User, **fields: Any) -> Client:
    return PastClientFactory.create(registered_at_site=site, registered_by=actor, **fields)


def one(scope: recap.RecapScope) -> dict[str, str]:
    (record,) = recap.build_records(scope)
    return record


def test_a_known_person_is_coded_item_by_item(csapa: Site, site: Site, manager: User) -> None:
    woman = person(csapa, manager, woman=True, birth_year=1985)
    Referral.objects.create(
        site=site,
        client=woman,
        destination_kind=DestinationKind.NETWORK_SITE,
        destination_site=csapa,
        proposed_at=paris_instant(dt.date(2024, 5, 2), dt.time(15)),
        recorded_by=manager,
    )
    visit(csapa, woman, dt.date(2024, 5, 10), manager)
    situation(
        csapa,
        woman,
        dt.date(2024, 5, 10),
        manager,
        routes_asked=Asked.ANSWERED,
        routes=[Route.INJECTION],
    )
    march = visit(csapa, woman, dt.date(2025, 3, 10), manager)
    act(march, manager, CareKind.TROD_HIV, result=ScreeningResult.NEGATIVE)
    hcv = act(march, manager, CareKind.TROD_HCV, result=ScreeningResult.POSITIVE)
    act(march, manager, CareKind.TSO_STARTED)
    act(march, manager, CareKind.VACCINATION, vaccine=Vaccine.HBV, dose=1)
    pathway = Pathway.objects.create(
        client=woman,
        site=csapa,
        infection=Infection.HCV,
        tested_on=dt.date(2025, 3, 10),
        screening=hcv,
        recorded_by=manager,
    )
    PathwayStep.objects.create(
        pathway=pathway,
        stage=Stage.CONFIRMED,
        done_on=dt.date(2025, 3, 20),
        method=Method.PCR,
        outcome=StepOutcome.POSITIVE,
        place=Place.LABORATORY,
        recorded_by=manager,
    )
    visit(csapa, woman, dt.date(2025, 6, 20), manager)
    situation(
        csapa,
        woman,
        dt.date(2025, 6, 20),
        manager,
        housing=Housing.STREET,
        coverage=Coverage.AME,
        resources=Resources.RSA,
        products_asked=Asked.ANSWERED,
        products=[Product.CRACK, Product.HEROIN],
        routes_asked=Asked.ANSWERED,
        routes=[Route.INHALATION],
        prison_release=YesNo.YES,
    )
    record = one(recap.site_scope(csapa, 2025))
    assert {k: v for k, v in record.items() if k != "NUM"} == {
        **{item.code: item.unknown for item in recap.ITEMS if item.code != "NUM"},
        "DATSIT": "20/06/2025",
        "DATDEB": "10/05/2024",
        "SEXE": "2",
        "ANNAIS": "1985",
        "LOGEMENT": "3",
        "RESSOURCES": "3",
        "COUVERTURE": "6",
        "ORIGINE": "5",
        "TSO": "1",
        "PRODORIG": "99",
        "PROD1": "11",
        "PROD2": "22",
        "PROD3": "00",
        "PROD4": "00",
        "PROD5": "00",
        "MODE": "2",
        "VOIEIV": "2",
        "VIH": "2",
        "VHC": "1",
        "VHBVACC": "2",
        "INCAR": "1",
    }
    assert record["NBENF"] == record["PARTAGE"] == record["ENTOURAGE"] == "9"


def test_only_people_seen_in_the_year_at_the_places_and_only_their_records(
    csapa: Site, site: Site, manager: User
) -> None:
    seen = person(csapa, manager, sex_gender="other", birth_year=1990)
    visit(csapa, seen, dt.date(2025, 12, 31), manager)
    # What another place recorded stays there.
    situation(site, seen, dt.date(2025, 4, 1), manager, housing=Housing.OWN_HOME)
    act(visit(site, seen, dt.date(2025, 4, 1), manager), manager, CareKind.TSO_STARTED)
    elsewhere = person(site, manager)
    visit(site, elsewhere, dt.date(2025, 5, 1), manager)
    last_year = person(csapa, manager)
    visit(csapa, last_year, dt.date(2024, 12, 31), manager)
    next_year = person(csapa, manager)
    visit(csapa, next_year, dt.date(2026, 1, 1), manager)
    record = one(recap.site_scope(csapa, 2025))
    assert (record["DATSIT"], record["SEXE"], record["LOGEMENT"], record["TSO"]) == (
        "31/12/2025",
        "9",
        "9",
        "9",
    )
    assert [record[f"PROD{n}"] for n in range(1, 6)] == ["99"] * 5


def test_numbers_are_not_the_codes_and_change_from_one_extract_to_the_next(
    csapa: Site, manager: User
) -> None:
    people = [person(csapa, manager) for _ in range(5)]
    for p in people:
        visit(csapa, p, dt.date(2025, 2, 1), manager)
    scope = recap.site_scope(csapa, 2025)
    first = [r["NUM"] for r in recap.build_records(scope)]
    second = [r["NUM"] for r in recap.build_records(scope)]
    assert len(set(first)) == 5 and first == sorted(first)
    assert not set(first) & set(second)
    codes = {p.code for p in people} | {p.display_code for p in people}
    assert not codes & set(first)
    body = recap.to_csv(recap.build_records(scope)).decode("utf-8-sig")
    assert not any(code in body for code in codes)


ANSWERS = st.fixed_dictionaries(
    {
        "housing": st.sampled_from(Housing.values),
        "coverage": st.sampled_from(Coverage.values),
        "resources": st.sampled_from(Resources.values),
        "prison_release": st.sampled_from(YesNo.values),
        "products_asked": st.sampled_from(Asked.values),
        "products": st.lists(st.sampled_from(Product.values), unique=True),
        "routes_asked": st.sampled_from(Asked.values),
        "routes": st.lists(st.sampled_from(Route.values), unique=True),
    }
)
PERSON = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["man", "woman", "other"]),
        "born": st.integers(1940, 2007),
        "days": st.lists(
            st.dates(dt.date(2024, 1, 1), dt.date(2026, 3, 1)), min_size=1, max_size=3
        ),
        "answers": st.lists(ANSWERS, max_size=2),
        "acts": st.lists(
            st.sampled_from(["hiv+", "hiv-", "hcv+", "hcv-", "hcv?", "tso", "hbv1", "hbv3"]),
            max_size=3,
        ),
    }
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(PERSON, min_size=1, max_size=6))
def test_random_people_one_record_each_with_documented_codes(
    csapa: Site, manager: User, people: list[dict[str, Any]]
) -> None:
    Situation.objects.all().delete()
    CareAct.objects.all().delete()
    Visit.objects.all().delete()
    kinds = {
        "hiv+": (CareKind.TROD_HIV, {"result": "positive"}),
        "hiv-": (CareKind.TROD_HIV, {"result": "negative"}),
        "hcv+": (CareKind.TROD_HCV, {"result": "positive"}),
        "hcv-": (CareKind.TROD_HCV, {"result": "negative"}),
        "hcv?": (CareKind.TROD_HCV, {"result": "refused"}),
        "tso": (CareKind.TSO_STARTED, {}),
        "hbv1": (CareKind.VACCINATION, {"vaccine": "hbv", "dose": 1}),
        "hbv3": (CareKind.VACCINATION, {"vaccine": "hbv", "dose": 3}),
    }
    expected = 0
    for spec in people:
        p = person(csapa, manager, sex_gender=spec["sex"], birth_year=spec["born"])
        days = sorted(set(spec["days"]))
        visits = [visit(csapa, p, day, manager) for day in days]
        expected += any(day.year == 2025 for day in days)
        for answers, day in zip(spec["answers"], days, strict=False):
            situation(csapa, p, day, manager, **answers)
        for code in spec["acts"]:
            kind, fields = kinds[code]
            act(visits[0], manager, kind, **fields)
    records = recap.build_records(recap.site_scope(csapa, 2025))
    assert len(records) == expected
    assert len({r["NUM"] for r in records}) == expected
    for record in records:
        assert list(record) == list(recap.ITEM_CODES)
        for item in recap.ITEMS:
            if item.codes is not None:
                assert record[item.code] in item.codes, (item.code, record[item.code])
        day, month, year = (int(part) for part in record["DATSIT"].split("/"))
        assert dt.date(year, month, day).year == 2025
        assert record["DATDEB"][-4:] <= "2025"


def test_csv_and_xlsx_hold_the_header_the_records_and_the_code_lists(
    csapa: Site, manager: User
) -> None:
    for born in (1970, 1988):
        p = person(csapa, manager, birth_year=born)
        visit(csapa, p, dt.date(2025, 9, 1), manager)
        situation(
            csapa, p, dt.date(2025, 9, 1), manager, products_asked=Asked.ANSWERED, products=[]
        )
    records = recap.build_records(recap.site_scope(csapa, 2025))
    body = recap.to_csv(records)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(recap.ITEM_CODES)
    assert sorted(r[rows[0].index("ANNAIS")] for r in rows[1:3]) == ["1970", "1988"]
    assert rows[3] == [] and rows[4] == ["Listes de codes"]

    book = load_workbook(io.BytesIO(recap.to_xlsx(records)))
    assert book.sheetnames == ["RECAP", "Codes"]
    sheet = [list(r) for r in book["RECAP"].iter_rows(values_only=True)]
    assert sheet[0] == list(recap.ITEM_CODES)
    assert [dict(zip(sheet[0], r, strict=True)) for r in sheet[1:]] == records
    assert records[0]["PROD1"] == "00"  # kept as text, leading zero and all
    codes = [list(r) for r in book["Codes"].iter_rows(values_only=True)]
    listed = {(r[0], r[2]) for r in codes[1:]}
    for item in recap.ITEMS:
        for code in item.codes or {"": ""}:
            assert (item.code, code or None) in listed
    assert recap.filename(recap.site_scope(csapa, 2025), "xlsx") == "recap_csapa-chapelle_2025.xlsx"


def test_aggregates_are_exact_for_the_manager_and_masked_for_an_evaluator(
    csapa: Site, manager: User
) -> None:
    for i in range(23):
        p = person(csapa, manager, woman=i < 4, birth_year=1980)
        visit(csapa, p, dt.date(2025, 4, 1), manager)
    records = recap.build_records(recap.site_scope(csapa, 2025))
    exact = {t.title: dict(t.rows) for t in recap.aggregate_tables(records, 2025, masked=False)}
    masked = {t.title: dict(t.rows) for t in recap.aggregate_tables(records, 2025, masked=True)}
    sex = "Personnes par sexe"
    assert exact[sex] == {"1 — Homme": "19", "2 — Femme": "4", "9 — Non renseigné": "0"}
    # 19 men rounded to 20; 4 women and 0 masked, and enough that the total does not give them away.
    assert masked[sex]["2 — Femme"] == SUPPRESSED
    assert masked[sex]["9 — Non renseigné"] == SUPPRESSED
    assert recap.persons_shown(records, masked=True) == "25"
    assert recap.persons_shown(records, masked=False) == "23"


def test_the_extract_reads_a_fixed_number_of_queries_whatever_the_number_of_people(
    csapa: Site, manager: User
) -> None:
    def queries_for(n: int) -> int:
        for _ in range(n):
            p = person(csapa, manager)
            v = visit(csapa, p, dt.date(2025, 5, 5), manager)
            situation(csapa, p, dt.date(2025, 5, 5), manager, housing=Housing.SQUAT)
            act(v, manager, CareKind.TROD_HIV, result=ScreeningResult.NEGATIVE)
        with CaptureQueriesContext(connection) as captured:
            records = recap.build_records(recap.site_scope(csapa, 2025))
        assert {r["LOGEMENT"] for r in records} == {"3"}
        return len(captured)

    assert queries_for(2) == queries_for(8) <= 8


_PRODUCT_CODES = [c for c in recap.PRODUCTS if c not in (recap.NONE2, recap.NR2)]


@st.composite
def _records(draw: Any) -> list[dict[str, str]]:
    """Records as build_records makes them, for the items the aggregate tables read."""
    out = []
    for _ in range(draw(st.integers(0, 60))):
        declared = draw(st.lists(st.sampled_from(_PRODUCT_CODES), max_size=5, unique=True))
        products = (declared + [recap.NONE2] * recap.PRODUCT_COLUMNS)[: recap.PRODUCT_COLUMNS]
        if not declared and draw(st.booleans()):
            products = [recap.NR2] * recap.PRODUCT_COLUMNS
        record = {
            item: draw(st.sampled_from(sorted(recap.ITEM_BY_CODE[item].codes or {"9": ""})))
            for item in ("SEXE", "TSO", "VIH", "VHC")
        }
        record["ANNAIS"] = str(draw(st.integers(1940, 2008)))
        record.update({f"PROD{n}": code for n, code in enumerate(products, start=1)})
        out.append(record)
    return out


@given(records=_records())
@settings(max_examples=40, deadline=None)
def test_every_aggregate_table_counts_what_the_records_say(records: list[dict[str, str]]) -> None:
    tables = {t.title: dict(t.rows) for t in recap.aggregate_tables(records, 2025, masked=False)}
    for title, item in (
        ("Personnes par sexe", "SEXE"),
        ("TSO en cours", "TSO"),
        ("Sérologie VIH", "VIH"),
        ("Sérologie VHC", "VHC"),
    ):
        for code, label in (recap.ITEM_BY_CODE[item].codes or {}).items():
            expected = len([r for r in records if r[item] == code])
            assert tables[title][f"{code} — {label}"] == str(expected)
    products = tables["Personnes par produit déclaré (plusieurs par personne)"]
    for code in _PRODUCT_CODES:
        expected = len([r for r in records if code in [r[f"PROD{n}"] for n in range(1, 6)]])
        assert products[f"{code} — {recap.PRODUCTS[code]}"] == str(expected)
    ages = tables["Personnes par âge atteint dans l'année"]
    for label, low, high in recap.AGE_GROUPS:
        expected = len([r for r in records if low <= 2025 - int(r["ANNAIS"]) <= high])
        assert ages[label] == str(expected)
