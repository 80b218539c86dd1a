"""Issue 23.11: a referral carries its appointment and a short note that only the care team
writes and reads (never in the audit trail, logs or another role's page or answer); a naloxone kit
ticked beside another act never costs the act; a refused visit form comes back as typed."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.models import CareAct, Distribution, Referral
from halte.care.services import referral_create
from halte.core.errors import DomainError
from halte.core.timeutils import now
from halte.visits.models import Visit
from tests.care.conftest import Api

NOTE = "Apporter l'ordonnance, demander Dr Martin"
Login = Callable[[User], HttpClient]


def _in_two_days() -> dt.datetime:
    return (now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)


def test_a_nurse_records_the_appointment_and_the_note_never_audited(
    nurse: User, visit: Visit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    when = _in_two_days()
    referral = referral_create(
        actor=nurse,
        site=visit.site,
        visit=visit,
        destination_kind="csapa",
        appointment_at=when,
        note=f"  {NOTE}\n",
    )
    referral.refresh_from_db()
    assert referral.appointment_at == when and referral.note == NOTE
    event = AuditEvent.objects.get(action="referral.proposed")
    assert event.payload["note"] is True and event.payload["appointment"] is True
    everything = json.dumps(list(AuditEvent.objects.values_list("payload", flat=True)))
    assert "ordonnance" not in everything and "Martin" not in everything
    assert "ordonnance" not in caplog.text


@pytest.mark.parametrize(
    ("who", "note", "appointment", "field"),
    [
        ("educator", NOTE, None, "note"),  # not a care role: no note
        ("nurse", "x" * 201, None, "note"),
        ("nurse", "rendez-vous\x00", None, "note"),
        ("nurse", "", dt.timedelta(days=400), "appointment_at"),
        ("nurse", "", -dt.timedelta(days=3), "appointment_at"),
    ],
)
def test_a_bad_note_or_appointment_is_refused_and_writes_nothing(
    request: pytest.FixtureRequest,
    visit: Visit,
    who: str,
    note: str,
    appointment: dt.timedelta | None,
    field: str,
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(DomainError) as refused:
        referral_create(
            actor=actor,
            site=visit.site,
            visit=visit,
            destination_kind="csapa",
            appointment_at=now() + appointment if appointment else None,
            note=note,
        )
    assert refused.value.field == field
    assert (
        not Referral.objects.exists()
        and not AuditEvent.objects.filter(action="referral.proposed").exists()
    )


def test_the_note_reaches_care_roles_only_on_screens_and_in_the_api(
    nurse: User, educator: User, manager: User, visit: Visit, login: Login
) -> None:
    referral_create(
        actor=nurse,
        site=visit.site,
        visit=visit,
        destination_kind="csapa",
        appointment_at=_in_two_days(),
        note=NOTE,
    )
    pages = [
        reverse("care:visit", kwargs={"visit_id": visit.public_id}),
        reverse("care:referrals", kwargs={"site_id": visit.site.public_id}),
    ]
    for page in pages:
        assert "ordonnance" in login(nurse).get(page).content.decode()
        for other in (educator, manager):
            html = login(other).get(page).content.decode()
            assert "ordonnance" not in html and "Martin" not in html
    assert "ordonnance" in Api(nurse).get(f"/visits/{visit.public_id}/care").text
    body = Api(educator).get(f"/visits/{visit.public_id}/care").json()
    (shown,) = body["referrals"]
    assert shown["note"] is None and shown["appointment_at"] is not None


def test_the_api_takes_the_note_from_care_roles_only(
    nurse: User, educator: User, visit: Visit
) -> None:
    body = {
        "visit": str(visit.public_id),
        "destination_kind": "csapa",
        "appointment_at": _in_two_days().isoformat(),
        "note": NOTE,
    }
    refused = Api(educator).post("/referrals", body)
    assert refused.status_code == 422 and not Referral.objects.exists()
    created = Api(nurse).post("/referrals", body)
    assert created.status_code == 201, created.json()
    assert created.json()["note"] == NOTE


def test_the_referral_form_comes_back_as_typed_when_refused(
    nurse: User, visit: Visit, login: Login
) -> None:
    far = (now() + dt.timedelta(days=500)).strftime("%Y-%m-%dT%H:%M")
    page = login(nurse).post(
        reverse("care:visit_referral", kwargs={"visit_id": visit.public_id}),
        {"destination_kind": "csapa", "appointment_at": far, "note": NOTE},
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert (
        "Rendez-vous trop lointain" in html and far in html and NOTE.replace("'", "&#x27;") in html
    )
    assert not Referral.objects.exists()


def test_a_kit_beside_another_act_keeps_both(
    nurse: User, visit: Visit, stocked: object, login: Login
) -> None:
    page = login(nurse).post(
        reverse("care:care_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "wound_care", "naloxone_kit_given": "on", "psychiatric_history": ""},
        follow=True,
    )
    act = CareAct.objects.get(visit=visit)
    assert act.kind == "wound_care" and not act.naloxone_kit_given
    assert Distribution.objects.filter(visit=visit, lines__item="naloxone_kit").count() == 1
    assert "Formation à la naloxone" in page.content.decode()


def test_without_stock_the_act_is_kept_and_the_kit_refusal_said(
    nurse: User, visit: Visit, login: Login
) -> None:
    page = login(nurse).post(
        reverse("care:care_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "wound_care", "naloxone_kit_given": "on", "psychiatric_history": ""},
        follow=True,
    )
    assert CareAct.objects.filter(visit=visit, kind="wound_care").exists()
    assert not Distribution.objects.filter(visit=visit).exists()
    assert "mais pas le kit de naloxone" in page.content.decode()


def test_a_refused_act_comes_back_as_typed(nurse: User, visit: Visit, login: Login) -> None:
    page = login(nurse).post(
        reverse("care:care_act", kwargs={"visit_id": visit.public_id}),
        {"kind": "trod_hcv", "psychiatric_history": ""},
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert "Indiquez le résultat du dépistage" in html
    assert 'value="trod_hcv"' in html and "checked" in html.split('value="trod_hcv"')[1][:40]
    assert not CareAct.objects.exists()
