"""The authorisation screens: listed to staff, registered and changed by the coordination."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.network.models import Authorisation, Operator, Site

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def _post(operator: Operator, *sites: Site, **fields: str) -> dict[str, object]:
    data: dict[str, object] = {
        "finess": "750000049",
        "kind": "hsa",
        "operator": str(operator.public_id),
        "label": "HSA de l'écran",
        "sites": [str(s.public_id) for s in sites],
        "valid_from": "2022-01-01",
        "valid_until": "",
        "note": "",
    }
    data.update(fields)
    return data


def test_the_coordination_registers_then_changes_an_authorisation(
    coordinator: User, operator: Operator, make_site: Callable[..., Site], login: Login
) -> None:
    one, two = make_site(), make_site()
    client = login(coordinator)
    assert client.get(reverse("authorisations:new")).status_code == 200
    made = client.post(reverse("authorisations:new"), _post(operator, one))
    assert made.status_code == 302
    authorisation = Authorisation.objects.get()
    assert list(authorisation.sites.all()) == [one]
    listing = client.get(reverse("authorisations:list")).content.decode()
    assert "HSA de l&#x27;écran" in listing and "750000049" in listing and one.name in listing
    edit = reverse("authorisations:edit", kwargs={"authorisation_id": authorisation.public_id})
    page = client.get(edit)
    assert page.status_code == 200 and 'name="operator"' not in page.content.decode()
    data = _post(operator, one, two, label="HSA renommée")
    del data["operator"]
    assert client.post(edit, data).status_code == 302
    authorisation.refresh_from_db()
    assert authorisation.label == "HSA renommée"
    assert set(authorisation.sites.all()) == {one, two}
    assert AuditEvent.objects.filter(action="authorisation.updated").count() == 1


def test_a_refused_form_says_why_and_saves_nothing(
    coordinator: User, operator: Operator, site: Site, other_site: Site, login: Login
) -> None:
    answer = login(coordinator).post(
        reverse("authorisations:new"), _post(operator, site, other_site)
    )
    assert answer.status_code == 422
    assert "ne relèvent pas de l&#x27;opérateur" in answer.content.decode()
    assert not Authorisation.objects.exists()


def test_staff_read_the_list_only_and_an_outsider_nothing(
    manager: User, outsider: User, operator: Operator, login: Login
) -> None:
    assert login(manager).get(reverse("authorisations:list")).status_code == 200
    assert login(manager).get(reverse("authorisations:new")).status_code == 403
    assert login(outsider).get(reverse("authorisations:list")).status_code == 404
