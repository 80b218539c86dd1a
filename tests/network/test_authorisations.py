"""Authorisations (FINESS): registered and changed by the coordination, audited, their places
the operator's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.core.errors import DomainError
from halte.network.enums import AuthorisationKind
from halte.network.models import Authorisation, Operator, Site
from halte.network.selectors import authorisations_visible_to
from halte.network.services import authorisation_create, authorisation_update

pytestmark = pytest.mark.django_db


def _create(actor: User, operator: Operator, sites: list[Site], **fields: object) -> Authorisation:
    values: dict[str, object] = {
        "finess": "750000001",
        "kind": AuthorisationKind.CAARUD,
        "label": "CAARUD test",
    }
    values.update(fields)
    return authorisation_create(actor=actor, operator=operator, sites=sites, **values)  # type: ignore[arg-type]


def test_the_coordination_registers_an_authorisation_covering_two_places(
    coordinator: User, operator: Operator, make_site: Callable[..., Site]
) -> None:
    one, two = make_site(), make_site()
    made = _create(coordinator, operator, [one, two], finess=" 750000001 ")
    assert set(made.sites.all()) == {one, two}
    event = AuditEvent.objects.get(action="authorisation.created")
    assert event.object_id == str(made.public_id)
    assert event.payload["sites"] == sorted([one.slug, two.slug])
    assert event.payload["finess"] == "750000001"


@pytest.mark.parametrize("finess", ["7500001", "75000000A", "ABCDEFGHI", ""])
def test_a_malformed_finess_is_refused_and_nothing_is_saved(
    coordinator: User, operator: Operator, site: Site, finess: str
) -> None:
    with pytest.raises(DomainError) as caught:
        _create(coordinator, operator, [site], finess=finess)
    assert caught.value.field == "finess"
    assert not Authorisation.objects.exists()
    assert not AuditEvent.objects.filter(action="authorisation.created").exists()


def test_a_finess_is_unique(coordinator: User, operator: Operator, site: Site) -> None:
    _create(coordinator, operator, [site])
    with pytest.raises(DomainError) as caught:
        _create(coordinator, operator, [site], label="Autre")
    assert caught.value.field == "finess"
    assert Authorisation.objects.count() == 1


def test_another_operators_place_cannot_be_covered(
    coordinator: User, operator: Operator, site: Site, other_site: Site
) -> None:
    with pytest.raises(DomainError) as caught:
        _create(coordinator, operator, [site, other_site])
    assert caught.value.field == "sites" and other_site.name in caught.value.message
    assert not Authorisation.objects.exists()


def test_its_end_may_not_precede_its_start(
    coordinator: User, operator: Operator, site: Site
) -> None:
    with pytest.raises(DomainError):
        _create(
            coordinator,
            operator,
            [site],
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2024, 1, 1),
        )


def test_only_the_coordination_registers_or_changes_them(
    coordinator: User, manager: User, operator: Operator, site: Site
) -> None:
    with pytest.raises(PermissionDenied):
        _create(manager, operator, [site])
    made = _create(coordinator, operator, [site])
    with pytest.raises(PermissionDenied):
        authorisation_update(actor=manager, authorisation=made, label="Changé")
    assert Authorisation.objects.get().label == "CAARUD test"


def test_an_update_changes_the_places_and_the_trail_says_what_moved(
    coordinator: User, operator: Operator, make_site: Callable[..., Site]
) -> None:
    one, two = make_site(), make_site()
    made = _create(coordinator, operator, [one])
    authorisation_update(
        actor=coordinator, authorisation=made, sites=[one, two], label="CAARUD renommé"
    )
    made.refresh_from_db()
    assert made.label == "CAARUD renommé" and set(made.sites.all()) == {one, two}
    event = AuditEvent.objects.get(action="authorisation.updated")
    assert event.payload["changes"]["sites"] == [[one.slug], sorted([one.slug, two.slug])]
    with pytest.raises(DomainError):
        authorisation_update(actor=coordinator, authorisation=made, operator_id=3)
    authorisation_update(actor=coordinator, authorisation=made, label="CAARUD renommé")
    assert AuditEvent.objects.filter(action="authorisation.updated").count() == 1


def test_who_sees_which_authorisation(
    coordinator: User,
    manager: User,
    other_manager: User,
    outsider: User,
    operator: Operator,
    site: Site,
) -> None:
    made = _create(coordinator, operator, [site])
    assert list(authorisations_visible_to(coordinator)) == [made]
    assert list(authorisations_visible_to(manager)) == [made]
    assert list(authorisations_visible_to(other_manager)) == []
    assert list(authorisations_visible_to(outsider)) == []


def test_the_demo_authorisations_are_said_invented_and_load_once() -> None:
    from django.core.management import call_command

    call_command("load_demo")
    call_command("load_demo")
    caarud = Authorisation.objects.get(kind=AuthorisationKind.CAARUD)
    assert sorted(caarud.sites.values_list("slug", flat=True)) == ["ego-caarud", "step"]
    assert Authorisation.objects.filter(kind=AuthorisationKind.HSA).count() == 1
    assert Authorisation.objects.count() == 2
    assert all("inventé" in a.note for a in Authorisation.objects.all())
