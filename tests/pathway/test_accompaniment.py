"""Accompaniments (who by team role, where, how long, what came of it) and interpreting (the
language, by phone or in person): recorded by the site's staff, read by the staff of the person's
sites, never by another site's."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.care.services import referral_create
from halte.clients.models import Client
from halte.core.errors import DomainError
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.pathway.models import Accompaniment, Interpreting
from halte.pathway.services import accompaniment_record, interpreting_record
from tests.factories import ClientFactory
from tests.pathway.conftest import Api


def test_an_accompaniment_takes_the_actors_team_role_by_default(
    educator: User, desk: Site, person: Client
) -> None:
    done = accompaniment_record(
        actor=educator, site=desk, client=person, place="prefecture", minutes=120, outcome="done"
    )
    assert done.role == "educator"
    peer = accompaniment_record(
        actor=educator,
        site=desk,
        client=person,
        place="court",
        minutes=45,
        outcome="postponed",
        role="peer",
    )
    assert peer.role == "peer"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"place": "moon"}, "place"),
        ({"minutes": 2}, "minutes"),
        ({"minutes": 800}, "minutes"),
        ({"outcome": "maybe"}, "outcome"),
        ({"role": "coordinator"}, "role"),
    ],
)
def test_an_impossible_accompaniment_is_refused_and_nothing_is_written(
    fields: dict[str, object], field: str, educator: User, desk: Site, person: Client
) -> None:
    values: dict[str, object] = {"place": "hospital", "minutes": 60, "outcome": "done", **fields}
    with pytest.raises(DomainError) as refused:
        accompaniment_record(actor=educator, site=desk, client=person, **values)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert not Accompaniment.objects.exists()


def test_an_accompaniment_may_follow_a_referral_of_that_person_only(
    educator: User, reception: User, desk: Site, person: Client
) -> None:
    referral = referral_create(actor=educator, site=desk, client=person, destination_kind="csapa")
    done = accompaniment_record(
        actor=educator,
        site=desk,
        client=person,
        place="csapa",
        minutes=60,
        outcome="done",
        referral=referral,
    )
    assert done.referral == referral
    someone_else = ClientFactory.create(actor=reception, site=desk)
    with pytest.raises(DomainError):
        accompaniment_record(
            actor=educator,
            site=desk,
            client=someone_else,
            place="csapa",
            minutes=60,
            outcome="done",
            referral=referral,
        )


def test_interpreting_names_the_language_and_the_mode(
    reception: User, desk: Site, person: Client
) -> None:
    given = interpreting_record(
        actor=reception, site=desk, client=person, language="ka", mode="phone"
    )
    assert (given.language, given.mode, given.minutes) == ("ka", "phone", None)
    with pytest.raises(DomainError):
        interpreting_record(actor=reception, site=desk, client=person, language="ka", mode="smoke")
    with pytest.raises(DomainError):
        interpreting_record(
            actor=reception, site=desk, client=person, language="klingon", mode="phone"
        )
    assert Interpreting.objects.count() == 1


def test_other_sites_record_and_read_nothing(
    other_manager: User, other_site: Site, desk: Site, person: Client, reception: User
) -> None:
    with pytest.raises(Http404):
        accompaniment_record(
            actor=other_manager,
            site=desk,
            client=person,
            place="hospital",
            minutes=30,
            outcome="done",
        )
    interpreting_record(actor=reception, site=desk, client=person, language="ru", mode="in_person")
    assert Api(other_manager).get(f"/clients/{person.public_id}/interpretings").status_code == 404


def test_the_screen_and_the_api_record_once_per_key(
    educator: User, desk: Site, person: Client, login: Callable[[User], HttpClient]
) -> None:
    kwargs = {"site_id": desk.public_id, "client_id": person.public_id}
    http = login(educator)
    http.post(
        reverse("care:accompaniment", kwargs=kwargs),
        {"place": "hospital", "role": "educator", "minutes": 90, "outcome": "done", "done_on": ""},
    )
    assert not Accompaniment.objects.exists()  # the date is asked for
    http.post(
        reverse("care:accompaniment", kwargs=kwargs),
        {
            "place": "hospital",
            "role": "educator",
            "minutes": 90,
            "outcome": "done",
            "done_on": local_today().isoformat(),
        },
    )
    http.post(reverse("care:interpreting", kwargs=kwargs), {"language": "ar", "mode": "phone"})
    page = http.get(reverse("care:followup", kwargs=kwargs)).content.decode()
    assert "Hôpital" in page and "Arabe" in page and "Par téléphone" in page
    body = {
        "site": str(desk.public_id),
        "client": str(person.public_id),
        "place": "shelter",
        "minutes": 40,
        "outcome": "not_received",
    }
    api = Api(educator)
    assert api.post("/accompaniments", body, key="acc-1").status_code == 201
    assert api.post("/accompaniments", body, key="acc-1")["Idempotent-Replayed"] == "true"
    assert len(api.get(f"/clients/{person.public_id}/accompaniments").json()) == 2
