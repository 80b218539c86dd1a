"""The situation through the screens and the API: asked at the desk in one form, skippable; the
care-only answers never reach reception, educators or managers, on a page or in an answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.clients.models import Client
from halte.network.models import Site
from halte.pathway.enums import Housing, YesNo
from halte.pathway.models import Situation
from halte.pathway.services import situation_record
from halte.visits.models import Visit
from tests.pathway.conftest import CARE_ANSWERS, Api

# Labels and codes of the care-only answers recorded by CARE_ANSWERS.
SECRETS = ("Autres ressources (non officielles)", "unofficial", "Sortie de prison (12 mois)")


def _urls(site: Site, person: Client) -> tuple[str, str]:
    kwargs = {"site_id": site.public_id, "client_id": person.public_id}
    return reverse("care:situation", kwargs=kwargs), reverse("care:followup", kwargs=kwargs)


def test_reception_asks_the_situation_from_the_visit_in_one_form(
    reception: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    http = login(reception)
    assert visit.client is not None
    ask, _followup = _urls(visit.site, visit.client)
    page = http.get(reverse("care:visit", kwargs={"visit_id": visit.public_id})).content.decode()
    assert ask in page
    form = http.get(ask).content.decode()
    assert 'name="pregnancy"' not in form and 'name="resources"' not in form
    back = reverse("care:visit", kwargs={"visit_id": visit.public_id})
    answer = http.post(
        ask,
        {
            "housing": "squat",
            "coverage": "not_asked",
            "products": ["crack"],
            "routes": ["inhalation"],
            "age_first_use_declined": "on",
            "interpreter_needed": "no",
            "next": back,
        },
    )
    assert answer.status_code == 302 and answer["Location"] == back
    situation = Situation.objects.get()
    assert (situation.housing, situation.products, situation.age_first_use_asked) == (
        Housing.SQUAT,
        ["crack"],
        "declined",
    )


def test_reception_cannot_slip_a_care_only_answer_into_the_form(
    reception: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    assert visit.client is not None
    ask, _ = _urls(visit.site, visit.client)
    login(reception).post(ask, {"housing": "street", "pregnancy": "yes"})
    assert Situation.objects.get().pregnancy == YesNo.NOT_ASKED


def test_an_answer_and_a_refusal_together_are_refused_and_nothing_is_written(
    reception: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    assert visit.client is not None
    ask, _ = _urls(visit.site, visit.client)
    answer = login(reception).post(ask, {"products": ["crack"], "products_declined": "on"})
    assert answer.status_code == 422
    assert "pas les deux" in answer.content.decode()
    assert not Situation.objects.exists()


def test_the_nurse_asks_and_reads_the_care_only_questions(
    nurse: User, visit: Visit, login: Callable[[User], HttpClient]
) -> None:
    assert visit.client is not None
    ask, followup = _urls(visit.site, visit.client)
    http = login(nurse)
    http.post(ask, {"resources": "unofficial", "prison_release": "yes", "pregnancy": "no"})
    page = http.get(followup).content.decode()
    for secret in SECRETS[:1] + SECRETS[2:]:
        assert secret in page


@pytest.mark.parametrize("who", ["reception", "educator", "manager"])
def test_a_non_care_role_never_reads_a_care_only_answer(
    who: str,
    nurse: User,
    visit: Visit,
    request: pytest.FixtureRequest,
    login: Callable[[User], HttpClient],
) -> None:
    assert visit.client is not None
    situation_record(actor=nurse, site=visit.site, client=visit.client, answers=CARE_ANSWERS)
    user: User = request.getfixturevalue(who)
    _, followup = _urls(visit.site, visit.client)
    page = login(user).get(followup)
    assert page.status_code == 200
    assert "Rue (sans abri)" in page.content.decode()  # the desk answers are shared
    answer = Api(user).get(f"/clients/{visit.client.public_id}/situations")
    assert answer.status_code == 200
    assert answer.json()[0]["care_only"] is None
    for text in (page.content.decode(), answer.content.decode()):
        for secret in SECRETS:
            assert secret not in text


def test_the_api_refuses_a_care_only_answer_from_reception_and_writes_nothing(
    reception: User, visit: Visit
) -> None:
    assert visit.client is not None
    answer = Api(reception).post(
        f"/clients/{visit.client.public_id}/situations",
        {"site": str(visit.site.public_id), "pregnancy": "yes"},
    )
    assert answer.status_code == 422
    assert "équipe soignante" in answer.json()["error"]["message"]
    assert not Situation.objects.exists()


def test_the_api_records_once_per_idempotency_key(nurse: User, visit: Visit) -> None:
    assert visit.client is not None
    body = {
        "site": str(visit.site.public_id),
        "housing": "emergency_shelter",
        "products_asked": "answered",
        "products": ["heroin"],
        "pregnancy": "declined",
    }
    api = Api(nurse)
    first = api.post(f"/clients/{visit.client.public_id}/situations", body, key="sit-1")
    again = api.post(f"/clients/{visit.client.public_id}/situations", body, key="sit-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["care_only"]["pregnancy"]["code"] == "declined"
    assert Situation.objects.count() == 1


def test_an_unknown_field_or_code_is_a_clear_422(nurse: User, visit: Visit) -> None:
    assert visit.client is not None
    api = Api(nurse)
    path = f"/clients/{visit.client.public_id}/situations"
    assert (
        api.post(path, {"site": str(visit.site.public_id), "housing": "castle"}).status_code == 422
    )
    assert api.post(path, {"site": str(visit.site.public_id), "name": "x"}).status_code == 422
    assert not Situation.objects.exists()
