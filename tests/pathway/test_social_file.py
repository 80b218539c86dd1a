"""The consented social file: opened with consent, sealed at rest, read by the site's social
workers (educators) and care roles only, every read audited without any identity, deleted on
request or after its retention period."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse

from halte.accounts.models import User
from halte.audit.models import AuditEvent
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError
from halte.core.timeutils import local_today, now
from halte.network.models import Site
from halte.pathway.models import SocialFile
from halte.pathway.socialfile import (
    Document,
    Identity,
    social_file_delete,
    social_file_open,
    social_file_read,
    social_file_update,
)
from halte.retention.services import purge_expired
from tests.api_client import Api

NAME = "Zébulon-Quartz"
GIVEN = "Amandine"
PASSPORT = "19AB12345"
IDENTITY = Identity(
    family_name=NAME,
    given_names=GIVEN,
    birth_date=dt.date(1984, 3, 2),
    documents=(Document("passport", PASSPORT),),
)


def opened(site: Site, person: Client, educator: User) -> SocialFile:
    return social_file_open(
        actor=educator,
        site=site,
        client=person,
        purpose="rights_ame",
        consent=True,
        identity=IDENTITY,
    )


def leaks(text: str) -> bool:
    return any(secret in text for secret in (NAME, GIVEN, PASSPORT, "1984-03-02"))


def test_opened_with_consent_sealed_at_rest_and_read_back(
    desk: Site, person: Client, educator: User
) -> None:
    social_file = opened(desk, person, educator)
    stored = SocialFile.objects.get()
    assert not leaks(stored.sealed) and not leaks(str(stored))
    assert stored.consent_on == local_today() and stored.consent_recorded_by == educator
    assert social_file_read(actor=educator, social_file=social_file) == IDENTITY


def test_no_consent_no_file_and_one_file_per_person_and_site(
    desk: Site, person: Client, educator: User
) -> None:
    with pytest.raises(DomainError, match="consentement"):
        social_file_open(
            actor=educator,
            site=desk,
            client=person,
            purpose="rights_ame",
            consent=False,
            identity=IDENTITY,
        )
    for bad in (
        Identity(family_name="", given_names=GIVEN),
        Identity(family_name=NAME, given_names="x" * 81),
        Identity(family_name=NAME, given_names=GIVEN, birth_date=dt.date(2999, 1, 1)),
        Identity(family_name=NAME, given_names=GIVEN, documents=(Document("tattoo", "x"),)),
        Identity(family_name="Nom\x00", given_names=GIVEN),
    ):
        with pytest.raises(DomainError):
            social_file_open(
                actor=educator,
                site=desk,
                client=person,
                purpose="rights_ame",
                consent=True,
                identity=bad,
            )
    assert not SocialFile.objects.exists()
    opened(desk, person, educator)
    with pytest.raises(ConflictError):
        opened(desk, person, educator)


def test_reception_peer_and_manager_may_not_open_one(
    desk: Site, person: Client, reception: User, manager: User
) -> None:
    for actor in (reception, manager):
        with pytest.raises(DomainError, match="travailleurs sociaux"):
            opened(desk, person, actor)


def test_every_read_write_and_deletion_is_audited_without_identity(
    desk: Site, person: Client, educator: User, nurse: User
) -> None:
    social_file = opened(desk, person, educator)
    social_file_read(actor=nurse, social_file=social_file)
    social_file_read(actor=educator, social_file=social_file)
    social_file_update(
        actor=educator,
        social_file=social_file,
        identity=Identity(family_name=NAME, given_names=GIVEN, documents=()),
        purpose="domiciliation",
    )
    social_file_delete(actor=nurse, social_file=social_file)
    events = AuditEvent.objects.filter(object_type="social_file").order_by("pk")
    assert [e.action for e in events] == [
        "social_file.opened",
        "social_file.read",
        "social_file.read",
        "social_file.updated",
        "social_file.deleted",
    ]
    assert [e.actor for e in events if e.action == "social_file.read"] == [nurse, educator]
    assert not any(leaks(json.dumps(e.payload)) for e in AuditEvent.objects.all())
    assert not SocialFile.objects.exists()


def test_retention_deletes_files_untouched_for_two_years(
    desk: Site, person: Client, educator: User
) -> None:
    old = opened(desk, person, educator)
    SocialFile.objects.filter(pk=old.pk).update(updated_at=now() - dt.timedelta(days=731))
    counts = purge_expired(dry_run=True)
    assert counts["pathway.SocialFile"] == 1
    purge_expired()
    assert not SocialFile.objects.exists()


def test_screens_open_read_correct_and_delete(
    desk: Site, person: Client, educator: User, login: Callable[[User], HttpClient]
) -> None:
    http = login(educator)
    followup = http.get(
        reverse("care:followup", kwargs={"site_id": desk.public_id, "client_id": person.public_id})
    )
    assert 'data-testid="social-file-link"' in followup.content.decode()
    url = reverse(
        "care:social_files", kwargs={"site_id": desk.public_id, "client_id": person.public_id}
    )
    fields = {
        "family_name": NAME,
        "given_names": GIVEN,
        "birth_date": "1984-03-02",
        "purpose": "hospital",
        "doc_kind_0": "passport",
        "doc_ref_0": PASSPORT,
        "consent_on": local_today().isoformat(),
    }
    refused = http.post(url, fields)
    assert refused.status_code == 422 and not SocialFile.objects.exists()
    made = http.post(url, {**fields, "consent": "on"})
    assert made.status_code == 302
    social_file = SocialFile.objects.get()
    assert str(social_file.public_id) in made["Location"] and not leaks(made["Location"])
    page = http.get(made["Location"])
    assert page.status_code == 200 and NAME in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert AuditEvent.objects.filter(action="social_file.read").count() == 1
    corrected = http.post(made["Location"], {**fields, "given_names": "Amandine Rose"})
    assert corrected.status_code == 302
    deleted = http.post(reverse("care:social_file_remove", args=[social_file.public_id]))
    assert deleted.status_code == 302 and not SocialFile.objects.exists()


def test_api_opens_reads_and_deletes_and_posts_answer_no_identity(
    desk: Site, person: Client, educator: User, reception: User
) -> None:
    api = Api(educator)
    body = {
        "site": str(desk.public_id),
        "purpose": "rights_css",
        "consent": True,
        "identity": {
            "family_name": NAME,
            "given_names": GIVEN,
            "documents": [{"kind": "passport", "reference": PASSPORT}],
        },
    }
    made = api.post(f"/clients/{person.public_id}/social-files", body, key="sf-1")
    assert made.status_code == 201, made.content
    assert not leaks(made.content.decode())
    again = api.post(f"/clients/{person.public_id}/social-files", body, key="sf-1")
    assert again.status_code == 201 and SocialFile.objects.count() == 1
    file_id = made.json()["id"]
    listing = api.get(f"/clients/{person.public_id}/social-files")
    assert [f["id"] for f in listing.json()] == [file_id] and not leaks(listing.content.decode())
    read = api.get(f"/social-files/{file_id}")
    assert read.status_code == 200 and read.json()["identity"]["family_name"] == NAME
    assert Api(reception).get(f"/social-files/{file_id}").status_code == 404
    assert Api(reception).get(f"/clients/{person.public_id}/social-files").json() == []
    no_consent = api.post(
        f"/clients/{person.public_id}/social-files", {**body, "consent": False}, key="sf-2"
    )
    assert no_consent.status_code in (409, 422)
    assert api.post(f"/social-files/{file_id}/delete", {}, key="sf-3").status_code == 200
    assert not SocialFile.objects.exists()
    # Nothing of the identity in the stored answers of the idempotent POSTs.
    from halte.core.models import IdempotencyRecord

    assert not any(leaks(r.body) for r in IdempotencyRecord.objects.all())


def test_social_file_is_never_in_the_admin_or_exports(db: None) -> None:
    from django.contrib import admin

    assert SocialFile not in admin.site._registry
    call_command("check")


def test_social_file_pages_keep_to_their_budget(
    desk: Site,
    person: Client,
    educator: User,
    login: Callable[[User], HttpClient],
    django_assert_max_num_queries: Any,
) -> None:
    social_file = opened(desk, person, educator)
    http = login(educator)
    listing = reverse(
        "care:social_files", kwargs={"site_id": desk.public_id, "client_id": person.public_id}
    )
    with django_assert_max_num_queries(32):
        assert http.get(listing).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            http.get(reverse("care:social_file", args=[social_file.public_id])).status_code == 200
        )


def test_the_persons_page_links_to_the_social_file_for_those_who_keep_it_only(
    desk: Site,
    person: Client,
    educator: User,
    reception: User,
    login: Callable[[User], HttpClient],
) -> None:
    page = reverse("www:client", kwargs={"client_id": person.public_id})
    target = reverse(
        "care:social_files", kwargs={"site_id": desk.public_id, "client_id": person.public_id}
    )
    assert target in login(educator).get(page).content.decode()
    assert target not in login(reception).get(page).content.decode()
