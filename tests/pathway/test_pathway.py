"""The care pathway after a positive test: opened from the test, its steps in order and once each,
with their date and place; read and written by care roles only, through the screens and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.http import Http404
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.care.models import CareAct
from halte.care.services import care_act_record
from halte.clients.models import Client
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.pathway.models import Pathway, PathwayStep
from halte.pathway.services import pathway_open, pathway_step_record
from halte.visits.models import Visit
from tests.pathway.conftest import Api

TODAY = local_today


def _open(nurse: User, act: CareAct) -> Pathway:
    assert act.client is not None
    return pathway_open(
        actor=nurse, site=act.site, client=act.client, infection="hcv", screening=act
    )


def test_an_hcv_pathway_from_the_test_to_the_cure(nurse: User, positive_hcv: CareAct) -> None:
    pathway = _open(nurse, positive_hcv)
    assert pathway.tested_on == TODAY()
    steps = [
        {"stage": "confirmed", "method": "pcr", "outcome": "positive", "place": "laboratory"},
        {"stage": "assessed", "method": "fibroscan", "place": "mobile_unit"},
        {"stage": "treatment_started", "place": "on_site"},
        {"stage": "treatment_ended", "place": "on_site"},
        {"stage": "cure_checked", "method": "pcr", "outcome": "negative", "place": "hospital"},
    ]
    for step in steps:
        pathway_step_record(actor=nurse, pathway=pathway, **step)
    assert [s.stage for s in pathway.steps.order_by("pk")] == [s["stage"] for s in steps]
    with pytest.raises(DomainError, match="terminé"):
        pathway_step_record(
            actor=nurse, pathway=pathway, stage="treatment_started", place="on_site"
        )


@pytest.mark.parametrize(
    ("step", "field"),
    [
        ({"stage": "treatment_started", "place": "on_site"}, "stage"),  # confirmation first
        ({"stage": "confirmed", "method": "fibroscan", "outcome": "positive"}, "method"),
        ({"stage": "confirmed", "method": "pcr"}, "outcome"),
        ({"stage": "confirmed", "method": "pcr", "outcome": "positive", "place": "moon"}, "place"),
        (
            {"stage": "confirmed", "method": "pcr", "outcome": "positive", "place": "network_site"},
            "place_site",
        ),
    ],
)
def test_a_step_out_of_order_or_incomplete_is_refused_and_nothing_is_written(
    step: dict[str, str], field: str, nurse: User, positive_hcv: CareAct
) -> None:
    pathway = _open(nurse, positive_hcv)
    step = {"place": "laboratory", **step}
    with pytest.raises(DomainError) as refused:
        pathway_step_record(actor=nurse, pathway=pathway, **step)
    assert refused.value.field == field
    assert not PathwayStep.objects.exists()


def test_a_step_is_never_dated_before_the_test_nor_in_the_future(
    nurse: User, positive_hcv: CareAct
) -> None:
    pathway = _open(nurse, positive_hcv)
    for day in (TODAY() - dt.timedelta(days=1), TODAY() + dt.timedelta(days=1)):
        with pytest.raises(DomainError):
            pathway_step_record(
                actor=nurse,
                pathway=pathway,
                stage="confirmed",
                method="pcr",
                outcome="positive",
                place="laboratory",
                done_on=day,
            )


def test_a_negative_confirmation_ends_the_pathway_and_a_new_test_may_open_another(
    nurse: User, visit: Visit, positive_hcv: CareAct
) -> None:
    pathway = _open(nurse, positive_hcv)
    with pytest.raises(DomainError):  # one pathway at a time per infection
        pathway_open(
            actor=nurse, site=visit.site, client=pathway.client, infection="hcv", tested_on=TODAY()
        )
    pathway_step_record(
        actor=nurse,
        pathway=pathway,
        stage="confirmed",
        method="pcr",
        outcome="negative",
        place="laboratory",
    )
    again = pathway_open(
        actor=nurse, site=visit.site, client=pathway.client, infection="hcv", tested_on=TODAY()
    )
    assert again.pk != pathway.pk


def test_hiv_stops_at_the_treatment_and_is_never_cured(nurse: User, visit: Visit) -> None:
    assert visit.client is not None
    pathway = pathway_open(
        actor=nurse, site=visit.site, client=visit.client, infection="hiv", tested_on=TODAY()
    )
    with pytest.raises(DomainError, match="VIH"):
        pathway_step_record(
            actor=nurse,
            pathway=pathway,
            stage="cure_checked",
            method="pcr",
            outcome="negative",
            place="hospital",
        )


def test_only_a_positive_test_of_that_infection_opens_a_pathway_and_once(
    nurse: User, visit: Visit, positive_hcv: CareAct
) -> None:
    negative = care_act_record(actor=nurse, visit=visit, kind="trod_hiv", result="negative")
    assert visit.client is not None
    with pytest.raises(DomainError):
        pathway_open(
            actor=nurse, site=visit.site, client=visit.client, infection="hiv", screening=negative
        )
    with pytest.raises(DomainError):
        pathway_open(
            actor=nurse,
            site=visit.site,
            client=visit.client,
            infection="hbv",
            screening=positive_hcv,
        )
    _open(nurse, positive_hcv)
    assert Pathway.objects.count() == 1


@pytest.mark.parametrize("who", ["reception", "educator", "manager"])
def test_no_one_but_the_care_team_opens_or_reads_a_pathway(
    who: str,
    nurse: User,
    positive_hcv: CareAct,
    request: pytest.FixtureRequest,
    login: Callable[[User], HttpClient],
) -> None:
    pathway = _open(nurse, positive_hcv)
    user: User = request.getfixturevalue(who)
    client = pathway.client
    with pytest.raises(Http404):  # the site shows nothing to whoever may not follow
        pathway_open(
            actor=user, site=pathway.site, client=client, infection="hbv", tested_on=TODAY()
        )
    api = Api(user)
    assert api.get(f"/clients/{client.public_id}/pathways").status_code == 404
    step = {"stage": "confirmed", "method": "pcr", "outcome": "positive", "place": "laboratory"}
    assert api.post(f"/pathways/{pathway.public_id}/steps", step).status_code == 404
    url = reverse(
        "care:followup", kwargs={"site_id": pathway.site.public_id, "client_id": client.public_id}
    )
    page = login(user).get(url).content.decode()
    assert "Hépatite C" not in page and "Parcours après un dépistage" not in page
    assert not PathwayStep.objects.exists()


def test_the_api_follows_a_pathway_once_per_idempotency_key(
    nurse: User, positive_hcv: CareAct
) -> None:
    api = Api(nurse)
    assert positive_hcv.client is not None
    opened = api.post(
        "/pathways",
        {
            "site": str(positive_hcv.site.public_id),
            "client": str(positive_hcv.client.public_id),
            "infection": "hcv",
            "screening": str(positive_hcv.public_id),
        },
        key="open-1",
    )
    assert opened.status_code == 201, opened.content
    path = f"/pathways/{opened.json()['id']}/steps"
    step = {
        "stage": "confirmed",
        "method": "serology",
        "outcome": "positive",
        "place": "laboratory",
    }
    first = api.post(path, step, key="step-1")
    again = api.post(path, step, key="step-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert [s["stage"] for s in first.json()["steps"]] == ["confirmed"]
    assert api.post(path, step, key="step-2").status_code == 422  # a stage is reached once
    assert PathwayStep.objects.count() == 1
    listed = api.get(f"/clients/{positive_hcv.client.public_id}/pathways").json()
    assert listed[0]["steps"][0]["outcome"] == "positive"


def test_the_trail_says_a_pathway_moved_never_the_infection_or_a_result(
    nurse: User, positive_hcv: CareAct
) -> None:
    pathway = _open(nurse, positive_hcv)
    pathway_step_record(
        actor=nurse,
        pathway=pathway,
        stage="confirmed",
        method="pcr",
        outcome="positive",
        place="laboratory",
    )
    trail = str(
        list(AuditEvent.objects.filter(object_type="pathway").values_list("payload", flat=True))
    )
    assert "hcv" not in trail and "positive" not in trail


def test_the_nurse_follows_the_pathway_on_the_screen(
    nurse: User, positive_hcv: CareAct, desk: Site, login: Callable[[User], HttpClient]
) -> None:
    client: Client | None = positive_hcv.client
    assert client is not None
    http = login(nurse)
    kwargs = {"site_id": desk.public_id, "client_id": client.public_id}
    http.post(
        reverse("care:pathway_open", kwargs=kwargs),
        {"infection": "hcv", "screening": str(positive_hcv.public_id)},
    )
    pathway = Pathway.objects.get()
    http.post(
        reverse("care:pathway_step", kwargs={"pathway_id": pathway.public_id}),
        {
            "stage": "confirmed",
            "done_on": TODAY().isoformat(),
            "method": "pcr",
            "outcome": "positive",
            "place": "laboratory",
        },
    )
    page = http.get(reverse("care:followup", kwargs=kwargs)).content.decode()
    assert "Hépatite C (VHC)" in page and "PCR (charge virale)" in page
    assert AuditEvent.objects.filter(
        action="pathway.read", object_id=str(client.public_id)
    ).exists()
