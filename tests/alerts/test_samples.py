"""Samples and results: recorded at a site, linked to an incident, sent, results typed by a nurse
or imported from a laboratory's CSV (all or nothing), the API, and who may do what."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from halte.accounts.models import User
from halte.alerts.csv_import import results_import
from halte.alerts.models import ResultSubstance, Sample
from halte.alerts.services import Found, result_record
from halte.audit.models import AuditEvent
from halte.consumption.services import incident_record
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site


def _sample_form(site: Site, **extra: str) -> dict[str, str]:
    return {
        "site": str(site.public_id),
        "collected_on": local_today().isoformat(),
        "sold_as": "cocaine",
        "believed": "cocaine",
        "form": "powder",
        "route": "nasal",
        "circumstance": "unexpected_effects",
        **extra,
    }


def test_front_desk_records_a_sample_linked_to_an_incident(
    site: Site, reception: User, login: Callable[[User], Client]
) -> None:
    incident = incident_record(actor=reception, site=site, kind="seizure", outcome="transferred")
    http = login(reception)
    page = http.get("/alertes/echantillons/nouveau/").content.decode()
    assert str(incident.public_id) in page
    response = http.post(
        "/alertes/echantillons/nouveau/",
        _sample_form(
            site, incident=str(incident.public_id), sent_to="sintes", circumstance="routine"
        ),
    )
    sample = Sample.objects.get()
    assert response.status_code == 302
    assert sample.incident == incident and sample.circumstance == "incident"
    assert sample.sent_to == "sintes" and sample.sent_on == local_today()
    assert sample.reference.startswith("E-") and len(sample.reference) == 10
    event = AuditEvent.objects.get(action="sample.recorded")
    assert event.payload["reference"] == sample.reference


def test_a_bad_sample_is_refused_and_writes_nothing(
    site: Site, reception: User, login: Callable[[User], Client]
) -> None:
    http = login(reception)
    tomorrow = (local_today() + dt.timedelta(days=1)).isoformat()
    page = http.post("/alertes/echantillons/nouveau/", _sample_form(site, collected_on=tomorrow))
    assert "dans le futur" in page.content.decode()
    page = http.post("/alertes/echantillons/nouveau/", _sample_form(site, sold_as="other"))
    assert "Précisez le produit" in page.content.decode()
    assert not Sample.objects.exists()


def test_another_sites_incident_cannot_be_linked(
    site: Site,
    other_site: Site,
    reception: User,
    other_nurse: User,
    login: Callable[[User], Client],
) -> None:
    theirs = incident_record(actor=other_nurse, site=other_site, kind="seizure", outcome="other")
    page = login(reception).post(
        "/alertes/echantillons/nouveau/", _sample_form(site, incident=str(theirs.public_id))
    )
    assert page.status_code == 200 and not Sample.objects.exists()


def test_a_nurse_enters_the_result_and_reception_cannot(
    sample: Sample, nurse: User, reception: User, login: Callable[[User], Client]
) -> None:
    url = f"/alertes/echantillons/{sample.public_id}/resultat/"
    rows = {
        "result_on": local_today().isoformat(),
        "s-TOTAL_FORMS": "5",
        "s-INITIAL_FORMS": "0",
        "s-MIN_NUM_FORMS": "0",
        "s-MAX_NUM_FORMS": "12",
        "s-0-substance": "heroin",
        "s-0-role": "active",
        "s-0-purity": "12,5",
        "s-1-substance": "nitazene",
        "s-1-role": "active",
        "s-2-substance": "paracetamol",
        "s-2-role": "adulterant",
        "s-2-purity": "40",
    }
    for n in range(3, 5):
        rows[f"s-{n}-role"] = "active"
    assert login(reception).post(url, rows).status_code == 404
    page = login(reception).get(f"/alertes/echantillons/{sample.public_id}/").content.decode()
    assert "data-result-form" not in page
    response = login(nurse).post(url, rows)
    assert response.status_code == 302
    sample.refresh_from_db()
    found = {r.substance: (r.role, r.purity) for r in sample.substances.all()}
    assert found == {
        "heroin": ("active", Decimal("12.5")),
        "nitazene": ("active", None),
        "paracetamol": ("adulterant", Decimal("40.0")),
    }
    assert sample.result_on == local_today()
    rows["s-0-purity"] = "140"
    again = login(nurse).post(url, rows)
    assert again.status_code == 422
    assert sample.substances.count() == 3


def test_the_result_service_refuses_bad_results(sample: Sample, nurse: User) -> None:
    for found in (
        [],
        [Found("other")],
        [Found("heroin"), Found("heroin")],
        [Found("heroin", purity=Decimal("101"))],
        [Found("unknown-thing")],
    ):
        with pytest.raises(DomainError):
            result_record(actor=nurse, sample=sample, found=found)
    for found in (
        [Found("unknown-thing")],
        [Found("heroin", role="decoration")],
        [Found("other", label="x" * 41)],
    ):
        with pytest.raises(DomainError) as refused:
            result_record(actor=nurse, sample=sample, found=found)
        assert refused.value.field == "substances"  # a row's refusal shows on the list
    assert not ResultSubstance.objects.exists()


CSV_OK = (
    "reference;result_date;substance;role;purity;label\n"
    "{ref};{day};heroin;active;8,2;\n"
    "{ref};{day};fentanyl;active;;\n"
    "{ref};{day};caffeine;adulterant;30;\n"
    "{ref};{day};other;adulterant;;amidon\n"
)


def test_a_laboratory_csv_is_imported_whole(
    sample: Sample, nurse: User, login: Callable[[User], Client]
) -> None:
    data = CSV_OK.format(ref=sample.reference.lower(), day=local_today().strftime("%d/%m/%Y"))
    upload = SimpleUploadedFile("resultats.csv", data.encode("utf-8-sig"), "text/csv")
    response = login(nurse).post("/alertes/echantillons/import/", {"file": upload})
    assert response.status_code == 302
    assert sorted(sample.substances.values_list("substance", flat=True)) == [
        "caffeine",
        "fentanyl",
        "heroin",
        "other",
    ]
    assert sample.substances.get(substance="other").label == "amidon"
    assert AuditEvent.objects.get(action="sample.result_recorded").payload["source"] == "csv"


def test_one_bad_line_and_nothing_is_imported(sample: Sample, nurse: User) -> None:
    day = local_today().isoformat()
    data = (
        CSV_OK.format(ref=sample.reference, day=day)
        + f"{sample.reference};{day};cocaine;active;200;\n"
        + f"E-00000000;{day};cocaine;active;;\n"
        + f"{sample.reference};{day};licorne;active;;\n"
    )
    report = results_import(actor=nurse, data=data.encode())
    assert report.samples == 0
    assert report.errors == [
        "Ligne 6 : pureté illisible (un pourcentage de 0 à 100).",
        "Ligne 7 : échantillon « E-00000000 » introuvable.",
        "Ligne 8 : substance inconnue.",
    ]
    assert not ResultSubstance.objects.exists()
    with pytest.raises(DomainError, match="Colonnes manquantes"):
        results_import(actor=nurse, data=b"ref;date\nx;y\n")


def test_another_sites_nurse_cannot_import_our_results(sample: Sample, other_nurse: User) -> None:
    data = CSV_OK.format(ref=sample.reference, day=local_today().isoformat())
    report = results_import(actor=other_nurse, data=data.encode())
    assert report.errors and report.samples == 0
    assert not ResultSubstance.objects.exists()


def test_the_api_records_samples_and_results(
    site: Site, nurse: User, other_nurse: User, coordinator: User, login: Callable[[User], Client]
) -> None:
    http = login(nurse)
    body: dict[str, Any] = {
        "site": str(site.public_id),
        "sold_as": "crack",
        "believed": "crack",
        "form": "rock",
        "route": "inhalation",
        "circumstance": "routine",
    }
    created = http.post(
        "/api/v1/samples",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="s-1",
    )
    replay = http.post(
        "/api/v1/samples",
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="s-1",
    )
    assert created.status_code == replay.status_code == 201
    assert created.json()["id"] == replay.json()["id"] and Sample.objects.count() == 1
    sample_id = created.json()["id"]
    result = http.post(
        f"/api/v1/samples/{sample_id}/result",
        json.dumps(
            {
                "substances": [
                    {"substance": "cocaine", "purity": 61.5},
                    {"substance": "levamisole", "role": "adulterant"},
                ]
            }
        ),
        content_type="application/json",
    )
    assert result.status_code == 200, result.content
    assert {s["substance"] for s in result.json()["substances"]} == {"cocaine", "levamisole"}
    assert login(other_nurse).get(f"/api/v1/samples/{sample_id}").status_code == 404
    assert [s["id"] for s in login(coordinator).get("/api/v1/samples").json()] == [sample_id]
    wrong = http.post(
        "/api/v1/samples",
        json.dumps({**body, "site": str(site.public_id), "form": "cloud"}),
        content_type="application/json",
    )
    assert wrong.status_code == 422


def test_the_sample_list_has_a_query_budget(
    site: Site,
    nurse: User,
    login: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    from halte.alerts.services import sample_record

    for _ in range(6):
        made = sample_record(
            actor=nurse,
            site=site,
            sold_as="heroin",
            believed="heroin",
            form="powder",
            route="injection",
            circumstance="routine",
        )
        result_record(
            actor=nurse, sample=made, found=[Found("heroin"), Found("caffeine", role="adulterant")]
        )
    http = login(nurse)
    with django_assert_max_num_queries(24):
        page = http.get("/alertes/echantillons/")
    assert page.content.decode().count("data-sample=") == 6
