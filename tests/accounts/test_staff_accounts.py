"""Staff accounts managed on site: the administrator everywhere, a manager for their own sites
only; every write audited, no password in any payload; the second factor and the lockout hold."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from halte.accounts.enums import Role
from halte.accounts.models import Membership, TotpDevice, User
from halte.audit.models import AuditEvent
from halte.network.models import Site
from tests.accounts.test_doors import enrol, lock
from tests.conftest import PASSWORD

TEMPORARY = re.compile(r"data-temporary-password>([a-z0-9-]{19})<")


def _temporary(text: str) -> str:
    found = TEMPORARY.search(text)
    assert found, "the temporary password is shown once"
    return found.group(1)


def _no_secret_in_audit(*secrets: str) -> None:
    for event in AuditEvent.objects.all():
        for secret in secrets:
            assert secret not in str(event.payload)


def test_a_manager_creates_an_account_for_their_site_which_must_change_its_password(
    login, site: Site, manager: User
) -> None:
    client = login(manager)
    page = client.post(
        reverse("staff:create"),
        {"username": "accueil-2", "role": Role.RECEPTION, "site": site.pk},
    )
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    password = _temporary(page.text)
    created = User.objects.get(username="accueil-2")
    assert created.must_change_password
    assert created.memberships.get().site == site
    event = AuditEvent.objects.get(action="user.created", object_id=str(created.pk))
    assert event.actor == manager and event.payload == {"role": "reception"}
    _no_secret_in_audit(password)
    # The new member of staff logs in: the first page asks for a password of their own.
    newcomer = Client()
    newcomer.post(reverse("www:login"), {"username": "accueil-2", "password": password})
    home = newcomer.get(reverse("www:map"))
    assert home.status_code == 302 and home.url.startswith(reverse("staff:password"))
    short = newcomer.post(reverse("staff:password"), {"password": "123", "password_again": "123"})
    assert short.status_code == 422 and "Rien n'a été enregistré" in short.text
    new = "un-vrai-mot-de-passe-47"
    done = newcomer.post(reverse("staff:password"), {"password": new, "password_again": new})
    assert done.status_code == 302
    assert newcomer.get(reverse("www:map")).status_code == 200  # still logged in
    assert not User.objects.get(pk=created.pk).must_change_password
    _no_secret_in_audit(password, new)


def test_a_manager_never_sees_another_sites_staff_nor_grants_a_network_role(
    login, site: Site, other_site: Site, manager: User, other_manager: User, coordinator: User
) -> None:
    client = login(manager)
    listing = client.get(reverse("staff:list"))
    assert "other-manager" not in listing.text and "coordinator" not in listing.text
    for account in (other_manager, coordinator):
        detail = reverse("staff:detail", kwargs={"user_id": account.public_id})
        assert client.get(detail).status_code == 404
        reset = reverse("staff:password_reset", kwargs={"user_id": account.public_id})
        assert client.post(reset).status_code == 404
    before = Membership.objects.count()
    for role, where in ((Role.COORDINATOR, ""), (Role.ADMIN, ""), (Role.NURSE, other_site.pk)):
        page = client.post(
            reverse("staff:create"), {"username": "intrus", "role": role, "site": where}
        )
        assert page.status_code == 422 and "Rien n'a été enregistré" in page.text
    assert Membership.objects.count() == before and not User.objects.filter(username="intrus")


def test_a_manager_does_not_reset_an_account_that_also_works_elsewhere(
    login, site: Site, other_site: Site, manager: User, nurse: User
) -> None:
    Membership.objects.create(user=nurse, role=Role.NURSE, site=other_site)
    client = login(manager)
    detail = client.get(reverse("staff:detail", kwargs={"user_id": nurse.public_id}))
    assert other_site.name not in detail.text  # a role elsewhere is not theirs to know
    old = User.objects.get(pk=nurse.pk).password
    client.post(reverse("staff:password_reset", kwargs={"user_id": nurse.public_id}))
    assert User.objects.get(pk=nurse.pk).password == old
    assert not AuditEvent.objects.filter(action="user.password_reset").exists()


def test_roles_are_given_and_ended_with_their_trail(
    login, site: Site, manager: User, reception: User
) -> None:
    client = login(manager)
    url = reverse("staff:role_grant", kwargs={"user_id": reception.public_id})
    assert client.post(url, {"role": Role.NURSE, "site": site.pk}).status_code == 302
    again = client.post(url, {"role": Role.NURSE, "site": site.pk})
    assert again.status_code == 422 and "déjà ce rôle" in again.text
    nursing = reception.memberships.get(role=Role.NURSE)
    end = reverse("staff:role_end", kwargs={"user_id": reception.public_id})
    client.post(end, {"membership": nursing.pk})
    nursing.refresh_from_db()
    assert not nursing.is_active
    actions = set(AuditEvent.objects.filter(object_type="user").values_list("action", flat=True))
    assert actions == {"membership.granted", "membership.ended"}
    # Their own role is not theirs to end.
    own = manager.memberships.get()
    client.post(
        reverse("staff:role_end", kwargs={"user_id": manager.public_id}), {"membership": own.pk}
    )
    own.refresh_from_db()
    assert own.is_active


def test_a_password_reset_ends_open_sessions_and_leaves_the_lock_in_place(
    login, site: Site, manager: User, reception: User
) -> None:
    open_session = login(reception)
    lock(reception)
    page = login(manager).post(
        reverse("staff:password_reset", kwargs={"user_id": reception.public_id})
    )
    password = _temporary(page.text)
    assert open_session.get(reverse("www:map")).status_code == 302  # logged out
    assert authenticate(username="reception", password=password) is None  # still locked
    _no_secret_in_audit(password)
    assert AuditEvent.objects.filter(action="user.password_reset", actor=manager).count() == 1


def test_resetting_the_second_factor_makes_the_account_enrol_again(
    login, site: Site, admin_user: User, nurse: User
) -> None:
    enrol(nurse)
    client = login(admin_user)
    url = reverse("staff:second_factor_reset", kwargs={"user_id": nurse.public_id})
    assert client.post(url).status_code == 302
    assert not TotpDevice.objects.filter(user=nurse).exists()
    assert AuditEvent.objects.filter(action="user.second_factor_reset").count() == 1
    with override_settings(HALTE_REQUIRE_2FA=True):
        again = Client()
        again.post(reverse("www:login"), {"username": "nurse", "password": PASSWORD})
        assert again.get(reverse("www:map")).url.startswith("/compte/second-facteur/")


@override_settings(HALTE_REQUIRE_2FA=True)
def test_the_staff_screens_sit_behind_the_second_factor(
    client: Client, site: Site, admin_user: User
) -> None:
    client.post(reverse("www:login"), {"username": "admin", "password": PASSWORD})
    page = client.get(reverse("staff:list"))
    assert page.status_code == 302 and page.url.startswith("/compte/second-facteur/")
    assert (
        client.post(reverse("staff:create"), {"username": "x", "role": "admin"}).status_code == 302
    )
    assert not User.objects.filter(username="x").exists()


def test_other_roles_have_no_staff_screens(
    login, site: Site, nurse: User, coordinator: User
) -> None:
    for user in (nurse, coordinator):
        assert login(user).get(reverse("staff:list")).status_code == 403
        assert "Comptes" not in login(user).get(reverse("www:map")).text


def test_the_admin_lists_accounts_with_sensitive_fields_read_only(
    login, site: Site, admin_user: User, nurse: User
) -> None:
    client = login(admin_user)
    assert "nurse" in client.get("/admin/accounts/user/").text
    change = client.get(f"/admin/accounts/user/{nurse.pk}/change/").text
    assert 'name="first_name"' in change
    for field in ("password", "is_superuser", "is_staff", "username"):
        assert f'name="{field}"' not in change
    assert client.get("/admin/accounts/membership/").status_code == 200


def test_staff_add_reads_the_password_from_a_file_or_stdin(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("un-mot-de-passe-solide\n")
    call_command(
        "staff_add",
        "soin-2",
        "--role",
        "nurse",
        "--site",
        site.slug,
        "--password-file",
        str(secret),
    )
    assert authenticate(username="soin-2", password="un-mot-de-passe-solide") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("encore-un-bon-secret\n"))
    call_command("staff_add", "coord-2", "--role", "coordinator", "--temporary")
    coord = User.objects.get(username="coord-2")
    assert coord.must_change_password and coord.memberships.get().site is None
    with pytest.raises(CommandError, match="--site"):
        call_command("staff_add", "soin-3", "--role", "nurse", "--password-file", str(secret))
    monkeypatch.setattr("sys.stdin", io.StringIO("123\n"))
    with pytest.raises(CommandError, match="Password refused"):
        call_command("staff_add", "soin-4", "--role", "nurse", "--site", site.slug)
    assert not User.objects.filter(username__in=["soin-3", "soin-4"]).exists()
    _no_secret_in_audit("un-mot-de-passe-solide", "encore-un-bon-secret")
