"""The authorisations over the API: listed to whoever sees them, written by the coordination."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from halte.accounts.models import User
from halte.network.models import Authorisation, Operator, Site

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
URL = "/api/v1/sites/authorisations"


def _body(holder: Operator, *sites: Site, **fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "finess": "750000023",
        "kind": "caarud",
        "operator": str(holder.public_id),
        "label": "CAARUD de l'API",
        "sites": [str(s.public_id) for s in sites],
    }
    body.update(fields)
    return body


def test_the_coordination_creates_lists_and_changes_an_authorisation(
    coordinator: User, operator: Operator, make_site: Callable[..., Site], login: Login
) -> None:
    one, two = make_site(), make_site()
    client = login(coordinator)
    made = client.post(URL, _body(operator, one), content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["sites"] == [str(one.public_id)]
    listed = client.get(URL).json()
    assert [a["finess"] for a in listed] == ["750000023"]
    changed = client.patch(
        f"{URL}/{made.json()['id']}",
        {"sites": [str(one.public_id), str(two.public_id)], "label": "Renommé"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["label"] == "Renommé"
    assert set(changed.json()["sites"]) == {str(one.public_id), str(two.public_id)}


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(
    coordinator: User, operator: Operator, site: Site, other_site: Site, login: Login
) -> None:
    client = login(coordinator)
    for body, field in (
        (_body(operator, site, finess="12"), "finess"),
        (_body(operator, site, other_site), "sites"),
        (_body(operator, site, operator="00000000-0000-0000-0000-000000000000"), "operator"),
    ):
        answer = client.post(URL, body, content_type="application/json")
        assert answer.status_code == 422, answer.content
        assert field in str(answer.json()["error"]["details"]), answer.json()
    assert not Authorisation.objects.exists()


def test_a_manager_reads_but_does_not_write(
    coordinator: User, manager: User, operator: Operator, site: Site, login: Login
) -> None:
    assert (
        login(manager).post(URL, _body(operator, site), content_type="application/json").status_code
        == 403
    )
    made = login(coordinator).post(URL, _body(operator, site), content_type="application/json")
    assert [a["finess"] for a in login(manager).get(URL).json()] == ["750000023"]
    answer = login(manager).patch(
        f"{URL}/{made.json()['id']}", {"label": "x"}, content_type="application/json"
    )
    assert answer.status_code == 403
    assert Authorisation.objects.get().label == "CAARUD de l'API"
