"""A vaccination names its vaccine, and hepatitis B its dose of three; a syphilis rapid test is a
screening like the others, with its result for the care team only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.care.models import CareAct
from halte.care.services import care_act_record
from halte.core.errors import DomainError
from halte.visits.models import Visit
from tests.care.conftest import Api


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "vaccination"}, "vaccine"),
        ({"kind": "vaccination", "vaccine": "hbv"}, "dose"),
        ({"kind": "vaccination", "vaccine": "hbv", "dose": 4}, "dose"),
        ({"kind": "vaccination", "vaccine": "influenza", "dose": 1}, "dose"),
        ({"kind": "vaccination", "vaccine": "rabies"}, "vaccine"),
        ({"kind": "nursing", "vaccine": "hav"}, "vaccine"),
    ],
)
def test_a_vaccination_without_its_vaccine_or_with_a_wrong_dose_is_refused(
    fields: dict[str, object], field: str, nurse: User, visit: Visit
) -> None:
    with pytest.raises(DomainError) as refused:
        care_act_record(actor=nurse, visit=visit, **fields)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not CareAct.objects.exists()


@pytest.mark.parametrize("dose", [1, 2, 3])
def test_hepatitis_b_is_given_dose_by_dose(dose: int, nurse: User, visit: Visit) -> None:
    act = care_act_record(actor=nurse, visit=visit, kind="vaccination", vaccine="hbv", dose=dose)
    assert (act.vaccine, act.dose) == ("hbv", dose)


def test_the_database_refuses_a_dose_without_hepatitis_b(nurse: User, visit: Visit) -> None:
    act = care_act_record(actor=nurse, visit=visit, kind="vaccination", vaccine="covid19")
    act.dose = 2
    with pytest.raises(IntegrityError), transaction.atomic():
        act.save()


def test_the_vaccine_and_dose_go_through_the_api_and_the_screen(
    nurse: User, reception: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    body = {"visit": str(visit.public_id), "kind": "vaccination", "vaccine": "hbv", "dose": 2}
    answer = Api(nurse).post("/care-acts", body, key="vacc-1")
    assert answer.status_code == 201, answer.content
    assert (answer.json()["vaccine"], answer.json()["dose"]) == ("hbv", 2)
    page = login(reception).get(reverse("care:visit", kwargs={"visit_id": visit.public_id}))
    assert "Hépatite B (dose 2)" in page.content.decode()


def test_the_nurse_records_a_vaccination_on_the_visit_page(
    nurse: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    url = reverse("care:care_act", kwargs={"visit_id": visit.public_id})
    login(nurse).post(url, {"kind": "vaccination", "vaccine": "dtp"})
    assert CareAct.objects.get().vaccine == "dtp"
    refused = login(nurse).post(url, {"kind": "vaccination", "vaccine": "hbv"})
    assert refused.status_code == 422 and CareAct.objects.count() == 1


def test_a_syphilis_rapid_test_carries_its_result_for_the_care_team_only(
    nurse: User, reception: User, visit: Visit
) -> None:
    care_act_record(actor=nurse, visit=visit, kind="trod_syphilis", result="positive")
    with pytest.raises(DomainError):
        care_act_record(actor=nurse, visit=visit, kind="trod_syphilis")
    acts = Api(reception).get(f"/visits/{visit.public_id}/care").json()["care_acts"]
    assert acts[0]["kind"] == "trod_syphilis" and acts[0]["confidential"] is None
